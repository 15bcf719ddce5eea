/**
 * The one interface every peer implements, so adding a peer to the benchmark is one file in this folder
 * plus one line in index.ts. The suites only ever see `Peer` and `BenchCache`.
 */

import type { Workload } from '../harness/kernels.js'

export type ValueKind = 'string' | 'buffer'
export type Value = string | Uint8Array
export type Entry = readonly [string, Value]

/** What a suite asks of a cache: how many entries it must hold and what the values look like. */
export interface CacheSpec {
  /** Most entries the cache holds; the bound every peer is given (by count, or bytes sized for it). */
  entries: number
  valueKind: ValueKind
  /** Bytes per key and per value: peers bounded by bytes size their arena from these. */
  keyBytes: number
  valueBytes: number
}

export interface BenchCache {
  get(key: string): Value | undefined
  set(key: string, value: Value): void
  getMany(keys: readonly string[]): (Value | undefined)[]
  setMany(entries: readonly Entry[]): void
  /** Live entries (for checks such as "the fill really stored N entries"). */
  readonly size: number
  close(): void
  /**
   * Called with each suite's workload before its rounds, by a reference that learns the key stream in
   * advance (the front floor, front-floor.ts); caches don't have it.
   */
  prime?(w: Workload): void
}

export interface Peer {
  /** Short id for --peers and the JSON results. */
  readonly id: string
  /** Display name (the package name). */
  readonly name: string
  readonly version: string
  /** How the peer is bounded and which policy it runs, for the report's peer table. */
  readonly bound: string
  /** Whether getMany/setMany are the peer's own batch calls or a loop the adapter writes. */
  readonly batch: 'native' | 'loop'
  /** Resolves to undefined when the peer can run, or to the reason it is skipped. */
  load(): Promise<string | undefined>
  create(spec: CacheSpec): BenchCache
}

/** The id of the peer every ratio is taken against. */
export const BASELINE = 'lru-cache'

/** Issue 19's floor: the cheapest front of the front's budget (front-floor.ts), timed in the get suites. */
export const FRONT_FLOOR = 'front-floor'

/** getMany for peers without a batch API: what a user of that library would write. */
export function loopGetMany(cache: { get(key: string): Value | undefined }, keys: readonly string[]): (Value | undefined)[] {
  const out = new Array<Value | undefined>(keys.length)
  for (let i = 0; i < keys.length; i++) out[i] = cache.get(keys[i]!)
  return out
}

export function loopSetMany(cache: { set(key: string, value: Value): unknown }, entries: readonly Entry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!
    cache.set(e[0], e[1])
  }
}

/**
 * Gives a library cache the batch calls it lacks (loops of single calls) and `close`, keeping its own
 * get/set/size: the suites then call the library directly, with no wrapper in between.
 */
export function withLoopBatches<C extends { get(key: string): Value | undefined; set(key: string, value: Value): unknown; clear(): unknown; readonly size: number }>(
  cache: C,
): C & BenchCache {
  return Object.assign(cache, {
    getMany: (keys: readonly string[]) => loopGetMany(cache, keys),
    setMany: (entries: readonly Entry[]) => loopSetMany(cache, entries),
    close: () => {
      cache.clear()
    },
  })
}
