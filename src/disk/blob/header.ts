/**
 * The metadata stored at the front of every blob file, so that metadata and data are swapped by one
 * rename (a sidecar file could pair an old header with new data). Layout, little-endian:
 *
 *   0  magic 'CBL1'        4  version u8        5  etag length u8     6  key length u16
 *   8  content-type length u16                  10 reserved u16       12 header length u32 (= data offset)
 *   16 data size f64       24 expiry f64 (ms since the epoch, 0 = none)                 32 created f64 (ms)
 *   40 CRC-32 of the header with this field zeroed                     44 reserved u32
 *   48 key (UTF-8), content type (latin1), etag (latin1)
 *
 * Every length is known before the data is streamed, so a writer reserves the header, streams the data
 * after it and fills in the size at the end. A reader checks the CRC and that the file is exactly
 * header + size bytes long: anything else is corrupt and reads as a miss.
 */
import { crc32 } from '../../bloom/crc32.js'

const MAGIC = 0x314c4243 // 'CBL1' read as little-endian u32
const VERSION = 1
const FIXED = 48
export const MAX_CONTENT_TYPE_BYTES = 255
export const MAX_ETAG_BYTES = 255
/** One read of this many bytes always holds the whole header (48 + 1024 + 255 + 255). */
export const HEADER_READ_AHEAD = 2048

export interface BlobMeta {
  key: string
  /** Data bytes (the header not counted). */
  size: number
  /** When the blob expires (ms since the epoch), or undefined for never. */
  expiry: number | undefined
  etag: string
  contentType: string | undefined
  /** When the blob was written (ms since the epoch). */
  created: number
  /** Where the data starts in the file. */
  headerLen: number
}

export type HeaderFields = Omit<BlobMeta, 'headerLen' | 'size'>

export function headerLength(fields: HeaderFields): number {
  return FIXED + Buffer.byteLength(fields.key) + (fields.contentType?.length ?? 0) + fields.etag.length
}

export function encodeHeader(fields: HeaderFields, size: number): Buffer {
  const key = Buffer.from(fields.key)
  const contentType = Buffer.from(fields.contentType ?? '', 'latin1')
  const etag = Buffer.from(fields.etag, 'latin1')
  const headerLen = FIXED + key.length + contentType.length + etag.length
  const b = Buffer.alloc(headerLen)
  b.writeUInt32LE(MAGIC, 0)
  b.writeUInt8(VERSION, 4)
  b.writeUInt8(etag.length, 5)
  b.writeUInt16LE(key.length, 6)
  b.writeUInt16LE(contentType.length, 8)
  b.writeUInt32LE(headerLen, 12)
  b.writeDoubleLE(size, 16)
  b.writeDoubleLE(fields.expiry ?? 0, 24)
  b.writeDoubleLE(fields.created, 32)
  key.copy(b, FIXED)
  contentType.copy(b, FIXED + key.length)
  etag.copy(b, FIXED + key.length + contentType.length)
  b.writeUInt32LE(crc32(b), 40)
  return b
}

/**
 * The header at the start of `bytes` for a file of `fileSize` bytes, or undefined when corrupt. Without
 * `fileSize` the caller checks the length itself (header + size must be the file's length).
 */
export function decodeHeader(bytes: Uint8Array, fileSize: number | undefined): BlobMeta | undefined {
  if (bytes.length < FIXED) return undefined
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  if (b.readUInt32LE(0) !== MAGIC || b.readUInt8(4) !== VERSION) return undefined
  const etagLen = b.readUInt8(5)
  const keyLen = b.readUInt16LE(6)
  const typeLen = b.readUInt16LE(8)
  const headerLen = b.readUInt32LE(12)
  if (headerLen !== FIXED + keyLen + typeLen + etagLen || headerLen > b.length) return undefined
  const size = b.readDoubleLE(16)
  if (!Number.isSafeInteger(size) || size < 0 || (fileSize !== undefined && headerLen + size !== fileSize)) return undefined
  const stored = b.readUInt32LE(40)
  const header = Buffer.from(b.subarray(0, headerLen))
  header.writeUInt32LE(0, 40)
  if (crc32(header) !== stored) return undefined
  const expiry = b.readDoubleLE(24)
  const typeAt = FIXED + keyLen
  return {
    key: b.toString('utf8', FIXED, typeAt),
    size,
    expiry: expiry === 0 ? undefined : expiry,
    etag: b.toString('latin1', typeAt + typeLen, headerLen),
    contentType: typeLen === 0 ? undefined : b.toString('latin1', typeAt, typeAt + typeLen),
    created: b.readDoubleLE(32),
    headerLen,
  }
}
