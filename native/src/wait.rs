//! Waiting for a busy shard across threads and processes: a futex on the shard's lock word. The futex
//! is not private, so it keys on the physical page and a process mapping the same file is woken by
//! another's wake. Waiters count themselves in SHARD.waiters, so an unlock only makes the wake system
//! call when someone is actually waiting (as in the WebAssembly engine, where JS does the waking).
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use crate::sys;
use std::sync::atomic::Ordering::*;

impl Engine {
    /// Blocks while the shard's lock word still equals `owner`, at most `timeout_ms`.
    pub unsafe fn futex_wait(&self, shard: u32, owner: i32, timeout_ms: f64) {
        let sb = self.shard_base(shard);
        let lock = sb.add(L::SHARD_LOCK as usize);
        let waiters = ai32(sb.add(L::SHARD_WAITERS as usize));
        waiters.fetch_add(1, SeqCst);
        if ai32(lock).load(SeqCst) == owner {
            let ms = timeout_ms.clamp(0.0, 1000.0);
            let ts = sys::timespec { tv_sec: (ms / 1000.0) as i64, tv_nsec: ((ms % 1000.0) * 1e6) as i64 };
            sys::syscall(sys::SYS_FUTEX, lock as *mut i32, sys::FUTEX_WAIT, owner, &ts as *const sys::timespec, 0usize, 0i32);
        }
        waiters.fetch_sub(1, SeqCst);
    }

    pub unsafe fn futex_wake(&self, sb: *mut u8) {
        sys::syscall(sys::SYS_FUTEX, sb.add(L::SHARD_LOCK as usize) as *mut i32, sys::FUTEX_WAKE, i32::MAX, 0usize, 0usize, 0i32);
    }

    /// Unlocks and wakes whoever waits for the shard.
    #[inline(always)]
    pub unsafe fn release(&self, sb: *mut u8) {
        if self.unlock(sb) {
            self.futex_wake(sb);
        }
    }
}
