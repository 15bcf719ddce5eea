/** The index snapshot a clean close writes: used only when it describes exactly the segments found. */
import { afterAll, describe, expect, it } from 'vitest'
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { removeTempDirs, tempDir } from './helpers.js'

afterAll(removeTempDirs)

async function written(): Promise<{ dir: string; expected: Map<string, string> }> {
  const dir = tempDir()
  const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 8192, autoCompact: false })
  const expected = new Map<string, string>()
  for (let i = 0; i < 400; i++) {
    await store.put(`k${i % 250}`, `v${i}`)
    expected.set(`k${i % 250}`, `v${i}`)
  }
  for (let i = 0; i < 250; i += 5) {
    await store.delete(`k${i}`)
    expected.delete(`k${i}`)
  }
  await store.compact()
  for (let i = 1; i < 250; i += 7) {
    await store.put(`k${i}`, `late${i}`)
    expected.set(`k${i}`, `late${i}`)
  }
  await store.close()
  return { dir, expected }
}

async function expectContent(dir: string, expected: Map<string, string>): Promise<LogStore<string>['stats'] extends () => infer S ? S : never> {
  const store = await LogStore.open<string>(dir)
  const stats = store.stats()
  const seen = new Map<string, string>()
  for await (const [k, v] of store.entries()) seen.set(k, v)
  expect(seen).toEqual(expected)
  expect(store.size).toBe(expected.size)
  await store.put('after-reopen', 'x')
  expect(store.getSync('after-reopen')).toBe('x')
  await store.delete('after-reopen')
  await store.close()
  return stats
}

describe('LogStore index snapshot', () => {
  it('a clean close writes it, the next open loads it (no hint or segment read), and consumes it', async () => {
    const { dir, expected } = await written()
    expect(existsSync(join(dir, 'INDEX'))).toBe(true)
    const store = await LogStore.open<string>(dir)
    expect(existsSync(join(dir, 'INDEX'))).toBe(false)
    const s = store.stats()
    expect(s.recovery.fromSnapshot).toBe(true)
    expect(s.recovery.segmentsFromHints + s.recovery.segmentsScanned).toBe(0)
    expect(s.liveBytes).toBeGreaterThan(0)
    for (const [k, v] of expected) expect(store.getSync(k)).toBe(v)
    await store.close()
    expect((await expectContent(dir, expected)).recovery.fromSnapshot).toBe(true)
  })

  it('is ignored when the segments changed since it was written (a segment grew, or one is gone)', async () => {
    const { dir, expected } = await written()
    const logs = readdirSync(dir).filter((n) => n.endsWith('.log')).sort()
    appendFileSync(join(dir, logs[0]!), Buffer.from('torn write'))
    let s = await expectContent(dir, expected)
    expect(s.recovery.fromSnapshot).toBe(false)
    expect(s.recovery.truncatedBytes).toBe(10)
    // A snapshot from a state that has a segment more than the directory now holds.
    const { dir: other, expected: otherExpected } = await written()
    const snapshot = readFileSync(join(other, 'INDEX'))
    const extra = join(other, '0000099999.log')
    writeFileSync(extra, '')
    s = await expectContent(other, otherExpected)
    expect(s.recovery.fromSnapshot).toBe(false)
    writeFileSync(join(other, 'INDEX'), snapshot)
    rmSync(extra, { force: true })
  })

  it('is ignored when damaged or torn', async () => {
    for (const damage of ['flip', 'cut'] as const) {
      const { dir, expected } = await written()
      const path = join(dir, 'INDEX')
      const bytes = readFileSync(path)
      if (damage === 'flip') bytes[Math.floor(bytes.length / 2)] ^= 0x10
      writeFileSync(path, damage === 'flip' ? bytes : bytes.subarray(0, bytes.length - 16))
      const s = await expectContent(dir, expected)
      expect(s.recovery.fromSnapshot, damage).toBe(false)
      expect(s.recovery.segmentsFromHints, damage).toBeGreaterThan(0)
    }
  })
})

describe('LogStore open from hint files (bulk load)', () => {
  it('after every key was overwritten 5 times, the index it builds is no larger than the one the writes built', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 64 * 1024, autoCompact: false })
    const keys = 5000
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: keys }, (_, i) => store.put(`key-${i}`, `v${round}-${i}`)))
    }
    for (let i = 0; i < keys; i += 3) await store.delete(`key-${i}`)
    const before = store.stats()
    await store.close()
    rmSync(join(dir, 'INDEX'))
    const again = await LogStore.open<string>(dir)
    const after = again.stats()
    expect(after.recovery.segmentsFromHints).toBe(after.files - 1) // the new active segment has no hint yet
    expect(after.keys).toBe(before.keys)
    expect(after.liveBytes).toBe(before.liveBytes)
    // Reserved for every hint entry (6 per key and the tombstones), then given back to the live keys.
    expect(after.indexBytes).toBeLessThanOrEqual(before.indexBytes)
    for (let i = 0; i < keys; i++) expect(again.getSync(`key-${i}`)).toBe(i % 3 === 0 ? undefined : `v5-${i}`)
    await again.close()
  })
})
