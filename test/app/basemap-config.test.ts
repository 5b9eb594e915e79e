// BASEMAP_*: a tile URL that cannot work stops the start with how to write it; the key never shows.
import { describe, expect, it } from 'vitest'
import { basemapConfigFromEnv } from '../../app/config.js'

const TDT = 'https://t{s}.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=img&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=SECRETKEY'

describe('BASEMAP_URL', () => {
  it('is optional', () => {
    expect(basemapConfigFromEnv({})).toBeUndefined()
    expect(basemapConfigFromEnv({ BASEMAP_URL: '  ' })).toBeUndefined()
  })
  it('takes the template, the subdomains and the timeout; the default credit names the host, not the key', () => {
    const c = basemapConfigFromEnv({ BASEMAP_URL: TDT, BASEMAP_SUBDOMAINS: '0, 1,2', BASEMAP_TIMEOUT_MS: '1500' })
    expect(c).toEqual({ url: TDT, attribution: '底图：t0.tianditu.gov.cn', subdomains: ['0', '1', '2'], timeoutMs: 1500 })
    expect(c!.attribution).not.toContain('SECRETKEY')
    expect(basemapConfigFromEnv({ BASEMAP_URL: TDT, BASEMAP_ATTRIBUTION: '底图：天地图' })!.attribution).toBe('底图：天地图')
  })
  it.each([
    ['https://tiles.example/{z}/{x}.png', /含 \{z\}、\{x\}、\{y\}/],
    ['tiles.example/{z}/{x}/{y}.png', /http\(s\)/],
  ])('refuses %s', (url, message) => {
    expect(() => basemapConfigFromEnv({ BASEMAP_URL: url })).toThrow(message)
  })
  it('refuses a timeout that is not a positive number', () => {
    expect(() => basemapConfigFromEnv({ BASEMAP_URL: TDT, BASEMAP_TIMEOUT_MS: 'soon' })).toThrow(/BASEMAP_TIMEOUT_MS/)
  })
})
