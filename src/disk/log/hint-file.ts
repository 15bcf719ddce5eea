/**
 * Hint files (Bitcask): beside a sealed segment, one small entry per record of it (key, hash, where the
 * record is, its size, expiry and tombstone flag), in the segment's order. Opening a store applies hints
 * instead of reading and checksumming whole segments.
 *
 * Entry: u8 flags, u8 0, u16 key length, u32 key hash, u32 record offset, u32 record size, f64 expiry,
 * key bytes. The trailer, written when the segment is sealed, holds the entry count, the segment's size
 * and a checksum of every entry: a hint without a whole trailer (a crash while it was written), with a
 * checksum mismatch or for a segment of another size is ignored, and the segment is scanned instead.
 *
 * Trailer magic 'HNT2': the checksum is the IEEE CRC-32 of zlib.crc32 (native, several times faster than
 * CRC-32C in JS: it runs over every hint byte on open). 'HNT1' (CRC-32C) is what stores written before
 * it hold, and what is written where zlib.crc32 is missing (Node < 20.15): both are read.
 */
import * as fs from 'node:fs'
import * as zlib from 'node:zlib'
import { crc32c } from './crc32c.js'
import { writeFully } from './files.js'
import { putU32 } from './record.js'

export const HINT_ENTRY_BYTES = 24
export const HINT_TRAILER_BYTES = 24
const MAGIC_CRC32C = 0x31544e48 // 'HNT1'
const MAGIC_CRC32 = 0x32544e48 // 'HNT2'
const BUFFER_BYTES = 64 * 1024

type Checksum = (bytes: Uint8Array, start: number, end: number, seed: number) => number
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32
const zlibChecksum: Checksum | undefined = nativeCrc32 === undefined ? undefined
  : (bytes, start, end, seed) => nativeCrc32(bytes.subarray(start, end), seed)
/** What a new hint is checksummed with. */
const WRITE_MAGIC = zlibChecksum === undefined ? MAGIC_CRC32C : MAGIC_CRC32
const writeChecksum: Checksum = zlibChecksum ?? crc32c

function checksumOf(magic: number): Checksum | undefined {
  return magic === MAGIC_CRC32 ? zlibChecksum : magic === MAGIC_CRC32C ? crc32c : undefined
}

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
    // Byte stores and a copy loop: this runs once per put, and the native calls cost more than the bytes.
    b[at] = flags
    b[at + 1] = 0
    b[at + 2] = keyLength
    b[at + 3] = keyLength >>> 8
    putU32(b, at + 4, hash)
    putU32(b, at + 8, offset)
    putU32(b, at + 12, size)
    if (expiresAt === 0) putU32(b, at + 16, 0), putU32(b, at + 20, 0)
    else b.writeDoubleLE(expiresAt, at + 16)
    const to = at + HINT_ENTRY_BYTES - keyStart
    if (keyLength > 64) b.set(key.subarray(keyStart, keyStart + keyLength), at + HINT_ENTRY_BYTES)
    else for (let k = keyStart; k < keyStart + keyLength; k++) b[to + k] = key[k]!
    this.used += n
    this.entries++
  }

  flush(): void {
    if (this.used === 0) return
    this.crc = writeChecksum(this.buf, 0, this.used, this.crc)
    writeFully(this.fd, this.buf, 0, this.used)
    this.used = 0
  }

  /** Writes the trailer that makes the hint usable for a segment of `logBytes` bytes, and closes it. */
  seal(logBytes: number): void {
    this.flush()
    const t = Buffer.alloc(HINT_TRAILER_BYTES)
    t.writeUInt32LE(this.entries, 0)
    t.writeDoubleLE(logBytes, 4)
    t.writeUInt32LE(this.crc, 12)
    t.writeUInt32LE(WRITE_MAGIC, 16)
    writeFully(this.fd, t, 0, HINT_TRAILER_BYTES)
    this.close()
  }

  /** Closes without a trailer: the hint will be ignored. */
  close(): void {
    if (this.closed) return
    this.closed = true
    fs.closeSync(this.fd)
  }
}

/** A hint file read and checked whole: `count` entries in `bytes[0, body)`. */
export interface LoadedHints {
  bytes: Buffer
  count: number
  body: number
}

/** Entry count and key bytes a hint file claims (from its trailer alone), to size the index before loading; undefined when it has none. */
export function peekHints(path: string): { count: number; keyBytes: number } | undefined {
  let fd: number
  try {
    fd = fs.openSync(path, 'r')
  } catch {
    return undefined
  }
  try {
    const size = fs.fstatSync(fd).size
    if (size < HINT_TRAILER_BYTES) return undefined
    const t = Buffer.allocUnsafe(HINT_TRAILER_BYTES)
    if (fs.readSync(fd, t, 0, HINT_TRAILER_BYTES, size - HINT_TRAILER_BYTES) !== HINT_TRAILER_BYTES) return undefined
    if (checksumOf(t.readUInt32LE(16)) === undefined) return undefined
    const count = t.readUInt32LE(0)
    const keyBytes = size - HINT_TRAILER_BYTES - count * HINT_ENTRY_BYTES
    return keyBytes < 0 ? undefined : { count, keyBytes }
  } catch {
    return undefined
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Reads a hint file and checks it whole (trailer, segment size, checksum, entries filling the body
 * exactly); undefined when it is unusable for a segment of `logBytes` bytes. Nothing is applied here.
 */
export function loadHints(path: string, logBytes: number): LoadedHints | undefined {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(path)
  } catch {
    return undefined
  }
  if (bytes.length < HINT_TRAILER_BYTES) return undefined
  const body = bytes.length - HINT_TRAILER_BYTES
  const checksum = checksumOf(bytes.readUInt32LE(body + 16))
  if (checksum === undefined) return undefined
  if (bytes.readDoubleLE(body + 4) !== logBytes) return undefined
  if (bytes.readUInt32LE(body + 12) !== checksum(bytes, 0, body, 0)) return undefined
  const count = bytes.readUInt32LE(body)
  let at = 0
  for (let i = 0; i < count; i++) {
    if (at + HINT_ENTRY_BYTES > body) return undefined
    at += HINT_ENTRY_BYTES + (bytes[at + 2]! | (bytes[at + 3]! << 8))
  }
  if (at !== body) return undefined
  return { bytes, count, body }
}
