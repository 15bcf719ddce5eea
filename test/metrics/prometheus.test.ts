import { Registry, register as globalRegistry, type OpenMetricsContentType } from 'prom-client'
import { describe, expect, it, vi } from 'vitest'
import { CortadoError } from '../../src/errors.js'
import { registerCacheMetrics } from '../../src/metrics/prometheus.js'
import { CACHE_METRICS } from '../../src/metrics/catalog.js'
import { FakeCache, SAMPLE_COUNTERS, SAMPLE_EXPECTED } from './fixtures/fake-cache.js'
import { RealCache } from './fixtures/real-cache.js'

interface Series {
  name: string
  labels: Record<string, string>
  value: number
}

/** Reads the Prometheus text exposition format (what a Prometheus server scrapes). */
function parse(text: string): { series: Series[]; types: Map<string, string> } {
  const series: Series[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type) types.set(type[1]!, type[2]!)
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match) throw new Error(`not an exposition line: ${line}`)
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!
    series.push({ name: match[1]!, labels, value: Number(match[3]) })
  }
  return { series, types }
}

async function scrape(registry: Registry): Promise<{ series: Series[]; types: Map<string, string> }> {
  return parse(await registry.metrics())
}

function value(series: Series[], name: string, labels: Record<string, string>): number | undefined {
  return series.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
    Object.keys(s.labels).length === Object.keys(labels).length)?.value
}

describe('registerCacheMetrics (prom-client)', () => {
  it('exports every stat under its documented name, type and labels', async () => {
    const registry = new Registry()
    const cache = new FakeCache('sessions')
    Object.assign(cache.counters, SAMPLE_COUNTERS)
    registerCacheMetrics(cache, { registry })
    const { series, types } = await scrape(registry)
    for (const [name, , result, expected] of SAMPLE_EXPECTED) {
      expect(value(series, name, result ? { cache: 'sessions', result } : { cache: 'sessions' }), `${name} ${result}`).toBe(expected)
    }
    for (const spec of CACHE_METRICS) {
      expect(types.get(spec.prometheusName), spec.prometheusName).toBe(spec.kind === 'counter' ? 'counter' : 'gauge')
    }
    expect(series).toHaveLength(CACHE_METRICS.length + 2)
    expect(new Set(SAMPLE_EXPECTED.map(([name]) => name))).toEqual(new Set(CACHE_METRICS.map((spec) => spec.prometheusName)))
  })

  it('after many distinct keys the label sets stay bounded: cache and result only, never a key', async () => {
    const registry = new Registry()
    const users = new FakeCache('users', 500)
    const pages = new FakeCache('pages', 500)
    registerCacheMetrics(users, { registry })
    registerCacheMetrics(pages, { registry })
    const before = (await scrape(registry)).series.length
    for (let i = 0; i < 20_000; i++) {
      users.set(`user:${i}`, 'x')
      users.get(`user:${i * 7}`)
      pages.get(`/page/${i}?q=${i}`)
    }
    const { series } = await scrape(registry)
    expect(series.length).toBe(before)
    const labelSets = new Set(series.map((s) => JSON.stringify(Object.keys(s.labels).sort())))
    expect([...labelSets].sort()).toEqual(['["cache","result"]', '["cache"]'])
    expect(new Set(series.map((s) => s.labels.cache))).toEqual(new Set(['users', 'pages']))
    expect(new Set(series.flatMap((s) => (s.labels.result ? [s.labels.result] : [])))).toEqual(new Set(['hit', 'miss', 'success', 'failure']))
    expect(value(series, 'cortado_cache_requests_total', { cache: 'users', result: 'miss' })).toBe(users.counters.misses)
    expect(value(series, 'cortado_cache_requests_total', { cache: 'pages', result: 'miss' })).toBe(20_000)
    expect(value(series, 'cortado_cache_evictions_total', { cache: 'users' })).toBe(19_500)
    expect(value(series, 'cortado_cache_entries', { cache: 'users' })).toBe(500)
  })

  it('reads stats at scrape time, once per cache per scrape, and counters only move forward', async () => {
    const registry = new Registry()
    const cache = new FakeCache('live')
    registerCacheMetrics(cache, { registry })
    let last = -1
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10 * round; i++) cache.get(`k${i}`)
      const calls = cache.statsCalls
      const { series } = await scrape(registry)
      expect(cache.statsCalls - calls, 'stats() calls per scrape').toBe(1)
      const misses = value(series, 'cortado_cache_requests_total', { cache: 'live', result: 'miss' })!
      expect(misses).toBe(cache.counters.misses)
      expect(misses).toBeGreaterThanOrEqual(last)
      last = misses
    }
    // A lone metric read outside a full scrape is fresh too.
    cache.get('one more')
    const single = parse(await registry.getSingleMetricAsString('cortado_cache_requests_total')).series
    expect(value(single, 'cortado_cache_requests_total', { cache: 'live', result: 'miss' })).toBe(last + 1)
  })

  it('unregister removes a cache\'s series; the last one takes the metrics out of the registry', async () => {
    const registry = new Registry()
    const a = registerCacheMetrics(new FakeCache('a'), { registry })
    const b = registerCacheMetrics(new FakeCache('b'), { registry })
    a.unregister()
    a.unregister()
    let { series } = await scrape(registry)
    expect(new Set(series.map((s) => s.labels.cache))).toEqual(new Set(['b']))
    b.unregister()
    expect(await registry.metrics()).toBe('\n')
    expect(registry.getSingleMetric('cortado_cache_requests_total')).toBeUndefined()
    // The name is free again, and the metrics come back with the next cache.
    registerCacheMetrics(new FakeCache('a'), { registry })
    ;({ series } = await scrape(registry))
    expect(new Set(series.map((s) => s.labels.cache))).toEqual(new Set(['a']))
  })

  it('names: from the option, else the cache, else "default"; unique per registry', async () => {
    const registry = new Registry()
    expect(registerCacheMetrics(new FakeCache('own'), { registry }).name).toBe('own')
    expect(registerCacheMetrics(new FakeCache('own'), { registry, name: 'renamed' }).name).toBe('renamed')
    expect(registerCacheMetrics(new FakeCache(), { registry }).name).toBe('default')
    const duplicate = () => registerCacheMetrics(new FakeCache('own'), { registry })
    expect(duplicate).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('"own"') }))
    // The failed registration changed nothing.
    const { series } = await scrape(registry)
    expect(new Set(series.map((s) => s.labels.cache))).toEqual(new Set(['own', 'renamed', 'default']))
  })

  it('a closed cache unregisters itself; a failing one is left out of that scrape only', async () => {
    const registry = new Registry()
    const closing = new FakeCache('closing')
    const flaky = new FakeCache('flaky')
    const errors: string[] = []
    registerCacheMetrics(closing, { registry })
    registerCacheMetrics(flaky, { registry, onError: (error, name) => errors.push(`${name}: ${(error as Error).message}`) })
    registerCacheMetrics(new FakeCache('steady'), { registry })
    closing.closed = true
    flaky.failure = new Error('engine on fire')
    let { series } = await scrape(registry)
    expect(new Set(series.map((s) => s.labels.cache))).toEqual(new Set(['steady']))
    expect(errors).toEqual(['flaky: engine on fire'])
    flaky.failure = undefined
    ;({ series } = await scrape(registry))
    expect(new Set(series.map((s) => s.labels.cache))).toEqual(new Set(['steady', 'flaky']))
    // The closed cache was unregistered: its name can be reused.
    expect(registerCacheMetrics(new FakeCache('closing'), { registry }).name).toBe('closing')
  })

  it('by default a failing cache warns once until it recovers', async () => {
    const registry = new Registry()
    const cache = new FakeCache('noisy')
    registerCacheMetrics(cache, { registry })
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    try {
      cache.failure = new Error('boom')
      await scrape(registry)
      await scrape(registry)
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0]![0])).toContain('"noisy"')
      cache.failure = undefined
      await scrape(registry)
      cache.failure = new Error('boom again')
      await scrape(registry)
      expect(warn).toHaveBeenCalledTimes(2)
    } finally {
      warn.mockRestore()
    }
  })

  it('skips values a counter can not hold instead of failing the scrape', async () => {
    const registry = new Registry()
    const cache = new FakeCache('odd')
    Object.assign(cache.counters, { sets: -1, evictions: NaN, hits: 4 })
    registerCacheMetrics(cache, { registry })
    const { series } = await scrape(registry)
    expect(value(series, 'cortado_cache_sets_total', { cache: 'odd' })).toBeUndefined()
    expect(value(series, 'cortado_cache_evictions_total', { cache: 'odd' })).toBeUndefined()
    expect(value(series, 'cortado_cache_requests_total', { cache: 'odd', result: 'hit' })).toBe(4)
  })

  it('uses the global registry by default', async () => {
    const registration = registerCacheMetrics(new FakeCache('global-default'))
    try {
      expect(await globalRegistry.metrics()).toContain('cortado_cache_requests_total{cache="global-default",result="hit"} 0')
    } finally {
      registration.unregister()
    }
    expect(globalRegistry.getSingleMetric('cortado_cache_requests_total')).toBeUndefined()
  })

  it('survives registry.clear() and works with an OpenMetrics registry', async () => {
    const registry = new Registry<OpenMetricsContentType>()
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE)
    registerCacheMetrics(new FakeCache('first'), { registry })
    registry.clear()
    registerCacheMetrics(new FakeCache('second'), { registry })
    const text = await registry.metrics()
    expect(text).toContain('cortado_cache_requests_total{cache="second",result="miss"} 0')
    expect(text).toContain('cortado_cache_requests_total{cache="first",result="miss"} 0')
    expect(text.trimEnd().endsWith('# EOF')).toBe(true)
  })

  it('refuses bad arguments and a registry whose names are taken, leaving it untouched', async () => {
    const registry = new Registry()
    const bad: Array<[unknown, unknown]> = [
      [null, { registry }],
      [{ name: 'no stats' }, { registry }],
      [new FakeCache('x'), { registry, name: '' }],
      [new FakeCache('x'), { registry, name: 42 }],
      [new FakeCache('x'), { registry, onError: 'log' }],
      [new FakeCache('x'), { registry: {} }],
    ]
    for (const [cache, options] of bad) {
      expect(() => registerCacheMetrics(cache as never, options as never)).toThrow(CortadoError)
    }
    expect(await registry.metrics()).toBe('\n')
    const taken = new Registry()
    taken.registerMetric({ name: 'cortado_cache_entries', get: async () => ({}) } as never)
    expect(() => registerCacheMetrics(new FakeCache('x'), { registry: taken })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    expect(taken.getMetricsAsArray()).toHaveLength(1)
  })
})

describe.skipIf(RealCache === undefined)('registerCacheMetrics with the real Cache', () => {
  it('scrapes a real cache after many distinct keys: exact counts, bounded series', async () => {
    const registry = new Registry()
    const cache = new RealCache!({ maxBytes: 4 << 20, name: 'real' })
    try {
      registerCacheMetrics(cache, { registry })
      const keys = 5_000
      for (let i = 0; i < keys; i++) cache.set(`key:${i}`, `value ${i}`)
      for (let i = 0; i < keys * 2; i++) cache.get(`key:${i}`)
      const { series } = await scrape(registry)
      const stats = cache.stats()
      expect(value(series, 'cortado_cache_sets_total', { cache: 'real' })).toBe(stats.sets)
      expect(value(series, 'cortado_cache_requests_total', { cache: 'real', result: 'hit' })).toBe(stats.hits)
      expect(value(series, 'cortado_cache_requests_total', { cache: 'real', result: 'miss' })).toBe(stats.misses)
      expect(stats.hits + stats.misses).toBe(keys * 2)
      expect(value(series, 'cortado_cache_entries', { cache: 'real' })).toBe(stats.entries)
      expect(series).toHaveLength(CACHE_METRICS.length + 2)
      expect(series.every((s) => !JSON.stringify(s.labels).includes('key:'))).toBe(true)
      // Closing the cache ends its series (stats() throws ERR_CLOSED, so it unregisters itself).
      cache.close()
      await scrape(registry)
      expect(await registry.metrics()).not.toContain('cache="real"')
    } finally {
      cache.close()
    }
  })
})
