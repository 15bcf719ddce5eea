/**
 * The disk cache's GC: own-bytes and file-system watermarks, least-recently-used order from the cache's
 * own access record (also on a noatime mount), expired blobs first, runs by itself, and a reader that
 * already streams a file keeps streaming it after the GC unlinks it. A full disk gives ERR_NO_SPACE and
 * leaves no partial file. The small file systems are tmpfs mounts (root only; skipped, saying so,
 * elsewhere); the maxBytes tests run everywhere.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { DiskCache } from '../../src/disk/index.js'
import { blobPaths } from '../../src/disk/blob/layout.js'
import { fsUsage } from '../../src/disk/blob/fs-usage.js'
import { errorCode, mountTmpfs, tempFolders, tempsIn } from './blob-helpers.js'

const folders = tempFolders('cortado-gc-')
const mounts: { unmount(): void }[] = []
afterEach(() => {
  folders.cleanup()
  for (const m of mounts.splice(0)) m.unmount()
})
const KiB = 1024
const canMount = (() => {
  const probe = mountTmpfs(64 * KiB)
  probe?.unmount()
  return probe !== undefined
})()
function tmpfs(bytes: number): string {
  const m = mountTmpfs(bytes)!
  mounts.push(m)
  return m.dir
}

async function has(c: DiskCache, key: string): Promise<boolean> {
  return (await c.stat(key)) !== undefined
}
async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}
// File timestamps tick at the kernel's coarse clock (a few ms): phases apart by more than that.
const tick = () => sleep(30)

describe('DiskCache GC', () => {
  it('maxBytes: runs by itself and evicts least-recently-read blobs down to the low watermark', async () => {
    const value = Buffer.alloc(10 * KiB, 1)
    const c = new DiskCache({ dir: folders.make(), fsync: false, maxBytes: 140_000, lowWatermark: 0.7, gcIntervalMs: 0, touchAfterMs: 0 })
    await c.gc()
    const old = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']
    for (const k of old) await c.put(k, value)
    await tick()
    for (const k of ['a', 'b', 'c']) expect((await c.get(k))!.equals(value)).toBe(true)
    await tick()
    for (const k of ['k', 'l', 'm', 'n']) await c.put(k, value)
    // Blobs of 10 305 bytes: the 14th passes 140 kB, and a run starts on its own that keeps at most
    // 0.7 × 140 kB = 98 kB (9 blobs): the 5 evicted are among the 7 never read.
    await until('a GC run below maxBytes', () => c.stats().evicted > 0 && c.stats().bytes <= 98_000)
    for (const k of ['a', 'b', 'c', 'k', 'l', 'm', 'n']) expect(await has(c, k)).toBe(true)
    const left = []
    for (const k of old.slice(3)) if (await has(c, k)) left.push(k)
    expect(left.length).toBe(2)
    expect(c.stats().evicted).toBe(5)
    c.close()
  })

  it('removes expired blobs first, even when no limit is passed', async () => {
    let now = 1_000_000
    const c = new DiskCache({ dir: folders.make(), fsync: false, gcIntervalMs: 0, clock: () => now })
    await c.put('short', 'x', { ttl: 1000 })
    await c.put('long', 'y', { ttl: 60_000 })
    await c.put('forever', 'z')
    now += 5000
    const report = await c.gc()
    expect(report.expiredRemoved).toBe(1)
    expect(report.evicted).toBe(0)
    expect(await has(c, 'short')).toBe(false)
    expect(await has(c, 'long')).toBe(true)
    expect(await has(c, 'forever')).toBe(true)
    c.close()
  })

  it('a reader streaming a file keeps getting every byte after the GC unlinks it', async () => {
    const dir = folders.make()
    const big = Buffer.alloc(4 * 1024 * KiB)
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE(i, i)
    const c = new DiskCache({ dir, fsync: false, gcIntervalMs: 0, maxBytes: 5 * 1024 * KiB })
    await c.put('video', big)
    const stream = c.createReadStream('video')!
    const chunks: Buffer[] = []
    const it = stream[Symbol.asyncIterator]()
    chunks.push((await it.next()).value as Buffer)
    // Now push the cache over maxBytes: the GC evicts the (older) streaming file.
    await tick()
    await c.put('newer', Buffer.alloc(2 * 1024 * KiB))
    await c.gc()
    expect(c.stats().evicted).toBe(1)
    await expect(stat(blobPaths(dir, 'video').file)).rejects.toThrow()
    for (let r = await it.next(); !r.done; r = await it.next()) chunks.push(r.value as Buffer)
    expect(Buffer.concat(chunks).equals(big)).toBe(true)
    expect(await c.get('video')).toBeUndefined()
    c.close()
  })

  it('reads never wait for a GC run: gets, stats and streams finish while a run over 600 blobs is still going', async () => {
    const c = new DiskCache({ dir: folders.make(), fsync: false, gcIntervalMs: 0, maxBytes: 10 * 1024 * KiB })
    await c.gc()
    for (let i = 0; i < 600; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => c.put(`k${i + j}`, `value ${i + j}`)))
    let gcDone = false
    const run = c.gc().then((r) => { gcDone = true; return r })
    const reads: boolean[] = []
    for (let i = 0; i < 5; i++) {
      expect((await c.get(`k${i * 97}`))?.toString()).toBe(`value ${i * 97}`)
      expect((await c.stat(`k${i * 89}`))?.size).toBeGreaterThan(0)
      expect(Buffer.concat(await c.createReadStream(`k${i}`)!.toArray()).toString()).toBe(`value ${i}`)
      reads.push(gcDone)
    }
    // The run walks 600 files one lstat and one header read at a time; fifteen reads, each a few calls, end long before it.
    expect(reads).toEqual([false, false, false, false, false])
    expect((await run).blobs).toBe(600)
    c.close()
  })

  it.skipIf(!canMount)('noatime mount: reads through the cache still order the GC (plain reads do not)', async () => {
    const dir = tmpfs(4 * 1024 * KiB)
    const value = Buffer.alloc(100 * KiB, 2)
    const c = new DiskCache({ dir, fsync: false, gcIntervalMs: 0, touchAfterMs: 0, maxBytes: 350 * KiB, lowWatermark: 0.6 })
    await c.put('read-by-cache', value)
    await c.put('read-plainly', value)
    await c.put('never-read', value)
    const atime = async (k: string) => (await stat(blobPaths(dir, k).file)).atimeMs
    const plainBefore = await atime('read-plainly')
    await tick()
    await readFile(blobPaths(dir, 'read-plainly').file)
    expect(await atime('read-plainly')).toBe(plainBefore) // the mount really is noatime
    expect((await c.get('read-by-cache'))!.equals(value)).toBe(true)
    expect(await atime('read-by-cache')).toBeGreaterThan(plainBefore)
    await tick()
    await c.put('newest', value)
    // 4 × ~100 KiB > 350 KiB: down to 0.6 × 350 KiB keeps the 2 most recently used.
    await c.gc()
    expect(c.stats().evicted).toBe(2)
    expect(await has(c, 'newest')).toBe(true)
    expect(await has(c, 'read-by-cache')).toBe(true)
    expect(await has(c, 'read-plainly')).toBe(false)
    expect(await has(c, 'never-read')).toBe(false)
    c.close()
  })

  it.skipIf(!canMount)('file-system watermarks: over highWatermark (fs.statfs) it evicts to lowWatermark', async () => {
    const dir = tmpfs(8 * 1024 * KiB)
    const c = new DiskCache({ dir, fsync: false, gcIntervalMs: 0, usageCheckMs: 0, highWatermark: 0.6, lowWatermark: 0.3, touchAfterMs: 0 })
    const value = Buffer.alloc(256 * KiB, 3)
    for (let i = 0; i < 10; i++) await c.put(`k${i}`, value)
    await tick()
    for (let i = 10; i < 19; i++) await c.put(`k${i}`, value)
    // 19 files of 260 KiB on the mount = 60.3% of 8 MiB: the put that crossed 60% started a run, which
    // frees down to 30%, i.e. keeps 9 files: the older 10 go.
    await until('a GC run below the low watermark', async () => c.stats().evicted > 0 && (await fsUsage(dir)).fraction <= 0.3)
    const usage = (await fsUsage(dir)).fraction
    expect(usage).toBeGreaterThan(0.2) // it stopped at the low watermark, not at empty
    for (let i = 0; i < 19; i++) expect(await has(c, `k${i}`)).toBe(i >= 10)
    c.close()
  })

  it.skipIf(!canMount)('a disk that other files keep above the marks: the GC empties the cache and warns once (it used to say nothing)', async () => {
    const root = tmpfs(8 * 1024 * KiB)
    await writeFile(join(root, 'someone-elses-file'), Buffer.alloc(7 * 1024 * KiB)) // 87.5% of the mount
    const warnings: Error[] = []
    const onWarning = (w: Error) => warnings.push(w)
    process.on('warning', onWarning)
    try {
      const c = new DiskCache({ dir: join(root, 'cache'), fsync: false, gcIntervalMs: 0 })
      for (const k of ['a', 'b']) await c.put(k, Buffer.alloc(10 * KiB))
      // The put's own usage check may have started the run that evicts them: gc() joins or follows it.
      expect((await c.gc()).usageUnreachable).toBe(true)
      expect(c.stats().evicted).toBe(2)
      expect(await has(c, 'a')).toBe(false)
      await c.put('c', Buffer.alloc(10 * KiB))
      expect((await c.gc()).usageUnreachable).toBe(true)
      await until('the warning', () => warnings.length > 0, 2000)
      const ours = warnings.filter((w) => (w as { code?: string }).code === 'CORTADO_DISK_USAGE')
      expect(ours.length).toBe(1)
      expect(ours[0]!.message).toContain('other files fill the disk')
      c.close()
      // Within its marks nothing is said: a cache on a roomy mount.
      const roomy = new DiskCache({ dir: tmpfs(8 * 1024 * KiB), fsync: false, gcIntervalMs: 0 })
      await roomy.put('a', Buffer.alloc(10 * KiB))
      expect((await roomy.gc()).usageUnreachable).toBe(false)
      roomy.close()
    } finally {
      process.off('warning', onWarning)
    }
  })

  it.skipIf(!canMount)('a full disk: ERR_NO_SPACE, no partial or temporary file, the old value intact', async () => {
    const dir = tmpfs(2 * 1024 * KiB)
    const c = new DiskCache({ dir, gcIntervalMs: 0, highWatermark: 1, lowWatermark: 1 })
    await c.put('k', 'old value')
    expect(await errorCode(c.put('k', Buffer.alloc(3 * 1024 * KiB)))).toBe('ERR_NO_SPACE')
    // The same by the inline path (calling-thread writev): undone the same way.
    const inline = new DiskCache({ dir, gcIntervalMs: 0, highWatermark: 1, lowWatermark: 1, inlineWriteBytes: 4 * 1024 * KiB })
    expect(await errorCode(inline.put('k', Buffer.alloc(3 * 1024 * KiB)))).toBe('ERR_NO_SPACE')
    expect(tempsIn(dir)).toEqual([])
    inline.close()
    const chunks = (async function* () { for (let i = 0; i < 48; i++) yield Buffer.alloc(64 * KiB, i) })()
    expect(await errorCode(c.put('other', chunks))).toBe('ERR_NO_SPACE')
    expect((await c.get('k'))?.toString()).toBe('old value')
    expect(await c.get('other')).toBeUndefined()
    expect(tempsIn(dir)).toEqual([])
    expect(c.stats().putErrors).toBe(2)
    // Space is back: the same put now succeeds.
    await c.put('other', Buffer.alloc(512 * KiB))
    c.close()
  })
})
