import pkg from 'gcoord'

// gcoord's typings describe an ES default export, but Node hands a CommonJS module its exports as the
// default; a bundler (the worker) may do either. Take whichever one carries `transform`.
type Gcoord = (typeof pkg)['default']
const hasTransform = (m: unknown): m is Gcoord => typeof m === 'object' && m !== null && 'transform' in m
const gcoord: Gcoord = hasTransform(pkg) ? pkg : pkg.default

/** GCJ-02 (the "Mars" datum of phone maps in China) → WGS84, which CGCS2000 matches to centimetres. */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84)
  return [x, y]
}
