/** Typed views over one arena's memory, made once per thread (the memory never grows). */
import type { ByteView } from '../text.js'

export interface ArenaViews extends ByteView {
  u8: Uint8Array
  buf: Buffer
  i32: Int32Array
  u32: Uint32Array
  f64: Float64Array
  u64: BigUint64Array
  dv: DataView
}

export function makeViews(buffer: ArrayBufferLike): ArenaViews {
  return {
    u8: new Uint8Array(buffer),
    buf: Buffer.from(buffer as ArrayBuffer),
    i32: new Int32Array(buffer),
    u32: new Uint32Array(buffer),
    f64: new Float64Array(buffer),
    u64: new BigUint64Array(buffer),
    dv: new DataView(buffer as ArrayBuffer),
  }
}
