/**
 * One GC run over a cache folder. Order of removal: temporary files of dead writers, corrupt and
 * expired blobs, then least-recently-used blobs until both limits are back under the low watermark:
 *   - file-system usage (fs.statfs) ≤ lowWatermark, when it was above highWatermark;
 *   - the cache's own bytes ≤ lowWatermark × maxBytes, when they were above maxBytes.
 * Nothing is locked: readers go on while files are unlinked, and a reader that already has a file open
 * keeps reading it to the end (POSIX frees an unlinked file's blocks at its last close).
 */
import { lstat, unlink } from 'node:fs/promises'
import { threadId } from 'node:worker_threads'
import { writingHere } from './atomic-write.js'
import { fsUsage } from './fs-usage.js'
import { isMissing } from '../../io-errors.js'
import { sameVersion, scan, versionOf, type FileVersion, type ScannedBlob, type ScannedTemp } from './scan.js'

export interface GcLimits {
  dir: string
  maxBytes: number | undefined
  highWatermark: number
  lowWatermark: number
  /** A temporary file whose writer cannot be checked (another thread, a live process) is kept this long. */
  tempGraceMs: number
}

/** What one GC run found and removed, from `DiskCache.gc()`. */
export interface GcReport {
  /** Blobs found, and their bytes, before anything was removed. */
  blobs: number
  /** Bytes of those blobs (files with their headers). */
  bytesBefore: number
  /** The cache's own bytes once the run is over. */
  bytesAfter: number
  /** Temporary files of dead or stalled writers removed. */
  tempsRemoved: number
  /** Expired blobs removed. */
  expiredRemoved: number
  /** Blobs with a bad header or length removed. */
  corruptRemoved: number
  /** Live blobs removed, least recently used first, to get back under the low watermark. */
  evicted: number
  /** Bytes of the blobs removed (expired, corrupt and evicted; temporary files not counted). */
  freedBytes: number
  /** File-system usage (0..1) before and after. */
  usageBefore: number
  /** File-system usage (0..1) after the run. */
  usageAfter: number
  /**
   * Usage was above highWatermark and stayed above lowWatermark with every blob of the cache removed:
   * other files fill the file system, so the cache cannot keep anything there (DiskCache warns once).
   */
  usageUnreachable: boolean
}

export type ExpiryMemo = Parameters<typeof scan>[1]

export async function runGc(limits: GcLimits, memo: ExpiryMemo, now: number): Promise<GcReport> {
  const { blobs, temps } = await scan(limits.dir, memo)
  const usage = await fsUsage(limits.dir)
  const report: GcReport = {
    blobs: blobs.length,
    bytesBefore: blobs.reduce((sum, b) => sum + b.size, 0),
    bytesAfter: 0,
    tempsRemoved: 0,
    expiredRemoved: 0,
    corruptRemoved: 0,
    evicted: 0,
    freedBytes: 0,
    usageBefore: usage.fraction,
    usageAfter: usage.fraction,
    usageUnreachable: false,
  }
  for (const t of temps) if (isAbandoned(t, limits.tempGraceMs, now) && (await removeFile(t.file))) report.tempsRemoved++

  let ownBytes = report.bytesBefore
  let fsBytesToFree = 0
  if (usage.fraction > limits.highWatermark) fsBytesToFree = usage.usedBytes - limits.lowWatermark * usage.capacityBytes
  const ownTarget = limits.maxBytes !== undefined && ownBytes > limits.maxBytes ? limits.lowWatermark * limits.maxBytes : Infinity

  const live: ScannedBlob[] = []
  for (const b of blobs) {
    const corrupt = Number.isNaN(b.expiry)
    if (corrupt || (b.expiry !== undefined && b.expiry <= now)) {
      if (await removeBlob(b)) {
        if (corrupt) report.corruptRemoved++
        else report.expiredRemoved++
        ownBytes -= b.size
        fsBytesToFree -= b.allocated
        report.freedBytes += b.size
      }
    } else live.push(b)
  }
  live.sort((x, y) => x.accessedMs - y.accessedMs)
  for (const b of live) {
    if (fsBytesToFree <= 0 && ownBytes <= ownTarget) break
    if (await removeBlob(b)) {
      report.evicted++
      ownBytes -= b.size
      fsBytesToFree -= b.allocated
      report.freedBytes += b.size
    }
  }
  report.bytesAfter = ownBytes
  report.usageAfter = report.freedBytes > 0 ? (await fsUsage(limits.dir)).fraction : usage.fraction
  // The loop above only ends with bytes still to free once it has run out of blobs.
  report.usageUnreachable = fsBytesToFree > 0 && report.usageAfter > limits.lowWatermark
  return report
}

function isAbandoned(t: ScannedTemp, graceMs: number, now: number): boolean {
  if (t.pid === process.pid && t.threadId === threadId) return !writingHere.has(t.file)
  if (t.pid !== process.pid && !processAlive(t.pid)) return true
  return now - t.mtimeMs > graceMs
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Unlinks a blob unless a writer replaced it since the scan (then the new file is not ours to judge). */
async function removeBlob(b: ScannedBlob): Promise<boolean> {
  return removeVersion(b.file, b.version)
}

/**
 * Unlinks `file` if it is still `version`. A writer can still rename a new version in between the
 * check and the unlink (no lock is taken, so readers never wait): that costs one cache miss, never a
 * wrong or torn read.
 */
export async function removeVersion(file: string, version: FileVersion): Promise<boolean> {
  const st = await lstat(file, { bigint: true }).catch(() => undefined)
  if (!st || !sameVersion(versionOf(st), version)) return false
  return removeFile(file)
}

async function removeFile(file: string): Promise<boolean> {
  try {
    await unlink(file)
    return true
  } catch (err) {
    if (isMissing(err)) return false
    throw err
  }
}
