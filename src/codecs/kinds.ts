/** Decoding by kind: the one place that knows what each stored kind byte means. */
import { deserialize } from 'node:v8'
import { unpack } from './msgpack.js'
import { readLatin1, readUtf8, type ByteView } from '../text.js'
import { CortadoError } from '../errors.js'
import * as L from '../layout/constants.generated.js'

export type UserDecode = ((bytes: Uint8Array) => unknown) | undefined

function copyOut(view: ByteView, start: number, end: number): Uint8Array {
  return view.u8.slice(start, end)
}

export function decodeKind(view: ByteView, kind: number, start: number, end: number, userDecode: UserDecode): unknown {
  switch (kind) {
    case L.KIND_LATIN1: return readLatin1(view, start, end)
    case L.KIND_UTF8: return readUtf8(view, start, end)
    case L.KIND_BUFFER: return Buffer.from(copyOut(view, start, end).buffer)
    case L.KIND_BYTES: return copyOut(view, start, end)
    case L.KIND_NUMBER: return view.buf.readDoubleLE(start)
    case L.KIND_MSGPACK: return unpack(copyOut(view, start, end))
    case L.KIND_JSON: return JSON.parse(readUtf8(view, start, end))
    case L.KIND_V8: return deserialize(copyOut(view, start, end))
    case L.KIND_USER:
      if (!userDecode)
        throw new CortadoError('ERR_DECODE', 'this entry was stored with a custom codec; attach the cache with the same codec')
      return userDecode(copyOut(view, start, end))
    default:
      throw new CortadoError('ERR_DECODE', `unknown value kind ${kind}`)
  }
}
