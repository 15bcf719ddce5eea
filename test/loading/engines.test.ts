/**
 * The cross-thread protocol on both engines, cheaply: two Cache objects attached to one arena in this
 * thread have two thread slots, so they coordinate through the FLIGHT table exactly as two threads do
 * (on the native engine, whose memory is not a SharedArrayBuffer, waiters poll instead of waitAsync).
 */
import { it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { forEachEngine, makeCache } from '../conformance/engines.js'

forEachEngine('single-flight through the FLIGHT table', (engine) => {
  /** Runs `body` with two Cache objects (two thread slots) over one new arena. */
  async function withPair(body: (a: Cache<string>, b: Cache<string>) => Promise<void>): Promise<void> {
    const a = makeCache<string>(engine, { maxBytes: 8 << 20, codec: 'string' })
    const b = Cache.attach<string>(a.handle)
    try {
      await body(a, b)
    } finally {
      b.close()
      a.close()
    }
  }
  const slow = <T>(ms: number, value: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(value()), ms))

  it('one loader call for both objects, both get the value', async () => {
    await withPair(async (a, b) => {
      let calls = 0
      const loader = () => { calls++; return slow(30, () => 'v') }
      expect(await Promise.all([a.getOrLoad('k', loader), b.getOrLoad('k', loader), a.getOrLoad('k', loader)])).toEqual(['v', 'v', 'v'])
      expect(calls).toBe(1)
      expect(a.stats().loadSuccesses).toBe(1)
    })
  })

  it('the failure reaches the waiting object with the same message', async () => {
    await withPair(async (a, b) => {
      const failing = async () => {
        await slow(30, () => undefined)
        throw new Error('no such row')
      }
      const results = await Promise.all([a.getOrLoad('k', failing), b.getOrLoad('k', failing)].map((p) => p.catch((e: Error) => e)))
      expect(results.map((e) => (e as Error).message)).toEqual(Array(2).fill('loader for key "k" failed: no such row'))
      expect(a.stats().loadFailures).toBe(1)
    })
  })

  it('undefined reaches the waiting object as a miss', async () => {
    await withPair(async (a, b) => {
      let calls = 0
      const missing = () => { calls++; return slow(30, () => undefined) }
      expect(await Promise.all([a.getOrLoad('k', missing), b.getOrLoad('k', missing)])).toEqual([undefined, undefined])
      expect(calls).toBe(1)
    })
  })
})
