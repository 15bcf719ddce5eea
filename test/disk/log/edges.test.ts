/**
 * Edge values a user meets in the first week: the empty key, empty values, keys with odd bytes, the
 * longest key, falsy values. Each must read back as stored, through every way an open rebuilds the
 * index (the snapshot of a clean close, hint files, a scan of the segments), with nothing counted as
 * corrupt.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { removeTempDirs, tempDir } from './helpers.js'

afterAll(removeTempDirs)

const LONGEST = 'k'.repeat(4093) + '€' // 4096 UTF-8 bytes

const ENTRIES: [string, unknown][] = [
  ['', ''],
  ['empty-bytes', new Uint8Array(0)],
  ['empty-string', ''],
  ['nul\0key\0', 'nul'],
  ['\u{1F600}\n\t/..\\', 'emoji'],
  [LONGEST, 'longest'],
  ['zero', 0],
  ['false', false],
  ['null', null],
  ['empty-object', {}],
  ['empty-array', []],
]

async function expectAll(store: LogStore<unknown>, how: string): Promise<void> {
  for (const [key, value] of ENTRIES) expect(store.getSync(key), `${how}: ${JSON.stringify(key.slice(0, 20))}`).toEqual(value)
  expect(store.size, how).toBe(ENTRIES.length)
  expect(store.stats().corruptReads, how).toBe(0)
}

describe('LogStore edge keys and values', () => {
  it('the empty key, empty values, odd and longest keys, falsy values: read back in the session and after each kind of open', async () => {
    const dir = tempDir()
    let store = await LogStore.open<unknown>(dir, { sync: 'none' })
    for (const [key, value] of ENTRIES) await store.put(key, value)
    await expectAll(store, 'same session')
    await store.close()

    store = await LogStore.open<unknown>(dir)
    expect(store.stats().recovery.fromSnapshot).toBe(true)
    await expectAll(store, 'from the snapshot')
    await store.close()

    rmSync(join(dir, 'INDEX'))
    store = await LogStore.open<unknown>(dir)
    expect(store.stats().recovery.segmentsFromHints).toBeGreaterThan(0)
    await expectAll(store, 'from hints')
    await store.close()

    for (const name of readdirSync(dir)) if (name === 'INDEX' || name.endsWith('.hint')) rmSync(join(dir, name))
    store = await LogStore.open<unknown>(dir)
    const r = store.stats().recovery
    expect(r.segmentsScanned).toBeGreaterThan(0)
    expect([r.corruptRegions, r.skippedBytes, r.truncatedBytes]).toEqual([0, 0, 0])
    await expectAll(store, 'from a scan')
    // And the empty key is deleted like any other.
    expect(await store.delete('')).toBe(true)
    expect(store.getSync('')).toBeUndefined()
    await store.close()
  })
})
