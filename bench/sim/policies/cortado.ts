import * as L from '../../../src/layout/constants.generated.js'
import { computeGeometry } from '../../../src/layout/geometry.js'
import type { Trace } from '../../workloads/trace.js'
import type { Policy } from '../policy.js'

/** The slice of the real `Cache` the simulator drives. */
interface RealCache {
  get(key: string): unknown
  set(key: string, value: string): boolean
  close(): void
}
type RealCacheCtor = new (options: {
  maxBytes: number
  maxEntries: number
  codec: 'string'
  seed?: number
  policy?: 'adaptive' | 'clock'
  engine?: 'wasm' | 'native'
  shards?: number
  front?: boolean
}) => RealCache

/** Options of the real cache beyond the defaults. */
export interface RealCacheVariant {
  policy?: 'adaptive' | 'clock'
  engine?: 'wasm' | 'native'
  shards?: number
  front?: boolean
}

/**
 * The real cache's variants the simulator knows by name: the default, `clock` (the baseline policy) and
 * `cortado-front` (with this thread's front of hot values: its hit ratio must be the default's).
 */
export const REAL_VARIANTS: Record<string, RealCacheVariant> = {
  cortado: {},
  clock: { policy: 'clock' },
  'cortado-front': { front: true },
}

/**
 * The real `Cache` from src/index.ts. An import that fails, or a module without a `Cache` class, is a
 * broken build and throws: returning nothing there once let tests drop the engine subject silently.
 * Callers that can run without the engine (the CLI) catch it and say why.
 */
export async function loadRealCache(): Promise<RealCacheCtor> {
  const mod = (await import('../../../src/index.js')) as { Cache?: unknown }
  if (typeof mod.Cache !== 'function') throw new Error('src/index.ts exports no Cache class')
  return mod.Cache as RealCacheCtor
}

/**
 * The bounds the simulator gives the real cache of `capacity` entries: capacity binds by `maxEntries`
 * only, the arena is sized far beyond what the entries need (short keys, a one-byte value).
 */
export function realCacheBounds(capacity: number): { maxBytes: number; maxEntries: number } {
  return { maxBytes: capacity * 512 + (16 << 20), maxEntries: capacity }
}

/** The shards the real cache picks by default at those bounds (1 at 10k entries, 8 at 100k, 16 at 1M). */
export function realShardCount(capacity: number): number {
  return computeGeometry({ ...realCacheBounds(capacity), policy: L.POLICY_ADAPTIVE }).shardCount
}

const stringKeys = new WeakMap<Trace, string[]>()

/**
 * Above this many key ids the strings are formatted per request instead. The moving Zipf at 1M entries
 * spans ~200M ids: V8 keeps a `new Array(n)` of more than 2^25 slots as a hash table (dictionary
 * elements), and filling that one killed the process ("FATAL ERROR: invalid table size", from
 * NumberDictionary::EnsureCapacity); even a fast array of that many strings would take GBs. Same
 * strings either way, so the same results.
 */
export const KEY_STRINGS_MAX = 1 << 22

/** Decimal strings of the key ids, built once per trace so the replay loop doesn't format numbers. */
function keyStrings(trace: Trace): string[] | undefined {
  if (trace.universe > KEY_STRINGS_MAX) return undefined
  let s = stringKeys.get(trace)
  if (s === undefined) {
    s = new Array<string>(trace.universe)
    for (let i = 0; i < trace.universe; i++) s[i] = String(i)
    stringKeys.set(trace, s)
  }
  return s
}

/**
 * Drives a real Cortado cache request by request: `get`, and `set` on a miss, as an application does.
 * Capacity binds by `maxEntries` only: the arena is sized far beyond what the entries need (short
 * keys, a one-byte value), so results are comparable with the entry-count simulator.
 */
export class RealCachePolicy implements Policy {
  private readonly cache: RealCache
  private readonly keys: string[] | undefined

  constructor(
    Cache: RealCacheCtor,
    capacity: number,
    trace: Trace,
    seed = 0x2545f491,
    more: RealCacheVariant = {},
  ) {
    this.keys = keyStrings(trace)
    this.cache = new Cache({ ...realCacheBounds(capacity), codec: 'string', seed, ...more })
  }

  private str(key: number): string {
    return this.keys !== undefined ? this.keys[key]! : String(key)
  }

  read(key: number): boolean {
    return this.cache.get(this.str(key)) !== undefined
  }

  write(key: number): void {
    this.cache.set(this.str(key), '1')
  }

  access(key: number): boolean {
    const k = this.str(key)
    if (this.cache.get(k) !== undefined) return true
    this.cache.set(k, '1')
    return false
  }

  close(): void {
    this.cache.close()
  }
}
