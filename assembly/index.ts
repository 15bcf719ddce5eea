// The engine's exported operations: thin entry points that take the shard lock, call the parts, and
// release it. Keys (and small values) arrive in this thread's scratch area; results leave in its RESULT
// block. Status codes, flags and the RESULT layout are defined in src/layout/spec.json.
import * as L from './layout.generated'
import { loadGeometry, shardCount, shardBase, scratchBase, setThread } from './arena'
import { tryLock, unlock, takeOver } from './lock'
import { lookup, prepareKey, lastShard, keyAddr, collect } from './read'
import { beginSet, finishSet, copyValueIn, removeKey, clearShard } from './write'
import { reclaimAll } from './ttl'
import { claimThread, releaseThread, retireDeadThread, reclaimThread } from './threads'
import { initSegments } from './segments'
import { policyInit } from './policy/index'
import { rebuildShard, verifyShard } from './recovery'
import { bump } from './queues'
import { estimate, locateCounters, positions } from './sketch'

/**
 * Called once by the creating thread after it wrote the arena header, on the memory it just made: all
 * zeros, so the policy's areas need no clearing (policyInit's `zeroed`).
 */
export function init(): void {
  loadGeometry()
  for (let s: u32 = 0; s < shardCount; s++) {
    const sb = shardBase(s)
    memory.fill(sb, 0, L.SHARD_SIZE)
    initSegments(sb, false)
    store<u32>(sb + L.SHARD_RNG_LO, 0x9E3779B9 ^ s)
    store<u32>(sb + L.SHARD_RNG_HI, 0x85EBCA6B + s)
    policyInit(sb, s, true)
  }
}

/** Every thread (the creator included) attaches: reads the geometry and claims a thread slot. */
export function attach(token: u32, lease: u32): i32 {
  loadGeometry()
  return claimThread(token, lease)
}

/** Retires the slot of a thread found dead, if it still holds it under `lease` (see threads.ts). */
export function reclaim(slot: u32, lease: u32): u32 {
  loadGeometry()
  return reclaimThread(slot, lease)
}

/** Leaves this thread's slot: 1 if it still held it, 0 if it had been reclaimed (thought dead). */
export function detach(): u32 {
  return releaseThread() ? 1 : 0
}

/** Re-binds this instance to a slot it already owns (used by tests that simulate a second thread). */
export function useSlot(slot: u32): void {
  setThread(slot)
}

function contended(shard: u32): u32 {
  store<u32>(scratchBase + L.RESULT_SHARD, shard)
  return L.STATUS_CONTENDED
}

function release(sb: u32, status: u32): u32 {
  return unlock(sb) ? status | L.STATUS_WAITERS_BIT : status
}

export function get(keyLen: u32, now: f64, flags: u32): u32 {
  return lookup(keyAddr(), keyLen, now, flags)
}

/** The shard locked by the last begin() (per instance, so per thread). */
let lockedShard: u32 = 0

/** Locks the key's shard and runs the first half of a set; on STORED the lock stays held. */
function begin(keyLen: u32, valueLen: u32, kind: u32, ttl: f64, now: f64): u32 {
  const key = keyAddr()
  const h = prepareKey(key, keyLen)
  const shard = lastShard
  const sb = shardBase(shard)
  if (!tryLock(sb)) return contended(shard)
  lockedShard = shard
  const status = beginSet(sb, h, key, keyLen, valueLen, kind, ttl, now)
  return status == L.STATUS_STORED ? status : release(sb, status)
}

/** One-shot set: key then value in scratch. */
export function set(keyLen: u32, valueLen: u32, kind: u32, ttl: f64, now: f64): u32 {
  const status = begin(keyLen, valueLen, kind, ttl, now)
  if (status != L.STATUS_STORED) return status
  copyValueIn(keyAddr() + keyLen, valueLen)
  finishSet()
  return release(shardBase(lockedShard), status)
}

/**
 * Set for values too large for scratch: on STORED the lock stays held and RESULT.valueOffset says
 * where JS must write the value; then setCommit() publishes the entry and unlocks.
 */
export function setReserve(keyLen: u32, valueLen: u32, kind: u32, ttl: f64, now: f64): u32 {
  // RESULT.kind says whether the value goes into a chain of segments (beginSet sets KIND_CHAINED).
  store<u32>(scratchBase + L.RESULT_KIND, 0)
  return begin(keyLen, valueLen, kind, ttl, now)
}

export function setCommit(shard: u32): u32 {
  finishSet()
  return release(shardBase(shard), L.STATUS_STORED)
}

/** Removes the key in scratch; `mode` is REMOVE_DELETE, REMOVE_EXPIRED or REMOVE_INVALIDATE. */
export function remove(keyLen: u32, now: f64, mode: u32): u32 {
  const key = keyAddr()
  prepareKey(key, keyLen)
  const shard = lastShard
  const sb = shardBase(shard)
  if (!tryLock(sb)) return contended(shard)
  return release(sb, removeKey(sb, key, keyLen, now, mode))
}

export function clear(shard: u32): u32 {
  const sb = shardBase(shard)
  if (!tryLock(sb)) return contended(shard)
  clearShard(sb, shard)
  return release(sb, L.STATUS_STORED)
}

/** Removes every expired entry of a shard; returns how many, or COUNT_BUSY when contended. */
export function purge(shard: u32, now: f64): u32 {
  const sb = shardBase(shard)
  if (!tryLock(sb)) return L.COUNT_BUSY
  const n = reclaimAll(sb, now)
  unlock(sb)
  return n
}

/** Locks a shard for a slow path driven from JS (iteration under heavy writes, dumps). */
export function lockShard(shard: u32): u32 {
  return tryLock(shardBase(shard)) ? 1 : 0
}

export function unlockShard(shard: u32): u32 {
  return unlock(shardBase(shard)) ? L.STATUS_WAITERS_BIT : 0
}

/**
 * Takes over a shard whose lock `deadOwner` held for longer than the lease, rebuilds it from its log
 * and unlocks it. Returns 1 if this thread did the repair, 0 if the lock had moved on meanwhile.
 */
export function recover(shard: u32, deadOwner: i32, now: f64): u32 {
  const sb = shardBase(shard)
  if (!takeOver(sb, deadOwner)) return 0
  rebuildShard(sb, shard, now)
  bump(sb, L.SHARD_LOCK_RECOVERIES)
  retireDeadThread(deadOwner)
  unlock(sb)
  return 1
}

/** Rebuilds a shard from its log under the lock (tests and repair tools). */
export function rebuild(shard: u32, now: f64): u32 {
  const sb = shardBase(shard)
  if (!tryLock(sb)) return contended(shard)
  rebuildShard(sb, shard, now)
  return release(sb, L.STATUS_STORED)
}

/** 0 when the shard is consistent, else the code of the first broken invariant; COUNT_BUSY if busy. */
export function verify(shard: u32): u32 {
  const sb = shardBase(shard)
  if (!tryLock(sb)) return L.COUNT_BUSY
  const code = verifyShard(sb, shard)
  unlock(sb)
  return code
}

/** Lists live entries of buckets [from, from + count) into scratch after RESULT (see read.ts). */
export function entries(shard: u32, from: u32, count: u32, max: u32, now: f64): u32 {
  return collect(shard, from, count, keyAddr(), max, now)
}

export { batchGet as getMany, batchSet as setMany } from './batch'
export { recordAccesses } from './read'

/**
 * For tests of the policy: the sketch's estimate for the key in scratch (its return value), and where
 * its counters are (RESULT.shard, RESULT.valueOffset = block, RESULT.valueLen = packed positions).
 */
export function sketchProbe(keyLen: u32): u32 {
  const h = prepareKey(keyAddr(), keyLen)
  const sb = shardBase(lastShard)
  store<u32>(scratchBase + L.RESULT_VALUE_OFFSET, locateCounters(h))
  store<u32>(scratchBase + L.RESULT_VALUE_LEN, positions)
  return estimate(sb, h)
}
