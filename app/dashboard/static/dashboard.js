// @ts-check
// The staff dashboard's script: a browser ES module loaded by dashboard.html. No build step: served as
// written, and `npm run typecheck` checks it (tsconfig allowJs + the @ts-check above), its JSON against
// the server's own types (../data.ts). It draws and filters what the server computed — counts, ratios,
// overdue and key flags come from the API, never from rules here. Server text goes in with textContent.

/** @typedef {import('../data.js').DashboardSummary} Summary */
/** @typedef {import('../data.js').PatchProperties} Props */
/** @typedef {import('../data.js').PatchPage} PatchPage */
/** @typedef {import('geojson').FeatureCollection<import('geojson').Polygon | import('geojson').MultiPolygon, Props>} Patches */

const maplibregl = /** @type {typeof import('maplibre-gl')} */ (/** @type {any} */ (window).maplibregl)

/** state → colour: grey before the township answers, warm while a violation is open, green when done */
/** @type {Record<string, string>} */
const STATE_COLOURS = {
  issued: '#8f959e', dispatched: '#3370ff', reported: '#ff8800', judged: '#a14fd9',
  rectifying: '#f54a45', rectified: '#c9a400', accepted: '#52c41a', closed: '#237804',
}
const TOKEN_KEY = 'weipian-api-token'
const LIST_MAX = 300

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
function byId(id, type) {
  const el = document.getElementById(id)
  if (!(el instanceof type)) throw new Error(`dashboard.html: #${id} is missing or of the wrong kind`)
  return el
}

const ui = {
  tenant: byId('tenant', HTMLSelectElement),
  subtitle: byId('subtitle', HTMLElement),
  batch: byId('batch', HTMLSelectElement),
  exportTable: byId('export-table', HTMLButtonElement),
  exportTownship: byId('export-township', HTMLButtonElement),
  login: byId('login', HTMLFormElement),
  token: byId('token', HTMLInputElement),
  township: byId('f-township', HTMLSelectElement),
  state: byId('f-state', HTMLSelectElement),
  category: byId('f-category', HTMLSelectElement),
  overdue: byId('f-overdue', HTMLInputElement),
  key: byId('f-key', HTMLInputElement),
  count: byId('count', HTMLElement),
  legend: byId('legend', HTMLElement),
  stateChart: /** @type {SVGSVGElement} */ (/** @type {unknown} */ (document.getElementById('state-chart'))),
  ratioChart: /** @type {SVGSVGElement} */ (/** @type {unknown} */ (document.getElementById('ratio-chart'))),
  lineNote: byId('line-note', HTMLElement),
  townships: byId('townships', HTMLElement),
  patches: byId('patches', HTMLElement),
  listNote: byId('list-note', HTMLElement),
  patch: byId('patch', HTMLElement),
  patchTitle: byId('patch-title', HTMLElement),
  patchBody: byId('patch-body', HTMLElement),
  patchDossier: byId('patch-dossier', HTMLButtonElement),
  patchClose: byId('patch-close', HTMLButtonElement),
  status: byId('status', HTMLElement),
}

/** @type {{ tenant: string, summary: Summary | null, patches: Patches | null, open: PatchPage | null, map: import('maplibre-gl').Map | null }} */
const state = { tenant: '', summary: null, patches: null, open: null, map: null }

/** @typedef {Node | string | null | undefined | false} Child */
/**
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
  for (const c of children) if (c !== undefined && c !== null && c !== false) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
  return el
}

/** @param {string} [text] @param {boolean} [isError] */
function setStatus(text, isError) {
  ui.status.textContent = text || ''
  ui.status.className = 'status' + (isError ? ' error' : '')
}

class NeedsToken extends Error {}

/** @returns {HeadersInit} */
function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY)
  return token ? { authorization: `Bearer ${token}` } : {}
}

/**
 * GET from the API with the token when one was given; a 401/403 asks for it.
 * @param {string} path
 * @returns {Promise<Response>}
 */
async function get(path) {
  const res = await fetch(path, { headers: authHeaders() })
  if (res.status === 401 || res.status === 403) {
    ui.login.hidden = false
    throw new NeedsToken('需要 API 令牌')
  }
  return res
}

/**
 * @param {string} path
 * @returns {Promise<any>}
 */
async function getJson(path) {
  const res = await get(path)
  const data = await res.json().catch(() => null)
  if (!res.ok) throw new Error((data && data.error && (data.error.message || data.error)) || `请求失败（${res.status}）`)
  return data
}

/**
 * Downloads an export (with the token) and hands it to the browser as a file; a refusal is shown in full.
 * @param {string} path
 * @param {string} what
 */
async function download(path, what) {
  setStatus(`正在生成${what}……`)
  try {
    const res = await get(path)
    if (!res.ok) {
      const data = await res.json().catch(() => null)
      const e = data && data.error
      setStatus(e ? `${e.message}${e.fix ? `\n处理办法：${e.fix}` : ''}` : `导出失败（${res.status}）`, true)
      return
    }
    const disposition = res.headers.get('content-disposition') || ''
    const m = /filename\*=UTF-8''([^;]+)/.exec(disposition)
    const name = m ? decodeURIComponent(m[1] || '') : 'export'
    const url = URL.createObjectURL(await res.blob())
    const a = h('a', { href: url, download: name })
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    setStatus(`已下载 ${name}`)
  } catch (e) {
    if (!(e instanceof NeedsToken)) setStatus(String(e instanceof Error ? e.message : e), true)
  }
}

const pct = (/** @type {number} */ r) => `${(r * 100).toFixed(1)}%`
const mu = (/** @type {number} */ n) => `${Math.round(n * 100) / 100}亩`

// ── charts: SVG bars, drawn from the server's figures ──

const SVG = 'http://www.w3.org/2000/svg'
/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {string} [text]
 */
function s(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag)
  for (const k in attrs) el.setAttribute(k, String(attrs[k]))
  if (text !== undefined) el.textContent = text
  return el
}

/**
 * Horizontal bars with a label on the left and the value on the right; `mark` draws a vertical line (the 问责 line).
 * @param {SVGSVGElement} svg
 * @param {Array<{ label: string, value: number, text: string, colour: string, hit?: boolean }>} bars
 * @param {number} max
 * @param {number} [mark]
 */
function barChart(svg, bars, max, mark) {
  const rowH = 22, left = 84, right = 96, width = 336
  svg.replaceChildren()
  svg.setAttribute('viewBox', `0 0 ${width} ${Math.max(1, bars.length) * rowH + 6}`)
  const span = width - left - right
  bars.forEach((b, i) => {
    const y = i * rowH + 3
    const w = max > 0 ? Math.max(1, (b.value / max) * span) : 1
    svg.appendChild(s('text', { x: left - 6, y: y + 14, 'text-anchor': 'end', 'font-size': 12, fill: '#1f2329' }, b.label))
    svg.appendChild(s('rect', { x: left, y, width: w, height: rowH - 6, rx: 3, fill: b.colour }))
    svg.appendChild(s('text', { x: left + w + 4, y: y + 14, 'font-size': 12, fill: b.hit ? '#f54a45' : '#646a73' }, b.text))
  })
  if (mark !== undefined && max > 0) {
    const x = left + Math.min(1, mark / max) * span
    svg.appendChild(s('line', { x1: x, x2: x, y1: 0, y2: bars.length * rowH + 6, stroke: '#f54a45', 'stroke-dasharray': '4 3' }))
  }
}

/** @param {Summary} sum */
function drawCharts(sum) {
  const states = sum.states.map((x) => ({ label: x.label, value: sum.county.byState[x.state] || 0, colour: STATE_COLOURS[x.state] || '#999' }))
  barChart(ui.stateChart, states.map((b) => ({ ...b, text: String(b.value) })), Math.max(1, ...states.map((b) => b.value)))
  const line = sum.line.township
  ui.lineNote.textContent = `虚线为问责线 ${line.minMu}亩且${pct(line.minRatio)}`
  const ratios = sum.townships.map((t) => ({ label: t.name.replace(/(苗族|瑶族)?(镇|乡)$/, ''), value: t.ratio, text: `${pct(t.ratio)} · ${mu(t.illegalMu)}`, colour: t.triggered ? '#f54a45' : '#3370ff', hit: t.triggered }))
  barChart(ui.ratioChart, ratios, Math.max(line.minRatio * 1.5, ...ratios.map((r) => r.value)), line.minRatio)
}

// ── the township table ──

/** @param {Summary} sum */
function drawTownships(sum) {
  /** @param {import('../data.js').TownshipLine | Summary['county']} t @param {boolean} [bold] */
  const row = (t, bold) => {
    const by = t.byState
    const n = (/** @type {Array<keyof typeof by>} */ ks) => String(ks.reduce((a, k) => a + (by[k] || 0), 0))
    return h('tr', { class: t.triggered ? 'hit' : null, 'data-testid': 'township-row' },
      h('td', { text: t.name, class: bold ? 'warn' : null }),
      h('td', { class: 'num', text: String(t.total) }),
      h('td', { class: 'num', text: n(['issued', 'dispatched']) }),
      h('td', { class: 'num', text: n(['reported']) }),
      h('td', { class: 'num', text: n(['judged', 'rectifying', 'rectified']) }),
      h('td', { class: 'num', text: n(['accepted', 'closed']) }),
      h('td', { class: 'num', text: mu(t.illegalMu) }),
      h('td', { class: 'num', text: mu(t.totalMu) }),
      h('td', { class: 'num' + (t.triggered ? ' warn' : ''), text: `${pct(t.ratio)}${t.triggered ? ' ⚠' : ''}` }),
      h('td', { class: 'num' + (t.overdue ? ' warn' : ''), text: String(t.overdue) }))
  }
  ui.townships.replaceChildren(...sum.townships.map((t) => row(t)), row({ ...sum.county, name: `${sum.county.name}合计` }))
}

// ── filters, map and list ──

function filters() {
  return { township: ui.township.value, state: ui.state.value, category: ui.category.value, overdue: ui.overdue.checked, key: ui.key.checked }
}

/** @param {Props} p */
function matches(p) {
  const f = filters()
  return (!f.township || p.township === f.township) && (!f.state || p.state === f.state) && (!f.category || p.category === f.category) &&
    (!f.overdue || p.overdue) && (!f.key || p.key)
}

/** The same filter as a MapLibre expression over the features' properties. */
function mapFilter() {
  const f = filters()
  /** @type {any[]} */
  const all = ['all']
  if (f.township) all.push(['==', ['get', 'township'], f.township])
  if (f.state) all.push(['==', ['get', 'state'], f.state])
  if (f.category) all.push(['==', ['get', 'category'], f.category])
  if (f.overdue) all.push(['==', ['get', 'overdue'], true])
  if (f.key) all.push(['==', ['get', 'key'], true])
  return /** @type {import('maplibre-gl').FilterSpecification} */ (all)
}

function applyFilters() {
  if (!state.patches) return
  const shown = state.patches.features.filter((f) => matches(f.properties))
  ui.count.textContent = `显示 ${shown.length} / ${state.patches.features.length} 个图斑`
  ui.exportTownship.disabled = !ui.township.value
  if (state.map && state.map.getLayer('patch-fill')) {
    for (const layer of ['patch-fill', 'patch-line', 'patch-dot']) state.map.setFilter(layer, mapFilter())
  }
  ui.listNote.textContent = shown.length > LIST_MAX ? `（前 ${LIST_MAX} 个，共 ${shown.length} 个；用筛选缩小范围）` : `（${shown.length} 个）`
  ui.patches.replaceChildren(...shown.slice(0, LIST_MAX).map((f) => {
    const p = f.properties
    return h('tr', { 'data-testid': 'patch-row', 'data-number': p.number },
      h('td', null, h('a', { text: p.number, onclick: () => openPatch(p.id) })),
      h('td', { text: p.township }), h('td', { text: p.category }),
      h('td', { class: 'num', text: String(p.areaMu) }), h('td', { class: 'num', text: String(p.farmlandMu) }),
      h('td', null, h('span', { text: p.stateLabel, style: `color:${STATE_COLOURS[p.state] || '#333'}` })),
      h('td', { class: 'warn', text: [p.overdue ? '逾期' : '', p.key ? '重点' : '', p.military ? '军用' : ''].filter(Boolean).join(' ') }))
  }))
}

/** @param {Patches} data @returns {[number, number, number, number] | null} */
function bounds(data) {
  let b = /** @type {[number, number, number, number]} */ ([Infinity, Infinity, -Infinity, -Infinity])
  for (const f of data.features) {
    const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat()
    for (const ring of rings) for (const [x, y] of ring) {
      if (x === undefined || y === undefined) continue
      b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)]
    }
  }
  return Number.isFinite(b[0]) ? b : null
}

/**
 * The map, made at once with no data: the library and its worker start while the data is on its way.
 * @returns {Promise<import('maplibre-gl').Map>} once it has loaded
 */
function makeMap() {
  const map = new maplibregl.Map({
    container: 'map',
    // vector layers only: no basemap tiles from outside (the county's machines have no internet)
    style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef1ec' } }] },
    center: [110.6, 26.0], zoom: 9, attributionControl: false,
  })
  state.map = map
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }))
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }))
  for (const layer of ['patch-fill', 'patch-dot']) {
    map.on('click', layer, (e) => {
      const id = e.features && e.features[0] && e.features[0].properties && e.features[0].properties.id
      if (typeof id === 'number') openPatch(id)
    })
    map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer' })
    map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = '' })
  }
  return new Promise((resolve) => map.on('load', () => resolve(map)))
}

/** @param {import('maplibre-gl').Map} map @param {Patches} patches @param {any} townships */
function drawMap(map, patches, townships) {
  const colour = /** @type {any} */ (['match', ['get', 'state'], ...Object.entries(STATE_COLOURS).flat(), '#999'])
  for (const id of ['patch-dot', 'patch-line', 'patch-fill', 'township-line', 'township-fill']) if (map.getLayer(id)) map.removeLayer(id)
  for (const id of ['patch-dots', 'patches', 'townships']) if (map.getSource(id)) map.removeSource(id)
  const box = bounds(patches)
  if (box) map.fitBounds(box, { padding: 24, animate: false })
  map.addSource('townships', { type: 'geojson', data: townships })
  map.addLayer({ id: 'township-fill', type: 'fill', source: 'townships', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.5 } })
  map.addLayer({ id: 'township-line', type: 'line', source: 'townships', paint: { 'line-color': '#7a7a7a', 'line-width': 1.2, 'line-dasharray': [3, 2] } })
  map.addSource('patches', { type: 'geojson', data: patches })
  map.addLayer({ id: 'patch-fill', type: 'fill', source: 'patches', paint: { 'fill-color': colour, 'fill-opacity': 0.7 } })
  map.addLayer({ id: 'patch-line', type: 'line', source: 'patches', paint: { 'line-color': colour, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.5, 14, 2.5] } })
  // a patch is a few hundred metres across: at county scale a dot at its centroid shows where it is
  const dots = { type: 'FeatureCollection', features: patches.features.filter((f) => f.properties.lon !== null).map((f) => ({ type: 'Feature', properties: f.properties, geometry: { type: 'Point', coordinates: [f.properties.lon, f.properties.lat] } })) }
  map.addSource('patch-dots', { type: 'geojson', data: /** @type {any} */ (dots) })
  map.addLayer({ id: 'patch-dot', type: 'circle', source: 'patch-dots', maxzoom: 14, paint: { 'circle-color': colour, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3, 13, 6], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1, 'circle-opacity': 0.9 } })
  applyFilters()
  // first paint with every patch drawn: what the browser test and the benchmark wait for
  map.once('idle', () => {
    document.body.dataset.mapPainted = String(Math.round(performance.now()))
  })
  ui.legend.replaceChildren(...(state.summary ? state.summary.states : []).map((x) => h('span', null, h('i', { style: `background:${STATE_COLOURS[x.state]}` }), x.label)))
}

// ── the patch page ──

/** @param {number} id */
async function openPatch(id) {
  try {
    /** @type {PatchPage} */
    const p = await getJson(`/api/dashboard/patches/${id}`)
    state.open = p
    ui.patchTitle.textContent = `图斑 ${p.number} · ${p.summary.state}`
    const section = (/** @type {string} */ title, /** @type {Child[]} */ ...content) => h('section', null, h('h3', { text: title }), ...content)
    ui.patchBody.replaceChildren(
      section('基本情况', h('dl', { class: 'facts' }, ...p.facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]))),
      section('核查与判定',
        h('p', { text: `乡镇上报：${p.summary.proposal || '尚未上报'}` }),
        h('p', { text: `县级判定：${p.summary.judgment || '尚未判定'}` }),
        ...p.summary.measures.map((m) => h('p', { text: `整改：${m}` }))),
      section('期限', p.summary.deadlines.length
        ? h('ul', { 'data-testid': 'deadlines' }, ...p.summary.deadlines.map((d) => h('li', { class: d.overdue ? 'warn' : null, text: `${d.label}：${d.dueText}${d.overdue ? '（已逾期）' : ''}` })))
        : h('p', { text: '当前没有未完成的期限。' })),
      section('位置图', h('img', { class: 'map-img', src: p.mapUrl, alt: `图斑 ${p.number} 位置图`, 'data-testid': 'patch-map' })),
      section(`办理记录（${p.events.length}条，哈希链${p.chain.ok ? '完好' : '有问题'}）`,
        h('ol', { class: 'timeline', 'data-testid': 'timeline' }, ...p.events.map((e) => h('li', null, h('time', { text: e.at }), `${e.label} · ${e.who}`))),
        ...p.chain.problems.map((x) => h('p', { class: 'warn', text: x }))),
      section(`现场照片（${p.photos.length}张）`, p.photos.length
        ? h('div', { class: 'photos', 'data-testid': 'photos' }, ...p.photos.map((ph) => h('figure', { class: 'photo' + (ph.flags ? ' flagged' : ''), 'data-testid': 'photo' },
          h('img', { src: ph.url, alt: ph.file, loading: 'lazy' }),
          h('p', { text: `拍摄：${ph.takenAt || '无EXIF时间'}` }),
          h('p', { text: ph.lon !== null && ph.lat !== null ? `GPS：${ph.lon.toFixed(6)}, ${ph.lat.toFixed(6)}${ph.distanceM !== null ? `，距图斑${ph.distanceM}米` : ''}` : '无GPS信息' }),
          h('p', { text: `${ph.from} · 收到 ${ph.receivedAt}${ph.camera ? ` · ${ph.camera}` : ''}` }),
          ph.flags ? h('p', { class: 'warn', text: `存疑：${ph.flags}` }) : null)))
        : h('p', { text: '暂无现场照片。' })),
      section(`处理材料（${p.documents.length}份）`, ...p.documents.map((d) => h('p', null, h('a', { text: `${d.title}（${d.state}）`, onclick: () => download(d.url, d.title) })))),
    )
    ui.patch.hidden = false
  } catch (e) {
    if (!(e instanceof NeedsToken)) setStatus(String(e instanceof Error ? e.message : e), true)
  }
}

// ── loading ──

/** @param {HTMLSelectElement} select @param {Array<[string, string]>} options */
function fillSelect(select, options) {
  const first = select.options[0]
  select.replaceChildren(...(first ? [first] : []), ...options.map(([value, label]) => h('option', { value, text: label })))
}

/** @type {Promise<import('maplibre-gl').Map> | null} */
let mapLoaded = null

async function loadTenant() {
  state.tenant = ui.tenant.value
  const t = encodeURIComponent(state.tenant)
  mapLoaded = mapLoaded || makeMap()
  const [summary, patches, townships, map] = await Promise.all([
    getJson(`/api/dashboard/${t}/summary`), getJson(`/api/dashboard/${t}/patches.geojson`), getJson(`/api/dashboard/${t}/townships.geojson`), mapLoaded,
  ])
  state.summary = /** @type {Summary} */ (summary)
  state.patches = /** @type {Patches} */ (patches)
  const sum = state.summary
  ui.subtitle.textContent = `${sum.tenant.name} · ${sum.today}`
  fillSelect(ui.township, sum.townships.map((x) => [x.name, x.name]))
  fillSelect(ui.state, sum.states.map((x) => [x.state, x.label]))
  fillSelect(ui.category, sum.categories.map((c) => [c, c]))
  fillSelect(ui.batch, sum.batches.map((b) => [b, b]))
  drawCharts(sum)
  drawTownships(sum)
  drawMap(map, state.patches, townships)
  applyFilters()
}

async function start() {
  try {
    const tenants = /** @type {Array<{ code: string, name: string }>} */ (await getJson('/api/dashboard/tenants'))
    ui.login.hidden = true
    ui.tenant.replaceChildren(...tenants.map((t) => h('option', { value: t.code, text: `${t.name}（${t.code}）` })))
    if (tenants.length === 0) return setStatus('还没有县的数据：先运行 npm run cli -- county add 县代码 并导入图斑。', true)
    await loadTenant()
    document.body.dataset.ready = 'true'
  } catch (e) {
    if (!(e instanceof NeedsToken)) setStatus(String(e instanceof Error ? e.message : e), true)
  }
}

for (const el of [ui.township, ui.state, ui.category, ui.overdue, ui.key]) el.addEventListener('change', applyFilters)
ui.tenant.addEventListener('change', () => { loadTenant().catch((e) => setStatus(String(e), true)) })
ui.exportTable.addEventListener('click', () => {
  const batch = ui.batch.value
  download(`/api/exports/${encodeURIComponent(state.tenant)}/table.xlsx${batch ? `?batch=${encodeURIComponent(batch)}` : ''}`, '填报表')
})
ui.exportTownship.addEventListener('click', () => {
  if (ui.township.value) download(`/api/exports/${encodeURIComponent(state.tenant)}/dossiers?township=${encodeURIComponent(ui.township.value)}`, `${ui.township.value}的卷宗`)
})
ui.patchDossier.addEventListener('click', () => { if (state.open) download(state.open.dossierUrl, `图斑 ${state.open.number} 的卷宗`) })
ui.patchClose.addEventListener('click', () => { ui.patch.hidden = true; state.open = null })
ui.login.addEventListener('submit', (e) => {
  e.preventDefault()
  sessionStorage.setItem(TOKEN_KEY, ui.token.value.trim())
  start()
})
start()
