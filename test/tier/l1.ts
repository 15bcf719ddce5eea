/**
 * The L1 the tier tests run on: the real Cortado `Cache` once the package root exports it. Until
 * then, an lru-cache behind the same surface stands in, and says so loudly, so the tier's own logic
 * is exercised meanwhile without anyone mistaking it for a test of the real L1.
 */
import { existsSync } from 'node:fs'
import { LRUCache } from 'lru-cache'
import type { CacheStats } from '../../src/types.js'
import type { L1Cache } from '../../src/tier/index.js'

type CacheCtor = new (options: { maxBytes: number; codec: 'msgpack' }) => L1Cache<unknown>

let realCache: CacheCtor | undefined
const root = new URL('../../src/index.ts', import.meta.url)
if (existsSync(root)) {
  const mod = (await import(root.href)) as { Cache?: CacheCtor }
  realCache = mod.Cache
}
if (realCache === undefined) {
  console.warn('\n!!! src/index.ts does not export Cache yet: tier tests run on an lru-cache stand-in L1 !!!\n')
}

/** True when the tests run on the real Cortado Cache. */
export const usingRealCache = realCache !== undefined

export function makeL1<V>(): L1Cache<V> {
  if (realCache !== undefined) return new realCache({ maxBytes: 16 << 20, codec: 'msgpack' }) as L1Cache<V>
  return new LruL1<V>()
}

class LruL1<V> implements L1Cache<V> {
  readonly name = 'lru-stand-in'
  private readonly lru = new LRUCache<string, { v: V }>({ max: 100_000 })
  private hits = 0
  private misses = 0

  get(key: string): V | undefined {
    const box = this.lru.get(key)
    if (box === undefined) this.misses++
    else this.hits++
    return box?.v
  }
  set(key: string, value: V, options?: { ttl?: number }): boolean {
    this.lru.set(key, { v: value }, { ttl: options?.ttl ?? 0 })
    return true
  }
  has(key: string): boolean {
    return this.lru.has(key)
  }
  delete(key: string): boolean {
    return this.lru.delete(key)
  }
  getRemainingTTL(key: string): number {
    return this.lru.getRemainingTTL(key)
  }
  clear(): void {
    this.lru.clear()
  }
  stats(): CacheStats {
    const lookups = this.hits + this.misses
    return {
      hits: this.hits, misses: this.misses, sets: 0, deletes: 0, evictions: 0, expirations: 0, rejections: 0,
      entries: this.lru.size, bytesUsed: 0, bytesTotal: 0, hitRatio: lookups === 0 ? 0 : this.hits / lookups,
      oversized: 0, invalidations: 0, lockRecoveries: 0, loadSuccesses: 0, loadFailures: 0, loadTimeMs: 0,
      staleHits: 0, refreshes: 0,
    }
  }
}
