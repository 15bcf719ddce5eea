//! Port of assembly/policy/clock.ts: the simple baseline policy, one FIFO queue with reinsertion
//! (CLOCK / second chance). A hit sets the entry's 2-bit counter; at the tail a counter above zero buys
//! one more trip round, decremented.
use crate::arena::Engine;
use crate::layout_generated as L;

/// CLOCK's one queue (it uses the probation queue's place in the layout).
pub const CLOCK_QUEUE: u32 = L::QUEUE_PROBATION;
const MAX_TAIL_OPS: i32 = super::tuning_generated::MAX_TAIL_OPS as i32;

impl Engine {
    pub unsafe fn clock_evict_one(&mut self, sb: *mut u8, now: f64) -> bool {
        let mut ops: i32 = 0;
        while self.live_tail(sb, CLOCK_QUEUE, now) {
            let c = self.tail_counter();
            let give_up = ops >= MAX_TAIL_OPS;
            ops += 1;
            if c == 0 || give_up || !self.move_tail(sb, CLOCK_QUEUE, CLOCK_QUEUE, c - 1) {
                self.evict_tail(sb, CLOCK_QUEUE);
                return true;
            }
        }
        false
    }
}
