// The digest's and the bulletin's chart: each township's illegal 耕地 ratio as a bar against the 问责
// line. Labels are the township's short name with its code's last digits under it, drawn in the
// bundled font (render/map-font.ts) like the maps.
import { label } from './map-font.js'
import { svgToPng } from './patch-map.js'

export interface RatioChart {
  threshold: number
  bars: Array<{ label: string; code: string; ratio: number; mu: number }>
}

const W = 560
const H = 320
const LEFT = 48
const BOTTOM = 64
const TOP = 24

function ratioChartSvg(chart: RatioChart): string {
  const top = Math.max(chart.threshold * 1.5, ...chart.bars.map((b) => b.ratio), 0.01)
  const plotH = H - TOP - BOTTOM
  const y = (r: number) => TOP + plotH * (1 - r / top)
  const slot = (W - LEFT - 16) / Math.max(chart.bars.length, 1)
  const barW = Math.min(48, slot * 0.6)
  const bars = chart.bars
    .map((b, i) => {
      const x = LEFT + slot * i + (slot - barW) / 2
      const over = b.ratio >= chart.threshold - 1e-9
      const cx = (x + barW / 2).toFixed(1)
      return [
        `<rect x="${x.toFixed(1)}" y="${y(b.ratio).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(0) - y(b.ratio)).toFixed(1)}" fill="${over ? '#d9363e' : '#3b7dd8'}"/>`,
        label(`${(b.ratio * 100).toFixed(1)}%`, Number(cx), y(b.ratio) - 4, { size: 12, anchor: 'middle', fill: '#333' }),
        label(b.label, Number(cx), H - BOTTOM + 20, { size: 14, anchor: 'middle', fill: '#333' }),
        label(b.code, Number(cx), H - BOTTOM + 38, { size: 11, anchor: 'middle', fill: '#777' }),
      ].join('')
    })
    .join('\n')
  const ty = y(chart.threshold).toFixed(1)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<rect width="${W}" height="${H}" fill="#ffffff"/>
<line x1="${LEFT}" y1="${y(0)}" x2="${W - 8}" y2="${y(0)}" stroke="#999"/>
${bars}
<line x1="${LEFT}" y1="${ty}" x2="${W - 8}" y2="${ty}" stroke="#d9363e" stroke-width="2" stroke-dasharray="6 4"/>
${label(`${(chart.threshold * 100).toFixed(0)}%`, LEFT - 6, Number(ty) + 4, { size: 12, anchor: 'end', fill: '#d9363e' })}
</svg>`
}

/** The chart as SVG (tests read it before rasterising). */
export function chartSvg(chart: string, data: unknown): string {
  if (chart === 'farmland-ratio') return ratioChartSvg(data as RatioChart)
  throw new Error(`no renderer for chart ${chart}`)
}

export function renderChart(chart: string, data: unknown): Uint8Array {
  if (chart === 'farmland-ratio') return svgToPng(ratioChartSvg(data as RatioChart))
  throw new Error(`no renderer for chart ${chart}`)
}
