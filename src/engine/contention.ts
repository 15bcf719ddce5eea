/**
 * Waiting for a busy shard, in JS. The engine only spins briefly and then reports "contended"; here we
 * block with Atomics.wait on the shard's lock word (never inside WebAssembly: BRIEF, fact 3), and the
 * releasing thread wakes us with Atomics.notify.
 *
 * Dead owners: a thread terminated inside a critical section never releases its lock. A waiter that
 * sees the same owner and the same sequence number for longer than LEASE_MS presumes the owner dead,
 * takes the lock over with a CAS on that exact owner id, and rebuilds the shard from its log, unless
 * the owner is a thread of this process known to be alive (slots.ts: its OS thread id and start time).
 * Most critical sections are microseconds long, but a set or a locked read of a value of hundreds of
 * MiB copies it under the lock, which takes seconds on a busy host: taking such a live writer's lock
 * over would rebuild the shard under its feet.
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
  /** Whether lock owner `owner` is a thread of this process known to be alive (SlotLease.holderAlive). */
  holderAlive(owner: number): boolean
}

/**
 * How long the shard's current owner has held its lock unmoved (same owner, same sequence number), as
 * far as `state` has watched it: 0 when it just changed, -1 when the lock is free. The owner goes to
 * `state.owner`.
 */
function heldFor(ctx: ShardLocator, shard: number, state: WaitState): number {
  const base = ctx.shardsOffset + shard * ctx.shardBytes
  const owner = Atomics.load(ctx.i32, (base + L.SHARD_LOCK) >>> 2)
  if (owner === 0) return -1
  const seq = Atomics.load(ctx.i32, (base + L.SHARD_SEQ) >>> 2)
  const t = performance.now()
  if (owner !== state.owner || seq !== state.seq) {
    state.owner = owner
    state.seq = seq
    state.since = t
  }
  return t - state.since
}

/** Blocks until the shard's lock looks free (or was recovered from a dead owner); then retry. */
export function waitForShard(ctx: ShardLocator, shard: number, state: WaitState): void {
  const held = heldFor(ctx, shard, state)
  if (held < 0) return
  const owner = state.owner
  if (held > LEASE_MS) {
    if (ctx.holderAlive(owner)) {
      // Alive, and busy (a large copy): wait on, and look again after another lease.
      state.since = performance.now()
    } else {
      ctx.recover(shard, owner)
      state.owner = -1
      return
    }
  }
  const base = ctx.shardsOffset + shard * ctx.shardBytes
  const waitersIdx = (base + L.SHARD_WAITERS) >>> 2
  Atomics.add(ctx.i32, waitersIdx, 1)
  Atomics.wait(ctx.i32, (base + L.SHARD_LOCK) >>> 2, owner, WAIT_SLICE_MS)
  Atomics.sub(ctx.i32, waitersIdx, 1)
}

export function notifyShard(ctx: ShardLocator, shard: number): void {
  Atomics.notify(ctx.i32, (ctx.shardsOffset + shard * ctx.shardBytes + L.SHARD_LOCK) >>> 2)
}

/**
 * The lease the native engine's wait may apply to a shard's current owner (it waits and takes over in
 * the addon, at once for an owner whose process is gone): none for a live thread of this process, once
 * the owner has held the lock for half a lease (the /proc read is not paid on short waits).
 */
export function leaseFor(ctx: ShardLocator, shard: number, state: WaitState): number {
  return heldFor(ctx, shard, state) > LEASE_MS / 2 && ctx.holderAlive(state.owner) ? Infinity : LEASE_MS
}
