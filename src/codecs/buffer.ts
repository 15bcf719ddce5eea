/** Raw bytes: Buffers come back as Buffers, other Uint8Arrays as Uint8Arrays (always fresh copies). */
import type { ValueCodec } from './codec.js'
import type { ByteView } from '../text.js'
import { CortadoError } from '../errors.js'
import * as L from '../layout/constants.generated.js'

export function bytesKind(value: Uint8Array): number {
  return Buffer.isBuffer(value) ? L.KIND_BUFFER : L.KIND_BYTES
}

export function copyBytesInto(value: Uint8Array, view: ByteView, offset: number, room: number): number {
  if (value.length > room) return -1
  view.u8.set(value, offset)
  return value.length
}

export class BufferCodec implements ValueCodec<Uint8Array> {
  readonly name = 'buffer'
  kind = L.KIND_BUFFER

  encodeInto(value: Uint8Array, view: ByteView, offset: number, room: number): number {
    if (!(value instanceof Uint8Array)) throw notBytes(value)
    this.kind = bytesKind(value)
    return copyBytesInto(value, view, offset, room)
  }

  encodeBytes(value: Uint8Array): Uint8Array {
    if (!(value instanceof Uint8Array)) throw notBytes(value)
    this.kind = bytesKind(value)
    return value
  }

  prepare(value: Uint8Array): undefined {
    if (!(value instanceof Uint8Array)) throw notBytes(value)
    return undefined
  }
}

function notBytes(value: unknown): CortadoError {
  return new CortadoError('ERR_INVALID_VALUE', `the 'buffer' codec stores Uint8Array/Buffer values, got ${typeof value}`)
}
