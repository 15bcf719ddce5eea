import { metrics } from '@opentelemetry/api'
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics'
import { describe, expect, it } from 'vitest'
import { CACHE_METRICS } from '../../src/metrics/catalog.js'
import { registerCacheMetrics } from '../../src/metrics/otel.js'
import { FakeCache, SAMPLE_COUNTERS, SAMPLE_EXPECTED } from './fixtures/fake-cache.js'
import { RealCache } from './fixtures/real-cache.js'

/** A pull reader: metrics are collected when the test asks, like a Prometheus scrape. */
class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

function setup(): { reader: PullReader; meter: ReturnType<MeterProvider['getMeter']> } {
  const reader = new PullReader()
  const provider = new MeterProvider({ readers: [reader] })
  return { reader, meter: provider.getMeter('cortado-test') }
}

interface Point {
  attributes: Record<string, unknown>
  value: number
}

async function collect(reader: PullReader): Promise<Map<string, { data: MetricData; points: Point[] }>> {
  const { resourceMetrics, errors } = await reader.collect()
  expect(errors).toEqual([])
  const byName = new Map<string, { data: MetricData; points: Point[] }>()
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const data of scope.metrics) {
      const points = (data.dataPoints as Array<{ attributes: Record<string, unknown>; value: unknown }>).map((p) => ({
        attributes: p.attributes,
        value: p.value as number,
      }))
      byName.set(data.descriptor.name, { data, points })
    }
  }
  return byName
}

function pointValue(points: Point[] | undefined, attributes: Record<string, string>): number | undefined {
  return points?.find((p) => JSON.stringify(p.attributes) === JSON.stringify(attributes))?.value
}

describe('registerCacheMetrics (OpenTelemetry)', () => {
  it('the same numbers as Prometheus, with counters monotonic sums, levels sums, the ratio a gauge', async () => {
    const { reader, meter } = setup()
    const cache = new FakeCache('sessions')
    Object.assign(cache.counters, SAMPLE_COUNTERS)
    registerCacheMetrics(cache, { meter })
    const collected = await collect(reader)
    for (const [, name, result, expected] of SAMPLE_EXPECTED) {
      const attributes: Record<string, string> = result ? { cache: 'sessions', result } : { cache: 'sessions' }
      expect(pointValue(collected.get(name)?.points, attributes), `${name} ${result}`).toBe(expected)
    }
    for (const spec of CACHE_METRICS) {
      const metric = collected.get(spec.otelName)
      expect(metric, spec.otelName).toBeDefined()
      expect(metric!.data.descriptor.unit).toBe(spec.unit)
      expect(metric!.data.dataPointType).toBe(spec.kind === 'ratio' ? DataPointType.GAUGE : DataPointType.SUM)
      if (metric!.data.dataPointType === DataPointType.SUM) expect(metric!.data.isMonotonic, spec.otelName).toBe(spec.kind === 'counter')
    }
  })

  it('several caches, bounded attributes after many distinct keys, fresh values at each collection', async () => {
    const { reader, meter } = setup()
    const users = new FakeCache('users', 100)
    const pages = new FakeCache('pages', 100)
    registerCacheMetrics(users, { meter })
    registerCacheMetrics(pages, { meter })
    for (let i = 0; i < 10_000; i++) {
      users.set(`user:${i}`, 'v')
      pages.get(`/page/${i}`)
    }
    const calls = users.statsCalls
    const collected = await collect(reader)
    expect(users.statsCalls - calls, 'stats() calls per collection').toBe(1)
    const attributeSets = new Set<string>()
    for (const { points } of collected.values()) for (const p of points) attributeSets.add(JSON.stringify(p.attributes))
    // 2 caches x (no result, hit, miss, success, failure): nothing else, whatever the keys were.
    expect(attributeSets.size).toBe(10)
    expect(pointValue(collected.get('cortado.cache.evictions')!.points, { cache: 'users' })).toBe(9_900)
    expect(pointValue(collected.get('cortado.cache.requests')!.points, { cache: 'pages', result: 'miss' })).toBe(10_000)
    pages.get('one more')
    const again = await collect(reader)
    expect(pointValue(again.get('cortado.cache.requests')!.points, { cache: 'pages', result: 'miss' })).toBe(10_001)
  })

  it('unregister and closing stop reading the cache; names are unique per meter', async () => {
    const { reader, meter } = setup()
    const left = new FakeCache('a')
    const a = registerCacheMetrics(left, { meter })
    const closing = new FakeCache('closing')
    registerCacheMetrics(closing, { meter })
    expect(() => registerCacheMetrics(new FakeCache('a'), { meter })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    const sets = async (name: string) => pointValue((await collect(reader)).get('cortado.cache.sets')?.points, { cache: name })
    left.set('k', 'v')
    expect(await sets('a')).toBe(1)
    a.unregister()
    closing.closed = true
    await collect(reader)
    const calls = { left: left.statsCalls, closing: closing.statsCalls }
    left.set('k2', 'v')
    // Neither cache is read again. (The JS SDK keeps exporting a cumulative series' last value after
    // its callback stops observing it, against the spec's SHOULD NOT; the value no longer moves.)
    expect(await sets('a')).toBe(1)
    expect({ left: left.statsCalls, closing: closing.statsCalls }).toEqual(calls)
    // Both names are free again, and reporting resumes.
    registerCacheMetrics(left, { meter })
    registerCacheMetrics(new FakeCache('closing'), { meter })
    expect(await sets('a')).toBe(2)
  })

  it('uses the global MeterProvider by default', async () => {
    const reader = new PullReader()
    const provider = new MeterProvider({ readers: [reader] })
    metrics.setGlobalMeterProvider(provider)
    try {
      const registration = registerCacheMetrics(new FakeCache('global'))
      const collected = await collect(reader)
      expect(pointValue(collected.get('cortado.cache.sets')?.points, { cache: 'global' })).toBe(0)
      registration.unregister()
    } finally {
      metrics.disable()
    }
  })

  it('refuses a meter that is not one', () => {
    expect(() => registerCacheMetrics(new FakeCache('x'), { meter: {} as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})

describe.skipIf(RealCache === undefined)('registerCacheMetrics (OpenTelemetry) with the real Cache', () => {
  it('reports what cache.stats() says after many distinct keys', async () => {
    const { reader, meter } = setup()
    const cache = new RealCache!({ maxBytes: 4 << 20, name: 'real' })
    try {
      registerCacheMetrics(cache, { meter })
      for (let i = 0; i < 3_000; i++) cache.set(`key:${i}`, `value ${i}`)
      for (let i = 0; i < 6_000; i++) cache.get(`key:${i}`)
      const collected = await collect(reader)
      const stats = cache.stats()
      const at = (name: string, extra: Record<string, string> = {}) => pointValue(collected.get(name)?.points, { cache: 'real', ...extra })
      expect(at('cortado.cache.sets')).toBe(stats.sets)
      expect(at('cortado.cache.requests', { result: 'hit' })).toBe(stats.hits)
      expect(at('cortado.cache.requests', { result: 'miss' })).toBe(stats.misses)
      expect(stats.hits + stats.misses).toBe(6_000)
      expect(at('cortado.cache.entries')).toBe(stats.entries)
      const attributeSets = new Set<string>()
      for (const { points } of collected.values()) for (const p of points) attributeSets.add(JSON.stringify(p.attributes))
      expect(attributeSets.size).toBe(5)
    } finally {
      cache.close()
    }
  })
})
