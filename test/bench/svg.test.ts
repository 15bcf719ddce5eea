import { describe, expect, it } from 'vitest'
import { axisScale, escapeXml, renderBarChart, renderLineChart } from '../../bench/report/svg.js'

/** Every opened tag is closed, in order (enough to catch broken markup without an XML parser). */
function wellFormed(svg: string): boolean {
  const stack: string[] = []
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m
    if (selfClosing) continue
    if (closing) {
      if (stack.pop() !== name) return false
    } else stack.push(name!)
  }
  return stack.length === 0
}

describe('axisScale', () => {
  it('picks a round step that covers the data in at most 6 ticks', () => {
    expect(axisScale(57.96)).toEqual({ max: 60, step: 10 })
    expect(axisScale(2_170_000)).toEqual({ max: 2_500_000, step: 500_000 })
    expect(axisScale(100)).toEqual({ max: 100, step: 20 })
    expect(axisScale(0.3)).toEqual({ max: 0.3, step: 0.05 })
    expect(axisScale(0)).toEqual({ max: 1, step: 0.2 })
  })
})

describe('bar chart', () => {
  const chart = () =>
    renderBarChart({
      title: 'Throughput <100k>',
      subtitle: 'line one\nline two & more',
      groups: ['get-hit', 'set-evict'],
      series: [
        { name: 'lru-cache', color: '#111' },
        { name: 'Cortado', color: '#c00' },
      ],
      values: [
        [1_000_000, 2_000_000],
        [500_000, undefined],
      ],
      format: (v) => `${v / 1e6}M`,
      yLabel: 'ops/s',
    })

  it('is well-formed SVG with escaped text', () => {
    const svg = chart()
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(wellFormed(svg)).toBe(true)
    expect(svg).toContain('Throughput &lt;100k&gt;')
    expect(svg).toContain('line two &amp; more')
  })

  it('draws one bar per value, heights proportional to the values, none for a gap', () => {
    const heights = [...chart().matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" fill/g)].map((m) => Number(m[1]))
    expect(heights).toHaveLength(3)
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 1)
    expect(heights[2]! / heights[0]!).toBeCloseTo(0.5, 1)
  })

  it('has a legend entry and tooltip per series, and the group labels', () => {
    const svg = chart()
    for (const s of ['lru-cache', 'Cortado', 'get-hit', 'set-evict', 'Cortado · get-hit: 2M']) expect(svg).toContain(s)
  })
})

describe('line chart', () => {
  it('draws a polyline per series, dashed when asked, on a log x axis', () => {
    const svg = renderLineChart({
      title: 'Hit ratio',
      subtitle: 'sub',
      series: [
        { name: 'LRU', color: '#111', points: [[1000, 10], [10000, 50], [100000, 80]] },
        { name: 'opt (sim)', color: '#999', dashed: true, points: [[1000, 30], [10000, 70], [100000, 90]] },
      ],
      xLabel: 'size',
      yLabel: '%',
      formatX: String,
      formatY: (v) => `${v}%`,
      logX: true,
      yMax: 100,
    })
    expect(wellFormed(svg)).toBe(true)
    expect(svg.match(/<polyline/g)).toHaveLength(2)
    expect(svg).toContain('stroke-dasharray')
    expect(svg).toContain('(log scale)')
    // On a log axis 1000, 10000, 100000 are evenly spaced.
    const xs = [...svg.matchAll(/<circle cx="([^"]+)"/g)].slice(0, 3).map((m) => Number(m[1]))
    expect(xs[1]! - xs[0]!).toBeCloseTo(xs[2]! - xs[1]!, 0)
  })

  it('escapes the five XML specials it may meet', () => {
    expect(escapeXml(`a<b>&"c"`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;')
  })
})
