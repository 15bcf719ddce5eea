//! The N-API surface. Module functions open, create, format and publish arenas; `context(id)` returns a
//! per-thread object whose functions run the engine's operations with the WebAssembly engine's call
//! protocol (src/engine/native/exports.ts adapts it to the WasmExports interface).
//!
//! Engine calls take no JS arguments: JS writes them into a small params block (an ArrayBuffer over
//! memory this module owns) and reads the status back from it. Converting three or four numbers
//! through napi_get_value_* costs more than the operation being called, and this keeps a get at one
//! napi_get_cb_info for the context pointer.
//!
//! Every entry point catches panics (catch_unwind) and turns them, like every Error, into a thrown
//! CortadoError: nothing unwinds into Node.
use crate::arena::Engine;
use crate::error::Error;
use crate::layout_generated as L;
use crate::mapping::{self, Mapping, Window};
use crate::mem::*;
use crate::napi::*;
use crate::owner::Owner;
use crate::view::{View, PAGE};
use std::cell::UnsafeCell;
use std::ffi::{c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::ptr::null_mut;
use std::sync::atomic::Ordering::*;
use std::sync::Arc;
use std::time::Instant;

// ---- params block (byte offsets; see src/engine/native/exports.ts) --------------------------------
const P_STATUS: usize = 0;
const P_A: usize = 4;
const P_B: usize = 8;
const P_C: usize = 12;
const P_D: usize = 16;
const P_NOW: usize = 32;
const P_TTL: usize = 40;
const PARAMS_BYTES: usize = 64;

#[repr(C, align(8))]
pub struct Params(UnsafeCell<[u8; PARAMS_BYTES]>);
unsafe impl Send for Params {}
unsafe impl Sync for Params {}

/// Below this, a lock owner whose (owner, sequence) hasn't moved is just busy: no liveness check yet.
const STUCK_MS: f64 = 2.0;
/// Sleep granularity while waiting (a missed wake-up costs at most this).
const WAIT_SLICE_MS: f64 = 5.0;
/// An owner in another, live process gets a longer lease: only a stopped process trips it.
const OTHER_PROCESS_LEASE_FACTOR: f64 = 5.0;

struct Ctx {
    engine: Engine,
    id: u32,
    mapping: Arc<Mapping>,
    params: Arc<Params>,
    attached: bool,
    counted: bool,
    closed: bool,
    /// The shard of a setReserve waiting for its setCommit.
    reserving: Option<u32>,
    /// What this thread's last wait found (shard, owner, sequence) and since when: a lock counts as
    /// stuck only while all three stay the same. Sequence numbers are per shard, so the same owner at
    /// the same number on another shard is another critical section.
    wait_shard: u32,
    wait_owner: i32,
    wait_seq: u32,
    wait_since: Instant,
    scratch_off: u64,
    _window: Option<Arc<Window>>,
}

impl Ctx {
    #[inline(always)]
    fn p32(&self, at: usize) -> u32 {
        unsafe { ld32_plain((self.params.0.get() as *const u8).add(at)) }
    }
    #[inline(always)]
    fn pf64(&self, at: usize) -> f64 {
        unsafe { f64::from_bits(ld64_plain((self.params.0.get() as *const u8).add(at))) }
    }
    #[inline(always)]
    fn status(&self, v: u32) {
        unsafe { std::ptr::write_unaligned((self.params.0.get() as *mut u8).add(P_STATUS) as *mut u32, v) }
    }
    fn shard(&self, at: usize) -> Result<u32, Error> {
        let s = self.p32(at);
        if s >= self.engine.shard_count {
            return Err(Error::invalid(format!("shard {} out of range", s)));
        }
        Ok(s)
    }
    #[inline(always)]
    fn key_len(&self, at: usize, extra: u64) -> Result<u32, Error> {
        let k = self.p32(at);
        if k > L::MAX_KEY_BYTES || (L::RESULT_SIZE as u64 + k as u64 + extra) > self.engine.scratch_bytes as u64 {
            return Err(Error::invalid("key or value does not fit in the scratch area".into()));
        }
        Ok(k)
    }
    fn need_slot(&self) -> Result<(), Error> {
        if !self.attached {
            return Err(Error::closed("this thread is not attached to the cache".into()));
        }
        Ok(())
    }
    /// A pointer into this thread's scratch area from an offset in JS's view, `len` bytes inside it.
    fn scratch_ptr(&self, off: u32, len: u64) -> Result<*mut u8, Error> {
        let start = self.scratch_off;
        let end = start + self.engine.scratch_bytes as u64;
        if (off as u64) < start || off as u64 + len > end {
            return Err(Error::invalid("batch buffers must lie in this thread's scratch area".into()));
        }
        Ok(self.engine.at64(off as u64))
    }
    fn scratch_end(&self) -> *mut u8 {
        self.engine.at64(self.scratch_off + self.engine.scratch_bytes as u64)
    }
}

// ---- JS values ------------------------------------------------------------------------------------

struct EnvData {
    error_class: napi_ref,
}

unsafe extern "C" fn drop_env_data(_env: napi_env, data: *mut c_void, _hint: *mut c_void) {
    drop(Box::from_raw(data as *mut EnvData));
}

unsafe fn throw(env: napi_env, e: Error) {
    let mut pending = false;
    napi_is_exception_pending(env, &mut pending);
    if pending {
        return;
    }
    let mut data: *mut c_void = null_mut();
    napi_get_instance_data(env, &mut data);
    if !data.is_null() {
        let d = &*(data as *const EnvData);
        let mut ctor = null_mut();
        if napi_get_reference_value(env, d.error_class, &mut ctor) == NAPI_OK && !ctor.is_null() {
            let args = [string(env, e.code), string(env, &e.message)];
            let mut err = null_mut();
            if napi_new_instance(env, ctor, 2, args.as_ptr(), &mut err) == NAPI_OK {
                napi_throw(env, err);
                return;
            }
        }
    }
    let code = CString::new(e.code).unwrap_or_default();
    let msg = CString::new(e.message.replace('\0', " ")).unwrap_or_default();
    napi_throw_error(env, code.as_ptr(), msg.as_ptr());
}

unsafe fn string(env: napi_env, s: &str) -> napi_value {
    let mut v = null_mut();
    napi_create_string_utf8(env, s.as_ptr() as *const _, s.len(), &mut v);
    v
}
unsafe fn number(env: napi_env, x: f64) -> napi_value {
    let mut v = null_mut();
    napi_create_double(env, x, &mut v);
    v
}
unsafe fn boolean(env: napi_env, b: bool) -> napi_value {
    let mut v = null_mut();
    napi_get_boolean(env, b, &mut v);
    v
}
unsafe fn set(env: napi_env, obj: napi_value, name: &str, v: napi_value) {
    let c = CString::new(name).unwrap();
    napi_set_named_property(env, obj, c.as_ptr(), v);
}

unsafe fn args<const N: usize>(env: napi_env, info: napi_callback_info) -> [napi_value; N] {
    let mut argc = N;
    let mut argv = [null_mut(); N];
    napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), null_mut(), null_mut());
    argv
}

unsafe fn arg_f64(env: napi_env, v: napi_value, what: &str) -> Result<f64, Error> {
    let mut t = 0;
    napi_typeof(env, v, &mut t);
    let mut x = 0.0;
    if t != NAPI_NUMBER || napi_get_value_double(env, v, &mut x) != NAPI_OK {
        return Err(Error::invalid(format!("{} must be a number", what)));
    }
    Ok(x)
}

unsafe fn arg_u64(env: napi_env, v: napi_value, what: &str) -> Result<u64, Error> {
    let x = arg_f64(env, v, what)?;
    if !(x >= 0.0 && x <= 9007199254740991.0 && x.fract() == 0.0) {
        return Err(Error::invalid(format!("{} must be a non-negative integer, got {}", what, x)));
    }
    Ok(x as u64)
}

unsafe fn arg_string(env: napi_env, v: napi_value, what: &str) -> Result<String, Error> {
    let mut t = 0;
    napi_typeof(env, v, &mut t);
    if t != NAPI_STRING {
        return Err(Error::invalid(format!("{} must be a string", what)));
    }
    let mut len = 0usize;
    napi_get_value_string_utf8(env, v, null_mut(), 0, &mut len);
    let mut buf = vec![0u8; len + 1];
    napi_get_value_string_utf8(env, v, buf.as_mut_ptr() as *mut _, len + 1, &mut len);
    buf.truncate(len);
    String::from_utf8(buf).map_err(|_| Error::invalid(format!("{} is not valid UTF-8", what)))
}

/// Runs `f`, turning an Err or a panic into a thrown CortadoError.
unsafe fn guarded(env: napi_env, f: impl FnOnce() -> Result<napi_value, Error>) -> napi_value {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            throw(env, e);
            null_mut()
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            throw(env, Error::corrupt(format!("internal error in the native engine: {}", what)));
            null_mut()
        }
    }
}

/// An ArrayBuffer over memory kept alive by `owner` until the buffer is collected.
unsafe fn external_buffer<T: Send + Sync + 'static>(env: napi_env, data: *mut u8, len: usize, owner: Arc<T>) -> Result<napi_value, Error> {
    unsafe extern "C" fn release<T>(_env: napi_env, _data: *mut c_void, hint: *mut c_void) {
        drop(Box::from_raw(hint as *mut Arc<T>));
    }
    let hint = Box::into_raw(Box::new(owner)) as *mut c_void;
    let mut v = null_mut();
    let status = napi_create_external_arraybuffer(env, data as *mut c_void, len, release::<T>, hint, &mut v);
    if status != NAPI_OK {
        drop(Box::from_raw(hint as *mut Arc<T>));
        return Err(Error::capacity(format!("could not create a {}-byte view (N-API status {})", len, status)));
    }
    Ok(v)
}

fn mapping_of(id: u32) -> Result<Arc<Mapping>, Error> {
    mapping::lookup(id).ok_or_else(|| Error::closed("this cache has been closed by every thread that had it".into()))
}

// ---- module functions -----------------------------------------------------------------------------

unsafe extern "C" fn set_error_class(env: napi_env, info: napi_callback_info) -> napi_value {
    let [ctor] = args::<1>(env, info);
    let mut r: napi_ref = null_mut();
    if napi_create_reference(env, ctor, 1, &mut r) == NAPI_OK {
        let data = Box::into_raw(Box::new(EnvData { error_class: r })) as *mut c_void;
        napi_set_instance_data(env, data, drop_env_data, null_mut());
    }
    null_mut()
}

unsafe extern "C" fn open_anonymous(env: napi_env, info: napi_callback_info) -> napi_value {
    guarded(env, || {
        let [bytes] = args::<1>(env, info);
        let len = arg_u64(env, bytes, "maxBytes")?;
        let m = Mapping::anonymous(len)?;
        Ok(number(env, mapping::register(m) as f64))
    })
}

/// openFile(path, bytes): maps the arena file at `path`, or prepares a new one of `bytes` bytes.
/// Returns { id, created, bytes } (bytes: the size of what was mapped).
unsafe extern "C" fn open_file(env: napi_env, info: napi_callback_info) -> napi_value {
    guarded(env, || {
        let [p, b] = args::<2>(env, info);
        let path = PathBuf::from(arg_string(env, p, "path")?);
        let len = arg_u64(env, b, "maxBytes")?;
        let (m, created) = match Mapping::open_existing(&path)? {
            Some(m) => (m, false),
            None => (Mapping::create_file(&path, len)?, true),
        };
        let bytes = m.len;
        let id = mapping::register(m);
        let mut obj = null_mut();
        napi_create_object(env, &mut obj);
        set(env, obj, "id", number(env, id as f64));
        set(env, obj, "created", boolean(env, created));
        set(env, obj, "bytes", number(env, bytes as f64));
        Ok(obj)
    })
}

/// header(id): an ArrayBuffer over the arena's first page, to write or validate the header.
unsafe extern "C" fn header(env: napi_env, info: napi_callback_info) -> napi_value {
    guarded(env, || {
        let [i] = args::<1>(env, info);
        let m = mapping_of(arg_u64(env, i, "id")? as u32)?;
        external_buffer(env, m.base, PAGE as usize, m.clone())
    })
}

/// An engine over a mapping whose header is complete, its geometry checked against the mapping.
fn engine_for(m: &Mapping, view: View) -> Result<Engine, Error> {
    let magic = unsafe { ld32(m.base.add(L::ARENA_MAGIC as usize)) };
    let version = unsafe { ld32(m.base.add(L::ARENA_LAYOUT_VERSION as usize)) };
    if magic != L::MAGIC || version != L::LAYOUT_VERSION {
        return Err(Error::bad_file("the mapping does not hold a Cortado arena of this layout".into()));
    }
    let e = Engine::new(m.base, m.len, view);
    if let Some(problem) = e.geometry_problem() {
        return Err(Error::corrupt(format!("the arena header describes an impossible geometry: {}", problem)));
    }
    Ok(e)
}

/// format(id): called once by the creator after it wrote the header: formats every shard.
unsafe extern "C" fn format(env: napi_env, info: napi_callback_info) -> napi_value {
    guarded(env, || {
        let [i] = args::<1>(env, info);
        let m = mapping_of(arg_u64(env, i, "id")? as u32)?;
        if !m.unformatted.swap(false, SeqCst) {
            return Err(Error::invalid("only a new arena can be formatted".into()));
        }
        let mut e = engine_for(&m, View::direct(m.base))?;
        // A mapping this process just created (anonymous, or a new file) is all zeros.
        e.fresh = true;
        e.init();
        Ok(null_mut())
    })
}

unsafe extern "C" fn publish(env: napi_env, info: napi_callback_info) -> napi_value {
    guarded(env, || {
        let [i] = args::<1>(env, info);
        let id = arg_u64(env, i, "id")? as u32;
        let m = mapping_of(id)?;
        let published = m.publish()?;
        if !published {
            mapping::unregister(id);
        }
        Ok(boolean(env, published))
    })
}

unsafe extern "C" fn discard(env: napi_env, info: napi_callback_info) -> napi_value {
    guarded(env, || {
        let [i] = args::<1>(env, info);
        mapping::unregister(arg_u64(env, i, "id")? as u32);
        Ok(null_mut())
    })
}

unsafe extern "C" fn drop_ctx(_env: napi_env, data: *mut c_void, _hint: *mut c_void) {
    let mut ctx = Box::from_raw(data as *mut Ctx);
    detach_ctx(&mut ctx);
}

unsafe fn detach_ctx(ctx: &mut Ctx) {
    if ctx.attached {
        ctx.attached = false;
        // A slot reclaimed while we were thought dead was counted out by its reclaimer.
        if ctx.engine.release_thread() {
            count_out(&ctx.engine);
        }
    }
    if ctx.counted {
        ctx.counted = false;
        mapping::detach_thread(ctx.id, &ctx.mapping);
    }
    ctx.closed = true;
}

fn count_out(engine: &Engine) {
    let count = unsafe { ai32(engine.at(L::ARENA_ATTACH_COUNT)) };
    let _ = count.fetch_update(SeqCst, SeqCst, |n| if n > 0 { Some(n - 1) } else { None });
}

/// context(id): this thread's engine over the arena, with its JS view.
unsafe extern "C" fn context(env: napi_env, info: napi_callback_info) -> napi_value {
    guarded(env, || {
        let [i] = args::<1>(env, info);
        let id = arg_u64(env, i, "id")? as u32;
        let m = mapping::attach_thread(id).ok_or_else(|| Error::closed("this cache has been closed by every thread that had it".into()))?;
        let mut counted = Some(m.clone());
        let result = (|| -> Result<napi_value, Error> {
            let direct = m.len <= mapping::VIEW_LIMIT;
            let probe = engine_for(&m, View::direct(m.base))?;
            let (window, view) = if direct {
                (None, View::direct(m.base))
            } else {
                let (w, v) = m.window(probe.shards_offset, probe.shard_bytes as u64, probe.shard_count, probe.seg_bytes)?;
                (Some(Arc::new(w)), v)
            };
            let (view_shards_offset, view_shard_bytes) = if direct { (probe.shards_offset as f64, probe.shard_bytes as f64) } else { (view.shard_pages as f64, PAGE as f64) };
            let js_base = view.js_base;
            let js_len = if direct { m.len as usize } else { window.as_ref().unwrap().len as usize };
            let engine = engine_for(&m, view)?;
            let buffer = match &window {
                Some(w) => external_buffer(env, js_base, js_len, w.clone())?,
                None => external_buffer(env, js_base, js_len, m.clone())?,
            };
            let params = Arc::new(Params(UnsafeCell::new([0; PARAMS_BYTES])));
            let params_buffer = external_buffer(env, params.0.get() as *mut u8, PARAMS_BYTES, params.clone())?;
            let ctx = Box::into_raw(Box::new(Ctx {
                engine,
                id,
                mapping: m.clone(),
                params,
                attached: false,
                counted: true,
                closed: false,
                reserving: None,
                wait_shard: 0,
                wait_owner: 0,
                wait_seq: 0,
                wait_since: Instant::now(),
                scratch_off: 0,
                _window: window,
            }));
            counted = None;
            let mut obj = null_mut();
            napi_create_object(env, &mut obj);
            napi_add_finalizer(env, obj, ctx as *mut c_void, drop_ctx, null_mut(), null_mut());
            set(env, obj, "buffer", buffer);
            set(env, obj, "params", params_buffer);
            set(env, obj, "direct", boolean(env, direct));
            set(env, obj, "viewShardsOffset", number(env, view_shards_offset));
            set(env, obj, "viewShardBytes", number(env, view_shard_bytes));
            for (name, f) in CTX_FUNCTIONS {
                let mut fv = null_mut();
                napi_create_function(env, name.as_ptr() as *const _, name.len(), *f, ctx as *mut c_void, &mut fv);
                set(env, obj, name, fv);
            }
            Ok(obj)
        })();
        if let Some(m) = counted {
            mapping::detach_thread(id, &m);
        }
        result
    })
}

// ---- per-thread engine calls ----------------------------------------------------------------------

#[inline(always)]
unsafe fn with_ctx(env: napi_env, info: napi_callback_info, f: impl FnOnce(&mut Ctx) -> Result<(), Error>) -> napi_value {
    let mut data: *mut c_void = null_mut();
    napi_get_cb_info(env, info, null_mut(), null_mut(), null_mut(), &mut data);
    run_ctx(env, &mut *(data as *mut Ctx), f)
}

/// Runs an engine call on an open context, turning an Err or a panic into a thrown CortadoError.
#[inline(always)]
unsafe fn run_ctx(env: napi_env, ctx: &mut Ctx, f: impl FnOnce(&mut Ctx) -> Result<(), Error>) -> napi_value {
    match catch_unwind(AssertUnwindSafe(|| {
        if ctx.closed {
            return Err(Error::closed("this cache is closed".into()));
        }
        f(ctx)
    })) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => throw(env, e),
        Err(_) => throw(env, Error::corrupt("internal error in the native engine".into())),
    }
    null_mut()
}

macro_rules! ctx_fn {
    ($name:ident, |$c:ident| $body:block) => {
        unsafe extern "C" fn $name(env: napi_env, info: napi_callback_info) -> napi_value {
            with_ctx(env, info, |$c: &mut Ctx| $body)
        }
    };
}

/// An engine call on the key in scratch (its length in argument A), leaving a status.
macro_rules! key_fn {
    ($name:ident, |$c:ident, $k:ident| $call:expr) => {
        ctx_fn!($name, |$c| {
            $c.need_slot()?;
            let $k = $c.key_len(P_A, 0)?;
            let status = $call;
            $c.status(status);
            Ok(())
        });
    };
}

/// An engine call on one shard (argument A), leaving a status.
macro_rules! shard_fn {
    ($name:ident, |$c:ident, $shard:ident| $call:expr) => {
        ctx_fn!($name, |$c| {
            $c.need_slot()?;
            let $shard = $c.shard(P_A)?;
            let status = $call;
            $c.status(status);
            Ok(())
        });
    };
}

key_fn!(f_get, |c, k| c.engine.op_get(k, c.pf64(P_NOW), c.p32(P_B)));

ctx_fn!(f_set, |c| {
    c.need_slot()?;
    let v = c.p32(P_B);
    let k = c.key_len(P_A, v as u64)?;
    let s = c.engine.op_set(k, v, c.p32(P_C), c.pf64(P_TTL), c.pf64(P_NOW));
    c.status(s);
    Ok(())
});

ctx_fn!(f_set_reserve, |c| {
    c.need_slot()?;
    if c.reserving.is_some() {
        return Err(Error::invalid("setReserve while another set is reserved".into()));
    }
    let k = c.key_len(P_A, 0)?;
    let s = c.engine.op_set_reserve(k, c.p32(P_B), c.p32(P_C), c.pf64(P_TTL), c.pf64(P_NOW));
    if s == L::STATUS_STORED {
        c.reserving = Some(c.engine.locked_shard);
    }
    c.status(s);
    Ok(())
});

ctx_fn!(f_set_commit, |c| {
    c.need_slot()?;
    let shard = c.shard(P_A)?;
    if c.reserving != Some(shard) {
        return Err(Error::invalid("setCommit without a matching setReserve".into()));
    }
    c.reserving = None;
    let s = c.engine.op_set_commit(shard);
    c.status(s);
    Ok(())
});

key_fn!(f_remove, |c, k| c.engine.op_remove(k, c.pf64(P_NOW), c.p32(P_B)));

shard_fn!(f_clear, |c, shard| c.engine.op_clear(shard));

shard_fn!(f_purge, |c, shard| c.engine.op_purge(shard, c.pf64(P_NOW)));

shard_fn!(f_lock_shard, |c, shard| c.engine.op_lock_shard(shard));

ctx_fn!(f_unlock_shard, |c| {
    c.need_slot()?;
    let shard = c.shard(P_A)?;
    let (owner, _) = c.engine.lock_owner(shard);
    if owner != c.engine.thread_id as i32 {
        return Err(Error::invalid(format!("unlockShard({}) by a thread that does not hold it", shard)));
    }
    let s = c.engine.op_unlock_shard(shard);
    c.status(s);
    Ok(())
});

shard_fn!(f_recover, |c, shard| c.engine.op_recover(shard, c.p32(P_B) as i32, c.pf64(P_NOW)));

shard_fn!(f_rebuild, |c, shard| c.engine.op_rebuild(shard, c.pf64(P_NOW)));

shard_fn!(f_verify, |c, shard| c.engine.op_verify(shard));

ctx_fn!(f_entries, |c| {
    c.need_slot()?;
    let shard = c.shard(P_A)?;
    let max = c.p32(P_D);
    if (L::RESULT_SIZE as u64 + max as u64 * 4) > c.engine.scratch_bytes as u64 {
        return Err(Error::invalid("entries: max does not fit in the scratch area".into()));
    }
    let s = c.engine.op_entries(shard, c.p32(P_B), c.p32(P_C), max, c.pf64(P_NOW));
    c.status(s);
    Ok(())
});

ctx_fn!(f_get_many, |c| {
    c.need_slot()?;
    let count = c.p32(P_A);
    let input = c.scratch_ptr(c.p32(P_B), 0)?;
    let out = c.scratch_ptr(c.p32(P_C), count as u64 * L::BATCH_OUT_SIZE as u64)?;
    let end = c.scratch_end();
    c.engine.batch_get(count, input, out, end, c.pf64(P_NOW), c.p32(P_D));
    c.status(0);
    Ok(())
});

ctx_fn!(f_record_accesses, |c| {
    c.need_slot()?;
    let count = c.p32(P_A);
    let input = c.scratch_ptr(c.p32(P_B), count as u64 * 8)?;
    let n = c.engine.record_accesses(count, input);
    c.status(n);
    Ok(())
});

ctx_fn!(f_set_many, |c| {
    c.need_slot()?;
    let (from, count) = (c.p32(P_A), c.p32(P_B));
    let input = c.scratch_ptr(c.p32(P_C), 0)?;
    let out = c.scratch_ptr(c.p32(P_D), count as u64 * 4)?;
    let end = c.scratch_end();
    let s = c.engine.batch_set(from, count, input, out, end, c.pf64(P_NOW));
    c.status(s);
    Ok(())
});

/// The bytes of a Uint8Array argument (a Buffer too): where they start and how many there are.
unsafe fn arg_bytes(env: napi_env, v: napi_value, what: &str) -> Result<(*mut u8, usize), Error> {
    let mut is = false;
    let (mut kind, mut len, mut data) = (0i32, 0usize, null_mut::<c_void>());
    if napi_is_typedarray(env, v, &mut is) != NAPI_OK
        || !is
        || napi_get_typedarray_info(env, v, &mut kind, &mut len, &mut data, null_mut(), null_mut()) != NAPI_OK
        || kind != NAPI_UINT8_ARRAY
    {
        return Err(Error::invalid(format!("{} must be a Uint8Array", what)));
    }
    Ok((data as *mut u8, len))
}

/// with_ctx for the calls that also take one Uint8Array argument (window mode's value copies).
unsafe fn with_ctx_bytes(env: napi_env, info: napi_callback_info, f: impl FnOnce(&mut Ctx, *mut u8, usize) -> Result<(), Error>) -> napi_value {
    let mut argc = 1usize;
    let mut argv = [null_mut(); 1];
    let mut data: *mut c_void = null_mut();
    napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), null_mut(), &mut data);
    run_ctx(env, &mut *(data as *mut Ctx), |c| {
        let (p, len) = arg_bytes(env, argv[0], "the buffer")?;
        f(c, p, len)
    })
}

// copyChain(first, len; into): window mode, a LARGE entry's value copied from its chain of segments
// straight into JS's buffer `into`; status 1, or 0 when the chain is not whole (a writer moved it).
unsafe extern "C" fn f_copy_chain(env: napi_env, info: napi_callback_info) -> napi_value {
    with_ctx_bytes(env, info, |c, dst, room| {
        c.need_slot()?;
        let (first, len) = (c.p32(P_A), c.p32(P_B));
        if len as usize > room {
            return Err(Error::invalid(format!("copyChain: {} bytes don't fit in a buffer of {}", len, room)));
        }
        let whole = c.engine.copy_chain_out(first, len, dst);
        c.status(whole as u32);
        Ok(())
    })
}

// fillReserved(bytes): window mode, between setReserve and setCommit: the value's bytes into the
// reserved entry (or its chain), from JS's buffer.
unsafe extern "C" fn f_fill_reserved(env: napi_env, info: napi_callback_info) -> napi_value {
    with_ctx_bytes(env, info, |c, src, len| {
        c.need_slot()?;
        if c.reserving.is_none() {
            return Err(Error::invalid("fillReserved without a setReserve".into()));
        }
        if len != c.engine.cur.value_len as usize {
            return Err(Error::invalid(format!("fillReserved: {} bytes for a value of {}", len, c.engine.cur.value_len)));
        }
        c.engine.op_fill_reserved(src);
        c.status(0);
        Ok(())
    })
}

key_fn!(f_sketch_probe, |c, k| c.engine.op_sketch_probe(k));

ctx_fn!(f_attach, |c| {
    if c.attached {
        return Err(Error::invalid("this context is already attached".into()));
    }
    let count = ai32(c.engine.at(L::ARENA_ATTACH_COUNT));
    // A file arena every process had closed (-1) is simply opened again.
    let _ = count.fetch_update(SeqCst, SeqCst, |n| Some(if n < 0 { 1 } else { n + 1 }));
    let lease = c.p32(P_A);
    if lease == 0 {
        return Err(Error::invalid("attach needs a nonzero lease".into()));
    }
    let slot = c.engine.claim_thread(std::process::id(), lease);
    if slot < 0 {
        count_out(&c.engine);
    } else {
        c.attached = true;
        c.scratch_off = c.engine.scratch_offset + slot as u64 * c.engine.scratch_bytes as u64;
    }
    c.status(slot as u32);
    Ok(())
});

// reclaim(slot, lease): retires the slot of a thread of this process found dead (src/engine/slots.ts).
ctx_fn!(f_reclaim, |c| {
    let done = c.engine.reclaim_thread(c.p32(P_A), c.p32(P_B));
    if done {
        count_out(&c.engine);
    }
    c.status(done as u32);
    Ok(())
});

ctx_fn!(f_detach, |c| {
    detach_ctx(c);
    c.status(0);
    Ok(())
});

ctx_fn!(f_use_slot, |c| {
    let slot = c.p32(P_A);
    if slot >= c.engine.max_threads {
        return Err(Error::invalid(format!("slot {} out of range", slot)));
    }
    c.engine.set_thread(slot);
    c.scratch_off = c.engine.scratch_offset + slot as u64 * c.engine.scratch_bytes as u64;
    c.attached = true;
    c.status(0);
    Ok(())
});

// wait(shard; now, lease): blocks briefly while the shard is locked, taking a dead owner's lock over
// (at once when its process is gone, after the lease when it merely stopped moving).
ctx_fn!(f_wait, |c| {
    c.need_slot()?;
    let shard = c.shard(P_A)?;
    let now = c.pf64(P_NOW);
    let lease = c.pf64(P_TTL);
    c.status(0);
    let (owner, seq) = c.engine.lock_owner(shard);
    if owner == 0 {
        return Ok(());
    }
    let t = Instant::now();
    if shard != c.wait_shard || owner != c.wait_owner || seq != c.wait_seq {
        c.wait_shard = shard;
        c.wait_owner = owner;
        c.wait_seq = seq;
        c.wait_since = t;
    } else {
        let stuck = t.duration_since(c.wait_since).as_secs_f64() * 1000.0;
        if stuck > STUCK_MS {
            let limit = match c.engine.classify_owner(owner) {
                Owner::None => return Ok(()),
                Owner::Dead => 0.0,
                Owner::Alive { same_process: true } => lease,
                Owner::Alive { same_process: false } => lease * OTHER_PROCESS_LEASE_FACTOR,
            };
            if stuck > limit {
                c.wait_owner = 0;
                let s = c.engine.op_recover(shard, owner, now);
                c.status(s);
                return Ok(());
            }
        }
    }
    c.engine.futex_wait(shard, owner, WAIT_SLICE_MS);
    Ok(())
});

type Entry = (&'static str, napi_callback);
static CTX_FUNCTIONS: &[Entry] = &[
    ("get", f_get),
    ("set", f_set),
    ("setReserve", f_set_reserve),
    ("setCommit", f_set_commit),
    ("remove", f_remove),
    ("clear", f_clear),
    ("purge", f_purge),
    ("lockShard", f_lock_shard),
    ("unlockShard", f_unlock_shard),
    ("recover", f_recover),
    ("rebuild", f_rebuild),
    ("verify", f_verify),
    ("entries", f_entries),
    ("getMany", f_get_many),
    ("setMany", f_set_many),
    ("recordAccesses", f_record_accesses),
    ("attach", f_attach),
    ("detach", f_detach),
    ("reclaim", f_reclaim),
    ("useSlot", f_use_slot),
    ("wait", f_wait),
    ("sketchProbe", f_sketch_probe),
    ("copyChain", f_copy_chain),
    ("fillReserved", f_fill_reserved),
];

pub unsafe fn register(env: napi_env, exports: napi_value) {
    let module: &[Entry] = &[
        ("setErrorClass", set_error_class),
        ("openAnonymous", open_anonymous),
        ("openFile", open_file),
        ("header", header),
        ("format", format),
        ("publish", publish),
        ("discard", discard),
        ("context", context),
    ];
    for (name, f) in module {
        let mut fv = null_mut();
        napi_create_function(env, name.as_ptr() as *const _, name.len(), *f, null_mut(), &mut fv);
        set(env, exports, name, fv);
    }
    set(env, exports, "layoutVersion", number(env, L::LAYOUT_VERSION as f64));
    set(env, exports, "layoutDigest", number(env, L::LAYOUT_DIGEST as f64));
    set(env, exports, "viewLimit", number(env, mapping::VIEW_LIMIT as f64));
}
