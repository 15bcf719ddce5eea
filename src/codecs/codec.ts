/**
 * How values become bytes in the arena. Every stored value carries a one-byte "kind" (KIND_* in the
 * layout spec), so decoding never depends on which codec the reading thread was configured with: a
 * cache attached in a worker decodes what another thread stored, whatever its codec option.
 */
import type { ByteView } from '../text.js'

export interface ValueCodec<V> {
  readonly name: string
  /**
   * Encodes `value` into `view` at `offset` when it fits in `room` bytes and returns its length (the
   * kind is left in `kind`); returns -1 when it does not fit, and then `encodeBytes` must be used.
   * Throws CortadoError ERR_INVALID_VALUE for values it cannot encode.
   */
  encodeInto(value: V, view: ByteView, offset: number, room: number): number
  /** The bytes of `value` as a standalone array (for values larger than the scratch area). */
  encodeBytes(value: V): Uint8Array
  /**
   * Checks `value` before a batch (setMany) stores anything: throws what encodeInto would throw. Returns
   * the encoded bytes when making them is the only way to check (serializing codecs; the kind is then
   * left in `kind`), or undefined when encodeInto cannot fail for this value.
   */
  prepare(value: V): Uint8Array | undefined
  /** The kind of the last value encoded by encodeInto/encodeBytes/prepare. */
  kind: number
}

export type Decoder = (view: ByteView, kind: number, start: number, end: number) => unknown
