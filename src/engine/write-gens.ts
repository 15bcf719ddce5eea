/**
 * Write generations: how a load learns that its key was written elsewhere while it ran. A Cache object
 * marks its own loads superseded when it writes their key (EngineCore.supersede), but a write from
 * another thread, another Cache object over the same arena or another process (native engine) does
 * not reach them. These words do, whatever wrote.
 *
 * WRITE_GENS i32 words after the flight table (geometry.ts: writeGensOffset), each the generation of a
 * bucket of keys (a hash of the key's UTF-16 units), and one word in the arena header,
 * ARENA.loadsInProgress: the loads in progress in every thread. While it is 0 a write does nothing more
 * than read it.
 *
 * - a write of a key (set, setRaw, delete, setMany, clear: called while loads are in progress) adds 2
 *   to its bucket's word before the engine write;
 * - a load notes its bucket's word when it starts (before its loader is called), and stores its result
 *   only if it can swap that value for value + 1 (odd: "a load is storing into this bucket"); it puts
 *   the noted value back once stored;
 * - a write that finds the word odd waits for that store to finish (one engine call) before it adds 2.
 *
 * So a write called after a load started lands after the load's store, or makes the store refused; a
 * write called before the load started may be overwritten by its result, whose loader was called after
 * that write (with the usual cache-aside order, source first and cache second, the loaded value is then
 * at least as new). Keys of one bucket share a word: a write of another key of the bucket refuses the
 * store too (the value is still returned to its callers, only not cached; with 8192 buckets, a load
 * during which 100 writes land loses its store about 1.2% of the time).
 *
 * A load is counted twice: in the arena's word and in its thread's slot (THREAD.loadsInProgress). A
 * thread that dies mid-load runs no more code, but its slot is retired sooner or later (when a thread
 * attaches or needs a slot, or the native engine finds its process gone), and retiring subtracts the
 * slot's count from the arena's (assembly/threads.ts): writes stop paying for loads that will never end.
 * A load ends by taking itself off both counts only while its slot is still held under the lease it
 * started with; if the slot was retired meanwhile (this thread was thought dead, or its cache closed),
 * retiring already took it off. A thread that dies holding a bucket odd (killed inside a store) is
 * passed after a lease.
 */
import * as L from '../layout/constants.generated.js'
import { LEASE_MS } from './contention.js'

const BUCKETS = L.WRITE_GENS
/** For short sleeps: the native engine's memory is no SharedArrayBuffer, where Atomics.wait is refused. */
const sleeper = new Int32Array(new SharedArrayBuffer(4))

/**
 * A load's note: its bucket (word index), the generation it saw (-1: a write was in progress), and the
 * slot it was counted in (the count's word index, the slot's lease word index and the lease then held).
 */
export interface GenNote {
  at: number
  gen: number
  slotCount: number
  leaseAt: number
  lease: number
}

export class WriteGens {
  readonly #i32: Int32Array
  /** Word index of the count of loads in progress in every thread (ARENA.loadsInProgress). */
  readonly active = L.ARENA_LOADS_IN_PROGRESS >>> 2
  /** Word index of the first bucket. */
  readonly #first: number
  /** This thread's slot: the word its loads are counted in, its lease word and the lease it holds. */
  readonly #slotCount: number
  readonly #leaseAt: number
  readonly #lease: number
  /** The bucket this object holds while a load stores through it: its own write must not wait for itself. */
  #held = -1

  /**
   * Over the arena's `i32` view, the buckets at byte `offset`, loads counted in this thread's slot
   * (word indexes). The engine core makes one for each slot it binds to (it claims a new one when it
   * lost its slot); a load in progress keeps the slot it was counted in, in its note.
   */
  constructor(i32: Int32Array, offset: number, slot: { count: number; leaseAt: number; lease: number }) {
    this.#i32 = i32
    this.#first = offset >>> 2
    this.#slotCount = slot.count
    this.#leaseAt = slot.leaseAt
    this.#lease = slot.lease
  }

  /** The word of `key`'s bucket. */
  bucket(key: string): number {
    let h = 0x811c9dc5
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
    h ^= h >>> 16
    return this.#first + ((h >>> 0) % BUCKETS)
  }

  /** `key` is about to be written (call only while word 0 is not 0: the caller reads it inline). */
  written(key: string): void {
    this.#bump(this.bucket(key))
  }

  /** Every key is about to be written (clear). */
  allWritten(): void {
    for (let at = this.#first; at < this.#first + BUCKETS; at++) this.#bump(at)
  }

  #bump(at: number): void {
    if (at === this.#held) return
    const i32 = this.#i32
    let seen = 0
    let since = 0
    for (;;) {
      const g = Atomics.load(i32, at)
      if ((g & 1) === 0) {
        if (Atomics.compareExchange(i32, at, g, (g + 2) | 0) === g) return
        continue
      }
      // A load is storing into this bucket: one engine call. Wait for it, unless its thread died there.
      const now = performance.now()
      if (g !== seen) {
        seen = g
        since = now
      } else if (now - since > LEASE_MS) {
        Atomics.compareExchange(i32, at, g, (g + 1) | 0)
        continue
      }
      Atomics.wait(sleeper, 0, 0, 0.05)
    }
  }

  /** A load starts (before its loader is called): counts it and notes its bucket's generation. */
  startLoad(key: string): GenNote {
    const i32 = this.#i32
    Atomics.add(i32, this.#slotCount, 1)
    Atomics.add(i32, this.active, 1)
    const at = this.bucket(key)
    const g = Atomics.load(i32, at)
    // Odd: another load of the bucket is storing; it puts back the even value it noted.
    return { at, gen: (g & 1) === 0 ? g : (g - 1) | 0, slotCount: this.#slotCount, leaseAt: this.#leaseAt, lease: this.#lease }
  }

  /** The load ended (every startLoad has exactly one): off both counts, unless its slot's retiring took it off. */
  endLoad(note: GenNote): void {
    const i32 = this.#i32
    for (;;) {
      if (Atomics.load(i32, note.leaseAt) >>> 0 !== note.lease) return
      const n = Atomics.load(i32, note.slotCount)
      if (n <= 0) return
      if (Atomics.compareExchange(i32, note.slotCount, n, n - 1) === n) break
    }
    Atomics.sub(i32, this.active, 1)
  }

  /**
   * Runs `store` if no write of the bucket was called since the note, with writes of the bucket held
   * off until it returns; returns false (and runs nothing) if one was.
   */
  storeIfUnwritten(note: GenNote, store: () => void): boolean {
    const i32 = this.#i32
    const odd = (note.gen + 1) | 0
    if (Atomics.compareExchange(i32, note.at, note.gen, odd) !== note.gen) return false
    const held = this.#held
    this.#held = note.at
    try {
      store()
    } finally {
      this.#held = held
      Atomics.compareExchange(i32, note.at, odd, note.gen)
    }
    return true
  }
}
