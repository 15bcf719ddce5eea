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
import { coreOf } from '../../src/engine/access.js'
import type { Front } from '../../src/engine/front.js'

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

  it('a loop of nothing but front hits sees another thread\'s write to its key', async () => {
    // What keeps the front's plain version load from being kept across hits (acquire.ts): a loop whose
    // gets are all front hits of one key must see the key rewritten by another thread. The front's
    // self-timing is off (its timed windows read the arena, which would see the write regardless).
    const cache = new Cache<string>({ maxBytes: 16 << 20, codec: 'string', engine, front: true })
    ;(coreOf(cache) as unknown as { front: Front }).front.useTimer(undefined)
    cache.set('k', 'v0')
    const spin = (limit: number): number => {
      let n = 0
      while (n < limit && cache.get('k') === 'v0') n++
      return n
    }
    // Hot before the write: the loop is compiled by the optimizing compiler by then.
    expect(spin(300_000)).toBe(300_000)
    const flag = new Int32Array(new SharedArrayBuffer(8))
    const writer = start<string>('front-rewrite.mjs', { handle: cache.handle, flag: flag.buffer, key: 'k', value: 'v1' })
    const deadline = Date.now() + 30_000
    while (Atomics.load(flag, 0) !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    const before = cache.stats().frontHits
    Atomics.store(flag, 0, 2)
    Atomics.notify(flag, 0)
    const limit = 50_000_000
    const n = spin(limit)
    await withDeadline('front rewriter', 30_000, writer.done, () => void writer.worker.terminate())
    const hits = cache.stats().frontHits - before
    expect(n, 'the loop saw the write').toBeLessThan(limit)
    expect(cache.get('k')).toBe('v1')
    // The loop's gets before the write were front hits (it did not see the write by reading the arena).
    expect(hits).toBeGreaterThanOrEqual(n)
    expect(n).toBeGreaterThan(1000)
    cache.close()
  }, 120_000)
})
