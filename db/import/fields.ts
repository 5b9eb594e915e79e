// One table from the many column names of provincial systems to the fields the importer needs.
// A tenant extends it with policy_overrides.fieldAliases: { number: ['自定义编号'], … }.

export const FIELD_ALIASES = {
  number: ['图斑编号', '监测编号', 'JCBH', 'TBBH', '线索编号', 'XSBH', '图斑号', '编号', 'BH'],
  townshipCode: ['行政区代码', '行政区划代码', 'XZQDM', 'XZQHDM', '乡镇代码', 'XZDM', '乡镇街道代码'],
  townshipName: ['行政区名称', 'XZQMC', 'XMC', '乡镇名称', '乡镇', 'XZMC', '所在乡镇', '乡镇街道'],
  declaredArea: ['监测面积', 'JCMJ', '图斑面积', 'TBMJ', '面积', 'MJ'],
  farmland: ['耕地面积', 'GDMJ', 'JCGDMJ', '监测耕地面积', '占用耕地面积'],
  basicFarmland: ['永久基本农田面积', 'JBNTMJ', 'YJJBNTMJ', '基本农田面积', '占用永久基本农田面积'],
  redLine: ['生态保护红线', '生态保护红线面积', 'STBHHXMJ', 'HXMJ', '红线面积'],
  category: ['图斑类型', 'TBLX', 'JCLB', '监测类别', '图斑类别'],
  mineral: ['KCLX', '矿产类型', '矿产', '矿种', 'KZ'],
  military: ['军用', 'JYTD', '军用土地', '是否军用'],
  imageBefore: ['前时相', 'QSX'],
  imageAfter: ['后时相', 'HSX'],
  issuedOn: ['下发时间', 'XFSJ', '下发日期'],
  batchLabel: ['监测批次', '批次', 'JCPC'],
  year: ['NF', '年份', '年度'],
  quarter: ['JD', '季度'],
  centroidX: ['LZB', '中心点经度', '中心点X', 'ZXDJD', '经度', 'X', 'XZB', 'X坐标'],
  centroidY: ['BZB', '中心点纬度', '中心点Y', 'ZXDWD', '纬度', 'Y', 'YZB', 'Y坐标'],
} as const satisfies Record<string, readonly string[]>

export type Field = keyof typeof FIELD_ALIASES
export const FIELDS = Object.keys(FIELD_ALIASES) as Field[]
export type FieldAliases = Partial<Record<Field, readonly string[]>>

export const AREA_FIELDS = ['declaredArea', 'farmland', 'basicFarmland', 'redLine'] as const
export type AreaField = (typeof AREA_FIELDS)[number]
export const AREA_UNITS = ['mu', 'm2', 'ha'] as const
export type AreaUnit = (typeof AREA_UNITS)[number]
export const isAreaUnit = (s: string): s is AreaUnit => (AREA_UNITS as readonly string[]).includes(s)
export const UNIT_NAMES: Record<AreaUnit, string> = { mu: '亩', m2: '平方米', ha: '公顷' }
const TO_MU: Record<AreaUnit, number> = { mu: 1, m2: 15 / 10000, ha: 15 }

export function toMu(value: number, unit: AreaUnit): number {
  return value * TO_MU[unit]
}

/** The unit a column name spells out, e.g. "监测面积(平方米)", "JCMJ_M2", "耕地面积（亩）". */
export function unitInName(column: string): AreaUnit | null {
  if (/平方米|㎡|m²|(^|[^a-z])m2($|[^a-z])|sqm/i.test(column)) return 'm2'
  if (/公顷|hm2|hm²|(^|[^a-z])ha($|[^a-z])/i.test(column)) return 'ha'
  if (/亩/.test(column)) return 'mu'
  return null
}

/** Column name as compared with the aliases: no units, brackets, spaces; Latin upper-cased. */
export function normaliseColumn(column: string): string {
  return column
    .replace(/[（(【\[][^）)】\]]*[）)】\]]/g, '')
    .replace(/[_\-\s]*(平方米|公顷|亩|M2|HA|SQM)$/i, '')
    .replace(/[\s_\-:：]/g, '')
    .toUpperCase()
}

export interface FieldMapping {
  columns: Partial<Record<Field, string>>
  units: Partial<Record<AreaField, AreaUnit>> // only units the column names state
  unmapped: string[]
}

/** Which column holds which field; tenant aliases come before the built-in ones. */
export function mapColumns(columns: readonly string[], extra: FieldAliases = {}): FieldMapping {
  const byNorm = new Map<string, string>()
  for (const c of columns) if (!byNorm.has(normaliseColumn(c))) byNorm.set(normaliseColumn(c), c)
  const taken = new Set<string>()
  const mapping: FieldMapping = { columns: {}, units: {}, unmapped: [] }
  for (const field of FIELDS) {
    const aliases = [...(extra[field] ?? []), ...FIELD_ALIASES[field]]
    for (const alias of aliases) {
      const col = byNorm.get(normaliseColumn(alias))
      if (col !== undefined && !taken.has(col)) {
        mapping.columns[field] = col
        taken.add(col)
        break
      }
    }
  }
  for (const f of AREA_FIELDS) {
    const col = mapping.columns[f]
    const unit = col ? unitInName(col) : null
    if (unit) mapping.units[f] = unit
  }
  mapping.unmapped = columns.filter((c) => !taken.has(c))
  return mapping
}

/** Tenant aliases from policy_overrides.fieldAliases, ignoring anything malformed. */
export function aliasesFromPolicy(policy: Record<string, unknown> | null | undefined): FieldAliases {
  const raw = policy?.fieldAliases
  if (!raw || typeof raw !== 'object') return {}
  const out: Partial<Record<Field, string[]>> = {}
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(k in FIELD_ALIASES)) continue
    const list = (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s.trim() !== '')
    if (list.length) out[k as Field] = list
  }
  return out
}

export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10)
  const s = String(v).trim()
  return s === '' ? null : s
}

export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  const s = text(v)
  if (s === null) return null
  const n = Number(s.replace(/,/g, ''))
  return Number.isFinite(n) ? n : null
}

/** '2026-07-15', '2026/7/15', '2026.7.15', '20260715', '2026年7月15日' → '2026-07-15'. */
export function dateString(v: unknown): string | null {
  const s = text(v)
  if (s === null) return null
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?/.exec(s)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export function truthy(v: unknown): boolean {
  if (v === true || v === 1) return true
  const s = text(v)
  return s !== null && /^(是|Y|YES|TRUE|1|军用|军用土地|涉军)$/i.test(s)
}

/** The fields of one row through the mapping: raw values, no unit conversion yet. */
export function pick(properties: Record<string, unknown>, mapping: FieldMapping): Partial<Record<Field, unknown>> {
  const out: Partial<Record<Field, unknown>> = {}
  for (const [field, col] of Object.entries(mapping.columns) as [Field, string][]) out[field] = properties[col]
  return out
}
