/**
 * A persistent cache of blobs in a folder: atomic writes (atomic-write.ts), one file per key with its
 * metadata in a header (layout.ts, header.ts), byte-range reads, TTLs, and a GC that keeps the disk
 * under watermarks (gc.ts) by least-recent use recorded by the cache itself (access-record.ts).
 *
 * Several DiskCaches (threads, processes) may share one folder: every state is on disk, and a reader
 * only ever opens a whole file. Counters (`stats()`) are per instance.
 */
import { closeSync, fstatSync, openSync, readSync, createReadStream as fsCreateReadStream, statSync, mkdirSync, type BigIntStats, type Stats } from 'node:fs'
import { lstat, open, unlink, type FileHandle } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import { CortadoError, shown } from '../../errors.js'
import { checkClock, checkTtl, nonNegative, timerDelay } from '../../options.js'
import { needsTouch, touch, touchSync } from './access-record.js'
import { DURABILITY_LEVELS, flushFolder, writeAtomic, type BlobBody, type BlobDurability } from './atomic-write.js'
import type { BlobHandle, BlobSource, ByteRange } from './blob-handle.js'
import { removeVersion, runGc, type ExpiryMemo, type GcReport } from './gc.js'
import { fsUsage } from './fs-usage.js'
import { decodeHeader, HEADER_READ_AHEAD, MAX_CONTENT_TYPE_BYTES, MAX_ETAG_BYTES, type BlobMeta } from './header.js'
import { dataCrc32 } from './checksum.js'
import { ioError, isMissing } from '../../io-errors.js'
import { checkBlobKey } from './keys.js'
import { blobPaths } from './layout.js'
import { openQuietly, versionOf } from './scan.js'
import { readWhole } from './read-whole.js'
import { resolveRange } from './range.js'
import { crcOfData, crcOfDataSync, TornCheck } from './verify.js'
import { blobOptions, DISK_CACHE_OPTIONS, DISK_PUT_OPTIONS, headerText, READ_RANGE_OPTIONS } from './options.js'
import { checkKnownKeys } from '../../option-names.js'
import { giveFileSlot, takeFileSlot } from './file-slots.js'
import { emitProcessWarning } from '../../process-warning.js'

/** Options of `new DiskCache(options)`. Only `dir` is required. */
export interface DiskCacheOptions {
  /** The folder (created when missing). Several caches, in threads or processes, may share it. */
  dir: string
  /** A cap on the cache's own bytes (files with their headers); over it the GC evicts. A blob larger than it is refused (ERR_CAPACITY). */
  maxBytes?: number
  /** File-system usage (0..1) above which the GC evicts. Default 0.8. */
  highWatermark?: number
  /** Where a GC run brings usage (and own bytes, as a fraction of maxBytes) back to. Default 0.7. */
  lowWatermark?: number
  /** Default time to live in ms for puts without one; 0 or undefined = no expiry. */
  ttl?: number
  /**
   * What a put has made safe when it resolves. Every level is atomic for readers (a whole old or a whole
   * new version, in any thread or process) and stores a CRC-32 of the data in the file's header.
   *   - `'os'` (default): temporary file, fdatasync, rename, fsync of the folder (two flushes). The new
   *     version survives a crash of the process, of the OS, or a power loss (on a device that honours
   *     flushes). Such files are never torn, so their data is never checked on read.
   *   - `'os-or-miss'`: temporary file, rename, fsync of the folder (one flush). After an OS crash or
   *     power loss the key reads as the new version or, if its data had not reached the device, as a
   *     miss: never as the old version and never as wrong bytes. (On ext4 with `data=ordered` and
   *     `auto_da_alloc`, the defaults, replacing an existing file also puts its data on the device
   *     before the folder's flush completes; the level does not rely on it.)
   *   - `'process'`: temporary file, rename, no flush. Survives a crash of the process; after an OS crash
   *     the key reads as the new version, an older one, or a miss, never as wrong bytes.
   * A file written with `'os-or-miss'` or `'process'` carries the id of the boot that wrote it; read in a
   * later boot (after a restart of the machine), its data is checked against its CRC once per instance
   * before any byte of it is returned (a get, a stat, a stream or a served range), and a torn file is a
   * miss, counted in `stats().torn` and `corrupt`, and removed. Files of the current boot are not checked.
   */
  durability?: BlobDurability
  /** The older switch: true = durability `'os'`, false = `'process'`. Give one of the two, or agreeing values. */
  fsync?: boolean
  /** A GC run every this many ms (0 = only when a put passes a limit, or gc() is called). Default 60 000. */
  gcIntervalMs?: number
  /** A read records its access (an inode write) at most once per this many ms per file: the GC's LRU resolution. Default 60 000. */
  touchAfterMs?: number
  /** Temporary files of writers that cannot be checked are removed after this many ms. Default 15 min. */
  tempGraceMs?: number
  /** Checks file-system usage at most this often after puts, in ms. Default 1000. */
  usageCheckMs?: number
  /** Milliseconds since the epoch, for TTLs. Default Date.now. */
  clock?: () => number
  /**
   * Whole bodies (Buffer, Uint8Array, string) up to this many bytes are written with the calling
   * thread's own write call (page cache only, a few microseconds); larger ones go to the thread pool while
   * the calling thread computes their CRC. The temporary file of every whole body is created and closed
   * on the calling thread; flushes and the rename stay asynchronous. 0 = all data through the thread
   * pool. Default 65 536.
   */
  inlineWriteBytes?: number
}

/** Options of `DiskCache.put` (exported as DiskCachePutOptions). */
export interface PutOptions {
  /** Time to live in ms (0 = no expiry); the cache's default when undefined. */
  ttl?: number
  /** Content-Type stored in the blob's header (latin-1); none when undefined. */
  contentType?: string
  /** The ETag to keep (e.g. the one S3 gave this object); a fresh random one when undefined. */
  etag?: string
}

/** A blob's metadata, from `DiskCache.stat`, read without its data. */
export interface BlobStat {
  /** Length of the data in bytes (without the header). */
  size: number
  /** When this version was written. */
  mtime: Date
  /** When it expires; undefined = never. */
  expiry: Date | undefined
  /** Opaque ETag, without quotes. */
  etag: string
  /** The stored Content-Type; undefined when none was given. */
  contentType: string | undefined
}

/** Counters of one DiskCache instance (not of the folder it may share), from `stats()`. */
export interface DiskCacheStats {
  /** Reads that found a live blob. */
  hits: number
  /** Reads that found no live blob (missing, expired or corrupt). */
  misses: number
  /** Reads that found an expired blob (counted in misses too; the file is removed). */
  expired: number
  /** Files with a bad header, length or data checksum (counted in misses; removed). */
  corrupt: number
  /**
   * Files from an earlier boot whose data did not match its CRC: torn by an OS crash or power loss
   * (durability 'os-or-miss' or 'process'; counted in corrupt and misses too; removed).
   */
  torn: number
  /** Puts written. */
  puts: number
  /** Puts that failed (the old version, if any, is untouched). */
  putErrors: number
  /** GC runs completed. */
  gcRuns: number
  /** GC runs that failed. */
  gcErrors: number
  /** Blobs the GC removed for space, and expired ones it removed. */
  evicted: number
  /** Expired blobs the GC removed. */
  expiredRemoved: number
  /** Temporary files of dead or stalled writers the GC removed. */
  tempsRemoved: number
  /** Access records that could not be written (the read itself succeeded). */
  touchErrors: number
  /** The cache's own bytes as last known (exact after a GC run, then updated by this instance's puts). */
  bytes: number
}

const RANDOM_ETAG_BYTES = 8
const MAX_TOUCH_RECORDS = 100_000

/** A persistent cache of blobs in a folder: atomic writes, byte-range reads, TTLs and a GC under watermarks by least-recent use. */
export class DiskCache implements BlobSource {
  /** The folder, as an absolute path. */
  readonly dir: string
  private readonly maxBytes: number | undefined
  private readonly highWatermark: number
  private readonly lowWatermark: number
  private readonly ttl: number
  /** What a put makes safe before it resolves (see DiskCacheOptions.durability). */
  readonly durability: BlobDurability
  private readonly inlineWriteBytes: number
  private readonly touchAfterMs: number
  private readonly tempGraceMs: number
  private readonly usageCheckMs: number
  private readonly clock: () => number
  private readonly counters: DiskCacheStats = {
    hits: 0, misses: 0, expired: 0, corrupt: 0, torn: 0, puts: 0, putErrors: 0, gcRuns: 0, gcErrors: 0,
    evicted: 0, expiredRemoved: 0, tempsRemoved: 0, touchErrors: 0, bytes: 0,
  }
  private readonly memo: ExpiryMemo = new Map()
  private readonly tornCheck = new TornCheck()
  /** When get() last recorded an access to each file (bounded: cleared at MAX_TOUCH_RECORDS). */
  private readonly touchedAt = new Map<string, number>()
  private running: Promise<GcReport> | undefined
  private rerun = false
  private lastUsageCheck = 0
  private timer: NodeJS.Timeout | undefined
  private closed = false
  private warnedUnreachable = false

  constructor(options: DiskCacheOptions) {
    if (typeof options !== 'object' || options === null) throw new CortadoError('ERR_INVALID_OPTION', 'new DiskCache(options): options must be an object with a dir')
    checkKnownKeys(options, DISK_CACHE_OPTIONS, 'new DiskCache', false)
    if (typeof options.dir !== 'string' || options.dir === '') throw new CortadoError('ERR_INVALID_OPTION', `dir must be a folder path, got ${shown(options.dir)}`)
    this.dir = resolve(options.dir)
    if (options.maxBytes !== undefined && (typeof options.maxBytes !== 'number' || !Number.isSafeInteger(options.maxBytes) || options.maxBytes <= 0))
      throw new CortadoError('ERR_INVALID_OPTION', `maxBytes must be a positive integer, got ${shown(options.maxBytes)}`)
    this.maxBytes = options.maxBytes
    this.highWatermark = fraction(options.highWatermark, 'highWatermark', 0.8)
    this.lowWatermark = fraction(options.lowWatermark, 'lowWatermark', 0.7)
    if (this.lowWatermark > this.highWatermark)
      throw new CortadoError('ERR_INVALID_OPTION', `lowWatermark (${this.lowWatermark}) must not exceed highWatermark (${this.highWatermark})`)
    this.ttl = options.ttl === undefined ? 0 : checkTtl(options.ttl, 'ttl', 'ERR_INVALID_OPTION')
    this.durability = durabilityOf(options.durability, options.fsync)
    this.inlineWriteBytes = nonNegative(options.inlineWriteBytes, 'inlineWriteBytes', 64 * 1024)
    this.touchAfterMs = nonNegative(options.touchAfterMs, 'touchAfterMs', 60_000)
    this.tempGraceMs = nonNegative(options.tempGraceMs, 'tempGraceMs', 15 * 60_000)
    this.usageCheckMs = nonNegative(options.usageCheckMs, 'usageCheckMs', 1000)
    this.clock = checkClock(options.clock)
    const gcIntervalMs = timerDelay(options.gcIntervalMs, 'gcIntervalMs', 60_000)
    prepareFolder(this.dir)

    // The first run sweeps what a killed writer left and learns the cache's size.
    this.scheduleGc()
    if (gcIntervalMs > 0) {
      this.timer = setInterval(() => this.scheduleGc(), gcIntervalMs)
      this.timer.unref()
    }
  }

  /** Stores `body` under `key`, replacing any previous version atomically. */
  async put(key: string, body: BlobBody, putOptions?: PutOptions): Promise<void> {
    checkBlobKey(key, 'DiskCache.put')
    this.checkOpen()
    checkBody(body)
    const options = blobOptions(putOptions, 'DiskCache.put', DISK_PUT_OPTIONS, "{ ttl: 60_000, contentType: 'video/mp4' }")
    const ttl = options.ttl === undefined ? this.ttl : checkTtl(options.ttl, 'ttl')
    const contentType = headerText(options.contentType, 'contentType', MAX_CONTENT_TYPE_BYTES)
    const etag = headerText(options.etag, 'etag', MAX_ETAG_BYTES) ?? randomBytes(RANDOM_ETAG_BYTES).toString('hex')
    const now = this.clock()
    let length: number
    // Whole bodies are short operations: bounded (file-slots.ts); a stream's put lasts as long as its source.
    const slotted = typeof body === 'string' || body instanceof Uint8Array
    if (slotted) await takeFileSlot()
    try {
      length = await writeAtomic(blobPaths(this.dir, key), { key, etag, contentType, expiry: ttl > 0 ? now + ttl : undefined, created: now }, body, { durability: this.durability, inlineBytes: this.inlineWriteBytes, maxLength: this.maxBytes })
    } catch (err) {
      this.counters.putErrors++
      throw err
    } finally {
      if (slotted) giveFileSlot()
    }
    this.counters.puts++
    this.counters.bytes += length
    this.afterPut()
  }

  /** The whole blob, or undefined when missing or expired. */
  async get(key: string): Promise<Buffer | undefined> {
    checkBlobKey(key, 'DiskCache.get')
    this.checkOpen()
    const file = blobPaths(this.dir, key).file
    await takeFileSlot()
    try {
      return await this.getFile(file, key)
    } finally {
      giveFileSlot()
    }
  }

  private async getFile(file: string, key: string): Promise<Buffer | undefined> {
    const fh = await this.openFile(file, 'r')
    if (!fh) return this.miss()
    try {
      const read = await readWhole(fh)
      let found = read?.meta
      if (found && found.key === key && this.tornCheck.needed(file, found) && !this.passes(file, found, dataCrc32(read!.data))) found = undefined
      const meta = await this.check(file, key, found, () => fh.stat({ bigint: true }))
      if (!meta) return undefined
      await this.recordByPath(fh, file, meta)
      return read!.data
    } catch (err) {
      throw ioError(err, `reading ${file}`)
    } finally {
      await fh.close()
    }
  }

  /**
   * A stream of the blob or of bytes `start..end` (inclusive, as in fs; `end` past the last byte reads
   * to the end), or undefined when missing or expired. The file is opened before this returns, so a
   * later GC or overwrite cannot take it away from the stream.
   */
  createReadStream(key: string, range: { start?: number; end?: number } = {}): Readable | undefined {
    checkBlobKey(key, 'DiskCache.createReadStream')
    this.checkOpen()
    if (typeof range === 'object' && range !== null) checkKnownKeys(range, READ_RANGE_OPTIONS, 'DiskCache.createReadStream', false)
    const file = blobPaths(this.dir, key).file
    let fd: number
    try {
      fd = openSync(file, 'r')
    } catch (err) {
      if (isMissing(err)) return void this.miss()
      throw ioError(err, `opening ${file}`)
    }
    let handedOver = false
    try {
      const st = fstatSync(fd, { bigint: true })
      const head = Buffer.alloc(Math.min(HEADER_READ_AHEAD, Number(st.size)))
      readSync(fd, head, 0, head.length, 0)
      let found = decodeHeader(head, Number(st.size))
      if (found && found.key === key && this.tornCheck.needed(file, found) && !this.passes(file, found, crcOfDataSync(fd, found))) found = undefined
      const meta = this.checkSync(file, key, found, st)
      if (!meta) return undefined
      const { start, end } = resolveRange(range, meta.size)
      const now = Date.now()
      if (needsTouch(st, now, this.touchAfterMs)) {
        try {
          touchSync(fd, st, now)
        } catch {
          this.counters.touchErrors++
        }
      }
      handedOver = true
      if (end < start) {
        closeSync(fd)
        return Readable.from([])
      }
      return fsCreateReadStream('', { fd, start: meta.headerLen + start, end: meta.headerLen + end })
    } catch (err) {
      throw ioError(err, `reading ${file}`)
    } finally {
      if (!handedOver) closeSync(fd)
    }
  }

  /** Size, dates, ETag and type without reading the data (not counted as an access). */
  async stat(key: string): Promise<BlobStat | undefined> {
    checkBlobKey(key, 'DiskCache.stat')
    this.checkOpen()
    const file = blobPaths(this.dir, key).file
    await takeFileSlot()
    let opened
    try {
      opened = await this.openMeta(file, key, false)
      if (!opened) return undefined
      await opened.fh.close()
    } finally {
      giveFileSlot()
    }
    const { meta } = opened
    return { size: meta.size, mtime: new Date(meta.created), expiry: meta.expiry === undefined ? undefined : new Date(meta.expiry), etag: meta.etag, contentType: meta.contentType }
  }

  /** For serveBlob: the open file, streamed by range; the version stays the same however long it takes. */
  async openBlob(key: string): Promise<BlobHandle | undefined> {
    checkBlobKey(key, 'DiskCache.openBlob')
    this.checkOpen()
    const opened = await this.openMeta(blobPaths(this.dir, key).file, key, true)
    if (!opened) return undefined
    const { fh, meta } = opened
    let closed = false
    return {
      size: meta.size,
      etag: meta.etag,
      contentType: meta.contentType,
      lastModified: new Date(meta.created),
      stream: async (range?: ByteRange) => {
        const { start, end } = range ?? { start: 0, end: meta.size - 1 }
        if (end < start) {
          closed = true
          await fh.close()
          return Readable.from([])
        }
        closed = true
        return fh.createReadStream({ start: meta.headerLen + start, end: meta.headerLen + end })
      },
      close: async () => {
        if (closed) return
        closed = true
        await fh.close()
      },
    }
  }

  /** Removes the key; true when there was a blob. */
  async delete(key: string): Promise<boolean> {
    checkBlobKey(key, 'DiskCache.delete')
    this.checkOpen()
    const { file, folder } = blobPaths(this.dir, key)
    try {
      const st = await lstat(file)
      await unlink(file)
      this.counters.bytes = Math.max(0, this.counters.bytes - st.size)
      // A durable level makes the removal durable too: else a power loss brings the deleted version back.
      if (this.durability !== 'process') await flushFolder(folder)
      return true
    } catch (err) {
      if (!isMissing(err)) throw ioError(err, `deleting ${file}`)
    }
    // Gone already, but maybe by an unlink not yet flushed (the GC's, another thread's delete): this
    // delete's answer must hold after a power loss too (found by blob-crash-points.test.ts: an evicted
    // blob, then deleted, came back).
    if (this.durability !== 'process') {
      try {
        await flushFolder(folder)
      } catch (err) {
        if (!isMissing(err)) throw ioError(err, `deleting ${file}`)
      }
    }
    return false
  }

  /** Runs the GC now (or joins the run in progress) and says what it did. */
  async gc(): Promise<GcReport> {
    this.checkOpen()
    if (this.running) {
      // A run that started before this call may have scanned before the caller's last put.
      this.rerun = true
      await this.running.catch(() => {})
      if (this.running) return this.running
    }
    const run = runGc(
      { dir: this.dir, maxBytes: this.maxBytes, highWatermark: this.highWatermark, lowWatermark: this.lowWatermark, tempGraceMs: this.tempGraceMs },
      this.memo,
      this.clock(),
    )
    this.running = run
    try {
      const report = await run
      this.counters.gcRuns++
      this.counters.evicted += report.evicted
      this.counters.expiredRemoved += report.expiredRemoved
      this.counters.tempsRemoved += report.tempsRemoved
      this.counters.corrupt += report.corruptRemoved
      this.counters.bytes = report.bytesAfter
      if (report.usageUnreachable) this.warnUnreachable(report)
      return report
    } catch (err) {
      this.counters.gcErrors++
      throw ioError(err, `GC of ${this.dir}`)
    } finally {
      this.running = undefined
      if (this.rerun) {
        this.rerun = false
        this.scheduleGc()
      }
    }
  }

  /** A copy of the counters. */
  stats(): DiskCacheStats {
    return { ...this.counters }
  }

  /** Stops the periodic GC. Files stay; a new DiskCache on the folder finds them. */
  close(): void {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
  }

  /**
   * Without this, a cache on a disk that other files keep above its marks removes every blob it writes
   * at each run and no read ever hits, without a word (found on a tmpfs 87% full of another file).
   */
  private warnUnreachable(report: GcReport): void {
    if (this.warnedUnreachable) return
    this.warnedUnreachable = true
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`
    emitProcessWarning(
      `cortado DiskCache on ${this.dir}: file-system usage is ${pct(report.usageAfter)} with every blob of the cache removed, above ` +
        `lowWatermark ${pct(this.lowWatermark)}: other files fill the disk, so the GC removes each blob soon after it is written. ` +
        'Free space, raise highWatermark and lowWatermark, or bound the cache with maxBytes and highWatermark: 1.',
      'CORTADO_DISK_USAGE', 'CortadoWarning')
  }

  /** A GC run in the background; its failures are counted (gcErrors), never thrown at a caller. */
  private scheduleGc(): void {
    if (this.closed) return
    if (this.running) {
      this.rerun = true
      return
    }
    this.gc().catch(() => {})
  }

  private afterPut(): void {
    if (this.maxBytes !== undefined && this.counters.bytes > this.maxBytes) return this.scheduleGc()
    const now = Date.now()
    if (now - this.lastUsageCheck < this.usageCheckMs) return
    this.lastUsageCheck = now
    fsUsage(this.dir).then(
      (u) => { if (u.fraction > this.highWatermark) this.scheduleGc() },
      () => { this.counters.gcErrors++ },
    )
  }

  private async openFile(file: string, how: 'r' | 'quiet'): Promise<FileHandle | undefined> {
    try {
      return how === 'quiet' ? await openQuietly(file) : await open(file, 'r')
    } catch (err) {
      if (isMissing(err)) return undefined
      throw ioError(err, `opening ${file}`)
    }
  }

  /** Opens a key's file and reads its header; `access` records the read for the GC. */
  private async openMeta(file: string, key: string, access: boolean): Promise<{ fh: FileHandle; meta: BlobMeta } | undefined> {
    const fh = await this.openFile(file, access ? 'r' : 'quiet')
    if (!fh) return this.miss()
    try {
      const st = await fh.stat({ bigint: true })
      const head = Buffer.alloc(Math.min(HEADER_READ_AHEAD, Number(st.size)))
      await fh.read(head, 0, head.length, 0)
      let found = decodeHeader(head, Number(st.size))
      if (found && found.key === key && this.tornCheck.needed(file, found) && !this.passes(file, found, await crcOfData(fh, found))) found = undefined
      const meta = await this.check(file, key, found, async () => st)
      if (meta) {
        if (access) await this.record(fh, st)
        return { fh, meta }
      }
    } catch (err) {
      await fh.close()
      throw ioError(err, `reading ${file}`)
    }
    await fh.close()
    return undefined
  }

  /** Whether a file from an earlier boot holds the data its header's CRC names; a torn one is counted. */
  private passes(file: string, meta: BlobMeta, crc: number | undefined): boolean {
    if (this.tornCheck.passes(file, meta, crc)) return true
    this.counters.torn++
    return false
  }

  /** The header if it belongs to `key` and is live; otherwise counts the miss and removes bad files. */
  private async check(file: string, key: string, meta: BlobMeta | undefined, stat: () => Promise<BigIntStats>): Promise<BlobMeta | undefined> {
    const verdict = this.judge(key, meta)
    if (verdict === 'ok') return meta
    if (verdict !== 'other-key') await removeVersion(file, versionOf(await stat())).catch(() => false)
    return this.miss()
  }

  private checkSync(file: string, key: string, meta: BlobMeta | undefined, st: BigIntStats): BlobMeta | undefined {
    const verdict = this.judge(key, meta)
    if (verdict === 'ok') return meta
    // The removal needs no answer: the caller gets its miss now.
    if (verdict !== 'other-key') void removeVersion(file, versionOf(st)).catch(() => false)
    return this.miss()
  }

  private judge(key: string, meta: BlobMeta | undefined): 'ok' | 'corrupt' | 'expired' | 'other-key' {
    if (!meta) {
      this.counters.corrupt++
      return 'corrupt'
    }
    // A SHA-256 collision: practically never, but a key must never read another key's data.
    if (meta.key !== key) return 'other-key'
    if (meta.expiry !== undefined && meta.expiry <= this.clock()) {
      this.counters.expired++
      return 'expired'
    }
    this.counters.hits++
    return 'ok'
  }

  /**
   * get()'s access record, without an fstat: whether this process touched the file lately stands in
   * for its atime, and the mtime is set to the blob's creation time (what it was, to the millisecond).
   */
  private async recordByPath(fh: FileHandle, file: string, meta: BlobMeta): Promise<void> {
    const now = Date.now()
    if (now - (this.touchedAt.get(file) ?? -Infinity) < this.touchAfterMs) return
    if (this.touchedAt.size >= MAX_TOUCH_RECORDS) this.touchedAt.clear()
    this.touchedAt.set(file, now)
    try {
      await fh.utimes(now / 1000, meta.created / 1000)
    } catch {
      this.counters.touchErrors++
    }
  }

  /** Access times are wall-clock (like the kernel's), whatever `clock` says for TTLs. */
  private async record(fh: FileHandle, st: BigIntStats): Promise<void> {
    const now = Date.now()
    if (!needsTouch(st, now, this.touchAfterMs)) return
    try {
      await touch(fh, st, now)
    } catch {
      this.counters.touchErrors++
    }
  }

  private miss(): undefined {
    this.counters.misses++
    return undefined
  }

  private checkOpen(): void {
    if (this.closed) throw new CortadoError('ERR_CLOSED', `DiskCache on ${this.dir} is closed`)
  }
}

/** Creates the folder, or refuses a path that exists and is not one. */
function prepareFolder(dir: string): void {
  let st: Stats | undefined
  try {
    st = statSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new CortadoError('ERR_INVALID_OPTION', `dir ${dir}: a part of the path is a file`, { cause: err })
    if (!isMissing(err)) throw ioError(err, `dir ${dir}`)
  }
  if (st && !st.isDirectory()) throw new CortadoError('ERR_INVALID_OPTION', `dir ${dir} exists and is not a folder`)
  if (!st) {
    try {
      mkdirSync(dir, { recursive: true })
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTDIR' || code === 'EEXIST') throw new CortadoError('ERR_INVALID_OPTION', `dir ${dir}: a part of the path is a file`, { cause: err })
      throw ioError(err, `creating dir ${dir}`)
    }
  }
}

function durabilityOf(durability: unknown, fsync: unknown): BlobDurability {
  if (fsync !== undefined && typeof fsync !== 'boolean') throw new CortadoError('ERR_INVALID_OPTION', `fsync must be a boolean, got ${shown(fsync)}`)
  if (durability === undefined) return fsync === false ? 'process' : 'os'
  if (!DURABILITY_LEVELS.includes(durability as BlobDurability))
    throw new CortadoError('ERR_INVALID_OPTION', `durability must be one of ${DURABILITY_LEVELS.map((l) => `'${l}'`).join(', ')}, got ${shown(durability)}`)
  if (fsync !== undefined && durability !== (fsync ? 'os' : 'process'))
    throw new CortadoError('ERR_INVALID_OPTION', `fsync: ${fsync} contradicts durability: '${durability}' (fsync: true is 'os', false is 'process'); give one of the two`)
  return durability as BlobDurability
}

function fraction(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw new CortadoError('ERR_INVALID_OPTION', `${name} must be a number in (0, 1], got ${shown(value)}`)
  return value
}

function checkBody(body: unknown): void {
  if (typeof body === 'string' || body instanceof Uint8Array) return
  if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body) return
  throw new CortadoError('ERR_INVALID_VALUE', `a blob must be a Buffer, Uint8Array, string, Readable or AsyncIterable of Uint8Array, got ${shown(body)}`)
}
