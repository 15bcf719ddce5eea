//! Port of assembly/lock.ts: shard locks and the shard sequence number (a seqlock).
//!
//! The lock word holds the owner's thread id (slot + 1), which maps to a process through the thread
//! slot's token (the pid, see threads.rs), so a waiter can tell a dead owner from a busy one
//! (owner.rs). Unlike the WebAssembly engine, waiting and waking happen here too: the futex on the
//! lock word works across processes that map the same file (wait.rs).
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::*;

const SPINS: i32 = 64;

impl Engine {
    pub unsafe fn try_lock(&self, sb: *mut u8) -> bool {
        let lock = ai32(sb.add(L::SHARD_LOCK as usize));
        for _ in 0..SPINS {
            if lock.load(Relaxed) == 0 && lock.compare_exchange(0, self.thread_id as i32, Acquire, Relaxed).is_ok() {
                au32(sb.add(L::SHARD_SEQ as usize)).fetch_add(1, AcqRel);
                return true;
            }
            std::hint::spin_loop();
        }
        false
    }

    /// Releases the shard; returns true when threads are blocked on it (the caller wakes them).
    pub unsafe fn unlock(&self, sb: *mut u8) -> bool {
        au32(sb.add(L::SHARD_SEQ as usize)).fetch_add(1, Release);
        ai32(sb.add(L::SHARD_LOCK as usize)).store(0, Release);
        ai32(sb.add(L::SHARD_WAITERS as usize)).load(SeqCst) > 0
    }

    /// Takes a lock whose owner is presumed dead. Succeeds only if the lock word still holds that
    /// owner, so two rescuers can't both win.
    pub unsafe fn take_over(&self, sb: *mut u8, dead_owner: i32) -> bool {
        if ai32(sb.add(L::SHARD_LOCK as usize)).compare_exchange(dead_owner, self.thread_id as i32, Acquire, Relaxed).is_err() {
            return false;
        }
        // Leave the sequence odd (the dead writer left it odd, or we make it so) until the repair is done.
        let seq = au32(sb.add(L::SHARD_SEQ as usize));
        let s = seq.load(Acquire);
        if s & 1 == 0 {
            seq.store(s.wrapping_add(1), Release);
        }
        true
    }
}
