//! Memory from mmap: the arena itself, and (for arenas JS can't view whole) per-thread windows.
//!
//! - Anonymous arenas up to 4 GiB: a private anonymous mapping, shared by this process's threads.
//! - Larger anonymous arenas: a memfd, so that windows (view.rs) can map parts of it a second time.
//! - Paths (e.g. /dev/shm/app-cache): a shared file mapping every process maps. A new file is prepared
//!   under a temporary name (sized, its memory reserved with posix_fallocate so a full tmpfs fails here
//!   with ENOSPC instead of killing a process with SIGBUS later), formatted, then published with link(),
//!   which fails if another process published first: creation races have exactly one winner and nobody
//!   ever sees a half-formatted arena under the path.
//!
//! Pages are touched only when used, so resident memory follows the bytes actually used.
use crate::error::Error;
use crate::sys;
use crate::view::{View, PAGE};
use std::ffi::{c_void, CString};
use std::fs::{File, OpenOptions};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::os::unix::io::{AsRawFd, FromRawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering::*};
use std::sync::{Arc, Mutex};

/// Arenas up to this size are viewed whole by JS (V8's ArrayBuffer limit on 64-bit Node 20).
pub const VIEW_LIMIT: u64 = 1 << 32;
/// The largest batch staging region of a window; what it can't hold is read key by key instead.
const BATCH_STAGING: u64 = 1 << 30;
/// Batch staging above this is given back to the kernel before the next batch.
const BATCH_KEEP: u32 = 8 << 20;

pub struct Mapping {
    pub base: *mut u8,
    pub len: u64,
    /// Owns the mapping: unmapped when the Mapping goes.
    _region: Region,
    /// The file (or memfd) behind the mapping, when windows may need to map parts of it again.
    file: Option<File>,
    pub path: Option<PathBuf>,
    /// A new file's temporary name until it is published under `path`.
    staging: Mutex<Option<PathBuf>>,
    pub anonymous: bool,
    pub private_anon: bool,
    /// Threads of this process attached to the arena.
    pub attached: AtomicI32,
    /// Created by this process and not formatted yet (so still all zeros).
    pub unformatted: AtomicBool,
}

unsafe impl Send for Mapping {}
unsafe impl Sync for Mapping {}

impl Drop for Mapping {
    fn drop(&mut self) {
        if let Some(tmp) = self.staging.lock().map(|mut s| s.take()).unwrap_or(None) {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn map_shared(file: &File, len: u64) -> Result<*mut u8, Error> {
    let p = unsafe { sys::mmap(std::ptr::null_mut(), len as usize, sys::PROT_READ | sys::PROT_WRITE, sys::MAP_SHARED, file.as_raw_fd(), 0) };
    if p == sys::MAP_FAILED {
        return Err(Error::capacity(format!("could not map {} bytes: {}", len, std::io::Error::last_os_error())));
    }
    Ok(p as *mut u8)
}

impl Mapping {
    /// An anonymous arena of `len` bytes (zero-filled, lazily backed).
    pub fn anonymous(len: u64) -> Result<Mapping, Error> {
        if len <= VIEW_LIMIT {
            let flags = sys::MAP_PRIVATE | sys::MAP_ANONYMOUS | sys::MAP_NORESERVE;
            let p = unsafe { sys::mmap(std::ptr::null_mut(), len as usize, sys::PROT_READ | sys::PROT_WRITE, flags, -1, 0) };
            if p == sys::MAP_FAILED {
                return Err(Error::capacity(format!("could not map {} bytes: {}", len, std::io::Error::last_os_error())));
            }
            return Ok(Mapping::new(p as *mut u8, len, None, None, true, true));
        }
        let name = CString::new("cortado-arena").unwrap();
        let fd = unsafe { sys::memfd_create(name.as_ptr(), sys::MFD_CLOEXEC) };
        if fd < 0 {
            return Err(Error::capacity(format!("memfd_create failed: {}", std::io::Error::last_os_error())));
        }
        let file = unsafe { File::from_raw_fd(fd) };
        file.set_len(len).map_err(|e| Error::capacity(format!("could not size a {}-byte arena: {}", len, e)))?;
        let base = map_shared(&file, len)?;
        Ok(Mapping::new(base, len, Some(file), None, true, false))
    }

    fn new(base: *mut u8, len: u64, file: Option<File>, path: Option<PathBuf>, anonymous: bool, private_anon: bool) -> Mapping {
        Mapping {
            base,
            len,
            _region: Region { base, len },
            file,
            path,
            staging: Mutex::new(None),
            anonymous,
            private_anon,
            attached: AtomicI32::new(0),
            unformatted: AtomicBool::new(true),
        }
    }

    /// Maps an existing arena file. Nothing is written: the caller validates the header first, and a
    /// file that holds something else is left exactly as it was.
    pub fn open_existing(path: &Path) -> Result<Option<Mapping>, Error> {
        let file = match OpenOptions::new().read(true).write(true).open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::file_error(path, &e)),
        };
        let meta = file.metadata().map_err(|e| Error::file_error(path, &e))?;
        let ft = meta.file_type();
        if !ft.is_file() && !ft.is_block_device() {
            return Err(Error::bad_file(format!("{} is not a regular file", path.display())));
        }
        let len = meta.len();
        if len < PAGE as u64 {
            return Err(Error::bad_file(format!("{} holds {} bytes: too small to be a Cortado arena", path.display(), len)));
        }
        let base = map_shared(&file, len)?;
        let m = Mapping::new(base, len, Some(file), Some(path.to_path_buf()), false, false);
        m.unformatted.store(false, SeqCst);
        Ok(Some(m))
    }

    /// Prepares a new arena file of `len` bytes under a temporary name next to `path`.
    pub fn create_file(path: &Path, len: u64) -> Result<Mapping, Error> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let available = free_bytes(&dir).map_err(|e| Error::file_error(&dir, &e))?;
        if len > available {
            return Err(Error::capacity(format!(
                "maxBytes {} is more than the {} bytes free in {}; lower maxBytes or free space there",
                len,
                available,
                dir.display()
            )));
        }
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "cortado".into());
        let tmp = dir.join(format!(".{}.{}.{}.tmp", name, std::process::id(), COUNTER.fetch_add(1, SeqCst)));
        let file = OpenOptions::new().read(true).write(true).create_new(true).mode(0o600).open(&tmp).map_err(|e| Error::file_error(&tmp, &e))?;
        let cleanup = |e: Error| {
            let _ = std::fs::remove_file(&tmp);
            e
        };
        file.set_len(len).map_err(|e| cleanup(Error::file_error(&tmp, &e)))?;
        let rc = unsafe { sys::posix_fallocate(file.as_raw_fd(), 0, len as i64) };
        if rc != 0 {
            let why = std::io::Error::from_raw_os_error(rc);
            return Err(cleanup(Error::capacity(format!("could not reserve {} bytes in {}: {}", len, dir.display(), why))));
        }
        let base = map_shared(&file, len).map_err(cleanup)?;
        let m = Mapping::new(base, len, Some(file), Some(path.to_path_buf()), false, false);
        *m.staging.lock().unwrap() = Some(tmp);
        Ok(m)
    }

    /// Publishes a formatted new file under its path. False when another process published one first
    /// (this one is then discarded and the caller opens theirs).
    pub fn publish(&self) -> Result<bool, Error> {
        let Some(tmp) = self.staging.lock().unwrap().take() else { return Ok(true) };
        let path = self.path.as_ref().unwrap();
        let result = std::fs::hard_link(&tmp, path);
        let _ = std::fs::remove_file(&tmp);
        match result {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(Error::file_error(path, &e)),
        }
    }

    /// The last thread of this process detached from an anonymous arena: give its memory back now
    /// (views that outlive the cache read zeros) rather than when the garbage collector gets to it.
    pub fn release_memory(&self) {
        if !self.anonymous {
            return;
        }
        unsafe {
            if self.private_anon {
                sys::madvise(self.base as *mut c_void, self.len as usize, sys::MADV_DONTNEED);
            } else if let Some(f) = &self.file {
                const FALLOC_FL_KEEP_SIZE: i32 = 1;
                const FALLOC_FL_PUNCH_HOLE: i32 = 2;
                sys::fallocate(f.as_raw_fd(), FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, self.len as i64);
            }
        }
    }

    /// A window onto a large arena for one thread's JS (see view.rs).
    pub fn window(&self, shards_offset: u64, shard_bytes: u64, shard_count: u32, seg_bytes: u32) -> Result<(Window, View), Error> {
        let file = self.file.as_ref().ok_or_else(|| Error::capacity("this arena can't be windowed".into()))?;
        if shards_offset % PAGE as u64 != 0 || shard_bytes % PAGE as u64 != 0 {
            return Err(Error::corrupt("shards are not page aligned".into()));
        }
        let prefix = shards_offset;
        let pages = shard_count as u64 * PAGE as u64;
        let single = (seg_bytes as u64).div_ceil(PAGE as u64) * PAGE as u64;
        let fixed = prefix + pages + single;
        if fixed + (1 << 20) > VIEW_LIMIT {
            return Err(Error::capacity("the arena's thread areas and shard headers don't fit in a 4 GiB view".into()));
        }
        let batch = std::cmp::min(BATCH_STAGING, VIEW_LIMIT - fixed);
        let total = fixed + batch;
        unsafe {
            let reserve = sys::mmap(std::ptr::null_mut(), total as usize, sys::PROT_NONE, sys::MAP_PRIVATE | sys::MAP_ANONYMOUS | sys::MAP_NORESERVE, -1, 0);
            if reserve == sys::MAP_FAILED {
                return Err(Error::capacity(format!("could not reserve a {}-byte window: {}", total, std::io::Error::last_os_error())));
            }
            let w = Window { base: reserve as *mut u8, len: total };
            let rw = sys::PROT_READ | sys::PROT_WRITE;
            let fixed_shared = sys::MAP_SHARED | sys::MAP_FIXED;
            let fd = file.as_raw_fd();
            let check = |p: *mut c_void| -> Result<(), Error> {
                if p == sys::MAP_FAILED {
                    Err(Error::capacity(format!("could not map the window: {}", std::io::Error::last_os_error())))
                } else {
                    Ok(())
                }
            };
            check(sys::mmap(reserve, prefix as usize, rw, fixed_shared, fd, 0))?;
            for s in 0..shard_count as u64 {
                let at = w.base.add((prefix + s * PAGE as u64) as usize) as *mut c_void;
                check(sys::mmap(at, PAGE as usize, rw, fixed_shared, fd, (shards_offset + s * shard_bytes) as i64))?;
            }
            let staging = w.base.add((prefix + pages) as usize) as *mut c_void;
            let anon = sys::MAP_PRIVATE | sys::MAP_ANONYMOUS | sys::MAP_FIXED | sys::MAP_NORESERVE;
            check(sys::mmap(staging, (single + batch) as usize, rw, anon, -1, 0))?;
            let view = View {
                direct: false,
                js_base: w.base,
                shard_pages: prefix as u32,
                single: (prefix + pages) as u32,
                single_len: single as u32,
                batch: (prefix + pages + single) as u32,
                batch_len: batch as u32,
                batch_used: 0,
                single_used: 0,
                single_small: 0,
            };
            Ok((w, view))
        }
    }
}

/// Mapped memory, unmapped when dropped: an arena's mapping, or a thread's window (which goes when both
/// its engine and JS's ArrayBuffer over it are gone).
pub struct Region {
    pub base: *mut u8,
    pub len: u64,
}

pub type Window = Region;

unsafe impl Send for Region {}
unsafe impl Sync for Region {}

impl Drop for Region {
    fn drop(&mut self) {
        unsafe { sys::munmap(self.base as *mut c_void, self.len as usize) };
    }
}

/// Gives back batch staging pages beyond BATCH_KEEP that the last batch touched.
pub fn trim_staging(v: &mut View) {
    if v.batch_used > BATCH_KEEP {
        unsafe {
            let from = v.js_base.add((v.batch + BATCH_KEEP) as usize);
            sys::madvise(from as *mut c_void, (v.batch_len - BATCH_KEEP) as usize, sys::MADV_DONTNEED);
        }
    }
}

fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let c = CString::new(dir.as_os_str().as_bytes()).map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    let mut st = sys::statvfs_t::default();
    if unsafe { sys::statvfs(c.as_ptr(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(st.f_bavail as u64 * st.f_frsize as u64)
}

/// This process's arenas, by id, so worker threads can attach to the same mapping.
static REGISTRY: Mutex<Vec<(u32, Arc<Mapping>)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

pub fn register(m: Mapping) -> u32 {
    let id = NEXT_ID.fetch_add(1, SeqCst);
    REGISTRY.lock().unwrap().push((id, Arc::new(m)));
    id
}

pub fn lookup(id: u32) -> Option<Arc<Mapping>> {
    REGISTRY.lock().unwrap().iter().find(|(i, _)| *i == id).map(|(_, m)| m.clone())
}

pub fn unregister(id: u32) {
    REGISTRY.lock().unwrap().retain(|(i, _)| *i != id);
}

/// Counts a thread in; None when the arena was closed by every thread that had it.
pub fn attach_thread(id: u32) -> Option<Arc<Mapping>> {
    let reg = REGISTRY.lock().unwrap();
    let m = reg.iter().find(|(i, _)| *i == id).map(|(_, m)| m.clone())?;
    m.attached.fetch_add(1, SeqCst);
    Some(m)
}

/// Counts a thread out; the last one out unregisters the arena (and frees an anonymous arena's pages).
pub fn detach_thread(id: u32, m: &Mapping) {
    let mut reg = REGISTRY.lock().unwrap();
    if m.attached.fetch_sub(1, SeqCst) == 1 {
        reg.retain(|(i, _)| *i != id);
        m.release_memory();
    }
}
