/**
 * LogStore: a Bitcask-style key/value store on disk. Writes append checksummed records to the active
 * segment (src/disk/log/record.ts); an off-heap hash index (key-index.ts) maps every live key to its
 * latest record, so a read is one index probe and one positioned read. Segments are sealed at
 * `maxFileBytes`; compaction (compaction.ts) rewrites live records and deletes old segments; hint files
 * (hint-file.ts) let an open skip reading whole segments; recovery.ts rebuilds the index on open.
 */
import * as fs from 'node:fs'
import { CortadoError } from '../../errors.js'
import { invalidKeyType, keyError } from '../../keys.js'
import { checkTtl } from '../../options.js'
import { NOT_WELL_FORMED, writeUtf8, type ByteView } from '../../text.js'
import { decodeKind, resolveCodec, type ValueCodec } from '../../codecs/index.js'
import * as L from '../../layout/constants.generated.js'
import { FLAG_TOMBSTONE, HEADER_BYTES, MAX_VALUE_BYTES, checkRecord, newHeader, sealRecord } from './record.js'
import { KeyIndex, hashKey } from './key-index.js'
import { GroupCommit } from './group-commit.js'
import { LockFile } from './lock-file.js'
import { emptyReport, recover, type RecoveryReport } from './recovery.js'
import { openSegmentForAppend, type ActiveSegment, type Segment } from './segment.js'
import { hintName, ioError, logName, pathOf, prepareDirectory, readFully } from './files.js'
import { checkPutOptions, resolveOptions, type LogStoreOptions, type ResolvedOptions } from './options.js'
import { compact, type CompactionHost, type CompactionProgress } from './compaction.js'
import { SNAPSHOT_NAME, writeSnapshot } from './index-snapshot.js'

/** Options of a single put. */
export interface PutOptions {
  /** Time to live in milliseconds; 0 or absent = never expires. */
  ttl?: number
}

/** A value with its expiry (for tiers that pass remaining TTLs on). */
export interface StoredEntry<V> {
  /** The stored value. */
  value: V
  /** ms since the epoch; 0 = never. */
  expiresAt: number
}

/** Counters and sizes of a LogStore, from `stats()`. Counters start at 0 on each open. */
export interface LogStoreStats {
  /** Live keys in the index (expired entries not yet dropped included). */
  keys: number
  /** Bytes of the records the index points to. */
  liveBytes: number
  /** Bytes of every segment file. */
  fileBytes: number
  /** 1 - liveBytes / fileBytes: what compaction would reclaim. */
  garbageRatio: number
  /** Segment files, the active one included. */
  files: number
  /** Compactions completed. */
  compactions: number
  /** Compactions that failed (the store carries on with its segments as they were). */
  compactionErrors: number
  /** Puts accepted. */
  puts: number
  /** Deletes that removed a live key. */
  deletes: number
  /** Reads by `get` / `getSync` (hits + misses). */
  gets: number
  /** Reads that found a live value. */
  hits: number
  /** Reads that found nothing (absent or expired). */
  misses: number
  /** fsync rounds (each covers every write before it: group commit). */
  syncs: number
  /** Entries found expired and dropped (on read, on open, by compaction). */
  expired: number
  /** Reads whose record failed its checksum or did not hold its key: dropped from the index, never returned. */
  corruptReads: number
  /** Bytes of the index outside the JS heap (hash slots, entry columns, key bytes). */
  indexBytes: number
  /** What the last open found and did. */
  recovery: RecoveryReport
  /** Compaction in progress, if any. */
  compacting: CompactionProgress | undefined
}

const MAX_SCRATCH_KEEP = 1024 * 1024

/** Copies `n` bytes; a loop for key-sized runs, where Buffer.copy's native call costs more than the copy. */
function copyBytes(from: Uint8Array, start: number, to: Uint8Array, at: number, n: number): void {
  if (n > 64) {
    to.set(from.subarray(start, start + n), at)
    return
  }
  for (let i = 0; i < n; i++) to[at + i] = from[start + i]!
}

export class LogStore<V = unknown> {
  /** The directory the store lives in. */
  readonly dir: string
  /** The sync mode it was opened with (see LogStoreOptions.sync). */
  readonly sync: ResolvedOptions['sync']
  private readonly options: ResolvedOptions
  private readonly codec: ValueCodec<V>
  private readonly userDecode: ((bytes: Uint8Array) => unknown) | undefined
  private readonly index = new KeyIndex()
  private readonly segments: Map<number, Segment>
  private active!: ActiveSegment
  private nextId: number
  private readonly commit: GroupCommit
  private readonly lock: LockFile
  private readonly report: RecoveryReport
  private readonly keyView: ByteView
  private readView: ByteView
  private readonly header = newHeader()
  private directoryChanged = true
  private compaction: Promise<void> | undefined
  private progress: CompactionProgress | undefined
  private closedFlag = false
  private closing: Promise<void> | undefined
  private readonly counters = { compactions: 0, compactionErrors: 0, puts: 0, deletes: 0, gets: 0, hits: 0, misses: 0, expired: 0, corruptReads: 0 }

  private constructor(dir: string, options: ResolvedOptions, codecOption: LogStoreOptions<V>['codec'], lock: LockFile) {
    this.dir = dir
    this.options = options
    this.sync = options.sync
    this.lock = lock
    const { codec, userDecode } = resolveCodec<V>(codecOption)
    this.codec = codec
    this.userDecode = userDecode
    const keyBuf = Buffer.allocUnsafe(L.MAX_KEY_BYTES)
    this.keyView = { u8: keyBuf, buf: keyBuf }
    const readBuf = Buffer.allocUnsafe(64 * 1024)
    this.readView = { u8: readBuf, buf: readBuf }
    this.report = emptyReport()
    const recovered = recover(dir, this.index, this.report, options.clock())
    this.segments = recovered.segments
    this.nextId = recovered.nextId
    this.counters.expired += this.report.expired
    this.startSegment()
    this.commit = new GroupCommit(options.sync, options.syncIntervalMs, {
      dir,
      flush: () => {
        this.active.flush()
        this.unwritten.length = 0
      },
      takeUnsynced: () => this.takeUnsynced(),
      failed: () => this.rollBack(),
    }, options.onError)
  }

  /**
   * Opens (creating if needed) the store in `dir`, recovering from whatever a crash left: see
   * `stats().recovery`. Rejects with ERR_LOCKED when another store (this process or another) has it open.
   */
  static async open<V = unknown>(dir: string, options?: LogStoreOptions<V>): Promise<LogStore<V>> {
    if (typeof dir !== 'string' || dir.length === 0) throw new CortadoError('ERR_INVALID_OPTION', 'LogStore.open needs a directory path')
    const resolved = resolveOptions(options)
    if (options?.codec !== undefined) resolveCodec(options.codec)
    prepareDirectory(dir)
    const lock = LockFile.acquire(dir)
    try {
      // The new active segment's directory entry is fsynced with the first fsync that covers a write
      // to it (GroupCommit), not here: an open does not wait for the disk.
      return new LogStore<V>(dir, resolved, options?.codec, lock)
    } catch (e) {
      lock.release()
      throw ioError(e, `LogStore: cannot open ${dir}`)
    }
  }

  /** Stores `value` under `key`. Resolves once durable as the `sync` mode promises. */
  put(key: string, value: V, options?: PutOptions): Promise<void> {
    try {
      this.checkWritable()
      const keyLength = this.encodeKey(key, 'put')
      checkPutOptions(options, 'LogStore.put')
      const ttl = options?.ttl === undefined ? 0 : checkTtl(options.ttl, 'ttl')
      if (value === undefined) throw new CortadoError('ERR_INVALID_VALUE', 'undefined cannot be stored (a miss reads as undefined); use delete()')
      const expiresAt = ttl > 0 ? this.options.clock() + ttl : 0
      const hash = hashKey(this.keyView.u8, 0, keyLength)
      const segment = this.append(0, keyLength, hash, value, expiresAt)
      const offset = this.appendedAt
      const size = this.appendedSize
      const index = this.index
      // One probe: the key's entry, or the empty slot it goes to.
      const e = index.locate(this.keyView.u8, 0, keyLength, hash)
      this.remember(key, e)
      if (e >= 0) {
        const file = index.fileOf(e)
        // Overwrites within the active segment (the common case) skip the segment map.
        if (file === segment.id) segment.live -= index.sizeOf(e)
        else this.segments.get(file)!.live -= index.sizeOf(e)
        index.set(e, segment.id, offset, size, expiresAt)
      } else index.addAt(e, this.keyView.u8, 0, keyLength, hash, segment.id, offset, size, expiresAt)
      segment.live += size
      this.counters.puts++
      return this.commit.batch()
    } catch (e) {
      return Promise.reject(this.failed(e))
    }
  }

  /** The value under `key`, or undefined. */
  get(key: string): Promise<V | undefined> {
    try {
      return Promise.resolve(this.getSync(key))
    } catch (e) {
      return Promise.reject(e)
    }
  }

  /** `get` without a promise: one index probe and one positioned read (none if the record is still buffered). */
  getSync(key: string): V | undefined {
    this.checkOpen()
    const e = this.lookup(key, 'get')
    this.counters.gets++
    const value = e < 0 ? undefined : this.readValue(e)
    if (value === undefined) this.counters.misses++
    else this.counters.hits++
    return value
  }

  /** The value and its expiry, or undefined. */
  getEntry(key: string): StoredEntry<V> | undefined {
    this.checkOpen()
    const e = this.lookup(key, 'getEntry')
    if (e < 0) return undefined
    const expiresAt = this.index.expiryOf(e)
    const value = this.readValue(e)
    return value === undefined ? undefined : { value, expiresAt }
  }

  /** Whether `key` has a live entry (an index probe, no disk read). */
  has(key: string): Promise<boolean> {
    try {
      this.checkOpen()
      return Promise.resolve(this.lookup(key, 'has') >= 0)
    } catch (e) {
      return Promise.reject(e)
    }
  }

  /** Removes `key` (appends a tombstone); resolves to whether it was there, once durable as `sync` promises. */
  delete(key: string): Promise<boolean> {
    try {
      this.checkWritable()
      const e = this.lookup(key, 'delete')
      // "Not there" may come from a delete (or an expiry) still on its way to the disk: then the answer
      // waits for that batch as a tombstone's would, and is rejected with it (an earlier value comes
      // back when that batch fails, and after a crash before it is written or synced).
      if (e < 0) return this.commit.idle ? Promise.resolve(false) : this.commit.batch().then(() => false)
      const keyLength = this.keyLength
      const hash = this.index.hashOf(e)
      this.append(FLAG_TOMBSTONE, keyLength, hash, undefined, 0)
      this.remember(key, e)
      this.dropEntry(e)
      this.counters.deletes++
      return this.commit.batch().then(() => true)
    } catch (e) {
      return Promise.reject(this.failed(e))
    }
  }

  /** Live keys. Expired entries still in the index until a read, an open or a compaction drops them count too. */
  get size(): number {
    return this.index.count
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.closedFlag
  }

  /**
   * Every live entry, read in index order. Weakly consistent: a key present for the whole iteration is
   * yielded exactly once; keys written or deleted meanwhile may or may not be.
   */
  async *entries(): AsyncGenerator<[string, V]> {
    for (let e = 0; e < this.index.highWater; e++) {
      this.checkOpen()
      if (!this.index.isLive(e) || this.expireIfDue(e)) continue
      const key = this.index.keyOf(e)
      const value = this.readValue(e)
      if (value !== undefined) yield [key, value]
    }
  }

  /** Every live key (no disk reads). Same consistency as `entries()`. */
  *keys(): Generator<string> {
    for (let e = 0; e < this.index.highWater; e++) {
      this.checkOpen()
      if (this.index.isLive(e) && !this.expireIfDue(e)) yield this.index.keyOf(e)
    }
  }

  /** Writes and fsyncs everything so far, whatever the sync mode. */
  async flush(): Promise<void> {
    this.checkOpen()
    await this.commit.sync()
  }

  /**
   * Rewrites the live records of every sealed segment into new ones (with hint files), dropping
   * overwritten and deleted records, tombstones and expired entries, then deletes the old segments.
   * Reads and writes go on meanwhile, paused at most for one batch of `compactBatchBytes`. Concurrent
   * calls share one run.
   */
  compact(): Promise<void> {
    try {
      this.checkWritable()
    } catch (e) {
      return Promise.reject(e)
    }
    this.compaction ??= this.runCompaction().finally(() => {
      this.compaction = undefined
      this.progress = undefined
    })
    return this.compaction
  }

  /** A snapshot of the counters and sizes. */
  stats(): LogStoreStats {
    let liveBytes = 0
    let fileBytes = 0
    for (const s of this.segments.values()) {
      liveBytes += s.live
      fileBytes += s.bytes
    }
    return {
      keys: this.index.count,
      liveBytes,
      fileBytes,
      garbageRatio: fileBytes === 0 ? 0 : 1 - liveBytes / fileBytes,
      files: this.segments.size,
      ...this.counters,
      syncs: this.commit.syncs,
      indexBytes: this.index.externalBytes,
      recovery: { ...this.report },
      compacting: this.progress === undefined ? undefined : { ...this.progress },
    }
  }

  /** Waits for a running compaction, writes and fsyncs everything, seals the active segment, releases the lock. */
  close(): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  // Store<V> of write-through / write-behind caches (src/loading): the store is their system of record.
  /** Same as `get`: the Store interface of write-through and write-behind caches. */
  load(key: string): Promise<V | undefined> {
    return this.get(key)
  }

  /** Same as `put` without a TTL: the Store interface of write-through and write-behind caches. */
  async save(key: string, value: V): Promise<void> {
    await this.put(key, value)
  }

  private async shutdown(): Promise<void> {
    if (this.closedFlag) return
    let failure: unknown
    try {
      await this.compaction?.catch(() => {})
      if (this.commit.failure === undefined) {
        await this.commit.sync()
        this.active.seal()
        this.dropEmptyActive()
        this.writeIndexSnapshot()
      } else this.active.abandonHints()
    } catch (e) {
      failure = e
    }
    this.closedFlag = true
    this.commit.close()
    for (const s of this.segments.values()) if (s.fd >= 0) fs.closeSync(s.fd)
    this.lock.release()
    if (failure !== undefined) throw ioError(failure, 'LogStore: close failed')
  }

  /** A store closed without writing leaves no empty segment behind. */
  private dropEmptyActive(): void {
    const s = this.active.segment
    if (s.bytes !== 0) return
    fs.closeSync(s.fd)
    this.segments.delete(s.id)
    fs.rmSync(pathOf(this.dir, logName(s.id)), { force: true })
    fs.rmSync(pathOf(this.dir, hintName(s.id)), { force: true })
  }

  /** Best effort: without a snapshot the next open reads hints instead. */
  private writeIndexSnapshot(): void {
    try {
      writeSnapshot(pathOf(this.dir, SNAPSHOT_NAME), this.index, [...this.segments.values()].map((s) => [s.id, s.bytes, s.live]))
    } catch {
      fs.rmSync(pathOf(this.dir, SNAPSHOT_NAME), { force: true })
    }
  }

  private async runCompaction(): Promise<void> {
    // Never start inside the caller's synchronous step (a put that just sealed a segment is still appending).
    await Promise.resolve()
    const host: CompactionHost = {
      dir: this.dir,
      index: this.index,
      segments: this.segments,
      maxFileBytes: this.options.maxFileBytes,
      batchBytes: this.options.compactBatchBytes,
      now: this.options.clock,
      reserveIds: (n) => {
        const first = this.nextId
        this.nextId += n
        return first
      },
      sealActive: () => this.rotate(),
      readRecord: (e) => this.readRecord(e),
      expireIfDue: (e) => this.expireIfDue(e),
      syncAll: () => this.commit.sync(),
      directoryChanged: () => { this.directoryChanged = true },
      progress: (p) => { this.progress = p },
    }
    try {
      await compact(host)
      this.counters.compactions++
    } catch (e) {
      this.counters.compactionErrors++
      throw ioError(e, 'LogStore: compaction failed')
    }
  }

  private maybeCompact(): void {
    const o = this.options
    if (!o.autoCompact || this.compaction !== undefined || this.closing !== undefined) return
    const s = this.stats()
    if (s.fileBytes < o.compactMinBytes || s.garbageRatio < o.compactThreshold) return
    this.compact().catch((e: CortadoError) => o.onError(e))
  }

  /** File offset and size of the record the last `append` wrote (fields, not a returned object: no allocation per put). */
  private appendedAt = 0
  private appendedSize = 0

  /** Appends one record (a tombstone when `value` is undefined); returns its segment (offset and size in appendedAt/appendedSize). */
  private append(flags: number, keyLength: number, hash: number, value: V | undefined, expiresAt: number): Segment {
    let w = this.active
    const head = HEADER_BYTES + keyLength
    if (w.room < head + 16) w.flush()
    let n = value === undefined ? 0 : this.codec.encodeInto(value, w.view, w.pending + head, w.room - head)
    if (n < 0 && w.pending > 0) {
      w.flush()
      n = this.codec.encodeInto(value as V, w.view, head, w.room - head)
    }
    const kind = value === undefined ? 0 : this.codec.kind
    if (n >= 0) {
      const at = w.pending
      copyBytes(this.keyView.u8, 0, w.view.u8, at + HEADER_BYTES, keyLength)
      const size = sealRecord(w.view.buf, at, flags, kind, keyLength, n, expiresAt)
      this.appendedSize = size
      if (w.end + size <= this.options.maxFileBytes || w.end === 0) {
        this.appendedAt = w.claimBuilt(size, hash, flags, keyLength, expiresAt)
        return w.segment
      }
      // The record does not fit in this segment: move it to a new one.
      const record = Buffer.from(w.view.buf.subarray(at, at + size))
      w = this.rotate()
      record.copy(w.view.buf, 0)
      this.appendedAt = w.claimBuilt(size, hash, flags, keyLength, expiresAt)
      return w.segment
    }
    const bytes = this.codec.encodeBytes(value as V)
    if (bytes.length > MAX_VALUE_BYTES) throw new CortadoError('ERR_INVALID_VALUE', `a value of ${bytes.length} bytes is over the maximum of ${MAX_VALUE_BYTES}`)
    const record = Buffer.allocUnsafe(head + bytes.length)
    this.keyView.buf.copy(record, HEADER_BYTES, 0, keyLength)
    record.set(bytes, head)
    const size = sealRecord(record, 0, flags, this.codec.kind, keyLength, bytes.length, expiresAt)
    if (w.end + size > this.options.maxFileBytes && w.end > 0) w = this.rotate()
    this.appendedSize = size
    this.appendedAt = w.appendWhole(record, hash)
    return w.segment
  }

  /** Seals the active segment and starts the next one. */
  private rotate(): ActiveSegment {
    try {
      this.active.seal()
      this.startSegment()
    } catch (e) {
      // Half-rotated (a hint without its whole trailer, or a sealed segment still active): no further write.
      throw this.commit.fail(e, 'segment rotation')
    }
    this.maybeCompact()
    return this.active
  }

  private startSegment(): void {
    const id = this.nextId++
    this.active = openSegmentForAppend(pathOf(this.dir, logName(id)), id, pathOf(this.dir, hintName(id)))
    this.segments.set(id, this.active.segment)
    this.directoryChanged = true
  }

  private takeUnsynced(): { fds: number[]; directory: boolean } {
    const fds: number[] = []
    for (const s of this.segments.values()) {
      if (!s.unsynced) continue
      s.unsynced = false
      fds.push(s.fd)
    }
    const directory = this.directoryChanged
    this.directoryChanged = false
    return { fds, directory }
  }

  /**
   * The index changes of the batch not yet written (puts and deletes since the last batch write), as
   * keys and what each entry was before (file -1: absent). The index changes when a put is called, so
   * that reads see it at once; if the batch's write then fails, its operations are rejected, and these
   * are undone (rollBack): reads show what was acknowledged, as a reopen would, not a rejected value
   * that never reached the file. Parallel arrays: no object per put.
   */
  private readonly unwritten = { keys: [] as string[], file: [] as number[], offset: [] as number[], size: [] as number[], expiresAt: [] as number[], length: 0 }

  private remember(key: string, e: number): void {
    const u = this.unwritten
    const i = u.length++
    const index = this.index
    u.keys[i] = key
    u.file[i] = e >= 0 ? index.fileOf(e) : -1
    u.offset[i] = e >= 0 ? index.offsetOf(e) : 0
    u.size[i] = e >= 0 ? index.sizeOf(e) : 0
    u.expiresAt[i] = e >= 0 ? index.expiryOf(e) : 0
  }

  /** After a failed write: every unwritten change undone, newest first (see `unwritten`). */
  private rollBack(): void {
    const u = this.unwritten
    const index = this.index
    for (let i = u.length - 1; i >= 0; i--) {
      const n = this.encodeKey(u.keys[i]!, 'rollBack')
      const hash = hashKey(this.keyView.u8, 0, n)
      let e = index.locate(this.keyView.u8, 0, n, hash)
      if (e >= 0) this.dropEntry(e)
      const file = u.file[i]!
      // A version a compaction has moved meanwhile (its segment gone) is not put back: a miss, never another value.
      const segment = file < 0 ? undefined : this.segments.get(file)
      if (segment === undefined) continue
      e = index.locate(this.keyView.u8, 0, n, hash)
      index.addAt(e, this.keyView.u8, 0, n, hash, file, u.offset[i]!, u.size[i]!, u.expiresAt[i]!)
      segment.live += u.size[i]!
    }
    u.length = 0
    u.keys.length = 0
  }

  private keyLength = 0

  /** Validates `key` and writes its UTF-8 bytes into the key scratch; returns their length. */
  private encodeKey(key: string, where: string): number {
    if (typeof key !== 'string') throw invalidKeyType(key, where)
    const n = writeUtf8(this.keyView, key, 0, L.MAX_KEY_BYTES)
    if (n < 0 || n === NOT_WELL_FORMED) throw keyError(key, where)!
    this.keyLength = n
    return n
  }

  /** The live, unexpired entry of `key`, or -1. */
  private lookup(key: string, where: string): number {
    const n = this.encodeKey(key, where)
    const e = this.index.find(this.keyView.u8, 0, n, hashKey(this.keyView.u8, 0, n))
    return e >= 0 && this.expireIfDue(e) ? -1 : e
  }

  private expireIfDue(e: number): boolean {
    const t = this.index.expiryOf(e)
    if (t === 0 || t > this.options.clock()) return false
    // An expired record needs no tombstone: an open or a compaction drops it by its expiry too.
    this.dropEntry(e)
    this.counters.expired++
    return true
  }

  private dropEntry(e: number): void {
    const s = this.segments.get(this.index.fileOf(e))
    if (s !== undefined) s.live -= this.index.sizeOf(e)
    this.index.remove(e)
  }

  /**
   * The bytes of entry `e`'s record, checked (checksum, size, key): `view.buf[at, at + size)`. An entry
   * whose record fails is dropped and counted, and undefined returned: a corrupt value is never decoded.
   */
  private readRecord(e: number): { view: ByteView; at: number } | undefined {
    const index = this.index
    const file = index.fileOf(e)
    const offset = index.offsetOf(e)
    const size = index.sizeOf(e)
    let view: ByteView
    let at: number
    const w = this.active
    if (file === w.segment.id && w.buffered(offset)) {
      view = w.view
      at = offset - w.written
    } else {
      const segment = this.segments.get(file)
      if (segment === undefined) throw new CortadoError('ERR_CORRUPT', `LogStore: the index points into segment ${file}, which is not open`)
      if (this.readView.buf.length < size) {
        const buf = Buffer.allocUnsafe(size)
        view = { u8: buf, buf }
        if (size <= MAX_SCRATCH_KEEP) this.readView = view
      } else view = this.readView
      let got: number
      try {
        got = readFully(segment.fd, view.buf, 0, size, offset)
      } catch (err) {
        throw ioError(err, `LogStore: cannot read ${logName(file)}`)
      }
      at = 0
      if (got < size) return this.corrupt(e)
    }
    const h = this.header
    if (checkRecord(view.buf, at, size, h) !== 'ok' || h.size !== size || (h.flags & FLAG_TOMBSTONE) !== 0 ||
      !index.keyMatches(e, view.u8, at + HEADER_BYTES, h.keyLength)) return this.corrupt(e)
    return { view, at }
  }

  private readValue(e: number): V | undefined {
    const r = this.readRecord(e)
    if (r === undefined) return undefined
    const h = this.header
    const start = r.at + HEADER_BYTES + h.keyLength
    return decodeKind(r.view, h.kind, start, start + h.valueLength, this.userDecode) as V
  }

  private corrupt(e: number): undefined {
    this.counters.corruptReads++
    this.dropEntry(e)
    return undefined
  }

  /**
   * The error a put or delete rejects with. Checks of the input throw CortadoErrors before anything is
   * written; anything else came from a write the append made itself (a record too large for the buffer,
   * a full buffer, a segment rotation) and may have left part of a record in the file: the store then
   * refuses writes as after a failed batch write, instead of appending at offsets that no longer match.
   */
  private failed(e: unknown): unknown {
    return e instanceof CortadoError ? e : this.commit.fail(e, 'write')
  }

  private checkOpen(): void {
    if (this.closedFlag || this.closing !== undefined) throw new CortadoError('ERR_CLOSED', `LogStore ${this.dir} is closed`)
  }

  private checkWritable(): void {
    this.checkOpen()
    if (this.commit.failure !== undefined) throw this.commit.failure
  }
}
