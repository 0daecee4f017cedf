// Progressive enhancement for survey pages: a question that only applies after certain answers to
// an earlier question is hidden until one of those answers is chosen. Without JavaScript every
// question shows, with a hint saying when to answer it. Whatever is answered is kept by the
// server, so a follow-up that already holds an answer (typed text, a choice) is never hidden:
// the family can still see, change or clear what they gave.
;(function () {
  var groups = document.querySelectorAll('[data-show-if-question]')
  if (!groups.length) return

  function holdsAnswer(group) {
    var fields = group.querySelectorAll('textarea, input')
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i]
      if (field.type === 'radio' || field.type === 'checkbox' ? field.checked : field.value.trim() !== '')
        return true
    }
    return false
  }

  function update() {
    groups.forEach(function (group) {
      var name = group.getAttribute('data-show-if-question')
      var answers = (group.getAttribute('data-show-if-answers') || '').split(' ')
      var checked = document.querySelector('input[type="radio"][name="' + name + '"]:checked')
      var applies = Boolean(checked && answers.indexOf(checked.value) !== -1)
      group.hidden = !applies && !holdsAnswer(group)
    })
  }

  document.addEventListener('change', function (event) {
    if (event.target && event.target.type === 'radio') update()
  })
  update()
})()
