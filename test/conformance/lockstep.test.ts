/**
 * One design in three implementations: the model (bench/sim/model), the WebAssembly engine and the
 * native engine. The two engines, one shard, same seed, same operations, must agree on every hit and
 * miss and on the evictions and rejections they count. The model shares the engines' constants
 * (src/layout/policy.json) and algorithm but not their sketch and ghost (exact structures where the
 * engines use blocked, bucketed ones), so it is held to the hit ratio, within 2 points, on the recency
 * families and on a frequency workload (measured: up to 1.65 apart, write-then-read 1.5 × capacity
 * with write-back at 2000 entries; docs/policy-recency.md lists the differences at 10k).
 */
import { describe, expect, it } from 'vitest'
import { CortadoModel } from '../../bench/sim/model/cortado.js'
import { RealCachePolicy } from '../../bench/sim/policies/cortado.js'
import { simulate } from '../../bench/sim/simulate.js'
import { phasesTrace, writeThenReadTrace } from '../../bench/workloads/recency-trace.js'
import { OP_READ, OP_WRITE, type Trace } from '../../bench/workloads/trace.js'
import { zipfTrace } from '../../bench/workloads/zipf-trace.js'
import { burstTrace, delayTrace, floodTrace, movingTrace, phasesTrace as sweepPhases } from '../../bench/arena/recency-sweep.js'
import { Cache } from '../../src/index.js'
import { hashKey } from '../../bench/sim/hash.js'
import { Prng } from '../../bench/workloads/prng.js'
import { probeSketch } from '../policy/probe.js'
import { testSeed } from '../helpers/seed.js'
import { nativeBuilt, type Engine } from './engines.js'

const CAPACITY = 2000

function traces(seed: number): Trace[] {
  return [
    writeThenReadTrace({ capacity: CAPACITY, distance: 0.5, length: 15 * CAPACITY, writeBack: false, seed }),
    writeThenReadTrace({ capacity: CAPACITY, distance: 1.5, length: 15 * CAPACITY, writeBack: true, seed: seed + 1 }),
    phasesTrace({ capacity: CAPACITY, phase: 5 * CAPACITY, zipfKeys: 20 * CAPACITY, writeBack: false, seed: seed + 2 }),
    zipfTrace({ keys: 20 * CAPACITY, s: 0.9, length: 30 * CAPACITY, seed: seed + 3 }),
    // Write-once traffic, one write per 2 operations (ONCE_SHARE, ONCE_MAX_WINDOW: stop 37).
    writeThenReadTrace({ capacity: CAPACITY, distance: 2, length: 15 * CAPACITY, writeBack: false, writeShare: 0.5, seed: seed + 4 }),
    // A Zipf hot set whose hottest quarter capacity of keys is replaced every 4 capacities (STALE_GATE,
    // STALE_HOLD: stop 50).
    movingTrace(CAPACITY, 1, 0.9, 20, 4, 0.25, seed + 5),
    // A flat Zipf (s0.7, 5 keys per entry) moved by half its keys every 2 capacities: HIT_GAIN's run stands at a
    // window of 0.9, and main's victims that win are aged (WIN_AGE: stop 51).
    movingTrace(CAPACITY, 1, 0.7, 5, 2, 2.5, seed + 6),
    // Stop 51: bursts of 1.25 × capacity new keys read twice, not written back (NET_EVIDENCE nets the gets'
    // ghost returns; ONCE_FIFO keeps the window a FIFO on this write-once traffic). Stop 52: ONCE_LIFT lifts the
    // target from MAX_WINDOW to ONCE_MAX_WINDOW at the second burst's writes (the model at 2000, generator seed 1:
    // −1.59 → −0.33 vs LRU; bench/sim/mild-diag.ts).
    burstTrace(CAPACITY, 1, 1.25, 2, false, seed + 7),
    // Stop 53: bursts of 0.65 × capacity read three times (COLD_WINDOW fires at the fill; COLD_SHED makes protected's
    // unhit overflow main's victim while main sheds), reads 0.2 × capacity late after a fill of sets alone
    // (FILL_ROTATE), and write-then-read written back, a loop, a scan and a lag phase (ONCE_LIFT, then ONCE_DROP).
    burstTrace(CAPACITY, 1, 0.65, 3, false, seed + 8),
    delayTrace(CAPACITY, 1, 0.2, false, seed + 9),
    sweepPhases(CAPACITY, 1, ['back', 'loop', 'scan', 'lag'], 14, seed + 10),
    // Stop 54 (MISS_RUN, MISS_UNDO): a lag phase whose opening's gets miss the Zipf phase's rare keys (the run of
    // misses, the jump and a verdict that lets it stand), and 404 floods with unasked writes going on through them
    // beside a Zipf set read cache-aside (the jump, then main's hits undo it; cache-aside loads take their miss off).
    sweepPhases(CAPACITY, 1, ['zipf', 'lagx'], 7, seed + 11),
    floodTrace(CAPACITY, 1, 0.25, 1, 0.3, true, seed + 12),
    // Stop 56 (STALE_FAST, its hold and its ageing): a Zipf(1.1) hot set over 1.5 keys per entry shifted by half a
    // capacity of key ids every 6 capacities (the model opens the gate by STALE_FAST on trace seeds 20, 21 and 23).
    movingTrace(CAPACITY, 1, 1.1, 1.5, 6, 0.5, seed + 13),
    // Stop 56 (DRY_RUN): a lag phase whose opening's gets all hit one saturated key (the dry run, the jump and a verdict
    // that skips the hot key's repeats), and a small hot set read cache-aside, saturated, beside writes never read (the
    // jump, main's hits on many keys undo it, and the lockout keeps it from coming back).
    sweepPhases(CAPACITY, 1, ['zipf', 'lag'], 7, seed + 14),
    saturatedHotSet(100, 20 * CAPACITY, seed + 15),
    // Stop 57 (DRY_RUN_COST, DRY_RUN_CAP): a lag phase whose opening also reads a hot set of 100 keys (a tenth of its
    // reads; recency-sweep.ts lagh): their counts rise while the run forms, each addition takes DRY_RUN_COST off it.
    sweepPhases(CAPACITY, 1, ['zipf', 'lagh'], 7, seed + 16, 20, { q: 0.1, hot: 100 }),
  ]
}

/** Gets of `hot` keys read cache-aside (20 each first), each followed by a set of a new key no get asks for. */
function saturatedHotSet(hot: number, n: number, seed: number): Trace {
  const rng = new Prng(seed)
  const warm = 20 * hot
  const keys = new Int32Array(warm + 2 * n)
  const ops = new Uint8Array(keys.length)
  for (let i = 0; i < warm; i++) keys[i] = rng.nextInt(hot)
  for (let i = 0; i < n; i++) {
    keys[warm + 2 * i] = rng.nextInt(hot)
    keys[warm + 2 * i + 1] = hot + i
    ops[warm + 2 * i + 1] = OP_WRITE
  }
  return { name: `saturated hot set of ${hot} beside writes`, keys, ops, universe: hot + n }
}

/** Every read's outcome (1 = hit) and the cache's eviction and rejection counts. */
function replay(engine: Engine, trace: Trace, seed: number): { outcomes: Uint8Array; evictions: number; rejections: number } {
  const cache = new Cache<string>({ maxBytes: 64 << 20, maxEntries: CAPACITY, codec: 'string', seed, shards: 1, engine })
  const outcomes = new Uint8Array(trace.keys.length)
  for (let i = 0; i < trace.keys.length; i++) {
    const key = String(trace.keys[i]!)
    const op = trace.ops?.[i] ?? 0
    if (op === OP_WRITE) {
      cache.set(key, '1')
      continue
    }
    const hit = cache.get(key) !== undefined
    outcomes[i] = hit ? 1 : 0
    if (!hit && op !== OP_READ) cache.set(key, '1')
  }
  const s = cache.stats()
  cache.close()
  return { outcomes, evictions: s.evictions, rejections: s.rejections }
}

describe('lockstep', () => {
  it.skipIf(!nativeBuilt)('wasm and native: the same hits, misses, evictions and rejections, request by request', () => {
    const seed = testSeed(7)
    for (const trace of traces(seed)) {
      const a = replay('wasm', trace, seed)
      const b = replay('native', trace, seed)
      const first = a.outcomes.findIndex((x, i) => x !== b.outcomes[i])
      expect(first, `${trace.name}: first difference at request ${first}`).toBe(-1)
      expect(b.evictions, trace.name).toBe(a.evictions)
      expect(b.rejections, trace.name).toBe(a.rejections)
      expect(a.evictions, trace.name).toBeGreaterThan(0)
    }
  })

  // The mean over three seeds: one seed's gap moves by about ±1.5 points from seed to seed on the
  // phases (30 seeds, stop 34: model 43.59% on average, the engine 42.37%; seed 8 alone 1.67 apart,
  // 2.22 with a sketch layout tried then), so a single seed held to 2 points fails on noise, not drift.
  it('the model and the wasm engine: the same hit ratio within 2 points (mean of three seeds)', () => {
    const seeds = [8, 9, 10].map((s) => testSeed(s))
    const sums = new Map<string, { model: number; engine: number }>()
    for (const seed of seeds) {
      for (const trace of traces(seed)) {
        const model = simulate(trace, 'model', CAPACITY, new CortadoModel(CAPACITY, trace, { seed })).hitRatio * 100
        const real = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { shards: 1 })
        const engine = simulate(trace, 'cortado', CAPACITY, real).hitRatio * 100
        real.close()
        const sum = sums.get(trace.name) ?? { model: 0, engine: 0 }
        sums.set(trace.name, { model: sum.model + model, engine: sum.engine + engine })
      }
    }
    for (const [name, { model, engine }] of sums) {
      const m = model / seeds.length
      const e = engine / seeds.length
      expect(Math.abs(e - m), `${name}, seeds ${seeds.join(', ')}: model ${m.toFixed(2)}%, engine ${e.toFixed(2)}%`).toBeLessThan(2)
    }
  })

  // Stop 43 (model-gap): the engines count towards the sketch's ageing only the increments that raised
  // a counter (assembly/sketch.ts countAccess: a hot key at 15 writes nothing), and the model counted
  // every one, so under a saturated hot set it aged its sketch sooner. That alone put the model 0.25
  // above the engines on Zipf moving every 2 capacities. One key read sample + 3 times: saturated after
  // 15, so the engines never age; a model that counts saturated increments halves it at the sample.
  it('the model and the engines age the sketch after the same increments (saturated ones do not count)', () => {
    const seed = testSeed(11)
    const C = 1000
    const n = C * 12 + 3
    const cache = new Cache<string>({ maxBytes: 8 << 20, maxEntries: C, codec: 'string', seed, shards: 1 })
    const trace: Trace = { name: 'one key', keys: new Int32Array(n), universe: 1 }
    const model = new CortadoModel(C, trace, { seed })
    for (let i = 0; i < n; i++) {
      if (cache.get('0') === undefined) cache.set('0', '1')
      model.access(0)
    }
    const engine = probeSketch(cache as Cache<unknown>, '0').estimate
    cache.close()
    const modelled = model.shards[0]!.sketch.estimate(hashKey(0, seed))
    expect(engine, `seed ${seed}`).toBe(15)
    expect(modelled, `seed ${seed}: model ${modelled}, engine ${engine}`).toBe(engine)
  })
})
