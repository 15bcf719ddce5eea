// Thread slots: each attached thread owns one slot (its id in lock words, its own counters, its
// scratch area). Slots are claimed with a CAS; counters of a thread that detaches are folded into the
// arena's "retired" totals under a tiny spin lock so stats() never loses them.
import * as L from './layout.generated'
import { maxThreads, threadsOffset, threadBase, setThread } from './arena'


export function claimThread(token: u32): i32 {
  for (let i: u32 = 0; i < maxThreads; i++) {
    const base = threadsOffset + i * L.THREAD_SIZE
    if (atomic.cmpxchg<u32>(base + L.THREAD_STATE, L.THREAD_FREE, L.THREAD_LIVE) == L.THREAD_FREE) {
      store<u32>(base + L.THREAD_TOKEN, token)
      for (let c: u32 = 0; c < L.THREAD_COUNTERS; c++) store<f64>(base + L.THREAD_HITS + c * 8, 0)
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

/** Folds this thread's counters into the retired totals and frees its slot. */
export function releaseThread(): void {
  retire(threadBase)
}

/**
 * Frees the slot of a thread found dead holding a lock (its counters are kept in the retired totals),
 * so terminated workers don't use up maxThreads. A terminated thread that held no lock keeps its slot.
 */
export function retireDeadThread(owner: i32): void {
  if (owner < 1 || <u32>owner > maxThreads) return
  const base = threadsOffset + (<u32>owner - 1) * L.THREAD_SIZE
  if (atomic.load<u32>(base + L.THREAD_STATE) == L.THREAD_LIVE) retire(base)
}

function retire(base: u32): void {
  lockStats()
  for (let c: u32 = 0; c < L.THREAD_COUNTERS; c++) {
    const retired = L.ARENA_RETIRED_HITS + c * 8
    store<f64>(retired, load<f64>(retired) + load<f64>(base + L.THREAD_HITS + c * 8))
    store<f64>(base + L.THREAD_HITS + c * 8, 0)
  }
  unlockStats()
  atomic.store<u32>(base + L.THREAD_STATE, L.THREAD_FREE)
}
