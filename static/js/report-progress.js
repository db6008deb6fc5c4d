// Report runs page: while a report is queued or building, ask its status.json every 3 s and
// update the row in place (tag, progress bar, download links); no page refresh (WCAG 2.2.1).
const POLL_MS = 3000

function tag (text, colour) {
  const strong = document.createElement('strong')
  strong.className = `govuk-tag govuk-tag--${colour}`
  strong.textContent = text
  return strong
}

function link (href, text, runId) {
  const a = document.createElement('a')
  a.className = 'govuk-link'
  a.href = href
  a.textContent = text
  const hidden = document.createElement('span')
  hidden.className = 'govuk-visually-hidden'
  hidden.textContent = ` of report ${runId}`
  a.appendChild(hidden)
  return a
}

function announce (text) {
  const live = document.getElementById('report-progress-live')
  if (live) live.textContent = text
}

function update (row, status) {
  const cell = row.querySelector('[data-status-cell]')
  if (status.status === 'building' || status.status === 'queued') {
    if (status.status === 'building' && !row.querySelector('progress')) {
      cell.replaceChildren(tag('Building', 'blue'), document.createElement('br'))
      const lab = document.createElement('label')
      lab.className = 'govuk-body-s'
      lab.htmlFor = `progress-${status.id}`
      lab.dataset.progressLabel = ''
      const p = document.createElement('progress')
      p.id = `progress-${status.id}`
      p.max = 100
      cell.append(lab, document.createElement('br'), p)
    }
    const b = row.querySelector('progress')
    const l = row.querySelector('[data-progress-label]')
    if (b) { b.value = status.progress; b.textContent = `${status.progress}%` }
    if (l) l.textContent = `${status.message || 'Building'} (${status.progress}%)`
    return true
  }
  if (status.status === 'ready') {
    cell.replaceChildren(tag('Ready', 'green'))
    const links = row.querySelector('[data-links-cell]')
    links.replaceChildren(link(status.pdf_url, 'PDF', status.id), document.createElement('br'),
      link(status.csv_url, 'CSV', status.id))
    announce(`Report ${status.id} is ready to download`)
  } else {
    cell.replaceChildren(tag('Failed', 'red'))
    if (status.error) {
      const span = document.createElement('span')
      span.className = 'govuk-body-s'
      span.textContent = status.error
      cell.append(document.createElement('br'), span)
    }
    announce(`Report ${status.id} could not be built`)
  }
  return false
}

function poll (row) {
  fetch(row.dataset.statusUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then((response) => response.ok ? response.json() : Promise.reject(response.status))
    .then((status) => { if (update(row, status)) setTimeout(() => poll(row), POLL_MS) })
    .catch(() => setTimeout(() => poll(row), POLL_MS * 3))
}

document.querySelectorAll('tr[data-status-url]').forEach((row) => {
  setTimeout(() => poll(row), POLL_MS)
})
