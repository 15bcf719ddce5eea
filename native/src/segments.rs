//! Port of assembly/segments.ts: log-structured storage of one shard. The data area is cut into equal
//! segments; each replacement queue is a doubly linked chain of segments (tail = oldest ... head =
//! newest) written append-only, and eviction walks a cursor through the tail segment. Segment ids are
//! 1-based (0 = none). Everything here runs under the shard lock.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering;

impl Engine {
    #[inline(always)]
    pub fn seg_header(&self, sb: *mut u8, seg: u32) -> *mut u8 {
        unsafe { sb.add(self.seg_headers_offset as usize + (seg as usize - 1) * L::SEG_SIZE as usize) }
    }
    /// Shard-relative offset of a segment's first byte.
    #[inline(always)]
    pub fn seg_data(&self, seg: u32) -> u32 {
        self.data_offset + (seg - 1) * self.seg_bytes
    }
    /// The segment holding a shard-relative entry offset.
    #[inline(always)]
    pub fn seg_of(&self, off: u32) -> u32 {
        (off - self.data_offset) / self.seg_bytes + 1
    }
    #[inline(always)]
    pub fn queue_addr(&self, sb: *mut u8, q: u32) -> *mut u8 {
        unsafe { sb.add((L::QUEUES_OFFSET + q * L::QUEUE_SIZE) as usize) }
    }
    /// A u32 field of a segment's header (SEG_USED, SEG_NEXT, ...).
    #[inline(always)]
    pub unsafe fn seg_u32(&self, sb: *mut u8, seg: u32, field: u32) -> u32 {
        ld32(self.seg_header(sb, seg).add(field as usize))
    }

    /// Makes every segment of the shard free. With `keep_lent` (clearing a live cache), segments lent
    /// to other shards' chains stay theirs; the shard's own chains must have been given back first.
    pub unsafe fn init_segments(&self, sb: *mut u8, keep_lent: bool) {
        let shard = self.shard_index_of(sb);
        let mut head = 0;
        let mut n = 0;
        // Backwards, so the free list comes out in ascending order.
        for s in (1..=self.seg_count).rev() {
            let h = self.seg_header(sb, s);
            let state = crate::large::state_of(h);
            if keep_lent && crate::large::is_large_state(state) && state != crate::large::large_state(shard) {
                continue;
            }
            st32(h.add(L::SEG_STATE as usize), L::SEG_FREE);
            st32(h.add(L::SEG_NEXT as usize), head);
            st32(h.add(L::SEG_PREV as usize), 0);
            st32(h.add(L::SEG_USED as usize), 0);
            st32(h.add(L::SEG_LIVE_BYTES as usize), 0);
            st32(h.add(L::SEG_LIVE_COUNT as usize), 0);
            st32(h.add(L::SEG_SEQ as usize), 0);
            // Entries of a cleared shard may still read LIVE in memory: a new version retires copies of them.
            bump_version(h);
            head = s;
            n += 1;
        }
        st32(sb.add(L::SHARD_FREE_HEAD as usize), head);
        st32(sb.add(L::SHARD_FREE_COUNT as usize), n);
        for q in 0..L::NUM_QUEUES {
            let qa = self.queue_addr(sb, q);
            st32(qa.add(L::QUEUE_HEAD as usize), 0);
            st32(qa.add(L::QUEUE_TAIL as usize), 0);
            st32(qa.add(L::QUEUE_CURSOR as usize), 0);
            st32(qa.add(L::QUEUE_COUNT as usize), 0);
            st64(qa.add(L::QUEUE_BYTES as usize), 0);
        }
    }

    #[inline(always)]
    pub unsafe fn free_count(&self, sb: *mut u8) -> u32 {
        ld32(sb.add(L::SHARD_FREE_COUNT as usize))
    }

    pub unsafe fn pop_free(&self, sb: *mut u8) -> u32 {
        let seg = ld32(sb.add(L::SHARD_FREE_HEAD as usize));
        if seg == 0 {
            return 0;
        }
        st32(sb.add(L::SHARD_FREE_HEAD as usize), self.seg_u32(sb, seg, L::SEG_NEXT));
        st32(sb.add(L::SHARD_FREE_COUNT as usize), ld32(sb.add(L::SHARD_FREE_COUNT as usize)).wrapping_sub(1));
        seg
    }

    pub unsafe fn release_segment(&self, sb: *mut u8, seg: u32) {
        let h = self.seg_header(sb, seg);
        st32(h.add(L::SEG_STATE as usize), L::SEG_FREE);
        st32(h.add(L::SEG_USED as usize), 0);
        st32(h.add(L::SEG_LIVE_BYTES as usize), 0);
        st32(h.add(L::SEG_LIVE_COUNT as usize), 0);
        st32(h.add(L::SEG_NEXT as usize), ld32(sb.add(L::SHARD_FREE_HEAD as usize)));
        st32(sb.add(L::SHARD_FREE_HEAD as usize), seg);
        st32(sb.add(L::SHARD_FREE_COUNT as usize), ld32(sb.add(L::SHARD_FREE_COUNT as usize)).wrapping_add(1));
    }

    /// Takes a free segment and makes it the new head of queue q; false when none is free.
    unsafe fn grow_queue(&self, sb: *mut u8, q: u32) -> bool {
        let seg = self.pop_free(sb);
        if seg == 0 {
            return false;
        }
        let h = self.seg_header(sb, seg);
        // Reused: entries written here from now on are not the ones a reader may hold copies of.
        bump_version(h);
        let seq = ld32(sb.add(L::SHARD_SEG_SEQ as usize)).wrapping_add(1);
        st32(sb.add(L::SHARD_SEG_SEQ as usize), seq);
        st32(h.add(L::SEG_SEQ as usize), seq);
        st32(h.add(L::SEG_NEXT as usize), 0);
        st32(h.add(L::SEG_USED as usize), 0);
        st32(h.add(L::SEG_STATE as usize), q + 1);
        let qa = self.queue_addr(sb, q);
        let head = ld32(qa.add(L::QUEUE_HEAD as usize));
        st32(h.add(L::SEG_PREV as usize), head);
        if head != 0 {
            st32(self.seg_header(sb, head).add(L::SEG_NEXT as usize), seg);
        } else {
            st32(qa.add(L::QUEUE_TAIL as usize), seg);
            st32(qa.add(L::QUEUE_CURSOR as usize), 0);
        }
        st32(qa.add(L::QUEUE_HEAD as usize), seg);
        true
    }

    /// True when queue q's head segment can take `size` more bytes without a new segment.
    pub unsafe fn head_fits(&self, sb: *mut u8, q: u32, size: u32) -> bool {
        let head = ld32(self.queue_addr(sb, q).add(L::QUEUE_HEAD as usize));
        head != 0 && self.seg_u32(sb, head, L::SEG_USED) as u64 + size as u64 <= self.seg_bytes as u64
    }

    /// Where the next entry of `size` bytes goes in queue q (shard-relative), taking a free segment if
    /// the head is full and `may_grow`; 0 when there is no room.
    pub unsafe fn reserve_append(&self, sb: *mut u8, q: u32, size: u32, may_grow: bool) -> u32 {
        if !self.head_fits(sb, q, size) && (!may_grow || !self.grow_queue(sb, q)) {
            return 0;
        }
        let head = ld32(self.queue_addr(sb, q).add(L::QUEUE_HEAD as usize));
        self.seg_data(head) + self.seg_u32(sb, head, L::SEG_USED)
    }

    pub unsafe fn commit_append(&self, sb: *mut u8, off: u32, size: u32) {
        let h = self.seg_header(sb, self.seg_of(off));
        st32(h.add(L::SEG_USED as usize), ld32(h.add(L::SEG_USED as usize)).wrapping_add(size));
    }

    /// Accounts a newly LIVE entry of `size` bytes in its segment, queue and shard. The segment counts
    /// the bytes it holds; queue and shard the entry's whole cost (a LARGE entry's chained value too).
    #[inline(always)]
    pub unsafe fn add_live(&self, sb: *mut u8, off: u32, q: u32, size: u32) {
        let h = self.seg_header(sb, self.seg_of(off));
        st32(h.add(L::SEG_LIVE_BYTES as usize), ld32(h.add(L::SEG_LIVE_BYTES as usize)).wrapping_add(size));
        st32(h.add(L::SEG_LIVE_COUNT as usize), ld32(h.add(L::SEG_LIVE_COUNT as usize)).wrapping_add(1));
        let size = size.wrapping_add(crate::entry::chained_bytes(sb, off));
        let qa = self.queue_addr(sb, q);
        st32(qa.add(L::QUEUE_COUNT as usize), ld32(qa.add(L::QUEUE_COUNT as usize)).wrapping_add(1));
        let queued = if crate::entry::is_large(crate::entry::flags_of(sb, off)) { size.wrapping_sub(self.borrowed_bytes(sb, off)) } else { size };
        st64(qa.add(L::QUEUE_BYTES as usize), ld64(qa.add(L::QUEUE_BYTES as usize)).wrapping_add(queued as u64));
        st32(sb.add(L::SHARD_LIVE_COUNT as usize), ld32(sb.add(L::SHARD_LIVE_COUNT as usize)).wrapping_add(1));
        st64(sb.add(L::SHARD_LIVE_BYTES as usize), ld64(sb.add(L::SHARD_LIVE_BYTES as usize)).wrapping_add(size as u64));
    }

    /// Reverses add_live when an entry stops being LIVE (evicted, deleted, replaced or moved away).
    #[inline(always)]
    pub unsafe fn remove_live(&self, sb: *mut u8, off: u32, q: u32, size: u32) {
        let seg = self.seg_of(off);
        let h = self.seg_header(sb, seg);
        st32(h.add(L::SEG_LIVE_BYTES as usize), ld32(h.add(L::SEG_LIVE_BYTES as usize)).wrapping_sub(size));
        let left = ld32(h.add(L::SEG_LIVE_COUNT as usize)).wrapping_sub(1);
        st32(h.add(L::SEG_LIVE_COUNT as usize), left);
        if left == 0 {
            self.release_if_interior(sb, seg, q);
        }
        let size = size.wrapping_add(crate::entry::chained_bytes(sb, off));
        let qa = self.queue_addr(sb, q);
        st32(qa.add(L::QUEUE_COUNT as usize), ld32(qa.add(L::QUEUE_COUNT as usize)).wrapping_sub(1));
        let queued = if crate::entry::is_large(crate::entry::flags_of(sb, off)) { size.wrapping_sub(self.borrowed_bytes(sb, off)) } else { size };
        st64(qa.add(L::QUEUE_BYTES as usize), ld64(qa.add(L::QUEUE_BYTES as usize)).wrapping_sub(queued as u64));
        st32(sb.add(L::SHARD_LIVE_COUNT as usize), ld32(sb.add(L::SHARD_LIVE_COUNT as usize)).wrapping_sub(1));
        st64(sb.add(L::SHARD_LIVE_BYTES as usize), ld64(sb.add(L::SHARD_LIVE_BYTES as usize)).wrapping_sub(size as u64));
    }

    /// A segment in the middle of its queue whose last LIVE entry just went is unlinked and freed at
    /// once: only a queue's head (being appended to) and tail (walked by eviction) hold dead bytes.
    unsafe fn release_if_interior(&self, sb: *mut u8, seg: u32, q: u32) {
        if self.hold_empty_segments {
            return;
        }
        let qa = self.queue_addr(sb, q);
        if seg == ld32(qa.add(L::QUEUE_HEAD as usize)) || seg == ld32(qa.add(L::QUEUE_TAIL as usize)) {
            return;
        }
        let h = self.seg_header(sb, seg);
        let prev = ld32(h.add(L::SEG_PREV as usize));
        let next = ld32(h.add(L::SEG_NEXT as usize));
        st32(self.seg_header(sb, prev).add(L::SEG_NEXT as usize), next);
        st32(self.seg_header(sb, next).add(L::SEG_PREV as usize), prev);
        self.release_segment(sb, seg);
    }

    /// Frees every interior segment without LIVE entries (after recovery).
    pub unsafe fn release_empty_interiors(&self, sb: *mut u8) {
        for q in 0..L::NUM_QUEUES {
            let qa = self.queue_addr(sb, q);
            let mut seg = ld32(qa.add(L::QUEUE_TAIL as usize));
            while seg != 0 {
                let next = self.seg_u32(sb, seg, L::SEG_NEXT);
                if ld32(self.seg_header(sb, seg).add(L::SEG_LIVE_COUNT as usize)) == 0 {
                    self.release_if_interior(sb, seg, q);
                }
                seg = next;
            }
        }
    }

    /// Frees the fully dead tail segments of every queue; true when that freed anything.
    pub unsafe fn reclaim_dead_tails(&self, sb: *mut u8) -> bool {
        let before = self.free_count(sb);
        // Segments other shards' chains gave back come first: they cost no eviction.
        self.collect_returned(sb);
        for q in 0..L::NUM_QUEUES {
            self.tail_entry(sb, q);
        }
        self.free_count(sb) > before
    }

    /// The next unprocessed entry at the tail of queue q (shard-relative offset), releasing tail
    /// segments the cursor has fully passed; 0 when the queue holds nothing unprocessed.
    pub unsafe fn tail_entry(&self, sb: *mut u8, q: u32) -> u32 {
        let qa = self.queue_addr(sb, q);
        loop {
            let tail = ld32(qa.add(L::QUEUE_TAIL as usize));
            if tail == 0 {
                return 0;
            }
            let head = ld32(qa.add(L::QUEUE_HEAD as usize));
            let cursor = ld32(qa.add(L::QUEUE_CURSOR as usize));
            let h = self.seg_header(sb, tail);
            // A segment with nothing live left needs no walk: skip it whole.
            let exhausted = cursor >= ld32(h.add(L::SEG_USED as usize)) || ld32(h.add(L::SEG_LIVE_COUNT as usize)) == 0;
            if !exhausted {
                return self.seg_data(tail) + cursor;
            }
            if tail == head {
                // The queue's only segment, walked to its end: it holds nothing live, so give it back.
                if ld32(h.add(L::SEG_LIVE_COUNT as usize)) == 0 {
                    st32(qa.add(L::QUEUE_CURSOR as usize), 0);
                    st32(qa.add(L::QUEUE_HEAD as usize), 0);
                    st32(qa.add(L::QUEUE_TAIL as usize), 0);
                    self.release_segment(sb, tail);
                }
                return 0;
            }
            let next = ld32(h.add(L::SEG_NEXT as usize));
            st32(self.seg_header(sb, next).add(L::SEG_PREV as usize), 0);
            st32(qa.add(L::QUEUE_TAIL as usize), next);
            st32(qa.add(L::QUEUE_CURSOR as usize), 0);
            self.release_segment(sb, tail);
        }
    }

    /// Moves queue q's tail cursor past the entry at its tail.
    pub unsafe fn advance_tail(&self, sb: *mut u8, q: u32, size: u32) {
        let qa = self.queue_addr(sb, q);
        st32(qa.add(L::QUEUE_CURSOR as usize), ld32(qa.add(L::QUEUE_CURSOR as usize)).wrapping_add(size));
    }

    #[inline(always)]
    pub unsafe fn queue_count(&self, sb: *mut u8, q: u32) -> u32 {
        ld32(self.queue_addr(sb, q).add(L::QUEUE_COUNT as usize))
    }
    #[inline(always)]
    pub unsafe fn queue_bytes(&self, sb: *mut u8, q: u32) -> u64 {
        ld64(self.queue_addr(sb, q).add(L::QUEUE_BYTES as usize))
    }

    /// Port of killEntry (assembly/segments.ts): clears an entry's LIVE flag and moves its segment's
    /// version, so a copy of it a reader holds (a thread's front) is known stale from the version alone.
    /// As there, the version moves only once a thread has opened a front (ARENA.frontInUse).
    pub unsafe fn kill_entry(&self, sb: *mut u8, off: u32) {
        crate::entry::set_flags(sb, off, crate::entry::flags_of(sb, off) & !L::ENTRY_LIVE);
        if au32(self.at(L::ARENA_FRONT_IN_USE)).load(Ordering::SeqCst) != 0 {
            bump_version(self.seg_header(sb, self.seg_of(off)));
        }
    }
}

/// Moves a segment's version (see bumpVersion in assembly/segments.ts): every writer of it holds the
/// shard's lock, so a load and a release store lose no increment and cost no locked instruction.
#[inline(always)]
unsafe fn bump_version(h: *mut u8) {
    let v = au32(h.add(L::SEG_VERSION as usize));
    v.store(v.load(Ordering::Relaxed).wrapping_add(1), Ordering::Release);
}
