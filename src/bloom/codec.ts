/**
 * The serialized form of Bloom filters. Every value is little-endian; one envelope wraps both kinds:
 *
 *   0  "CTBF" magic        4  u16 format version     6  u8 kind (1 fixed, 2 scalable)   7  u8 zero
 *   8  u32 body length    12  body                   12 + length  u32 CRC-32 of everything before it
 *
 * Fixed body:    u32 bits, u32 hashes, u32 seed, u32 count, u32 saturatedAdds, u32 zero,
 *                f64 expectedItems, f64 falsePositiveRate, then the bits as little-endian 32-bit words.
 * Scalable body: f64 initialCapacity, f64 falsePositiveRate, f64 growthFactor, f64 tighteningRatio,
 *                u32 seed, u32 filter count, then per filter a u32 length and a whole fixed envelope.
 *
 * Decoding checks the magic, version, kind, lengths and checksum before it trusts a single field, and
 * then the fields themselves, so truncated or corrupt input is an ERR_BAD_FILE and never a filter that
 * silently answers wrong.
 */
import { CortadoError } from '../errors.js'
import { crc32 } from '../crc32.js'
import { HEADER_WORDS, H_COUNT, H_SATURATED, isValidBitCount, type FilterMemory, type FilterShape } from './layout.js'
import { MAX_HASHES } from './sizing.js'

const MAGIC = [0x43, 0x54, 0x42, 0x46] // "CTBF"
const FORMAT_VERSION = 1
const ENVELOPE_BYTES = 16
const BODY_OFFSET = 12
const FIXED_BODY_BYTES = 40
const SCALABLE_BODY_BYTES = 40

export const KIND_FIXED = 1
export const KIND_SCALABLE = 2
type Kind = typeof KIND_FIXED | typeof KIND_SCALABLE

const KIND_NAMES: Record<Kind, string> = { [KIND_FIXED]: 'BloomFilter', [KIND_SCALABLE]: 'ScalableBloomFilter' }

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

export interface DecodedFilter {
  readonly shape: FilterShape
  readonly count: number
  readonly saturatedAdds: number
  /** The bits as stored (little-endian words); a view into the input, to be copied. */
  readonly bitBytes: Uint8Array
}

export interface ScalableState {
  readonly initialCapacity: number
  readonly falsePositiveRate: number
  readonly growthFactor: number
  readonly tighteningRatio: number
  readonly seed: number
}

export interface DecodedScalable extends ScalableState {
  /** Each filter's whole fixed envelope, a view into the input. */
  readonly filters: Uint8Array[]
}

export function encodeFilter(memory: FilterMemory): Uint8Array {
  const bitBytes = memory.bits / 8
  const { bytes, body } = openForWrite(KIND_FIXED, FIXED_BODY_BYTES + bitBytes)
  const words = memory.words
  body.setUint32(0, memory.bits, true)
  body.setUint32(4, memory.hashes, true)
  body.setUint32(8, memory.seed, true)
  body.setUint32(12, Atomics.load(words, H_COUNT) >>> 0, true)
  body.setUint32(16, Atomics.load(words, H_SATURATED) >>> 0, true)
  body.setFloat64(24, memory.expectedItems, true)
  body.setFloat64(32, memory.falsePositiveRate, true)
  const bitsAt = BODY_OFFSET + FIXED_BODY_BYTES
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(memory.buffer, HEADER_WORDS * 4, bitBytes), bitsAt)
  } else {
    for (let w = 0; w < bitBytes / 4; w++) body.setInt32(FIXED_BODY_BYTES + w * 4, words[HEADER_WORDS + w]!, true)
  }
  seal(bytes)
  return bytes
}

export function decodeFilter(input: unknown): DecodedFilter {
  const { bytes, body, bodyLength } = openForRead(input, KIND_FIXED)
  if (bodyLength < FIXED_BODY_BYTES) badBytes('the fixed filter header is truncated')
  const bits = body.getUint32(0, true)
  const hashes = body.getUint32(4, true)
  const seed = body.getUint32(8, true)
  const count = body.getUint32(12, true)
  const saturatedAdds = body.getUint32(16, true)
  const expectedItems = body.getFloat64(24, true)
  const falsePositiveRate = body.getFloat64(32, true)
  if (!isValidBitCount(bits)) badBytes(`invalid bit count ${bits}`)
  if (bodyLength !== FIXED_BODY_BYTES + bits / 8) badBytes(`the body holds ${bodyLength} bytes, ${bits} bits need ${FIXED_BODY_BYTES + bits / 8}`)
  if (hashes < 1 || hashes > MAX_HASHES) badBytes(`invalid hash count ${hashes}`)
  if (!(expectedItems >= 1 && expectedItems < Infinity)) badBytes(`invalid expectedItems ${expectedItems}`)
  if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) badBytes(`invalid falsePositiveRate ${falsePositiveRate}`)
  if (count > bits || saturatedAdds > count) badBytes(`invalid counters (count ${count}, saturatedAdds ${saturatedAdds})`)
  const start = bytes.byteOffset + BODY_OFFSET + FIXED_BODY_BYTES
  const bitBytes = LITTLE_ENDIAN
    ? new Uint8Array(bytes.buffer, start, bits / 8)
    : swapWords(new Uint8Array(bytes.buffer, start, bits / 8))
  return { shape: { bits, hashes, seed, expectedItems, falsePositiveRate }, count, saturatedAdds, bitBytes }
}

export function encodeScalable(state: ScalableState, filters: readonly Uint8Array[]): Uint8Array {
  let length = SCALABLE_BODY_BYTES
  for (const filter of filters) length += 4 + filter.length
  const { bytes, body } = openForWrite(KIND_SCALABLE, length)
  body.setFloat64(0, state.initialCapacity, true)
  body.setFloat64(8, state.falsePositiveRate, true)
  body.setFloat64(16, state.growthFactor, true)
  body.setFloat64(24, state.tighteningRatio, true)
  body.setUint32(32, state.seed, true)
  body.setUint32(36, filters.length, true)
  let at = SCALABLE_BODY_BYTES
  for (const filter of filters) {
    body.setUint32(at, filter.length, true)
    bytes.set(filter, BODY_OFFSET + at + 4)
    at += 4 + filter.length
  }
  seal(bytes)
  return bytes
}

/** Checks the scalable envelope; the embedded filters are checked by `decodeFilter` one by one. */
export function decodeScalable(input: unknown): DecodedScalable {
  const { bytes, body, bodyLength } = openForRead(input, KIND_SCALABLE)
  if (bodyLength < SCALABLE_BODY_BYTES) badBytes('the scalable filter header is truncated')
  const state: ScalableState = {
    initialCapacity: body.getFloat64(0, true),
    falsePositiveRate: body.getFloat64(8, true),
    growthFactor: body.getFloat64(16, true),
    tighteningRatio: body.getFloat64(24, true),
    seed: body.getUint32(32, true),
  }
  const filterCount = body.getUint32(36, true)
  const filters: Uint8Array[] = []
  let at = SCALABLE_BODY_BYTES
  for (let i = 0; i < filterCount; i++) {
    if (at + 4 > bodyLength) badBytes(`filter ${i} of ${filterCount} is missing`)
    const length = body.getUint32(at, true)
    if (at + 4 + length > bodyLength) badBytes(`filter ${i} of ${filterCount} is truncated`)
    filters.push(bytes.subarray(BODY_OFFSET + at + 4, BODY_OFFSET + at + 4 + length))
    at += 4 + length
  }
  if (at !== bodyLength) badBytes(`${bodyLength - at} unexpected bytes after the last filter`)
  return { ...state, filters }
}

function openForWrite(kind: Kind, bodyLength: number): { bytes: Uint8Array; body: DataView } {
  const bytes = new Uint8Array(ENVELOPE_BYTES + bodyLength)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  view.setUint16(4, FORMAT_VERSION, true)
  view.setUint8(6, kind)
  view.setUint32(8, bodyLength, true)
  return { bytes, body: new DataView(bytes.buffer, BODY_OFFSET, bodyLength) }
}

function seal(bytes: Uint8Array): void {
  const end = bytes.length - 4
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(end, crc32(bytes, 0, end), true)
}

function openForRead(input: unknown, kind: Kind): { bytes: Uint8Array; body: DataView; bodyLength: number } {
  if (!(input instanceof Uint8Array)) {
    throw new CortadoError('ERR_INVALID_OPTION', `${KIND_NAMES[kind]}.fromBytes expects a Uint8Array`)
  }
  const bytes = input
  if (bytes.length < ENVELOPE_BYTES) badBytes(`${bytes.length} bytes is too short to be a Bloom filter`)
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) badBytes('not a Cortado Bloom filter (bad magic)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  const version = view.getUint16(4, true)
  if (version !== FORMAT_VERSION) badBytes(`format version ${version} is not supported (this build reads ${FORMAT_VERSION})`)
  const storedKind = view.getUint8(6)
  if (storedKind !== kind) {
    const name = KIND_NAMES[storedKind as Kind]
    badBytes(name ? `these bytes hold a ${name}; use ${name}.fromBytes` : `unknown filter kind ${storedKind}`)
  }
  const bodyLength = view.getUint32(8, true)
  const expected = ENVELOPE_BYTES + bodyLength
  if (bytes.length < expected) badBytes(`truncated: ${bytes.length} bytes of ${expected}`)
  if (bytes.length > expected) badBytes(`${bytes.length - expected} unexpected bytes after the filter`)
  const stored = view.getUint32(BODY_OFFSET + bodyLength, true)
  const actual = crc32(bytes, 0, BODY_OFFSET + bodyLength)
  if (stored !== actual) badBytes('checksum mismatch: the bytes are corrupt')
  return { bytes, body: new DataView(bytes.buffer, bytes.byteOffset + BODY_OFFSET, bodyLength), bodyLength }
}

function swapWords(littleEndian: Uint8Array): Uint8Array {
  const native = new Uint8Array(littleEndian.length)
  const from = new DataView(littleEndian.buffer, littleEndian.byteOffset, littleEndian.length)
  const to = new DataView(native.buffer)
  for (let at = 0; at < native.length; at += 4) to.setUint32(at, from.getUint32(at, true), false)
  return native
}

export function badBytes(message: string): never {
  throw new CortadoError('ERR_BAD_FILE', `Bloom filter bytes rejected: ${message}`)
}
