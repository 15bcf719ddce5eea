//! Port of assembly/ghost.ts: fingerprints of recently evicted keys, each tagged with where it left
//! from (the window, i.e. a candidate that never made it into main, or main). A key counts as present
//! while fewer than `ghost_slots` evictions happened since it was recorded, which gives FIFO-age
//! semantics without a queue: buckets of 8 slots [fingerprint u32 (bit 0 = tag)][clock u32], the
//! oldest slot replaced. The policy also needs how many ghost entries of each tag are live; that is
//! kept per epoch of `ghost_slots` additions. Written only under the shard lock.
use crate::arena::Engine;
use crate::hash::fast_range;
use crate::layout_generated as L;
use crate::mem::*;

const P: u32 = L::POLICY_STATE_OFFSET;

#[inline(always)]
fn fingerprint(h: u64) -> u32 {
    // Bits not used by the shard, bucket or index tag choices; bit 0 is left for the tag.
    ((((h >> 17) as u32) ^ ((h >> 45) as u32)) & !1) | 2
}

impl Engine {
    /// Where hash h's ghost bucket is (to prefetch it ahead of use; null without a ghost).
    #[inline(always)]
    pub(crate) fn ghost_bucket_of(&self, sb: *mut u8, h: u64) -> *mut u8 {
        if self.ghost_slots == 0 {
            std::ptr::null_mut()
        } else {
            self.ghost_bucket(sb, fingerprint(h))
        }
    }

    #[inline(always)]
    fn ghost_bucket(&self, sb: *mut u8, fp: u32) -> *mut u8 {
        unsafe {
            sb.add(self.ghost_offset as usize + fast_range(fp.wrapping_mul(0x9E3779B1), self.ghost_slots / L::BUCKET_SLOTS) as usize * L::BUCKET_BYTES as usize)
        }
    }

    #[inline(always)]
    fn policy_field(&self, sb: *mut u8, field: u32) -> *mut u8 {
        unsafe { sb.add((P + field) as usize) }
    }

    /// Records hash h as evicted from the window (tag 0) or from main (tag 1).
    pub unsafe fn ghost_add(&self, sb: *mut u8, h: u64, tag: u32) {
        if self.ghost_slots == 0 {
            return;
        }
        let fp = fingerprint(h);
        let now = ld32(sb.add(L::SHARD_GHOST_CLOCK as usize)).wrapping_add(1);
        st32(sb.add(L::SHARD_GHOST_CLOCK as usize), now);
        let base = self.ghost_bucket(sb, fp);
        let mut victim = base;
        let mut oldest: u32 = 0;
        for i in 0..L::BUCKET_SLOTS {
            let slot = base.add(i as usize * 8);
            let f = ld32(slot);
            if f == 0 || (f & !1) == fp {
                victim = slot;
                break;
            }
            let age = now.wrapping_sub(ld32(slot.add(4)));
            if age > oldest {
                oldest = age;
                victim = slot;
            }
        }
        st32(victim, fp | (tag & 1));
        st32(victim.add(4), now);
        self.count_tag(sb, tag, now);
    }

    unsafe fn count_tag(&self, sb: *mut u8, tag: u32, now: u32) {
        if now.wrapping_sub(ld32(self.policy_field(sb, L::POLICY_GHOST_EPOCH_START))) >= self.ghost_slots {
            st32(self.policy_field(sb, L::POLICY_GHOST_WINDOW_PREV), ld32(self.policy_field(sb, L::POLICY_GHOST_WINDOW_NOW)));
            st32(self.policy_field(sb, L::POLICY_GHOST_MAIN_PREV), ld32(self.policy_field(sb, L::POLICY_GHOST_MAIN_NOW)));
            st32(self.policy_field(sb, L::POLICY_GHOST_WINDOW_NOW), 0);
            st32(self.policy_field(sb, L::POLICY_GHOST_MAIN_NOW), 0);
            st32(self.policy_field(sb, L::POLICY_GHOST_EPOCH_START), now);
        }
        let field = self.policy_field(sb, if tag == 0 { L::POLICY_GHOST_WINDOW_NOW } else { L::POLICY_GHOST_MAIN_NOW });
        st32(field, ld32(field).wrapping_add(1));
    }

    /// Live ghost entries with this tag (estimated: this epoch's plus the remaining share of the last).
    pub unsafe fn ghost_tag_count(&self, sb: *mut u8, tag: u32) -> f64 {
        let now = ld32(sb.add(L::SHARD_GHOST_CLOCK as usize));
        let elapsed = now.wrapping_sub(ld32(self.policy_field(sb, L::POLICY_GHOST_EPOCH_START))) as f64 / std::cmp::max(1, self.ghost_slots) as f64;
        let cur = ld32(self.policy_field(sb, if tag == 0 { L::POLICY_GHOST_WINDOW_NOW } else { L::POLICY_GHOST_MAIN_NOW }));
        let prev = ld32(self.policy_field(sb, if tag == 0 { L::POLICY_GHOST_WINDOW_PREV } else { L::POLICY_GHOST_MAIN_PREV }));
        cur as f64 + prev as f64 * f64::max(0.0, 1.0 - elapsed)
    }

    /// How many evictions ago hash h was recorded (0 = the latest), or -1 when it is not in the ghost.
    /// A hit does not remove the fingerprint: it ages out like the others. The tag goes to ghost_tag.
    pub unsafe fn ghost_age(&mut self, sb: *mut u8, h: u64) -> i32 {
        if self.ghost_slots == 0 {
            return -1;
        }
        let fp = fingerprint(h);
        let now = ld32(sb.add(L::SHARD_GHOST_CLOCK as usize));
        let base = self.ghost_bucket(sb, fp);
        for i in 0..L::BUCKET_SLOTS {
            let slot = base.add(i as usize * 8);
            let f = ld32(slot);
            if (f & !1) == fp {
                let age = now.wrapping_sub(ld32(slot.add(4)));
                if age >= self.ghost_slots {
                    return -1;
                }
                self.ghost_tag = f & 1;
                return age as i32;
            }
        }
        -1
    }

    pub unsafe fn clear_ghost(&self, sb: *mut u8) {
        if self.ghost_slots == 0 {
            return;
        }
        self.zero(sb.add(self.ghost_offset as usize), self.ghost_slots as u64 * 8);
        st32(sb.add(L::SHARD_GHOST_CLOCK as usize), 0);
        self.zero(self.policy_field(sb, L::POLICY_GHOST_WINDOW_NOW), 20);
    }
}
