/**
 * Decoding by kind: the one place that knows what each stored kind byte means. Strings and numbers
 * are read straight from the arena (decodeDirect); everything else is first copied out of the arena
 * (the copy is what a lock-free read validates) and then decoded from that copy (decodeOwned).
 */
import { deserialize } from 'node:v8'
import { unpack } from './msgpack.js'
import { readLatin1, readUtf8, readUtf16, type ByteView } from '../text.js'
import { CortadoError } from '../errors.js'
import { copyOut } from './copy-out.js'
import { decodeEnvelope, type EnvelopeMeta } from './envelope.js'
import * as L from '../layout/constants.generated.js'

export type UserDecode = ((bytes: Uint8Array) => unknown) | undefined

/** Kinds decoded straight from the arena bytes. */
export function isDirectKind(kind: number): boolean {
  return kind === L.KIND_LATIN1 || kind === L.KIND_UTF8 || kind === L.KIND_NUMBER || kind === L.KIND_UTF16
}

export function decodeDirect(view: ByteView, kind: number, start: number, end: number): unknown {
  switch (kind) {
    case L.KIND_LATIN1: return readLatin1(view, start, end)
    case L.KIND_UTF8: return readUtf8(view, start, end)
    case L.KIND_NUMBER: return view.buf.readDoubleLE(start)
    case L.KIND_UTF16: return readUtf16(view, start, end)
    default: throw new CortadoError('ERR_DECODE', `kind ${kind} is not decoded in place`)
  }
}

/** MessagePack bytes msgpackr can't read (damaged, or written by an encoder it doesn't follow) are a typed error. */
function unpackOrExplain(bytes: Uint8Array): unknown {
  try {
    return unpack(bytes)
  } catch (err) {
    throw new CortadoError('ERR_DECODE',
      `a value stored with MessagePack (the default codec for objects) cannot be read back: ${(err as Error).message}; if values like this keep failing, store them with codec: 'v8'`, { cause: err })
  }
}

/** A custom codec's decode; its failure is typed, as its encode's is (ERR_INVALID_VALUE, serialized.ts). */
function decodeUser(userDecode: NonNullable<UserDecode>, bytes: Uint8Array): unknown {
  let value: unknown
  try {
    value = userDecode(bytes)
  } catch (err) {
    if (err instanceof CortadoError) throw err
    throw new CortadoError('ERR_DECODE', `the custom codec's decode failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  // undefined is how every read says "miss": a stored entry that decodes to it would be present for
  // has() and absent for get(). set() refuses undefined for the same reason (ERR_INVALID_VALUE).
  if (value === undefined)
    throw new CortadoError('ERR_DECODE', "the custom codec's decode returned undefined, which reads as a miss; return null (or another value) for an empty value")
  return value
}

/** Decodes bytes that were already copied out of the arena (they may be kept as they are). */
export function decodeOwned(kind: number, bytes: Uint8Array, userDecode: UserDecode, meta?: EnvelopeMeta): unknown {
  switch (kind) {
    case L.KIND_BYTES: return bytes
    case L.KIND_BUFFER: return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    case L.KIND_MSGPACK: return unpackOrExplain(bytes)
    case L.KIND_JSON: return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
    case L.KIND_V8: return deserialize(bytes)
    case L.KIND_USER:
      if (!userDecode)
        throw new CortadoError('ERR_DECODE', 'this entry was stored with a custom codec; attach the cache with the same codec')
      return decodeUser(userDecode, bytes)
    // A value stored by getOrLoad with its loading metadata (envelope.ts), which goes to `meta`.
    case L.KIND_LOADED: return decodeEnvelope(bytes, userDecode, decodeOwned, meta)
    default:
      if (isDirectKind(kind)) {
        const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        return decodeDirect({ u8: bytes, buf }, kind, 0, bytes.length)
      }
      throw new CortadoError('ERR_DECODE', `unknown value kind ${kind}`)
  }
}

/**
 * First half of a lock-free read: takes the value's bytes out of the arena (a direct kind decoded, any
 * other copied). Safe on bytes a writer is changing; the caller validates before finishKind.
 */
export function takeKind(view: ByteView, kind: number, start: number, end: number): unknown {
  // Latin-1 first: the commonest kind, without decodeDirect's switch.
  return kind === L.KIND_LATIN1 ? view.buf.latin1Slice(start, end)
    : isDirectKind(kind) ? decodeDirect(view, kind, start, end) : copyOut(view.u8, start, end, kind === L.KIND_BUFFER)
}

/** Second half, once the taken bytes are known whole: decodes a copy (direct kinds are done already). */
export function finishKind(kind: number, taken: unknown, userDecode: UserDecode, meta?: EnvelopeMeta): unknown {
  return isDirectKind(kind) ? taken : decodeOwned(kind, taken as Uint8Array, userDecode, meta)
}

/** Decodes a value in the arena (under a lock, or where validation is the caller's business). */
export function decodeKind(view: ByteView, kind: number, start: number, end: number, userDecode: UserDecode, meta?: EnvelopeMeta): unknown {
  return finishKind(kind, takeKind(view, kind, start, end), userDecode, meta)
}
