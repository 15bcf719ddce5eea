/**
 * The default policy with values of two sizes in one cache: 5% of the keys hold 200 KiB, the others
 * 2 KiB (bench/workloads/mixed-sizes.ts). A value over BIG_NEWCOMER × the shard's mean entry must earn
 * its room before it enters: the policy keeps ~100 small values in the room of one big one, so it
 * refuses most big values and serves more reads than 'clock', which keeps both (a trade-off, pinned
 * here and measured in docs/production.md, "Values of very different sizes"). 64 MiB, write-then-read
 * 0.5 × capacity written once: all reads 95% ('clock' 89%), reads of big values 18% (90%); standing
 * Zipf, cache-aside: 59% (53%).
 */
import { it, expect } from 'vitest'
import { mixedWriteThenRead, mixedZipf, type MixedResult, type SizeMix } from '../../bench/workloads/mixed-sizes.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache, type Engine } from '../conformance/engines.js'

const KiB = 1024
const MiB = 1024 * KiB
const MIX: SizeMix = { small: 2 * KiB, big: 200 * KiB, bigShare: 0.05 }
const maxBytes = 64 * MiB

function on(engine: Engine, policy: 'adaptive' | 'clock', seed: number, run: (cache: ReturnType<typeof makeCache<Buffer>>) => MixedResult): MixedResult {
  const cache = makeCache<Buffer>(engine, { maxBytes, codec: 'buffer', policy, seed })
  try {
    return run(cache)
  } finally {
    cache.close()
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`
const show = (r: MixedResult) => `all ${pct(r.all)} (big ${pct(r.big)}, small ${pct(r.small)})`

forEachEngine('values of 2 KiB and 200 KiB in one cache', (engine) => {
  it('written once, read over the last 0.5 × capacity written: all reads hit more than with clock, the small values nearly all', () => {
    const seed = testSeed(36)
    const run = (c: ReturnType<typeof makeCache<Buffer>>) => mixedWriteThenRead(c, { maxBytes, mix: MIX, distance: 0.5, writeBack: false, seed })
    const adaptive = on(engine, 'adaptive', seed, run)
    const clock = on(engine, 'clock', seed, run)
    const why = `seed ${seed}: adaptive ${show(adaptive)}, clock ${show(clock)}`
    console.log(`[mixed write-then-read, ${engine}] ${why}`)
    expect(adaptive.all, why).toBeGreaterThan(clock.all + 0.02)
    expect(adaptive.small, why).toBeGreaterThan(0.97)
  })

  it('standing Zipf, cache-aside: all reads hit more than with clock', () => {
    const seed = testSeed(36)
    const run = (c: ReturnType<typeof makeCache<Buffer>>) => mixedZipf(c, { maxBytes, mix: MIX, every: 0, seed })
    const adaptive = on(engine, 'adaptive', seed, run)
    const clock = on(engine, 'clock', seed, run)
    const why = `seed ${seed}: adaptive ${show(adaptive)}, clock ${show(clock)}`
    console.log(`[mixed Zipf, ${engine}] ${why}`)
    expect(adaptive.all, why).toBeGreaterThan(clock.all + 0.02)
  })
})
