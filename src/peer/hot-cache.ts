/**
 * Copies of keys owned by other peers, so a hot key stops crossing the network.
 *
 * It is a small Cortado Cache of its own rather than a JS-heap LRU, for three reasons: its TinyLFU
 * admission is exactly the rule "keep the keys fetched often" (every lookup here, hit or miss, feeds
 * the frequency sketch, and once the cache is full a newly fetched key only displaces a copy if it was
 * asked for more often), so a scan of cold remote keys cannot flush the hot ones the way it flushes an
 * LRU; it is bounded in bytes by construction (maxBytes is the whole arena); and the copies live off
 * the GC heap like the rest of Cortado. The price is a decode per hot hit and a 1 MiB minimum size.
 *
 * It is separate from the user's cache on purpose: copies must never take room from owned keys (the
 * group's single copy of those), and they are this process's alone (no handle is shared).
 */
import { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import type { Codec, CodecName, CacheStats } from '../types.js'

/** The `hotCache` option of a PeerGroup: a small Cortado Cache for copies of hot keys owned by other peers. */
export interface HotCacheOptions {
  /** Bytes of the hot cache's arena (at least 1 MiB, Cortado's smallest cache). */
  maxBytes: number
  /** Copies expire after this many ms (0 = never). Default 0: values in a group are immutable. */
  ttl?: number
  /** The largest copy (8 bytes + key + value) kept; larger values are fetched every time. */
  maxEntrySize?: number
}

export class HotCache<V> {
  readonly #cache: Cache<V>

  constructor(options: HotCacheOptions, codec: CodecName | Codec<V>, name: string) {
    if (typeof options !== 'object' || options === null)
      throw new CortadoError('ERR_INVALID_OPTION', 'hotCache must be an object like { maxBytes: 8 * 1024 * 1024 }')
    for (const key of Object.keys(options))
      if (key !== 'maxBytes' && key !== 'ttl' && key !== 'maxEntrySize')
        throw new CortadoError('ERR_INVALID_OPTION', `unknown hotCache option '${key}'`)
    this.#cache = new Cache<V>({
      maxBytes: options.maxBytes,
      ttl: options.ttl,
      maxEntrySize: options.maxEntrySize,
      codec,
      name: `${name}:hot`,
      // One thread only: the hot cache is never attached elsewhere.
      maxThreads: 1,
    })
  }

  get(key: string): V | undefined {
    return this.#cache.get(key)
  }

  /** Offers a fetched copy; the admission policy may keep it or not. */
  offer(key: string, value: V): void {
    this.#cache.set(key, value)
  }

  delete(key: string): boolean {
    return this.#cache.delete(key)
  }

  clear(): void {
    this.#cache.clear()
  }

  stats(): CacheStats {
    return this.#cache.stats()
  }

  close(): void {
    this.#cache.close()
  }
}
