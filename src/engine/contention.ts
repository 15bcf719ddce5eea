/**
 * Waiting for a busy shard, in JS. The engine only spins briefly and then reports "contended"; here we
 * block with Atomics.wait on the shard's lock word (never inside WebAssembly: BRIEF, fact 3), and the
 * releasing thread wakes us with Atomics.notify.
 *
 * Dead owners: a thread terminated inside a critical section never releases its lock. A waiter that
 * sees the same owner and the same sequence number for longer than LEASE_MS presumes the owner dead,
 * takes the lock over with a CAS on that exact owner id, and rebuilds the shard from its log. Critical
 * sections are microseconds long, so a live owner is never anywhere near the lease.
 */
import * as L from '../layout/constants.generated.js'

export const LEASE_MS = 400
/** Sleep granularity while waiting: short enough that a missed wake-up costs little. */
const WAIT_SLICE_MS = 5

export interface WaitState {
  owner: number
  seq: number
  since: number
}

export function newWaitState(): WaitState {
  return { owner: -1, seq: -1, since: 0 }
}

export interface ShardLocator {
  i32: Int32Array
  shardsOffset: number
  shardBytes: number
  recover(shard: number, deadOwner: number): void
}

/** Blocks until the shard's lock looks free (or was recovered from a dead owner); then retry. */
export function waitForShard(ctx: ShardLocator, shard: number, state: WaitState): void {
  const base = ctx.shardsOffset + shard * ctx.shardBytes
  const lockIdx = (base + L.SHARD_LOCK) >>> 2
  const i32 = ctx.i32
  const owner = Atomics.load(i32, lockIdx)
  if (owner === 0) return
  const seq = Atomics.load(i32, (base + L.SHARD_SEQ) >>> 2)
  const t = performance.now()
  if (owner !== state.owner || seq !== state.seq) {
    state.owner = owner
    state.seq = seq
    state.since = t
  } else if (t - state.since > LEASE_MS) {
    ctx.recover(shard, owner)
    state.owner = -1
    return
  }
  const waitersIdx = (base + L.SHARD_WAITERS) >>> 2
  Atomics.add(i32, waitersIdx, 1)
  Atomics.wait(i32, lockIdx, owner, WAIT_SLICE_MS)
  Atomics.sub(i32, waitersIdx, 1)
}

export function notifyShard(ctx: ShardLocator, shard: number): void {
  Atomics.notify(ctx.i32, (ctx.shardsOffset + shard * ctx.shardBytes + L.SHARD_LOCK) >>> 2)
}
