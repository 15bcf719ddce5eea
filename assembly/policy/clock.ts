// The simple baseline policy: one FIFO queue with reinsertion (CLOCK / second chance). A hit sets the
// entry's 2-bit counter; at the tail a counter above zero buys one more trip round, decremented.
import * as L from '../layout.generated'
import { liveTail, moveTail, evictTail, tailCounter } from '../queues'
import { MAX_TAIL_OPS } from './tuning.generated'

/** CLOCK's one queue (it uses the probation queue's place in the layout). */
export const CLOCK_QUEUE = L.QUEUE_PROBATION

export function clockEvictOne(sb: u32, now: f64): bool {
  let ops: i32 = 0
  while (liveTail(sb, CLOCK_QUEUE, now)) {
    const c = tailCounter()
    if (c == 0 || ops++ >= <i32>MAX_TAIL_OPS || !moveTail(sb, CLOCK_QUEUE, CLOCK_QUEUE, c - 1)) {
      evictTail(sb, CLOCK_QUEUE)
      return true
    }
  }
  return false
}
