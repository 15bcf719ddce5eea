//! Port of assembly/ghost.ts: fingerprints of keys recently evicted, so a key that comes back soon is
//! recognised. Buckets of 8 slots [fingerprint u32][clock u32]; a fingerprint counts as present while
//! fewer than `window` insertions happened since it was recorded. Written only under the shard lock.
use crate::arena::Engine;
use crate::hash::fast_range;
use crate::layout_generated as L;
use crate::mem::*;

#[inline(always)]
fn fingerprint(h: u64) -> u32 {
    let f = ((h >> 17) as u32) ^ ((h >> 47) as u32);
    if f == 0 {
        1
    } else {
        f
    }
}

impl Engine {
    #[inline(always)]
    fn ghost_bucket(&self, sb: *mut u8, fp: u32) -> *mut u8 {
        unsafe {
            sb.add(self.ghost_offset as usize + fast_range(fp.wrapping_mul(0x9E3779B1), self.ghost_slots / L::BUCKET_SLOTS) as usize * L::BUCKET_BYTES as usize)
        }
    }

    /// Records hash h as evicted.
    pub unsafe fn ghost_add(&self, sb: *mut u8, h: u64) {
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
            if f == fp || f == 0 {
                victim = slot;
                break;
            }
            let age = now.wrapping_sub(ld32(slot.add(4)));
            if age > oldest {
                oldest = age;
                victim = slot;
            }
        }
        st32(victim, fp);
        st32(victim.add(4), now);
    }

    /// True when hash h was evicted within the last `window` ghost insertions; forgets it if so.
    pub unsafe fn ghost_take(&self, sb: *mut u8, h: u64, window: u32) -> bool {
        if self.ghost_slots == 0 {
            return false;
        }
        let fp = fingerprint(h);
        let now = ld32(sb.add(L::SHARD_GHOST_CLOCK as usize));
        let base = self.ghost_bucket(sb, fp);
        for i in 0..L::BUCKET_SLOTS {
            let slot = base.add(i as usize * 8);
            if ld32(slot) == fp {
                let recent = now.wrapping_sub(ld32(slot.add(4))) < window;
                st32(slot, 0);
                st32(slot.add(4), 0);
                return recent;
            }
        }
        false
    }

    pub unsafe fn clear_ghost(&self, sb: *mut u8) {
        if self.ghost_slots == 0 {
            return;
        }
        fill(sb.add(self.ghost_offset as usize), 0, self.ghost_slots as u64 * 8);
        st32(sb.add(L::SHARD_GHOST_CLOCK as usize), 0);
    }
}
