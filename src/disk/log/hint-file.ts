/**
 * Hint files (Bitcask): beside a sealed segment, one small entry per record of it (key, hash, where the
 * record is, its size, expiry and tombstone flag), in the segment's order. Opening a store applies hints
 * instead of reading and checksumming whole segments.
 *
 * Entry: u8 flags, u8 0, u16 key length, u32 key hash, u32 record offset, u32 record size, f64 expiry,
 * key bytes. The trailer, written when the segment is sealed, holds the entry count, the segment's size
 * and a CRC-32C of every entry: a hint without a whole trailer (a crash while it was written), with a
 * checksum mismatch or for a segment of another size is ignored, and the segment is scanned instead.
 */
import * as fs from 'node:fs'
import { crc32c } from './crc32c.js'
import { writeFully } from './files.js'

export const HINT_ENTRY_BYTES = 24
const TRAILER_BYTES = 24
const TRAILER_MAGIC = 0x31544e48 // 'HNT1'
const BUFFER_BYTES = 64 * 1024

export class HintWriter {
  private buf = Buffer.allocUnsafe(BUFFER_BYTES)
  private used = 0
  private crc = 0
  private entries = 0
  private closed = false

  constructor(readonly fd: number) {}

  add(flags: number, key: Uint8Array, keyStart: number, keyLength: number, hash: number, offset: number, size: number, expiresAt: number): void {
    const n = HINT_ENTRY_BYTES + keyLength
    if (this.used + n > this.buf.length) {
      this.flush()
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n)
    }
    const b = this.buf
    const at = this.used
    b[at] = flags
    b[at + 1] = 0
    b.writeUInt16LE(keyLength, at + 2)
    b.writeUInt32LE(hash, at + 4)
    b.writeUInt32LE(offset, at + 8)
    b.writeUInt32LE(size, at + 12)
    b.writeDoubleLE(expiresAt, at + 16)
    b.set(key.subarray(keyStart, keyStart + keyLength), at + HINT_ENTRY_BYTES)
    this.used += n
    this.entries++
  }

  flush(): void {
    if (this.used === 0) return
    this.crc = crc32c(this.buf, 0, this.used, this.crc)
    writeFully(this.fd, this.buf, 0, this.used)
    this.used = 0
  }

  /** Writes the trailer that makes the hint usable for a segment of `logBytes` bytes, and closes it. */
  seal(logBytes: number): void {
    this.flush()
    const t = Buffer.alloc(TRAILER_BYTES)
    t.writeUInt32LE(this.entries, 0)
    t.writeDoubleLE(logBytes, 4)
    t.writeUInt32LE(this.crc, 12)
    t.writeUInt32LE(TRAILER_MAGIC, 16)
    writeFully(this.fd, t, 0, TRAILER_BYTES)
    this.close()
  }

  /** Closes without a trailer: the hint will be ignored. */
  close(): void {
    if (this.closed) return
    this.closed = true
    fs.closeSync(this.fd)
  }
}

/** One entry as `readHints` hands it over (fields reused between calls). */
export interface HintEntry {
  flags: number
  hash: number
  offset: number
  size: number
  expiresAt: number
  keyStart: number
  keyLength: number
}

/**
 * Reads a hint file and calls `apply` for every entry (key bytes in `bytes[keyStart, keyStart + keyLength)`).
 * Returns false, having applied nothing, when the hint is unusable for a segment of `logBytes` bytes.
 */
export function readHints(path: string, logBytes: number, apply: (bytes: Buffer, entry: HintEntry) => void): boolean {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(path)
  } catch {
    return false
  }
  if (bytes.length < TRAILER_BYTES) return false
  const body = bytes.length - TRAILER_BYTES
  if (bytes.readUInt32LE(body + 16) !== TRAILER_MAGIC) return false
  if (bytes.readDoubleLE(body + 4) !== logBytes) return false
  if (bytes.readUInt32LE(body + 12) !== crc32c(bytes, 0, body)) return false
  const count = bytes.readUInt32LE(body)
  // Walk once to check the entries fill the body exactly before applying any.
  let at = 0
  for (let i = 0; i < count; i++) {
    if (at + HINT_ENTRY_BYTES > body) return false
    at += HINT_ENTRY_BYTES + bytes.readUInt16LE(at + 2)
  }
  if (at !== body) return false
  const e: HintEntry = { flags: 0, hash: 0, offset: 0, size: 0, expiresAt: 0, keyStart: 0, keyLength: 0 }
  at = 0
  for (let i = 0; i < count; i++) {
    e.flags = bytes[at]!
    e.keyLength = bytes.readUInt16LE(at + 2)
    e.hash = bytes.readUInt32LE(at + 4)
    e.offset = bytes.readUInt32LE(at + 8)
    e.size = bytes.readUInt32LE(at + 12)
    e.expiresAt = bytes.readDoubleLE(at + 16)
    e.keyStart = at + HINT_ENTRY_BYTES
    apply(bytes, e)
    at = e.keyStart + e.keyLength
  }
  return true
}
