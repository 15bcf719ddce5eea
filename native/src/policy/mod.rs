//! Port of assembly/policy/index.ts: the narrow interface between storage and replacement policy.
//! Storage asks three things: which queue a newcomer goes to (or whether to refuse it), which queue to
//! take the next victim from, and what to do with the entry at that queue's tail. Policies see hits only
//! through the lock-free `on_access`. Keep every policy behind these six calls.
pub mod adaptive;
pub mod clock;
pub mod decision;

use crate::arena::Engine;
use crate::hashindex::Slot;
use crate::layout_generated as L;
use clock::{clock_decide, clock_target, clock_victim_queue};

pub use decision::{EVICT, REJECT};

impl Engine {
    pub unsafe fn policy_init(&self, sb: *mut u8, shard: u32) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_init(sb, shard);
        }
    }

    /// Queue for a new key of `size` bytes with hash `h`, or REJECT. Called under the shard lock.
    pub unsafe fn target_queue(&self, sb: *mut u8, h: u64, size: u32) -> i32 {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_target(sb, h, size)
        } else {
            clock_target()
        }
    }

    pub unsafe fn victim_queue(&self, sb: *mut u8) -> u32 {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_victim_queue(sb)
        } else {
            clock_victim_queue()
        }
    }

    /// EVICT or the queue to move the tail entry of queue q to. Called under the shard lock.
    pub unsafe fn decide_tail(&self, sb: *mut u8, q: u32, slot: Slot, h: u64, size: u32) -> u32 {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_decide(sb, q, slot, h, size)
        } else {
            clock_decide(slot)
        }
    }

    /// An entry of queue q left the cache by eviction.
    pub unsafe fn on_evict(&self, sb: *mut u8, q: u32, h: u64) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_on_evict(sb, q, h);
        }
    }

    /// Any lookup of hash h (hit or miss), lock-free and lossy.
    #[inline(always)]
    pub unsafe fn on_access(&self, sb: *mut u8, h: u64, hit: bool) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_on_access(sb, h, hit);
        }
    }
}
