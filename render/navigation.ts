// Navigation to a patch from the phone: 高德 and 百度 map links to its centroid. Phone map apps in
// China take GCJ-02 (offset by hundreds of metres from CGCS2000): the point is converted first.
import pkg from 'gcoord'
import { coordinateText } from './map-frame.js'

// gcoord's typings describe an ES default export, but Node hands a CommonJS module its exports as
// the default; a bundler (the worker) may do either (as bot/pipeline/datum.ts)
type Gcoord = (typeof pkg)['default']
const hasTransform = (m: unknown): m is Gcoord => typeof m === 'object' && m !== null && 'transform' in m
const gcoord: Gcoord = hasTransform(pkg) ? pkg : pkg.default

/** CGCS2000 (≈ WGS84 to centimetres) → GCJ-02. */
export function toGcj02(lon: number, lat: number): [number, number] {
  const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02)
  return [x, y]
}

const six = (v: number) => v.toFixed(6)

export function navigationLinks([lon, lat]: [number, number], name: string): Array<{ label: string; url: string }> {
  const [glon, glat] = toGcj02(lon, lat)
  const n = encodeURIComponent(name)
  return [
    { label: '高德地图导航', url: `https://uri.amap.com/marker?position=${six(glon)},${six(glat)}&name=${n}&coordinate=gaode&callnative=1&src=weipian-bot` },
    { label: '百度地图导航', url: `https://api.map.baidu.com/marker?location=${six(glat)},${six(glon)}&title=${n}&content=${n}&coord_type=gcj02&output=html&src=weipian-bot` },
  ]
}

/** The card's coordinates line: CGCS2000 degrees and minutes, then decimal degrees to copy. */
export function coordinateField([lon, lat]: [number, number]): string {
  return `${coordinateText([lon, lat])}（CGCS2000，${lon.toFixed(6)}, ${lat.toFixed(6)}）`
}
