// The narrow interface between storage and replacement policy. Storage asks three things: which queue
// a newcomer goes to (or whether to refuse it), which queue to take the next victim from, and what to
// do with the entry at that queue's tail. Policies see hits only through the lock-free `onAccess`.
import * as L from '../layout.generated'
import { policyId } from '../arena'
import { clockTarget, clockVictimQueue, clockDecide } from './clock'
import { adaptiveTarget, adaptiveVictimQueue, adaptiveDecide, adaptiveOnAccess, adaptiveOnEvict, adaptiveInit } from './adaptive'

export { EVICT, REJECT } from './decision'

export function policyInit(sb: u32, shard: u32): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveInit(sb, shard)
}

/** Queue for a new key of `size` bytes with hash `h`, or REJECT. Called under the shard lock. */
export function targetQueue(sb: u32, h: u64, size: u32): i32 {
  return policyId == L.POLICY_ADAPTIVE ? adaptiveTarget(sb, h, size) : clockTarget()
}

export function victimQueue(sb: u32): u32 {
  return policyId == L.POLICY_ADAPTIVE ? adaptiveVictimQueue(sb) : clockVictimQueue()
}

/** EVICT or the queue to move the tail entry of queue q to. Called under the shard lock. */
export function decideTail(sb: u32, q: u32, slot: u32, h: u64, size: u32): u32 {
  return policyId == L.POLICY_ADAPTIVE ? adaptiveDecide(sb, q, slot, h, size) : clockDecide(slot)
}

/** An entry of queue q left the cache by eviction. */
export function onEvict(sb: u32, q: u32, h: u64): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveOnEvict(sb, q, h)
}

/** Any lookup of hash h (hit or miss), lock-free and lossy. */
export function onAccess(sb: u32, h: u64, hit: bool): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveOnAccess(sb, h, hit)
}
