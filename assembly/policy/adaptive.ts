// The default policy (first version): S3-FIFO. Newcomers enter a small FIFO queue; those hit while
// there move to the main queue, the others leave and are remembered by the ghost; a newcomer found in
// the ghost goes straight to main. Main is a FIFO with reinsertion while its counter is above zero.
import * as L from '../layout.generated'
import { setSlotFreq, slotFreq } from '../hashindex'
import { queueBytes, queueCount } from '../segments'
import { increment, clearSketch } from '../sketch'
import { ghostAdd, ghostTake, clearGhost } from '../ghost'
import { maxEntriesPerShard, maxEntriesTotal, shardCount } from '../arena'
import { EVICT } from './decision'

const SMALL = L.QUEUE_SMALL
const MAIN = L.QUEUE_MAIN
const P_SMALL_PERMILLE: u32 = L.POLICY_STATE_OFFSET

export function adaptiveInit(sb: u32, shard: u32): void {
  store<u32>(sb + P_SMALL_PERMILLE, 100)
  // A shard's expected share of the entries sizes its sketch's sample.
  const cap = maxEntriesTotal != 0 ? min<u32>(maxEntriesPerShard, maxEntriesTotal / shardCount + 1) : maxEntriesPerShard
  clearSketch(sb, cap)
  clearGhost(sb)
}

export function adaptiveTarget(sb: u32, h: u64, size: u32): i32 {
  const window = queueCount(sb, MAIN) + queueCount(sb, SMALL) + 1
  return ghostTake(sb, h, window) ? MAIN : SMALL
}

export function adaptiveVictimQueue(sb: u32): u32 {
  const small = queueBytes(sb, SMALL)
  const total = small + queueBytes(sb, MAIN)
  if (queueCount(sb, MAIN) == 0) return SMALL
  return small * 1000 > <u64>load<u32>(sb + P_SMALL_PERMILLE) * total ? SMALL : MAIN
}

export function adaptiveDecide(sb: u32, q: u32, slot: u32, h: u64, size: u32): u32 {
  const f = slotFreq(slot)
  if (q == SMALL) {
    if (f == 0) return EVICT
    setSlotFreq(slot, 0)
    return MAIN
  }
  if (f == 0) return EVICT
  setSlotFreq(slot, f - 1)
  return MAIN
}

export function adaptiveOnEvict(sb: u32, q: u32, h: u64): void {
  if (q == SMALL) ghostAdd(sb, h)
}

export function adaptiveOnAccess(sb: u32, h: u64, hit: bool): void {
  increment(sb, h)
}
