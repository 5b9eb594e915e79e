import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { ChatKind, Database, Role } from '../../db/schema.js'
import type { ConsoleChannel } from './console-channel.js'
import { consolePage } from './page.js'
import { transcript } from './transcript.js'
import { createMaterialiser, patchMapPng } from '../../delivery/outbox/materialise.js'

export interface ConsoleDeps {
  db: Kysely<Database>
  console: ConsoleChannel
  now: () => Date
  /** deliver what is due now, so a POST returns with the bot's replies already in the transcript */
  flush: () => Promise<unknown>
}

/** What the page (static/console.js) and scripts POST to /console/api/messages. */
export interface PostedMessage {
  chat: string
  sender: string
  text?: string
  replyTo?: string
  photo?: string // base64
  fileName?: string
  location?: { lon: number; lat: number; datum?: 'gcj02' | 'wgs84' }
  action?: { name: string; value: Record<string, string>; label?: string }
  messageId?: string
  /** people @-mentioned in the text (their console ids), e.g. for 登记 @张三 干事 资源镇 */
  mentions?: Array<{ id: string; name: string }>
}

/** GET /console/api/directory: the console's chats and the people one can speak as. */
export interface ConsoleDirectory {
  chats: Array<{ id: string; name: string; kind: ChatKind }>
  people: Array<{ id: string; name: string; role: Role; township: string | null }>
}

/** The console channel over HTTP: the chat page, and a JSON API that tests and scripts drive. */
export function consoleRoutes(deps: ConsoleDeps): Hono {
  const app = new Hono()
  const materialise = createMaterialiser(deps.db)

  // the chat page: static files (./static), read once at start
  for (const file of [consolePage.html, consolePage.css, consolePage.js]) {
    app.get(file.path, (c) => c.body(file.body, 200, { 'content-type': file.type }))
  }
  app.get('/', (c) => c.redirect('/console'))

  app.get('/console/api/directory', async (c) => {
    const chats = await deps.db
      .selectFrom('chats')
      .select(['platform_chat_id as id', 'name', 'kind'])
      .where('platform', '=', 'console')
      .orderBy('id')
      .execute()
    const people = await deps.db
      .selectFrom('people')
      .leftJoin('townships', 'townships.id', 'people.township_id')
      .select(['people.platform_user_id as id', 'people.name', 'people.role', 'townships.name as township'])
      .where('people.platform', '=', 'console')
      .orderBy('people.id')
      .execute()
    const directory: ConsoleDirectory = { chats, people }
    return c.json(directory)
  })

  app.get('/console/api/chats/:chat/messages', async (c) => c.json(await transcript(deps.db, c.req.param('chat'))))

  app.post('/console/api/messages', async (c) => {
    let body: PostedMessage
    try {
      body = await c.req.json<PostedMessage>()
    } catch {
      return c.json({ error: '请求体不是有效的 JSON' }, 400)
    }
    if (!body.chat || !body.sender) return c.json({ error: '缺少 chat 或 sender' }, 400)
    const kind = body.action ? 'card_action' : body.photo ? 'image' : body.location ? 'location' : 'text'
    if (kind === 'text' && !body.text?.trim()) return c.json({ error: '消息内容为空' }, 400)
    const messageId = await deps.console.receive({
      chatId: body.chat,
      senderId: body.sender,
      kind,
      at: deps.now(),
      ...(body.messageId ? { messageId: body.messageId } : {}),
      ...(body.text ? { text: body.text } : {}),
      ...(body.replyTo ? { replyTo: body.replyTo } : {}),
      ...(body.action ? { action: { name: String(body.action.name), value: body.action.value ?? {}, ...(typeof body.action.label === 'string' ? { label: body.action.label.slice(0, 40) } : {}) } } : {}),
      ...(Array.isArray(body.mentions) && body.mentions.length
        ? { mentions: body.mentions.filter((m) => m && typeof m.id === 'string').map((m) => ({ id: m.id, name: String(m.name ?? m.id) })) }
        : {}),
      ...(body.photo ? { media: { handle: `base64:${body.photo}`, fileName: body.fileName ?? 'photo.jpg', mime: 'image/jpeg' } } : {}),
      ...(body.location ? { location: { lon: body.location.lon, lat: body.location.lat, datum: body.location.datum ?? 'gcj02' } } : {}),
    })
    await deps.flush()
    return c.json({ messageId })
  })

  // what the bot sent as a picture (the digest's chart) or a file (a .docx draft), as the channel got it
  app.get('/console/api/outbox/:id/image.png', async (c) => {
    const id = rowId(c.req.param('id'))
    if (id === undefined) return c.text('没有这张图', 404)
    const row = await deps.db.selectFrom('outbox').selectAll().where('id', '=', id).where('kind', '=', 'image').executeTakeFirst()
    if (!row) return c.text('没有这张图', 404)
    const out = await materialise(row.payload, row)
    if (out.kind !== 'image') return c.text('没有这张图', 404)
    return c.body(out.png as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/png' })
  })

  app.get('/console/api/documents/:id/file', async (c) => {
    const id = rowId(c.req.param('id'))
    const out = id === undefined ? undefined : await materialise({ kind: 'file', documentId: id }).catch(() => undefined)
    if (!out || out.kind !== 'file') return c.text('没有这份文件', 404)
    return c.body(out.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': out.mime,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(out.fileName)}`,
    })
  })

  app.get('/console/api/patches/:id/map.png', async (c) => {
    const id = rowId(c.req.param('id'))
    if (id === undefined) return c.text('图斑编号无效', 404)
    const png = await patchMapPng(deps.db, id)
    if (!png) return c.text('该图斑没有图形', 404)
    return c.body(png as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' })
  })

  return app
}

/** A row id from a URL: a positive integer column value, or nothing (a 404, not a database error). */
function rowId(param: string): number | undefined {
  return /^\d{1,9}$/.test(param) ? Number(param) : undefined
}
