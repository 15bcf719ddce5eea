//! Port of assembly/policy/clock.ts: the simple baseline policy, one FIFO queue with reinsertion
//! (CLOCK / second chance). A hit sets the entry's 2-bit counter; at the tail a counter above zero buys
//! one more trip round, decremented.
use super::decision::EVICT;
use crate::hashindex::{set_slot_freq, slot_freq, Slot};
use crate::layout_generated as L;

pub fn clock_target() -> i32 {
    L::QUEUE_MAIN as i32
}

pub fn clock_victim_queue() -> u32 {
    L::QUEUE_MAIN
}

pub unsafe fn clock_decide(slot: Slot) -> u32 {
    let f = slot_freq(slot);
    if f == 0 {
        return EVICT;
    }
    set_slot_freq(slot, f - 1);
    L::QUEUE_MAIN
}
