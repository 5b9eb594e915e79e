// The console chat page: one self-contained HTML document (inline CSS and JS, no build step, no
// external URLs — the machines it runs on have no internet). It speaks only the JSON API of
// bot/routes/console.ts. Everything from the server is put in the page with textContent, never as HTML.
//
// Stable hooks for the browser test: data-testid on the controls and messages, and accessible names
// (aria-label / button text) in Chinese.

const STYLE = String.raw`
:root {
  --bg: #f2f3f5; --panel: #fff; --line: #e4e6eb; --ink: #1f2329; --muted: #8f959e; --accent: #3370ff;
  --mine: #d6e6ff; --theirs: #fff; --blue: #3370ff; --red: #f54a45; --orange: #ff8800; --green: #2ea121;
  --grey: #8f959e; --radius: 10px;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC",
    "WenQuanYi Micro Hei", system-ui, sans-serif;
  color: var(--ink); font-size: 15px;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: var(--bg); }
button, input, select, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
[hidden] { display: none !important; }
.app { display: flex; height: 100%; max-width: 1180px; margin: 0 auto; background: var(--panel);
  box-shadow: 0 0 0 1px var(--line); }

/* left: chats and who speaks */
.side { width: 270px; flex: none; display: flex; flex-direction: column; border-right: 1px solid var(--line);
  background: #fafbfc; }
.brand { padding: 16px 16px 10px; font-weight: 600; font-size: 17px; }
.brand small { display: block; font-weight: 400; font-size: 12px; color: var(--muted); margin-top: 2px; }
.section-label { padding: 10px 16px 4px; font-size: 12px; color: var(--muted); }
.chats { flex: 1; overflow-y: auto; padding: 0 8px 8px; }
.chat-item { display: flex; align-items: center; gap: 10px; width: 100%; padding: 8px; border: 0;
  background: none; border-radius: 8px; text-align: left; }
.chat-item:hover { background: #eff0f1; }
.chat-item[aria-current="true"] { background: #e1eaff; }
.avatar { width: 34px; height: 34px; flex: none; border-radius: 8px; display: grid; place-items: center;
  color: #fff; font-size: 14px; font-weight: 600; }
.avatar.township { background: #4e83fd; } .avatar.office { background: #ff8800; }
.avatar.leader { background: #7f3bf5; } .avatar.direct { background: #8f959e; } .avatar.bot { background: #14a37f; }
.chat-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 14px; }
.chat-kind { display: block; font-size: 12px; color: var(--muted); }
.speaker { padding: 10px 16px 16px; border-top: 1px solid var(--line); }
.speaker select { width: 100%; padding: 7px 8px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.speaker-label { display: block; padding: 0 0 4px; }
.speaker .note { font-size: 12px; color: var(--muted); margin: 6px 0 0; }

/* main: the conversation */
.main { flex: 1; min-width: 0; min-height: 0; display: flex; flex-direction: column; }
.head { display: flex; align-items: baseline; gap: 10px; padding: 14px 18px; border-bottom: 1px solid var(--line); }
.head h1 { margin: 0; font-size: 17px; font-weight: 600; }
.head .as { font-size: 13px; color: var(--muted); }
.log { flex: 1; min-height: 0; overflow-y: auto; padding: 16px 18px 8px; background: var(--bg); }
.empty { color: var(--muted); text-align: center; margin-top: 40px; font-size: 14px; }
.msg { display: flex; gap: 8px; margin: 0 0 14px; align-items: flex-start; }
.msg.mine { flex-direction: row-reverse; }
.msg .body { max-width: min(560px, 82%); display: flex; flex-direction: column; align-items: flex-start; }
.msg.mine .body { align-items: flex-end; }
.meta { font-size: 12px; color: var(--muted); margin: 0 2px 3px; }
.bubble { background: var(--theirs); border-radius: var(--radius); padding: 8px 12px; white-space: pre-wrap;
  word-break: break-word; line-height: 1.55; box-shadow: 0 1px 1px rgba(0,0,0,.04); }
.msg.mine .bubble { background: var(--mine); }
.quote { font-size: 12px; color: var(--muted); border-left: 3px solid #c9cdd4; padding: 1px 8px; margin-bottom: 5px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
.chip { display: inline-block; font-size: 13px; background: #eef3ff; color: #245bdb; padding: 2px 8px; border-radius: 6px; }
.actions { margin: 3px 2px 0; }
.link { border: 0; background: none; padding: 0; color: var(--accent); font-size: 12px; }
.link:hover { text-decoration: underline; }

/* cards */
.card { width: min(440px, 100%); background: #fff; border-radius: var(--radius); overflow: hidden;
  box-shadow: 0 1px 3px rgba(0,0,0,.08); border: 1px solid var(--line); }
.card-title { padding: 10px 14px; color: #fff; font-weight: 600; background: var(--blue); }
.card[data-template="red"] .card-title { background: var(--red); }
.card[data-template="orange"] .card-title { background: var(--orange); }
.card[data-template="green"] .card-title { background: var(--green); }
.card[data-template="grey"] .card-title { background: var(--grey); }
.card table { border-collapse: collapse; width: 100%; font-size: 14px; }
.card th { text-align: left; font-weight: 400; color: var(--muted); padding: 5px 8px 5px 14px; white-space: nowrap;
  vertical-align: top; width: 1%; }
.card td { padding: 5px 14px 5px 0; word-break: break-word; }
.card tr + tr th, .card tr + tr td { border-top: 1px solid #f0f1f2; }
.card-text { padding: 8px 14px; font-size: 14px; color: #4e5969; white-space: pre-wrap; line-height: 1.55;
  border-top: 1px solid var(--line); }
.card-map { display: block; width: 100%; max-height: 320px; object-fit: contain; background: #f7f8fa;
  border-top: 1px solid var(--line); }
.card-buttons { display: flex; flex-wrap: wrap; gap: 8px; padding: 10px 14px 12px; border-top: 1px solid var(--line); }
.btn { border: 1px solid #d0d3d6; background: #fff; border-radius: 6px; padding: 5px 14px; font-size: 14px; }
.btn:hover { background: #f5f6f7; }
.btn.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.btn.primary:hover { background: #245bdb; }
.btn.danger { color: var(--red); border-color: #fbbfbc; }
.btn:disabled { opacity: .55; cursor: default; }

/* composer */
.composer { border-top: 1px solid var(--line); padding: 8px 12px 12px; background: #fff; }
.bar { display: flex; align-items: center; gap: 8px; font-size: 13px; background: #f2f3f5; border-radius: 8px;
  padding: 6px 10px; margin-bottom: 8px; color: #4e5969; }
.bar .grow { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar input, .bar select { padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; min-width: 0; }
.bar input { width: 110px; }
.x { border: 0; background: none; font-size: 18px; line-height: 1; color: var(--muted); padding: 0 4px; }
.row { display: flex; gap: 8px; align-items: flex-end; }
.tool { border: 1px solid var(--line); background: #fff; border-radius: 8px; height: 38px; padding: 0 10px;
  display: inline-flex; align-items: center; gap: 4px; font-size: 14px; color: #4e5969; white-space: nowrap; }
.tool:hover { background: #f5f6f7; }
.tool svg { width: 18px; height: 18px; }
textarea { flex: 1; min-width: 0; resize: none; height: 38px; max-height: 140px; padding: 8px 10px;
  border: 1px solid var(--line); border-radius: 8px; line-height: 1.4; }
textarea:focus, .bar input:focus, select:focus { outline: 2px solid #c2d4ff; border-color: var(--accent); }
.send { height: 38px; padding: 0 18px; border: 0; border-radius: 8px; background: var(--accent); color: #fff; }
.send:disabled { background: #a9c0fb; cursor: default; }
.status { min-height: 18px; font-size: 12px; color: var(--muted); margin-top: 6px; }
.status.error { color: var(--red); }

/* phones: the chat list becomes a strip above the conversation */
@media (max-width: 720px) {
  .app { flex-direction: column; }
  .side { width: auto; border-right: 0; border-bottom: 1px solid var(--line); }
  .brand { padding: 10px 12px 4px; font-size: 15px; }
  .brand small, .section-label { display: none; }
  .chats { display: flex; gap: 4px; overflow-x: auto; overflow-y: hidden; flex: none; padding: 4px 8px; }
  .chat-item { width: auto; flex: none; padding: 6px 8px; }
  .chat-item .avatar { display: none; }
  .chat-kind { display: none; }
  .speaker { padding: 6px 12px 8px; border-top: 0; }
  .speaker-label { display: block; padding: 0 0 4px; }
.speaker .note { display: none; }
  .head { padding: 8px 12px; }
  .log { padding: 12px 10px 6px; }
  .msg .body { max-width: 88%; }
  .tool span { display: none; }
}
`

const CAMERA = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M4 8h3l2-3h6l2 3h3v11H4z"/><circle cx="12" cy="13" r="3.5"/></svg>'
const PIN = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z"/><circle cx="12" cy="9.5" r="2.5"/></svg>'

const BODY = `
<div class="app">
  <aside class="side">
    <div class="brand">卫片执法助手<small>本地控制台 · 仅限本机</small></div>
    <div class="section-label">会话</div>
    <nav class="chats" id="chats" aria-label="会话列表" data-testid="chats"></nav>
    <div class="speaker">
      <label class="section-label speaker-label" for="person">发言身份</label>
      <select id="person" aria-label="发言身份" data-testid="person"></select>
      <p class="note">本地控制台可以任何人的身份发言，只在 127.0.0.1 上开放。</p>
    </div>
  </aside>
  <main class="main">
    <header class="head">
      <h1 id="chat-title" data-testid="chat-title">加载中…</h1>
      <span class="as" id="speaking-as"></span>
    </header>
    <section class="log" id="log" aria-label="聊天记录" aria-live="polite" data-testid="transcript"></section>
    <footer class="composer">
      <div class="bar" id="reply-bar" data-testid="reply-bar" hidden>
        <span class="grow">回复：<span id="reply-label"></span></span>
        <button class="x" id="reply-cancel" type="button" aria-label="取消回复">×</button>
      </div>
      <form class="bar" id="location-panel" data-testid="location-panel" hidden>
        <label>经度 <input id="lon" aria-label="经度" data-testid="lon" inputmode="decimal" placeholder="110.63" required></label>
        <label>纬度 <input id="lat" aria-label="纬度" data-testid="lat" inputmode="decimal" placeholder="26.04" required></label>
        <select id="datum" aria-label="坐标系" data-testid="datum">
          <option value="gcj02">GCJ-02（手机定位）</option>
          <option value="wgs84">WGS84 / GPS</option>
        </select>
        <button class="btn primary" type="submit" data-testid="send-location">发送该位置</button>
        <button class="x" id="location-cancel" type="button" aria-label="关闭位置">×</button>
      </form>
      <form class="row" id="composer">
        <label class="tool" title="上传照片">${CAMERA}<span>照片</span>
          <input id="photo" type="file" accept="image/*" aria-label="上传照片" data-testid="photo" hidden>
        </label>
        <button class="tool" id="location-toggle" type="button" aria-label="发送位置" data-testid="location-toggle">${PIN}<span>位置</span></button>
        <textarea id="text" rows="1" aria-label="消息" data-testid="text" placeholder="输入消息，Enter 发送" title="Enter 发送，Shift+Enter 换行"></textarea>
        <button class="send" id="send" type="submit" data-testid="send">发送</button>
      </form>
      <div class="status" id="status" role="status" data-testid="status"></div>
    </footer>
  </main>
</div>`

// Plain JS for the browser. No template literals in here (this file embeds it in one).
const SCRIPT = String.raw`
(function () {
  'use strict'
  var POLL_MS = 1500
  var KIND_LABEL = { township: '乡镇工作群', office: '卫片办', leader: '领导', direct: '私聊' }
  var KIND_AVATAR = { township: '乡', office: '办', leader: '领', direct: '聊' }
  var ACTION_LABEL = { report: '上报', query: '查看详情', confirm: '确认', sendBack: '退回', accept: '验收通过', rejectRectification: '驳回' }
  var ROLE_LABEL = { official: '乡镇干部', staff: '卫片办', leader: '领导', admin: '管理员' }
  var $ = function (id) { return document.getElementById(id) }
  var state = { chats: [], people: [], chat: null, personByChat: {}, replyTo: null, entries: [], lastJson: '', busy: false, polling: false }

  function h(tag, attrs) {
    var el = document.createElement(tag)
    if (attrs) for (var k in attrs) {
      var v = attrs[k]
      if (v === undefined || v === null || v === false) continue
      if (k === 'text') el.textContent = v
      else if (k === 'class') el.className = v
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v)
      else el.setAttribute(k, v === true ? '' : String(v))
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i]
      if (c === undefined || c === null || c === false) continue
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
    }
    return el
  }

  function api(path, body) {
    var opts = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
    return fetch(path, opts).then(function (res) {
      return res.text().then(function (t) {
        var data
        try { data = t ? JSON.parse(t) : null } catch (e) { data = null }
        if (!res.ok) throw new Error((data && data.error) || ('请求失败（' + res.status + '）'))
        return data
      })
    })
  }

  function setStatus(text, isError) {
    var s = $('status')
    s.textContent = text || ''
    s.className = 'status' + (isError ? ' error' : '')
  }

  var timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
  function when(iso) {
    var d = new Date(iso)
    return isNaN(d.getTime()) || d.getTime() === 0 ? '' : timeFormat.format(d)
  }

  function currentChat() {
    for (var i = 0; i < state.chats.length; i++) if (state.chats[i].id === state.chat) return state.chats[i]
    return null
  }
  function personById(id) {
    for (var i = 0; i < state.people.length; i++) if (state.people[i].id === id) return state.people[i]
    return null
  }
  function currentPerson() { return personById(state.personByChat[state.chat]) }

  /** Who speaks by default in a chat: the township's official, a staff member, the leader. */
  function defaultPerson(chat) {
    var want = chat.kind === 'township' ? 'official' : chat.kind === 'leader' ? 'leader' : 'staff'
    var match = state.people.filter(function (p) {
      if (p.role !== want) return false
      return want !== 'official' || (p.township && chat.name.indexOf(p.township) === 0)
    })
    var fallback = state.people.filter(function (p) { return p.role === want })
    return (match[0] || fallback[0] || state.people[0] || {}).id
  }

  function renderChats() {
    var nav = $('chats')
    nav.textContent = ''
    state.chats.forEach(function (c) {
      nav.appendChild(h('button', {
        type: 'button', class: 'chat-item', 'data-testid': 'chat', 'data-chat-id': c.id,
        'aria-current': c.id === state.chat ? 'true' : 'false',
        onclick: function () { selectChat(c.id) },
      },
        h('span', { class: 'avatar ' + c.kind, 'aria-hidden': 'true', text: KIND_AVATAR[c.kind] || '群' }),
        h('span', { style: 'min-width:0' }, h('span', { class: 'chat-name', text: c.name }), h('span', { class: 'chat-kind', text: KIND_LABEL[c.kind] || c.kind }))))
    })
  }

  function renderPeople() {
    var select = $('person')
    select.textContent = ''
    var groups = {}
    state.people.forEach(function (p) {
      if (!groups[p.role]) {
        groups[p.role] = h('optgroup', { label: ROLE_LABEL[p.role] || p.role })
        select.appendChild(groups[p.role])
      }
      groups[p.role].appendChild(h('option', { value: p.id, text: p.name + (p.township && p.name.indexOf(p.township) < 0 ? '（' + p.township + '）' : '') }))
    })
    select.value = state.personByChat[state.chat] || ''
  }

  function renderHead() {
    var chat = currentChat()
    var person = currentPerson()
    $('chat-title').textContent = chat ? chat.name : '没有会话'
    $('speaking-as').textContent = person ? '以「' + person.name + '」身份发言' : ''
    document.title = (chat ? chat.name + ' · ' : '') + '卫片执法助手'
  }

  function selectChat(id) {
    state.chat = id
    if (!state.personByChat[id]) {
      var chat = currentChat()
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
    $('log').textContent = ''
    refresh(true)
  }

  function summary(e) {
    if (!e) return '（较早的消息）'
    if (e.card) return e.card.title || '卡片'
    if (e.text) return clickLabel(e.text).split('\n')[0].slice(0, 40)
    if (e.photo) return '［照片］'
    if (e.location) return '［位置］'
    return '消息'
  }

  function setReplyTo(entry) {
    state.replyTo = entry ? entry.messageId : null
    $('reply-bar').hidden = !entry
    $('reply-label').textContent = entry ? summary(entry) : ''
    if (entry) $('text').focus()
  }

  function renderCard(card, entry) {
    var template = card.template || 'blue'
    var box = h('div', { class: 'card', 'data-testid': 'card', 'data-template': template },
      h('div', { class: 'card-title', 'data-testid': 'card-title', text: card.title || '' }))
    var fields = card.fields || []
    if (fields.length) {
      var table = h('table')
      fields.forEach(function (f) { table.appendChild(h('tr', null, h('th', { scope: 'row', text: f[0] }), h('td', { text: f[1] }))) })
      box.appendChild(table)
    }
    if (card.text) box.appendChild(h('div', { class: 'card-text', text: card.text }))
    if (entry.mapUrl) box.appendChild(h('img', { class: 'card-map', src: entry.mapUrl, alt: '图斑位置图', loading: 'lazy', 'data-testid': 'map' }))
    var buttons = card.buttons || []
    if (buttons.length) {
      var row = h('div', { class: 'card-buttons' })
      buttons.forEach(function (b) {
        row.appendChild(h('button', {
          type: 'button', class: 'btn ' + (b.style || 'default'), 'data-testid': 'card-action', 'data-action': b.action,
          text: b.label, onclick: function () { clickButton(b) },
        }))
      })
      box.appendChild(row)
    }
    return box
  }

  /** The transcript says which button by its action name; people read its label. */
  function clickLabel(text) {
    return text.replace(/［点击：(\w+)］/, function (all, name) { return ACTION_LABEL[name] ? '［点击：' + ACTION_LABEL[name] + '］' : all })
  }

  function renderEntry(e, byId, me) {
    var bot = e.direction === 'out'
    var mine = !bot && me && e.sender === me.name
    var body = h('div', { class: 'body' })
    body.appendChild(h('div', { class: 'meta', text: (mine ? '' : e.sender + '  ') + when(e.at) }))
    if (e.card) {
      body.appendChild(renderCard(e.card, e))
    } else {
      var bubble = h('div', { class: 'bubble', 'data-testid': 'bubble' })
      if (e.replyTo) bubble.appendChild(h('div', { class: 'quote', text: '回复 ' + summary(byId[e.replyTo]) }))
      if (e.text) bubble.appendChild(document.createTextNode(e.kind === 'card_action' ? clickLabel(e.text) : e.text))
      if (e.photo) bubble.appendChild(h('span', { class: 'chip', text: '［照片］' }))
      if (e.location) bubble.appendChild(h('span', { class: 'chip', text: '［位置］' + e.location.lon.toFixed(6) + ', ' + e.location.lat.toFixed(6) }))
      if (e.imageUrl) bubble.appendChild(h('img', { class: 'card-map', src: e.imageUrl, alt: '图表', loading: 'lazy', 'data-testid': 'image' }))
      if (e.fileUrl) bubble.appendChild(h('a', { class: 'chip', href: e.fileUrl, download: e.fileName || '', 'data-testid': 'file', text: '［文件］' + (e.fileName || '下载') }))
      if (!e.text && !e.photo && !e.location && !e.imageUrl && !e.fileUrl) bubble.appendChild(h('span', { class: 'chip', text: '［' + e.kind + '］' }))
      body.appendChild(bubble)
    }
    if (bot && e.messageId) {
      body.appendChild(h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'link', 'data-testid': 'reply', text: '回复', onclick: function () { setReplyTo(e) },
      })))
    }
    var initial = bot ? '卫' : (e.sender || '?').replace(/^.*-/, '').slice(0, 1)
    return h('div', { class: 'msg ' + (bot ? 'bot' : mine ? 'mine' : 'theirs'), 'data-testid': 'message', 'data-direction': e.direction, 'data-message-id': e.messageId },
      h('span', { class: 'avatar ' + (bot ? 'bot' : 'direct'), 'aria-hidden': 'true', text: initial }), body)
  }

  function renderLog() {
    var log = $('log')
    var nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80
    var byId = {}
    state.entries.forEach(function (e) { if (e.messageId) byId[e.messageId] = e })
    var me = currentPerson()
    log.textContent = ''
    if (state.entries.length === 0) log.appendChild(h('div', { class: 'empty', text: '这里还没有消息。' }))
    state.entries.forEach(function (e) { log.appendChild(renderEntry(e, byId, me)) })
    if (nearBottom || state.scrollNext) log.scrollTop = log.scrollHeight
    state.scrollNext = false
  }

  function refresh(scroll) {
    if (!state.chat) return Promise.resolve()
    var chat = state.chat
    if (scroll) state.scrollNext = true
    return api('/console/api/chats/' + encodeURIComponent(chat) + '/messages').then(function (entries) {
      if (chat !== state.chat) return
      var json = JSON.stringify(entries)
      if (json === state.lastJson) return
      state.lastJson = json
      state.entries = entries
      renderLog()
      // a reply target that scrolled out of the transcript is dropped
      if (state.replyTo && !entries.some(function (e) { return e.messageId === state.replyTo })) setReplyTo(null)
    })
  }

  function post(message, doneText) {
    var person = currentPerson()
    if (!state.chat || !person) { setStatus('请先选择会话和发言身份。', true); return Promise.resolve(false) }
    var body = { chat: state.chat, sender: person.id }
    for (var k in message) body[k] = message[k]
    state.busy = true
    $('send').disabled = true
    setStatus('发送中…')
    return api('/console/api/messages', body).then(function () {
      setStatus(doneText || '')
      return refresh(true).then(function () { return true })
    }, function (err) {
      setStatus('发送失败：' + err.message, true)
      return false
    }).then(function (ok) {
      state.busy = false
      $('send').disabled = false
      return ok
    })
  }

  function withReply(message) {
    if (state.replyTo) message.replyTo = state.replyTo
    return message
  }

  function sendText() {
    var box = $('text')
    var text = box.value.trim()
    if (!text || state.busy) return
    post(withReply({ text: text })).then(function (ok) {
      if (!ok) return
      box.value = ''
      autosize()
      setReplyTo(null)
    })
  }

  function clickButton(b) {
    var value = {}
    for (var k in b.value || {}) value[k] = String(b.value[k])
    if ((b.action === 'sendBack' || b.action === 'rejectRectification') && !value.reason) {
      var reason = window.prompt(b.action === 'sendBack' ? '退回理由：' : '驳回理由：')
      if (reason === null) return
      if (reason.trim()) value.reason = reason.trim()
    }
    post({ action: { name: b.action, value: value } })
  }

  function sendPhoto(file) {
    var reader = new FileReader()
    reader.onload = function () {
      var url = String(reader.result)
      var base64 = url.slice(url.indexOf(',') + 1)
      post(withReply({ photo: base64, fileName: file.name || 'photo.jpg' }), '照片已发送').then(function (ok) { if (ok) setReplyTo(null) })
    }
    reader.onerror = function () { setStatus('无法读取该文件。', true) }
    reader.readAsDataURL(file)
  }

  function autosize() {
    var box = $('text')
    box.style.height = 'auto'
    box.style.height = Math.min(box.scrollHeight + 2, 140) + 'px'
  }

  function poll() {
    if (state.polling || state.busy || document.hidden) return
    state.polling = true
    refresh(false).catch(function (err) { setStatus('连接中断：' + err.message, true) }).then(function () { state.polling = false })
  }

  // ── wiring ──
  $('composer').addEventListener('submit', function (ev) { ev.preventDefault(); sendText() })
  $('text').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); sendText() }
  })
  $('text').addEventListener('input', autosize)
  $('reply-cancel').addEventListener('click', function () { setReplyTo(null) })
  $('photo').addEventListener('change', function (ev) {
    var input = ev.target
    var file = input.files && input.files[0]
    if (file) sendPhoto(file)
    input.value = ''
  })
  $('location-toggle').addEventListener('click', function () {
    var panel = $('location-panel')
    panel.hidden = !panel.hidden
    if (!panel.hidden) $('lon').focus()
  })
  $('location-cancel').addEventListener('click', function () { $('location-panel').hidden = true })
  $('location-panel').addEventListener('submit', function (ev) {
    ev.preventDefault()
    var lon = Number($('lon').value), lat = Number($('lat').value)
    if (!isFinite(lon) || !isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      setStatus('请输入有效的经纬度（如 经度 110.63，纬度 26.04）。', true)
      return
    }
    post(withReply({ location: { lon: lon, lat: lat, datum: $('datum').value } }), '位置已发送').then(function (ok) {
      if (ok) { $('location-panel').hidden = true; setReplyTo(null) }
    })
  })
  $('person').addEventListener('change', function (ev) {
    state.personByChat[state.chat] = ev.target.value
    renderHead()
    renderLog()
  })
  window.addEventListener('hashchange', function () {
    var id = decodeURIComponent(location.hash.slice(1))
    if (id && id !== state.chat && currentChatExists(id)) selectChat(id)
  })
  function currentChatExists(id) { return state.chats.some(function (c) { return c.id === id }) }

  api('/console/api/directory').then(function (dir) {
    state.chats = dir.chats
    state.people = dir.people
    var fromHash = decodeURIComponent(location.hash.slice(1))
    var first = state.chats.filter(function (c) { return c.kind === 'township' })[0] || state.chats[0]
    if (currentChatExists(fromHash)) selectChat(fromHash)
    else if (first) selectChat(first.id)
    else { renderChats(); renderHead(); $('log').appendChild(h('div', { class: 'empty', text: '还没有登记任何会话。' })) }
    setInterval(poll, POLL_MS)
    document.body.setAttribute('data-ready', 'true')
  }, function (err) { setStatus('无法载入会话列表：' + err.message, true) })
})()
`

/** The console chat page: pick a chat and a person, read the transcript, send text, photos, locations. */
export function consolePage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>卫片执法助手 · 本地控制台</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
${BODY}
<script>${SCRIPT}</script>
</body>
</html>`
}
