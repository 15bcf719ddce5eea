/**
 * Loads interleaved with writes, against a model: random getOrLoad calls whose loaders the test settles
 * later (in any order, some never), plain set/setMany/delete/invalidateKey/clear, and callers giving up
 * (abort). After every step each key must hold what the model says: the last write, or the value of a
 * load that no write (or newer load) came after. Both engines.
 */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { nativeAddon } from '../../src/engine/native/load.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'

interface Load {
  key: string
  resolve: (v: string | undefined) => void
  reject: (e: Error) => void
  /** In the model: a write or a newer load of the key came after it started. */
  superseded: boolean
  settled: boolean
  abort: AbortController
  /** Every caller gave up (its signal aborted). */
  abandoned: boolean
}

const tick = () => new Promise((r) => setImmediate(r))

describe.each(nativeAddon() ? ['wasm', 'native'] as const : ['wasm'] as const)('loads and writes against a model (%s)', (engine) => {
  it('2000 random steps over 6 keys: every key holds what the model says', async () => {
    const seed = testSeed(38)
    const rnd = mulberry32(seed)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
    const cache = new Cache<string>({ maxBytes: 4 << 20, engine })
    const keys = ['a', 'b', 'c', 'd', 'e', 'f']
    const model = new Map<string, string>()
    const loads: Load[] = []
    const running = (key: string) => loads.find((l) => l.key === key && !l.settled && !l.abandoned)
    const write = (key: string) => { for (const l of loads) if (l.key === key && !l.settled) l.superseded = true }
    let n = 0
    try {
      for (let step = 0; step < 2000; step++) {
        const key = pick(keys)
        const r = rnd()
        const value = `v${n++}`
        if (r < 0.3) {
          // A getOrLoad: a hit returns the value; a miss joins the running load or starts one.
          if (model.has(key) || running(key) !== undefined) {
            // A caller joining the running load gives up with its other callers (one signal for them all).
            const p = cache.getOrLoad(key, async () => { throw new Error('joined a load: this loader must not run') },
              { signal: model.has(key) ? undefined : running(key)!.abort.signal })
            if (model.has(key)) expect(await p).toBe(model.get(key))
            else void p.catch(() => {})
          } else {
            const abort = new AbortController()
            const load: Load = { key, resolve: () => {}, reject: () => {}, superseded: false, settled: false, abort, abandoned: false }
            // A newer load of the key supersedes an abandoned one still running.
            for (const l of loads) if (l.key === key && !l.settled) l.superseded = true
            loads.push(load)
            void cache.getOrLoad(key, () => new Promise<string | undefined>((resolve, reject) => {
              load.resolve = resolve
              load.reject = reject
            }), { signal: abort.signal }).catch(() => {})
            await tick()
          }
        } else if (r < 0.5) {
          // Settle a pending load (value, undefined or failure); it stores only if nothing came after it.
          const pending = loads.filter((l) => !l.settled)
          if (pending.length === 0) continue
          const l = pick(pending)
          l.settled = true
          const how = rnd()
          if (how < 0.8) {
            l.resolve(value)
            if (!l.superseded) model.set(l.key, value)
          } else if (how < 0.9) {
            l.resolve(undefined)
          } else {
            l.reject(new Error('load failed'))
          }
          await tick()
          await tick()
        } else if (r < 0.58) {
          // Every caller of the running load gives up: it is abandoned (its loader keeps running).
          const l = running(key)
          if (l === undefined) continue
          l.abandoned = true
          l.abort.abort()
          await tick()
        } else if (r < 0.72) {
          cache.set(key, value)
          write(key)
          model.set(key, value)
        } else if (r < 0.78) {
          cache.setMany([[key, value]])
          write(key)
          model.set(key, value)
        } else if (r < 0.9) {
          if (rnd() < 0.5) cache.delete(key)
          else cache.invalidateKey(key)
          write(key)
          model.delete(key)
        } else if (r < 0.93) {
          cache.clear()
          for (const k of keys) write(k)
          model.clear()
        } else {
          for (const k of keys) expect([k, cache.get(k)]).toEqual([k, model.get(k)])
        }
        for (const k of keys) expect([step, k, cache.peek(k)]).toEqual([step, k, model.get(k)])
      }
    } finally {
      for (const l of loads) if (!l.settled) l.resolve(undefined)
      await tick()
      cache.close()
    }
  })
})
