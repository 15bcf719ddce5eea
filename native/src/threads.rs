//! Port of assembly/threads.ts: thread slots. Each attached thread owns one slot (its id in lock words,
//! its own counters, its scratch area), claimed with a CAS; counters of a thread that detaches are
//! folded into the arena's "retired" totals under a tiny spin lock so stats() never loses them.
//!
//! Native addition: the slot's token is the owner's pid, so that slots (and locks) of a process that
//! died can be recognised. When every slot is taken, slots of dead processes are retired and reused,
//! so a cluster whose workers crash and restart never runs out of maxThreads.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use crate::owner;
use std::sync::atomic::Ordering::*;


impl Engine {
    fn slot_base(&self, i: u32) -> *mut u8 {
        self.at64(self.threads_offset + i as u64 * L::THREAD_SIZE as u64)
    }

    pub unsafe fn claim_thread(&mut self, token: u32) -> i32 {
        for pass in 0..2 {
            for i in 0..self.max_threads {
                let base = self.slot_base(i);
                let state = au32(base.add(L::THREAD_STATE as usize));
                if pass == 1 {
                    self.retire_if_process_dead(base);
                }
                if state.compare_exchange(L::THREAD_FREE, L::THREAD_LIVE, SeqCst, SeqCst).is_ok() {
                    st32(base.add(L::THREAD_TOKEN as usize), token);
                    for c in 0..L::THREAD_COUNTERS {
                        stf64(base.add((L::THREAD_HITS + c * 8) as usize), 0.0);
                    }
                    self.set_thread(i);
                    return i as i32;
                }
            }
        }
        -1
    }

    /// Retires a LIVE slot whose owning process is gone. The CAS to DEAD elects one retirer; the token
    /// is read again after it, because the slot may have been retired and claimed by a live process
    /// meanwhile (a claimer's token is 0 until it writes its pid, and 0 never counts as dead).
    unsafe fn retire_if_process_dead(&self, base: *mut u8) {
        let state = au32(base.add(L::THREAD_STATE as usize));
        let token = ld32(base.add(L::THREAD_TOKEN as usize));
        if state.load(SeqCst) != L::THREAD_LIVE || token == 0 || !owner::pid_dead(token) {
            return;
        }
        if state.compare_exchange(L::THREAD_LIVE, L::THREAD_DEAD, SeqCst, SeqCst).is_err() {
            return;
        }
        let token = ld32(base.add(L::THREAD_TOKEN as usize));
        if token != 0 && owner::pid_dead(token) {
            self.retire(base);
        } else {
            state.store(L::THREAD_LIVE, SeqCst);
        }
    }

    unsafe fn lock_stats(&self) {
        let lock = ai32(self.at(L::ARENA_STATS_LOCK));
        let mut spins: u32 = 0;
        while lock.compare_exchange(0, 1, Acquire, Relaxed).is_err() {
            // Held for a few instructions; a holder that died there must not stop everyone for good.
            spins += 1;
            if spins > 1 << 20 {
                lock.store(0, Release);
                spins = 0;
            }
            std::hint::spin_loop();
        }
    }

    unsafe fn unlock_stats(&self) {
        ai32(self.at(L::ARENA_STATS_LOCK)).store(0, Release);
    }

    /// Folds this thread's counters into the retired totals and frees its slot.
    pub unsafe fn release_thread(&mut self) {
        if !self.thread_base.is_null() {
            self.retire(self.thread_base);
        }
    }

    /// Frees the slot of a thread found dead holding a lock (its counters are kept in the retired totals).
    pub unsafe fn retire_dead_thread(&self, owner: i32) {
        if owner < 1 || owner as u32 > self.max_threads {
            return;
        }
        let base = self.slot_base(owner as u32 - 1);
        if au32(base.add(L::THREAD_STATE as usize)).load(SeqCst) == L::THREAD_LIVE {
            self.retire(base);
        }
    }

    unsafe fn retire(&self, base: *mut u8) {
        self.lock_stats();
        for c in 0..L::THREAD_COUNTERS {
            let retired = self.at(L::ARENA_RETIRED_HITS + c * 8);
            let mine = base.add((L::THREAD_HITS + c * 8) as usize);
            stf64(retired, ldf64(retired) + ldf64(mine));
            stf64(mine, 0.0);
        }
        self.unlock_stats();
        st32(base.add(L::THREAD_TOKEN as usize), 0);
        au32(base.add(L::THREAD_STATE as usize)).store(L::THREAD_FREE, SeqCst);
    }
}
