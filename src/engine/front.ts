/**
 * The front: a small per-thread map of the hottest entries' decoded values on the JS heap, in front of
 * the arena, so the hot set is served at the speed of a Map lookup instead of a key copy, an engine call
 * and a decode. It changes speed, not decisions:
 *
 * - Never stale. A front entry remembers the arena entry its value was copied from and that entry's
 *   segment version (SEG.version in spec.json: bumped whenever the segment is reused or an entry in it
 *   is rewritten in place). A hit is served only while that entry is still LIVE and the version
 *   unchanged (two loads from shared memory), and before its expiry: a write from any thread, a delete,
 *   an eviction, clear(), expiry and a restore all take effect at once. Writes through this thread drop
 *   their key from the front.
 * - Access still counts. Each front hit appends its entry's offset to a ring; a full ring (RING hits)
 *   is recorded by one engine call (recordAccesses: the index slot's reference bits and the sketch,
 *   exactly what a hit records). Nothing is dropped when the ring fills: it is drained then. Records
 *   whose entry changed before the drain are skipped by the engine (the hit they count was served from
 *   a copy that was current when it was served).
 * - Same values. Strings, numbers, booleans and bigints are returned as the equal primitive they are.
 *   Objects are fronted only with `shareObjects` (then deep-frozen and shared between gets: opt-in,
 *   since by default every get returns a fresh copy); Buffers and typed arrays are never fronted.
 *
 * Replacement is CLOCK over insertion order (a hit sets a reference bit; eviction gives referenced
 * entries a second pass), bounded by an estimate of heap bytes. Which entries enter: any arena hit while
 * the front has room, then one arena hit in FILL_EVERY (hot keys are hit often, so they get in soon; a
 * uniform workload churns the front 8× less). When the front stops paying (under PAYING of gets in a
 * window hit it), lookups are skipped for BYPASS gets, so a workload the front can't hold costs a
 * counter decrement per get.
 */
import * as L from '../layout/constants.generated.js'
import type { Geometry } from '../layout/geometry.js'
import type { ArenaViews } from './views.js'

/** Options of the front (`front` in Cache options and in Cache.attach options: per thread). */
export interface FrontOptions {
  /**
   * Heap budget in bytes (an estimate: 2 bytes per key and string character, 16 per other primitive, 2
   * per encoded byte of a shared object, 64 of overhead per entry). Default 16 MiB (≈ 60k entries of a
   * 100-character value).
   */
  maxBytes?: number
  /**
   * Front objects too, deep-frozen and shared by every get of this thread (a get then returns the same
   * frozen object each time instead of a fresh copy). Default false: objects are not fronted.
   */
  shareObjects?: boolean
}

export const DEFAULT_FRONT_BYTES = 16 << 20
/** Front hits recorded per engine call. */
const RING = 256
/** When the front is full, one arena hit in FILL_EVERY enters it. */
const FILL_EVERY = 8
/** Gets per measuring window, and the share of them the front must serve to stay consulted. */
const WINDOW = 4096
const PAYING = 0.05
/** Gets that skip the front after a window in which it did not pay. */
const BYPASS = 16 * WINDOW
const ENTRY_OVERHEAD = 64

/** What a front lookup returns when it has nothing current for the key. */
export const NOT_IN_FRONT: unique symbol = Symbol('not in front')

interface FrontEntry {
  value: unknown
  /** The arena entry the value was copied from (offset in the views), and its segment's version. */
  addr: number
  versionIdx: number
  version: number
  expiry: number
  bytes: number
  referenced: boolean
}

export class Front {
  readonly #map = new Map<string, FrontEntry>()
  readonly #maxBytes: number
  readonly #shareObjects: boolean
  readonly #g: Readonly<Geometry>
  #views: ArenaViews
  #shardsOffset: number
  #shardBytes: number
  #bytes = 0
  readonly #ring = new Uint32Array(RING)
  #ringLength = 0
  #fillCountdown = FILL_EVERY
  #windowGets = 0
  #windowHits = 0
  #bypass = 0
  // The fill prepared by the last arena hit (prepareFill), completed by fill() once the value is taken.
  #pendingAddr = 0
  #pendingVersionIdx = 0
  #pendingVersion = 0
  #pendingExpiry = Infinity
  #pendingBytes = 0

  constructor(options: FrontOptions, geometry: Readonly<Geometry>, views: ArenaViews, shardsOffset: number, shardBytes: number) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_FRONT_BYTES
    this.#shareObjects = options.shareObjects === true
    this.#g = geometry
    this.#views = views
    this.#shardsOffset = shardsOffset
    this.#shardBytes = shardBytes
  }

  /** After a re-attach: the same arena through new views. Entries stay valid (they name arena places). */
  rebind(views: ArenaViews, shardsOffset: number, shardBytes: number): void {
    this.#views = views
    this.#shardsOffset = shardsOffset
    this.#shardBytes = shardBytes
  }

  get size(): number {
    return this.#map.size
  }

  /**
   * The current value of `key` if the front holds one, else NOT_IN_FRONT. `now` is consulted only for
   * entries with an expiry. A hit is appended to the access ring; `drain` records a full ring.
   */
  get(key: string, clock: () => number, drain: (ring: Uint32Array, length: number) => void): unknown {
    if (this.#bypass > 0) {
      this.#bypass--
      return NOT_IN_FRONT
    }
    if (++this.#windowGets === WINDOW) this.#endWindow()
    const e = this.#map.get(key)
    if (e === undefined) return NOT_IN_FRONT
    const v = this.#views
    // Flags first, then the version: a reused segment's version moves before any entry in it is LIVE.
    if ((v.u8[e.addr + L.ENTRY_FLAGS] & L.ENTRY_LIVE) === 0 || Atomics.load(v.u32, e.versionIdx) !== e.version ||
      (e.expiry !== Infinity && clock() >= e.expiry)) {
      this.#remove(key, e)
      return NOT_IN_FRONT
    }
    e.referenced = true
    this.#windowHits++
    this.#ring[this.#ringLength++] = e.addr
    if (this.#ringLength === RING) {
      drain(this.#ring, RING)
      this.#ringLength = 0
    }
    return e.value
  }

  /**
   * Called on an arena hit, right after the lookup and before the value is copied out and validated:
   * whether this hit should enter the front, and if so it reads the entry's segment version now (the
   * caller's validation of the shard sequence then proves value and version belong together).
   */
  prepareFill(u32: Uint32Array, r32: number, r64: number, f64: Float64Array): boolean {
    if (this.#bypass > 0) return false
    if (this.#bytes >= this.#maxBytes && --this.#fillCountdown > 0) return false
    this.#fillCountdown = FILL_EVERY
    const addr = u32[r32 + (L.RESULT_ENTRY_OFFSET >> 2)]
    // 0: the engine can't show this entry in place (the native engine's window over a large arena).
    if (addr === 0) return false
    const g = this.#g
    const shard = u32[r32 + (L.RESULT_SHARD >> 2)]
    const shardBase = this.#shardsOffset + shard * this.#shardBytes
    const segment = Math.floor((addr - shardBase - g.shardDataOffset) / g.segBytes)
    if (segment < 0 || segment >= g.segCount) return false
    this.#pendingAddr = addr
    this.#pendingVersionIdx = (shardBase + g.shardSegHeadersOffset + segment * L.SEG_SIZE + L.SEG_VERSION) >> 2
    this.#pendingVersion = Atomics.load(u32, this.#pendingVersionIdx)
    this.#pendingExpiry = f64[r64 + (L.RESULT_EXPIRY >> 3)]
    this.#pendingBytes = u32[r32 + (L.RESULT_VALUE_LEN >> 2)]
    return true
  }

  /** Completes the fill prepared for `key`, with its value known whole. */
  fill(key: string, value: unknown): void {
    let bytes: number
    if (typeof value === 'string') bytes = value.length * 2
    else if (typeof value !== 'object') bytes = 16
    else if (this.#shareObjects && value !== null && !ArrayBuffer.isView(value)) {
      deepFreeze(value)
      bytes = this.#pendingBytes * 2
    } else return
    bytes += key.length * 2 + ENTRY_OVERHEAD
    const old = this.#map.get(key)
    if (old !== undefined) this.#remove(key, old)
    this.#map.set(key, {
      value, addr: this.#pendingAddr, versionIdx: this.#pendingVersionIdx, version: this.#pendingVersion,
      expiry: this.#pendingExpiry, bytes, referenced: false,
    })
    this.#bytes += bytes
    if (this.#bytes > this.#maxBytes) this.#evict()
  }

  /** A write through this thread: its key leaves the front. */
  delete(key: string): void {
    const e = this.#map.get(key)
    if (e !== undefined) this.#remove(key, e)
  }

  clear(): void {
    this.#map.clear()
    this.#bytes = 0
  }

  /** Hands the access ring's pending records to `drain` (close, and tests). */
  flush(drain: (ring: Uint32Array, length: number) => void): void {
    if (this.#ringLength > 0) drain(this.#ring, this.#ringLength)
    this.#ringLength = 0
  }

  #remove(key: string, e: FrontEntry): void {
    this.#map.delete(key)
    this.#bytes -= e.bytes
  }

  #evict(): void {
    const map = this.#map
    while (this.#bytes > this.#maxBytes && map.size > 0) {
      const [key, e] = map.entries().next().value as [string, FrontEntry]
      map.delete(key)
      if (e.referenced) {
        e.referenced = false
        map.set(key, e)
      } else {
        this.#bytes -= e.bytes
      }
    }
  }

  #endWindow(): void {
    if (this.#windowHits < PAYING * WINDOW) this.#bypass = BYPASS
    this.#windowGets = 0
    this.#windowHits = 0
  }
}

function deepFreeze(value: object): void {
  if (Object.isFrozen(value)) return
  Object.freeze(value)
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) deepFreeze(v)
}
