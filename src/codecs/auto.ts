/**
 * The default codec: strings and byte arrays stored raw (no serialization cost), finite numbers as 8
 * bytes, everything else through MessagePack (msgpackr with Maps, Sets, Dates, typed arrays and Errors).
 */
import type { ValueCodec } from './codec.js'
import type { ByteView } from '../text.js'
import { encodeStringInto, encodeStringBytes } from './string.js'
import { bytesKind, copyBytesInto } from './buffer.js'
import { msgpackCodec } from './serialized.js'
import * as L from '../layout/constants.generated.js'

export class AutoCodec<V> implements ValueCodec<V> {
  readonly name = 'auto'
  kind = L.KIND_MSGPACK
  private readonly fallback = msgpackCodec<V>('auto')

  encodeInto(value: V, view: ByteView, offset: number, room: number): number {
    if (typeof value === 'string') return encodeStringInto(this, value, view, offset, room)
    if (typeof value === 'number') {
      if (room < 8) return -1
      this.kind = L.KIND_NUMBER
      view.buf.writeDoubleLE(value, offset)
      return 8
    }
    if (value instanceof Uint8Array) {
      this.kind = bytesKind(value)
      return copyBytesInto(value, view, offset, room)
    }
    const n = this.fallback.encodeInto(value, view, offset, room)
    this.kind = L.KIND_MSGPACK
    return n
  }

  encodeBytes(value: V): Uint8Array {
    if (typeof value === 'string') return encodeStringBytes(this, value)
    if (value instanceof Uint8Array) {
      this.kind = bytesKind(value)
      return value
    }
    if (typeof value === 'number') {
      const b = Buffer.alloc(8)
      b.writeDoubleLE(value, 0)
      this.kind = L.KIND_NUMBER
      return b
    }
    this.kind = L.KIND_MSGPACK
    return this.fallback.encodeBytes(value)
  }

  prepare(value: V): Uint8Array | undefined {
    // Strings, numbers and byte arrays are stored as they are and can't fail; the rest is MessagePack.
    if (typeof value === 'string' || typeof value === 'number' || value instanceof Uint8Array) return undefined
    this.kind = L.KIND_MSGPACK
    return this.fallback.encodeBytes(value)
  }
}
