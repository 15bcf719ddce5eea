// Thread slots: each attached thread owns one slot (its id in lock words, its own counters, its
// scratch area). Slots are claimed with a CAS; counters of a thread that leaves are folded into the
// arena's "retired" totals under a tiny spin lock so stats() never loses them.
//
// Every claim writes a fresh nonzero lease id into the slot. A slot is only ever retired by someone who
// names its current lease (the owner detaching, or a thread that found the owner dead: see
// src/engine/slots.ts), so a thread that was wrongly thought dead and lost its slot can never retire,
// or keep writing through, the slot of whoever claimed it next: its lease no longer matches.
import * as L from './layout.generated'
import { maxThreads, threadsOffset, threadBase, threadId, setThread } from './arena'


/** The lease this instance's claim wrote (0 = none). */
let myLease: u32 = 0

export function claimThread(token: u32, lease: u32): i32 {
  for (let i: u32 = 0; i < maxThreads; i++) {
    const base = threadsOffset + i * L.THREAD_SIZE
    if (atomic.cmpxchg<u32>(base + L.THREAD_STATE, L.THREAD_FREE, L.THREAD_LIVE) == L.THREAD_FREE) {
      store<u32>(base + L.THREAD_TOKEN, token)
      store<u32>(base + L.THREAD_TID, 0)
      store<f64>(base + L.THREAD_BEAT, 0)
      store<f64>(base + L.THREAD_TID_START, 0)
      for (let c: u32 = 0; c < L.THREAD_COUNTERS; c++) store<f64>(base + L.THREAD_HITS + c * 8, 0)
      atomic.store<u32>(base + L.THREAD_LOADS_IN_PROGRESS, 0)
      atomic.store<u32>(base + L.THREAD_LEASE, lease)
      myLease = lease
      setThread(i)
      return <i32>i
    }
  }
  return -1
}

function lockStats(): void {
  while (atomic.cmpxchg<i32>(L.ARENA_STATS_LOCK, 0, 1) != 0) {}
}

function unlockStats(): void {
  atomic.store<i32>(L.ARENA_STATS_LOCK, 0)
}

/** Folds this thread's counters into the retired totals and frees its slot, if it still holds it. */
export function releaseThread(): bool {
  if (threadId == 0) return false
  const released = retireHeld(threadBase, myLease)
  myLease = 0
  return released
}

/**
 * Retires slot `slot` if it is live under `lease` (its owner was found dead): 1 if this call retired
 * it, 0 if it was free, being retired, or claimed again meanwhile under another lease.
 */
export function reclaimThread(slot: u32, lease: u32): u32 {
  if (slot >= maxThreads || lease == 0) return 0
  return retireHeld(threadsOffset + slot * L.THREAD_SIZE, lease) ? 1 : 0
}

/**
 * Frees the slot of a thread found dead holding a lock (its counters are kept in the retired totals).
 * The lock word still held its id when we took it over, so its lease is the one the slot has now.
 */
export function retireDeadThread(owner: i32): void {
  if (owner < 1 || <u32>owner > maxThreads) return
  const base = threadsOffset + (<u32>owner - 1) * L.THREAD_SIZE
  retireHeld(base, atomic.load<u32>(base + L.THREAD_LEASE))
}

/**
 * LIVE -> DEAD elects one retirer; the lease is compared after that step, so a slot freed and claimed
 * again meanwhile is put back as it was. An owner releasing while a reclaimer holds the slot DEAD waits
 * the few instructions that takes.
 */
function retireHeld(base: u32, lease: u32): bool {
  const state = base + L.THREAD_STATE
  for (;;) {
    const s = atomic.cmpxchg<u32>(state, L.THREAD_LIVE, L.THREAD_DEAD)
    if (s == L.THREAD_LIVE) break
    if (s != L.THREAD_DEAD) return false
  }
  if (lease == 0 || atomic.load<u32>(base + L.THREAD_LEASE) != lease) {
    atomic.store<u32>(state, L.THREAD_LIVE)
    return false
  }
  lockStats()
  for (let c: u32 = 0; c < L.THREAD_COUNTERS; c++) {
    const retired = L.ARENA_RETIRED_HITS + c * 8
    store<f64>(retired, load<f64>(retired) + load<f64>(base + L.THREAD_HITS + c * 8))
    store<f64>(base + L.THREAD_HITS + c * 8, 0)
  }
  unlockStats()
  // Loads the owner started and never ended (it died, or was thought dead, mid-load) stop counting:
  // every write would otherwise keep paying for the write generations. An owner that is alive after
  // all finds its lease gone and takes nothing off again (src/engine/write-gens.ts).
  const loads = atomic.xchg<u32>(base + L.THREAD_LOADS_IN_PROGRESS, 0)
  if (loads != 0) atomic.sub<u32>(L.ARENA_LOADS_IN_PROGRESS, loads)
  store<u32>(base + L.THREAD_TOKEN, 0)
  atomic.store<u32>(base + L.THREAD_LEASE, 0)
  atomic.store<u32>(state, L.THREAD_FREE)
  return true
}
