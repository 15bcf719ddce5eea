/**
 * Damaged files: each store opens, returns no wrong value, and says in stats() what it dropped.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { appendFileSync, copyFileSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { crc32c } from '../../../src/disk/log/crc32c.js'
import { removeTempDirs, tempDir } from './helpers.js'

afterAll(removeTempDirs)

const N = 300
const valueOf = (i: number) => `value-${i}-`.padEnd(80, String.fromCharCode(97 + (i % 26)))

/** A closed store of N keys over several sealed segments (each with its hint); returns its dir and segments. */
async function filledStore(): Promise<{ dir: string; logs: string[] }> {
  const dir = tempDir()
  const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 8192, autoCompact: false })
  for (let i = 0; i < N; i++) await store.put(`key-${i}`, valueOf(i))
  await store.close()
  // Damage is looked for by the hint and scan paths: take away the index snapshot of the clean close.
  rmSync(join(dir, 'INDEX'))
  return { dir, logs: readdirSync(dir).filter((n) => n.endsWith('.log')).sort() }
}

/** Keys still readable must hold their own value; returns how many are. */
async function checkNoWrongValue(store: LogStore<string>): Promise<number> {
  let present = 0
  for (let i = 0; i < N; i++) {
    const v = store.getSync(`key-${i}`)
    if (v === undefined) continue
    expect(v, `key-${i}`).toBe(valueOf(i))
    present++
  }
  for await (const [k, v] of store.entries()) expect(v, k).toBe(valueOf(Number(k.slice(4))))
  return present
}

function flip(path: string, at: number): void {
  const bytes = readFileSync(path)
  bytes[at] ^= 0x5a
  writeFileSync(path, bytes)
}

describe('LogStore on damaged files', () => {
  it('a flipped byte mid-segment (no hint): the record is skipped, counted, and the rest of the segment is kept', async () => {
    const { dir, logs } = await filledStore()
    const victim = join(dir, logs[1]!)
    rmSync(victim.replace('.log', '.hint'))
    flip(victim, Math.floor(statSync(victim).size / 2))
    const store = await LogStore.open<string>(dir)
    const r = store.stats().recovery
    expect(r.corruptRegions).toBe(1)
    expect(r.skippedBytes).toBeGreaterThan(0)
    expect(r.truncatedBytes).toBe(0)
    expect(await checkNoWrongValue(store)).toBe(N - 1)
    await store.close()
  })

  it('a flipped byte under a valid hint: found when read, never returned, dropped and counted', async () => {
    const { dir, logs } = await filledStore()
    const victim = join(dir, logs[0]!)
    flip(victim, 30) // inside the first record's key/value
    const store = await LogStore.open<string>(dir)
    expect(store.stats().recovery.segmentsScanned).toBe(0)
    expect(await checkNoWrongValue(store)).toBe(N - 1)
    expect(store.stats().corruptReads).toBe(1)
    expect(store.size).toBe(N - 1)
    await store.close()
  })

  it('a torn tail (a segment cut mid-record, garbage appended to another) is truncated at the last whole record', async () => {
    const { dir, logs } = await filledStore()
    const last = join(dir, logs[logs.length - 1]!)
    rmSync(last.replace('.log', '.hint'))
    truncateSync(last, statSync(last).size - 30)
    const other = join(dir, logs[0]!)
    rmSync(other.replace('.log', '.hint'))
    appendFileSync(other, Buffer.from([0xa5, 1, 2, 3, 0xa5, 0xa5, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]))
    const store = await LogStore.open<string>(dir)
    const r = store.stats().recovery
    expect(r.truncatedBytes).toBeGreaterThan(27)
    expect(r.corruptRegions).toBe(0)
    expect(await checkNoWrongValue(store)).toBe(N - 1)
    await store.close()
    // The truncation is on disk: the next open finds nothing to cut.
    const again = await LogStore.open<string>(dir)
    expect(again.stats().recovery.truncatedBytes).toBe(0)
    expect(await checkNoWrongValue(again)).toBe(N - 1)
    await again.close()
  })

  it('hint files of the first format (HNT1, CRC-32C trailer) are still applied; one whose checksum fails is not', async () => {
    const { dir, logs } = await filledStore()
    // Rewrite every trailer as the first format wrote it: CRC-32C of the entries, magic 'HNT1'.
    for (const log of logs) {
      const path = join(dir, log.replace('.log', '.hint'))
      const bytes = readFileSync(path)
      const body = bytes.length - 24
      expect(bytes.readUInt32LE(body + 16)).toBe(0x32544e48) // 'HNT2': what this version writes
      bytes.writeUInt32LE(crc32c(bytes, 0, body), body + 12)
      bytes.writeUInt32LE(0x31544e48, body + 16)
      writeFileSync(path, bytes)
    }
    flip(join(dir, logs[1]!.replace('.log', '.hint')), 30)
    const store = await LogStore.open<string>(dir)
    const r = store.stats().recovery
    expect(r.segmentsFromHints).toBe(logs.length - 1)
    expect(r.hintsRejected).toBe(1)
    expect(await checkNoWrongValue(store)).toBe(N)
    await store.close()
  })

  it('a deleted or damaged hint file: the segment is scanned instead, nothing is lost, the hint is rewritten', async () => {
    const { dir, logs } = await filledStore()
    rmSync(join(dir, logs[0]!.replace('.log', '.hint')))
    const damaged = join(dir, logs[1]!.replace('.log', '.hint'))
    flip(damaged, 10)
    const torn = join(dir, logs[2]!.replace('.log', '.hint'))
    truncateSync(torn, statSync(torn).size - 5)
    const store = await LogStore.open<string>(dir)
    const r = store.stats().recovery
    expect(r.segmentsScanned).toBe(3)
    expect(r.hintsRejected).toBe(2)
    expect(await checkNoWrongValue(store)).toBe(N)
    await store.close()
    rmSync(join(dir, 'INDEX'))
    const again = await LogStore.open<string>(dir)
    expect(again.stats().recovery.segmentsScanned).toBe(0)
    expect(await checkNoWrongValue(again)).toBe(N)
    await again.close()
  })

  it('a half-written compaction output (.tmp segment and hint) is deleted; the segments it came from are intact', async () => {
    const { dir, logs } = await filledStore()
    const id = Number(logs[logs.length - 1]!.slice(0, 10)) + 1
    const name = id.toString().padStart(10, '0')
    // What a compaction killed mid-copy leaves: a prefix of copied records, and a hint without trailer.
    const half = readFileSync(join(dir, logs[0]!))
    writeFileSync(join(dir, `${name}.log.tmp`), half.subarray(0, Math.floor(half.length / 2)))
    copyFileSync(join(dir, logs[0]!.replace('.log', '.hint')), join(dir, `${name}.hint.tmp`))
    const store = await LogStore.open<string>(dir)
    expect(store.stats().recovery.tmpFilesRemoved).toBe(2)
    expect(await checkNoWrongValue(store)).toBe(N)
    expect(readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(false)
    await store.close()
  })

  it('a value whose newest record is corrupt falls back to no value, never to bytes of another key', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none', autoCompact: false })
    await store.put('a', 'first')
    await store.put('b', 'other')
    await store.close()
    rmSync(join(dir, 'INDEX'))
    const log = readdirSync(dir).find((n) => n.endsWith('.log'))!
    rmSync(join(dir, log.replace('.log', '.hint')))
    // Damage the length field of 'a''s record: the scan must resync on the next record, 'b'.
    flip(join(dir, log), 12)
    const again = await LogStore.open<string>(dir)
    expect(again.getSync('a')).toBeUndefined()
    expect(again.getSync('b')).toBe('other')
    expect(again.stats().recovery.corruptRegions).toBe(1)
    await again.close()
  })
})
