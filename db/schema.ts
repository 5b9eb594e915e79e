import type * as GeoJSON from 'geojson'
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely'
import type { LayerKind as CoreLayerKind } from '../core/layer-kinds.js'
import type { DepartmentTrigger, Judgment, PatchSnapshot, PatchState, ProposalRecord, RectificationRecord } from '../core/index.js'
import type { DocumentContent, InboundKind, OutboxPayload, StoredInbound } from './payloads.js'

/** JSON text of a T (made by `json()`), so a write is checked against the column's type. */
export type JsonText<T> = string & { readonly __json?: T }
/** JSON columns: written as JSON text (see `json()`), read back parsed. */
export type Json<T> = ColumnType<T, JsonText<T>, JsonText<T>>

/** A database or a transaction in it: query functions take either, and the caller chooses. */
export type Queryable = Kysely<Database> | Transaction<Database>

/** The lifecycle fields of core's snapshot that have no column of their own. */
export const LIFECYCLE_KEYS = ['judgedOn', 'judgedAt', 'remedied', 'photosAtJudgment', 'plannedMeasure', 'caseRecord', 'rectifiedOn', 'closedOn'] as const
export type PatchLifecycle = Partial<Pick<PatchSnapshot, (typeof LIFECYCLE_KEYS)[number]>>
/** Calendar dates are kept as 'YYYY-MM-DD' strings in China time: no driver turns them into Dates. */
export type DateString = string
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export type Role = 'official' | 'staff' | 'leader' | 'admin'
export type ChatKind = 'township' | 'office' | 'leader' | 'direct'
export type PatchKind = 'land' | 'mineral'
/** The protection layers (overlay areas of every patch) and the zones the department routing needs. */
export type LayerKind = CoreLayerKind
export type TownshipChange = 'added' | 'renamed' | 'removed' | 'boundary'
export type InboundStatus = 'received' | 'handled' | 'failed'
export type OutboxStatus = 'pending' | 'sent' | 'dead'
export type DocumentKind = 'bulletin' | 'warning_letter' | 'supervision_letter'
export type DocumentState = 'draft' | 'approved' | 'returned' | 'sent' | 'discarded'
export type BBox = [number, number, number, number]

export interface TenantTable {
  id: Generated<number>
  code: string // county code, e.g. 450329
  name: string
  policy_overrides: Json<Record<string, unknown>>
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** a county, or a city (4503) / province (45) whose counties are the tenants under its code */
  level: Generated<TenantLevel>
}
export type TenantLevel = 'county' | 'city' | 'province'

/** Kept by triggers on patches (migration 0014): facts per township and issue month, for core/counter-figures.ts. */
export interface PatchCounterTable {
  tenant_id: number
  township_id: number
  issued_month: string
  state: string
  kind: string
  military: boolean
  judgment_kind: string
  land_use: string
  measure: string
  rect_complete: boolean
  city_required: string
  city_flag: boolean
  city_passed: boolean
  has_remedied: boolean
  n: ColumnType<string | number, number, number>
  farmland_units: ColumnType<string | number, number, number>
  basic_units: ColumnType<string | number, number, number>
  general_units: ColumnType<string | number, number, number>
  area_units: ColumnType<string | number, number, number>
  deduct_demolished_units: ColumnType<string | number, number, number>
  deduct_permitted_units: ColumnType<string | number, number, number>
  demolished_area_units: ColumnType<string | number, number, number>
  permitted_area_units: ColumnType<string | number, number, number>
  left_area_units: ColumnType<string | number, number, number>
}

/** One open step of a patch (its `due` map), kept by triggers on patches. */
export interface PatchDueTable {
  patch_id: number
  tenant_id: number
  township_id: number | null
  military: boolean
  issued_on: DateString
  step: string
  due: DateString
}

/** A county's own Feishu app or WeCom bot; the secret AES-256-GCM encrypted (app/credentials-key). */
export interface TenantCredentialTable {
  tenant_id: number
  platform: 'feishu' | 'wecom'
  app_id: string
  /** AES-256-GCM: base64 of iv (12) · tag (16) · ciphertext */
  secret: string
  /** Feishu only: the Open API base when not the deployment's */
  domain: string | null
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface TownshipTable {
  id: Generated<number>
  tenant_id: number
  code: string // 9-digit township code
  name: string
  boundary: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon> | null
}

export interface ChatTable {
  id: Generated<number>
  tenant_id: number
  platform: string // console | feishu | wecom | wecom-robot | wechaty
  platform_chat_id: string
  kind: ChatKind
  township_id: number | null
  name: string
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** A WeCom group robot's key, for the chat (platform 'wecom-robot') named by its digest. */
export interface WebhookRobotTable {
  chat_id: string
  key: string
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface PersonTable {
  id: Generated<number>
  tenant_id: number
  platform: string
  platform_user_id: string
  name: string
  role: Role
  township_id: number | null
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface BatchTable {
  id: Generated<number>
  tenant_id: number
  label: string // e.g. 2026年七月一批
  period: string | null // e.g. 2026-Q3
  issued_on: DateString
  source_file: string
  source_sha256: string
  counts: Json<{ rows: number; imported: number; rejected: number }>
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface PatchTable {
  id: Generated<number>
  tenant_id: number
  batch_id: number | null
  number: string // 图斑编号 / 监测编号, unique per tenant
  kind: PatchKind
  category: string // 图斑类型, e.g. 新增非农建设类
  township_id: number | null
  geometry: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon> | null
  min_lon: number | null
  min_lat: number | null
  max_lon: number | null
  max_lat: number | null
  centroid_lon: number | null
  centroid_lat: number | null
  area_mu: number // computed from the geometry (or declared when there is none)
  declared_area_mu: number | null
  farmland_mu: Generated<number> // 耕地
  basic_farmland_mu: Generated<number> // 永久基本农田
  red_line_mu: Generated<number> // 生态保护红线
  military: Generated<boolean>
  attributes: Json<Record<string, unknown>> // every raw attribute, as imported
  state: PatchState
  proposal: Json<ProposalRecord> | null
  judgment: Json<Judgment> | null
  rectification: Json<RectificationRecord> | null
  flags: Json<string[]>
  due: Json<Record<string, string>>
  lifecycle: ColumnType<PatchLifecycle, JsonText<PatchLifecycle> | undefined, JsonText<PatchLifecycle>> // judgedOn, closedOn …: the rest of core's snapshot
  issued_on: DateString
  received_on: DateString | null
  version: Generated<number>
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** routing zones the patch lies in (002:46-60), from the zone layers; migration 0010 */
  zones: ColumnType<DepartmentTrigger[], JsonText<DepartmentTrigger[]> | undefined, JsonText<DepartmentTrigger[]>>
}

export interface PatchEventTable {
  id: Generated<number>
  patch_id: number
  seq: number // 1, 2, 3 … per patch
  type: string
  at: Timestamp
  actor: string
  data: Json<Record<string, unknown>>
  inbound_id: number | null
  prev_hash: string // hash of event seq-1 ('' for the first)
  hash: string // sha256 over prev_hash and this event's content
  /** position in the tenant's running head over all its events (db/chain.ts) */
  chain_seq: ColumnType<number | null, number | null | undefined, number | null>
}

/** A tenant's running head over all its events, kept apart from them (db/chain.ts). */
export interface EventChainTable {
  tenant_id: number
  events: number
  head: string
  /** chain position where HMAC keying began (null: plain sha256 throughout) */
  keyed_at: number | null
  key_check: string | null
  updated_at: Timestamp
}

export interface EvidenceTable {
  id: Generated<number>
  patch_id: number
  kind: 'photo' | 'location' | 'document' | 'field_check'
  sha256: string
  bytes: Uint8Array | null
  storage_key: string | null
  mime: string | null
  taken_at: Timestamp | null
  lon: number | null // WGS84 / CGCS2000
  lat: number | null
  distance_m: number | null // from the patch polygon
  flags: Json<string[]>
  person_id: number | null
  inbound_id: number | null
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface InboundMessageTable {
  id: Generated<number>
  platform: string
  message_id: string // platform message id or event id
  chat_id: string
  sender_id: string
  kind: InboundKind
  payload: Json<StoredInbound>
  received_at: Timestamp
  status: InboundStatus
  attempts: Generated<number>
  error: string | null
  error_code: string | null // core/errors.ts: AppError's code, or 'unexpected'
  handled_at: Timestamp | null
}

export interface OutboxTable {
  id: Generated<number>
  tenant_id: number | null
  idempotency_key: string
  platform: string
  target: string // platform chat id
  reply_to: string | null
  kind: OutboxPayload['kind']
  payload: Json<OutboxPayload>
  patch_id: number | null
  status: Generated<OutboxStatus>
  attempts: Generated<number>
  next_attempt_at: Timestamp
  last_error: string | null
  last_error_code: string | null
  sent_id: string | null
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  sent_at: Timestamp | null
  /** the sender process holding the claim (its application_name), while its lease runs */
  lease_holder: Generated<string | null>
  /** random, made with the row: part of the key a platform sees (delivery/keys.ts platformKey) */
  nonce: Generated<string>
}

export interface JobRunTable {
  id: Generated<number>
  tenant_id: number
  job: string
  period: string // e.g. 2026-11 or 2026-11-23
  started_at: Timestamp
  finished_at: Timestamp | null
  note: string | null
}

export interface DocumentTable {
  id: Generated<number>
  tenant_id: number
  kind: DocumentKind
  period: string | null
  township_id: number | null
  title: string
  content: Json<DocumentContent>
  file: Uint8Array | null
  state: DocumentState
  decided_by: number | null
  decided_at: Timestamp | null
  reason: string | null
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ProtectionAreaTable {
  id: Generated<number>
  tenant_id: number
  layer: LayerKind
  geometry: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon>
  min_lon: number
  min_lat: number
  max_lon: number
  max_lat: number
  attributes: Json<Record<string, unknown>>
  layer_id: number | null // the imported version it came with (null: loaded before versions)
}

/** Every change of a county's township list, kept: codes and names change between editions. */
export interface TownshipChangeTable {
  id: Generated<number>
  tenant_id: number
  township_id: number | null
  change: TownshipChange
  code: string
  name: string
  old_code: string | null
  old_name: string | null
  source: string // e.g. the division-code edition, 'cli', a file name
  at: Timestamp
}

/** A one-time code (`admin invite`) that makes whoever sends `认领 <code>` an admin or staff member. */
export interface InviteTable {
  id: Generated<number>
  tenant_id: number
  code_hash: string // sha256 of the code: the code itself is never stored
  role: 'admin' | 'staff'
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  expires_at: Timestamp
  used_at: Timestamp | null
  person_id: number | null
}

/** One imported version of an overlay layer; a later import of the kind replaces it. */
export interface LayerTable {
  id: Generated<number>
  tenant_id: number
  kind: LayerKind
  version: number
  source_file: string
  source_sha256: string
  features: number
  area_mu: number
  imported_at: Timestamp
  replaced_at: Timestamp | null
}

export interface Database {
  tenants: TenantTable
  townships: TownshipTable
  chats: ChatTable
  people: PersonTable
  batches: BatchTable
  patches: PatchTable
  patch_events: PatchEventTable
  evidence: EvidenceTable
  inbound_messages: InboundMessageTable
  outbox: OutboxTable
  job_runs: JobRunTable
  documents: DocumentTable
  protection_areas: ProtectionAreaTable
  township_changes: TownshipChangeTable
  invites: InviteTable
  layers: LayerTable
  webhook_robots: WebhookRobotTable
  deployment: DeploymentTable
  event_chains: EventChainTable
  county_records: CountyRecordTable
  document_approvers: DocumentApproverTable
  patch_counters: PatchCounterTable
  patch_dues: PatchDueTable
  tenant_credentials: TenantCredentialTable
}

// --- issue 12 points 12-14 (migration 0010) ---
export type CountyRecordKind = 'talk' | 'accountability' | 'handover' | 'finding' | 'bulletin'

/** 约谈 / 问责 held, 移交 to a department, a 弄虚作假/瞒案不报 finding: the county's records. */
export interface CountyRecordTable {
  id: Generated<number>
  tenant_id: number
  kind: CountyRecordKind
  township_id: number | null
  patch_id: number | null
  department: string | null
  finding: string | null
  held_on: DateString
  due_on: DateString | null
  closed_on: DateString | null
  result: string | null
  recorded_by: number | null
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** Who approves the county's bulletins / letters: a named person, set by an administrator. */
export interface DocumentApproverTable {
  tenant_id: number
  kind: 'bulletin' | 'letters'
  person_id: number
  set_by: string
  set_at: ColumnType<Date, Date | string | undefined, Date | string>
}
export type CountyRecord = Selectable<CountyRecordTable>

/** One row: this database's random id, made once (delivery/keys.ts platformKey). */
export interface DeploymentTable {
  id: string
  created_at: ColumnType<Date, Date | string | undefined, never>
}

export type Tenant = Selectable<TenantTable>
export type Township = Selectable<TownshipTable>
export type Chat = Selectable<ChatTable>
export type Person = Selectable<PersonTable>
export type Batch = Selectable<BatchTable>
export type Patch = Selectable<PatchTable>
export type NewPatch = Insertable<PatchTable>
export type PatchUpdate = Updateable<PatchTable>
export type PatchEvent = Selectable<PatchEventTable>
export type Evidence = Selectable<EvidenceTable>
export type InboundMessage = Selectable<InboundMessageTable>
export type OutboxRow = Selectable<OutboxTable>
export type JobRun = Selectable<JobRunTable>
export type DocumentRow = Selectable<DocumentTable>
export type Invite = Selectable<InviteTable>
export type Layer = Selectable<LayerTable>
