/** Reading a key together with its loading metadata (one lookup; see codecs/envelope.ts). */
import type { CacheCore } from '../engine/access.js'
import { newEnvelopeMeta, type SerializedError } from '../codecs/envelope.js'

export type EntryRead<V> =
  | { type: 'miss' }
  /** A cached failure (negative caching), within its TTL. */
  | { type: 'error'; error: SerializedError }
  /**
   * A value. Entries stored without metadata (plain `set`, or getOrLoad without soft TTL, staleIfError or
   * early refresh) are fresh until the cache expires them: infinite soft and hard expiry, no load time.
   */
  | { type: 'value'; value: V; softExpiry: number; hardExpiry: number; loadMs: number }

export function readEntry<V>(core: CacheCore<V>, key: string): EntryRead<V> {
  const m = newEnvelopeMeta()
  const value = core.getWithMeta(key, m)
  if (m.present) {
    if (m.error) return { type: 'error', error: m.error }
    return { type: 'value', value: value as V, softExpiry: m.softExpiry, hardExpiry: m.hardExpiry, loadMs: m.loadMs }
  }
  // Codecs can't store undefined, so undefined is a miss.
  if (value === undefined) return { type: 'miss' }
  return { type: 'value', value, softExpiry: Infinity, hardExpiry: Infinity, loadMs: 0 }
}
