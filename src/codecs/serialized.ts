/**
 * Codecs that turn a value into a standalone byte array first (msgpack, v8, json, user codecs).
 * One class: they differ only in the function that makes the bytes and the kind they record.
 */
import { serialize } from 'node:v8'
import type { ValueCodec } from './codec.js'
import type { ByteView } from '../text.js'
import { pack } from './msgpack.js'
import { CortadoError } from '../errors.js'
import * as L from '../layout/constants.generated.js'

export class SerializedCodec<V> implements ValueCodec<V> {
  kind: number

  constructor(readonly name: string, kind: number, private readonly toBytes: (value: V) => Uint8Array) {
    this.kind = kind
  }

  encodeInto(value: V, view: ByteView, offset: number, room: number): number {
    const bytes = this.encodeBytes(value)
    if (bytes.length > room) return -1
    view.u8.set(bytes, offset)
    return bytes.length
  }

  prepare(value: V): Uint8Array {
    return this.encodeBytes(value)
  }

  encodeBytes(value: V): Uint8Array {
    if (value === undefined)
      throw new CortadoError('ERR_INVALID_VALUE', 'undefined cannot be stored (a miss reads as undefined); use delete()')
    let bytes: Uint8Array | undefined
    try {
      bytes = this.toBytes(value)
    } catch (err) {
      throw new CortadoError('ERR_INVALID_VALUE', `the '${this.name}' codec cannot encode this value: ${(err as Error).message}${this.#hint(err)}`, { cause: err })
    }
    if (!(bytes instanceof Uint8Array))
      throw new CortadoError('ERR_INVALID_VALUE', `the '${this.name}' codec did not return bytes`)
    return bytes
  }

  /** What to do instead, when the value is one that only the v8 codec can store. */
  #hint(err: unknown): string {
    if (this.name === 'v8' || this.name === 'custom') return ''
    const cyclic = err instanceof RangeError || /circular|cyclic/i.test((err as Error)?.message ?? '')
    return cyclic ? ` (the value refers to itself: codec: 'v8' stores cycles, and keeps Maps as Maps)` : ''
  }
}

/**
 * A Promise has no data of its own to encode: MessagePack and JSON write it as an empty object, so
 * `set(key, fetchUser(id))` (lru-cache keeps the promise itself, a common memo pattern) read back `{}`.
 */
function refusePromise(v: unknown): void {
  if (v instanceof Promise) throw new Error('a Promise has no value to store yet: await it and store its value (getOrLoad and withLoader store what a loader resolves)')
}

export const msgpackCodec = <V>(name = 'msgpack') => new SerializedCodec<V>(name, L.KIND_MSGPACK, (v) => {
  // MessagePack would write a function as nil, and the entry would then read back as a miss.
  if (typeof v === 'function') throw new Error('a function has no MessagePack representation')
  refusePromise(v)
  return pack(v)
})
export const v8Codec = <V>() => new SerializedCodec<V>('v8', L.KIND_V8, (v) => serialize(v))
export const jsonCodec = <V>() => new SerializedCodec<V>('json', L.KIND_JSON, (v) => {
  refusePromise(v)
  const text = JSON.stringify(v)
  if (text === undefined) throw new Error(`JSON has no representation for ${typeof v}`)
  return Buffer.from(text, 'utf8')
})
