// The simple baseline policy: one FIFO queue with reinsertion (CLOCK / second chance). A hit sets the
// entry's 2-bit counter; at the tail a counter above zero buys one more trip round, decremented.
import * as L from '../layout.generated'
import { setSlotFreq, slotFreq } from '../hashindex'
import { EVICT } from './decision'

export function clockTarget(): i32 {
  return L.QUEUE_MAIN
}

export function clockVictimQueue(): u32 {
  return L.QUEUE_MAIN
}

export function clockDecide(slot: u32): u32 {
  const f = slotFreq(slot)
  if (f == 0) return EVICT
  setSlotFreq(slot, f - 1)
  return L.QUEUE_MAIN
}
