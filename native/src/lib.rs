//! Cortado's native engine: the WebAssembly engine (assembly/) ported file for file to Rust, over
//! memory this library maps itself (anonymous, or a file such as /dev/shm/app-cache that several
//! processes share), with the same layout (src/layout/spec.json, via layout_generated.rs) and the same
//! algorithms, so both engines read and write byte-identical arenas.
//!
//! Standard library only. Node loads the library and calls napi_register_module_v1.

mod layout_generated;

mod arena;
mod batch;
mod bindings;
mod entry;
mod error;
mod ghost;
mod hash;
mod hashindex;
mod large;
mod lock;
mod mapping;
mod mem;
mod napi;
mod ops;
mod owner;
mod policy;
mod prefetch;
mod queues;
mod read;
mod recovery;
mod room;
mod segments;
mod sketch;
mod sys;
mod threads;
mod ttl;
mod view;
mod wait;
mod write;

/// # Safety
/// Called by Node with a valid environment and exports object when the addon is loaded.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: napi::napi_env, exports: napi::napi_value) -> napi::napi_value {
    bindings::register(env, exports);
    exports
}
