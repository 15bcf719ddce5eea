/**
 * Opening a store: rebuilds the index from the segments, oldest first (a later record of a key wins).
 *
 * A segment with a usable hint file is applied from its hints. Any other is read whole and every
 * record's checksum checked: a record that fails starts a search for the next intact record (records
 * begin with a magic byte). If one is found, the bytes in between were a corrupt record in the middle
 * of the file: they are skipped and counted. If none is, the rest of the file is a torn tail (a crash
 * mid-write): the file is truncated there and the bytes counted. Either way no record that fails its
 * checksum is ever indexed, and the store opens. A hint is then written for the scanned segment.
 *
 * Leftovers of a compaction that did not finish (`*.tmp`) are deleted: the segments they were made from
 * are still there, since those are only deleted after the new ones are durable under their final names.
 */
import * as fs from 'node:fs'
import { FLAG_TOMBSTONE, HEADER_BYTES, MAGIC, checkRecord, newHeader } from './record.js'
import { HINT_EXT, LOG_EXT, TMP_EXT, fileId, hintName, ioError, logName, pathOf, readFully } from './files.js'
import { HintWriter, loadHints, peekHints, type LoadedHints } from './hint-file.js'
import { SNAPSHOT_NAME, readSnapshot } from './index-snapshot.js'
import { hashKey, type KeyIndex } from './key-index.js'
import type { Segment } from './segment.js'

/** What opening found and did (also in `stats().recovery`). */
export interface RecoveryReport {
  /** The index was loaded from the snapshot a clean close wrote (no hint or segment was read). */
  fromSnapshot: boolean
  /** Segments applied from their hint files. */
  segmentsFromHints: number
  /** Segments read and checksummed record by record (no usable hint). */
  segmentsScanned: number
  /** Hint files present but unusable (torn, corrupt, for another segment size): their segment was scanned. */
  hintsRejected: number
  /** Bytes cut off the ends of segments: torn tails of writes a crash interrupted. */
  truncatedBytes: number
  /** Corrupt stretches found in the middle of segments, skipped... */
  corruptRegions: number
  /** ...and their bytes. */
  skippedBytes: number
  /** Records found expired while opening (dropped). */
  expired: number
  /** Half-written compaction outputs deleted. */
  tmpFilesRemoved: number
  /** Milliseconds the open took. */
  openMs: number
}

export function emptyReport(): RecoveryReport {
  return { fromSnapshot: false, segmentsFromHints: 0, segmentsScanned: 0, hintsRejected: 0, truncatedBytes: 0, corruptRegions: 0, skippedBytes: 0, expired: 0, tmpFilesRemoved: 0, openMs: 0 }
}

/** Applies one record (from a scan or a hint) to the index. */
export class Replay {
  constructor(private readonly index: KeyIndex, private readonly segments: Map<number, Segment>, private readonly report: RecoveryReport, private readonly now: number) {}

  apply(segment: Segment, key: Uint8Array, keyStart: number, keyLength: number, hash: number, flags: number, offset: number, size: number, expiresAt: number): void {
    const index = this.index
    // One probe: the entry of the key, or where it goes.
    const e = index.locate(key, keyStart, keyLength, hash)
    if (e >= 0) {
      const file = index.fileOf(e)
      if (file === segment.id) segment.live -= index.sizeOf(e)
      else this.segments.get(file)!.live -= index.sizeOf(e)
    }
    const expired = expiresAt !== 0 && expiresAt <= this.now
    if ((flags & FLAG_TOMBSTONE) !== 0 || expired) {
      if (expired && (flags & FLAG_TOMBSTONE) === 0) this.report.expired++
      if (e >= 0) index.remove(e)
      return
    }
    if (e >= 0) index.set(e, segment.id, offset, size, expiresAt)
    else index.addAt(e, key, keyStart, keyLength, hash, segment.id, offset, size, expiresAt)
    segment.live += size
  }

  /**
   * Stages every entry of a checked hint file (loadHints) in the index, reading the fields in place;
   * `link` applies what was staged (call it before any `apply`, and at the end).
   */
  stageHints(segment: Segment, hints: LoadedHints): void {
    this.report.expired += this.index.stageHints(hints.bytes, hints.count, hints.body, segment.id, this.now)
    // Counted live now; `link` takes off what later records replace or remove.
    segment.live += this.index.stagedLiveBytes
    this.staged = true
  }

  private staged = false

  /** Links what `stageHints` staged into the index, taking replaced and removed records off their segments' live bytes. */
  link(): void {
    if (!this.staged) return
    this.staged = false
    const index = this.index
    const segments = this.segments
    index.link((e) => { segments.get(index.fileOf(e))!.live -= index.sizeOf(e) })
  }
}

export interface Recovered {
  segments: Map<number, Segment>
  /** The id for the next segment. */
  nextId: number
}

export function recover(dir: string, index: KeyIndex, report: RecoveryReport, now: number): Recovered {
  const started = performance.now()
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch (e) {
    throw ioError(e, `LogStore: cannot list ${dir}`)
  }
  for (const name of names) {
    if (!name.endsWith(TMP_EXT)) continue
    fs.unlinkSync(pathOf(dir, name))
    report.tmpFilesRemoved++
  }
  const ids = names.map((n) => fileId(n, LOG_EXT)).filter((id) => id >= 0).sort((a, b) => a - b)
  const segments = new Map<number, Segment>()
  // Names stay unique even when every segment was removed: a new id is above every id ever seen here.
  const nextId = Math.max(0, ...ids, ...names.map((n) => fileId(n, HINT_EXT))) + 1
  const sizes = new Map(ids.map((id) => [id, fs.statSync(pathOf(dir, logName(id))).size]))
  const live = readSnapshot(pathOf(dir, SNAPSHOT_NAME), index, sizes)
  if (live !== undefined) {
    for (const id of ids) segments.set(id, { id, fd: fs.openSync(pathOf(dir, logName(id)), 'r'), bytes: sizes.get(id)!, live: live.get(id)!, unsynced: false })
    report.fromSnapshot = true
    report.openMs = performance.now() - started
    return { segments, nextId }
  }
  const replay = new Replay(index, segments, report, now)
  // Size the index once for every key the hint files hold (their trailers say how many): the load then
  // grows and rehashes nothing. What overwrites and deletes leave unused is given back at the end.
  let hintEntries = 0
  let hintKeyBytes = 0
  for (const id of ids) {
    const peek = peekHints(pathOf(dir, hintName(id)))
    if (peek === undefined) continue
    hintEntries += peek.count
    hintKeyBytes += peek.keyBytes
  }
  if (hintEntries > 0) index.reserve(hintEntries, hintKeyBytes)
  for (const id of ids) {
    const path = pathOf(dir, logName(id))
    const fd = fs.openSync(path, 'r')
    const segment: Segment = { id, fd, bytes: fs.fstatSync(fd).size, live: 0, unsynced: false }
    const hintPath = pathOf(dir, hintName(id))
    if (segment.bytes === 0) {
      removeSegment(fd, path, hintPath)
      continue
    }
    segments.set(id, segment)
    const hints = loadHints(hintPath, segment.bytes)
    if (hints !== undefined) {
      replay.stageHints(segment, hints)
      report.segmentsFromHints++
      continue
    }
    // Records are applied in segment order: what hints staged goes in before this segment's scan.
    replay.link()
    if (fs.existsSync(hintPath)) report.hintsRejected++
    scanSegment(dir, segment, replay, report)
    if (segment.bytes === 0) {
      segments.delete(id)
      removeSegment(fd, path, hintPath)
    }
  }
  replay.link()
  if (hintEntries > 0) {
    index.compactEntries()
    index.shrinkToFit()
  }
  report.openMs = performance.now() - started
  return { segments, nextId }
}

/** An empty segment (a store closed before writing, or a torn first record) holds nothing to keep. */
function removeSegment(fd: number, path: string, hintPath: string): void {
  fs.closeSync(fd)
  fs.rmSync(path, { force: true })
  fs.rmSync(hintPath, { force: true })
}

/** Reads a segment whole, applies its intact records, skips or truncates what is not, writes its hint. */
function scanSegment(dir: string, segment: Segment, replay: Replay, report: RecoveryReport): void {
  report.segmentsScanned++
  const size = segment.bytes
  const buf = Buffer.allocUnsafe(size)
  const got = readFully(segment.fd, buf, 0, size, 0)
  const hintPath = pathOf(dir, hintName(segment.id))
  let hints: HintWriter | undefined
  try {
    hints = new HintWriter(fs.openSync(hintPath, 'w'))
  } catch {
    hints = undefined // read-only directory contents: open without writing a hint
  }
  const h = newHeader()
  let at = 0
  while (at < got) {
    if (checkRecord(buf, at, got - at, h) === 'ok') {
      const hash = hashKey(buf, at + HEADER_BYTES, h.keyLength)
      replay.apply(segment, buf, at + HEADER_BYTES, h.keyLength, hash, h.flags, at, h.size, h.expiresAt)
      if (hints !== undefined) {
        try {
          hints.add(h.flags, buf, at + HEADER_BYTES, h.keyLength, hash, at, h.size, h.expiresAt)
        } catch {
          // A full disk (the hint buffer flushes as it fills): open without this hint rather than not at all.
          hints = dropHint(hints, hintPath)
        }
      }
      at += h.size
      continue
    }
    const next = nextIntactRecord(buf, at + 1, got, h)
    if (next < 0) {
      report.truncatedBytes += got - at
      fs.truncateSync(pathOf(dir, logName(segment.id)), at)
      segment.bytes = at
      break
    }
    report.corruptRegions++
    report.skippedBytes += next - at
    at = next
  }
  if (hints !== undefined) {
    try {
      hints.seal(segment.bytes)
    } catch {
      dropHint(hints, hintPath)
    }
  }
}

/** Closes a hint that could not be written whole and removes it (the next open scans the segment again). */
function dropHint(hints: HintWriter, path: string): undefined {
  try {
    hints.close()
    fs.rmSync(path, { force: true })
  } catch {
    // Without a trailer the hint is ignored anyway.
  }
  return undefined
}

function nextIntactRecord(buf: Buffer, from: number, end: number, h: ReturnType<typeof newHeader>): number {
  for (let p = buf.indexOf(MAGIC, from + 4) - 4; p >= from && p + HEADER_BYTES <= end; p = buf.indexOf(MAGIC, p + 5) - 4) {
    if (checkRecord(buf, p, end - p, h) === 'ok') return p
  }
  return -1
}
