/**
 * Issue 19's floor: not a front anyone would ship, but the cheapest a front of Cortado's budget could
 * be on the suite's own key stream, run in the same rounds as the front (the method of #20's service
 * floor, bench/service/floor.ts). It bounds what any front can show on a get row, so a target no front
 * can meet says so ("the floor misses it too").
 *
 * - Its hits cost one lookup of the key and nothing else: no lease or version check, no expiry, no
 *   counting, no reference bit, no window countdown. The lookup is the front's own (since stop 44): a
 *   property of a prototype-less object, which compares internalized keys by pointer (a Map until stop
 *   44, when the front's index stopped being one: a floor slower than the front would bound nothing).
 * - It holds the best set a front of that budget could hold: before the rounds (`prime`), the keys the
 *   suite's get sequence reads most often (the timed loop cycles through that one sequence, so they
 *   are exactly the keys a perfect static front would keep), as many as the front's budget holds by the
 *   front's own estimate (FrontOptions.maxBytes: 2 bytes per key and value character + 64 per entry),
 *   mapped to the values the arena decodes for them.
 * - Its misses are a Cortado get without a front (Cortado's front misses make the same arena get) and
 *   nothing more: no fill, no eviction, no probing window.
 * - A write goes to the arena and drops its key from the Map (as a write through the front's thread
 *   does), so the floor is never stale within its own thread; it knows nothing of other threads.
 *
 * A real front pays, per hit, for staying correct (the version load, the lease) and for telling the
 * policy (reference bit, access ring), and learns its set as it goes; the floor pays none of that.
 */
import type { Workload } from '../harness/kernels.js'
import { createCortado, cortadoPeer, type CortadoCache } from './cortado.js'
import { FRONT_FLOOR, type BenchCache, type CacheSpec, type Entry, type Peer, type Value } from './types.js'

/** What the floor needs of Cortado's sources: the front's default budget for a cache of this geometry. */
interface FrontModule {
  defaultFrontBytes(g: unknown): number
  /** The front's per-entry overhead in its heap estimate. */
  ENTRY_OVERHEAD: number
}

let frontModule: FrontModule | undefined

export class FrontFloor implements BenchCache {
  /** Key → value, as the front keeps its index (src/engine/front.ts, #index). */
  #map: Record<string, Value> = Object.create(null) as Record<string, Value>
  #held = 0
  readonly #arena: CortadoCache & BenchCache
  /** The front's budget in its estimate's bytes. */
  readonly maxBytes: number
  /** The estimate's bytes of what the Map holds. */
  #bytes = 0

  readonly #overhead: number

  constructor(arena: CortadoCache & BenchCache, maxBytes: number, entryOverhead: number) {
    this.#arena = arena
    this.maxBytes = maxBytes
    this.#overhead = entryOverhead
  }

  /** The arena's live entries (the Map holds copies of some of them). */
  get size(): number {
    return this.#arena.size
  }

  /** Entries the Map holds. */
  get held(): number {
    return this.#held
  }

  get(key: string): Value | undefined {
    const v = this.#map[key]
    return v !== undefined ? v : this.#arena.get(key)
  }

  set(key: string, value: Value): void {
    this.#forget(key)
    this.#arena.set(key, value)
  }

  getMany(keys: readonly string[]): (Value | undefined)[] {
    const out = new Array<Value | undefined>(keys.length)
    for (let i = 0; i < keys.length; i++) out[i] = this.get(keys[i]!)
    return out
  }

  setMany(entries: readonly Entry[]): void {
    for (const e of entries) this.#forget(e[0])
    this.#arena.setMany(entries)
  }

  close(): void {
    this.#clearMap()
    this.#bytes = 0
    this.#arena.close()
  }

  /**
   * Holds the keys `w`'s get sequence reads most often (ties: the lower key index first), each with
   * the value the arena holds for it, while the front's budget has room; replaces what it held. Keys
   * absent from the arena and values a front never holds (bytes) are left to the arena.
   */
  prime(w: Pick<Workload, 'keys' | 'idx'>): void {
    this.#clearMap()
    this.#bytes = 0
    const counts = new Uint32Array(w.keys.length)
    const mask = w.keys.length - 1
    for (let i = 0; i < w.idx.length; i++) counts[w.idx[i]! & mask]!++
    const read: number[] = []
    for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) read.push(k)
    read.sort((a, b) => counts[b]! - counts[a]! || a - b)
    for (const k of read) {
      const key = w.keys[k]!
      const value = this.#arena.peek(key)
      if (typeof value !== 'string') continue
      const bytes = 2 * (key.length + value.length) + this.#overhead
      if (this.#bytes + bytes > this.maxBytes) break
      this.#map[key] = value
      this.#held++
      this.#bytes += bytes
    }
  }

  #clearMap(): void {
    this.#map = Object.create(null) as Record<string, Value>
    this.#held = 0
  }

  #forget(key: string): void {
    const v = this.#map[key]
    if (v === undefined) return
    delete this.#map[key]
    this.#held--
    this.#bytes -= 2 * (key.length + (v as string).length) + this.#overhead
  }
}

/** A floor over a Cortado cache of `spec` (no front), with the front's default budget for it. */
export function createFrontFloor(spec: CacheSpec): FrontFloor {
  if (!frontModule) throw new Error('front-floor used before its load() succeeded')
  const arena = createCortado(spec)
  return new FrontFloor(arena, frontModule.defaultFrontBytes(arena.geometry), frontModule.ENTRY_OVERHEAD)
}

export const frontFloorPeer: Peer = {
  id: FRONT_FLOOR,
  name: 'front floor (the hot keys, looked up only)',
  version: cortadoPeer.version,
  bound:
    "Cortado without a front, and a prototype-less object (the front's index) of the keys the suite reads most, as many as the front's default budget holds " +
    '(chosen before the rounds from the get sequence); a hit is one property lookup, a miss a Cortado get: what any front could reach at best',
  batch: 'loop',
  async load() {
    const reason = await cortadoPeer.load()
    if (reason !== undefined) return reason
    // A literal specifier, as the cortado peer's (bundled children carry the sources).
    frontModule = (await import('../../src/engine/front.js')) as unknown as FrontModule
    return typeof frontModule.defaultFrontBytes === 'function' && typeof frontModule.ENTRY_OVERHEAD === 'number'
      ? undefined
      : 'src/engine/front.ts exports no defaultFrontBytes or ENTRY_OVERHEAD'
  },
  create: (spec) => createFrontFloor(spec),
}
