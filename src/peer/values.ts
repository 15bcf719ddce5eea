/**
 * Values on the wire: the owner sends the bytes its codec makes and the codec's kind byte; the asker
 * decodes them by kind (as a cache thread decodes what another thread stored), so built-in codecs
 * interoperate whatever each peer's `codec` option says, and a custom codec needs the same codec on
 * every peer. A value that fails to decode is an error, never a value.
 */
import { resolveCodec, decodeOwned, type ValueCodec } from '../codecs/index.js'
import { CortadoError } from '../errors.js'
import * as L from '../layout/constants.generated.js'
import type { Codec, CodecName } from '../types.js'
import { ReplyStatus, encodeReply, type Reply } from './wire.js'

const EMPTY = new Uint8Array(0)

export class WireValues<V> {
  readonly #codec: ValueCodec<V>
  readonly #userDecode: ((bytes: Uint8Array) => unknown) | undefined

  constructor(codec: CodecName | Codec<V>) {
    const resolved = resolveCodec<V>(codec)
    this.#codec = resolved.codec
    this.#userDecode = resolved.userDecode
  }

  /** The reply frame for a loaded value (`undefined`: the loader found nothing). */
  encode(value: V | undefined): Buffer {
    if (value === undefined) return encodeReply(ReplyStatus.Missing, 0, EMPTY)
    const bytes = this.#codec.encodeBytes(value)
    return encodeReply(ReplyStatus.Value, this.#codec.kind, bytes)
  }

  /** The value of a Value reply; ERR_PEER when its bytes don't decode. */
  decode(reply: Reply, peer: string): V {
    // KIND_LOADED is the arena's envelope for loading metadata: it never travels, so it means a broken peer.
    if (reply.kind === L.KIND_LOADED) throw new CortadoError('ERR_PEER', `peer ${peer} sent a value of kind ${reply.kind}, which never travels`)
    try {
      return decodeOwned(reply.kind, reply.payload, this.#userDecode) as V
    } catch (error) {
      throw new CortadoError('ERR_PEER', `peer ${peer} sent a value that does not decode (kind ${reply.kind}): ${(error as Error).message}`, { cause: error })
    }
  }
}
