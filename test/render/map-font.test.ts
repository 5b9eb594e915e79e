// The labels' font: the bundled one found at start, and what happens on a machine without it.
import { afterEach, describe, expect, it } from 'vitest'
import { fontStatus, fontStatusLine, label, useFontFile } from '../../render/map-font.js'
import { patchMapSvg, svgToPng } from '../../render/patch-map.js'
import { scene } from '../support/map-scene.js'
import { decodePng } from '../support/png.js'

afterEach(() => useFontFile(undefined))

describe('the map font', () => {
  it('is the bundled Noto Sans SC, and the start-up line says so', () => {
    expect(fontStatus()).toMatchObject({ ok: true, family: 'Noto Sans SC' })
    expect(fontStatusLine()).toBe('地图与图表字体：Noto Sans SC（随程序安装，@expo-google-fonts/noto-sans-sc）')
    expect(label('资源镇', 10, 20, { size: 12 })).toMatch(/^<g data-label="资源镇" transform="translate\(10\.0 20\.0\) scale\(/)
  })

  it('when missing: the start-up line warns with the fix, labels fall back to <text>, the map still renders', () => {
    useFontFile('/nonexistent/NotoSansSC.ttf')
    expect(fontStatus().ok).toBe(false)
    expect(fontStatusLine()).toMatch(/^警告：未找到随程序安装的中文字体（.*）。.*请运行 npm ci 安装依赖，或安装 fonts-noto-cjk。$/)
    const svg = patchMapSvg(scene())
    expect(svg).toContain('<text data-label="本图斑"')
    const px = decodePng(svgToPng(svg))
    expect(px.width).toBe(640)
  })
})
