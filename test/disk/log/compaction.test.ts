import { afterAll, describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { LogStore } from '../../../src/disk/index.js'
import { prng, removeTempDirs, tempDir } from './helpers.js'

afterAll(removeTempDirs)

describe('LogStore compaction', () => {
  it('reclaims overwritten, deleted and expired records: files shrink to about the live bytes', async () => {
    const dir = tempDir()
    let now = 1_000
    const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 16 * 1024, autoCompact: false, clock: () => now })
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 500; i++) await store.put(`key-${i}`, `r${round}-${i}`.padEnd(100, '.'))
    }
    for (let i = 0; i < 100; i++) await store.delete(`key-${i}`)
    for (let i = 100; i < 150; i++) await store.put(`key-${i}`, 'short-lived', { ttl: 10 })
    now += 11
    const before = store.stats()
    expect(before.garbageRatio).toBeGreaterThan(0.8)
    await store.compact()
    const after = store.stats()
    expect(after.compactions).toBe(1)
    expect(after.keys).toBe(350)
    expect(after.fileBytes).toBeLessThanOrEqual(after.liveBytes * 1.3)
    expect(after.fileBytes).toBeLessThan(before.fileBytes / 4)
    for (let i = 150; i < 500; i++) expect(store.getSync(`key-${i}`)).toBe(`r5-${i}`.padEnd(100, '.'))
    for (let i = 0; i < 150; i++) expect(store.getSync(`key-${i}`)).toBeUndefined()
    await store.close()
    // No segment of before the compaction is left, and the outputs reopen from their hints.
    const again = await LogStore.open<string>(dir, { clock: () => now })
    expect(again.stats().recovery.segmentsScanned).toBe(0)
    expect(again.size).toBe(350)
    for (let i = 150; i < 500; i++) expect(again.getSync(`key-${i}`)).toBe(`r5-${i}`.padEnd(100, '.'))
    await again.close()
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('runs by itself past the garbage threshold', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 8192, compactMinBytes: 32 * 1024, compactThreshold: 0.5 })
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++) await store.put(`key-${i}`, `${round}`.padEnd(100, '.'))
    }
    const deadline = Date.now() + 20_000
    while (store.stats().compactions === 0) {
      if (Date.now() > deadline) throw new Error('no automatic compaction')
      await new Promise((r) => setTimeout(r, 10))
    }
    for (let i = 0; i < 100; i++) expect(store.getSync(`key-${i}`)).toBe('19'.padEnd(100, '.'))
    await store.close()
  })

  it('lets reads and writes run during a compaction, and every read sees the latest write (seeded)', async () => {
    const seed = 7
    const rand = prng(seed)
    const dir = tempDir()
    const store = await LogStore.open<unknown>(dir, { sync: 'none', maxFileBytes: 32 * 1024, autoCompact: false, compactBatchBytes: 4096 })
    const model = new Map<string, unknown>()
    for (let i = 0; i < 3000; i++) {
      const v = `initial-${i}`.padEnd(60, '#')
      model.set(`k${i}`, v)
      void store.put(`k${i}`, v)
    }
    for (let i = 0; i < 3000; i += 2) {
      const v = `second-${i}`
      model.set(`k${i}`, v)
      await store.put(`k${i}`, v)
    }
    const compaction = store.compact()
    let done = false
    void compaction.then(() => { done = true })
    let opsDuring = 0
    let batchesDuring = 0
    while (!done) {
      for (let j = 0; j < 50; j++) {
        const k = `k${Math.floor(rand() * 3500)}`
        const r = rand()
        if (r < 0.3) {
          const v = { during: opsDuring, k }
          model.set(k, v)
          void store.put(k, v)
        } else if (r < 0.4) {
          model.delete(k)
          void store.delete(k)
        } else {
          const got = store.getSync(k)
          if (!isDeepStrictEqual(got, model.get(k))) expect(got, `seed ${seed}: ${k} during compaction`).toEqual(model.get(k))
        }
        opsDuring++
      }
      batchesDuring++
      await new Promise((r) => setImmediate(r))
    }
    await compaction
    expect(batchesDuring).toBeGreaterThan(3) // the compaction really yielded to us, many times
    for (const [k, v] of model) expect(store.getSync(k), k).toEqual(v)
    expect(store.size).toBe(model.size)
    await store.close()
    const again = await LogStore.open<unknown>(dir)
    expect(again.size).toBe(model.size)
    for (const [k, v] of model) expect(again.getSync(k), k).toEqual(v)
    await again.close()
  })

  it('close() waits for a running compaction; concurrent compact() calls share one run', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 8192, autoCompact: false, compactBatchBytes: 1024 })
    for (let r = 0; r < 3; r++) for (let i = 0; i < 300; i++) await store.put(`k${i}`, `${r}`.repeat(50))
    const a = store.compact()
    const b = store.compact()
    expect(a).toBe(b)
    await store.close()
    await a
    expect(store.stats().compactions).toBe(1)
    const again = await LogStore.open<string>(dir)
    for (let i = 0; i < 300; i++) expect(again.getSync(`k${i}`)).toBe('2'.repeat(50))
    await again.close()
  })
})
