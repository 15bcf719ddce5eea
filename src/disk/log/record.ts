/**
 * The on-disk record, the unit of the log. Every put and delete appends one:
 *
 *   0  u32  CRC-32C of bytes [4, size): header rest + key + value, so a torn or flipped record never passes
 *   4  u8   MAGIC, so a scan that lost its place (a corrupt length) can find the next record start
 *   5  u8   flags (FLAG_TOMBSTONE)
 *   6  u8   value kind (the codec's KIND_*, so decoding never depends on the reader's codec option)
 *   7  u8   0
 *   8  u16  key length (UTF-8 bytes)
 *   10 u16  0
 *   12 u32  value length
 *   16 f64  expiry, ms since the epoch; 0 = never
 *   24      key bytes, then value bytes
 *
 * Little-endian throughout.
 */
import { crc32c } from './crc32c.js'

export const HEADER_BYTES = 24
export const MAGIC = 0xa5
export const FLAG_TOMBSTONE = 1
/** A value longer than this is refused (a u32 length; Buffers cap lower anyway). */
export const MAX_VALUE_BYTES = 0x7fff_0000

export function recordBytes(keyLength: number, valueLength: number): number {
  return HEADER_BYTES + keyLength + valueLength
}

/** Writes the header of a record whose key and value are already at `at + HEADER_BYTES`, then its checksum. */
export function sealRecord(buf: Buffer, at: number, flags: number, kind: number, keyLength: number, valueLength: number, expiresAt: number): number {
  // Byte stores rather than Buffer's write* helpers: this runs once per put.
  buf[at + 4] = MAGIC
  buf[at + 5] = flags
  buf[at + 6] = kind
  buf[at + 7] = 0
  buf[at + 8] = keyLength
  buf[at + 9] = keyLength >>> 8
  buf[at + 10] = 0
  buf[at + 11] = 0
  putU32(buf, at + 12, valueLength)
  if (expiresAt === 0) putU32(buf, at + 16, 0), putU32(buf, at + 20, 0)
  else buf.writeDoubleLE(expiresAt, at + 16)
  const size = HEADER_BYTES + keyLength + valueLength
  putU32(buf, at, crc32c(buf, at + 4, at + size))
  return size
}

/** Little-endian u32 store. */
export function putU32(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v
  buf[at + 1] = v >>> 8
  buf[at + 2] = v >>> 16
  buf[at + 3] = v >>> 24
}

/** What a scan learns about the record at some offset. */
export interface RecordHeader {
  flags: number
  kind: number
  keyLength: number
  valueLength: number
  expiresAt: number
  size: number
}

/**
 * Reads and checks the record at `at`, with `available` bytes of it in `buf`. Returns its header, or
 * 'short' when the header says more bytes than `available` (read more, or a torn tail), or 'bad' when it
 * is not a whole, intact record (wrong magic, impossible lengths, checksum mismatch).
 */
export function checkRecord(buf: Buffer, at: number, available: number, out: RecordHeader): 'ok' | 'short' | 'bad' {
  if (available < HEADER_BYTES) return 'short'
  if (buf[at + 4] !== MAGIC || buf[at + 7] !== 0 || buf[at + 10] !== 0 || buf[at + 11] !== 0) return 'bad'
  const flags = buf[at + 5]!
  if ((flags & ~FLAG_TOMBSTONE) !== 0) return 'bad'
  const keyLength = buf.readUInt16LE(at + 8)
  const valueLength = buf.readUInt32LE(at + 12)
  if (valueLength > MAX_VALUE_BYTES) return 'bad'
  const size = HEADER_BYTES + keyLength + valueLength
  if (size > available) return 'short'
  if (buf.readUInt32LE(at) !== crc32c(buf, at + 4, at + size)) return 'bad'
  out.flags = flags
  out.kind = buf[at + 6]!
  out.keyLength = keyLength
  out.valueLength = valueLength
  out.expiresAt = buf.readDoubleLE(at + 16)
  out.size = size
  return 'ok'
}

export function newHeader(): RecordHeader {
  return { flags: 0, kind: 0, keyLength: 0, valueLength: 0, expiresAt: 0, size: 0 }
}
