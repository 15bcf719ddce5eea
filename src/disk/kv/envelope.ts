/**
 * How LmdbStore and LevelStore keep a value: [u8 kind][f64 expiry, ms since the epoch, 0 = never][bytes]
 * — the same kinds and codecs as the cache and the LogStore, so a value reads back as the type it was.
 */
import { CortadoError } from '../../errors.js'
import { decodeOwned, type ValueCodec } from '../../codecs/index.js'

const HEAD = 9

export function wrapValue<V>(codec: ValueCodec<V>, value: V, expiresAt: number): Buffer {
  if (value === undefined) throw new CortadoError('ERR_INVALID_VALUE', 'undefined cannot be stored (a miss reads as undefined); use delete()')
  const bytes = codec.encodeBytes(value)
  const out = Buffer.allocUnsafe(HEAD + bytes.length)
  out[0] = codec.kind
  out.writeDoubleLE(expiresAt, 1)
  out.set(bytes, HEAD)
  return out
}

export function expiryOf(stored: Uint8Array): number {
  return Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).readDoubleLE(1)
}

export function unwrapValue(stored: Uint8Array, userDecode: ((bytes: Uint8Array) => unknown) | undefined): unknown {
  if (stored.length < HEAD) throw new CortadoError('ERR_DECODE', `a stored value of ${stored.length} bytes is shorter than its header`)
  // decodeOwned may keep the bytes (KIND_BYTES/BUFFER): hand it a copy the store will not reuse.
  return decodeOwned(stored[0]!, new Uint8Array(stored.subarray(HEAD)), userDecode)
}
