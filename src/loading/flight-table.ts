/**
 * Cross-thread single-flight: the FLIGHT table in the arena (1024 slots of 8 i32 words, shared by every
 * thread attached to the cache) says which keys some thread is loading right now.
 *
 * A key hashes to a home slot and may live in the PROBES slots from there. To load it a thread claims a
 * free slot with a CAS on `tag` (0 → CLAIMING), fills in the key's second hash, a flight id and itself
 * as owner (thread slot + 1), then publishes the key's tag. Another thread missing the same key finds
 * the slot, counts itself in `waiters` and waits with `Atomics.waitAsync` on `done` (never a blocking
 * wait, never a wait inside WebAssembly). The owner stores the result in the cache itself, writes an
 * outcome tagged with the new `done` value, bumps `done`, frees the slot and notifies.
 *
 * Liveness: while it loads, the owner bumps `beat` every HEARTBEAT_MS. A waiter that sees neither
 * `beat` nor `owner` change for a lease (its leaseMs) presumes the owner dead (terminated worker,
 * event loop blocked) and takes the flight over with a CAS on `owner`; the other waiters keep waiting
 * for the new owner. A presumed-dead owner that was only slow notices at release (it no longer owns
 * the slot) and leaves the slot alone.
 *
 * The only rare imperfection: two threads can both load a key when, at the same instant, the first
 * claims a later probe slot and the second an earlier one that was just freed (each then stores its
 * value; nothing is wrong but the duplicate load).
 */
import * as L from '../layout/constants.generated.js'

const SLOTS = L.FLIGHT_SLOTS
const WORDS = L.FLIGHT_SIZE >>> 2
const PROBES = 4
const CLAIMING = -1
const RELEASING = -1
const OUTCOME_BITS = 4
const DONE_MASK = 0x7ffffff
const TAG = L.FLIGHT_TAG >>> 2
const HASH2 = L.FLIGHT_HASH2 >>> 2
const ID = L.FLIGHT_ID >>> 2
const OWNER = L.FLIGHT_OWNER >>> 2
const BEAT = L.FLIGHT_BEAT >>> 2
const DONE = L.FLIGHT_DONE >>> 2
const WAITERS = L.FLIGHT_WAITERS >>> 2
const OUTCOME = L.FLIGHT_OUTCOME >>> 2

/** How often an owner shows it is alive; leases are at least 4 beats. */
export const HEARTBEAT_MS = 50
/** Longest a waiter sleeps before re-checking the owner's heartbeat. */
const MAX_SLICE_MS = 250

export type Outcome =
  | typeof L.FLIGHT_OUTCOME_STORED | typeof L.FLIGHT_OUTCOME_UNDEFINED | typeof L.FLIGHT_OUTCOME_NOT_STORED
  | typeof L.FLIGHT_OUTCOME_FAILED | typeof L.FLIGHT_OUTCOME_ABANDONED

export interface KeyHash {
  tag: number
  hash2: number
  home: number
}

/** Two independent 32-bit hashes of the key's UTF-16 units (FNV-1a and a murmur-style mix). */
export function hashKey(key: string): KeyHash {
  let a = 0x811c9dc5
  let b = 0x9e3779b9
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  b ^= b >>> 13
  b = Math.imul(b, 0xc2b2ae35)
  b ^= b >>> 16
  let tag = a | 0
  if (tag === 0 || tag === CLAIMING) tag = 1
  return { tag, hash2: b | 0, home: (a >>> 16) & (SLOTS - 1) }
}

export type Entered =
  /** This thread claimed the flight: load, then release(). */
  | { type: 'owner'; slot: number; id: number }
  /** Another thread loads it: wait(). */
  | { type: 'waiter'; slot: number; id: number }
  /** A slot of the key's window is being claimed this instant: try again in a moment. */
  | { type: 'busy' }
  /** Every slot of the window holds another key: load without cross-thread deduplication. */
  | { type: 'full' }

export type WaitResult =
  | { type: 'done'; outcome: Outcome; done: number }
  /** The flight ended in a way this waiter can't read (or before it really waited): start over. */
  | { type: 'retry' }
  /** The owner looked dead: this thread now owns the flight (slot, id unchanged) and must load it. */
  | { type: 'owner' }
  | { type: 'abandoned' }

type WaitAsync = (ta: Int32Array, index: number, value: number, timeout?: number) =>
  { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> }
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync

export class FlightTable {
  readonly #i32: Int32Array
  readonly #base: number
  /** This thread's owner id: its thread slot + 1. */
  readonly me: number
  #nextId = 1
  /** Slots seen half-claimed or half-released, and since when (see #clearStale). */
  readonly #transient = new Map<number, { tag: number; since: number }>()
  /** Other keys' flights seen while probing, and since when unchanged (see #freeIfDead); by slot, so bounded. */
  readonly #idle = new Map<number, { id: number; owner: number; beat: number; since: number }>()

  constructor(i32: Int32Array, flightsOffset: number, threadSlot: number) {
    this.#i32 = i32
    this.#base = flightsOffset >>> 2
    this.me = threadSlot + 1
  }

  #at(slot: number, word: number): number {
    return this.#base + slot * WORDS + word
  }

  #matches(slot: number, h: KeyHash): boolean {
    return Atomics.load(this.#i32, this.#at(slot, TAG)) === h.tag && Atomics.load(this.#i32, this.#at(slot, HASH2)) === h.hash2
  }

  /** Finds the key's flight, or claims a slot and makes this thread its owner. */
  enter(h: KeyHash, leaseMs: number): Entered {
    const i32 = this.#i32
    let free = -1
    let busy = false
    for (let p = 0; p < PROBES; p++) {
      const slot = (h.home + p) & (SLOTS - 1)
      const tag = Atomics.load(i32, this.#at(slot, TAG))
      if (tag === 0) {
        this.#transient.delete(slot)
        if (free < 0) free = slot
      } else if (tag === CLAIMING) {
        busy = true
        this.#clearStale(slot, CLAIMING, leaseMs)
      } else {
        const id = Atomics.load(i32, this.#at(slot, ID))
        if (id === 0) {
          // Being released this instant (or its releaser died half-way: freed after a lease).
          this.#clearStale(slot, tag, leaseMs)
          if (tag === h.tag) busy = true
        } else {
          this.#transient.delete(slot)
          if (tag === h.tag && this.#matches(slot, h)) {
            this.#idle.delete(slot)
            return { type: 'waiter', slot, id }
          }
          // Another key's flight: free it if its owner is dead, or the slot is lost to this window.
          if (this.#freeIfDead(slot, id, leaseMs) && free < 0) free = slot
        }
      }
    }
    if (busy) return { type: 'busy' }
    if (free < 0) return { type: 'full' }
    if (Atomics.compareExchange(i32, this.#at(free, TAG), 0, CLAIMING) !== 0) return { type: 'busy' }
    const id = ((this.#nextId++ & 0xfffff) << 11) | (this.me & 0x7ff)
    Atomics.store(i32, this.#at(free, HASH2), h.hash2)
    Atomics.store(i32, this.#at(free, ID), id)
    Atomics.store(i32, this.#at(free, OWNER), this.me)
    Atomics.add(i32, this.#at(free, BEAT), 1)
    // Fails only if a thread took our claim for a dead one (we stalled for a lease): start over.
    if (Atomics.compareExchange(i32, this.#at(free, TAG), CLAIMING, h.tag) !== CLAIMING) return { type: 'busy' }
    // The same key claimed at the same moment in another slot of the window: the earlier slot wins.
    for (let p = 0; p < PROBES; p++) {
      const slot = (h.home + p) & (SLOTS - 1)
      if (slot === free) break
      if (this.#matches(slot, h)) {
        const other = Atomics.load(i32, this.#at(slot, ID))
        this.release(free, id, L.FLIGHT_OUTCOME_ABANDONED)
        return { type: 'waiter', slot, id: other }
      }
    }
    return { type: 'owner', slot: free, id }
  }

  /**
   * Another key's flight seen while probing: true when it was just freed because its owner showed no
   * heartbeat (and the flight did not change hands) for a lease since this thread first saw it. Only a
   * waiter of that key would take it over otherwise, and nobody may ask for that key again: a thread
   * terminated while loading keys nobody repeats (a pool's worker killed on a task timeout) held their
   * slots for good, and windows that filled with them lost cross-thread single-flight.
   */
  #freeIfDead(slot: number, id: number, leaseMs: number): boolean {
    const i32 = this.#i32
    const owner = Atomics.load(i32, this.#at(slot, OWNER))
    const beat = Atomics.load(i32, this.#at(slot, BEAT))
    const now = performance.now()
    const seen = this.#idle.get(slot)
    if (seen === undefined || seen.id !== id || seen.owner !== owner || seen.beat !== beat) {
      this.#idle.set(slot, { id, owner, beat, since: now })
      return false
    }
    // Never our own: this thread is alive, it only had no turn to beat (a long synchronous stretch).
    if (now - seen.since <= leaseMs || owner === RELEASING || owner === this.me) return false
    this.#idle.delete(slot)
    // Taken over as a waiter would (owner CAS), then released: its waiters, if any, start over.
    if (Atomics.load(i32, this.#at(slot, ID)) !== id || Atomics.compareExchange(i32, this.#at(slot, OWNER), owner, this.me) !== owner) return false
    if (Atomics.load(i32, this.#at(slot, ID)) !== id) {
      Atomics.compareExchange(i32, this.#at(slot, OWNER), this.me, owner)
      return false
    }
    return this.release(slot, id, L.FLIGHT_OUTCOME_ABANDONED) && Atomics.load(i32, this.#at(slot, TAG)) === 0
  }

  /**
   * Claiming and releasing take microseconds: a slot seen in such a state for a whole lease belongs to
   * a thread that died in the middle, and is freed.
   */
  #clearStale(slot: number, tag: number, leaseMs: number): void {
    const now = performance.now()
    const seen = this.#transient.get(slot)
    if (seen === undefined || seen.tag !== tag) {
      if (this.#transient.size > 64) this.#transient.clear()
      this.#transient.set(slot, { tag, since: now })
    } else if (now - seen.since > leaseMs) {
      Atomics.compareExchange(this.#i32, this.#at(slot, TAG), tag, 0)
      this.#transient.delete(slot)
    }
  }

  /** Whether this thread still owns the flight (it may have been taken over while it stalled). */
  owns(slot: number, id: number): boolean {
    return Atomics.load(this.#i32, this.#at(slot, ID)) === id && Atomics.load(this.#i32, this.#at(slot, OWNER)) === this.me
  }

  beat(slot: number, id: number): void {
    if (this.owns(slot, id)) Atomics.add(this.#i32, this.#at(slot, BEAT), 1)
  }

  /** Waiters of the flight right now. */
  waiters(slot: number): number {
    return Atomics.load(this.#i32, this.#at(slot, WAITERS))
  }

  /**
   * Ends an owned flight with its outcome (the result is already in the cache) and wakes its waiters.
   * `beforeWake` runs after the outcome is visible, with the number of waiters then registered (a waiter
   * registering later sees the flight ended and starts over) and the `done` value that names this end
   * of the flight. Returns false if this thread no longer
   * owned the flight (it was taken over): then nothing is touched.
   */
  release(slot: number, id: number, outcome: Outcome, beforeWake?: (waiters: number, done: number) => void): boolean {
    const i32 = this.#i32
    if (Atomics.load(i32, this.#at(slot, ID)) !== id) return false
    const tag = Atomics.load(i32, this.#at(slot, TAG))
    if (Atomics.compareExchange(i32, this.#at(slot, OWNER), this.me, RELEASING) !== this.me) return false
    const done = (Atomics.load(i32, this.#at(slot, DONE)) + 1) & DONE_MASK
    Atomics.store(i32, this.#at(slot, OUTCOME), (done << OUTCOME_BITS) | outcome)
    Atomics.store(i32, this.#at(slot, DONE), done)
    const waiters = Atomics.load(i32, this.#at(slot, WAITERS))
    Atomics.store(i32, this.#at(slot, ID), 0)
    Atomics.store(i32, this.#at(slot, HASH2), 0)
    Atomics.store(i32, this.#at(slot, OWNER), 0)
    // A CAS, not a store: if a thread already freed the slot (it took us for dead half-way through),
    // the slot may hold someone else's claim by now.
    Atomics.compareExchange(i32, this.#at(slot, TAG), tag, 0)
    try {
      beforeWake?.(waiters, done)
    } finally {
      Atomics.notify(i32, this.#at(slot, DONE))
    }
    return true
  }

  /**
   * Waits for another thread's flight to end. `abandon` stops waiting (every local caller gave up).
   * Takes the flight over when its owner shows no heartbeat for `leaseMs`.
   */
  async wait(slot: number, id: number, h: KeyHash, leaseMs: number, abandon: AbortSignal): Promise<WaitResult> {
    const i32 = this.#i32
    const doneIdx = this.#at(slot, DONE)
    const d = Atomics.load(i32, doneIdx)
    if (id === 0 || !this.#matches(slot, h) || Atomics.load(i32, this.#at(slot, ID)) !== id) return { type: 'retry' }
    Atomics.add(i32, this.#at(slot, WAITERS), 1)
    let registered = true
    try {
      // Registered only now: a flight that ended in between is not ours to read.
      if (Atomics.load(i32, doneIdx) !== d) return { type: 'retry' }
      let owner = Atomics.load(i32, this.#at(slot, OWNER))
      let beat = Atomics.load(i32, this.#at(slot, BEAT))
      let since = performance.now()
      const slice = Math.min(MAX_SLICE_MS, Math.max(HEARTBEAT_MS, leaseMs / 4))
      for (;;) {
        if (abandon.aborted) return { type: 'abandoned' }
        await sleepOn(i32, doneIdx, d, slice, abandon)
        if (Atomics.load(i32, doneIdx) !== d) {
          const o = Atomics.load(i32, this.#at(slot, OUTCOME))
          if (o >>> OUTCOME_BITS !== ((d + 1) & DONE_MASK)) return { type: 'retry' }
          return { type: 'done', outcome: (o & ((1 << OUTCOME_BITS) - 1)) as Outcome, done: (d + 1) & DONE_MASK }
        }
        if (abandon.aborted) return { type: 'abandoned' }
        const o = Atomics.load(i32, this.#at(slot, OWNER))
        const b = Atomics.load(i32, this.#at(slot, BEAT))
        const now = performance.now()
        if (o !== owner || b !== beat) {
          owner = o
          beat = b
          since = now
        } else if (now - since > leaseMs && Atomics.load(i32, this.#at(slot, ID)) === id &&
          Atomics.compareExchange(i32, this.#at(slot, OWNER), o, this.me) === o) {
          if (Atomics.load(i32, this.#at(slot, ID)) !== id || Atomics.load(i32, doneIdx) !== d) {
            // The flight changed hands between our checks and the CAS: give it back, start over.
            Atomics.compareExchange(i32, this.#at(slot, OWNER), this.me, o)
            return { type: 'retry' }
          }
          Atomics.add(i32, this.#at(slot, BEAT), 1)
          Atomics.sub(i32, this.#at(slot, WAITERS), 1)
          registered = false
          return { type: 'owner' }
        }
      }
    } finally {
      if (registered) Atomics.sub(i32, this.#at(slot, WAITERS), 1)
    }
  }
}

/** Poll interval when the arena is not a SharedArrayBuffer (native engine): no waitAsync there. */
const POLL_MS = 5

/**
 * One slice of waiting on `done`: Atomics.waitAsync, bounded by a (referenced) timer so the thread's
 * event loop stays alive while it waits, and cut short by `abandon`. Memory the native engine maps is a
 * plain ArrayBuffer, where waitAsync is not allowed (and another process could not notify anyway): there
 * the slice is a short poll.
 */
function sleepOn(i32: Int32Array, index: number, value: number, ms: number, abandon: AbortSignal): Promise<void> {
  const shared = i32.buffer instanceof SharedArrayBuffer
  const w = shared ? waitAsync(i32, index, value, ms) : undefined
  if (w && !w.async) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer)
      abandon.removeEventListener('abort', finish)
      resolve()
    }
    const timer = setTimeout(finish, w ? ms + 5 : Math.min(ms, POLL_MS))
    abandon.addEventListener('abort', finish, { once: true })
    w?.value.then(finish, finish)
  })
}

/**
 * Heartbeats of the flights this thread owns: one timer per thread while it owns any, unreferenced (a
 * load in progress keeps the process alive by itself; the heartbeat must not).
 */
const owned = new Set<{ table: FlightTable; slot: number; id: number }>()
let heartbeat: NodeJS.Timeout | undefined

export function startBeating(table: FlightTable, slot: number, id: number): () => void {
  const entry = { table, slot, id }
  owned.add(entry)
  if (!heartbeat) {
    heartbeat = setInterval(() => {
      for (const f of owned) f.table.beat(f.slot, f.id)
    }, HEARTBEAT_MS)
    heartbeat.unref()
  }
  return () => {
    owned.delete(entry)
    if (owned.size === 0 && heartbeat) {
      clearInterval(heartbeat)
      heartbeat = undefined
    }
  }
}
