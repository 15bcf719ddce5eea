//! Port of assembly/threads.ts: thread slots. Each attached thread owns one slot (its id in lock words,
//! its own counters, its scratch area), claimed with a CAS; counters of a thread that leaves are
//! folded into the arena's "retired" totals under a tiny spin lock so stats() never loses them.
//!
//! As there, every claim writes a fresh nonzero lease id, and a slot is only retired by someone naming
//! its current lease, so a thread wrongly thought dead never retires or writes through its successor's
//! slot. Native addition: the slot's token is the owner's pid, so that slots (and locks) of a process
//! that died can be recognised. When every slot is taken, slots of dead processes are retired and
//! reused, so a cluster whose workers crash and restart never runs out of maxThreads. (Dead threads of
//! a live process are found by the JS side: src/engine/slots.ts.)
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use crate::owner;
use std::sync::atomic::Ordering::*;


impl Engine {
    fn slot_base(&self, i: u32) -> *mut u8 {
        self.at64(self.threads_offset + i as u64 * L::THREAD_SIZE as u64)
    }

    pub unsafe fn claim_thread(&mut self, token: u32, lease: u32) -> i32 {
        for pass in 0..2 {
            for i in 0..self.max_threads {
                let base = self.slot_base(i);
                let state = au32(base.add(L::THREAD_STATE as usize));
                if pass == 1 {
                    self.retire_if_process_dead(base);
                }
                if state.compare_exchange(L::THREAD_FREE, L::THREAD_LIVE, SeqCst, SeqCst).is_ok() {
                    st32(base.add(L::THREAD_TOKEN as usize), token);
                    st32(base.add(L::THREAD_TID as usize), 0);
                    stf64(base.add(L::THREAD_BEAT as usize), 0.0);
                    stf64(base.add(L::THREAD_TID_START as usize), 0.0);
                    for c in 0..L::THREAD_COUNTERS {
                        stf64(base.add((L::THREAD_HITS + c * 8) as usize), 0.0);
                    }
                    au32(base.add(L::THREAD_LOADS_IN_PROGRESS as usize)).store(0, SeqCst);
                    au32(base.add(L::THREAD_LEASE as usize)).store(lease, SeqCst);
                    self.my_lease = lease;
                    self.set_thread(i);
                    return i as i32;
                }
            }
        }
        -1
    }

    /// Retires a LIVE slot whose owning process is gone (under the lease it has now; the pid is read
    /// again after the election, because the slot may have been retired and claimed meanwhile).
    unsafe fn retire_if_process_dead(&self, base: *mut u8) {
        let state = au32(base.add(L::THREAD_STATE as usize));
        let token = ld32(base.add(L::THREAD_TOKEN as usize));
        if state.load(SeqCst) != L::THREAD_LIVE || token == 0 || !owner::pid_dead(token) {
            return;
        }
        let lease = au32(base.add(L::THREAD_LEASE as usize)).load(SeqCst);
        let token = ld32(base.add(L::THREAD_TOKEN as usize));
        if token != 0 && owner::pid_dead(token) {
            self.retire_held(base, lease);
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

    /// Folds this thread's counters into the retired totals and frees its slot, if it still holds it.
    pub unsafe fn release_thread(&mut self) -> bool {
        if self.thread_base.is_null() {
            return false;
        }
        let released = self.retire_held(self.thread_base, self.my_lease);
        self.my_lease = 0;
        released
    }

    /// Retires slot `slot` if it is live under `lease` (its owner was found dead): true if this call did.
    pub unsafe fn reclaim_thread(&self, slot: u32, lease: u32) -> bool {
        if slot >= self.max_threads || lease == 0 {
            return false;
        }
        self.retire_held(self.slot_base(slot), lease)
    }

    /// Frees the slot of a thread found dead holding a lock (its counters are kept in the retired totals).
    pub unsafe fn retire_dead_thread(&self, owner: i32) {
        if owner < 1 || owner as u32 > self.max_threads {
            return;
        }
        let base = self.slot_base(owner as u32 - 1);
        self.retire_held(base, au32(base.add(L::THREAD_LEASE as usize)).load(SeqCst));
    }

    /// LIVE -> DEAD elects one retirer; the lease is compared after that step, so a slot freed and
    /// claimed again meanwhile is put back as it was.
    unsafe fn retire_held(&self, base: *mut u8, lease: u32) -> bool {
        let state = au32(base.add(L::THREAD_STATE as usize));
        loop {
            match state.compare_exchange(L::THREAD_LIVE, L::THREAD_DEAD, SeqCst, SeqCst) {
                Ok(_) => break,
                Err(s) if s == L::THREAD_DEAD => std::hint::spin_loop(),
                Err(_) => return false,
            }
        }
        let slot_lease = au32(base.add(L::THREAD_LEASE as usize));
        if lease == 0 || slot_lease.load(SeqCst) != lease {
            state.store(L::THREAD_LIVE, SeqCst);
            return false;
        }
        self.lock_stats();
        for c in 0..L::THREAD_COUNTERS {
            let retired = self.at(L::ARENA_RETIRED_HITS + c * 8);
            let mine = base.add((L::THREAD_HITS + c * 8) as usize);
            stf64(retired, ldf64(retired) + ldf64(mine));
            stf64(mine, 0.0);
        }
        self.unlock_stats();
        // Loads the owner started and never ended (it died, or was thought dead, mid-load) stop
        // counting: every write would otherwise keep paying for the write generations. An owner that
        // is alive after all finds its lease gone and takes nothing off again (src/engine/write-gens.ts).
        let loads = au32(base.add(L::THREAD_LOADS_IN_PROGRESS as usize)).swap(0, SeqCst);
        if loads != 0 {
            au32(self.at(L::ARENA_LOADS_IN_PROGRESS)).fetch_sub(loads, SeqCst);
        }
        st32(base.add(L::THREAD_TOKEN as usize), 0);
        slot_lease.store(0, SeqCst);
        state.store(L::THREAD_FREE, SeqCst);
        true
    }
}
