/**
 * Thread slots that outlive no thread. Each thread attached to an arena holds one of its `maxThreads`
 * slots (its lock-owner id, its counters, its scratch area). A thread that exits without close() (it
 * returned, was terminate()d, or died of an uncaught error) runs none of our code, so its slot is
 * reclaimed by the next thread that needs one:
 *
 * - Identity. At attach the owner stamps its slot with its OS thread id and that thread's start time
 *   (Linux: /proc/thread-self). A thread whose /proc/<pid>/task/<tid> is gone, or now belongs to a
 *   thread started at another time, is dead for certain: its slot is reclaimed at once.
 * - Lease. Where the OS thread can't be identified, the owner refreshes a heartbeat in its slot every
 *   BEAT_MS from an unref'd timer (off the hot path); a slot whose heartbeat is older than
 *   THREAD_LEASE_MS is presumed dead. (Where it can, no timer runs.)
 * - Reclaiming folds the slot's counters into the arena's retired totals (stats() loses nothing) and
 *   frees it, in the engine, under the slot's lease id: a slot claimed again meanwhile is left alone.
 *   A slot whose id still holds a shard lock is left to lock recovery (src/engine/contention.ts).
 * - Wrongly thought dead. A live thread that stalled past the lease may lose its slot. Every call of
 *   the Cache compares the lease id in the slot with its own (one load, the same cost as the closed
 *   check it replaces); on a mismatch it claims a new slot before touching scratch or counters, so it
 *   never writes through the slot its successor holds. Counters it kept there were already folded in.
 */
import { readFileSync, readlinkSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import * as L from '../layout/constants.generated.js'
import type { ArenaViews } from './views.js'

/** How often a live owner refreshes its heartbeat. */
export const BEAT_MS = 1000
/** A heartbeat older than this marks its owner dead where the OS thread can't be identified. */
export const THREAD_LEASE_MS = 10_000
/** How long an attach waits for a slot while all are held by live threads (e.g. exiting workers). */
export const ATTACH_PATIENCE_MS = 2000

/**
 * Test hook (this thread only): a shorter lease (heartbeats 5 times as often), and ignoring OS thread
 * ids, so a live thread that stalls can be thought dead. No options: back to the defaults.
 */
const tuning = { leaseMs: THREAD_LEASE_MS, beatMs: BEAT_MS, useThreadIds: true }
export function tuneLivenessForTests(options: { leaseMs?: number; useThreadIds?: boolean } = {}): void {
  tuning.leaseMs = options.leaseMs ?? THREAD_LEASE_MS
  tuning.beatMs = options.leaseMs === undefined ? BEAT_MS : Math.max(1, Math.floor(options.leaseMs / 5))
  tuning.useThreadIds = options.useThreadIds ?? true
  heartbeat.restart()
}

/** The engine calls and the views a claim needs. */
export interface SlotClaimer {
  views: ArenaViews
  threadsOffset: number
  maxThreads: number
  shardCount: number
  /** Where shard headers appear in `views`. */
  shardsOffset: number
  shardBytes: number
  /** The pid a slot's token names (native slots hold their pid), or undefined when it is this process. */
  pidOf(token: number): number | undefined
  claim(lease: number): number
  /** Retires `slot` if it is live under `lease`; true if this call did. */
  reclaim(slot: number, lease: number): boolean
}

// ---- this thread's identity ------------------------------------------------------------------------

interface ThreadIdentity { tid: number; start: number }
let me: ThreadIdentity | null | undefined

/** This OS thread's id and start time (clock ticks since boot), or null where /proc can't tell. */
function currentThread(): ThreadIdentity | null {
  if (me !== undefined) return me
  me = null as ThreadIdentity | null
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    const start = startTime(process.pid, tid)
    if (Number.isSafeInteger(tid) && tid > 0 && typeof start === 'number') me = { tid, start }
  } catch {
    // Not Linux (or no /proc): heartbeats alone tell the living from the dead.
  }
  return me
}

/** Field 22 of /proc/<pid>/task/<tid>/stat; null when the thread is gone, undefined when unknowable. */
function startTime(pid: number, tid: number): number | null | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1')
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined
  }
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const start = Number(fields[22 - 3])
  return Number.isFinite(start) ? start : undefined
}

// ---- the lease a thread holds -----------------------------------------------------------------------

/**
 * The slot this thread holds: its lease id, where the Cache checks it, and its heartbeat. Beats come
 * from one unref'd timer per thread that holds these only weakly, so a cache dropped without close()
 * is still garbage-collected. An ended lease lets go of the arena: a WeakRef keeps its target alive
 * until the current job ends (the spec's KeepDuringJob), so a synchronous loop that made and closed
 * caches held every closed arena until it yielded (stop 35 measured 12 closed caches of 256 MiB at
 * 2.9 GB).
 */
export class SlotLease {
  readonly slot: number
  readonly lease: number
  /** Index in `views.u32` of the slot's lease word. */
  readonly leaseIndex: number
  #views: ArenaViews | undefined
  readonly #beatIndex: number
  readonly #ref: WeakRef<SlotLease> | undefined
  readonly #threadsOffset: number
  readonly #maxThreads: number
  #pidOf: ((token: number) => number | undefined) | undefined

  constructor(views: ArenaViews, threadsOffset: number, slot: number, lease: number, maxThreads: number, pidOf: (token: number) => number | undefined) {
    const base = threadsOffset + slot * L.THREAD_SIZE
    this.#threadsOffset = threadsOffset
    this.#maxThreads = maxThreads
    this.#pidOf = pidOf
    this.slot = slot
    this.lease = lease
    this.leaseIndex = (base + L.THREAD_LEASE) >>> 2
    this.#views = views
    this.#beatIndex = (base + L.THREAD_BEAT) >>> 3
    const id = tuning.useThreadIds ? currentThread() : null
    // The start time first, then the id (atomically, so it is seen after): a reclaimer that finds an id
    // must find its start time too, or it would take a live thread for one that reused its id.
    views.f64[(base + L.THREAD_TID_START) >>> 3] = id?.start ?? 0
    Atomics.store(views.u32, (base + L.THREAD_TID) >>> 2, id?.tid ?? 0)
    this.beat()
    // With the OS thread identified, liveness is read from /proc and no timer is needed (nor started:
    // a timer would also show up in users' fake-timer tests), nor a WeakRef.
    this.#ref = id === null ? new WeakRef(this) : undefined
    if (this.#ref !== undefined) heartbeat.add(this.#ref)
  }

  get held(): boolean {
    return this.#views !== undefined && this.#views.u32[this.leaseIndex] === this.lease
  }

  beat(): void {
    if (this.held) this.#views!.f64[this.#beatIndex] = Date.now()
  }

  end(): void {
    if (this.#ref !== undefined) heartbeat.delete(this.#ref)
    this.#views = undefined
    this.#pidOf = undefined
  }

  /**
   * Whether the holder of a shard lock (`owner`: its slot + 1) is certainly alive: an OS thread of this
   * process other than this one, still the thread that attached. Such a holder releases the lock
   * however long it keeps it (copying a value of hundreds of MiB in or out takes seconds), so it must
   * never be taken over. False when that can't be told (no thread ids, a slot of another process: the
   * engine checks its pid), and for this very thread (another attachment of it, which can't release
   * while this one waits: it is taken over after the lease, as a dead thread's lock is).
   */
  holderAlive(owner: number): boolean {
    const views = this.#views
    if (views === undefined || this.#pidOf === undefined) return false
    if (!tuning.useThreadIds || !Number.isInteger(owner) || owner < 1 || owner > this.#maxThreads) return false
    const u32 = views.u32
    const base = this.#threadsOffset + (owner - 1) * L.THREAD_SIZE
    const tid = Atomics.load(u32, (base + L.THREAD_TID) >>> 2)
    const self = currentThread()
    if (tid === 0 || self === null || tid === self.tid) return false
    if (this.#pidOf(u32[(base + L.THREAD_TOKEN) >>> 2]!) !== undefined) return false
    return slotThreadAlive(views, base, process.pid, tid) === true
  }
}

const heartbeat = new (class {
  #leases = new Set<WeakRef<SlotLease>>()
  #timer: NodeJS.Timeout | undefined

  add(ref: WeakRef<SlotLease>): void {
    this.#leases.add(ref)
    this.#timer ??= setInterval(() => this.#tick(), tuning.beatMs).unref()
  }

  restart(): void {
    if (this.#timer === undefined) return
    this.#stop()
    this.#timer = setInterval(() => this.#tick(), tuning.beatMs).unref()
  }

  delete(ref: WeakRef<SlotLease>): void {
    this.#leases.delete(ref)
    if (this.#leases.size === 0) this.#stop()
  }

  #tick(): void {
    for (const ref of this.#leases) {
      const lease = ref.deref()
      if (lease === undefined) this.#leases.delete(ref)
      else lease.beat()
    }
    if (this.#leases.size === 0) this.#stop()
  }

  #stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
})()

// ---- claiming and reclaiming -------------------------------------------------------------------------

/**
 * Claims a slot for this thread, waiting up to ATTACH_PATIENCE_MS for threads that are exiting when
 * every slot is held. Undefined when `maxThreads` live threads hold them all. Slots of dead threads are
 * reclaimed first, not only when none is free: a pool that recycles its workers then retires each dead
 * worker's slot when the next one attaches, which also takes its unfinished loads off the count every
 * write reads (src/engine/write-gens.ts). It costs one /proc read per live slot, once per attach.
 */
export function claimSlot(c: SlotClaimer): SlotLease | undefined {
  const lease = randomInt(1, 0xffffffff)
  const deadline = Date.now() + ATTACH_PATIENCE_MS
  reclaimDeadSlots(c)
  for (;;) {
    const slot = c.claim(lease)
    if (slot >= 0) return new SlotLease(c.views, c.threadsOffset, slot, lease, c.maxThreads, c.pidOf)
    if (reclaimDeadSlots(c) > 0) continue
    if (Date.now() > deadline) return undefined
    sleep(10)
  }
}

/** Reclaims every slot whose owner is dead; returns how many. */
export function reclaimDeadSlots(c: SlotClaimer): number {
  const { u32, f64, i32 } = c.views
  const now = Date.now()
  let reclaimed = 0
  for (let slot = 0; slot < c.maxThreads; slot++) {
    const base = c.threadsOffset + slot * L.THREAD_SIZE
    if (Atomics.load(u32, (base + L.THREAD_STATE) >>> 2) !== L.THREAD_LIVE) continue
    const lease = Atomics.load(u32, (base + L.THREAD_LEASE) >>> 2)
    if (lease === 0 || !ownerDead(c, base, now)) continue
    if (holdsAShardLock(i32, c, slot + 1)) continue
    if (c.reclaim(slot, lease)) reclaimed++
  }
  return reclaimed
}

function ownerDead(c: SlotClaimer, base: number, now: number): boolean {
  const { u32, f64 } = c.views
  const tid = Atomics.load(u32, (base + L.THREAD_TID) >>> 2)
  if (tid !== 0 && tuning.useThreadIds) {
    // An owner identified by its OS thread runs no heartbeat: if /proc can't tell (another user's
    // process), it is not presumed dead (a dead process is still found by its pid, in the engine).
    const pid = c.pidOf(u32[(base + L.THREAD_TOKEN) >>> 2]) ?? process.pid
    return slotThreadAlive(c.views, base, pid, tid) === false
  }
  const beat = f64[(base + L.THREAD_BEAT) >>> 3]
  return beat !== 0 && now - beat > tuning.leaseMs
}

/**
 * Whether the OS thread `tid` of process `pid`, recorded in the slot at `base`, is still the one that
 * attached (its start time unchanged): false when it is gone or its id now names a thread started at
 * another time, undefined when /proc can't tell.
 */
function slotThreadAlive(views: ArenaViews, base: number, pid: number, tid: number): boolean | undefined {
  const start = startTime(pid, tid)
  if (start === undefined) return undefined
  return start !== null && start === views.f64[(base + L.THREAD_TID_START) >>> 3]
}

function holdsAShardLock(i32: Int32Array, c: SlotClaimer, owner: number): boolean {
  for (let s = 0; s < c.shardCount; s++)
    if (Atomics.load(i32, (c.shardsOffset + s * c.shardBytes + L.SHARD_LOCK) >>> 2) === owner) return true
  return false
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}
