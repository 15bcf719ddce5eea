/**
 * The bytes a remote store keeps for one entry: a 17-byte header in front of the codec's bytes.
 *
 *   [0]      format version (1)
 *   [1..8]   expiry, float64 big-endian, milliseconds since the epoch by the writer's clock; 0 = never
 *   [9..16]  the TTL the writer asked for, float64 big-endian, milliseconds; 0 = never
 *   [17..]   the value
 *
 * Why carry the expiry in the value when the servers expire keys themselves: an L2 hit must fill L1
 * with the *remaining* TTL, and reading it from the server would cost a second command per key
 * (PTTL after every GET, and memcached's binary protocol has no way to read it at all). With the
 * expiry in the value, a batch of N keys stays one MGET. The writer's and reader's clocks may differ;
 * the remaining TTL is therefore capped by the TTL the writer asked for, so a reader whose clock lags
 * never keeps an entry longer than its full TTL, and the server still expires it by its own clock.
 */
import { CortadoError } from '../errors.js'
import type { RemoteEntry } from './remote-store.js'

const VERSION = 1
/** Bytes in front of the value. */
export const HEADER_BYTES = 17

/** Header + value in one fresh Buffer (the clients want a Buffer; this is the only copy made). */
export function wrap(value: Uint8Array, ttl: number, now: number): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + value.byteLength)
  out[0] = VERSION
  out.writeDoubleBE(ttl > 0 ? now + ttl : 0, 1)
  out.writeDoubleBE(ttl, 9)
  out.set(value, HEADER_BYTES)
  return out
}

/**
 * The entry inside `bytes`, or `undefined` when it has expired by the reader's clock (servers expire
 * at their own pace, memcached only to the second). Throws `ERR_DECODE` for bytes that were not
 * written through an envelope, e.g. a key another program wrote under the same name.
 */
export function unwrap(bytes: Uint8Array, now: number): RemoteEntry | undefined {
  if (bytes.byteLength < HEADER_BYTES || bytes[0] !== VERSION) {
    throw new CortadoError('ERR_DECODE', 'remote value has no Cortado envelope (written by another program?)')
  }
  // The clients hand back Buffers; reading through Buffer avoids a DataView per entry in a batch.
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const expiresAt = buf.readDoubleBE(1)
  const ttl = buf.readDoubleBE(9)
  const value = bytes.subarray(HEADER_BYTES)
  if (expiresAt === 0) return { value, ttl: Infinity }
  const remaining = Math.min(ttl, expiresAt - now)
  return remaining > 0 ? { value, ttl: remaining } : undefined
}
