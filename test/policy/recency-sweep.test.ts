/**
 * Issue 18's class beyond the suite's families (stop 49, sweep18): rows of bench/arena/recency-sweep.ts
 * that no other test pins and that the default policy passes, nearest the bound first, held at ≥ LRU − 1
 * over the whole run on each engine (one shard, 4000 entries), so a change can't lose them silently.
 * Reads of keys never written (404s, fresh or a pool read again and again), reads Zipf over recency rank
 * or exponential in it, reads that start a while after the write, bursts written and then read in full,
 * phases in other orders and lengths, a hot set moving among 50 keys per entry, and a Zipf hot set whose hottest
 * keys are replaced by new ones, a few at a time (partial moves, stop 50). The rows the policy
 * still loses (docs/policy-recency.md "Stop 49, sweep18") are not here: the sweep prints them. Stop 50 added
 * the lagged rows written once that LATE_HIT and FREE_TAG took to LRU, and the partial moves STALE_GATE took within 1;
 * stop 51 the flat Zipf moves WIN_AGE and STALE_HALVE brought closer (IMPROVED), and
 * a burst larger than the cache, read without write-backs (NET_EVIDENCE, ONCE_FIFO), which stop 52 took
 * within the 1-point bound (ONCE_LIFT); stop 52 (wbdelay) the written-back delays YOUNG_TEST took within 1,
 * and a lagged row written back held at its lead (LEADS); stop 54 (lagport) the lag phases with a realistic opening
 * MISS_RUN took to LRU (and one after a scan closer: IMPROVED), and a 404 flood its MISS_UNDO keeps a lead on (LEADS);
 * stop 54 (movewrites) two moving hot sets beside writes never read that RETURN_READ_MIN brought closer (IMPROVED);
 * stop 57 leads that planted bugs gave away while every test passed (LEADS, one IMPROVED bound tightened).
 */
import { expect, it } from 'vitest'
import { LRUCache } from 'lru-cache'
import { delayTrace, movingTrace, movingWritesTrace, phasesTrace, replay, sweepRows } from '../../bench/arena/recency-sweep.js'
import { OP_WRITE, type Trace } from '../../bench/workloads/trace.js'
import { LruPolicy } from '../../bench/sim/policies/lru.js'
import { RealCachePolicy } from '../../bench/sim/policies/cortado.js'
import { simulate } from '../../bench/sim/simulate.js'
import { Cache } from '../../src/index.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, type Engine } from '../conformance/engines.js'

const CAPACITY = 4000

/** Each row with the real cache − LRU when it was pinned (seed 1; wasm = native), in points. */
const PINNED = [
  'burst 0.9C ×1 back', // −0.91 vs LRU
  // Partial moves (stop 50, STALE_GATE / STALE_HOLD): main read −3.28 and −3.25 here (seeds 1–3: −3.17 to −3.31).
  'moving s0.9 20/entry every 1C by 0.05C', // −0.89 (seed 2 / 3: −0.70 / −0.57)
  'burst 0.9C ×2 back', // −0.84
  'delay 0.2C+0.5C back', // −0.83
  'moving s0.9 20/entry every 4C by 0.25C', // −0.73 (seed 2 / 3: −0.78 / −0.68)
  'moving s0.99 50/entry every 4C by 25C', // −0.68
  'phases once→zipf→once 3C each', // −0.64
  'phases zipf→lag→zipf→lag 5C each', // −0.56
  '404 0.5 pool back', // −0.54
  'mix w0.05 uniform 0.5C once', // −0.39
  '404 0.5 fresh once', // −0.11
  'delay 0.5C+0.5C back', // +0.66
  'phases zipf→scan→once 10C each', // +0.88
  'mix w0.05 uniform 1.2C back', // +1.14
  // Stop 50 (lagonce, LATE_HIT and FREE_TAG): each key read exactly 0.5 × capacity writes after its write,
  // written once: main at b2515b5 lost a whole generation there (−47.90 / −11.71 at 4000 entries, both engines).
  'mix w0.05 lag 0.5C once',
  'mix w0.2 lag 0.5C once',
  // FREE_TAG: the fill's keys, read 0.9 × capacity writes after their write, leave probation as LATE_HIT grows
  // the window; tagged as main's, their returns shrank it again (model, 4000 entries: +1.33 with it, −7.60
  // without; main +73).
  'mix w0.05 lag 0.9C once',
  // Stop 52 (wbdelay, YOUNG_TEST): reads that start 0.7 / 0.8 × capacity writes after the write, spread over the
  // next 0.5 × capacity, written back. RETURN_TO placed the write-backs in probation, which dropped them before
  // their next read. Main 468319c: 0.7C −16.92 (CORTADO_SEED 2-5: −17.55 / −17.28 / −17.63 / −16.49); 0.8C
  // −0.60 (−2.54 / −1.54 / −4.19 / −0.26, held at 3 since stop 51). With YOUNG_TEST 0.7C −0.10 (−0.16 / −0.03 /
  // −0.04 / −0.31), 0.8C +0.53 (+0.31 / +0.48 / +0.98 / −0.09); wasm = native.
  'delay 0.7C+0.5C back',
  'delay 0.8C+0.5C back',
  // Stop 51 (burstclass, NET_EVIDENCE and ONCE_FIFO; wasm = native): bursts of 1.25 × capacity new keys, each
  // read twice and not written back. Main at 85894e4 lost the second burst whole (the window at its floor, the
  // new keys rejected for the first burst's read counts): −8.46; stop 51 −1.57 (without ONCE_FIFO −2.57, the
  // model without NET_EVIDENCE −6.56), held at 2 points. Stop 52 (mildclass, ONCE_LIFT): the second burst was
  // read at a window of 0.9 × capacity, the target capped there before the unasked share reached ONCE_SHARE
  // and no insert (no growth evidence) until the next burst: now −0.33 (main 468319c −1.57), and 1.15 × capacity
  // read four times −0.33 (main −2.36); wasm = native.
  'burst 1.25C ×2 once', // −0.33
  'burst 1.15C ×4 once', // −0.33
  // Stop 53 (burst06, COLD_SHED): bursts of 0.65 × capacity read three times; main a75eb3b −5.23 / −2.19 (once /
  // back: the first burst's keys, promoted lazily while main shed for COLD_WINDOW, went round behind the second
  // burst's, which main evicted), now +0.00 / +0.00 on both engines.
  'burst 0.65C ×3 once', // +0.00
  'burst 0.65C ×3 back', // +0.00
  // Stop 53 (burst06, FILL_ROTATE): reads 0.2 × capacity late after a fill of sets alone, where one collided fill key
  // stayed probation's victim and beat every key written after the fill; main a75eb3b −6.64, now +1.87.
  'delay 0.2C+0.5C once', // +1.87
  // Stop 54 (lagport, MISS_RUN): lag phases whose opening reads keys of before the phase (a Zipf phase's rarest ids):
  // every get there misses, the window stayed at its floor and the opening's writes lost to probation's Zipf keys
  // until their reads began. Main 8bdfbee (wasm) −10.10 / −10.92, now +0.64 / +1.23 (wasm = native).
  'phases zipf→lagx 7C each', // +0.64
  'phases zipf2→lagx→scan 13C each', // +1.23
  // Stop 56 (lagopen2, DRY_RUN): the same after a Zipf phase or a scan with the generator's `lag` opening, whose gets
  // all hit the phase's first key (saturated: nothing added to the sketch), so no run of misses forms for MISS_RUN.
  // Main b4ef65e (wasm = native) −11.05 / −11.19 / −10.06, now +1.20 / +0.00 / +1.34 (wasm = native).
  'phases zipf→lag 7C each',
  'phases scan→lag→lag 8C each',
  'phases zipf2→lag→scan 13C each',
]

/**
 * Rows the policy has come closer on but not within the 1-point bound, each held at its own bound (points
 * under LRU) so the gain can't be lost silently: [name, bound], the real cache − LRU in the comment.
 * Reads that start 0.8 × capacity writes after the write, written back: stop 50's RETURN_TEST (main −21.26
 * → −2.70 alone), then LATE_ASIDE (stop 51: the late first hits held the window at its maximum while
 * RETURN_TO placed write-backs). Wasm = native on each seed. At 4000 entries the row still depends on the
 * hash seed (RETURN_TEST's sample of 1 write-back in 64 is small here; docs/policy-recency.md "Stop 51,
 * delayrows"): main afd13fa −3.67 / −7.91 / −7.66 / −6.94 / −9.99 (CORTADO_SEED 1-5), LATE_ASIDE −0.60 /
 * −2.54 / −1.54 / −4.19 / −0.26; at 10k entries −0.03 to −0.59 on all five (main −3.35 to −9.85).
 */
const IMPROVED: [string, number][] = [
  // 'delay 0.8C+0.5C back' was here at 3 (main −3.67, stop 50: 4; LATE_ASIDE −0.60): pinned at 1 since stop 52.
  // Stop 52: reads from 0.55 × capacity writes after the write, written back, where YOUNG_TEST's share of new keys
  // read young sits near YOUNG_MIN and its veto lifts: main 468319c −3.50 (CORTADO_SEED 2-5: −3.86 / −3.43 /
  // −3.16 / −3.91), YOUNG_TEST −1.73 (−1.88 / −1.72 / −1.45 / −2.05); without YOUNG_HANDOFF the model collapses (−19.23).
  ['delay 0.55C+0.5C back', 3],
  // A flat Zipf (s0.7 over 5 keys per entry) moved by half its keys every 2 / 4 capacities (stop 51, WIN_AGE and
  // STALE_HALVE; wasm = native on seed 1): main afd13fa −2.37 / −2.72 (seeds 2, 3: −2.35, −2.37 / −2.69, −2.42).
  ['moving s0.7 5/entry every 2C by 2.5C', 2.2], // −1.97 (seeds 2, 3: −1.95 / −2.00)
  ['moving s0.7 5/entry every 4C by 2.5C', 2.4], // −2.27 (seeds 2, 3: −2.30 / −2.12)
  // Stop 54 (MISS_RUN): a lag phase after a scan (its opening re-reads the scan's last keys, which scan resistance never
  // admitted: what is left): main 8bdfbee (wasm) −38.03, now −20.14 (wasm = native).
  ['phases scan→lagx→lagx 8C each', 21],
  // Stop 54 (movewrites, RETURN_READ_MIN): a cache-aside hot set moving wholesale beside writes of new keys never read;
  // RETURN_TO sent the moved set's new keys to probation. Real cache, 4000 entries, seeds 1 / 2 / 3: main b623258
  // (wasm) −4.34 / −4.08 / −4.68 and −2.05 / −2.14 / −2.61, now −3.49 / −3.20 / −3.11 and −1.64 / −1.52 / −1.55
  // (seed 1: wasm = native).
  // Stop 57 (lead): stop 56's rules took the first to −1.90 (4000 entries, wasm; CORTADO_SEED 2–5: −1.87 to −1.96); held at
  // 2.9 from 3.9, where a sampled write-back hit at the window's tail going round with its count cleared (mutant
  // return-test-sample-goes-round: −3.84) passed. (The s0.7 2/entry row beside it, −3.37, that mutant −5.99, varies
  // too much with the hash seed to hold: −3.10 to −5.82 over seeds 1–5.)
  ['moving+writes s0.9 5/entry every 4C w0.1', 2.9],
  ['moving+writes s0.9 5/entry every 2C w0.3', 1.9],
]

/**
 * Rows the policy leads LRU on by far, each held at a lead (a negative bound: at least that many points over
 * LRU), so a rule that gives the lead away can't pass because it stays near LRU. Each key read exactly 0.9 ×
 * capacity writes after its write, written back: RETURN_TO's placements keep the window for the new keys and a
 * write-back is worth nothing (its repeats come at once); YOUNG_TEST must not stand RETURN_TO aside there (stop
 * 52: without its write-back condition the row reads +0.00). Real cache, 4000 entries: +15.31 (seeds 2-5
 * +15.28 to +15.35).
 */
const LEADS: [string, number][] = [
  // Held at 14 since stop 57 (+15.31; CORTADO_SEED 2–5 +15.28 to +15.51): at 10 FREE_TAG's removal (mutant
  // free-tag-never: +12.47) passed.
  ['mix w0.2 lag 0.9C back', -14],
  // Stop 54 (MISS_UNDO): 404 floods with unasked writes going on through them, beside a Zipf set read cache-aside, look
  // like a lag phase's opening to MISS_RUN; main's hits after the flood undo its jump. Real cache, 4000 entries:
  // main 8bdfbee (wasm) +6.25, now +4.32 (wasm = native); the model without the undo −3.67 at 10k.
  ['404 flood 0.1C every 2C w0.1 writes during', -3],
  // Stop 57 (lead): leads that planted bugs gave away while every other test passed (real cache, 4000 entries, seed 1,
  // wasm; `bench/arena/recency-sweep.ts --sizes 4000 --shards 1 --cortado <mutant's dist>`). Write-back traffic with
  // reads uniform over the last 1.2 capacities, half the operations writes: +10.25; with QUIET_MAIN counting main's
  // returns of keys written unasked (quiet-counts-unasked-main) +5.56, with the window capped at MAX_WINDOW on write-once
  // traffic (once-max-window-ignored) +8.14 (CORTADO_SEED 2–5: +10.27 to +10.47). Bursts of 1.25 capacities read twice,
  // written back: +4.71 (seeds 2–5 +4.28 to +4.62); the first mutant +1.43, FREE_TAG removed (free-tag-never) +2.53.
  ['mix w0.5 uniform 1.2C back', -9],
  ['burst 1.25C ×2 back', -3],
]

/** Every row this file holds, with its bound: the pinned rows at 1 point, the improved ones at their own. */
const ROWS: [string, number][] = [...PINNED.map((name): [string, number] => [name, 1]), ...IMPROVED, ...LEADS]

/** A sweep row at `capacity` entries: the real cache's hit ratio (one shard) and LRU's, in %. */
function realAndLru(name: string, capacity: number, seed: number, engine: Engine): { got: number; want: number } {
  const row = sweepRows().find((r) => r.name === name)
  expect(row, name).toBeDefined()
  return traceVsLru(row!.make(capacity, 1), capacity, seed, engine)
}

/** A trace's hit ratios on the real cache (one shard) and on LRU, in %. */
function traceVsLru(trace: Trace, capacity: number, seed: number, engine: Engine): { got: number; want: number } {
  const want = simulate(trace, 'lru', capacity, new LruPolicy(capacity, trace)).hitRatio * 100
  const cache = new RealCachePolicy(Cache as never, capacity, trace, seed, { engine, shards: 1 })
  const got = simulate(trace, 'cortado', capacity, cache).hitRatio * 100
  cache.close()
  return { got, want }
}

/**
 * A trace replayed (bench/arena/recency-sweep.ts's replay) on lru-cache and on the real cache of `capacity` entries
 * (`shards` as given, the cache's default when left out): each one's hit ratio over the whole run and over the last
 * half of the reads, in %.
 */
function replayVsLru(trace: Trace, capacity: number, seed: number, engine: Engine, shards?: number): { lru: [number, number]; got: [number, number] } {
  const one = (): string => 'v'
  const lru = replay(trace, new LRUCache<string, string>({ max: capacity }), one)
  const cache = new Cache<string>({ maxEntries: capacity, maxBytes: Cache.maxBytesFor(capacity, 64), codec: 'string', seed, engine, ...(shards === undefined ? {} : { shards }) })
  const got = replay(trace, cache, one)
  cache.close()
  return { lru: [lru[0], lru[1]], got: [got[0], got[1]] }
}

forEachEngine('recency sweep rows beyond the suite', (engine) => {
  for (const [name, bound] of ROWS) {
    it(bound < 0 ? `${name}: at least ${-bound} points over LRU over the whole run` : `${name}: within ${bound} point${bound === 1 ? '' : 's'} of LRU over the whole run`, () => {
      const seed = testSeed(1)
      const { got, want } = realAndLru(name, CAPACITY, seed, engine)
      console.log(`[sweep ${name}, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
      expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - bound)
    })
  }
})

/**
 * Stop 53 (burst06, ONCE_DROP): write-then-read written back that hits every read has write-once's unasked share,
 * and ONCE_LIFT takes its window to 0.995; a loop after it collapsed that window to its floor, and the lag phase
 * after the scan (each key read once, 0.5 × capacity writes after its write) lost its keys: the model without
 * ONCE_DROP, 2000 entries, −16.19 over the second half. ONCE_DROP returns the target to MAX_WINDOW once the traffic
 * is cache-aside. Real cache, 2000 entries, one shard: main a75eb3b +0.03 / +0.00, now +0.43 / +0.00 (whole /
 * last half of the reads, vs lru-cache). Held over the last half, where the loss shows.
 */
forEachEngine('a lift to ONCE_MAX_WINDOW undone by cache-aside traffic', (engine) => {
  it('phases back→loop→scan→lag 14C each at 2000 entries: the last half of the reads within 0.5 of LRU', () => {
    const seed = testSeed(1)
    const c = 2000
    const trace = sweepRows().find((r) => r.name === 'phases back→loop→scan→lag 14C each')!.make(c, 1)
    const { lru: [, lruLate], got: [all, late] } = replayVsLru(trace, c, seed, engine, 1)
    console.log(`[once-drop, ${engine}] seed ${seed}: whole ${all.toFixed(2)}%, last half ${late.toFixed(2)}% (LRU ${lruLate.toFixed(2)}%)`)
    expect(late, `LRU ${lruLate.toFixed(2)}% over the last half (seed ${seed})`).toBeGreaterThanOrEqual(lruLate - 0.5)
  })
})

/**
 * Stop 55 (MISSED_GENS): reads that start 0.7–0.8 × capacity writes after the write, written back, each key read ~9
 * times over ~5 capacities: every sketch halving cleared the written-back keys' 'missed' marks at once, and the window's
 * CLOCK let them all go at its tail into contests with older keys of the same sliding set. Real cache, 4000 entries,
 * one shard, last half of the reads vs lru-cache, seeds 1 / 2 / 3: main edb1b6d (wasm) 0.8C −3.22 / −3.09 / −3.11,
 * 0.7C −2.15 / −2.06 / −2.28; now −0.26 / −0.25 / −0.31 and −0.47 / −0.30 / −0.25. Held over the last half, where the
 * loss shows (over the whole run the start's lead hid it).
 */
const GENS_ROWS = ['delay 0.8C+0.5C back', 'delay 0.7C+0.5C back']

forEachEngine('a written-back key keeps its window rounds across a halving (MISSED_GENS)', (engine) => {
  for (const name of GENS_ROWS) {
    it(`${name} at ${CAPACITY} entries: the last half of the reads within 1 point of LRU`, () => {
      const seed = testSeed(1)
      const trace = sweepRows().find((r) => r.name === name)!.make(CAPACITY, 1)
      const { lru: [, lruLate], got: [all, late] } = replayVsLru(trace, CAPACITY, seed, engine, 1)
      console.log(`[missed-gens ${name}, ${engine}] seed ${seed}: whole ${all.toFixed(2)}%, last half ${late.toFixed(2)}% (LRU ${lruLate.toFixed(2)}%)`)
      expect(late, `LRU ${lruLate.toFixed(2)}% over the last half (seed ${seed})`).toBeGreaterThanOrEqual(lruLate - 1)
    })
  }
})

/**
 * YOUNG_TEST's parts beyond the 4000-entry rows, where since stop 53 (FILL_ROTATE, COLD_SHED) neither moves the
 * delay rows any more: at 2000 entries YOUNG_HANDOFF still keeps RETURN_TO from coming back with RETURN_TEST's
 * stale means (delay 0.55C+0.5C back, wasm, seeds 1 / 2 / 3: −2.01 / −2.27 / −0.70; without the hand-over −19.57 /
 * −13.84 / −20.56), and at 8000 a get that misses must mark its tracer, or write-backs read again after probation
 * dropped them go unseen and RETURN_TO stays aside (delay 0.5C+0.5C back: +1.19 / +1.06 / +1.24 over LRU; marks on
 * hits only −1.03 / −1.65 / −1.76). Bounds: within 3 of LRU, and at least 0.6 over LRU (a negative bound: a lead).
 * Stop 58 (mutants58): at LRU or above let the marks on hits only pass (mutant young-read-hits-only, wasm, hash seeds
 * 1–5: +0.01 / +0.14 / +0.01 / +0.07 / +0.02, where the rule reads +1.19 / +1.06 / +1.24 / +1.22 / +1.15): held at a lead
 * of 0.6 since.
 */
const YOUNG_ROWS: [string, number, number][] = [
  ['delay 0.55C+0.5C back', 2000, 3],
  ['delay 0.5C+0.5C back', 8000, -0.6],
]

forEachEngine('YOUNG_TEST at other sizes', (engine) => {
  for (const [name, capacity, bound] of YOUNG_ROWS) {
    it(`${name} at ${capacity} entries: ${bound < 0 ? `at least ${-bound} points over LRU` : `within ${bound} points of LRU`} over the whole run`, () => {
      const seed = testSeed(1)
      const { got, want } = realAndLru(name, capacity, seed, engine)
      console.log(`[young ${name} @${capacity}, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
      expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - bound)
    })
  }
})

/**
 * Stop 56 (DRY_RUN): a lag phase right after a Zipf phase whose opening's gets read the Zipf phase's hottest key (in
 * main, saturated) instead of the phase's first key: after the dry jump its hits in main must count once against the
 * jump, not once each (they would undo it before the late reads begin). Model, 4000 entries, generator seeds 1 / 2 / 3:
 * without DRY_RUN −12.90 / −12.40 / −12.61, with it +0.84 / +0.89 / +0.83, with every hit in main counted −12.87 /
 * −11.90 / −12.59. Real cache, 4000 entries, one shard: main b4ef65e −12.69, now +0.82 (wasm = native). Held at LRU − 1.
 */
function hotKeyLag(capacity: number, seed: number): Trace {
  const t = phasesTrace(capacity, 1, ['zipf', 'lag'], 7, seed)
  const per = Math.max(1000, Math.round(capacity * 7))
  const keys = Int32Array.from(t.keys)
  const counts = new Map<number, number>()
  for (let i = 0; i < per; i++) counts.set(keys[i]!, (counts.get(keys[i]!) ?? 0) + 1)
  let hot = -1
  let most = -1
  for (const [k, n] of counts) if (n > most) [hot, most] = [k, n]
  let first = -1
  for (let i = per; i < keys.length; i++) {
    if (t.ops![i] === OP_WRITE) {
      if (first < 0) first = keys[i]!
    } else if (keys[i] === first) keys[i] = hot
  }
  return { ...t, keys, name: 'phases zipf→lag 7C each, the opening reading main\'s hottest key' }
}

forEachEngine('a lag phase whose opening reads a hot key of main (DRY_RUN)', (engine) => {
  it(`phases zipf→lag 7C each, the opening reading the Zipf phase's hottest key, at ${CAPACITY} entries: within 1 point of LRU over the whole run`, () => {
    const seed = testSeed(1)
    const { got, want } = traceVsLru(hotKeyLag(CAPACITY, 1), CAPACITY, seed, engine)
    console.log(`[hot-key lag, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * Stop 57 (dryport, DRY_RUN_COST): a lag phase right after a Zipf phase whose opening also reads a small hot set
 * (recency-sweep.ts `lagh`: a fifth of the opening's reads go to 0.05 × capacity keys, Zipf 0.9, read through): their
 * counts rise until they saturate, and with any addition ending the run DRY_RUN's run never reached 16; each addition
 * now takes DRY_RUN_COST (2) off the run instead. Real cache, 4000 entries, one shard, generator seed 1: main 81d9532
 * −9.83 (wasm = native; 100 hot keys −7.11), now +0.81 (100 keys +0.81); generator seeds 2 / 3: main −9.01 / +0.46,
 * now +0.86 / +0.57. Model: 761 −11.82, 765 with cost 2 +0.83. Held at LRU − 1.
 */
forEachEngine('a lag phase whose opening also reads a small hot set (DRY_RUN_COST)', (engine) => {
  it(`phases zipf→lagh 7C each, a fifth of the opening's reads on 0.05 × capacity hot keys, at ${CAPACITY} entries: within 1 point of LRU over the whole run`, () => {
    const seed = testSeed(1)
    const { got, want } = traceVsLru(phasesTrace(CAPACITY, 1, ['zipf', 'lagh'], 7, 1, 20, { q: 0.2, hot: Math.round(0.05 * CAPACITY) }), CAPACITY, seed, engine)
    console.log(`[hot-set lag, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * Stop 57 (lead, DRY_RUN_CAP): the run is held at most at 32, so a long dry stretch banks inserts against the additions
 * that come later in the opening. A scan, then two lag phases whose openings read a fifth of their gets on a small hot
 * set, at 12000 entries (generator seed 1; the model's row where dryport found cap 16 losing): real cache, one shard,
 * hash seeds 1–5 +0.00 to −0.12; with the run held at DRY_RUN (16) seeds 1 / 2 −7.35 / −1.00.
 */
forEachEngine('a long dry run banked against the additions of a hot set (DRY_RUN_CAP)', (engine) => {
  it('phases scan→lagh→lagh 8C each, 0.05 × capacity hot keys at q 0.2, 12000 entries: within 1 point of LRU over the whole run', () => {
    const seed = testSeed(1)
    const c = 12_000
    const trace = phasesTrace(c, 1, ['scan', 'lagh', 'lagh'], 8, 1, 20, { q: 0.2, hot: Math.round(0.05 * c) })
    const { got, want } = traceVsLru(trace, c, seed, engine)
    console.log(`[dry cap, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 1)
  })
})

/**
 * Stop 56 (movingwhole, STALE_FAST): a skewed hot set (Zipf 1.1 over 2 keys per entry) whose popularity shifts by
 * 0.6-1 capacity of key ids every 11-17 capacities replaces the keys the cache holds at a miss ratio near 0.1: the drift
 * blocks (inserts) then span 1.5-2.5 capacities of gets, and STALE_RUNS' four blocks came 6-10 capacities after the
 * move while protected held the dead set. STALE_FAST opens the gate at the first block whose stale share is 0.6 or
 * more (with a moved set's cues), holds it STALE_FAST_HOLD blocks and ages the victims that beat window leavers. Real
 * cache, 4000 entries, one shard, last half of the reads vs lru-cache, seeds 1 / 2 / 3: main b4ef65e (wasm) every 17C
 * by 1C −3.64 / −3.58 / −3.76, every 11C by 0.6C −3.74 / −3.57 / −3.01; now −2.55 / −2.59 / −2.58 and −1.97 / −2.02 /
 * −1.96 (wasm = native; the model with the engines' sketch and ghost: with STALE_HOLD's hold −2.39, without the
 * victims' ageing −2.23, against −1.98). Held over the last half, where the frequency memory's length shows. Stop 58
 * (movingport, STALE_FAST_HALVE and STALE_FAST_WINDOW 0.5): the sketch halves at every held block while the window is at
 * most STALE_FAST_AGE_WINDOW; main 40a4f29 (wasm, hash seeds 1-5) every 17C by 1C −2.55 to −2.61, every 11C by 0.6C −1.95
 * to −2.02; now −2.15 to −2.23 and −1.13 to −1.34, so the bounds went from 3 / 2.2 to 2.4 / 1.6. [s, keys per entry,
 * every, by, bound]
 */
const FAST_ROWS: [number, number, number, number, number][] = [
  [1.1, 2, 17, 1, 2.4],
  [1.1, 2, 11, 0.6, 1.6],
]

forEachEngine('a skewed hot set moved at a low miss ratio (STALE_FAST)', (engine) => {
  for (const [s, per, every, by, bound] of FAST_ROWS) {
    const c = CAPACITY
    it(`moving s${s} ${per}/entry every ${every}C by ${by}C at ${c} entries: the last half of the reads within ${bound} points of LRU`, () => {
      const seed = testSeed(1)
      const trace = movingTrace(c, 1, s, per, every, by, 1)
      const { lru: [, lruLate], got: [all, late] } = replayVsLru(trace, c, seed, engine, 1)
      console.log(`[stale-fast ${c}, ${engine}] seed ${seed}: whole ${all.toFixed(2)}%, last half ${late.toFixed(2)}% (LRU ${lruLate.toFixed(2)}%)`)
      expect(late, `LRU ${lruLate.toFixed(2)}% over the last half (seed ${seed})`).toBeGreaterThanOrEqual(lruLate - bound)
    })
  }
  // STALE_FAST_AGE's window bound: aged through the whole hold as the window grew, a flat-ish Zipf moving every 10
  // capacities lost its later periods. Real cache, 10k entries (one shard): main −1.30 / −0.86, STALE_FAST −1.26 / −0.88,
  // the ageing at any window (the gate's window bound at 0.2) −1.66 / −1.98. Held over the last half.
  it('moving s0.99 5/entry every 10C by 2.5C at 10000 entries: the last half of the reads within 1.2 points of LRU', () => {
    const seed = testSeed(1)
    const c = 10000
    const trace = sweepRows().find((r) => r.name === 'moving s0.99 5/entry every 10C by 2.5C')!.make(c, 1)
    const { lru: [, lruLate], got: [all, late] } = replayVsLru(trace, c, seed, engine, 1)
    console.log(`[stale-fast s0.99 10k, ${engine}] seed ${seed}: whole ${all.toFixed(2)}%, last half ${late.toFixed(2)}% (LRU ${lruLate.toFixed(2)}%)`)
    expect(late, `LRU ${lruLate.toFixed(2)}% over the last half (seed ${seed})`).toBeGreaterThanOrEqual(lruLate - 1.2)
  })
  // STALE_FAST_TAIL: a loop larger than the cache brings every key back from the ghost (drift 1.0) and its blocks read a
  // stale share of 1.0, but no key is hit in the window (tail 0). Probe seed 1's row (trace seed 416555419): the model
  // without the guard +30.41 -> +16.95 over LRU; the real cache, one shard, +30.72 / +30.65 / +30.41 (seeds 1 / 2 / 3).
  it('phases loop→back 10C each at 2800 entries: at least 25 points over LRU over the whole run', () => {
    const seed = testSeed(1)
    const c = 2800
    const trace = phasesTrace(c, 1, ['loop', 'back'], 10, 416555419)
    const { lru: [lruAll], got: [all] } = replayVsLru(trace, c, seed, engine, 1)
    console.log(`[stale-fast loop, ${engine}] seed ${seed}: whole ${all.toFixed(2)}% (LRU ${lruAll.toFixed(2)}%)`)
    expect(all, `LRU ${lruAll.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(lruAll + 25)
  })
})

/**
 * Stop 56 (dryrobust): the `lagh` phase kind (a lag phase whose opening sends a share q of its reads of the phase's
 * first key to a hot set or to random earlier keys) is research only: it must leave every other phase's trace as it
 * was (the drawn rows' figures are compared across stops), and its opening must read the hot set at about q.
 */
it('lagh leaves other phases unchanged and sends about q of its opening to the hot set', () => {
  const c = 1000
  const seed = testSeed(7)
  const plain = phasesTrace(c, 1, ['zipf', 'lag', 'scan'], 3, seed)
  const other = phasesTrace(c, 1, ['zipf', 'lag', 'scan'], 3, seed, 20, { q: 0.5, hot: 100 })
  expect(Array.from(other.keys)).toEqual(Array.from(plain.keys))
  const t = phasesTrace(c, 1, ['zipf', 'lagh'], 3, seed, 20, { q: 0.2, hot: 100 })
  const per = 3 * c
  const hotBase = 20 * c
  let first = -1
  let hot = 0
  let opening = 0
  for (let i = per; i < t.keys.length; i++) {
    const k = t.keys[i]!
    if (t.ops![i] === OP_WRITE) {
      if (first < 0) first = k
      continue
    }
    if (k === first || (k >= hotBase && k < hotBase + 100)) {
      opening++
      if (k !== first) hot++
    }
  }
  expect(first).toBe(hotBase + 100)
  expect(opening).toBeGreaterThan(1000)
  expect(hot / opening).toBeGreaterThan(0.15)
  expect(hot / opening).toBeLessThan(0.25)
})

/**
 * Drawn probe rows (`recency-probe.ts --rows 300 --seed N --real --all --match …`: default shards, hash seed 1) a rule
 * holds ([trace, which figure, bound]). Stop 57 (lead): LATE_FREQUENCY (2), whose planted bug survived every test, was
 * retired on the model's word (neutral on every model gate) and lost `delay 1.15C+0.5C back` at 2800 entries on the real
 * cache, −0.46 → −1.61 vs LRU over the second half (hash seeds 2 / 3 with the rule: −0.50 / −0.46); the rule stays.
 * Stop 58 (movingport): STALE_FAST_HALVE with STALE_FAST_WINDOW 0.5 took probe seed 3's `moving s1.1 5/entry every 11.5C
 * by 1.55C` at 4900 entries (one shard at that size) from −2.18 to −1.21 over the second half (hash seeds 1-5: main
 * 40a4f29 −2.07 to −2.27, now −0.99 to −1.56; wasm = native).
 */
const PROBE_ROWS: [string, () => Trace, number, 'whole' | 'late', number][] = [
  ['delay 1.15C+0.5C back', () => delayTrace(2800, 1, 1.15, true, 368366747), 2800, 'late', 1],
  ['moving s1.1 5/entry every 11.5C by 1.55C', () => movingTrace(4900, 1, 1.1, 5, 11.5, 1.55, 956866794), 4900, 'late', 1.8],
]

forEachEngine('drawn probe rows a rule holds (LATE_FREQUENCY, STALE_FAST_HALVE)', (engine) => {
  for (const [name, make, c, which, bound] of PROBE_ROWS) {
    it(`${name} at ${c} entries: within ${bound} of LRU over ${which === 'whole' ? 'the whole run' : 'the last half'}`, () => {
      const seed = testSeed(1)
      const trace = make()
      const { lru: [la, ll], got: [ca, cl] } = replayVsLru(trace, c, seed, engine)
      console.log(`[probe row ${name} @${c}, ${engine}] seed ${seed}: ${(ca - la).toFixed(2)} / ${(cl - ll).toFixed(2)} vs LRU`)
      if (which === 'whole') expect(ca, `LRU ${la.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(la - bound)
      else expect(cl, `LRU ${ll.toFixed(2)}% over the last half (seed ${seed})`).toBeGreaterThanOrEqual(ll - bound)
    })
  }
})

/**
 * Stop 58 (mutants58): RETURN_READ_MIN's planted bug (return-read-ignored: RETURN_TO places asked-for inserts whether or
 * not the new keys beside them are read) survived every test: its rows (moving+writes every 4C w0.1) depend on the hash
 * seed by more than the rule takes. A flatter Zipf hot set (s0.7, 2 keys per entry) moving every 8 capacities beside
 * writes of new keys never read at w0.3 holds a lead over LRU that the rule makes: RETURN_TO, switched on by the unasked
 * share in its band, sends the moved set's new keys to probation unless the read share (the new keys are never read)
 * stands it aside. Real cache, 10000 entries, one shard, generator seed 1, whole run vs lru-cache, hash seeds 1–5 (wasm):
 * +1.20 / +1.16 / +1.27 / +1.20 / +1.22; without the rule −0.07 / +0.12 / +0.10 / +0.37 / +0.45 (at 4000 entries
 * +1.37 to +1.56 against +0.59 to +0.80). Held at a lead of 0.8.
 */
forEachEngine('new keys never read beside a moving hot set keep RETURN_TO aside (RETURN_READ_MIN)', (engine) => {
  it('moving+writes s0.7 2/entry every 8C w0.3 at 10000 entries: at least 0.8 points over LRU over the whole run', () => {
    const seed = testSeed(1)
    const c = 10_000
    const { got, want } = traceVsLru(movingWritesTrace(c, 1, 0.7, 2, 8, 0.3, 1), c, seed, engine)
    console.log(`[read share, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want + 0.8)
  })
})

/**
 * Stop 58 (mutants58): MISS_RUN counts only gets that nothing loads (a cache-aside load's set takes its get's miss off
 * again); its planted bug (miss-run-counts-loads: the loads' misses count too) survived every test, the sweep's
 * `phases once→loop→once 10C each` moving by 0.37 only. With 3-capacity phases the loop (1.5 × capacity keys read
 * cache-aside, two passes) follows write-then-read written once: every get of the loop misses and loads, and with the
 * loads counted the run reaches MISS_RUN while the first phase's keys (written unasked) leave the window, so a leaver wins,
 * the window jumps and main, which held part of the loop for its second pass, is shed. Real cache, 4000 entries, one
 * shard, whole run vs LRU, generator seeds 1 / 2 / 7, hash seeds 1–5: +8.15 / +8.25 / +8.33 on every hash seed (2000
 * and 10000 entries +8.37 / +8.23); the loads counted −0.24 to +0.32. Held at a lead of 5.
 */
forEachEngine('a loop read cache-aside after write-once traffic makes no run of misses (MISS_RUN)', (engine) => {
  it(`phases once→loop→once 3C each at ${CAPACITY} entries: at least 5 points over LRU over the whole run`, () => {
    const seed = testSeed(1)
    const { got, want } = traceVsLru(phasesTrace(CAPACITY, 1, ['once', 'loop', 'once'], 3, 1), CAPACITY, seed, engine)
    console.log(`[loop run, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
    expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want + 5)
  })
})
