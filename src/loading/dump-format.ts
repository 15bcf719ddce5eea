/**
 * The dump file format (version 1), little-endian throughout:
 *
 *   file header, 32 bytes:  "CRTDDUMP" · u32 version · u32 flags (0) · f64 dumpedAt (ms, the cache's clock)
 *                           · u32 reserved (0) · u32 CRC-32 of the 28 bytes before it
 *   blocks, each:           u32 type (1 entries, 2 end) · u32 sequence number (0, 1, 2...) · u32 payload
 *                           length · u32 record count · payload · u32 CRC-32 of header and payload
 *   entries payload:        records, each: u32 key length · u32 value length · u8 kind · 3 bytes 0
 *                           · f64 remaining TTL at dumpedAt (ms; Infinity = none) · key (UTF-8) · value
 *   end block:              count = total records; payload = u32 number of entry blocks · u32 0
 *
 * Values are the stored bytes with their kind byte, exactly as the codec wrote them, so any codec
 * round-trips (a custom codec still needs the same codec to decode). The reader accepts a file only if
 * every checksum, length, count and sequence number agrees and the end block is the last thing in it.
 */
import { crc32 } from '../crc32.js'
import { CortadoError } from '../errors.js'
import * as L from '../layout/constants.generated.js'

const MAGIC = Buffer.from('CRTDDUMP', 'latin1')
export const FORMAT_VERSION = 1
export const FILE_HEADER_BYTES = 32
const BLOCK_HEADER_BYTES = 16
const CRC_BYTES = 4
const RECORD_HEADER_BYTES = 20
const TYPE_ENTRIES = 1
const TYPE_END = 2
/** Blocks are cut at about this size (a record larger than it gets a block of its own). */
export const BLOCK_TARGET_BYTES = 1 << 20
/** Largest payload a reader accepts: beyond any entry a cache can hold, so only corruption gets there. */
const MAX_PAYLOAD_BYTES = 1 << 30
/** The highest value kind this version knows (every KIND_* of the layout spec). */
const MAX_KIND = Math.max(...Object.entries(L).filter(([name]) => name.startsWith('KIND_')).map(([, v]) => Number(v)))

export function badFile(message: string, cause?: unknown): CortadoError {
  return new CortadoError('ERR_BAD_FILE', `not a valid Cortado dump: ${message}`, cause === undefined ? undefined : { cause })
}

export function encodeFileHeader(dumpedAt: number): Buffer {
  const b = Buffer.alloc(FILE_HEADER_BYTES)
  MAGIC.copy(b, 0)
  b.writeUInt32LE(FORMAT_VERSION, 8)
  b.writeUInt32LE(0, 12)
  b.writeDoubleLE(dumpedAt, 16)
  b.writeUInt32LE(0, 24)
  b.writeUInt32LE(crc32(b, 0, 28), 28)
  return b
}

/** Reads the file header; returns dumpedAt. */
export function decodeFileHeader(b: Uint8Array): number {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  if (buf.length < FILE_HEADER_BYTES) throw badFile('shorter than its header')
  if (!buf.subarray(0, 8).equals(MAGIC)) throw badFile('wrong magic (not a dump file)')
  if (buf.readUInt32LE(28) !== crc32(buf, 0, 28)) throw badFile('header checksum mismatch')
  const version = buf.readUInt32LE(8)
  if (version !== FORMAT_VERSION) throw badFile(`format version ${version}, this build reads version ${FORMAT_VERSION}`)
  if (buf.readUInt32LE(12) !== 0) throw badFile('unknown flags')
  const dumpedAt = buf.readDoubleLE(16)
  if (!Number.isFinite(dumpedAt)) throw badFile('bad dump time')
  return dumpedAt
}

/** Accumulates records into blocks. */
export class BlockWriter {
  #parts: Uint8Array[] = []
  #bytes = 0
  #count = 0
  #seq = 0
  #total = 0

  get pendingBytes(): number {
    return this.#bytes
  }

  get total(): number {
    return this.#total
  }

  add(key: string, kind: number, value: Uint8Array, ttl: number): void {
    const keyBytes = Buffer.from(key, 'utf8')
    const h = Buffer.alloc(RECORD_HEADER_BYTES)
    h.writeUInt32LE(keyBytes.length, 0)
    h.writeUInt32LE(value.length, 4)
    h.writeUInt8(kind, 8)
    h.writeDoubleLE(ttl, 12)
    this.#parts.push(h, keyBytes, value)
    this.#bytes += RECORD_HEADER_BYTES + keyBytes.length + value.length
    this.#count++
    this.#total++
  }

  /** The pending records as one block (empty buffer when there are none). */
  takeBlock(): Buffer {
    if (this.#count === 0) return Buffer.alloc(0)
    const block = frame(TYPE_ENTRIES, this.#seq++, this.#count, this.#parts, this.#bytes)
    this.#parts = []
    this.#bytes = 0
    this.#count = 0
    return block
  }

  endBlock(): Buffer {
    const payload = Buffer.alloc(8)
    payload.writeUInt32LE(this.#seq, 0)
    return frame(TYPE_END, this.#seq, this.#total, [payload], payload.length)
  }
}

function frame(type: number, seq: number, count: number, parts: Uint8Array[], payloadBytes: number): Buffer {
  const out = Buffer.allocUnsafe(BLOCK_HEADER_BYTES + payloadBytes + CRC_BYTES)
  out.writeUInt32LE(type, 0)
  out.writeUInt32LE(seq, 4)
  out.writeUInt32LE(payloadBytes, 8)
  out.writeUInt32LE(count, 12)
  let at = BLOCK_HEADER_BYTES
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  out.writeUInt32LE(crc32(out, 0, at), at)
  return out
}

export interface DumpRecord {
  key: string
  kind: number
  value: Uint8Array
  /** Remaining TTL at dump time in ms, Infinity when the entry had none. */
  ttl: number
}

/** Where the reader takes bytes from: `read(position, length)` returns exactly length bytes or fewer at EOF. */
export type ReadAt = (position: number, length: number) => Promise<Uint8Array>

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads and checks a whole dump, calling `onBlock` with each block's records once that block checked
 * out. Throws ERR_BAD_FILE at the first inconsistency. Returns dumpedAt.
 */
export async function readDump(read: ReadAt, size: number, onBlock: (records: DumpRecord[]) => void): Promise<number> {
  const header = await read(0, FILE_HEADER_BYTES)
  const dumpedAt = decodeFileHeader(header)
  let at = FILE_HEADER_BYTES
  let seq = 0
  let total = 0
  for (;;) {
    if (at + BLOCK_HEADER_BYTES + CRC_BYTES > size) throw badFile(`truncated at byte ${at} (no end block)`)
    const h = Buffer.from(await read(at, BLOCK_HEADER_BYTES))
    if (h.length < BLOCK_HEADER_BYTES) throw badFile(`truncated at byte ${at}`)
    const type = h.readUInt32LE(0)
    const blockSeq = h.readUInt32LE(4)
    const length = h.readUInt32LE(8)
    const count = h.readUInt32LE(12)
    if (type !== TYPE_ENTRIES && type !== TYPE_END) throw badFile(`unknown block type ${type} at byte ${at}`)
    if (blockSeq !== seq) throw badFile(`block ${blockSeq} found where block ${seq} was expected (byte ${at})`)
    if (length > MAX_PAYLOAD_BYTES || at + BLOCK_HEADER_BYTES + length + CRC_BYTES > size)
      throw badFile(`block ${seq} at byte ${at} runs past the end of the file (truncated?)`)
    const whole = Buffer.from(await read(at, BLOCK_HEADER_BYTES + length + CRC_BYTES))
    if (whole.length !== BLOCK_HEADER_BYTES + length + CRC_BYTES) throw badFile(`truncated in block ${seq}`)
    if (!whole.subarray(0, BLOCK_HEADER_BYTES).equals(h)) throw badFile(`file changed while being read (block ${seq})`)
    if (whole.readUInt32LE(BLOCK_HEADER_BYTES + length) !== crc32(whole, 0, BLOCK_HEADER_BYTES + length))
      throw badFile(`checksum mismatch in block ${seq} at byte ${at}`)
    const payload = whole.subarray(BLOCK_HEADER_BYTES, BLOCK_HEADER_BYTES + length)
    at += BLOCK_HEADER_BYTES + length + CRC_BYTES
    if (type === TYPE_END) {
      if (length !== 8 || payload.readUInt32LE(0) !== seq || payload.readUInt32LE(4) !== 0) throw badFile('malformed end block')
      if (count !== total) throw badFile(`end block counts ${count} entries, the blocks hold ${total}`)
      if (at !== size) throw badFile(`${size - at} bytes after the end block`)
      return dumpedAt
    }
    onBlock(parseRecords(payload, count, seq))
    total += count
    seq++
  }
}

function parseRecords(p: Buffer, count: number, seq: number): DumpRecord[] {
  const out: DumpRecord[] = []
  let at = 0
  for (let i = 0; i < count; i++) {
    if (at + RECORD_HEADER_BYTES > p.length) throw badFile(`block ${seq}: record ${i} runs past its block`)
    const keyLen = p.readUInt32LE(at)
    const valueLen = p.readUInt32LE(at + 4)
    const kind = p.readUInt8(at + 8)
    const ttl = p.readDoubleLE(at + 12)
    if (p[at + 9] !== 0 || p[at + 10] !== 0 || p[at + 11] !== 0) throw badFile(`block ${seq}: record ${i} has a malformed header`)
    if (keyLen > L.MAX_KEY_BYTES) throw badFile(`block ${seq}: record ${i} has a key of ${keyLen} bytes`)
    if (kind > MAX_KIND) throw badFile(`block ${seq}: record ${i} has unknown kind ${kind}`)
    if (!(ttl > 0)) throw badFile(`block ${seq}: record ${i} has TTL ${ttl}`)
    const keyStart = at + RECORD_HEADER_BYTES
    const valueStart = keyStart + keyLen
    const end = valueStart + valueLen
    if (end > p.length) throw badFile(`block ${seq}: record ${i} runs past its block`)
    let key: string
    try {
      key = utf8.decode(p.subarray(keyStart, valueStart))
    } catch (e) {
      throw badFile(`block ${seq}: record ${i} has a key that is not UTF-8`, e)
    }
    out.push({ key, kind, value: p.subarray(valueStart, end), ttl })
    at = end
  }
  if (at !== p.length) throw badFile(`block ${seq}: ${p.length - at} bytes after its last record`)
  return out
}
