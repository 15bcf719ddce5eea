/**
 * The metadata stored at the front of every blob file, so that metadata and data are swapped by one
 * rename (a sidecar file could pair an old header with new data). Layout, little-endian:
 *
 *   0  magic 'CBL1'        4  version u8 (1 or 2)  5  etag length u8     6  key length u16
 *   8  content-type length u16                  10 flags u16            12 header length u32 (= data offset)
 *   16 data size f64       24 expiry f64 (ms since the epoch, 0 = none)                 32 created f64 (ms)
 *   40 CRC-32 of the header with this field zeroed                     44 CRC-32 of the data (flag DATA_CRC)
 *   version 2 only: 48 boot id (16 bytes: the boot that wrote the file; flag UNFLUSHED)
 *   48 (version 1) or 64 (version 2): key (UTF-8), content type (latin1), etag (latin1)
 *
 * Version 1 is what a put that flushed its data before the rename writes (durability 'os'): such a file
 * cannot be torn by a crash, so its data CRC is never required. Releases before the data CRC wrote
 * flags 0 and ignore the flags and data CRC fields (they were reserved), so they read these files.
 * Version 2 is what a put that did not flush before its rename writes ('os-or-miss', 'process'): its
 * data is checked against the CRC before its first use unless the boot id is the current one (see
 * checksum.ts). Releases before version 2 read it as corrupt (a miss, never wrong data).
 *
 * Every length is known before the data is streamed, so a writer reserves the header, streams the data
 * after it and fills in size and data CRC at the end. A reader checks the header CRC and that the file is
 * exactly header + size bytes long: anything else is corrupt and reads as a miss.
 */
import { dataCrc32 } from './checksum.js'

const MAGIC = 0x314c4243 // 'CBL1' read as little-endian u32
const FIXED_V1 = 48
const FIXED_V2 = 64
/** Flags: the data CRC field holds the data's CRC-32. */
const DATA_CRC = 1
/** Flags: the data was not flushed before the rename; the boot id says which boot wrote it. */
const UNFLUSHED = 2
export const MAX_CONTENT_TYPE_BYTES = 255
export const MAX_ETAG_BYTES = 255
/** One read of this many bytes always holds the whole header (64 + 1024 + 255 + 255). */
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
  /** CRC-32 of the data; undefined in files written before it was stored. */
  dataCrc: number | undefined
  /**
   * For a file whose data was not flushed before its rename: the boot that wrote it (32 hex digits).
   * Undefined when the data was flushed first (such a file cannot be torn).
   */
  unflushedBoot: string | undefined
}

export type HeaderFields = Omit<BlobMeta, 'headerLen' | 'size' | 'dataCrc' | 'unflushedBoot'>

/** How the file is sealed: the data's CRC, and the boot id when the data is not flushed before the rename. */
export interface Seal {
  dataCrc: number
  /** 16 bytes; present = version 2, flag UNFLUSHED. */
  unflushedBoot: Uint8Array | undefined
}

export function headerLength(fields: HeaderFields, unflushed: boolean): number {
  return (unflushed ? FIXED_V2 : FIXED_V1) + Buffer.byteLength(fields.key) + (fields.contentType?.length ?? 0) + fields.etag.length
}

export function encodeHeader(fields: HeaderFields, size: number, seal: Seal): Buffer {
  const key = Buffer.from(fields.key)
  const contentType = Buffer.from(fields.contentType ?? '', 'latin1')
  const etag = Buffer.from(fields.etag, 'latin1')
  const fixed = seal.unflushedBoot ? FIXED_V2 : FIXED_V1
  const headerLen = fixed + key.length + contentType.length + etag.length
  const b = Buffer.alloc(headerLen)
  b.writeUInt32LE(MAGIC, 0)
  b.writeUInt8(seal.unflushedBoot ? 2 : 1, 4)
  b.writeUInt8(etag.length, 5)
  b.writeUInt16LE(key.length, 6)
  b.writeUInt16LE(contentType.length, 8)
  b.writeUInt16LE(seal.unflushedBoot ? DATA_CRC | UNFLUSHED : DATA_CRC, 10)
  b.writeUInt32LE(headerLen, 12)
  b.writeDoubleLE(size, 16)
  b.writeDoubleLE(fields.expiry ?? 0, 24)
  b.writeDoubleLE(fields.created, 32)
  b.writeUInt32LE(seal.dataCrc >>> 0, 44)
  if (seal.unflushedBoot) b.set(seal.unflushedBoot.subarray(0, 16), 48)
  key.copy(b, fixed)
  contentType.copy(b, fixed + key.length)
  etag.copy(b, fixed + key.length + contentType.length)
  b.writeUInt32LE(dataCrc32(b), 40)
  return b
}

/**
 * The header at the start of `bytes` for a file of `fileSize` bytes, or undefined when corrupt. Without
 * `fileSize` the caller checks the length itself (header + size must be the file's length).
 */
export function decodeHeader(bytes: Uint8Array, fileSize: number | undefined): BlobMeta | undefined {
  if (bytes.length < FIXED_V1) return undefined
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const version = b.readUInt8(4)
  if (b.readUInt32LE(0) !== MAGIC || (version !== 1 && version !== 2)) return undefined
  const fixed = version === 2 ? FIXED_V2 : FIXED_V1
  const etagLen = b.readUInt8(5)
  const keyLen = b.readUInt16LE(6)
  const typeLen = b.readUInt16LE(8)
  const flags = b.readUInt16LE(10)
  const headerLen = b.readUInt32LE(12)
  if (headerLen !== fixed + keyLen + typeLen + etagLen || headerLen > b.length) return undefined
  // Version 2 exists for unflushed files, which always carry their data CRC.
  if ((version === 2) !== ((flags & UNFLUSHED) !== 0) || ((flags & UNFLUSHED) !== 0 && (flags & DATA_CRC) === 0)) return undefined
  const size = b.readDoubleLE(16)
  if (!Number.isSafeInteger(size) || size < 0 || (fileSize !== undefined && headerLen + size !== fileSize)) return undefined
  const stored = b.readUInt32LE(40)
  const header = Buffer.from(b.subarray(0, headerLen))
  header.writeUInt32LE(0, 40)
  if (dataCrc32(header) !== stored) return undefined
  const expiry = b.readDoubleLE(24)
  const typeAt = fixed + keyLen
  return {
    key: b.toString('utf8', fixed, typeAt),
    size,
    expiry: expiry === 0 ? undefined : expiry,
    etag: b.toString('latin1', typeAt + typeLen, headerLen),
    contentType: typeLen === 0 ? undefined : b.toString('latin1', typeAt, typeAt + typeLen),
    created: b.readDoubleLE(32),
    headerLen,
    dataCrc: (flags & DATA_CRC) !== 0 ? b.readUInt32LE(44) : undefined,
    unflushedBoot: version === 2 ? b.toString('hex', 48, 64) : undefined,
  }
}
