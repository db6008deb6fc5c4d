// The school picker (schools/forms/school_picker.py): turns each picker's text box into
// alphagov's accessible-autocomplete over GET /schools/search/ (JSON). Without JavaScript the
// text box and its "Find school" button work on their own (the server lists the matches).
import '../accessible-autocomplete/accessible-autocomplete.min.js'

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
const labelOf = (result) => (result && typeof result === 'object' ? result.label : (result || ''))

function enhance (picker) {
  if (picker.dataset.enhanced || !picker.dataset.searchUrl) return
  picker.dataset.enhanced = 'true'
  const name = picker.dataset.name
  const input = picker.querySelector(`input[name="${name}_q"]`)
  const shown = picker.querySelector(`input[name="${name}_shown"]`)
  let chosen = picker.querySelector(`input[type="hidden"][name="${name}"]`)
  if (!input || !shown) return
  if (!chosen) {
    chosen = document.createElement('input')
    chosen.type = 'hidden'
    chosen.name = name
    picker.appendChild(chosen)
  }
  // The autocomplete replaces the search step: its list is the matches.
  picker.querySelectorAll('.app-school-picker__find, .app-school-picker__matches').forEach((el) => el.remove())
  const describedBy = input.getAttribute('aria-describedby')
  const errorClass = input.classList.contains('govuk-input--error') ? ' govuk-input--error' : ''
  const wrapper = document.createElement('div')
  input.replaceWith(wrapper)

  let controller = null
  const source = (query, populate) => {
    if (controller) controller.abort()
    controller = new AbortController()
    const url = new URL(picker.dataset.searchUrl, window.location.href)
    url.searchParams.set('q', query)
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal: controller.signal })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => populate(data.results || []))
      .catch((error) => { if (error.name !== 'AbortError') populate([]) })
  }

  window.accessibleAutocomplete({
    element: wrapper,
    id: input.id,
    name: `${name}_q`,
    defaultValue: input.value,
    minLength: 2,
    source,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    displayMenu: 'overlay',
    inputClasses: `govuk-input${errorClass}`,
    tNoResults: () => 'No school matches: try its URN, postcode or town',
    templates: {
      inputValue: labelOf,
      suggestion: (result) => escapeHtml(labelOf(result))
    },
    onConfirm: (result) => {
      if (result && typeof result === 'object') {
        chosen.value = result.id
        shown.value = result.label
      }
    }
  })
  const created = wrapper.querySelector('input')
  if (created && describedBy) {
    const own = created.getAttribute('aria-describedby')
    created.setAttribute('aria-describedby', own ? `${describedBy} ${own}` : describedBy)
  }
}

document.querySelectorAll('[data-module="app-school-picker"]').forEach(enhance)
