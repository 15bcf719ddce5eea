// Shard locks: compare-and-swap in WebAssembly, never memory.atomic.wait32 (on Node 20 a wasm wait
// woken by notify corrupts the waiting function's locals: BRIEF, fact 3). When spinning fails we
// return "contended" and the JS side blocks with Atomics.wait on the same lock word.
//
// Each shard also has a sequence number (a seqlock): odd while a writer is inside, bumped on entry and
// exit. Readers never take the lock: they read the sequence, look the key up, copy the value out, and
// check the sequence did not move.
import * as L from './layout.generated'
import { threadId } from './arena'

const SPINS: i32 = 64

export function tryLock(sb: u32): bool {
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<i32>(sb + L.SHARD_LOCK) == 0 && atomic.cmpxchg<i32>(sb + L.SHARD_LOCK, 0, <i32>threadId) == 0) {
      atomic.add<u32>(sb + L.SHARD_SEQ, 1)
      return true
    }
  }
  return false
}

/** Releases the shard; returns true when threads are blocked on it and must be notified from JS. */
export function unlock(sb: u32): bool {
  atomic.add<u32>(sb + L.SHARD_SEQ, 1)
  atomic.store<i32>(sb + L.SHARD_LOCK, 0)
  return atomic.load<i32>(sb + L.SHARD_WAITERS) > 0
}

/**
 * Takes a lock whose owner is presumed dead (the JS side saw the same owner and sequence for longer
 * than the lease). Succeeds only if the lock word still holds that owner, so two rescuers can't both win.
 */
export function takeOver(sb: u32, deadOwner: i32): bool {
  if (atomic.cmpxchg<i32>(sb + L.SHARD_LOCK, deadOwner, <i32>threadId) != deadOwner) return false
  // Leave the sequence odd (the dead writer left it odd, or we make it so) until the repair is done.
  const seq = atomic.load<u32>(sb + L.SHARD_SEQ)
  if ((seq & 1) == 0) atomic.store<u32>(sb + L.SHARD_SEQ, seq + 1)
  return true
}
