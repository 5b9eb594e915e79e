import gcoordModule from 'gcoord'

// gcoord's published typings declare nothing (`export {}`); this is the part we use.
const gcoord = gcoordModule as unknown as {
  transform(input: [number, number], from: string, to: string): [number, number]
  GCJ02: string
  WGS84: string
}

/** GCJ-02 (the "Mars" datum of phone maps in China) → WGS84, which CGCS2000 matches to centimetres. */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  return gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84)
}
