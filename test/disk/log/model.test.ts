/**
 * Model-based: a long seeded run of random operations on a LogStore and on a Map, compared after every
 * read, with reopens, compactions (explicit and automatic) and segment rotations along the way.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { isDeepStrictEqual } from 'node:util'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { prng, removeTempDirs, tempDir } from './helpers.js'

afterAll(removeTempDirs)

const KEYS = 3000

function valueFor(rand: () => number, op: number): string | Uint8Array | number {
  const r = rand()
  if (r < 0.1) return op * 1.5
  if (r < 0.2) return new Uint8Array(Math.floor(rand() * 64)).fill(op & 0xff)
  const len = r < 0.998 ? Math.floor(rand() * 200) : 20_000 + Math.floor(rand() * 300_000)
  return `${op}:`.padEnd(len, String.fromCharCode(97 + (op % 26)))
}

/** Removes the index snapshot, and with `rand` about half of the hint files too. */
function forgetIndex(dir: string, rand: (() => number) | undefined): void {
  for (const name of readdirSync(dir)) {
    if (name === 'INDEX' || (rand !== undefined && name.endsWith('.hint') && rand() < 0.5)) rmSync(join(dir, name))
  }
}

describe('LogStore against a Map model', () => {
  for (const [seed, OPS] of [[1, 110_000], [2, 30_000]] as const) {
    it(`agrees over ${OPS} random operations with reopens and compactions (seed ${seed})`, async () => {
      const rand = prng(seed)
      const dir = tempDir()
      const options = { sync: 'none' as const, maxFileBytes: 64 * 1024, compactMinBytes: 256 * 1024, compactThreshold: 0.4, compactBatchBytes: 8192 }
      let store = await LogStore.open<unknown>(dir, options)
      let reopens = 0
      const model = new Map<string, unknown>()
      const pending: Promise<unknown>[] = []
      const key = () => `k${Math.floor(rand() ** 2 * KEYS)}`
      // expect() only on a mismatch: it costs more than the read it checks.
      const check = (k: string) => {
        const got = store.getSync(k)
        if (!isDeepStrictEqual(got, model.get(k))) expect(got, `seed ${seed}, key ${k}`).toEqual(model.get(k))
      }
      try {
        for (let op = 0; op < OPS; op++) {
          const r = rand()
          if (r < 0.45) {
            const k = key()
            const v = valueFor(rand, op)
            model.set(k, v)
            pending.push(store.put(k, v))
          } else if (r < 0.55) {
            const k = key()
            const had = model.delete(k)
            pending.push(store.delete(k).then((was) => expect(was, `seed ${seed} delete ${k}`).toBe(had)))
          } else if (r < 0.99) check(key())
          else if (r < 0.9996) {
            const k = key()
            if ((await store.has(k)) !== model.has(k)) expect(await store.has(k), `seed ${seed} has ${k}`).toBe(model.has(k))
          } else if (r < 0.99965) {
            await Promise.all(pending.splice(0))
            await store.compact()
          } else {
            await Promise.all(pending.splice(0))
            const liveBytes = store.stats().liveBytes
            await store.close()
            // Reopen by each path: the clean close's snapshot, the hint files (bulk-loaded), or hints for
            // some segments and scans for the others (what the hints staged must go in before each scan).
            const how = reopens++ % 3
            if (how > 0) forgetIndex(dir, how === 2 ? rand : undefined)
            store = await LogStore.open<unknown>(dir, options)
            expect(store.size, `seed ${seed} size after reopen (${how})`).toBe(model.size)
            expect(store.stats().liveBytes, `seed ${seed} live bytes after reopen (${how})`).toBe(liveBytes)
            if (how === 1) expect(store.stats().recovery.segmentsFromHints, `seed ${seed} reopen from hints`).toBeGreaterThan(0)
          }
          if (op === OPS / 2) {
            await Promise.all(pending.splice(0))
            await store.compact()
            expect(store.stats().compactions).toBeGreaterThan(0)
          }
          if (pending.length >= 256) await Promise.all(pending.splice(0))
        }
        await Promise.all(pending.splice(0))
        expect(store.size).toBe(model.size)
        for (const k of model.keys()) check(k)
        const seen = new Map<string, unknown>()
        for await (const [k, v] of store.entries()) seen.set(k, v)
        expect(seen).toEqual(model)
        const s = store.stats()
        expect(s.corruptReads).toBe(0)
        await store.close()
        store = await LogStore.open<unknown>(dir, options)
        expect(store.size).toBe(model.size)
        for (const k of model.keys()) check(k)
        expect(store.stats().recovery.truncatedBytes + store.stats().recovery.skippedBytes).toBe(0)
      } finally {
        await store.close()
      }
    }, 180_000)
  }
})
