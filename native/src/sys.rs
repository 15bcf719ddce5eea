//! The few C library functions std does not wrap, declared from their man pages (Linux, 64-bit).
//! std::fs covers open/ftruncate/link/unlink; errno comes from std::io::Error::last_os_error().
#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::os::raw::{c_char, c_int, c_long, c_uint, c_ulong};

pub const PROT_NONE: c_int = 0;
pub const PROT_READ: c_int = 1;
pub const PROT_WRITE: c_int = 2;
pub const MAP_SHARED: c_int = 0x01;
pub const MAP_PRIVATE: c_int = 0x02;
pub const MAP_FIXED: c_int = 0x10;
pub const MAP_ANONYMOUS: c_int = 0x20;
pub const MAP_NORESERVE: c_int = 0x4000;
pub const MAP_FAILED: *mut c_void = !0usize as *mut c_void;
pub const MADV_DONTNEED: c_int = 4;
pub const MFD_CLOEXEC: c_uint = 1;

pub const ESRCH: i32 = 3;

#[cfg(target_arch = "x86_64")]
pub const SYS_FUTEX: c_long = 202;
#[cfg(target_arch = "aarch64")]
pub const SYS_FUTEX: c_long = 98;
pub const FUTEX_WAIT: c_int = 0;
pub const FUTEX_WAKE: c_int = 1;

#[repr(C)]
pub struct timespec {
    pub tv_sec: i64,
    pub tv_nsec: i64,
}

/// struct statvfs on 64-bit Linux (glibc): eleven unsigned longs, then six ints of padding.
#[repr(C)]
#[derive(Default)]
pub struct statvfs_t {
    pub f_bsize: c_ulong,
    pub f_frsize: c_ulong,
    pub f_blocks: c_ulong,
    pub f_bfree: c_ulong,
    pub f_bavail: c_ulong,
    pub f_files: c_ulong,
    pub f_ffree: c_ulong,
    pub f_favail: c_ulong,
    pub f_fsid: c_ulong,
    pub f_flag: c_ulong,
    pub f_namemax: c_ulong,
    pub spare: [c_int; 6],
}

extern "C" {
    pub fn mmap(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, offset: i64) -> *mut c_void;
    pub fn munmap(addr: *mut c_void, len: usize) -> c_int;
    pub fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    pub fn kill(pid: c_int, sig: c_int) -> c_int;
    pub fn syscall(num: c_long, ...) -> c_long;
    pub fn statvfs(path: *const c_char, buf: *mut statvfs_t) -> c_int;
    pub fn fallocate(fd: c_int, mode: c_int, offset: i64, len: i64) -> c_int;
    pub fn posix_fallocate(fd: c_int, offset: i64, len: i64) -> c_int;
    pub fn memfd_create(name: *const c_char, flags: c_uint) -> c_int;
}

pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}
