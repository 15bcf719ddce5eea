//! Who holds a lock, and whether they are still alive. A lock word holds a thread id (slot + 1); the
//! slot's token is the pid of the process that claimed it (threads.rs). A process that is gone (or a
//! zombie nobody reaped yet: kill(pid, 0) still succeeds on those) can never release what it holds, so
//! a waiter may take its locks over at once instead of waiting out the lease.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use crate::sys;
use std::sync::atomic::Ordering::*;

pub fn pid_dead(pid: u32) -> bool {
    if pid == 0 || pid > i32::MAX as u32 {
        return false;
    }
    if pid == std::process::id() {
        return false;
    }
    if unsafe { sys::kill(pid as i32, 0) } != 0 {
        return sys::errno() == sys::ESRCH;
    }
    // Alive as far as kill() can tell: a zombie (state Z, or X while being reaped) is dead all the same.
    match std::fs::read_to_string(format!("/proc/{}/stat", pid)) {
        Ok(stat) => match stat.rfind(')') {
            Some(i) => matches!(stat[i + 1..].trim_start().chars().next(), Some('Z') | Some('X')),
            None => false,
        },
        Err(_) => false,
    }
}

/// What a waiter knows about the owner of a lock.
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum Owner {
    /// The lock is free.
    None,
    /// Held by a thread of this process, or of a process that is alive.
    Alive { same_process: bool },
    /// Held by a thread whose process is gone: take it over now.
    Dead,
}

impl Engine {
    pub unsafe fn lock_owner(&self, shard: u32) -> (i32, u32) {
        let sb = self.shard_base(shard);
        (ai32(sb.add(L::SHARD_LOCK as usize)).load(SeqCst), au32(sb.add(L::SHARD_SEQ as usize)).load(SeqCst))
    }

    pub unsafe fn classify_owner(&self, owner: i32) -> Owner {
        if owner == 0 {
            return Owner::None;
        }
        if owner < 1 || owner as u32 > self.max_threads {
            // Not a thread id this arena hands out: nobody will ever release it.
            return Owner::Dead;
        }
        let base = self.at64(self.threads_offset + (owner as u64 - 1) * L::THREAD_SIZE as u64);
        let pid = ld32(base.add(L::THREAD_TOKEN as usize));
        if pid == std::process::id() {
            return Owner::Alive { same_process: true };
        }
        if pid_dead(pid) {
            Owner::Dead
        } else {
            Owner::Alive { same_process: false }
        }
    }
}
