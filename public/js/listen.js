// Progressive enhancement for survey pages: a "Listen" button for each question reads the
// question and its answers aloud with the browser's speech synthesis, in the page's language.
// Added only here, by JavaScript, and only where the browser can speak: without it, nothing
// changes. The button's words come from the form's data-listen attributes (listen.* in server/i18n/locales).
;(function () {
  if (!('speechSynthesis' in window) || typeof window.SpeechSynthesisUtterance !== 'function') return
  var form = document.querySelector('form[data-listen]')
  if (!form) return
  var words = {
    listen: form.getAttribute('data-listen') || 'Listen',
    stop: form.getAttribute('data-listen-stop') || 'Stop',
    answers: form.getAttribute('data-listen-answers') || '',
  }
  var playing = null

  function languageOf(element) {
    var withLang = element.closest('[lang]')
    return (withLang && withLang.getAttribute('lang')) || document.documentElement.lang || 'en'
  }

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, ' ').trim() : ''
  }

  // A pause after each part: "Yes. Not sure. No." rather than one run-on phrase.
  function sentence(part) {
    return /[.?!:]$/.test(part) ? part : part + '.'
  }

  function reset() {
    if (playing) playing.firstChild.textContent = words.listen
    playing = null
  }

  function speak(button, group, heading) {
    var parts = [text(heading)]
    var hint = group.querySelector('.govuk-hint:not(.govuk-character-count__message)')
    if (hint) parts.push(text(hint))
    var labels = group.querySelectorAll('.govuk-radios__label')
    if (labels.length) {
      var answers = []
      labels.forEach(function (label) {
        answers.push(text(label))
      })
      parts.push(words.answers + ' ' + answers.map(sentence).join(' '))
    }
    var utterance = new window.SpeechSynthesisUtterance(parts.map(sentence).join(' '))
    utterance.lang = languageOf(group)
    var voice = window.speechSynthesis.getVoices().filter(function (candidate) {
      return candidate.lang && candidate.lang.toLowerCase().indexOf(utterance.lang.toLowerCase()) === 0
    })[0]
    if (voice) utterance.voice = voice
    utterance.onend = utterance.onerror = function () {
      if (playing === button) reset()
    }
    playing = button
    button.firstChild.textContent = words.stop
    window.speechSynthesis.speak(utterance)
  }

  form.querySelectorAll('.govuk-form-group').forEach(function (group) {
    var heading = group.querySelector('.govuk-fieldset__heading, .govuk-label-wrapper .govuk-label')
    if (!heading) return
    var button = document.createElement('button')
    button.type = 'button'
    button.className = 'govuk-button govuk-button--secondary app-listen'
    button.appendChild(document.createTextNode(words.listen))
    // Each button is named for its question, so a screen reader's list of buttons tells them apart.
    var which = document.createElement('span')
    which.className = 'govuk-visually-hidden'
    which.textContent = ': ' + text(heading)
    button.appendChild(which)
    button.addEventListener('click', function () {
      var wasPlaying = playing === button
      window.speechSynthesis.cancel()
      reset()
      if (!wasPlaying) speak(button, group, heading)
    })
    var place = group.querySelector('.govuk-fieldset__legend') || group.querySelector('.govuk-label-wrapper')
    place.insertAdjacentElement('afterend', button)
  })
})()
