/**
 * A full disk (ENOSPC injected into node:fs, see fs-faults.ts: a short write, then the error, as the
 * kernel does) at each kind of write a LogStore makes: the batch write at the end of a turn, the flush
 * of a full append buffer inside a put, a value larger than the buffer written by the put itself, and a
 * compaction's copies. Each time: the call rejects with ERR_IO, writes are refused from then on (except
 * after a failed compaction, which leaves the store as it was), every acknowledged value still reads
 * back in this session, and after a reopen every acknowledged value is there, none corrupt.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { CortadoError } from '../../../src/errors.js'
import { prng, removeTempDirs, tempDir } from './helpers.js'
import { diskFullAfter, errnoError, patchFs } from '../../helpers/fs-faults.js'
import { mountTmpfs } from '../blob-helpers.js'

/** Whether this process may mount a tmpfs (root, or CAP_SYS_ADMIN): the real full-disk test needs one. */
const canMount = (() => {
  const probe = mountTmpfs(64 * 1024)
  probe?.unmount()
  return probe !== undefined
})()

afterAll(removeTempDirs)

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    expect(e).toBeInstanceOf(CortadoError)
    return (e as CortadoError).code
  }
}

/** A store with `n` acknowledged keys over a few segments, and the model of what it holds. */
async function filled(n: number, seed: number): Promise<{ dir: string; store: LogStore<string>; acked: Map<string, string> }> {
  const rand = prng(seed)
  const dir = tempDir()
  const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 64 * 1024, autoCompact: false })
  const acked = new Map<string, string>()
  for (let i = 0; i < n; i++) {
    const key = `k${Math.floor(rand() * n)}`
    const value = `${key}#${i}`.padEnd(100 + Math.floor(rand() * 300), '.')
    await store.put(key, value)
    acked.set(key, value)
  }
  return { dir, store, acked }
}

async function expectAcked(store: LogStore<string>, acked: Map<string, string>, where: string): Promise<void> {
  for (const [key, value] of acked) expect(store.getSync(key), `${where}: ${key}`).toBe(value)
  expect(store.stats().corruptReads, where).toBe(0)
}

/** After the failure: writes refused with ERR_IO, the acknowledged values intact now and after a reopen. */
async function expectRefusingAndIntact(dir: string, store: LogStore<string>, acked: Map<string, string>): Promise<void> {
  expect(await code(store.put('after', 'x'))).toBe('ERR_IO')
  expect(await code(store.delete([...acked.keys()][0]!))).toBe('ERR_IO')
  expect(await code(store.flush())).toBe('ERR_IO')
  await expectAcked(store, acked, 'same session')
  await store.close()
  const again = await LogStore.open<string>(dir)
  await expectAcked(again, acked, 'after reopen')
  expect(again.getSync('after')).toBeUndefined()
  await again.put('after', 'x')
  expect(again.getSync('after')).toBe('x')
  await again.close()
}

describe('LogStore on a full disk', () => {
  it('the batch write of a turn fails: its puts reject with ERR_IO, the store refuses writes, nothing acknowledged is lost', async () => {
    const { dir, store, acked } = await filled(400, 1)
    const undo = diskFullAfter(1)
    let results: (string | undefined)[]
    try {
      results = await Promise.all([code(store.put('a', 'A'.repeat(500))), code(store.put('b', 'B'))])
    } finally {
      undo()
    }
    expect(results).toEqual(['ERR_IO', 'ERR_IO'])
    await expectRefusingAndIntact(dir, store, acked)
  })

  it('a value larger than the append buffer (written by the put itself) fails half-way: ERR_IO, and nothing after it lands at a wrong offset', async () => {
    const { dir, store, acked } = await filled(400, 2)
    const undo = diskFullAfter(1)
    let big: string | undefined
    try {
      big = await code(store.put('big', 'x'.repeat(400 * 1024)))
    } finally {
      undo()
    }
    expect(big).toBe('ERR_IO')
    await expectRefusingAndIntact(dir, store, acked)
  })

  it('the append buffer fills inside one turn and its flush fails half-way: every put of the turn rejects', async () => {
    const { dir, store, acked } = await filled(400, 3)
    const undo = diskFullAfter(1)
    let results: (string | undefined)[]
    try {
      // 400 puts of 1 KiB in one turn: the 256 KiB buffer is flushed by a put, which fails.
      results = await Promise.all(Array.from({ length: 400 }, (_, i) => code(store.put(`t${i}`, 't'.repeat(1024)))))
    } finally {
      undo()
    }
    expect(new Set(results)).toEqual(new Set(['ERR_IO']))
    await expectRefusingAndIntact(dir, store, acked)
  })

  it("a compaction whose copies fail: compact() rejects with ERR_IO, every key still reads, the store goes on", async () => {
    const { dir, store, acked } = await filled(2000, 4)
    expect(store.stats().files).toBeGreaterThan(3)
    // Only the compaction's outputs (*.tmp) are on the full disk: its second write fails half-way.
    const tmpFds = new Set<number>()
    let outputWrites = 0
    const undo = patchFs(['openSync', 'writeSync'], (name, real) => (...args: any[]) => {
      if (name === 'openSync') {
        const fd = real(...args) as number
        if (String(args[0]).endsWith('.log.tmp')) tmpFds.add(fd)
        return fd
      }
      if (tmpFds.has(args[0]) && ++outputWrites >= 2) {
        if (outputWrites === 2) real(args[0], args[1], args[2], Math.floor((args[3] ?? args[1].length) / 2))
        throw errnoError('ENOSPC', 'write')
      }
      return real(...args)
    })
    let result: string | undefined
    try {
      result = await code(store.compact())
    } finally {
      undo()
    }
    expect(result).toBe('ERR_IO')
    expect(store.stats().compactionErrors).toBe(1)
    await expectAcked(store, acked, 'after the failed compaction')
    // A failed compaction leaves the segments as they were: writes go on, and a later compaction succeeds.
    await store.put('after', 'x')
    acked.set('after', 'x')
    await store.compact()
    await expectAcked(store, acked, 'after a second compaction')
    await store.close()
    const again = await LogStore.open<string>(dir)
    await expectAcked(again, acked, 'after reopen')
    await again.close()
  })

  it('opens on a full disk: the hint files a scan writes cannot be written, the store opens from the scan anyway', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none' })
    const acked = new Map<string, string>()
    // Enough small records that a segment's hint passes the hint writer's 64 KiB buffer (it flushes mid-scan).
    for (let i = 0; i < 4000; i++) acked.set(`key-${i}`, `v${i}`)
    await Promise.all([...acked].map(([k, v]) => store.put(k, v)))
    await store.close()
    for (const name of readdirSync(dir)) if (name === 'INDEX' || name.endsWith('.hint')) rmSync(join(dir, name))
    const hintFds = new Set<number>()
    const undo = patchFs(['openSync', 'writeSync'], (name, real) => (...args: any[]) => {
      if (name === 'openSync') {
        const fd = real(...args) as number
        if (String(args[0]).endsWith('.hint')) hintFds.add(fd)
        return fd
      }
      if (hintFds.has(args[0])) throw errnoError('ENOSPC', 'write')
      return real(...args)
    })
    let again: LogStore<string>
    try {
      again = await LogStore.open<string>(dir, { sync: 'none' })
    } finally {
      undo()
    }
    expect(again.stats().recovery.segmentsScanned).toBeGreaterThan(0)
    await expectAcked(again, acked, 'opened on a full disk')
    // No half-written hint is left for the next open to trust.
    expect(readdirSync(dir).filter((n) => n.endsWith('.hint')).length).toBeLessThanOrEqual(1)
    await again.close()
    const third = await LogStore.open<string>(dir)
    await expectAcked(third, acked, 'reopened')
    await third.close()
  })

  it.skipIf(!canMount)('a real full disk (a 1 MiB tmpfs): the put that hits ENOSPC rejects, the store refuses writes, reopens on the full disk with everything acknowledged', async () => {
    const m = mountTmpfs(1024 * 1024)!
    try {
      const dir = join(m.dir, 'store')
      // Another tenant of the disk: removed once the disk is full, as an operator frees space.
      const ballast = join(m.dir, 'ballast')
      writeFileSync(ballast, Buffer.alloc(256 * 1024))
      const rand = prng(7)
      const store = await LogStore.open<string>(dir, { sync: 'always', maxFileBytes: 128 * 1024, autoCompact: false })
      const acked = new Map<string, string>()
      let failure: string | undefined
      for (let i = 0; failure === undefined && i < 5000; i++) {
        const key = `k${Math.floor(rand() * 400)}`
        const value = `${key}@${i}:`.padEnd(1000, String.fromCharCode(97 + (i % 26)))
        failure = await code(store.put(key, value))
        if (failure === undefined) acked.set(key, value)
      }
      expect(failure).toBe('ERR_IO')
      expect(acked.size).toBeGreaterThan(100)
      expect(await code(store.put('after', 'x'))).toBe('ERR_IO')
      await expectAcked(store, acked, 'same session')
      await store.close()
      // Reopened on the disk still full: everything acknowledged is there, writes still fail, typed.
      const full = await LogStore.open<string>(dir)
      await expectAcked(full, acked, 'reopened on the full disk')
      expect(await code(full.put('after', 'x'.repeat(300_000)))).toBe('ERR_IO')
      await full.close()
      // Space freed: the next open writes again.
      rmSync(ballast)
      const freed = await LogStore.open<string>(dir)
      await expectAcked(freed, acked, 'after space was freed')
      await freed.put('after', 'x')
      expect(freed.getSync('after')).toBe('x')
      await freed.close()
    } finally {
      m.unmount()
    }
  })
})
