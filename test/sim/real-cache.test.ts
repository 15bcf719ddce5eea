import { describe, expect, it } from 'vitest'
import { KEY_STRINGS_MAX, loadRealCache, RealCachePolicy } from '../../bench/sim/policies/cortado.js'
import { simulate } from '../../bench/sim/simulate.js'
import { zipfTrace } from '../../bench/workloads/zipf-trace.js'

const Cache = await loadRealCache()

describe('the simulator drives the real Cache', () => {
  it('with room for every key, only first requests miss (the arena never binds)', () => {
    const t = zipfTrace({ keys: 3000, s: 0.7, length: 30_000, seed: 2 })
    const distinct = new Set(t.keys).size
    const p = new RealCachePolicy(Cache, 3000, t, 2)
    const r = simulate(t, 'cortado', 3000, p)
    p.close()
    expect(r.hits).toBe(t.keys.length - distinct)
  })

  it('a smaller cache hits part of a skewed trace', () => {
    const t = zipfTrace({ keys: 20_000, s: 0.9, length: 50_000, seed: 2 })
    const p = new RealCachePolicy(Cache, 1000, t, 2)
    const r = simulate(t, 'cortado', 1000, p)
    p.close()
    expect(r.hitRatio).toBeGreaterThan(0.1)
    expect(r.hitRatio).toBeLessThan(0.9)
  })

  it('over a universe too large for a table of key strings, the same hits as with the table', () => {
    // Same requests, only the declared universe differs: past KEY_STRINGS_MAX the runner formats each
    // key per request (the moving Zipf at 1M entries names 210M ids), and must send the same strings.
    const small = zipfTrace({ keys: 20_000, s: 0.9, length: 50_000, seed: 5 })
    const wide = { ...small, universe: KEY_STRINGS_MAX + 1 }
    const run = (t: typeof small): number => {
      const p = new RealCachePolicy(Cache, 1000, t, 2)
      const r = simulate(t, 'cortado', 1000, p)
      p.close()
      return r.hits
    }
    const hits = run(small)
    expect(hits).toBeGreaterThan(0)
    expect(run(wide)).toBe(hits)
  })
})
