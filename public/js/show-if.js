// Progressive enhancement for survey pages: a question that only applies after certain answers to
// an earlier question is hidden until one of those answers is chosen. Without JavaScript every
// question shows, with a hint saying when to answer it, and the server ignores answers that do not apply.
;(function () {
  var groups = document.querySelectorAll('[data-show-if-question]')
  if (!groups.length) return

  function update() {
    groups.forEach(function (group) {
      var name = group.getAttribute('data-show-if-question')
      var answers = (group.getAttribute('data-show-if-answers') || '').split(' ')
      var checked = document.querySelector('input[type="radio"][name="' + name + '"]:checked')
      group.hidden = !(checked && answers.indexOf(checked.value) !== -1)
    })
  }

  document.addEventListener('change', function (event) {
    if (event.target && event.target.type === 'radio') update()
  })
  update()
})()
