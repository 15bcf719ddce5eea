/**
 * Segment files. Every segment stays open for reads until compaction deletes it; exactly one, the
 * active segment, is appended to (opened O_APPEND), through a buffer that collects the records of one
 * event-loop turn so that they reach the OS in one write. Records still in that buffer are read from it.
 */
import * as fs from 'node:fs'
import type { ByteView } from '../../text.js'
import { HintWriter } from './hint-file.js'
import { FLAG_TOMBSTONE, HEADER_BYTES } from './record.js'
import { writeFully } from './files.js'

export interface Segment {
  readonly id: number
  fd: number
  /** Bytes in the file, counting those still buffered in the active segment. */
  bytes: number
  /** Bytes of the records the index points to. */
  live: number
  /** Written since its last fsync. */
  unsynced: boolean
}

export const APPEND_BUFFER_BYTES = 256 * 1024

/** The segment being appended to: buffers records, writes them in one call, records their hints. */
export class ActiveSegment {
  readonly view: ByteView
  /** Bytes of the buffer in use. */
  pending = 0
  /** Bytes already handed to the OS. */
  written: number

  constructor(readonly segment: Segment, private readonly hints: HintWriter | undefined) {
    const buf = Buffer.allocUnsafe(APPEND_BUFFER_BYTES)
    this.view = { u8: buf, buf }
    this.written = segment.bytes
  }

  /** The file offset the next record gets. */
  get end(): number {
    return this.written + this.pending
  }

  get room(): number {
    return this.view.buf.length - this.pending
  }

  /**
   * Takes the record already built at `view[pending, pending + size)` into the segment; returns its
   * file offset. `hash` goes to the hint file.
   */
  claim(size: number, hash: number): number {
    const offset = this.end
    const at = this.pending
    this.note(this.view.buf, at, hash, offset, size)
    this.pending += size
    this.segment.bytes += size
    return offset
  }

  /** `claim` for a record the caller just built, whose header fields it still has (the put path). */
  claimBuilt(size: number, hash: number, flags: number, keyLength: number, expiresAt: number): number {
    const offset = this.end
    this.hints?.add(flags, this.view.u8, this.pending + HEADER_BYTES, keyLength, hash, offset, size, expiresAt)
    this.pending += size
    this.segment.bytes += size
    return offset
  }

  /** Appends a record built outside the buffer (larger than it); returns its file offset. */
  appendWhole(record: Buffer, hash: number): number {
    this.flush()
    const offset = this.end
    this.note(record, 0, hash, offset, record.length)
    writeFully(this.segment.fd, record, 0, record.length)
    this.written += record.length
    this.segment.bytes += record.length
    this.segment.unsynced = true
    return offset
  }

  /** Hands the buffered records to the OS (one write). */
  flush(): void {
    if (this.pending === 0) return
    writeFully(this.segment.fd, this.view.buf, 0, this.pending)
    this.written += this.pending
    this.pending = 0
    this.segment.unsynced = true
    this.hints?.flush()
  }

  /** Whether the record at `offset` is still in the buffer, not yet in the file. */
  buffered(offset: number): boolean {
    return offset >= this.written
  }

  /** Flushes and writes the hint trailer: from now on the segment is immutable. */
  seal(): void {
    this.flush()
    this.hints?.seal(this.written)
  }

  /** Closes the hint without a trailer (the store is failing: the segment will be scanned on open). */
  abandonHints(): void {
    this.hints?.close()
  }

  private note(buf: Buffer, at: number, hash: number, offset: number, size: number): void {
    if (this.hints === undefined) return
    const flags = buf[at + 5]! & FLAG_TOMBSTONE
    this.hints.add(flags, buf, at + HEADER_BYTES, buf.readUInt16LE(at + 8), hash, offset, size, buf.readDoubleLE(at + 16))
  }
}

export function openSegmentForAppend(path: string, id: number, hintPath: string | undefined): ActiveSegment {
  const fd = fs.openSync(path, 'a+')
  const segment: Segment = { id, fd, bytes: fs.fstatSync(fd).size, live: 0, unsynced: true }
  const hints = hintPath === undefined ? undefined : new HintWriter(fs.openSync(hintPath, 'w'))
  return new ActiveSegment(segment, hints)
}
