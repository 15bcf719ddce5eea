/**
 * Choosing and opening an engine: a new arena from Cache options (WebAssembly memory, or memory the
 * native engine maps, anonymous or at a path), or an existing one from a handle. What it returns is
 * engine-neutral: a way to attach this thread (again, if it ever loses its slot) and the cache's
 * per-cache settings.
 */
import type { CacheHandle, CacheOptions, Codec, CodecName } from '../types.js'
import { CortadoError } from '../errors.js'
import { computeGeometry } from '../layout/geometry.js'
import { normalizeOptions, checkClock } from '../options.js'
import { resolveCodec, type ResolvedCodec } from '../codecs/index.js'
import { checkHandle, type WasmCacheHandle } from '../handle.js'
import { wasmBuildId } from './wasm/module.js'
import { createMemory, formatArena, attachArena } from './wasm/arena.js'
import { nativeAddon, requireNativeAddon, nativeUnavailableReason } from './native/load.js'
import {
  nativeGeometry, openNativeArena, attachNativeArena, reopenNativeArena, checkNativeHandle,
  type NativeArenaInfo, type NativeCacheHandle,
} from './native/arena.js'
import type { EngineArena } from './attached.js'
import { checkFrontOption, type FrontOptions } from './front-options.js'

/** Options a thread may give when attaching to a cache created elsewhere. */
export interface AttachOptions<V> {
  /** Re-supply the custom codec (functions can't cross threads). */
  codec?: Codec<V>
  /** Clock in milliseconds for this thread, for tests. Default `Date.now`. */
  clock?: () => number
  /** This thread's front of hot decoded values (see CacheOptions.front). Default: none. */
  front?: boolean | FrontOptions
}

/** What a Cache needs to attach to an arena in this thread, whichever engine holds it. */
export interface OpenedEngine<V> {
  name: string | undefined
  /** The cache's default TTL in ms (0 = none). */
  defaultTtl: number
  clock: () => number
  codec: ResolvedCodec<V>
  /** Claims a thread slot in the arena: at creation, and again if this thread is ever thought dead. */
  attach: () => EngineArena
  /** This thread's front (front.ts), or undefined for none. */
  front: FrontOptions | undefined
}

/** A handle checked as one of the engines' handles. */
export function checkAnyHandle(handle: CacheHandle): WasmCacheHandle | NativeCacheHandle {
  return checkNativeHandle(handle) ?? checkHandle(handle)
}

/** Creates a new arena as `options` ask ('auto' is the native engine when its addon was built). */
export function openNewEngine<V>(options: CacheOptions<V>): OpenedEngine<V> {
  const o = normalizeOptions(options as CacheOptions<unknown>)
  const useNative = o.engine === 'native' || (o.engine === 'auto' && nativeAddon() !== undefined)
  if (options.path !== undefined && !useNative) {
    if (o.engine === 'auto')
      throw new CortadoError('ERR_ENGINE_UNAVAILABLE', `a path needs the native engine, which is not available: ${nativeUnavailableReason()}`)
    throw new CortadoError('ERR_INVALID_OPTION', "path is for the native engine: use engine: 'native' (or 'auto') to share a cache through a file")
  }
  const input = {
    maxBytes: options.maxBytes, maxEntries: options.maxEntries, shards: options.shards,
    maxThreads: options.maxThreads, expectedEntrySize: options.expectedEntrySize, maxEntrySize: options.maxEntrySize, policy: o.policy,
  }
  const clock = o.clock
  let attach: () => EngineArena
  if (useNative) {
    requireNativeAddon()
    const native = openNativeArena({ path: options.path, geometry: nativeGeometry(input), policy: o.policy, seed: o.seed })
    attach = () => attachNativeArena(native, clock)
  } else {
    const geometry = computeGeometry(input)
    const memory = createMemory(geometry)
    formatArena(memory, { geometry, policy: o.policy, seed: o.seed, buildId: wasmBuildId() })
    attach = () => attachArena(memory, wasmBuildId())
  }
  return { name: options.name, defaultTtl: o.ttl, clock, codec: resolveCodec<V>(options.codec), attach, front: checkFrontOption(options.front) }
}

/** Opens the arena a handle (made by `cache.handle` in another thread) names. */
export function openAttachedEngine<V>(h: WasmCacheHandle | NativeCacheHandle, options: AttachOptions<V>): OpenedEngine<V> {
  if (h.codec === null && !options.codec)
    throw new CortadoError('ERR_INVALID_OPTION', 'this cache uses a custom codec: pass it to Cache.attach(handle, { codec })')
  const clock = checkClock(options.clock)
  let attach: () => EngineArena
  if (h.engine === 'native') {
    const native: NativeArenaInfo = reopenNativeArena(h)
    attach = () => attachNativeArena(native, clock)
  } else {
    const memory = h.memory
    attach = () => attachArena(memory, wasmBuildId())
  }
  const codecOption: CodecName | Codec<V> | undefined = options.codec ?? h.codec ?? undefined
  return { name: h.name, defaultTtl: h.ttl, clock, codec: resolveCodec<V>(codecOption), attach, front: checkFrontOption(options.front) }
}
