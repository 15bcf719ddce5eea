/** Codec selection: built-in codecs by name (re-creatable in any thread) or a user { encode, decode }. */
import type { Codec, CodecName } from '../types.js'
import type { ValueCodec } from './codec.js'
import { StringCodec } from './string.js'
import { BufferCodec } from './buffer.js'
import { AutoCodec } from './auto.js'
import { SerializedCodec, msgpackCodec, v8Codec, jsonCodec } from './serialized.js'
import { CortadoError, shown } from '../errors.js'
import * as L from '../layout/constants.generated.js'

export type { ValueCodec } from './codec.js'
export { decodeKind, decodeOwned, takeKind, finishKind } from './kinds.js'

export const CODEC_NAMES: readonly CodecName[] = ['auto', 'string', 'buffer', 'json', 'msgpack', 'v8']

export interface ResolvedCodec<V> {
  codec: ValueCodec<V>
  /** The name to put in a handle, or undefined for a user codec (the attaching side re-supplies it). */
  name: CodecName | undefined
  userDecode: ((bytes: Uint8Array) => unknown) | undefined
}

export function resolveCodec<V>(option: CodecName | Codec<V> | undefined): ResolvedCodec<V> {
  const name = option ?? 'auto'
  if (typeof name === 'string') {
    switch (name) {
      case 'auto': return { codec: new AutoCodec<V>(), name, userDecode: undefined }
      case 'string': return { codec: new StringCodec() as unknown as ValueCodec<V>, name, userDecode: undefined }
      case 'buffer': return { codec: new BufferCodec() as unknown as ValueCodec<V>, name, userDecode: undefined }
      case 'json': return { codec: jsonCodec<V>(), name, userDecode: undefined }
      case 'msgpack': return { codec: msgpackCodec<V>(), name, userDecode: undefined }
      case 'v8': return { codec: v8Codec<V>(), name, userDecode: undefined }
    }
    throw new CortadoError('ERR_INVALID_OPTION', `codec must be one of ${CODEC_NAMES.join(', ')} or { encode, decode }, got ${shown(name)}`)
  }
  if (typeof name !== 'object' || name === null || typeof name.encode !== 'function' || typeof name.decode !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', 'codec must be a built-in codec name or an object with encode and decode functions')
  const user = name
  return {
    codec: new SerializedCodec<V>('custom', L.KIND_USER, (v) => user.encode(v)),
    name: undefined,
    userDecode: (bytes) => user.decode(bytes),
  }
}
