/**
 * MessagePack through msgpackr. Records (msgpackr's shared-structure extension) are off: every value
 * must decode on its own, in any thread, long after the encoder that wrote it is gone.
 */
import { Packr } from 'msgpackr'

const packr = new Packr({ useRecords: false, moreTypes: true })

export function pack(value: unknown): Uint8Array {
  return packr.pack(value)
}

export function unpack(bytes: Uint8Array): unknown {
  return packr.unpack(bytes)
}
