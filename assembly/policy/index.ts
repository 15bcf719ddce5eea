// The narrow interface between storage and replacement policy. Storage asks: where does a newcomer go
// (or is it refused), what follows an insert, and which entry leaves when room is needed. Policies act
// on the queues only through queues.ts (tail, move, evict), and see hits through the lock-free
// onAccess. `clock` is the simple baseline; `adaptive` the default (see adaptive.ts).
import * as L from '../layout.generated'
import { policyId, preload } from '../arena'
import { clockEvictOne, CLOCK_QUEUE } from './clock'
import { adaptiveInit, adaptiveInsert, adaptiveAfterInsert, adaptiveEvictOne, adaptiveOnAccess, adaptiveOnHit, adaptiveInsertFlags, adaptiveOnAccesses, adaptiveOnMiss, contestFree } from './adaptive'
import { estimate, filterAsked } from '../sketch'
import { ghostWord } from '../ghost'
import { freeCount } from '../segments'

export { REJECT } from './decision'
import { UNCONTESTED } from './decision'
import { isBig } from './units'

/**
 * Formats shard sb's policy state. `zeroed`: its sketch and ghost areas are known to be zeros (a memory
 * WebAssembly just made), so they are not filled again: filling touches every page, and an empty
 * 256 MiB cache took 37 MiB of RSS before any set (stop 36). A cleared shard's areas are filled.
 */
export function policyInit(sb: u32, shard: u32, zeroed: bool): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveInit(sb, shard, zeroed)
}

/**
 * Queue for a new key of `size` bytes with hash `h`, or REJECT; `segments` is what a LARGE entry needs
 * free (its value's chain and a segment for its record), 0 for any other; `askedBefore`: what
 * policyTouchNew said. Under the shard lock.
 */
export function policyInsert(sb: u32, h: u64, size: u32, now: f64, segments: u32, askedBefore: bool): i32 {
  return policyId == L.POLICY_ADAPTIVE ? adaptiveInsert(sb, h, size, now, segments, askedBefore) : <i32>CLOCK_QUEUE
}

/**
 * Starts loading the policy state the set of a new key with hash h will use after its evictions (its
 * miss-filter word and ghost bucket), so those cache misses overlap each other and the index's instead
 * of following one another. (Its sketch block needs no such load: the set counts the access in it at
 * once.) Returns whether a get missed the key (the miss filter's 'missed' bit), read before the set
 * counts the access: a count that halves the sketch clears the filter, and a key loaded after a miss
 * would then look written unasked (UNASKED_KEEP would keep that mark). Under the shard lock.
 */
export function policyTouchNew(sb: u32, h: u64): bool {
  if (policyId != L.POLICY_ADAPTIVE) return false
  preload(ghostWord(sb, h))
  return filterAsked(sb, h)
}

/**
 * The policy's flags for the entry of the insert policyInsert just placed (ENTRY_UNASKED: LATE_FLAG;
 * ENTRY_TRACER: TRACER_FLAG), which every move and an update keep. Under the shard lock.
 */
export function policyInsertFlags(): u32 {
  return policyId == L.POLICY_ADAPTIVE ? adaptiveInsertFlags() : 0
}

/** After a new entry went into queue q. Under the shard lock. */
export function policyAfterInsert(sb: u32, q: u32, now: f64): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveAfterInsert(sb, q, now)
}

/**
 * Makes one entry leave the shard to make room for a newcomer of `incoming` bytes (0 when the room is
 * not for a newcomer); false when the shard holds nothing. Under the shard lock.
 */
export function policyEvictOne(sb: u32, incoming: u32, now: f64): bool {
  return policyId == L.POLICY_ADAPTIVE ? adaptiveEvictOne(sb, incoming, now) : clockEvictOne(sb, now)
}

/** An access that counts for frequency (a hit, lock-free and lossy; or a set, under the lock). */
export function policyOnAccess(sb: u32, h: u64): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveOnAccess(sb, h)
}

/**
 * A get that hit (lock-free, lossy): an access that also counts as a hit (COLD_HITS). `block`: the
 * key's sketch block (sketchBlockOf), 0 without a sketch. `firstInProbation`: the entry is in probation
 * and was not hit since it got there (LATE_HIT). `entryFlags`: the entry's flags (ENTRY_UNASKED, ENTRY_TRACER).
 */
export function policyOnHit(sb: u32, h: u64, block: u32, firstInProbation: bool, entryFlags: u32): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveOnHit(sb, h, block, firstInProbation, entryFlags)
}

/** `times` accesses at once (a front's batched hits, lock-free): what `times` calls of policyOnAccess do. */
export function policyOnAccesses(sb: u32, h: u64, times: u32): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveOnAccesses(sb, h, times)
}

/** A get that missed (lock-free; not a peek). */
export function policyOnMiss(sb: u32, h: u64): void {
  if (policyId == L.POLICY_ADAPTIVE) adaptiveOnMiss(sb, h)
}

/** The frequency a newcomer with hash `h` brings to a contest in another shard (0 without a sketch). */
export function policyEstimate(sb: u32, h: u64): u32 {
  return policyId == L.POLICY_ADAPTIVE ? estimate(sb, h) : 0
}

/**
 * What a LARGE newcomer of policy cost `size` brings to the lenders' contests: its frequency when it is
 * big (BIG_NEWCOMER: it must earn its room there too), else UNCONTESTED, so that lenders give up their
 * victims in eviction order, as its own shard makes its room (0 without a sketch).
 */
export function policyLendFrequency(sb: u32, h: u64, size: u32): u32 {
  if (policyId != L.POLICY_ADAPTIVE) return 0
  return isBig(sb, size) ? estimate(sb, h) : UNCONTESTED
}

/**
 * Makes `segments` segments free (and one spare) in shard `sb` for another shard's LARGE newcomer of
 * frequency `fc`, as far as its victims lose to it (adaptive) or by plain eviction (clock). Under
 * `sb`'s lock; the caller takes what is free afterwards.
 */
export function policyLend(sb: u32, fc: u32, segments: u32, now: f64): void {
  if (policyId == L.POLICY_ADAPTIVE) {
    contestFree(sb, fc, segments, now)
    return
  }
  while (freeCount(sb) < segments + 1) {
    if (!clockEvictOne(sb, now)) break
  }
}
