/**
 * A disk store as the shared level of a `TieredCache` (which deals in bytes with remaining TTLs):
 * `new TieredCache({ l1, l2: diskTier(await LogStore.open(dir, { codec: 'buffer' })) })`. Works over any
 * store of this entry point (LogStore, LmdbStore, LevelStore). The tier encodes values itself, so the
 * store is opened with the 'buffer' codec.
 */
import { CortadoError } from '../errors.js'
import type { RemoteEntry, RemoteSetEntry, RemoteStore } from '../tier/remote-store.js'

/** What the tier adapter needs from a disk store. */
export interface EntryStore {
  /** The bytes under `key` and their expiry, or undefined when absent or expired; sync or async. */
  getEntry(key: string): {
    /** The stored bytes (the store must use the 'buffer' codec). */
    value: Uint8Array
    /** ms since the epoch; 0 = never. */
    expiresAt: number
  } | undefined | Promise<{
    /** The stored bytes (the store must use the 'buffer' codec). */
    value: Uint8Array
    /** ms since the epoch; 0 = never. */
    expiresAt: number
  } | undefined>
  /** Stores the bytes under `key`; `ttl` in ms, 0 = never expires. */
  put(key: string, value: Uint8Array, options?: { ttl?: number }): Promise<void>
  /** Removes `key`; resolves to whether it was there. */
  delete(key: string): Promise<boolean>
  /** True once the store is closed: the tier then reports itself unavailable. */
  readonly closed: boolean
}

/**
 * Wraps a disk store (opened with codec 'buffer') as the shared level of a TieredCache. `name` is the
 * tier's name, also used in errors (default 'disk'). Closing the tier leaves the store open: its owner closes it.
 */
export function diskTier(store: EntryStore, name = 'disk'): RemoteStore {
  const entry = async (key: string): Promise<RemoteEntry | undefined> => {
    const e = await store.getEntry(key)
    if (e === undefined) return undefined
    if (!(e.value instanceof Uint8Array)) throw new CortadoError('ERR_DECODE', `${name}: the store returned a ${typeof e.value}, not bytes: open it with codec 'buffer'`)
    const ttl = e.expiresAt === 0 ? Infinity : e.expiresAt - Date.now()
    return ttl > 0 ? { value: e.value, ttl } : undefined
  }
  return {
    name,
    get available() {
      return !store.closed
    },
    get: entry,
    getMany: (keys) => Promise.all(keys.map(entry)),
    set: (key, value, ttl) => store.put(key, value, { ttl: ttl ?? 0 }),
    setMany: async (entries: readonly RemoteSetEntry[]) => {
      await Promise.all(entries.map((e) => store.put(e.key, e.value, { ttl: e.ttl ?? 0 })))
    },
    delete: (key) => store.delete(key),
    // The store was handed to the tier: its owner closes it.
    close: async () => {},
  }
}
