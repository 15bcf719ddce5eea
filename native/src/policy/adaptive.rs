//! Port of assembly/policy/adaptive.ts (S3-FIFO). Newcomers enter a small FIFO queue; those hit while
//! there move to the main queue, the others leave and are remembered by the ghost; a newcomer found in
//! the ghost goes straight to main. Main is a FIFO with reinsertion while its counter is above zero.
use super::decision::EVICT;
use crate::arena::Engine;
use crate::hashindex::{set_slot_freq, slot_freq, Slot};
use crate::layout_generated as L;
use crate::mem::*;

const SMALL: u32 = L::QUEUE_SMALL;
const MAIN: u32 = L::QUEUE_MAIN;
const P_SMALL_PERMILLE: u32 = L::POLICY_STATE_OFFSET;

impl Engine {
    pub unsafe fn adaptive_init(&self, sb: *mut u8, _shard: u32) {
        st32(sb.add(P_SMALL_PERMILLE as usize), 100);
        // A shard's expected share of the entries sizes its sketch's sample.
        let cap = if self.max_entries_total != 0 {
            std::cmp::min(self.max_entries_per_shard, self.max_entries_total / self.shard_count + 1)
        } else {
            self.max_entries_per_shard
        };
        self.clear_sketch(sb, cap);
        self.clear_ghost(sb);
    }

    pub unsafe fn adaptive_target(&self, sb: *mut u8, h: u64, _size: u32) -> i32 {
        let window = self.queue_count(sb, MAIN).wrapping_add(self.queue_count(sb, SMALL)).wrapping_add(1);
        if self.ghost_take(sb, h, window) {
            MAIN as i32
        } else {
            SMALL as i32
        }
    }

    pub unsafe fn adaptive_victim_queue(&self, sb: *mut u8) -> u32 {
        let small = self.queue_bytes(sb, SMALL);
        let total = small.wrapping_add(self.queue_bytes(sb, MAIN));
        if self.queue_count(sb, MAIN) == 0 {
            return SMALL;
        }
        if small.wrapping_mul(1000) > (ld32(sb.add(P_SMALL_PERMILLE as usize)) as u64).wrapping_mul(total) {
            SMALL
        } else {
            MAIN
        }
    }

    pub unsafe fn adaptive_decide(&self, _sb: *mut u8, q: u32, slot: Slot, _h: u64, _size: u32) -> u32 {
        let f = slot_freq(slot);
        if q == SMALL {
            if f == 0 {
                return EVICT;
            }
            set_slot_freq(slot, 0);
            return MAIN;
        }
        if f == 0 {
            return EVICT;
        }
        set_slot_freq(slot, f - 1);
        MAIN
    }

    pub unsafe fn adaptive_on_evict(&self, sb: *mut u8, q: u32, h: u64) {
        if q == SMALL {
            self.ghost_add(sb, h);
        }
    }

    pub unsafe fn adaptive_on_access(&self, sb: *mut u8, h: u64, _hit: bool) {
        self.increment(sb, h);
    }
}
