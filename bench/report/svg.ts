/**
 * Hand-written SVG charts (no chart dependency): grouped bars and lines with axes, grid, legend and
 * a caption. Pure functions from data to markup, so tests can check them and the charts diff well.
 */

export interface Series {
  name: string
  color: string
  /** Dashed line (used for simulated policies, so they read differently from real caches). */
  dashed?: boolean
}

export interface BarChart {
  title: string
  /** One or more lines (separated by \n): how it was measured, and where. */
  subtitle: string
  /** Labels along the x axis (e.g. operations). */
  groups: string[]
  series: Series[]
  /** values[group][series]; undefined leaves a gap. */
  values: (number | undefined)[][]
  /** Tick and tooltip labels for values. */
  format: (v: number) => string
  yLabel: string
}

export interface LineChart {
  title: string
  subtitle: string
  series: (Series & { points: [number, number][] })[]
  xLabel: string
  yLabel: string
  formatX: (v: number) => string
  formatY: (v: number) => string
  /** Log scale on x (for sizes spanning more than an order of magnitude). */
  logX: boolean
  /** Highest the y axis may go (e.g. 100 for percentages); below it, the axis follows the data. */
  yMax?: number
}

const WIDTH = 800
const MARGIN = { left: 72, right: 24, top: 78, bottom: 56 }
const PLOT_HEIGHT = 300
const LEGEND_ROW = 18
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'

/** Fourteen colours far enough apart to tell every peer and policy of a hit-ratio chart apart (no red). */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f',
  '#bab0ac', '#ff9da7', '#17becf', '#1f3b73', '#8c8c00', '#5a2d82', '#222222',
]
/** Cortado keeps one strong colour in every chart. */
export const CORTADO_COLOR = '#c0392b'

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * The y axis for data up to `top`: the smallest round step (1, 2, 2.5 or 5 × 10^k) that covers the data
 * in at most 6 ticks, and the axis maximum as a whole number of steps.
 */
export function axisScale(top: number): { max: number; step: number } {
  if (!(top > 0) || !Number.isFinite(top)) return { max: 1, step: 0.2 }
  let p = 10 ** Math.floor(Math.log10(top / 6))
  for (;;) {
    for (const m of [1, 2, 2.5, 5]) {
      const step = m * p
      const ticks = Math.ceil(top / step - 1e-9)
      // toPrecision: 6 × 0.05 must be 0.3, not 0.30000000000000004.
      if (ticks <= 6) return { max: Number((ticks * step).toPrecision(12)), step }
    }
    p *= 10
  }
}

function n(v: number): string {
  return (Math.round(v * 10) / 10).toString()
}

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}" ${attrs}>${escapeXml(body)}</text>`
}

/** Legend rows under the plot; returns the markup and the height it takes. */
function legend(series: readonly Series[], top: number): { svg: string; height: number } {
  const parts: string[] = []
  let x = MARGIN.left
  let y = top
  for (const s of series) {
    const w = 28 + s.name.length * 6.6
    if (x + w > WIDTH - MARGIN.right) {
      x = MARGIN.left
      y += LEGEND_ROW
    }
    const dash = s.dashed ? ' stroke-dasharray="4 3"' : ''
    parts.push(`<line x1="${n(x)}" y1="${n(y - 4)}" x2="${n(x + 18)}" y2="${n(y - 4)}" stroke="${s.color}" stroke-width="6"${dash}/>`)
    parts.push(text(x + 22, y, s.name, 'font-size="11" fill="#333"'))
    x += w
  }
  return { svg: parts.join(''), height: y - top + LEGEND_ROW }
}

function frame(title: string, subtitle: string, body: string, height: number): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${n(height)}" viewBox="0 0 ${WIDTH} ${n(height)}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(MARGIN.left, 24, title, 'font-size="15" font-weight="600" fill="#111"'),
    ...subtitle.split('\n').map((line, i) => text(MARGIN.left, 42 + i * 14, line, 'font-size="11" fill="#555"')),
    body,
    '</svg>',
  ].join('\n')
}

function yAxis(scale: { max: number; step: number }, format: (v: number) => string, label: string): string {
  const parts: string[] = []
  const bottom = MARGIN.top + PLOT_HEIGHT
  const ticks = Math.round(scale.max / scale.step)
  for (let i = 0; i <= ticks; i++) {
    const v = scale.step * i
    const y = bottom - (PLOT_HEIGHT * i) / ticks
    parts.push(`<line x1="${MARGIN.left}" y1="${n(y)}" x2="${WIDTH - MARGIN.right}" y2="${n(y)}" stroke="${i === 0 ? '#888' : '#e5e5e5'}"/>`)
    parts.push(text(MARGIN.left - 6, y + 4, format(v), 'font-size="11" fill="#555" text-anchor="end"'))
  }
  const cy = MARGIN.top + PLOT_HEIGHT / 2
  parts.push(text(16, cy, label, `font-size="11" fill="#555" text-anchor="middle" transform="rotate(-90 16 ${n(cy)})"`))
  return parts.join('')
}

/** Bars at least this wide get their value written above them. */
const LABELLED_BAR = 28

export function renderBarChart(c: BarChart): string {
  const all = c.values.flat().filter((v): v is number => v !== undefined && Number.isFinite(v))
  const scale = axisScale(Math.max(0, ...all))
  const max = scale.max
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const groupWidth = plotWidth / Math.max(1, c.groups.length)
  const barWidth = (groupWidth * 0.8) / Math.max(1, c.series.length)
  const bottom = MARGIN.top + PLOT_HEIGHT
  const parts = [yAxis(scale, c.format, c.yLabel)]
  c.groups.forEach((g, gi) => {
    const x0 = MARGIN.left + gi * groupWidth + groupWidth * 0.1
    c.series.forEach((s, si) => {
      const v = c.values[gi]?.[si]
      if (v === undefined || !Number.isFinite(v)) return
      const h = (PLOT_HEIGHT * Math.max(0, v)) / max
      const x = x0 + si * barWidth
      parts.push(
        `<rect x="${n(x)}" y="${n(bottom - h)}" width="${n(Math.max(1, barWidth - 1))}" height="${n(h)}" fill="${s.color}">` +
          `<title>${escapeXml(`${s.name} · ${g}: ${c.format(v)}`)}</title></rect>`,
      )
      if (barWidth >= LABELLED_BAR) parts.push(text(x + barWidth / 2, bottom - h - 4, c.format(v), 'font-size="10" fill="#333" text-anchor="middle"'))
    })
    parts.push(text(MARGIN.left + gi * groupWidth + groupWidth / 2, bottom + 18, g, 'font-size="12" fill="#333" text-anchor="middle"'))
  })
  const lg = legend(c.series, bottom + MARGIN.bottom - 12)
  parts.push(lg.svg)
  return frame(c.title, c.subtitle, parts.join('\n'), bottom + MARGIN.bottom - 12 + lg.height)
}

export function renderLineChart(c: LineChart): string {
  const xs = c.series.flatMap((s) => s.points.map((p) => p[0]))
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1]))
  const bottom = MARGIN.top + PLOT_HEIGHT
  const left = MARGIN.left + 10
  const right = WIDTH - MARGIN.right - 10
  const minX = Math.min(...xs)
  const maxX = Math.max(...xs)
  const tx = (x: number): number => {
    if (maxX === minX) return (left + right) / 2
    const f = c.logX ? (Math.log(x) - Math.log(minX)) / (Math.log(maxX) - Math.log(minX)) : (x - minX) / (maxX - minX)
    return left + f * (right - left)
  }
  const scale = axisScale(Math.min(c.yMax ?? Infinity, Math.max(0, ...ys)))
  const ty = (y: number): number => bottom - (PLOT_HEIGHT * Math.max(0, y)) / scale.max
  const parts = [yAxis(scale, c.formatY, c.yLabel)]
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${n(tx(x))}" y1="${bottom}" x2="${n(tx(x))}" y2="${bottom + 4}" stroke="#888"/>`)
    parts.push(text(tx(x), bottom + 16, c.formatX(x), 'font-size="11" fill="#555" text-anchor="middle"'))
  }
  parts.push(text((left + right) / 2, bottom + 34, `${c.xLabel}${c.logX ? ' (log scale)' : ''}`, 'font-size="11" fill="#555" text-anchor="middle"'))
  for (const s of c.series) {
    const pts = [...s.points].sort((a, b) => a[0] - b[0])
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : ''
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map((p) => `${n(tx(p[0]))},${n(ty(p[1]))}`).join(' ')}">` +
        `<title>${escapeXml(s.name)}</title></polyline>`,
    )
    for (const p of pts) {
      parts.push(
        `<circle cx="${n(tx(p[0]))}" cy="${n(ty(p[1]))}" r="2.5" fill="${s.color}">` +
          `<title>${escapeXml(`${s.name} · ${c.formatX(p[0])}: ${c.formatY(p[1])}`)}</title></circle>`,
      )
    }
  }
  const lg = legend(c.series, bottom + MARGIN.bottom)
  parts.push(lg.svg)
  return frame(c.title, c.subtitle, parts.join('\n'), bottom + MARGIN.bottom + lg.height)
}
