/** LmdbStore and LevelStore: the LogStore API over lmdb and classic-level, checked with the same cases. */
import { afterAll, describe, expect, it } from 'vitest'
import { Cache, TieredCache } from '../../../src/index.js'
import { LevelStore, LmdbStore, diskTier } from '../../../src/disk/index.js'
import { isCortadoError } from '../../../src/errors.js'
import { removeTempDirs, tempDir } from '../log/helpers.js'

afterAll(removeTempDirs)

const STORES = [
  { name: 'LmdbStore', open: LmdbStore.open },
  { name: 'LevelStore', open: LevelStore.open },
] as const

for (const { name, open } of STORES) {
  describe(name, () => {
    it('stores, reads, overwrites, deletes and iterates values of every codec kind, across a reopen', async () => {
      const dir = tempDir()
      const store = await open<unknown>(dir, { sync: 'none' })
      const values: Record<string, unknown> = { s: 'hello ☕', n: 2.5, b: new Uint8Array([1, 2]), buf: Buffer.from('x'), o: { a: [1, { b: 2 }] } }
      for (const [k, v] of Object.entries(values)) await store.put(k, v)
      for (const [k, v] of Object.entries(values)) {
        expect(store.getSync(k)).toEqual(v)
        expect(await store.get(k)).toEqual(v)
        expect(await store.has(k)).toBe(true)
      }
      await store.put('s', 'again')
      expect(await store.delete('n')).toBe(true)
      expect(await store.delete('n')).toBe(false)
      expect(await store.get('n')).toBeUndefined()
      await store.close()
      const again = await open<unknown>(dir)
      const seen = new Map<string, unknown>()
      for await (const [k, v] of again.entries()) seen.set(k, v)
      expect(seen).toEqual(new Map(Object.entries({ ...values, s: 'again', n: undefined }).filter(([, v]) => v !== undefined)))
      expect(await again.count()).toBe(4)
      await again.close()
      await expect(again.get('s')).rejects.toMatchObject({ code: 'ERR_CLOSED' })
    })

    it('expires by TTL and refuses bad input with typed errors, losing nothing', async () => {
      const dir = tempDir()
      let now = 5_000
      const store = await open<string>(dir, { codec: 'string', clock: () => now })
      await store.put('t', 'v', { ttl: 100 })
      await store.put('kept', 'value')
      expect(await store.getEntry('t')).toEqual({ value: 'v', expiresAt: 5_100 })
      now += 100
      expect(store.getSync('t')).toBeUndefined()
      expect(await store.has('t')).toBe(false)
      for (const [call, code] of [
        [() => store.put(1 as unknown as string, 'x'), 'ERR_INVALID_KEY'],
        [() => store.put('kept', 5 as unknown as string), 'ERR_INVALID_VALUE'],
        [() => store.put('kept', 'x', { ttl: -5 }), 'ERR_INVALID_TTL'],
      ] as const) {
        const error = await Promise.resolve().then(call).then(() => undefined, (e: unknown) => e)
        expect(isCortadoError(error, code), String(error)).toBe(true)
      }
      expect(await store.get('kept')).toBe('value')
      await expect(open(dir, { sync: 'interval' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
      await store.close()
    })

    it('is the L2 of a TieredCache', async () => {
      const dir = tempDir()
      const store = await open<Uint8Array>(dir, { codec: 'buffer' })
      const l1 = new Cache<string>({ maxBytes: 4 << 20, codec: 'string' })
      const tier = new TieredCache<string>({ l1, l2: diskTier(store) })
      await tier.set('a', 'A', { ttl: 60_000 })
      l1.clear()
      expect(await tier.get('a')).toBe('A')
      expect(tier.stats().l2Hits).toBe(1)
      await tier.close()
      l1.close()
      await store.close()
    })
  })
}

describe('LevelStore', () => {
  it('refuses a second open of the same directory with ERR_LOCKED', async () => {
    const dir = tempDir()
    const store = await LevelStore.open(dir)
    await expect(LevelStore.open(dir)).rejects.toMatchObject({ code: 'ERR_LOCKED' })
    await store.close()
  })
})
