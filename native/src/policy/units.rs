//! Port of assembly/policy/units.ts. The adaptive policy measures sizes in "units": entries when the
//! cache has a count bound (maxEntries), bytes otherwise. Its capacity C, the queues' sizes and the
//! window target are all in units; mean_size converts entry counts (ghost ages, horizons) to units.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::*;
use super::tuning_generated::BIG_NEWCOMER;

const P: u32 = L::POLICY_STATE_OFFSET;

impl Engine {
    #[inline(always)]
    pub fn count_mode(&self) -> bool {
        self.max_entries_total != 0
    }

    pub fn units_of(&self, size: u32) -> f64 {
        if self.count_mode() {
            1.0
        } else {
            size as f64
        }
    }

    pub unsafe fn queue_units(&self, sb: *mut u8, q: u32) -> f64 {
        if self.count_mode() {
            self.queue_count(sb, q) as f64
        } else {
            self.queue_bytes(sb, q) as f64
        }
    }

    /// The units the shard holds against its capacity: in bytes, what its own segments hold (the
    /// queues' bytes), not SHARD_LIVE_BYTES, which counts a LARGE entry's chain borrowed from other
    /// shards too (see usedUnits in assembly/policy/units.ts).
    pub unsafe fn used_units(&self, sb: *mut u8) -> f64 {
        if self.count_mode() {
            ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) as f64
        } else {
            (self.queue_bytes(sb, L::QUEUE_WINDOW) + self.queue_bytes(sb, L::QUEUE_PROBATION) + self.queue_bytes(sb, L::QUEUE_PROTECTED)) as f64
        }
    }

    /// Mean entry size in units (1 with a count bound, and while the shard is empty).
    pub unsafe fn mean_size(&self, sb: *mut u8) -> f64 {
        let n = ld32(sb.add(L::SHARD_LIVE_COUNT as usize));
        if self.count_mode() || n == 0 {
            return 1.0;
        }
        ld64(sb.add(L::SHARD_LIVE_BYTES as usize)) as f64 / n as f64
    }

    /// The shard's capacity in units: its share of maxEntries, or the bytes its segments hold.
    pub unsafe fn capacity(&self, sb: *mut u8) -> f64 {
        let c = ldf64(sb.add((P + L::POLICY_CAPACITY) as usize));
        if self.count_mode() {
            return c;
        }
        // Small entries may fill the index before the bytes: then the index bounds the capacity.
        f64::min(c, self.max_entries_per_shard as f64 * self.mean_size(sb))
    }

    /// Whether main (probation + protected) holds any entry: its size in units is above 0 exactly
    /// then (an entry costs at least its header's bytes), and the counts answer without unit
    /// conversions (assembly/policy/units.ts mainHolds).
    #[inline(always)]
    pub unsafe fn main_holds(&self, sb: *mut u8) -> bool {
        (self.queue_count(sb, L::QUEUE_PROBATION) | self.queue_count(sb, L::QUEUE_PROTECTED)) != 0
    }

    /// True when adding `extra` units would take the shard past its capacity, or when the storage
    /// itself is tight (the global count bound would be passed, or free segments are down to the last
    /// spares).
    pub unsafe fn is_full(&self, sb: *mut u8, extra: f64) -> bool {
        // With a count bound, fullness is the global count's: keys spread unevenly over shards, and a
        // shard above its share must not evict while the cache as a whole has room.
        if self.count_mode() {
            return ai32(self.at(L::ARENA_LIVE_TOTAL)).load(SeqCst) as f64 + extra > self.max_entries_total as f64;
        }
        self.used_units(sb) + extra > self.capacity(sb) || self.free_count(sb) <= 2
    }

    /// A newcomer of `size` bytes bigger than BIG_NEWCOMER × the shard's mean entry, counted in bytes
    /// whatever the unit (with maxEntries a 1 MiB entry is one unit, yet takes the segments of
    /// thousands of small ones): it would displace several typical entries, so it must earn its room
    /// before it enters. For an entry already in the shard, `own` is what it adds to the shard's live
    /// bytes: the mean is the other entries'. False when there are no others (nothing to displace).
    pub unsafe fn is_big(&self, sb: *mut u8, size: u32, own: u64) -> bool {
        let n = ld32(sb.add(L::SHARD_LIVE_COUNT as usize)).wrapping_sub(if own != 0 { 1 } else { 0 });
        n != 0 && size as f64 * n as f64 > BIG_NEWCOMER * ld64(sb.add(L::SHARD_LIVE_BYTES as usize)).wrapping_sub(own) as f64
    }
}
