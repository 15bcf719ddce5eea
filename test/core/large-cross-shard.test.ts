/**
 * Values of maxBytes / 16 by default, on both engines. With the default 16 shards a shard is about
 * maxBytes / 16, so such a value's chain takes a third of its own shard's segments and borrows the rest
 * from other shards (assembly/large.ts). Here: values of maxBytes / 16, of exactly the limit and one
 * byte over it (refused, with the once-per-cache warning naming the limit), in 16, 64 and 256 MiB caches
 * full of small entries: stored, read back byte for byte, evicted, reclaimed (bytesUsed back to 0);
 * verify() after each step (it checks chains across shards and that every segment is owned once);
 * a rebuild of every shard, clear(), dump/restore, and a writer dying with a borrowed chain in hand.
 */
import { it, expect, beforeAll, afterAll, afterEach } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { forEachEngine } from '../conformance/engines.js'
import { engineInternals } from '../../src/engine/access.js'
import { testSeed } from '../helpers/seed.js'
import { Prng } from '../../bench/workloads/prng.js'
import { collectWarnings, settle } from '../helpers/warnings.js'

const KiB = 1024
const MiB = 1024 * KiB

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cortado-cross-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A value whose every byte depends on (seed, position): a torn or misplaced chunk can't pass. */
function pattern(seed: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size)
  let x = (seed * 2654435761) >>> 0 || 1
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0
    b[i] = x & 0xff
    if (i + 1 < size) b[i + 1] = (x >>> 8) & 0xff
    if (i + 2 < size) b[i + 2] = (x >>> 16) & 0xff
    if (i + 3 < size) b[i + 3] = x >>> 24
  }
  return b
}

/** Header + key + value, as bytesUsed counts an entry without TTL. */
const cost = (key: string, valueLen: number) => L.ENTRY_HEADER_BYTES + Buffer.byteLength(key) + valueLen

/** Chain segments of shard `s` lent to other shards (SEG_LARGE with another owner). */
function lentSegments(cache: Cache<Buffer>): number {
  const g = cache.geometry
  const u32 = engineInternals(cache).views.u32
  let n = 0
  for (let s = 0; s < g.shardCount; s++) {
    const base = g.shardsOffset + s * g.shardBytes + g.shardSegHeadersOffset
    for (let i = 0; i < g.segCount; i++) {
      const state = u32[(base + i * L.SEG_SIZE + L.SEG_STATE) >> 2]!
      if ((state & L.SEG_STATE_MASK) === L.SEG_LARGE && state >>> L.SEG_OWNER_SHIFT !== s) n++
    }
  }
  return n
}


/**
 * Sets a value until the policy admits it, reading it (a miss) after each refusal, as a caller asking
 * for it again would: a cold large value must earn its room against the entries it displaces
 * (TinyLFU), so its first set into a full cache may be refused. Returns how many sets it took (0:
 * never admitted).
 */
function admit(cache: Cache<Buffer>, key: string, value: Buffer): number {
  for (let n = 1; n <= 10; n++) {
    if (cache.set(key, value)) return n
    cache.get(key)
  }
  return 0
}

forEachEngine('values of maxBytes / 16 (chains across shards)', (engine) => {
  let stop: (() => void) | undefined
  afterEach(() => stop?.())

  for (const maxBytes of [16 * MiB, 64 * MiB, 256 * MiB]) {
    it(`${maxBytes / MiB} MiB: maxBytes / 16 and the limit are stored among small entries, read back, evicted and reclaimed; one byte more is refused`, async () => {
      const w = collectWarnings()
      stop = w.stop
      const cache = new Cache<Buffer>({ engine, maxBytes, codec: 'buffer', name: `cross-${maxBytes}` })
      const g = cache.geometry
      const limit = g.maxEntryBytes
      const sixteenth = maxBytes / 16
      expect(limit).toBeGreaterThanOrEqual(sixteenth + 4 * KiB)
      // Full of cold small entries first: the large values must make room in every shard they use.
      const small = pattern(1, 4000)
      for (let i = 0; i < Math.ceil((g.bytesTotal * 1.1) / 4000); i++) cache.set(`s:${i}`, small)
      expect(cache.stats().evictions).toBeGreaterThan(0)

      const big = pattern(2, sixteenth)
      expect(admit(cache, 'big', big)).toBeGreaterThan(0)
      expect(cache.get('big')!.equals(big)).toBe(true)
      if (g.shardCount >= 8) expect(lentSegments(cache), 'a chain borrowed segments of other shards').toBeGreaterThan(0)
      expect(cache.verify()).toEqual([])

      const atLimit = pattern(3, limit - L.ENTRY_HEADER_BYTES - 'limit'.length)
      expect(admit(cache, 'limit', atLimit)).toBeGreaterThan(0)
      expect(cache.get('limit')!.equals(atLimit)).toBe(true)
      expect(cache.verify()).toEqual([])

      const over = pattern(4, limit - L.ENTRY_HEADER_BYTES - 'over'.length + 1)
      expect(cache.set('over', over)).toBe(false)
      expect(cache.get('over')).toBeUndefined()
      expect(cache.stats().oversized).toBe(1)
      await settle()
      expect(w.warnings).toHaveLength(1)
      expect(w.warnings[0]!.message).toContain(`its largest entry is ${limit} bytes`)
      expect(w.warnings[0]!.message).toContain('maxEntrySize')

      // Churn: more large values than fit, of mixed sizes, overwrites and deletes; the older ones are
      // evicted and their segments (borrowed ones too) come back for the newer ones.
      const rng = new Prng(testSeed(2216))
      const sizes = [sixteenth, limit - 64, sixteenth / 2, 300 * KiB, 40 * KiB]
      const live = new Map<string, number>()
      let stored = 0
      for (let i = 0; i < 40; i++) {
        const key = `big:${rng.nextInt(12)}`
        const size = sizes[rng.nextInt(sizes.length)]!
        if (admit(cache, key, pattern(100 + i, size)) > 0) { stored++; live.set(key, i) } else live.delete(key)
        if (i % 7 === 6) { cache.delete(key); live.delete(key) }
        if (i % 10 === 9) expect(cache.verify(), `step ${i}`).toEqual([])
      }
      console.log(`[cross/${engine}] ${maxBytes / MiB} MiB: ${stored} of 40 large sets admitted (each retried up to 10 times after a miss), ${cache.stats().evictions} evictions`)
      expect(stored).toBeGreaterThanOrEqual(36)
      for (const [key, i] of live) {
        const got = cache.get(key)
        if (got !== undefined) expect(got.equals(pattern(100 + i, got.length)) && got.length > 0, key).toBe(true)
      }
      expect(cache.stats().evictions).toBeGreaterThan(0)
      expect(cache.verify()).toEqual([])

      // Everything deleted: no byte is left accounted, no segment lent.
      for (const key of [...cache.keys()]) cache.delete(key)
      expect(cache.size).toBe(0)
      expect(cache.stats().bytesUsed).toBe(0)
      expect(lentSegments(cache)).toBe(0)
      expect(cache.verify()).toEqual([])
      // And the space is usable again: values of maxBytes / 16 fill a good part of the cache.
      let refill = 0
      for (let i = 0; i < 16; i++) if (cache.set(`again:${i}`, pattern(200 + i, sixteenth))) refill++
      expect(refill * sixteenth).toBeGreaterThanOrEqual(0.4 * maxBytes)
      for (let i = 0; i < 16; i++) {
        const got = cache.get(`again:${i}`)
        if (got !== undefined) expect(got.equals(pattern(200 + i, sixteenth))).toBe(true)
      }
      expect(cache.stats().bytesUsed).toBe([...cache.keys()].reduce((n, k) => n + cost(k, sixteenth), 0))
      expect(cache.verify()).toEqual([])
      cache.close()
    }, 120_000)
  }

  it('a value borrowing from other shards evicts about its own bytes: the borrowed part does not count against its owner shard', () => {
    // Before stop 36 the owner shard counted the whole chain in the units it holds against its capacity
    // (usedUnits read SHARD_LIVE_BYTES, which includes borrowed bytes), so every contest in that shard
    // evicted for bytes it never held: a 2 MiB value among 2000-byte entries evicted 1248 of them where
    // its bytes are 1036 entries' worth (a 16 MiB value in a 256 MiB cache emptied its owner shard).
    const seed = testSeed(36)
    for (const [small, bigBytes] of [[2000, 2 * MiB], [4000, 3 * MiB]] as const) {
      const cache = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer', seed })
      const value = pattern(1, small)
      for (let i = 0; i < Math.ceil((cache.geometry.bytesTotal * 1.3) / small); i++) cache.set(`s:${i}`, value)
      const before = cache.stats().evictions
      expect(admit(cache, 'big', pattern(2, bigBytes)), `seed ${seed}`).toBeGreaterThan(0)
      expect(lentSegments(cache), 'the value borrowed segments of other shards').toBeGreaterThan(0)
      const evicted = cache.stats().evictions - before
      const worth = Math.ceil(bigBytes / cost('s:100000', small))
      expect(evicted, `seed ${seed}, ${small}-byte entries, ${bigBytes} bytes: evicted ${evicted}, the value is ${worth} entries' worth`).toBeLessThanOrEqual(Math.ceil(worth * 1.05))
      expect(cache.verify()).toEqual([])
      cache.close()
    }
  })

  it('a cache of maxBytes / 16 values only: new values take over from older ones lent segments', () => {
    // Lent segments belong to other shards' entries: a newcomer that needs them contests those entries
    // (without that, once every lender had lent its half, new values were refused: 25-26 of 40 stored).
    // Seeded: how many 4 MiB values stay depends on the sketch's hashing. Seeds 1-12 leave 6-8 (7-8
    // before stop 33's larger sketch took ~2.5 MB of the 64 MiB from the values); unseeded runs saw 5.
    const seed = testSeed(7)
    const cache = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer', seed })
    let stored = 0
    for (let i = 0; i < 40; i++) if (admit(cache, `big:${i}`, pattern(i, 4 * MiB)) > 0) stored++
    expect(stored, `seed ${seed}`).toBeGreaterThanOrEqual(36)
    const present = [...cache.keys()]
    expect(present.length, `seed ${seed}`).toBeGreaterThanOrEqual(5)
    for (const k of present) expect(cache.get(k)!.equals(pattern(Number(k.slice(4)), 4 * MiB)), k).toBe(true)
    expect(cache.stats().bytesUsed).toBe(present.reduce((n, k) => n + cost(k, 4 * MiB), 0))
    expect(cache.verify()).toEqual([])
    cache.close()
  })

  it('rebuilding every shard keeps borrowed chains; clear gives them back', () => {
    // Seeded: which values the policy keeps depends on the seed. Since stop 35 (typical-size LARGE
    // entries contest main at window exit) seeds 1 and 11 of 1-40 lost 3-4 of the 6 large values to the
    // small ones while the owner shard counted a chain's borrowed bytes as its own; since stop 36 (it
    // doesn't) seeds 1-40 lose 0-2 (22 / 16 / 2 seeds lose 0 / 1 / 2; before: 9 / 9 / 20 / 1 / 1 lost 0-4).
    const cache = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer', seed: testSeed(7) })
    const values = new Map<string, Buffer>()
    for (let i = 0; i < 6; i++) values.set(`big:${i}`, pattern(i, 4 * MiB - i * 100 * KiB))
    for (let i = 0; i < 300; i++) values.set(`s:${i}`, pattern(1000 + i, 300))
    for (const [k, v] of values) expect(cache.set(k, v), k).toBe(true)
    expect(lentSegments(cache)).toBeGreaterThan(0)
    // (The policy may have evicted a large value for the small ones that followed: compare what is there.)
    const present = [...values.keys()].filter((k) => cache.has(k))
    expect(present.length).toBeGreaterThan(values.size - 3)
    const used = cache.stats().bytesUsed
    const { exports } = engineInternals(cache)
    for (let s = 0; s < cache.geometry.shardCount; s++) expect(exports.rebuild(s, Date.now()) & 0xff).toBe(L.STATUS_STORED)
    expect(cache.verify()).toEqual([])
    expect(cache.stats().bytesUsed).toBe(used)
    expect([...values.keys()].filter((k) => cache.has(k))).toEqual(present)
    for (const k of present) expect(cache.get(k)?.equals(values.get(k)!), k).toBe(true)
    cache.clear()
    expect(cache.stats().bytesUsed).toBe(0)
    expect(lentSegments(cache)).toBe(0)
    expect(cache.verify()).toEqual([])
    for (let i = 0; i < 6; i++) expect(cache.set(`again:${i}`, pattern(50 + i, 4 * MiB))).toBe(true)
    expect(cache.verify()).toEqual([])
    cache.close()
  })

  it('dump and restore carry values of maxBytes / 16 byte for byte', async () => {
    const a = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer' })
    const values = new Map([['big', pattern(1, 4 * MiB)], ['mid', pattern(2, 3 * MiB)], ['small', pattern(3, 100)]])
    for (const [k, v] of values) expect(a.set(k, v)).toBe(true)
    const path = join(dir, `cross-${engine}.dump`)
    expect((await a.dump(path)).entries).toBe(values.size)
    a.close()
    const b = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer' })
    expect((await b.restore(path)).loaded).toBe(values.size)
    for (const [k, v] of values) expect(b.get(k)?.equals(v), k).toBe(true)
    expect(b.verify()).toEqual([])
    b.close()
  })

  it('a writer that dies holding a chain borrowed from other shards loses only that write; the segments go back to their lenders', () => {
    const cache = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer' })
    const old = pattern(7, 2 * MiB)
    cache.set('k', old)
    cache.set('other', pattern(8, 100))
    const used = cache.stats().bytesUsed
    const lentBefore = lentSegments(cache)
    const dead = Cache.attach<Buffer>(cache.handle)
    const { exports, views, scratch } = engineInternals(dead)
    const key = Buffer.from('k')
    views.u8.set(key, scratch + L.RESULT_SIZE)
    // Reserve a 4 MiB value (its chain borrows from other shards), write part of it, and "die".
    expect(exports.setReserve(key.length, 4 * MiB, L.KIND_BUFFER, 0, -1)).toBe(L.STATUS_STORED)
    expect(views.u32[(scratch + L.RESULT_KIND) >> 2]).toBe(L.KIND_CHAINED)
    expect(lentSegments(cache)).toBeGreaterThan(lentBefore)
    const at = views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2]!
    views.u8.fill(0x41, at, at + 1000)
    // The next writer takes the owner's lock over after the lease and rebuilds it: the old value stays,
    // and the half-written chain's borrowed segments are given back to their lenders.
    expect(cache.get('k')!.equals(old)).toBe(true)
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.stats().bytesUsed).toBe(used)
    expect(lentSegments(cache)).toBe(lentBefore)
    expect(cache.verify()).toEqual([])
    cache.delete('k')
    let stored = 0
    for (let i = 0; i < 8; i++) if (cache.set(`refill:${i}`, pattern(i, 4 * MiB))) stored++
    expect(stored).toBeGreaterThanOrEqual(4)
    expect(cache.verify()).toEqual([])
    cache.close()
  }, 30_000)
})
