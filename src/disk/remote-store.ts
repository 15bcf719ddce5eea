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
  getEntry(key: string): { value: Uint8Array; expiresAt: number } | undefined | Promise<{ value: Uint8Array; expiresAt: number } | undefined>
  put(key: string, value: Uint8Array, options?: { ttl?: number }): Promise<void>
  delete(key: string): Promise<boolean>
  readonly closed: boolean
}

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
