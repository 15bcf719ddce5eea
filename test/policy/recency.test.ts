/**
 * Issue 18: the default policy must keep what was just written. Write-then-read-soon (one set per 10
 * operations, reads uniform over the last k × capacity keys written, a miss never written back) on
 * each engine, against exact LRU on the same trace. Before the fix the default policy hit 19–73%
 * here where LRU hits 100%: its window adapted only when a rejected key was set again.
 */
import { expect, it } from 'vitest'
import { LruPolicy } from '../../bench/sim/policies/lru.js'
import { RealCachePolicy } from '../../bench/sim/policies/cortado.js'
import { simulate } from '../../bench/sim/simulate.js'
import { writeThenReadTrace } from '../../bench/workloads/recency-trace.js'
import { recencyWorkloads } from '../../bench/workloads/recency-suite.js'
import { onceZipfTrace } from '../../bench/workloads/once-zipf-trace.js'
import { zipfTrace } from '../../bench/workloads/zipf-trace.js'
import { shiftingTrace } from '../../bench/workloads/shifting-trace.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'
import { DRIFT_BLOCK, DRIFT_FULL, DRIFT_GROW, DRIFT_GROW_DECAY, DRIFT_GROW_HIT, DRIFT_MIN_BLOCK, HIT_GAIN, HIT_GAIN_MAIN, HIT_GAIN_RUNS, HIT_GAIN_UNDO, PROTECTED_SHARE, STALE_GATE, STALE_HOLD, STALE_MAX_WINDOW, STALE_MIN_STEPS, STALE_RUNS } from '../../src/layout/policy.generated.js'
import { OP_READ, OP_WRITE, type Trace } from '../../bench/workloads/trace.js'
import { Prng } from '../../bench/workloads/prng.js'
import { Cache } from '../../src/index.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, type Engine } from '../conformance/engines.js'
import { probeSketch } from './probe.js'

const CAPACITY = 4000

/** Hit ratio in percent over the reads after the first `warm` requests (the adaptation's time); `read` gets the request's index too. */
function steadyHitRatio(trace: Trace, warm: number, read: (key: number, i: number) => boolean, write: (key: number) => void): number {
  let hits = 0
  let reads = 0
  for (let i = 0; i < trace.keys.length; i++) {
    const key = trace.keys[i]!
    if (trace.ops![i] === OP_WRITE) {
      write(key)
      continue
    }
    const hit = read(key, i)
    if (i >= warm) {
      reads++
      if (hit) hits++
    }
  }
  return (100 * hits) / reads
}

/**
 * LRU's and the real cache's (one shard) hit ratios in percent on a once-zipf trace (get, and a set on a
 * miss for the Zipf reads and the written-back ones), over the reads after the first `warm` requests.
 */
function onceZipfVsLru(engine: Engine, trace: Trace, capacity: number, seed: number, warm: number): { got: number, want: number } {
  const run = (p: { read(k: number): boolean; access(k: number): boolean; write(k: number): void }): number =>
    steadyHitRatio(trace, warm, (k, i) => (trace.ops![i] === OP_READ ? p.read(k) : p.access(k)), (k) => p.write(k))
  const want = run(new LruPolicy(capacity, trace) as never)
  const cache = new RealCachePolicy(Cache as never, capacity, trace, seed, { engine, shards: 1 })
  const got = run(cache as never)
  cache.close()
  return { got, want }
}

/** LRU's and the real cache's whole-run hit ratios in percent on one family of the recency suite (one shard unless `shards` says). */
function familyVsLru(engine: Engine, family: string, capacity: number, shards: number | 'default' = 1): { got: number, want: number } {
  const trace = recencyWorkloads().find((w) => w.name === family)!.make(capacity)
  const want = simulate(trace, 'lru', capacity, new LruPolicy(capacity, trace)).hitRatio * 100
  const cache = new RealCachePolicy(Cache as never, capacity, trace, 0x2545f491, shards === 'default' ? { engine } : { engine, shards })
  const got = simulate(trace, 'cortado', capacity, cache).hitRatio * 100
  cache.close()
  return { got, want }
}

/**
 * LRU's and the engine's hit ratios over the reads after `warm` capacities of requests (by default the
 * fill plus 10 capacities, the adaptation: measured on the model at 10k entries, 2 capacities after the
 * fill at 0.2, 6 at 0.5; docs/policy-recency.md), over `capacities` capacities of requests (30 by
 * default), written once or written back on a miss.
 */
function adapted(engine: Engine, capacity: number, distance: number, seed: number,
  { capacities = 30, warm = 11, writeBack = false, writeShare = 0.1 } = {}): { want: number; got: number } {
  const trace = writeThenReadTrace({ capacity, distance, length: capacities * capacity, writeBack, writeShare, seed })
  const lru = new LruPolicy(capacity, trace)
  const want = steadyHitRatio(trace, warm * capacity, (k) => (writeBack ? lru.access(k) : lru.read(k)), (k) => lru.write(k))
  const cache = new RealCachePolicy(Cache as never, capacity, trace, seed, { engine, shards: 1 })
  const got = steadyHitRatio(trace, warm * capacity, (k) => (writeBack ? cache.access(k) : cache.read(k)), (k) => cache.write(k))
  cache.close()
  return { want, got }
}

forEachEngine('write-then-read-soon', (engine) => {
  for (const distance of [0.2, 0.5]) {
    it(`reads over the last ${distance} × capacity writes, never written back: within 1 point of LRU once adapted`, () => {
      const { want, got } = adapted(engine, CAPACITY, distance, testSeed(18))
      expect(want).toBeGreaterThan(99)
      expect(got, `LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - 1)
    })
  }

  it('reads over the last 1.5 × capacity writes (more than fits), never written back: within 1.5 points of LRU once adapted', () => {
    // The goal is LRU − 1; measured here (seed 20): −1.15 at 10k entries, −2.0 at 4k (61.1% vs 63.1%);
    // main had −13. docs/policy-recency.md says where this goal stands.
    const { want, got } = adapted(engine, 10_000, 1.5, testSeed(20))
    expect(got, `LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - 1.5)
  })

  // Keys written unasked stay marked in the miss filter after they are written back, so their returns
  // still count for a bigger window (UNASKED_GAIN times each, stop 29), and the window's growth ages
  // the sketch early (POLICY.md). Measured (4000 entries, one shard, seeds 19/24/25), vs LRU: at 0.9 ×
  // capacity −0.31/−0.12/−0.30 (−0.95/−0.92/−1.01 with UNASKED_GAIN 1, −3.86/−3.92/−3.97 without the
  // early ageing either); at 1.5 × capacity −0.83/−1.04/−0.94, seeds 1/2/3 −0.77/−0.85/−0.84
  // (−1.94/−2.36/−1.67 with UNASKED_GAIN 1, −3.04/−3.56/−2.72 without the early ageing, −5.90/−4.74/
  // −4.56 without the filter either). The goal is LRU − 1 (10k and 100k entries: −0.75/−0.74).
  // Stop 33 (UNASKED_TIE, 16 sketch counters per entry), seeds 19/24/25/1/2/3: 0.9 × capacity +2.16 /
  // +2.99 / +2.15 / +3.22 / +3.31 / +3.45; 1.5 × capacity −0.83 / +0.33 / +0.02 / −0.12 / −0.27 / +1.09
  // (with UNASKED_GAIN 1: −1.15 / −1.63 / −1.18 / −0.66 / −0.34 / −0.99), so the 1.5 row is held to
  // the mean of three seeds within 0.75 (−0.16 now, −1.32 without the gain).
  for (const [distance, slack, seeds] of [[0.9, 1, [19]], [1.5, 0.75, [19, 24, 25]]] as const) {
    it(`over the whole run, with write-back on a miss, within ${slack} point${slack === 1 ? '' : 's'} of LRU at ${distance} × capacity`, () => {
      let want = 0
      let got = 0
      for (const s of seeds) {
        const seed = testSeed(s)
        const trace = writeThenReadTrace({ capacity: CAPACITY, distance, length: 20 * CAPACITY, writeBack: true, seed })
        want += simulate(trace, 'lru', CAPACITY, new LruPolicy(CAPACITY, trace)).hitRatio * 100 / seeds.length
        const cache = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { engine, shards: 1 })
        got += simulate(trace, 'cortado', CAPACITY, cache).hitRatio * 100 / seeds.length
        cache.close()
      }
      expect(got, `LRU ${want.toFixed(2)}%, seeds ${seeds.map((s) => testSeed(s)).join(', ')}`).toBeGreaterThanOrEqual(want - slack)
    })
  }

  it('over the whole run, with write-back on a miss, within 1 point of LRU at 0.5 × capacity', () => {
    const seed = testSeed(19)
    const trace = writeThenReadTrace({ capacity: CAPACITY, distance: 0.5, length: 20 * CAPACITY, writeBack: true, seed })
    const want = simulate(trace, 'lru', CAPACITY, new LruPolicy(CAPACITY, trace)).hitRatio * 100
    const cache = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { engine, shards: 1 })
    const got = simulate(trace, 'cortado', CAPACITY, cache).hitRatio * 100
    cache.close()
    expect(got, `LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * Stop 32: once recency has won (the window grown to RETURN_LEVEL × capacity), a key written back after
 * a miss goes to probation, not the window (RETURN_TO in src/layout/policy.json). Without it, write-back
 * at 0.9 × capacity settles 5–6 points under LRU once adapted: the window, pinned at its maximum, is a
 * FIFO of inserts, every write-back (an old key coming back) takes a place in it for a whole window's
 * worth of inserts, the newest writes it then covers fall short of the read distance, more reads miss
 * and are written back, and the cache ends near 88% where LRU keeps 94% (model, 10k entries, second
 * half of 40 capacities: 87.8% vs 93.9%; docs/policy-recency.md "Stop 32"). One shard, 40 capacities of
 * requests after the fill, the second half measured.
 */
// Built with RETURN_TO 0 (the policy before stop 32), all four fail (1.0 × cap, seed 32: 85.45% vs LRU
// 88.22%).
// The bench's latency suite (issue 18): a cache filled by sets, then one set per 10 operations and reads
// over the last 0.5 × capacity writes, measured from the fill on (not once adapted). The first new keys
// leave a 1% window and tie with the fill's never-read keys in main (both seen once): they lost every
// such tie until UNASKED_TIE (stop 33), and stayed out until they left the read range (5 capacities).
// Measured (4000 entries, one shard, 5 capacities, seeds 31/32/33/1/2/3): stop 32 95.91 / 96.92 / 97.39
// / 96.75 / 96.91 / 96.69 (mean 96.76); with UNASKED_TIE and the sketch's 16 counters per entry 99.68 /
// 99.06 / 97.71 / 99.85 / 99.79 / 99.82 (99.32); UNASKED_TIE alone, 8 counters: 98.9 at 100k. Stop 41's
// two-word sketch: 99.50 with 16 counters per entry, 98.84 with 8 (the four-word sketch's 8 fell under
// 98.5, the two-word one's did not: the bound is 99.2 so the 16 counters stay pinned).
forEachEngine('write-then-read from the fill on', (engine) => {
  it('new keys written once win their ties with the fill\'s never-read keys (the first 5 capacities)', () => {
    const seeds = [31, 32, 33, 1, 2, 3].map((s) => testSeed(s))
    let sum = 0
    for (const seed of seeds) {
      const trace = writeThenReadTrace({ capacity: CAPACITY, distance: 0.5, length: 5 * CAPACITY, writeBack: false, seed })
      const cache = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { engine, shards: 1 })
      sum += steadyHitRatio(trace, 0, (k) => cache.read(k), (k) => cache.write(k))
      cache.close()
    }
    expect(sum / seeds.length, `seeds ${seeds.join(', ')}`).toBeGreaterThanOrEqual(99.2)
  })
})

forEachEngine('write-back once adapted', (engine) => {
  for (const distance of [0.9, 1.0]) {
    it(`reads over the last ${distance} × capacity writes, written back on a miss: within 0.5 of LRU once adapted`, () => {
      const seed = testSeed(32)
      const { want, got } = adapted(engine, CAPACITY, distance, seed, { capacities: 40, warm: 21, writeBack: true })
      expect(got, `LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - 0.5)
    })
  }
})

/**
 * Write-once reads over the last 1.0 × capacity writes: the window must grow to the whole cache so the
 * fill's stale frequencies stop rejecting newcomers. Model, 10k entries, second half of 40 capacities:
 * +7.05 over LRU with the early ageing, +0.50 without (stop 32); since the write-once rule
 * (ONCE_MAX_WINDOW, stop 37) the window gets there without it, and the early ageing is pinned by the
 * moving Zipf below (stop 38).
 */
forEachEngine('write-once at 1.0 × capacity once adapted', (engine) => {
  it('reads over the last 1.0 × capacity writes, never written back: at least 3 points over LRU once adapted', () => {
    const seed = testSeed(34)
    const { want, got } = adapted(engine, CAPACITY, 1.0, seed, { capacities: 40, warm: 21 })
    console.log(`[write-once 1.0 × cap, ${engine}] LRU ${want.toFixed(2)}%, Cortado ${got.toFixed(2)}%`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want + 3)
  })
})

/**
 * Stop 37 (ONCE_SHARE, ONCE_MAX_WINDOW in src/layout/policy.json): write-once traffic with many writes per
 * read. At one write per 2 operations each key is read about once in its life, so frequencies are ~1
 * everywhere and favour old keys about to die; the early ageings that let the window grow cleared the
 * miss filter's marks, so newcomers at 0 lost their ties to dead keys at 0 and the window took 20
 * capacities to grow, and pinned at 0.9 it left main's 10% to keys read once long ago. Model, 10k
 * entries, reads over the last 2 × capacity writes, vs LRU whole run / second half of 40 capacities:
 * −8.70 / −3.07 before, +0.06 / +0.29 now (docs/policy-recency.md "Stop 37").
 */
forEachEngine('write-once, one write per 2 operations', (engine) => {
  for (const distance of [1.5, 2]) {
    it(`reads over the last ${distance} × capacity writes: within 1 point of LRU over the whole run, 0.5 once adapted`, () => {
      const seed = testSeed(37)
      const whole = adapted(engine, CAPACITY, distance, seed, { capacities: 40, warm: 1, writeShare: 0.5 })
      const late = adapted(engine, CAPACITY, distance, seed, { capacities: 40, warm: 21, writeShare: 0.5 })
      const seen = `seed ${seed}: whole run ${whole.got.toFixed(2)}% (LRU ${whole.want.toFixed(2)}%), second half ${late.got.toFixed(2)}% (LRU ${late.want.toFixed(2)}%)`
      console.log(`[write-once ${distance} × cap, share 0.5, ${engine}] ${seen}`)
      expect(whole.got, seen).toBeGreaterThanOrEqual(whole.want - 1)
      expect(late.got, seen).toBeGreaterThanOrEqual(late.want - 0.5)
    })
  }
})

/**
 * The same traffic on a cache that starts empty (no fill of never-read keys to replace: main fills with
 * keys read once or twice, which beat every newcomer whatever its mark). The window must grow out of
 * ghost evidence alone, and each key's return is rare at this write share: a returning candidate written
 * unasked counts ONCE_GAIN (30) times, not UNASKED_GAIN (3). Model, one shard, 10k entries, 40
 * capacities: −8.57 vs LRU with UNASKED_GAIN, −1.91 with ONCE_GAIN (the lead's mixprobe row "w=0.5
 * uniform k=2 recentReads=0.6 once"; the real cache −8.06 on main).
 */
forEachEngine('write-once from an empty cache, one write per 2 operations', (engine) => {
  it('reads over the last 2 × capacity writes: within 1 point of LRU over the whole run', () => {
    const seed = testSeed(38)
    const rng = new Prng(seed)
    const length = 40 * CAPACITY
    const keys = new Int32Array(length)
    const ops = new Uint8Array(length)
    let written = 0
    for (let i = 0; i < length; i++) {
      if (written === 0 || rng.nextFloat() < 0.5) {
        keys[i] = written++
        ops[i] = OP_WRITE
      } else {
        keys[i] = written - 1 - rng.nextInt(Math.min(written, 2 * CAPACITY))
        ops[i] = OP_READ
      }
    }
    const trace: Trace = { name: 'write-once from empty', keys, ops, universe: written }
    const lru = new LruPolicy(CAPACITY, trace)
    const want = steadyHitRatio(trace, 0, (k) => lru.read(k), (k) => lru.write(k))
    const cache = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { engine, shards: 1 })
    const got = steadyHitRatio(trace, 0, (k) => cache.read(k), (k) => cache.write(k))
    cache.close()
    console.log(`[write-once from empty, 2 × cap, share 0.5, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * Stop 38 (AGE_SPACING 4 in src/layout/policy.json): a cache that starts empty, one new key per 3
 * operations, reads over the last 0.5 × capacity writes, a missed key written back. Everything fits,
 * LRU hits every read. While the window grows the early ageing halved the sketch and cleared the miss
 * filter every quarter capacity of increments, so the keys read while the cache filled beat newcomers
 * that had lost their written-unasked mark. Real cache, 4000 entries, one shard, 40 capacities, whole
 * run vs LRU (seeds 38/39/40): −1.25 / −1.19 / −1.17 with early ageings 0.25 × capacity apart (and the
 * former swing guard), −0.54 / −0.47 / −0.49 with 4.
 */
forEachEngine('write-back from an empty cache, one write per 3 operations', (engine) => {
  it('reads over the last 0.5 × capacity writes: within 1 point of LRU over the whole run', () => {
    const seed = testSeed(39)
    const trace = writeThenReadTrace({ capacity: CAPACITY, distance: 0.5, length: 40 * CAPACITY, writeBack: true, writeShare: 0.3, fill: false, seed })
    const lru = new LruPolicy(CAPACITY, trace)
    const want = steadyHitRatio(trace, 0, (k) => lru.access(k), (k) => lru.write(k))
    const cache = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { engine, shards: 1 })
    const got = steadyHitRatio(trace, 0, (k) => cache.access(k), (k) => cache.write(k))
    cache.close()
    console.log(`[write-back from empty, 0.5 × cap, share 0.3, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * What the early ageing (AGE_ON_GROWTH) is kept for since stop 38: a hot set that moves to new keys
 * every 10 capacities of requests (cache-aside, the suite's moving Zipf). The window grows after each
 * move, and halving the sketch then lets the new hot keys beat the old ones' counts in main before the
 * regular ageing would. Real cache, one shard, vs LRU: 4000 entries −0.75 (−1.24 without the early
 * ageing, −0.54 with early ageings 0.25 × capacity apart), 10k −0.83 (−1.33, −0.55).
 */
forEachEngine('Zipf moving every 10 capacities', (engine) => {
  it('cache-aside: within 1 point of LRU', () => {
    const { got, want } = familyVsLru(engine, 'zipf(0.9) 20 keys/entry, moving every 10×cap', CAPACITY)
    console.log(`[Zipf moving every 10 × cap, ${engine}] ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
    expect(got, `LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * UNASKED_KEEP and QUIET_MAIN (stop 47): a Zipf hot set read cache-aside for 5 capacities, then
 * write-then-read alone (one write in 10, no bulk fill; the suite's family). The keys written after the
 * switch must win their contests against the hot set's counted keys at once: rejected, they are lost
 * (written once). The window grew from ghost returns that counted once, as if loaded after a miss (each
 * early ageing cleared their 'written unasked' marks), against main's returns of new keys it had taken
 * in. Real cache, one shard, 10k entries, vs LRU, 0.5 / 1.5 × capacity: −1.00 / −1.79 before, −0.40 /
 * −0.65 now. Smaller caches gained less (2000 entries: −1.83 / −2.06 → −1.21 / −1.18; 4000: −1.06 /
 * −1.69 → −1.06 / −1.40) until QUIET_SCALE (stop 48): docs/policy-recency.md "Stop 47, lead", "Stop 48, lead".
 */
forEachEngine('a Zipf hot set read cache-aside, then write-then-read alone', (engine) => {
  // [family, bound under LRU]: written once within 1 point (main: 1.00 / 1.79 under); written back over
  // 0.5 × capacity within 0.4 (main 0.43 under; 0.57 without UNASKED_KEEP, 0.46 with every main return
  // shutting the quiet gate).
  const rows: [string, number][] = [['write-once 0.5', 1], ['write-once 1.5', 1], ['write-back 0.5', 0.4]]
  for (const [row, bound] of rows) {
    it(`${row} × capacity: within ${bound} of LRU over the whole run`, () => {
      const { got, want } = familyVsLru(engine, `zipf→write-then-read ${row}×cap`, 10_000)
      console.log(`[zipf→write-then-read ${row} × cap, ${engine}] ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
      expect(got, `LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - bound)
    })
  }

  // QUIET_SCALE (stop 48): a small shard sees few ghost returns a capacity, and blocks of 64 took it more
  // than a capacity to see that main's keys had gone quiet; write-once keys rejected meanwhile are lost.
  // Real cache, one shard, vs LRU, written once over 0.5 / 1.5 × capacity: 2000 entries −1.21 / −1.18 →
  // −0.54 / −0.58, 4000 −1.06 / −1.40 → −0.40 / −0.94.
  for (const capacity of [2000, 4000]) {
    it(`write-once 0.5 and 1.5 × capacity, ${capacity} entries: within 1 of LRU over the whole run`, () => {
      for (const row of ['write-once 0.5', 'write-once 1.5']) {
        const { got, want } = familyVsLru(engine, `zipf→write-then-read ${row}×cap`, capacity)
        console.log(`[zipf→write-then-read ${row} × cap, ${capacity} entries, ${engine}] ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
        expect(got, `${row} × capacity, ${capacity} entries: LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - 1)
      }
    })
  }
})

/**
 * SATURATED_TIE (stop 48) at 100k entries, the cache's default shards: the suite's written-once row over 1.5 ×
 * capacity. With the sim's seed (0x2545f491) one shard collapsed without the rule: −5.06 against LRU (−5.09 with
 * UNASKED_GAIN and LATE_FREQUENCY off too) where it reads −0.55, 78.61% (seeds 1–3: −0.63 / −0.67 / −0.64 either way). Stop 57 retired the rule on the model's word (neutral on every
 * model gate, its planted bug surviving every test); the real suite at 100k said otherwise, and the rule was kept.
 */
forEachEngine('a saturated tie at 100k entries (SATURATED_TIE)', (engine) => {
  it('zipf→write-then-read write-once 1.5 × capacity, 100k entries, default shards: within 1 of LRU', () => {
    const { got, want } = familyVsLru(engine, 'zipf→write-then-read write-once 1.5×cap', 100_000, 'default')
    console.log(`[saturated tie, 100k, ${engine}] ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
    expect(got, `LRU ${want.toFixed(2)}%`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * ONCE_HOT_SHARE (issue #18 after stop 37): write-once traffic beside a hot set read cache-aside. The share
 * of inserts written unasked is as high as pure write-once traffic's (the Zipf misses are the only inserts
 * asked for), so the write-once rule let the window take 0.995 of the cache and the Zipf set lost its room
 * (model, 10k entries, this mix: −4.33 / −5.21 vs LRU, whole run / second half). Its cache-aside returns
 * (keys back from the ghost, asked for, never written unasked), which write-once traffic never inserts,
 * now keep the window's maximum at MAX_WINDOW: model −1.56 / +0.03 (docs/policy-recency.md "Stop 38").
 */
forEachEngine('write-once beside a hot set, one write per 2 operations', (engine) => {
  it('20% Zipf reads, 30% reads of recent writes (exponential over 1.5 × capacity): within 0.5 of LRU once adapted', () => {
    const seed = testSeed(39)
    const trace = onceZipfTrace({ capacity: CAPACITY, length: 40 * CAPACITY, w: 0.5, r: 0.3, k: 1.5, exponential: true, writeBack: false, seed })
    const { got, want } = onceZipfVsLru(engine, trace, CAPACITY, seed, trace.keys.length / 2)
    console.log(`[write-once beside Zipf, exp 1.5 × cap, share 0.5, ${engine}] seed ${seed}: second half ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 0.5)
  })
})

/**
 * Write-back traffic beside a hot set read cache-aside (10k entries, one shard, seed 41, 40 capacities): `w` of the
 * operations write, `r` read recent writes (uniform over 1 × capacity, written back on a miss); at least `lead`
 * points over LRU over the whole run.
 */
function expectWriteBackBesideHotSetLead(engine: Engine, w: number, r: number, lead: number): void {
  const seed = testSeed(41)
  const capacity = 10_000
  const trace = onceZipfTrace({ capacity, length: 40 * capacity, w, r, k: 1, exponential: false, writeBack: true, seed })
  const { got, want } = onceZipfVsLru(engine, trace, capacity, seed, 0)
  console.log(`[write-back beside Zipf, uniform 1 × cap, r ${r}, w ${w}, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
  expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want + lead)
}

/**
 * UNASKED_GAIN (stop 47's survey): write-back traffic beside a hot set read cache-aside, one write in 10,
 * 30% reads of recent writes (uniform over 1 × capacity), written back on a miss. The hot set's keys keep
 * coming back to main, so the quiet gate stays shut and a returning key written unasked counts
 * UNASKED_GAIN (3) times: the window outgrows the evidence of main's returns. Real cache, 10k entries, one
 * shard, seed 41: +3.89 over LRU; counted once, +0.80.
 */
forEachEngine('write-back beside a hot set, one write in 10', (engine) => {
  it('30% reads of recent writes, uniform over 1 × capacity: at least 2 points over LRU', () => {
    expectWriteBackBesideHotSetLead(engine, 0.1, 0.3, 2)
  })
})

/**
 * Stop 58 (mutants58): the row above no longer tells UNASKED_GAIN from 1 (stop 56's rules hold it: the mutant
 * unasked-gain-ignored survived every test since). Three writes in 10 and half the reads recent (uniform over 1 ×
 * capacity, written back) still need it: real cache, 10k entries, one shard, whole run vs LRU (bench replay, wasm),
 * trace / hash seeds 41 / 1–3, 1–3 / 1–4: +10.65 to +10.81 over LRU; a returning key written unasked counted once,
 * +9.65 to +9.85 (4000 entries: +9.67 to +11.00 against +8.27 to +9.81, too close across seeds). Held at a lead of 10.25.
 */
forEachEngine('write-back beside a hot set, three writes in 10, half the reads recent', (engine) => {
  it('50% reads of recent writes, uniform over 1 × capacity: at least 10.25 points over LRU', () => {
    expectWriteBackBesideHotSetLead(engine, 0.3, 0.5, 10.25)
  })
})

/**
 * ONCE_SHARE 0.75 (stop 41): write-once beside a hot set with 20% reads of recent writes, exponential over
 * 1 × capacity. Its share of inserts written unasked sits at 0.72–0.74 (model): with ONCE_SHARE 0.7 the
 * write-once rule held, and the run ended 1.25 / 1.33 under LRU (bench/arena/recency-mix.ts, 10k entries,
 * written once / back); now +0.18 / +1.07. Here (4000 entries, seed 41): main −1.26 written once; now +0.84 / +1.57
 * (+0.71 / +1.77 before the two-word sketch of the same stop).
 */
forEachEngine('write-once beside a hot set, 20% reads of recent writes over 1 × capacity', (engine) => {
  it('within 1 point of LRU over the whole run, written once and written back', () => {
    const seed = testSeed(41)
    for (const writeBack of [false, true]) {
      const trace = onceZipfTrace({ capacity: CAPACITY, length: 40 * CAPACITY, w: 0.5, r: 0.2, k: 1, exponential: true, writeBack, seed })
      const { got, want } = onceZipfVsLru(engine, trace, CAPACITY, seed, 0)
      console.log(`[write-once beside Zipf, exp 1 × cap, r 0.2, ${writeBack ? 'back' : 'once'}, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
      // At LRU or above (stop 47: +0.99 / +1.63; ONCE_SHARE 0.7 reads −0.97 / −0.96, which the issue's
      // LRU − 1 let pass once the quiet gate took pure write-once traffic off ONCE_SHARE's other tests).
      expect(got, `${writeBack ? 'written back' : 'written once'}: LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want)
    }
  })
})

/**
 * LATE_SHARE (stop 50, lagonce): write-once traffic beside a hot set read cache-aside, one write in 10, 20%
 * reads of recent writes uniform over 1.5 × capacity. Its share of inserts written unasked (0.19-0.29)
 * is above RETURN_SHARE, and at that share LATE_HIT fired on the recent reads' first hits in probation
 * while the cache filled, before the hot set's returns showed: the window jumped to 0.9 and ARC's ghost
 * weights kept it there, and the hot set lost its room (model, 10k entries: +3.59 / +3.49 vs LRU, whole
 * run / second half, -> -0.80 / -2.48). LATE_SHARE (0.5) keeps the rule for write-then-read traffic.
 */
forEachEngine('write-once beside a hot set, one write in 10, reads uniform over 1.5 × capacity', (engine) => {
  it('20% reads of recent writes: at least 2 points over LRU once adapted', () => {
    const seed = testSeed(50)
    const capacity = 10_000
    const trace = onceZipfTrace({ capacity, length: 40 * capacity, w: 0.1, r: 0.2, k: 1.5, exponential: false, writeBack: false, seed })
    const { got, want } = onceZipfVsLru(engine, trace, capacity, seed, trace.keys.length / 2)
    console.log(`[write-once beside Zipf, uniform 1.5 × cap, w 0.1 r 0.2, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want + 2)
  })
})

/**
 * The write-back rule's switch, read from the shard's policy state: on once write-backs of keys back
 * from the ghost arrive while recency has won, off again as soon as the traffic turns cache-aside
 * (every insert follows a miss: the share of inserts written unasked falls under RETURN_SHARE), so a
 * Zipf phase's misses go to the window and its contest as before, not to probation.
 */
forEachEngine('the write-back rule switches itself off', (engine) => {
  it('is on under write-back traffic once recency has won, and off once the traffic turns cache-aside', () => {
    const seed = testSeed(33)
    const cache = new Cache<string>({ engine, shards: 1, maxBytes: CAPACITY * 512 + (16 << 20), maxEntries: CAPACITY, codec: 'string', seed })
    try {
      const { views } = engineInternals(cache)
      const ruleOn = () => views.u32[(cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_RETURN_ON) >>> 2]
      const trace = writeThenReadTrace({ capacity: CAPACITY, distance: 0.9, length: 30 * CAPACITY, writeBack: true, seed })
      for (let i = 0; i < trace.keys.length; i++) {
        const k = `w${trace.keys[i]}`
        if (trace.ops![i] === OP_WRITE || cache.get(k) === undefined) cache.set(k, '1')
      }
      expect(ruleOn(), `seed ${seed}`).toBe(1)
      // Off within 4 capacities (seed 33: off at ~3, with the window still at 0.58 × capacity; without
      // the share's switch the rule stays on until the window falls under RETURN_LEVEL, after ~8).
      const zipf = zipfTrace({ keys: 20 * CAPACITY, s: 0.9, length: 4 * CAPACITY, seed })
      for (const key of zipf.keys) {
        const k = `z${key}`
        if (cache.get(k) === undefined) cache.set(k, '1')
      }
      expect(ruleOn(), `seed ${seed}`).toBe(0)
    } finally {
      cache.close()
    }
  })
})

/**
 * The other side of the young-key rule: a loop a little larger than the cache, asked for cache-aside
 * (get, set on a miss). Its keys come back from the ghost seen once, like a write-then-read key, but
 * each had missed before and was never written unasked, so the miss filter says "loaded again", not
 * "written and read back", and the window stays small (W-TinyLFU keeps a fixed share of the loop).
 * Measured (4000 entries, one shard, 3 passes over 5000 keys, seeds 21/22/23): 52.4/52.8/52.4% on
 * both engines with the filter, 44.8/47.0/42.4% with MISS_FILTER_SHARE = 0, which is what the engines
 * did before it (the LIRS gli trace lost 2.4 points at 1000 entries); the model: 51.4% and 40.2%.
 */
forEachEngine('a loop larger than the cache, cache-aside', (engine) => {
  it('keeps the hits of a small window: returning keys that were loaded do not grow it', () => {
    const capacity = CAPACITY
    const loop = Math.round(1.25 * capacity)
    const passes = 3
    const keys = new Int32Array(loop * passes)
    for (let p = 0; p < passes; p++) for (let i = 0; i < loop; i++) keys[p * loop + i] = i
    const trace: Trace = { name: 'loop', keys, universe: loop }
    // The mean of five seeds: one seed's ratio moves by a few points with the sketch's hashes (stop 41,
    // seeds 1-30: 47.7-52.8, 5 under 50 with the four-word sketch, 2 with the two-word one, whose seed
    // 21 gave 47.68 where the four-word one gave 51.87), so one seed held to 50 failed on hash noise.
    const base = testSeed(21)
    const seeds = [0, 1, 2, 3, 4].map((i) => base + i)
    let sum = 0
    for (const seed of seeds) {
      const cache = new RealCachePolicy(Cache as never, capacity, trace, seed, { engine, shards: 1 })
      sum += simulate(trace, 'cortado', capacity, cache).hitRatio * 100
      cache.close()
    }
    expect(sum / seeds.length, `seeds ${seeds}`).toBeGreaterThanOrEqual(50)
  })
})

/**
 * The early ageing's bound (AGE_SPACING in src/layout/policy.json; until stop 38 0.25 × capacity and a
 * guard of 4 × capacity after a swing, now 4 × capacity). A loop a little larger
 * than the cache (1.07 × capacity, get and set on a miss) moves the window up and down by more than
 * AGE_ON_GROWTH again and again; before the bound every swing halved the sketch, 20-30 times per
 * capacity of requests, until most of the loop's keys estimated 0 (nothing counted as hot any more)
 * and the loop lost a fifth of its hits. Measured (4000 entries, one shard, 16 passes, seeds 1-6,
 * the loop's hit ratio after the first 4 passes / share of its keys at estimate 0): before the bound
 * 60.5/93%, 65.5/35%, 68.6/79%, 55.0/98%, 64.4/97%, 79.6/0%; with it 78.3/0%, 78.5/0%, 76.3/0%,
 * 80.0/0%, 78.3/26% (just after a regular ageing), 77.9/0%.
 */
forEachEngine('a loop a little larger than the cache: the early ageing is bounded', (engine) => {
  it('a loop of 1.07 × capacity keeps its frequencies and W-TinyLFU\'s share of its hits', () => {
    const capacity = CAPACITY
    const n = Math.round(1.07 * capacity)
    const base = testSeed(1)
    let hitSum = 0
    let zeroSum = 0
    const seen: string[] = []
    for (const seed of [base, base + 2, base + 3]) {
      const cache = new Cache<string>({ engine, maxBytes: capacity * 512 + (16 << 20), maxEntries: capacity, codec: 'string', seed, shards: 1 })
      let hits = 0
      let reads = 0
      for (let pass = 0; pass < 16; pass++) {
        for (let i = 0; i < n; i++) {
          const key = `k${i}`
          const hit = cache.get(key) !== undefined
          if (!hit) cache.set(key, '1')
          if (pass >= 4) {
            reads++
            if (hit) hits++
          }
        }
      }
      let zero = 0
      let probed = 0
      for (let i = 0; i < n; i += 7, probed++) if (probeSketch(cache as Cache<unknown>, `k${i}`).estimate === 0) zero++
      cache.close()
      hitSum += (100 * hits) / reads
      zeroSum += (100 * zero) / probed
      seen.push(`seed ${seed}: ${((100 * hits) / reads).toFixed(1)}% hits, ${((100 * zero) / probed).toFixed(0)}% of keys at 0`)
    }
    expect(zeroSum / 3, seen.join('; ')).toBeLessThan(30)
    expect(hitSum / 3, seen.join('; ')).toBeGreaterThanOrEqual(72)
  })
})

/** The requests up to the one whose write first makes `capacity` keys written (the cache's first fill). */
function firstFull(trace: Trace, capacity: number): number {
  let written = 0
  for (let i = 0; i < trace.keys.length; i++) if (trace.ops![i] === OP_WRITE && ++written === capacity) return i + 1
  throw new Error('the trace never fills the cache')
}

/**
 * COLD_WINDOW (issue #18, stop 38, docs/policy-recency.md "Stop 38, cold start"): a cache that starts
 * empty, one new key per 10 operations, reads over the last 0.5 × capacity writes, never written back.
 * Everything fits and LRU hits every read, but the keys read while the cache filled carry counts that
 * make admission reject the newcomers just after it is full (a 1% window). Real cache, 4000 entries, one
 * shard, the 5 capacities of requests after the fill (seeds 40/41/42): 86.96 / 86.63 / 88.14% with
 * COLD_WINDOW off, 94.83 / 94.97 / 95.04% with it (seeds 43, 1: 94.73, 94.67). Not to LRU's 100%: the
 * window takes ~5 capacities to push the fill-time keys out of main (10k entries, model, per capacity
 * after the fill: 96.1 / 93.3 / 93.9 / 95.4 / 97.4, off 93.2 / 86.0 / 85.5 / 86.5 / 89.2).
 */
forEachEngine('write-then-read from an empty cache', (engine) => {
  it('reads over the last 0.5 × capacity writes, never written back: within 8 points of LRU in the 5 capacities after it is full (off: 12-13 under)', () => {
    const seed = testSeed(40)
    const trace = writeThenReadTrace({ capacity: CAPACITY, distance: 0.5, length: 30 * CAPACITY, writeBack: false, fill: false, seed })
    const from = firstFull(trace, CAPACITY)
    const head: Trace = { name: trace.name, keys: trace.keys.subarray(0, from + 5 * CAPACITY), ops: trace.ops!.subarray(0, from + 5 * CAPACITY), universe: trace.universe }
    const lru = new LruPolicy(CAPACITY, head)
    const want = steadyHitRatio(head, from, (k) => lru.read(k), (k) => lru.write(k))
    const cache = new RealCachePolicy(Cache as never, CAPACITY, head, seed, { engine, shards: 1 })
    const got = steadyHitRatio(head, from, (k) => cache.read(k), (k) => cache.write(k))
    cache.close()
    console.log(`[write-then-read from empty, 0.5 × cap, after the fill, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%)`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 8)
  })
})

/**
 * COLD_HITS: a bulk warm-up (sets of keys nobody has read yet) fills the cache with nothing but unasked
 * inserts, and without the guard COLD_WINDOW fired at the first cache-aside insert after it: a 0.9
 * window that cache-aside traffic paid for (model, bench/sim/warmup-risk.ts: Zipf −0.6 to −1.4 over the
 * run, a loop of 12k keys under noise at 10k entries −30). The warm-up has no hits, so the window stays
 * where it was; the rule is spent (the shard has been full).
 */
forEachEngine('a bulk warm-up then cache-aside traffic', (engine) => {
  it('does not start with a large window', () => {
    const seed = testSeed(41)
    const cache = new Cache<string>({ engine, shards: 1, maxBytes: CAPACITY * 512 + (16 << 20), maxEntries: CAPACITY, codec: 'string', seed })
    try {
      const { views } = engineInternals(cache)
      const state = cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET
      for (let i = 0; i < CAPACITY; i++) cache.set(`warm${i}`, '1')
      expect(views.u32[(state + L.POLICY_COLD_FULL) >>> 2]).toBe(0)
      const zipf = zipfTrace({ keys: 20 * CAPACITY, s: 0.9, length: CAPACITY / 4, seed })
      for (const key of zipf.keys) {
        const k = `z${key}`
        if (cache.get(k) === undefined) cache.set(k, '1')
      }
      expect(views.u32[(state + L.POLICY_COLD_FULL) >>> 2]).toBe(1)
      const target = views.f64[(state + L.POLICY_WINDOW_TARGET) >>> 3]!
      expect(target, 'window target').toBeLessThan(0.1 * CAPACITY)
    } finally {
      cache.close()
    }
  })
})

/**
 * COLD_HITS_UNASKED (stop 39): a cache-aside hot set served while the cache is far from full hits its own
 * loads, and a bulk warm-up of sets after it (a snapshot restored while the service already answers)
 * brings the unasked share at the first fill to ~1. Counting those hits, COLD_WINDOW fired and the
 * traffic after it paid for a 0.9 window (model, bench/sim/warmup-risk.ts --hot-lead 2: a loop of 12k
 * keys under noise at 10k entries −29.8 over the run, gli 500 −18.9). Only hits on keys written unasked
 * count: the hot set's are asked for.
 */
forEachEngine('a cache-aside hot set, then a bulk warm-up', (engine) => {
  it('does not start with a large window', () => {
    const seed = testSeed(43)
    const cache = new Cache<string>({ engine, shards: 1, maxBytes: CAPACITY * 512 + (16 << 20), maxEntries: CAPACITY, codec: 'string', seed })
    try {
      const { views } = engineInternals(cache)
      const state = cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET
      const hot = zipfTrace({ keys: CAPACITY / 8, s: 1, length: 2 * CAPACITY, seed })
      let hits = 0
      for (const key of hot.keys) {
        const k = `h${key}`
        if (cache.get(k) === undefined) cache.set(k, '1')
        else hits++
      }
      // The hot set alone has met COLD_HITS (0.5 × capacity) without filling the cache.
      expect(hits).toBeGreaterThan(CAPACITY)
      expect(views.u32[(state + L.POLICY_COLD_FULL) >>> 2]).toBe(0)
      for (let i = 0; i < CAPACITY; i++) cache.set(`warm${i}`, '1')
      // Stop 53: no hit on a key written unasked and most inserts unasked: FILL_ROTATE's state (3), not COLD_WINDOW's
      // (which would leave 2 with COLD_SHED); the hot set's next hit ends it.
      expect(views.u32[(state + L.POLICY_COLD_FULL) >>> 2]).toBe(3)
      const target = views.f64[(state + L.POLICY_WINDOW_TARGET) >>> 3]!
      expect(target, 'window target').toBeLessThan(0.1 * CAPACITY)
      let hit = false
      for (let i = 0; i < hot.keys.length && !hit; i++) hit = cache.get(`h${hot.keys[i]}`) !== undefined
      expect(hit).toBe(true)
      expect(views.u32[(state + L.POLICY_COLD_FULL) >>> 2]).toBe(1)
    } finally {
      cache.close()
    }
  })
})

/**
 * Stop 41: the drift gate's block length (DRIFT_BLOCK × capacity in entries, at least DRIFT_MIN_BLOCK) is
 * stored, not divided on every insert. In byte mode an empty shard's mean size says nothing: the length is
 * taken again when the shard is first full, so the blocks end (the gate works) in a cache bounded by bytes.
 */
forEachEngine('the drift block in a cache bounded by bytes', (engine) => {
  it('is taken when the shard first fills, and blocks of that length end', () => {
    const cache = new Cache<string>({ engine, shards: 1, maxBytes: 4 << 20, codec: 'string', seed: testSeed(5) })
    try {
      const { views } = engineInternals(cache)
      const state = cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET
      const u32 = (field: number): number => views.u32[(state + field) >>> 2]!
      const value = 'v'.repeat(100)
      let i = 0
      while (u32(L.POLICY_COLD_FULL) === 0) cache.set(`k${i++}`, value)
      const live = cache.stats().entries
      const block = u32(L.POLICY_DRIFT_BLOCK)
      // The capacity in entries is about the live count once full (the index may bound it lower).
      expect(block).toBeGreaterThanOrEqual(Math.max(DRIFT_MIN_BLOCK, Math.floor(0.9 * DRIFT_BLOCK * live)))
      expect(block).toBeLessThanOrEqual(Math.max(DRIFT_MIN_BLOCK, Math.ceil(1.1 * DRIFT_BLOCK * live)))
      let ended = 0
      let prev = u32(L.POLICY_DRIFT_INSERTS)
      for (let j = 0; j < 3 * block; j++) {
        cache.set(`k${i++}`, value)
        const n = u32(L.POLICY_DRIFT_INSERTS)
        expect(n).toBeLessThan(u32(L.POLICY_DRIFT_BLOCK))
        if (n < prev) ended++
        prev = n
      }
      expect(ended, 'blocks ended').toBeGreaterThanOrEqual(2)
    } finally {
      cache.close()
    }
  })
})

/**
 * A one-shard cache of CAPACITY entries filled twice over with new keys read cache-aside (a get missed
 * each, then a set: none written unasked), and its policy block read and written in place, for the
 * white-box tests below. `filler()` adds one more such key.
 */
function policyBlock(engine: Engine, seed: number) {
  const cache = new Cache<string>({ engine, shards: 1, maxBytes: CAPACITY * 512 + (16 << 20), maxEntries: CAPACITY, codec: 'string', seed })
  const { views } = engineInternals(cache)
  const state = cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET
  let n = 0
  const filler = (): void => {
    const k = `f${n++}`
    if (cache.get(k) === undefined) cache.set(k, '1')
  }
  for (let i = 0; i < 2 * CAPACITY; i++) filler()
  const u32 = (field: number): number => views.u32[(state + field) >>> 2]!
  const setU32 = (field: number, v: number): void => { views.u32[(state + field) >>> 2] = v }
  const f64 = (field: number): number => views.f64[(state + field) >>> 3]!
  let c = 0
  /**
   * Ends a drift block whose counters are `leaves` / `hits` (tail keys), `back` / `main` (ghost returns),
   * with a candidate asked for and rejected just before; returns it (the hit gain's white-box tests).
   */
  const block = (leaves: number, hits: number, back: number, main: number): string => {
    const push = Math.ceil(f64(L.POLICY_WINDOW_TARGET)) + 8
    while (u32(L.POLICY_DRIFT_INSERTS) !== u32(L.POLICY_DRIFT_BLOCK) - 1 - push - 1) filler()
    const key = `c${c++}`
    expect(cache.get(key)).toBeUndefined()
    cache.set(key, '1')
    for (let i = 0; i < push; i++) filler()
    expect(u32(L.POLICY_DRIFT_INSERTS)).toBe(u32(L.POLICY_DRIFT_BLOCK) - 1)
    setU32(L.POLICY_DRIFT_LEAVES, leaves)
    setU32(L.POLICY_DRIFT_LEAVE_HITS, hits)
    setU32(L.POLICY_TAIL_ROUNDS, 0)
    setU32(L.POLICY_RET_WINDOW, back)
    setU32(L.POLICY_RET_MAIN, main)
    filler()
    expect(u32(L.POLICY_DRIFT_INSERTS), 'the block ended').toBe(0)
    return key
  }
  return {
    cache,
    filler,
    block,
    u32,
    setU32,
    f64,
    setF64: (field: number, v: number): void => { views.f64[(state + field) >>> 3] = v },
  }
}

/**
 * Stop 47, white-box: a key set after a get missed it is asked for even when the set's own count halves
 * the sketch, which clears the miss filter's 'missed' bits before the insert reads them. Read after the
 * count, the key looked written unasked, and UNASKED_KEEP would keep that false mark for a sketch period
 * (on the traces: OLTP and P3 rows moved by up to 0.1). The share of inserts written unasked, ~0 after
 * the cache-aside fill, must not move up.
 */
forEachEngine('a set whose count halves the sketch', (engine) => {
  it('still takes a key loaded after a miss as asked for', () => {
    const { cache, f64 } = policyBlock(engine, testSeed(9))
    try {
      const { views } = engineInternals(cache)
      const shard = cache.geometry.shardsOffset
      const resetAt = views.u32[(shard + L.SHARD_SKETCH_RESET_AT) >>> 2]!
      views.u32[(shard + L.SHARD_SKETCH_ADDITIONS) >>> 2] = resetAt - 1
      const share = f64(L.POLICY_UNASKED_SHARE)
      expect(cache.get('loaded')).toBeUndefined()
      cache.set('loaded', '1')
      // The count reached the period: the sketch halved, and its count with it.
      expect(views.u32[(shard + L.SHARD_SKETCH_ADDITIONS) >>> 2], 'the set halved the sketch').toBe(resetAt >>> 1)
      expect(f64(L.POLICY_UNASKED_SHARE)).toBeLessThanOrEqual(share)
    } finally {
      cache.close()
    }
  })
})

/**
 * HIT_GAIN's gate and gain (stop 46), white-box: the drift block's counters are written just before the
 * block's last insert, and the gate's answer (POLICY_HIT_RUN) and a returning rejected candidate's count
 * (POLICY_PENDING_GROW) are read. A block qualifies with at least HIT_GAIN_SHARE of the window's tail keys
 * hit there and at most HIT_GAIN_MAIN main returns per candidate return; HIT_GAIN_RUNS blocks in a row
 * open the gain; its growth moves AGE_ON_GROWTH's base up with it (HIT_GAIN_NO_AGE).
 */
forEachEngine('the hit gain\'s gate', (engine) => {
  it('opens after HIT_GAIN_RUNS qualifying blocks, and a returning candidate then counts HIT_GAIN times', () => {
    const { cache, u32, setU32, f64, filler, block } = policyBlock(engine, testSeed(7))
    try {
      /** The count a get of `key` (a rejected candidate back from the ghost) adds to the pending growth. */
      const gain = (key: string): number => {
        const before = u32(L.POLICY_PENDING_GROW)
        expect(cache.get(key)).toBeUndefined()
        return u32(L.POLICY_PENDING_GROW) - before
      }
      block(1000, 100, 100, 5)
      expect(u32(L.POLICY_HIT_RUN), 'a qualifying block').toBe(1)
      // Under HIT_GAIN_SHARE: the window's tail keys are not read there.
      block(1000, 10, 100, 0)
      expect(u32(L.POLICY_HIT_RUN), 'tail share 0.01').toBe(0)
      block(1000, 100, 100, 5)
      // Over HIT_GAIN_MAIN: main's evicted keys come back.
      block(1000, 100, 100, 20)
      expect(u32(L.POLICY_HIT_RUN), 'return ratio 0.2').toBe(0)
      // No candidate came back: the ratio is infinite.
      block(1000, 100, 0, 0)
      expect(u32(L.POLICY_HIT_RUN), 'no candidate return').toBe(0)
      const one = block(1000, 100, 100, 5)
      expect(u32(L.POLICY_HIT_RUN)).toBe(1)
      expect(gain(one), 'one qualifying block: the usual count').toBe(1)
      const two = block(1000, 100, 100, 5)
      expect(u32(L.POLICY_HIT_RUN)).toBe(HIT_GAIN_RUNS)
      const target = f64(L.POLICY_WINDOW_TARGET)
      const base = f64(L.POLICY_GROWTH_BASE)
      expect(gain(two), 'HIT_GAIN_RUNS blocks in a row').toBe(HIT_GAIN)
      filler()
      const grew = f64(L.POLICY_WINDOW_TARGET) - target
      expect(grew, 'window growth').toBeGreaterThanOrEqual(HIT_GAIN)
      // HIT_GAIN_NO_AGE: the base moves up with all but one count's share of the growth.
      expect(f64(L.POLICY_GROWTH_BASE) - base, 'growth base').toBeCloseTo(grew * (HIT_GAIN - 1) / HIT_GAIN, 6)
    } finally {
      cache.close()
    }
  })
})

/**
 * HIT_GAIN_UNDO (stop 47), white-box, as the gate's test above: the gain opens, a returning candidate
 * grows the window by HIT_GAIN counts, and the block in which it did ends with main's returns at a given
 * share of the candidates'. At HIT_GAIN_UNDO or more (a trace's lone opening: OLTP's main keys came back
 * at once) the growth the extra counts made is given back, and AGE_ON_GROWTH's base comes down with it;
 * under it (a moved hot set's old keys stay away) the growth stays.
 */
forEachEngine('the hit gain\'s give-back', (engine) => {
  it('gives back the growth the gain made in a block whose main returns reach HIT_GAIN_UNDO, not under it', () => {
    const { cache, u32, setU32, f64, filler, block } = policyBlock(engine, testSeed(9))
    try {
      /** Opens the gain, then a returning candidate grows the window; returns the growth and the target before it. */
      const grow = (): { grew: number, before: number, base: number } => {
        block(1000, 100, 100, 5)
        const key = block(1000, 100, 100, 5)
        expect(u32(L.POLICY_HIT_RUN)).toBe(HIT_GAIN_RUNS)
        const before = f64(L.POLICY_WINDOW_TARGET)
        const base = f64(L.POLICY_GROWTH_BASE)
        const pending = u32(L.POLICY_PENDING_GROW)
        expect(cache.get(key)).toBeUndefined()
        expect(u32(L.POLICY_PENDING_GROW) - pending, 'the gain applies').toBe(HIT_GAIN)
        filler()
        const grew = f64(L.POLICY_WINDOW_TARGET) - before
        expect(grew, 'window growth').toBeGreaterThanOrEqual(HIT_GAIN)
        return { grew, before, base }
      }
      const boosted = (grew: number): number => grew * (HIT_GAIN - 1) / HIT_GAIN
      // Main's keys came back at HIT_GAIN_UNDO per candidate return in the block the gain grew the window.
      const a = grow()
      block(1000, 100, 100, Math.ceil(100 * HIT_GAIN_UNDO))
      expect(u32(L.POLICY_HIT_RUN), 'the gate closed').toBe(0)
      expect(f64(L.POLICY_WINDOW_TARGET) - a.before, 'only the usual count\'s growth stays').toBeCloseTo(a.grew - boosted(a.grew), 6)
      expect(f64(L.POLICY_GROWTH_BASE), 'the growth base came down with it').toBeCloseTo(a.base, 6)
      expect(f64(L.POLICY_BLOCK_BOOST)).toBe(0)
      // Over HIT_GAIN_MAIN (the gate closes) but under HIT_GAIN_UNDO: the growth stays.
      const under = Math.floor(100 * HIT_GAIN_UNDO) - 1
      expect(under / 100).toBeGreaterThan(HIT_GAIN_MAIN)
      const b = grow()
      block(1000, 100, 100, under)
      expect(u32(L.POLICY_HIT_RUN), 'the gate closed').toBe(0)
      expect(f64(L.POLICY_WINDOW_TARGET) - b.before, 'the growth stays').toBeCloseTo(b.grew, 6)
      // The next block: the gain did not apply in it, nothing is given back whatever comes back.
      const target = f64(L.POLICY_WINDOW_TARGET)
      block(1000, 100, 100, 100)
      expect(f64(L.POLICY_WINDOW_TARGET)).toBe(target)
    } finally {
      cache.close()
    }
  })
})

/**
 * STALE_GATE and STALE_HOLD (stop 50), white-box, as the hit gain's tests: protected's hand-step counters
 * of a drift block (POLICY_STALE_STEPS, POLICY_STALE_UNHIT) are written just before the block's last
 * insert, and the run of qualifying blocks (POLICY_STALE_RUN), the hold (POLICY_STALE_HELD) and the drift
 * gate (POLICY_DRIFT_ON) are read at its end. A block qualifies when its hand took at least
 * STALE_MIN_STEPS steps and at least STALE_GATE of them found an unhit entry, while the window is under
 * STALE_MAX_WINDOW; STALE_RUNS blocks in a row open the gate (protected holding DRIFT_FULL of its target),
 * and it stays open STALE_HOLD blocks in all.
 */
forEachEngine('the stale gate', (engine) => {
  it('opens after STALE_RUNS blocks whose hand found STALE_GATE of protected unhit, ages the sketch, and holds STALE_HOLD blocks', () => {
    const { cache, u32, setU32, f64, setF64, filler } = policyBlock(engine, testSeed(7))
    try {
      const { views } = engineInternals(cache)
      const protectedCount = (): number => views.u32[(cache.geometry.shardsOffset + L.QUEUES_OFFSET + L.QUEUE_PROTECTED * L.QUEUE_SIZE + L.QUEUE_COUNT) >>> 2]!
      /**
       * Ends a drift block whose protected hand took `steps` steps, `unhit` of them finding an unhit entry:
       * the block's insert count is set one short of its end (a block of new keys would drain protected
       * through victim searches once probation is empty; none comes back from the ghost, so no fall).
       */
      const block = (steps: number, unhit: number): void => {
        setU32(L.POLICY_DRIFT_INSERTS, u32(L.POLICY_DRIFT_BLOCK) - 1)
        setU32(L.POLICY_STALE_STEPS, steps)
        setU32(L.POLICY_STALE_UNHIT, unhit)
        filler()
        expect(u32(L.POLICY_DRIFT_INSERTS), 'the block ended').toBe(0)
      }
      const at = Math.ceil(1000 * STALE_GATE)
      block(1000, at)
      expect(u32(L.POLICY_STALE_RUN), 'a qualifying block').toBe(1)
      block(1000, at - 20)
      expect(u32(L.POLICY_STALE_RUN), 'under STALE_GATE').toBe(0)
      block(1000, at)
      block(STALE_MIN_STEPS - 1, STALE_MIN_STEPS - 1)
      expect(u32(L.POLICY_STALE_RUN), 'too few steps').toBe(0)
      // A large window leaves protected small: its share says little.
      const target = f64(L.POLICY_WINDOW_TARGET)
      setF64(L.POLICY_WINDOW_TARGET, STALE_MAX_WINDOW * CAPACITY)
      block(1000, 1000)
      expect(u32(L.POLICY_STALE_RUN), 'window at STALE_MAX_WINDOW').toBe(0)
      setF64(L.POLICY_WINDOW_TARGET, target)
      // STALE_RUNS blocks in a row with protected empty (no key was read twice): the test holds, the gate stays shut.
      for (let i = 0; i < STALE_RUNS; i++) block(1000, 800)
      expect(u32(L.POLICY_STALE_RUN)).toBe(STALE_RUNS)
      expect(u32(L.POLICY_DRIFT_ON), 'protected under DRIFT_FULL of its target').toBe(0)
      // Protected filled: the residents read, then promoted as victim searches reach them.
      for (let i = 0; i < 3 && protectedCount() < DRIFT_FULL * (CAPACITY - f64(L.POLICY_WINDOW_TARGET)) * PROTECTED_SHARE + 50; i++) {
        const residents = [...cache.keys()]
        for (let r = 0; r < 3; r++) for (const k of residents) cache.get(k)
        for (let k = 0; k < CAPACITY / 4; k++) filler()
      }
      expect(protectedCount()).toBeGreaterThanOrEqual(DRIFT_FULL * (CAPACITY - f64(L.POLICY_WINDOW_TARGET)) * PROTECTED_SHARE)
      block(0, 0)
      expect(u32(L.POLICY_DRIFT_ON)).toBe(0)
      for (let i = 0; i < STALE_RUNS - 1; i++) block(1000, 800)
      expect(u32(L.POLICY_DRIFT_ON), 'one block short').toBe(0)
      // STALE_HALVE (stop 51): the opening ages the sketch as an early ageing does: the count towards the next
      // ageing halved and AGE_MARK set to it. A mark above the count (a regular ageing came in between) lets
      // AGE_SPACING allow it.
      const additions = (): number => views.u32[(cache.geometry.shardsOffset + L.SHARD_SKETCH_ADDITIONS) >>> 2]!
      const mark = additions() + 1_000_000
      setU32(L.POLICY_AGE_MARK, mark)
      block(1000, 800)
      expect(u32(L.POLICY_DRIFT_ON), 'STALE_RUNS blocks in a row: the gate opens').toBe(1)
      expect(u32(L.POLICY_AGE_MARK), 'the opening aged the sketch (STALE_HALVE)').toBe(additions())
      expect(additions()).toBeLessThan(mark - 1_000_000)
      expect(u32(L.POLICY_STALE_HELD)).toBe(STALE_HOLD - 1)
      // The blocks after it do not qualify (the sweep drains protected: few hand steps): held, then shut.
      for (let i = 1; i < STALE_HOLD; i++) {
        block(0, 0)
        expect(u32(L.POLICY_DRIFT_ON), `held, block ${i + 1} of ${STALE_HOLD}`).toBe(1)
      }
      block(0, 0)
      expect(u32(L.POLICY_DRIFT_ON), 'the hold is over').toBe(0)
      expect(u32(L.POLICY_STALE_RUN)).toBe(0)
      // A fall opens the gate without ageing the sketch (STALE_HALVE is the stale test's): protected refilled,
      // the drift peak raised over a block of new keys (none back from the ghost).
      for (let i = 0; i < 3 && protectedCount() < DRIFT_FULL * (CAPACITY - f64(L.POLICY_WINDOW_TARGET)) * PROTECTED_SHARE + 50; i++) {
        const residents = [...cache.keys()]
        for (let r = 0; r < 3; r++) for (const k of residents) cache.get(k)
        for (let k = 0; k < CAPACITY / 4; k++) filler()
      }
      setU32(L.POLICY_AGE_MARK, additions() + 1_000_000)
      setF64(L.POLICY_DRIFT_PEAK, 1)
      block(0, 0)
      expect(u32(L.POLICY_DRIFT_ON), 'a fall opens the gate').toBe(1)
      expect(u32(L.POLICY_AGE_MARK), 'a fall does not age the sketch').toBeGreaterThan(additions())
    } finally {
      cache.close()
    }
  })
})

/**
 * DRIFT_GROW and DRIFT_GROW_DECAY (stops 41-42), white-box. Since stop 46 the window's hit tail keys that
 * were asked for go round (WINDOW_CLOCK_ASKED), so on cache-aside moving Zipf its leavers read unhit and
 * the rule no longer fires there (the moving tests above). Here the block's last inserts are written
 * unasked and read at once: they leave the window hit. The drift peak is written before the block's
 * last insert to make (or not make) a fall.
 */
forEachEngine('DRIFT_GROW at a fall', (engine) => {
  it('grows the window at a fall whose leavers were read in the window, not without one, and gives it back', () => {
    const { cache, u32, setU32, f64, setF64, filler } = policyBlock(engine, testSeed(8))
    let n = 0
    try {
      /** Ends a block whose last 300 inserts were written unasked and read at once; `peak` is the drift peak before its end. */
      const block = (peak: number): void => {
        while (u32(L.POLICY_DRIFT_INSERTS) !== u32(L.POLICY_DRIFT_BLOCK) - 1 - 300) filler()
        setU32(L.POLICY_DRIFT_LEAVES, 0)
        setU32(L.POLICY_DRIFT_LEAVE_HITS, 0)
        for (let i = 0; i < 300; i++) {
          const k = `u${n++}`
          cache.set(k, '1')
          expect(cache.get(k)).toBe('1')
        }
        expect(u32(L.POLICY_DRIFT_INSERTS)).toBe(u32(L.POLICY_DRIFT_BLOCK) - 1)
        expect(u32(L.POLICY_DRIFT_LEAVE_HITS) / u32(L.POLICY_DRIFT_LEAVES), 'leavers hit in the window').toBeGreaterThanOrEqual(DRIFT_GROW_HIT)
        setF64(L.POLICY_DRIFT_PEAK, peak)
        filler()
        expect(u32(L.POLICY_DRIFT_INSERTS), 'the block ended').toBe(0)
      }
      // No fall (a peak of 0): nothing grows.
      block(0)
      expect(f64(L.POLICY_DRIFT_GREW), 'growth without a fall').toBe(0)
      // A fall (returns far under a peak of 1): the window grows by DRIFT_GROW x capacity.
      const before = f64(L.POLICY_WINDOW_TARGET)
      block(1)
      const grew = f64(L.POLICY_DRIFT_GREW)
      expect(grew, 'growth at the fall').toBeGreaterThanOrEqual(0.99 * DRIFT_GROW * CAPACITY)
      expect(f64(L.POLICY_WINDOW_TARGET) - before, 'window growth').toBeGreaterThanOrEqual(0.99 * grew)
      // The next block without a fall gives DRIFT_GROW_DECAY of it back.
      block(0)
      expect(f64(L.POLICY_DRIFT_GREW), 'growth left').toBeCloseTo(grew * (1 - DRIFT_GROW_DECAY), 6)
    } finally {
      cache.close()
    }
  })
})

/**
 * DRIFT_SWEEP (stop 40): Zipf whose popular keys move every 2 capacities (cache-aside) left protected
 * full of the old hot set, which turns over only at the promotion rate. The share of inserts back from
 * the ghost falls when the keys move (new keys were never evicted), and the gate's sweep demotes
 * protected's unhit entries. Real cache, 4000 entries, 30 capacities, vs LRU: main −3.03 (seed 1),
 * with the gate −2.58. Standing Zipf never opens it (its figure is main's).
 */
forEachEngine('Zipf whose popular keys move every 2 capacities', (engine) => {
  const run = (every: number, seed: number): { diff: number; opened: boolean; jumps: number; gained: boolean; grown: number } => {
    const length = 30 * CAPACITY
    const trace = shiftingTrace({ keys: 20 * CAPACITY, s: 0.9, length, phase: every === 0 ? length : every * CAPACITY, shift: 10 * CAPACITY, seed })
    const lru = new LruPolicy(CAPACITY, trace)
    const cache = new Cache<string>({ engine, shards: 1, maxBytes: CAPACITY * 512 + (16 << 20), maxEntries: CAPACITY, codec: 'string', seed })
    try {
      const { views } = engineInternals(cache)
      const on = (cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_DRIFT_ON) >>> 2
      const window = (cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_WINDOW_TARGET) >>> 3
      const hitRun = (cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_HIT_RUN) >>> 2
      let diff = 0
      let opened = false
      // HIT_GAIN's gate held (HIT_GAIN_RUNS qualifying drift blocks in a row) at some point.
      let gained = false
      // DRIFT_GROW: the window target rising by DRIFT_GROW × capacity within one request (ghost
      // evidence moves it by a step per insert).
      let jumps = 0
      let target = views.f64[window]!
      let most = target
      for (const key of trace.keys) {
        if (lru.access(key)) diff--
        const k = `m${key}`
        if (cache.get(k) === undefined) cache.set(k, '1')
        else diff++
        if (views.u32[on] !== 0) opened = true
        if (views.u32[hitRun]! >= HIT_GAIN_RUNS) gained = true
        const now = views.f64[window]!
        if (now - target >= 0.99 * DRIFT_GROW * CAPACITY) jumps++
        target = now
        most = Math.max(most, now)
      }
      return { diff: (100 * diff) / length, opened, jumps, gained, grown: most / CAPACITY }
    } finally {
      cache.close()
    }
  }

  it('opens the drift gate and comes closer to LRU (main: 3.0 under)', () => {
    const seed = testSeed(1)
    const { diff, opened } = run(2, seed)
    console.log(`[moving every 2 × cap, ${engine}] seed ${seed}: ${diff.toFixed(2)} vs LRU`)
    expect(opened).toBe(true)
    expect(diff, `seed ${seed}`).toBeGreaterThanOrEqual(-2.8)
  })

  // DRIFT_GROW (stop 41, adopted at stop 42 with DRIFT_GROW_DECAY): at a fall whose window leavers were
  // read there, the window grows, and the new hot set's keys get the time to build their counts. 4000
  // entries, seed 1: main −2.58 (no jump); stop 41's growth (0.1, kept) −2.32; 0.2 worn off by 0.1 per
  // block (DRIFT_GROW_DECAY) −1.96. Since stop 46 it does not fire here (no jump): with
  // WINDOW_CLOCK_ASKED the window's hit tail keys go round, so the leavers it counts read unhit (as on
  // the model), and HIT_GAIN grows the window instead (-0.80). What is asked now is the growth itself.
  it('grows the window after a move and comes closer still (stop 41: 2.58 under without growth)', () => {
    const seed = testSeed(1)
    const { diff, grown } = run(2, seed)
    expect(grown, 'window target at its largest / capacity').toBeGreaterThanOrEqual(0.5)
    expect(diff, `seed ${seed}`).toBeGreaterThanOrEqual(-2.5)
  })

  /**
   * DRIFT_GROW_DECAY (stop 42): the growth wears off once the hot set stands. Moves every 2 capacities for
   * 10 capacities, then 20 standing; LRU's hits against the cache's over the last 10. 4000 entries, seed
   * 1: +4.59 vs LRU, 22 of the 800 entries the window grew by left at the end (window 1301 of its peak
   * 2721). Since stop 46 HIT_GAIN grows the window (peak 3600, DRIFT_GROW does not fire: see above) and
   * gives nothing back itself: main's returns shrink it, to 2270 at the end, +1.91 vs LRU.
   */
  const settle = (seed: number): { tail: number; grew: number; peak: number; window: number; windowPeak: number } => {
    const moves = 5
    const phase = 2 * CAPACITY
    const length = 30 * CAPACITY
    const src = shiftingTrace({ keys: 20 * CAPACITY, s: 0.9, length, phase, shift: 10 * CAPACITY, seed })
    const keys = new Int32Array(length)
    for (let i = 0; i < length; i++) {
      const p = Math.floor(i / phase)
      keys[i] = Math.min(moves, p) * 10 * CAPACITY + src.keys[i]! - p * 10 * CAPACITY
    }
    const lru = new LruPolicy(CAPACITY, { ...src, keys, universe: (moves + 2) * 10 * CAPACITY })
    const cache = new Cache<string>({ engine, shards: 1, maxBytes: CAPACITY * 512 + (16 << 20), maxEntries: CAPACITY, codec: 'string', seed })
    try {
      const { views } = engineInternals(cache)
      const grewAt = (cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_DRIFT_GREW) >>> 3
      const windowAt = (cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_WINDOW_TARGET) >>> 3
      let tail = 0
      let peak = 0
      let windowPeak = 0
      for (let i = 0; i < length; i++) {
        const k = `s${keys[i]!}`
        const lruHit = lru.access(keys[i]!)
        const hit = cache.get(k) !== undefined
        if (!hit) cache.set(k, '1')
        if (i >= length - 10 * CAPACITY) tail += (hit ? 1 : 0) - (lruHit ? 1 : 0)
        peak = Math.max(peak, views.f64[grewAt]!)
        windowPeak = Math.max(windowPeak, views.f64[windowAt]!)
      }
      return { tail: (100 * tail) / (10 * CAPACITY), grew: views.f64[grewAt]!, peak, window: views.f64[windowAt]!, windowPeak }
    } finally {
      cache.close()
    }
  }

  it('the window comes down once the hot set stands, and the cache keeps a lead over LRU', () => {
    const seed = testSeed(1)
    const { tail, grew, peak, window, windowPeak } = settle(seed)
    console.log(`[5 moves then standing, ${engine}] seed ${seed}: last 10 capacities ${tail.toFixed(2)} vs LRU; growth ${grew.toFixed(1)} left of ${peak.toFixed(1)}; window ${window.toFixed(1)} of peak ${windowPeak.toFixed(1)}`)
    expect(grew, 'DRIFT_GROW growth left').toBeLessThanOrEqual(0.1 * peak)
    expect(window, 'window target at the end').toBeLessThan(0.75 * windowPeak)
    expect(tail, `seed ${seed}`).toBeGreaterThan(1)
  })

  /**
   * HIT_GAIN with WINDOW_CLOCK_ASKED (stop 46, shadow2's sg-An): a hot set that moves is read in the
   * window (its tail keys are hit there, and go round) while main's old keys do not come back from the
   * ghost, so the gate holds and each returning rejected candidate grows the window HIT_GAIN times
   * faster. Real cache, one shard, 4000 entries, vs LRU, seeds 1 / 2: every 2 capacities main -1.96 /
   * -1.93, now -0.80 / -0.81; every 4 main -2.30 / -2.21, now -0.99 / -1.05 (10k entries: -0.94 / -0.93).
   * Every 4 is the family's worst period and sits at LRU - 1 here: it is held to 1.5, a bound main misses
   * by 0.8.
   */
  it('moving every 2 capacities: the hit gain opens and keeps within 1 point of LRU (main: 1.96 under)', () => {
    const seed = testSeed(1)
    const { diff, gained } = run(2, seed)
    expect(gained, 'the hit gain opened').toBe(true)
    expect(diff, `seed ${seed}`).toBeGreaterThanOrEqual(-1)
  })

  it('moving every 4 capacities: within 1.5 points of LRU (main: 2.30 under)', () => {
    const seed = testSeed(1)
    const { diff, gained } = run(4, seed)
    console.log(`[moving every 4 × cap, ${engine}] seed ${seed}: ${diff.toFixed(2)} vs LRU`)
    expect(gained, 'the hit gain opened').toBe(true)
    expect(diff, `seed ${seed}`).toBeGreaterThanOrEqual(-1.5)
  })

  it('never opens it on standing Zipf', () => {
    const seed = testSeed(1)
    const { diff, opened, jumps, gained } = run(0, seed)
    expect(opened).toBe(false)
    expect(gained, 'the hit gain opened').toBe(false)
    expect(jumps, 'window jumps').toBe(0)
    expect(diff, `seed ${seed}`).toBeGreaterThan(5)
  })
})
