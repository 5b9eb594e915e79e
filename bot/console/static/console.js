// @ts-check
// The console chat page's script: a browser ES module, loaded by console.html from /console/console.js.
// No build step: it is served as written, and `npm run typecheck` checks it (tsconfig.json allowJs +
// the @ts-check above), its JSON against the server's own types. It speaks only the JSON API of
// ../routes.ts. Everything from the server is put in the page with textContent, never as HTML.

/** @typedef {import('../routes.js').ConsoleDirectory} Directory */
/** @typedef {Directory['chats'][number]} Chat */
/** @typedef {Directory['people'][number]} Person */
/** @typedef {Omit<import('../routes.js').PostedMessage, 'chat' | 'sender'>} Message what a person sends, without who and where */
/** @typedef {import('../../../delivery/channel.js').CardButton} CardButton */
/**
 * A card as the transcript carries it (JSON of delivery/channel.ts's Card); the page copes with missing parts.
 * @typedef {Partial<Pick<import('../../../delivery/channel.js').Card, 'title' | 'template' | 'fields' | 'text' | 'buttons' | 'links'>>} Card
 */
/** @typedef {Omit<import('../transcript.js').TranscriptEntry, 'card'> & { card?: Card }} Entry */

const POLL_MS = 1500
/** @type {Record<string, string | undefined>} */
const KIND_LABEL = { township: '乡镇工作群', office: '卫片办', leader: '领导', direct: '私聊' }
/** @type {Record<string, string | undefined>} */
const KIND_AVATAR = { township: '乡', office: '办', leader: '领', direct: '聊' }
/** @type {Record<string, string | undefined>} */
const ROLE_LABEL = { official: '乡镇干部', staff: '卫片办', leader: '领导', admin: '管理员' }

/**
 * An element of console.html by its id, of the type the script expects.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
function byId(id, type) {
  const el = document.getElementById(id)
  if (!(el instanceof type)) throw new Error(`console.html: #${id} is missing or of the wrong kind`)
  return el
}

const ui = {
  chats: byId('chats', HTMLElement),
  person: byId('person', HTMLSelectElement),
  chatTitle: byId('chat-title', HTMLElement),
  speakingAs: byId('speaking-as', HTMLElement),
  log: byId('log', HTMLElement),
  replyBar: byId('reply-bar', HTMLElement),
  replyLabel: byId('reply-label', HTMLElement),
  replyCancel: byId('reply-cancel', HTMLButtonElement),
  locationPanel: byId('location-panel', HTMLFormElement),
  lon: byId('lon', HTMLInputElement),
  lat: byId('lat', HTMLInputElement),
  datum: byId('datum', HTMLSelectElement),
  locationCancel: byId('location-cancel', HTMLButtonElement),
  composer: byId('composer', HTMLFormElement),
  photo: byId('photo', HTMLInputElement),
  locationToggle: byId('location-toggle', HTMLButtonElement),
  text: byId('text', HTMLTextAreaElement),
  send: byId('send', HTMLButtonElement),
  status: byId('status', HTMLElement),
}

/**
 * @type {{
 *   chats: Chat[], people: Person[], chat: string | null, personByChat: Record<string, string | undefined>,
 *   replyTo: string | null, entries: Entry[], lastJson: string, busy: boolean, polling: boolean, scrollNext: boolean,
 * }}
 */
const state = { chats: [], people: [], chat: null, personByChat: {}, replyTo: null, entries: [], lastJson: '', busy: false, polling: false, scrollNext: false }

/** @typedef {Node | string | null | undefined | false} Child */

/**
 * An element: `text` sets its text, `class` its class, `onX` listens to X, other attributes as strings
 * (true: present, empty; false, null, undefined: left out).
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag)
  if (attrs) for (const k in attrs) {
    const v = attrs[k]
    if (v === undefined || v === null || v === false) continue
    if (k === 'text') el.textContent = String(v)
    else if (k === 'class') el.className = String(v)
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), /** @type {EventListener} */ (v))
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
  }
  return el
}

/**
 * GET (no body) or POST (a JSON body) to the console API; its JSON answer, or an Error with the server's message.
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<unknown>}
 */
function api(path, body) {
  /** @type {RequestInit} */
  const opts = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
  return fetch(path, opts).then((res) => res.text().then((t) => {
    /** @type {{ error?: string } | null} */
    let data
    try { data = t ? JSON.parse(t) : null } catch { data = null }
    if (!res.ok) throw new Error((data && data.error) || `请求失败（${res.status}）`)
    return data
  }))
}

/** @returns {Promise<Directory>} */
const getDirectory = () => /** @type {Promise<Directory>} */ (api('/console/api/directory'))
/** @param {string} chat @returns {Promise<Entry[]>} */
const getMessages = (chat) => /** @type {Promise<Entry[]>} */ (api(`/console/api/chats/${encodeURIComponent(chat)}/messages`))
/** @param {import('../routes.js').PostedMessage} message @returns {Promise<{ messageId: string }>} */
const postMessage = (message) => /** @type {Promise<{ messageId: string }>} */ (api('/console/api/messages', message))

/** @param {string} [text] @param {boolean} [isError] */
function setStatus(text, isError) {
  ui.status.textContent = text || ''
  ui.status.className = 'status' + (isError ? ' error' : '')
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
/** @param {string} iso */
function when(iso) {
  const d = new Date(iso)
  return isNaN(d.getTime()) || d.getTime() === 0 ? '' : timeFormat.format(d)
}

/** @returns {Chat | null} */
function currentChat() {
  return state.chats.find((c) => c.id === state.chat) ?? null
}
/** @param {string | undefined} id @returns {Person | null} */
function personById(id) {
  return state.people.find((p) => p.id === id) ?? null
}
function currentPerson() { return personById(state.chat === null ? undefined : state.personByChat[state.chat]) }

/**
 * Who speaks by default in a chat: the township's official, a staff member, the leader.
 * @param {Chat} chat
 * @returns {string | undefined}
 */
function defaultPerson(chat) {
  const want = chat.kind === 'township' ? 'official' : chat.kind === 'leader' ? 'leader' : 'staff'
  const match = state.people.filter((p) => {
    if (p.role !== want) return false
    return want !== 'official' || (p.township && chat.name.indexOf(p.township) === 0)
  })
  const fallback = state.people.filter((p) => p.role === want)
  return (match[0] || fallback[0] || state.people[0])?.id
}

function renderChats() {
  const nav = ui.chats
  nav.textContent = ''
  state.chats.forEach((c) => {
    nav.appendChild(h('button', {
      type: 'button', class: 'chat-item', 'data-testid': 'chat', 'data-chat-id': c.id,
      'aria-current': c.id === state.chat ? 'true' : 'false',
      onclick: () => { selectChat(c.id) },
    },
    h('span', { class: 'avatar ' + c.kind, 'aria-hidden': 'true', text: KIND_AVATAR[c.kind] || '群' }),
    h('span', { style: 'min-width:0' }, h('span', { class: 'chat-name', text: c.name }), h('span', { class: 'chat-kind', text: KIND_LABEL[c.kind] || c.kind }))))
  })
}

function renderPeople() {
  const select = ui.person
  select.textContent = ''
  /** @type {Record<string, HTMLElement>} */
  const groups = {}
  state.people.forEach((p) => {
    if (!groups[p.role]) {
      groups[p.role] = h('optgroup', { label: ROLE_LABEL[p.role] || p.role })
      select.appendChild(groups[p.role])
    }
    groups[p.role].appendChild(h('option', { value: p.id, text: p.name + (p.township && p.name.indexOf(p.township) < 0 ? '（' + p.township + '）' : '') }))
  })
  select.value = (state.chat !== null && state.personByChat[state.chat]) || ''
}

function renderHead() {
  const chat = currentChat()
  const person = currentPerson()
  ui.chatTitle.textContent = chat ? chat.name : '没有会话'
  ui.speakingAs.textContent = person ? '以「' + person.name + '」身份发言' : ''
  document.title = (chat ? chat.name + ' · ' : '') + '卫片执法助手'
}

/** @param {string} id */
function selectChat(id) {
  state.chat = id
  if (!state.personByChat[id]) {
    const chat = currentChat()
    if (chat) state.personByChat[id] = defaultPerson(chat)
  }
  state.entries = []
  state.lastJson = ''
  setReplyTo(null)
  setStatus('')
  if (location.hash !== '#' + encodeURIComponent(id)) history.replaceState(null, '', '#' + encodeURIComponent(id))
  renderChats()
  renderPeople()
  renderHead()
  ui.log.textContent = ''
  refresh(true)
}

/** @param {Entry | undefined} e */
function summary(e) {
  if (!e) return '（较早的消息）'
  if (e.card) return e.card.title || '卡片'
  if (e.text) return e.text.split('\n')[0].slice(0, 40)
  if (e.photo) return '［照片］'
  if (e.location) return '［位置］'
  return '消息'
}

/** @param {Entry | null} entry */
function setReplyTo(entry) {
  state.replyTo = entry ? entry.messageId : null
  ui.replyBar.hidden = !entry
  ui.replyLabel.textContent = entry ? summary(entry) : ''
  if (entry) ui.text.focus()
}

/** @param {Card} card @param {Entry} entry */
function renderCard(card, entry) {
  const template = card.template || 'blue'
  const box = h('div', { class: 'card', 'data-testid': 'card', 'data-template': template },
    h('div', { class: 'card-title', 'data-testid': 'card-title', text: card.title || '' }))
  const fields = card.fields || []
  if (fields.length) {
    const table = h('table')
    fields.forEach((f) => { table.appendChild(h('tr', null, h('th', { scope: 'row', text: f[0] }), h('td', { text: f[1] }))) })
    box.appendChild(table)
  }
  if (card.text) box.appendChild(h('div', { class: 'card-text', text: card.text }))
  const links = (card.links || []).filter((l) => /^https:\/\//.test(l.url))
  if (links.length) {
    const row = h('div', { class: 'card-links' })
    links.forEach((l) => { row.appendChild(h('a', { href: l.url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'card-link', text: l.label })) })
    box.appendChild(row)
  }
  if (entry.mapUrl) box.appendChild(h('img', { class: 'card-map', src: entry.mapUrl, alt: '图斑位置图', loading: 'lazy', 'data-testid': 'map' }))
  const buttons = card.buttons || []
  if (buttons.length) {
    const row = h('div', { class: 'card-buttons' })
    buttons.forEach((b) => {
      row.appendChild(h('button', {
        type: 'button', class: 'btn ' + (b.style || 'default'), 'data-testid': 'card-action', 'data-action': b.action,
        text: b.label, onclick: () => { clickButton(b) },
      }))
    })
    box.appendChild(row)
  }
  return box
}

/**
 * @param {Entry} e
 * @param {Record<string, Entry | undefined>} byId
 * @param {Person | null} me
 */
function renderEntry(e, byId, me) {
  const bot = e.direction === 'out'
  const mine = !bot && me && e.sender === me.name
  const body = h('div', { class: 'body' })
  body.appendChild(h('div', { class: 'meta', text: (mine ? '' : e.sender + '  ') + when(e.at) }))
  if (e.card) {
    body.appendChild(renderCard(e.card, e))
  } else {
    const bubble = h('div', { class: 'bubble', 'data-testid': 'bubble' })
    if (e.replyTo) bubble.appendChild(h('div', { class: 'quote', text: '回复 ' + summary(byId[e.replyTo]) }))
    if (e.text) bubble.appendChild(document.createTextNode(e.text))
    if (e.photo) bubble.appendChild(h('span', { class: 'chip', text: '［照片］' }))
    if (e.location) bubble.appendChild(h('span', { class: 'chip', text: '［位置］' + e.location.lon.toFixed(6) + ', ' + e.location.lat.toFixed(6) }))
    if (e.imageUrl) bubble.appendChild(h('img', { class: 'card-map', src: e.imageUrl, alt: '图表', loading: 'lazy', 'data-testid': 'image' }))
    if (e.fileUrl) bubble.appendChild(h('a', { class: 'chip', href: e.fileUrl, download: e.fileName || '', 'data-testid': 'file', text: '［文件］' + (e.fileName || '下载') }))
    if (!e.text && !e.photo && !e.location && !e.imageUrl && !e.fileUrl) bubble.appendChild(h('span', { class: 'chip', text: '［' + e.kind + '］' }))
    body.appendChild(bubble)
  }
  if (bot && e.messageId) {
    body.appendChild(h('div', { class: 'actions' }, h('button', {
      type: 'button', class: 'link', 'data-testid': 'reply', text: '回复', onclick: () => { setReplyTo(e) },
    })))
  }
  const initial = bot ? '卫' : (e.sender || '?').replace(/^.*-/, '').slice(0, 1)
  return h('div', { class: 'msg ' + (bot ? 'bot' : mine ? 'mine' : 'theirs'), 'data-testid': 'message', 'data-direction': e.direction, 'data-message-id': e.messageId },
    h('span', { class: 'avatar ' + (bot ? 'bot' : 'direct'), 'aria-hidden': 'true', text: initial }), body)
}

function renderLog() {
  const log = ui.log
  const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80
  /** @type {Record<string, Entry | undefined>} */
  const byId = {}
  state.entries.forEach((e) => { if (e.messageId) byId[e.messageId] = e })
  const me = currentPerson()
  log.textContent = ''
  if (state.entries.length === 0) log.appendChild(h('div', { class: 'empty', text: '这里还没有消息。' }))
  state.entries.forEach((e) => { log.appendChild(renderEntry(e, byId, me)) })
  if (nearBottom || state.scrollNext) log.scrollTop = log.scrollHeight
  state.scrollNext = false
}

/** @param {boolean} scroll @returns {Promise<void>} */
function refresh(scroll) {
  if (!state.chat) return Promise.resolve()
  const chat = state.chat
  if (scroll) state.scrollNext = true
  return getMessages(chat).then((entries) => {
    if (chat !== state.chat) return
    const json = JSON.stringify(entries)
    if (json === state.lastJson) return
    state.lastJson = json
    state.entries = entries
    renderLog()
    // a reply target that scrolled out of the transcript is dropped
    if (state.replyTo && !entries.some((e) => e.messageId === state.replyTo)) setReplyTo(null)
  })
}

/**
 * Send as the chosen person in the chosen chat; true once sent and the transcript is fresh.
 * @param {Message} message
 * @param {string} [doneText] the status line afterwards
 * @returns {Promise<boolean>}
 */
function post(message, doneText) {
  const person = currentPerson()
  if (!state.chat || !person) { setStatus('请先选择会话和发言身份。', true); return Promise.resolve(false) }
  const body = { chat: state.chat, sender: person.id, ...message }
  state.busy = true
  ui.send.disabled = true
  setStatus('发送中…')
  return postMessage(body).then(() => {
    setStatus(doneText || '')
    return refresh(true).then(() => true)
  }, (/** @type {Error} */ err) => {
    setStatus('发送失败：' + err.message, true)
    return false
  }).then((ok) => {
    state.busy = false
    ui.send.disabled = false
    return ok
  })
}

/** @param {Message} message */
function withReply(message) {
  if (state.replyTo) message.replyTo = state.replyTo
  return message
}

function sendText() {
  const box = ui.text
  const text = box.value.trim()
  if (!text || state.busy) return
  post(withReply({ text })).then((ok) => {
    if (!ok) return
    box.value = ''
    autosize()
    setReplyTo(null)
  })
}

/** @param {CardButton} b */
function clickButton(b) {
  /** @type {Record<string, string>} */
  const value = {}
  for (const k in b.value || {}) value[k] = String(b.value[k])
  if ((b.action === 'sendBack' || b.action === 'rejectRectification') && !value.reason) {
    const reason = window.prompt(b.action === 'sendBack' ? '退回理由：' : '驳回理由：')
    if (reason === null) return
    if (reason.trim()) value.reason = reason.trim()
  }
  post({ action: { name: b.action, value, label: b.label } })
}

/** @param {File} file */
function sendPhoto(file) {
  const reader = new FileReader()
  reader.onload = () => {
    const url = String(reader.result)
    const base64 = url.slice(url.indexOf(',') + 1)
    post(withReply({ photo: base64, fileName: file.name || 'photo.jpg' }), '照片已发送').then((ok) => { if (ok) setReplyTo(null) })
  }
  reader.onerror = () => { setStatus('无法读取该文件。', true) }
  reader.readAsDataURL(file)
}

function autosize() {
  const box = ui.text
  box.style.height = 'auto'
  box.style.height = Math.min(box.scrollHeight + 2, 140) + 'px'
}

function poll() {
  if (state.polling || state.busy || document.hidden) return
  state.polling = true
  refresh(false).catch((/** @type {Error} */ err) => { setStatus('连接中断：' + err.message, true) }).then(() => { state.polling = false })
}

/** @param {string} id */
function currentChatExists(id) { return state.chats.some((c) => c.id === id) }

// ── wiring ──
ui.composer.addEventListener('submit', (ev) => { ev.preventDefault(); sendText() })
ui.text.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); sendText() }
})
ui.text.addEventListener('input', autosize)
ui.replyCancel.addEventListener('click', () => { setReplyTo(null) })
ui.photo.addEventListener('change', () => {
  const input = ui.photo
  const file = input.files && input.files[0]
  if (file) sendPhoto(file)
  input.value = ''
})
ui.locationToggle.addEventListener('click', () => {
  const panel = ui.locationPanel
  panel.hidden = !panel.hidden
  if (!panel.hidden) ui.lon.focus()
})
ui.locationCancel.addEventListener('click', () => { ui.locationPanel.hidden = true })
ui.locationPanel.addEventListener('submit', (ev) => {
  ev.preventDefault()
  const lon = Number(ui.lon.value), lat = Number(ui.lat.value)
  if (!isFinite(lon) || !isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    setStatus('请输入有效的经纬度（如 经度 110.63，纬度 26.04）。', true)
    return
  }
  const datum = ui.datum.value === 'wgs84' ? 'wgs84' : 'gcj02'
  post(withReply({ location: { lon, lat, datum } }), '位置已发送').then((ok) => {
    if (ok) { ui.locationPanel.hidden = true; setReplyTo(null) }
  })
})
ui.person.addEventListener('change', () => {
  if (state.chat !== null) state.personByChat[state.chat] = ui.person.value
  renderHead()
  renderLog()
})
window.addEventListener('hashchange', () => {
  const id = decodeURIComponent(location.hash.slice(1))
  if (id && id !== state.chat && currentChatExists(id)) selectChat(id)
})

getDirectory().then((dir) => {
  state.chats = dir.chats
  state.people = dir.people
  const fromHash = decodeURIComponent(location.hash.slice(1))
  const first = state.chats.filter((c) => c.kind === 'township')[0] || state.chats[0]
  if (currentChatExists(fromHash)) selectChat(fromHash)
  else if (first) selectChat(first.id)
  else { renderChats(); renderHead(); ui.log.appendChild(h('div', { class: 'empty', text: '还没有登记任何会话。' })) }
  setInterval(poll, POLL_MS)
  document.body.setAttribute('data-ready', 'true')
}, (/** @type {Error} */ err) => { setStatus('无法载入会话列表：' + err.message, true) })
