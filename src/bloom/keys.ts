/** What Bloom filters accept as keys, and the up-front check that keeps `addMany` all-or-nothing. */
import { CortadoError } from '../errors.js'

/** A string (hashed as its UTF-8 bytes) or bytes; `"a"` and `Buffer.from("a")` are the same key. */
export type BloomKey = string | Uint8Array

export function invalidKey(key: unknown, position?: number): CortadoError {
  const where = position === undefined ? '' : ` (key ${position}; nothing was added)`
  return new CortadoError('ERR_INVALID_KEY', `a Bloom filter key must be a string or a Uint8Array, got ${typeof key}${where}`)
}

/** The keys as an array, every one checked, so a bad key fails the call before any key is added. */
export function toKeyList(keys: Iterable<BloomKey>): readonly BloomKey[] {
  if (keys === null || typeof keys !== 'object' || typeof (keys as Iterable<BloomKey>)[Symbol.iterator] !== 'function') {
    throw new CortadoError('ERR_INVALID_OPTION', 'addMany expects an iterable of keys')
  }
  const list = Array.isArray(keys) ? (keys as readonly BloomKey[]) : Array.from(keys)
  for (let i = 0; i < list.length; i++) {
    const key: unknown = list[i]
    if (typeof key !== 'string' && !(key instanceof Uint8Array)) throw invalidKey(key, i)
  }
  return list
}
