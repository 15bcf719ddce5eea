/**
 * The front under a concurrent writer: one worker rewrites, deletes and clears while this thread reads
 * through its front, in a tight loop, values that say which round wrote them. Zero stale reads: a value
 * older than the last round the writer published is a front that missed a change.
 */
import { it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine } from '../conformance/engines.js'
import { start, withDeadline } from './fixtures/run.js'

forEachEngine('front under a concurrent writer', (engine) => {
  it('one thread writes, deletes and clears; the other reads through its front: never a stale value', async () => {
    const seed = testSeed(1919)
    const keys = 64
    const cache = new Cache<string>({ maxBytes: 16 << 20, codec: 'string', engine, front: true, seed })
    const progress = new SharedArrayBuffer(12)
    const published = new Int32Array(progress)
    const writer = start<string>('front-writer.mjs', { handle: cache.handle, progress, rounds: 400, keys, seed })
    let reads = 0
    let stale = 0
    let wrong = 0
    const firstStale: string[] = []
    const deadline = Date.now() + 60_000
    while (Atomics.load(published, 1) === 0) {
      if (Date.now() > deadline) break
      const before = Atomics.load(published, 0)
      // A hot few keys read often (so they live in the front), the rest now and then.
      const i = reads % 4 === 0 ? (reads >> 2) % keys : reads % 8
      const value = cache.get(`k${i}`)
      reads++
      if (value === undefined) continue
      const [key, round] = value.split(':')
      if (Number(key) !== i) wrong++
      else if (Number(round) < before) {
        stale++
        if (firstStale.length < 3) firstStale.push(`k${i} read ${value} after round ${before} was published`)
      }
    }
    await withDeadline('front writer', 60_000, writer.done, () => void writer.worker.terminate())
    const s = cache.stats()
    cache.close()
    expect(Atomics.load(published, 1), `seed ${seed}: the writer finished in time`).toBe(1)
    expect({ stale, wrong }, `seed ${seed}: ${firstStale.join('; ')}`).toEqual({ stale: 0, wrong: 0 })
    expect(s.frontHits, `seed ${seed}: the front served reads (${reads} reads)`).toBeGreaterThan(0)
  }, 150_000)
})
