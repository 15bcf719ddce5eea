/** The L1 every tier test runs on: a real Cortado Cache, as a deployment would use. */
import { Cache } from '../../src/index.js'

export function makeL1<V>(): Cache<V> {
  return new Cache<V>({ maxBytes: 16 << 20, codec: 'msgpack' })
}
