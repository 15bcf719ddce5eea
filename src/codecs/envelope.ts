/**
 * Entries stored with loading metadata (kind KIND_LOADED): the value's own kind and bytes behind a
 * 24-byte header holding its soft and hard expiry and how long its load took (X-Fetch's delta), or a
 * cached failure (negative caching). The metadata lives in the entry so every thread sees it.
 *
 *   0  u8   version (1)
 *   1  u8   flags: 1 = carries a value, 2 = carries an error (JSON of a SerializedError)
 *   2  u8   kind of the value
 *   3  u8   reserved
 *   4  f32  load time in ms
 *   8  f64  soft expiry (absolute, the cache's clock; Infinity = none)
 *   16 f64  hard expiry (absolute; Infinity = none). The entry itself may outlive it (staleIfError).
 *   24      value bytes | error JSON
 *
 * Plain reads (`cache.get`, iteration) see through the envelope: they decode the inner value, and a
 * cached failure, or a value past its hard expiry (kept for staleIfError), reads as a miss
 * (envelopeHidden; the engine core checks it, as only it knows the clock). What `getOrLoad` needs beyond the value is written by the decode
 * into the EnvelopeMeta its read passed down (one lookup gives value and metadata); a read that passes
 * none (every plain get, a custom decode reading another entry) writes nothing.
 *
 * The format lives with the codecs (it is a stored kind, KIND_LOADED); the loading layer builds on it.
 */
import { CortadoError, type CortadoErrorCode } from '../errors.js'
import * as L from '../layout/constants.generated.js'

export const ENVELOPE_HEADER_BYTES = 24
const VERSION = 1
const HAS_VALUE = 1
const HAS_ERROR = 2

/** A loader failure as plain data (it crosses threads and lives in negative-cache entries). */
export interface SerializedError {
  code: CortadoErrorCode
  message: string
  cause?: { name: string; message: string; stack?: string; code?: string | number }
}

export function isSerializedError(value: unknown): value is SerializedError {
  const v = value as SerializedError | null
  return typeof v === 'object' && v !== null && typeof v.code === 'string' && typeof v.message === 'string'
}

/** What the decode of a read's envelope found (filled by that read only). */
export interface EnvelopeMeta {
  present: boolean
  error: SerializedError | undefined
  softExpiry: number
  hardExpiry: number
  loadMs: number
}

/** A fresh, empty EnvelopeMeta to pass to a read. */
export function newEnvelopeMeta(): EnvelopeMeta {
  return { present: false, error: undefined, softExpiry: Infinity, hardExpiry: Infinity, loadMs: 0 }
}

type DecodeOwned = (kind: number, bytes: Uint8Array, userDecode: ((bytes: Uint8Array) => unknown) | undefined, meta?: EnvelopeMeta) => unknown

function corrupt(what: string): CortadoError {
  return new CortadoError('ERR_DECODE', `malformed loaded entry: ${what}`)
}

/** Decodes an envelope (called by the codecs for KIND_LOADED); its metadata goes to `meta` when given. */
export function decodeEnvelope(bytes: Uint8Array, userDecode: ((bytes: Uint8Array) => unknown) | undefined, decodeOwned: DecodeOwned, meta: EnvelopeMeta | undefined): unknown {
  if (bytes.length < ENVELOPE_HEADER_BYTES || bytes[0] !== VERSION) throw corrupt('unknown version or short header')
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const flags = bytes[1]
  if (meta) {
    meta.present = true
    meta.loadMs = dv.getFloat32(4, true)
    meta.softExpiry = dv.getFloat64(8, true)
    meta.hardExpiry = dv.getFloat64(16, true)
    meta.error = undefined
  }
  const body = bytes.subarray(ENVELOPE_HEADER_BYTES)
  if ((flags & HAS_ERROR) !== 0) {
    let parsed: unknown
    try {
      parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'))
    } catch {
      throw corrupt('error record is not JSON')
    }
    if (!isSerializedError(parsed)) throw corrupt('error record has no code')
    if (meta) meta.error = parsed
    return undefined
  }
  if ((flags & HAS_VALUE) === 0) throw corrupt('neither a value nor an error')
  const kind = bytes[2]
  if (kind === L.KIND_LOADED) throw corrupt('nested envelope')
  return decodeOwned(kind, body, userDecode)
}

function header(length: number, flags: number, kind: number, loadMs: number, soft: number, hard: number): { out: Uint8Array; dv: DataView } {
  const out = new Uint8Array(ENVELOPE_HEADER_BYTES + length)
  const dv = new DataView(out.buffer)
  out[0] = VERSION
  out[1] = flags
  out[2] = kind
  dv.setFloat32(4, loadMs, true)
  dv.setFloat64(8, soft, true)
  dv.setFloat64(16, hard, true)
  return { out, dv }
}

export function encodeValueEnvelope(kind: number, bytes: Uint8Array, loadMs: number, softExpiry: number, hardExpiry: number): Uint8Array {
  const { out } = header(bytes.length, HAS_VALUE, kind, loadMs, softExpiry, hardExpiry)
  out.set(bytes, ENVELOPE_HEADER_BYTES)
  return out
}

export function encodeErrorEnvelope(error: SerializedError, loadMs: number): Uint8Array {
  const json = Buffer.from(JSON.stringify(error), 'utf8')
  const { out } = header(json.length, HAS_ERROR, 0, loadMs, Infinity, Infinity)
  out.set(json, ENVELOPE_HEADER_BYTES)
  return out
}

/** Whether stored bytes of kind KIND_LOADED hold a cached failure (dumps skip those). */
export function isErrorEnvelope(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && (bytes[1] & HAS_ERROR) !== 0
}

/**
 * Whether an entry of kind KIND_LOADED (`head`: at least its first 2 bytes, 24 to see its expiry) is
 * no value for plain reads at `now`: a cached failure, or a value past its hard expiry that the entry
 * keeps only for getOrLoad's staleIfError. Plain reads take such an entry for a miss.
 */
export function envelopeHidden(head: Uint8Array, now: number): boolean {
  if (head.length < 2) return false
  if ((head[1] & HAS_ERROR) !== 0) return true
  return now >= 0 && envelopeHardExpiry(head) <= now
}

/** One f64 of scratch, read as bytes: the hard expiry is copied through it. */
const F64 = new Float64Array(1)
const F64_BYTES = new Uint8Array(F64.buffer)
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** The hard expiry an envelope's header holds (Infinity when none, or too short to tell). */
export function envelopeHardExpiry(head: Uint8Array): number {
  if (head.length < ENVELOPE_HEADER_BYTES) return Infinity
  // Read through one scratch word, not a DataView per call: every plain read of a loaded value asks.
  for (let i = 0; i < 8; i++) F64_BYTES[LITTLE_ENDIAN ? i : 7 - i] = head[16 + i]!
  return F64[0]!
}

