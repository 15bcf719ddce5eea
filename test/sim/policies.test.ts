import { describe, expect, it } from 'vitest'
import { CortadoModel } from '../../bench/sim/model/cortado.js'
import { AdaptiveWTinyLfuPolicy } from '../../bench/sim/policies/adaptive-wtinylfu.js'
import { ArcPolicy } from '../../bench/sim/policies/arc.js'
import { LruPolicy } from '../../bench/sim/policies/lru.js'
import { OptPolicy } from '../../bench/sim/policies/opt.js'
import { S3FifoPolicy } from '../../bench/sim/policies/s3fifo.js'
import { WTinyLfuPolicy } from '../../bench/sim/policies/wtinylfu.js'
import type { PolicyFactory } from '../../bench/sim/policy.js'
import { simulate } from '../../bench/sim/simulate.js'
import { loopTrace } from '../../bench/workloads/loop-trace.js'
import type { Trace } from '../../bench/workloads/trace.js'
import { zipfTrace } from '../../bench/workloads/zipf-trace.js'

const SEED = 3

const fromKeys = (keys: number[]): Trace => ({ name: 'hand', keys: Int32Array.from(keys), universe: Math.max(...keys) + 1 })
const hits = (f: PolicyFactory, t: Trace, c: number): number => simulate(t, '', c, f(c, t)).hits

const all: [string, PolicyFactory][] = [
  ['lru', (c, t) => new LruPolicy(c, t)],
  ['arc', (c, t) => new ArcPolicy(c, t)],
  ['s3fifo', (c, t) => new S3FifoPolicy(c, t)],
  ['wtinylfu', (c, t) => new WTinyLfuPolicy(c, t)],
  ['adaptive', (c, t) => new AdaptiveWTinyLfuPolicy(c, t)],
  ['model', (c, t) => new CortadoModel(c, t, { seed: SEED })],
]

describe('reference policies', () => {
  it('LRU and OPT on a hand-checked sequence', () => {
    // capacity 2: a b a c b a → LRU hits only the second a; MIN keeps a (and b until c), hitting a, b, a.
    const t = fromKeys([0, 1, 0, 2, 1, 0])
    expect(hits((c, tr) => new LruPolicy(c, tr), t, 2)).toBe(1)
    expect(hits((c, tr) => new OptPolicy(c, tr), t, 2)).toBe(2)
    expect(hits((c, tr) => new OptPolicy(c, tr, true), t, 2)).toBe(3) // may decline to cache c
  })

  it('OPT bounds every policy on skewed and looping traces', () => {
    const traces = [
      zipfTrace({ keys: 5000, s: 0.9, length: 60_000, seed: SEED }),
      loopTrace({ loopKeys: 1200, length: 30_000, noise: 0.3, noiseKeys: 3000, seed: SEED }),
    ]
    for (const t of traces) {
      for (const c of [100, 1000]) {
        const opt = hits((cap, tr) => new OptPolicy(cap, tr, true), t, c)
        for (const [name, f] of all) expect(hits(f, t, c), `${name} on ${t.name} at ${c}, seed ${SEED}`).toBeLessThanOrEqual(opt)
      }
    }
  })

  it('a cache as large as the key space misses each key once (S3-FIFO excepted: its small queue evicts before the cache is full)', () => {
    const t = zipfTrace({ keys: 500, s: 0.7, length: 20_000, seed: SEED })
    const distinct = new Set(t.keys).size
    for (const [name, f] of all) if (name !== 's3fifo') expect(hits(f, t, 500), name).toBe(t.keys.length - distinct)
  })

  it('W-TinyLFU keeps part of a loop that LRU loses entirely', () => {
    const loop = loopTrace({ loopKeys: 1100, length: 22_000, seed: SEED })
    expect(hits((c, t) => new LruPolicy(c, t), loop, 1000)).toBe(0)
    expect(hits((c, t) => new WTinyLfuPolicy(c, t), loop, 1000) / loop.keys.length).toBeGreaterThan(0.6)
  })
})

describe('LRU sized by capacity', () => {
  /** LRU by the book: a Map in recency order (re-inserting moves a key to the end). */
  class MapLru {
    private readonly m = new Map<number, true>()
    constructor(private readonly capacity: number) {}
    read(k: number): boolean {
      if (!this.m.has(k)) return false
      this.m.delete(k)
      this.m.set(k, true)
      return true
    }
    access(k: number): boolean {
      if (this.read(k)) return true
      this.m.set(k, true)
      if (this.m.size > this.capacity) this.m.delete(this.m.keys().next().value!)
      return false
    }
  }

  it('answers every request as a Map-ordered LRU, over key ids far beyond its table, with reads that do not insert', () => {
    // Wide ids collide in the table's top bits and wrap its probe runs, which is what deletion must survive.
    let x = SEED
    const rnd = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32)
    for (const capacity of [1, 7, 64, 1000]) {
      const universe = capacity * 3
      const lru = new LruPolicy(capacity, { name: 'wide', keys: new Int32Array(0), universe: 2 ** 31 - 1 })
      const ref = new MapLru(capacity)
      let firstDiff = ''
      for (let i = 0; i < 100_000 && firstDiff === ''; i++) {
        const k = Math.floor(rnd() * universe) * 65_537 + (i & 1 ? 0 : 2 ** 30)
        const op = rnd()
        if (op < 0.1) {
          lru.write(k)
          ref.access(k)
          continue
        }
        const [got, want] = op < 0.3 ? [lru.read(k), ref.read(k)] : [lru.access(k), ref.access(k)]
        if (got !== want) firstDiff = `${op < 0.3 ? 'read' : 'access'} of ${k} at request ${i}: ${got}, LRU says ${want}`
      }
      expect(firstDiff, `capacity ${capacity}`).toBe('')
    }
  })
})
