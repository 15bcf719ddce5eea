/**
 * The Cache: an lru-cache-like API over an arena in WebAssembly memory. Every call writes its key into
 * this thread's scratch area, crosses into the engine once, and decodes the value straight out of the
 * arena. Reads are lock-free (the engine reports where the value is and the sequence number it saw;
 * we copy the value out and check the sequence did not move); writes take the shard lock inside the
 * engine, and when it is contended we wait in JS (src/engine/contention.ts).
 */
import type { CacheHandle, CacheOptions, CacheStats, Codec, SetOptions, CodecName } from './types.js'
import { CortadoError } from './errors.js'
import * as L from './layout/constants.generated.js'
import { computeGeometry, maxBytesFor, SCRATCH_BYTES, type Geometry } from './layout/geometry.js'
import { normalizeOptions, checkTtl, checkClock, policyId } from './options.js'
import { checkOptions, noOptions } from './option-names.js'
import { resolveCodec, decodeKind, decodeOwned, takeKind, finishKind, type ValueCodec } from './codecs/index.js'
import { copyOut } from './codecs/copy-out.js'
import { writeUtf8, readUtf8, NOT_WELL_FORMED } from './text.js'
import { checkKey, invalidKeyType, keyTooLong, notWellFormed } from './keys.js'
import { wasmBuildId, type WasmExports } from './engine/wasm/module.js'
import { createMemory, formatArena, attachArena, readGeometry } from './engine/wasm/arena.js'
import type { EngineArena } from './engine/attached.js'
import { waitForShard as waitForWasmShard, notifyShard, newWaitState, type ShardLocator, type WaitState } from './engine/contention.js'
import { readStats, type StatsSource } from './stats.js'
import { checkLiveTotal } from './engine/totals.js'
import { takeChained, writeChained, takeListedChained, shardOfSeq } from './engine/large.js'
import { checkHandle, type WasmCacheHandle } from './handle.js'
import type { ArenaViews } from './engine/views.js'
import { nativeAddon, requireNativeAddon, nativeUnavailableReason } from './engine/native/load.js'
import {
  nativeGeometry, openNativeArena, attachNativeArena, reopenNativeArena, checkNativeHandle,
  type NativeArenaInfo, type NativeCacheHandle,
} from './engine/native/arena.js'
import {
  getOrLoad, warm, ready, dump, restore, invalidate, LoadingCache, WriteThroughCache, WriteBehindCache,
  type Loader, type LoadOptions, type WarmOptions, type WarmResult, type DumpResult, type RestoreOptions,
  type RestoreResult, type Store, type WriteThroughOptions, type WriteBehindOptions,
} from './loading/index.js'

/** The longest key, in UTF-8 bytes, a cache accepts (longer keys throw `ERR_INVALID_KEY`). */
export const MAX_KEY_BYTES = L.MAX_KEY_BYTES

/** One entry as stored: its kind byte, encoded bytes (when asked for) and absolute expiry (ms). */
export interface RawEntry {
  key: string
  kind: number
  bytes: Uint8Array | undefined
  expiry: number
}

/** Per-thread counters the loading layer adds to (summed over threads by stats()). */
export type ThreadCounter = 'loadSuccesses' | 'loadFailures' | 'loadTimeMs' | 'staleHits' | 'refreshes' | 'loadsNotStored'
const THREAD_COUNTER_OFFSETS: Record<ThreadCounter, number> = {
  loadSuccesses: L.THREAD_LOAD_SUCCESSES, loadFailures: L.THREAD_LOAD_FAILURES, loadTimeMs: L.THREAD_LOAD_TIME_MS,
  staleHits: L.THREAD_STALE_HITS, refreshes: L.THREAD_REFRESHES, loadsNotStored: L.THREAD_LOADS_NOT_STORED,
}

const SET_OPTIONS: ReadonlySet<string> = new Set(['ttl'])
const ATTACH_OPTIONS: ReadonlySet<string> = new Set(['codec', 'clock'])
const SIZING_OPTIONS: ReadonlySet<string> = new Set(['shards', 'policy', 'maxThreads', 'maxEntrySize'])

/** Options a thread may give when attaching to a cache created elsewhere. */
export interface AttachOptions<V> {
  /** Re-supply the custom codec (functions can't cross threads). */
  codec?: Codec<V>
  /** Clock in milliseconds for this thread, for tests. Default `Date.now`. */
  clock?: () => number
}

const R_VALUE_OFFSET = L.RESULT_VALUE_OFFSET >> 2
const R_VALUE_LEN = L.RESULT_VALUE_LEN >> 2
const R_KIND = L.RESULT_KIND >> 2
const R_SEQ = L.RESULT_SEQ >> 2
const R_SEQ_INDEX = L.RESULT_SEQ_INDEX >> 2
const R_SHARD = L.RESULT_SHARD >> 2
const R_EXPIRY = L.RESULT_EXPIRY >> 3
/** What a lock-free read returns when a writer moved under it (the value is then read again). */
const RETRY: unique symbol = Symbol('retry')
/** Lock-free read attempts before a get takes the shard lock instead. */
const OPTIMISTIC_ATTEMPTS = 8
/** Buckets per iteration chunk: at most 8 entries each, so a chunk's offsets always fit in scratch. */
const ITER_BUCKETS = Math.floor((SCRATCH_BYTES - L.RESULT_SIZE) / 4 / L.BUCKET_SLOTS)
/** Most keys per engine call of getMany/setMany (their records must fit in scratch beside the keys). */
const BATCH_CHUNK = 256

/** A shard locator that may bring its own way of waiting (the native engine waits in the addon). */
interface EngineLocator extends ShardLocator {
  wait?(shard: number): void
}

/** Blocks until the shard looks free (or was recovered from a dead owner); then retry. */
function waitForShard(locator: EngineLocator, shard: number, state: WaitState): void {
  if (locator.wait) locator.wait(shard)
  else waitForWasmShard(locator, shard, state)
}

/**
 * An in-process cache whose entries live as bytes in one arena outside the JS heap (WebAssembly memory,
 * or memory the native engine maps), shared by every thread that attaches to it, with TinyLFU admission.
 */
export class Cache<V = unknown> {
  /** Name used in metrics and error messages. */
  readonly name: string | undefined
  /** The geometry the arena was laid out with (sizes, shard count, largest entry). */
  readonly geometry: Readonly<Geometry>

  #arena!: EngineArena
  #ex!: WasmExports
  #v!: ArenaViews
  #codec: ValueCodec<V>
  #codecName: CodecName | undefined
  #userDecode: ((bytes: Uint8Array) => unknown) | undefined
  #clock: () => number
  #defaultTtl: number
  /** Pass the clock to the engine: TTLs are in use (by this or another thread). */
  #clockNeeded: boolean
  #closed = false
  /** Attaches this thread again (a new slot) when it was wrongly thought dead and lost its own. */
  #reattach: () => EngineArena
  /** This thread's lease id and where the slot holds it: every call compares them (src/engine/slots.ts). */
  #lease = 0
  #leaseIdx = 0
  #scratch!: number
  #keyAt!: number
  #keyRoom!: number
  #r32!: number
  #r64!: number
  #hitsIdx!: number
  #readRetriesIdx!: number
  #missesIdx!: number
  #ttlInUseIdx = L.ARENA_TTL_IN_USE >> 2
  #locator!: EngineLocator
  #stats!: StatsSource

  constructor(options: CacheOptions<V>)
  /** @internal used by Cache.attach */
  constructor(options: CacheOptions<V>, attachTo: { handle: WasmCacheHandle | NativeCacheHandle; attach: AttachOptions<V> })
  constructor(options: CacheOptions<V>, attachTo?: { handle: WasmCacheHandle | NativeCacheHandle; attach: AttachOptions<V> }) {
    let memory: WebAssembly.Memory | undefined
    let native: NativeArenaInfo | undefined
    let codecOption: CodecName | Codec<V> | undefined
    if (attachTo) {
      const h = attachTo.handle
      if (h.engine === 'native') native = reopenNativeArena(h)
      else memory = h.memory
      codecOption = attachTo.attach.codec ?? h.codec ?? undefined
      if (h.codec === null && !attachTo.attach.codec)
        throw new CortadoError('ERR_INVALID_OPTION', 'this cache uses a custom codec: pass it to Cache.attach(handle, { codec })')
      this.name = h.name
      this.#defaultTtl = h.ttl
      this.#clock = checkClock(attachTo.attach.clock)
    } else {
      const o = normalizeOptions(options as CacheOptions<unknown>)
      // 'auto' is the native engine when its addon was built, else WebAssembly; a path needs native.
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
      codecOption = options.codec
      this.name = options.name
      this.#defaultTtl = o.ttl
      this.#clock = o.clock
      if (useNative) {
        requireNativeAddon()
        native = openNativeArena({ path: options.path, geometry: nativeGeometry(input), policy: o.policy, seed: o.seed })
      } else {
        const geometry = computeGeometry(input)
        memory = createMemory(geometry)
        formatArena(memory, { geometry, policy: o.policy, seed: o.seed, buildId: wasmBuildId() })
      }
    }
    const codec = resolveCodec<V>(codecOption)
    this.#codec = codec.codec
    this.#codecName = codec.name
    this.#userDecode = codec.userDecode
    const clock = this.#clock
    this.#reattach = native ? () => attachNativeArena(native, clock) : () => attachArena(memory!, wasmBuildId())
    this.#arena = this.#reattach()
    this.geometry = Object.freeze(readGeometry(this.#arena.views))
    this.#clockNeeded = this.#defaultTtl > 0 || this.#arena.views.i32[this.#ttlInUseIdx] !== 0
    this.#bind(this.#arena)
  }

  /** Points every per-thread field at `arena`'s slot: its scratch, its counters, its lease. */
  #bind(arena: EngineArena): void {
    this.#arena = arena
    this.#ex = arena.exports
    this.#v = arena.views
    this.#scratch = arena.scratchBase
    this.#keyAt = this.#scratch + L.RESULT_SIZE
    this.#keyRoom = this.geometry.scratchBytes - L.RESULT_SIZE
    this.#r32 = this.#scratch >> 2
    this.#r64 = this.#scratch >> 3
    const threadBase = this.geometry.threadsOffset + arena.slot * L.THREAD_SIZE
    this.#hitsIdx = (threadBase + L.THREAD_HITS) >> 3
    this.#readRetriesIdx = (threadBase + L.THREAD_READ_RETRIES) >> 3
    this.#missesIdx = (threadBase + L.THREAD_MISSES) >> 3
    this.#lease = arena.lease.lease
    this.#leaseIdx = arena.lease.leaseIndex
    const ex = this.#ex
    const clock = this.#clock
    const viewGeometry = { ...this.geometry, ...arena.viewGeometry }
    this.#locator = {
      i32: this.#v.i32,
      shardsOffset: viewGeometry.shardsOffset,
      shardBytes: viewGeometry.shardBytes,
      recover: (shard, owner) => { ex.recover(shard, owner, clock()) },
      wait: arena.wait,
    }
    this.#stats = { views: this.#v, geometry: viewGeometry }
  }

  /**
   * The `maxBytes` to give a cache that must hold `entries` entries of about `entryBytes` bytes each
   * (8-byte header + key + value, +8 with a TTL), with `maxEntries: entries`. Other options that
   * shape the arena (`shards`, `policy`, `maxThreads`, `maxEntrySize`) may be passed too.
   */
  static maxBytesFor(entries: number, entryBytes: number, options: Pick<CacheOptions<unknown>, 'shards' | 'policy' | 'maxThreads' | 'maxEntrySize'> = {}): number {
    checkOptions(options, 'Cache.maxBytesFor', SIZING_OPTIONS, '{ shards: 4 }')
    return maxBytesFor(entries, entryBytes, {
      shards: options.shards, maxThreads: options.maxThreads, maxEntrySize: options.maxEntrySize,
      policy: policyId(options.policy),
    })
  }

  /** Attaches to a cache created in another thread of this process (see `cache.handle`). */
  static attach<V = unknown>(handle: CacheHandle, options: AttachOptions<V> = {}): Cache<V> {
    checkOptions(options, 'Cache.attach', ATTACH_OPTIONS, '{ codec }')
    const h = checkNativeHandle(handle) ?? checkHandle(handle)
    return new Cache<V>({ maxBytes: 0 }, { handle: h, attach: options })
  }

  /** A structured-cloneable handle: post it to a worker and call `Cache.attach(handle)` there. */
  get handle(): CacheHandle {
    this.#check()
    return this.#arena.handle({ codec: this.#codecName ?? null, name: this.name, ttl: this.#defaultTtl })
  }

  // ---- reads -------------------------------------------------------------------------------------

  /** The value of `key`, or undefined on a miss (counted as a hit or miss, and a use for the policy). Takes no options. */
  get(key: string, options?: undefined): V | undefined {
    if (this.#v.u32[this.#leaseIdx] !== this.#lease) this.#lostSlot()
    if (options !== undefined) throw noOptions('get', options)
    const keyLen = this.#writeKey(key)
    // The common case inline: one optimistic lookup, decoded and validated here.
    const status = this.#ex.get(keyLen, this.#clockNeeded ? this.#clock() : -1, 0)
    if (status === L.STATUS_HIT) {
      const value = this.#takeHit()
      if (value !== RETRY) {
        this.#v.f64[this.#hitsIdx]++
        return value
      }
    } else if (status === L.STATUS_MISS) {
      this.#v.f64[this.#missesIdx]++
      return undefined
    }
    // A write moved under us, the entry needs the clock, expired, or the shard is busy.
    return this.#read(keyLen, 0)
  }

  /** Like get, but leaves the entry's recency/frequency and the hit/miss counters untouched. */
  peek(key: string, options?: undefined): V | undefined {
    this.#check()
    if (options !== undefined) throw noOptions('peek', options)
    return this.#read(this.#writeKey(key), L.GET_PEEK)
  }

  /** Whether `key` holds a live entry, without counting a hit or miss or touching the policy. */
  has(key: string, options?: undefined): boolean {
    this.#check()
    if (options !== undefined) throw noOptions('has', options)
    return this.#lookup(this.#writeKey(key), L.GET_PEEK, true) === L.STATUS_HIT
  }

  /** Milliseconds until the entry expires: Infinity without a TTL, 0 when absent or expired. */
  getRemainingTTL(key: string): number {
    this.#check()
    if (this.#lookup(this.#writeKey(key), L.GET_PEEK, true) !== L.STATUS_HIT) return 0
    const expiry = this.#v.f64[this.#r64 + R_EXPIRY]
    if (expiry === Infinity) return Infinity
    return Math.max(0, expiry - this.#clock())
  }

  /**
   * Runs a lookup, resolving NEED_CLOCK and EXPIRED; returns HIT (RESULT filled), MISS or, when
   * writers keep the shard busy, BUSY (or, with `lockWhenBusy`, the status of a lookup under the lock).
   */
  #lookup(keyLen: number, flags: number, lockWhenBusy: boolean): number {
    const ex = this.#ex
    let now = this.#clockNeeded ? this.#clock() : -1
    let status = ex.get(keyLen, now, flags)
    if (status === L.STATUS_NEED_CLOCK) {
      this.#clockNeeded = true
      now = this.#clock()
      status = ex.get(keyLen, now, flags)
    }
    if (status === L.STATUS_EXPIRED) {
      this.#removeExpired(keyLen, now)
      return L.STATUS_MISS
    }
    if (status === L.STATUS_BUSY && lockWhenBusy) {
      status = this.#withShardLocked(() => ex.get(keyLen, now < 0 ? this.#clock() : now, flags | L.GET_LOCKED))
      if (status === L.STATUS_EXPIRED) {
        this.#removeExpired(keyLen, now < 0 ? this.#clock() : now)
        return L.STATUS_MISS
      }
    }
    return status
  }

  #read(keyLen: number, flags: number): V | undefined {
    const u32 = this.#v.u32
    const r = this.#r32
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const status = this.#lookup(keyLen, flags, false)
      if (status === L.STATUS_BUSY) break
      if (status !== L.STATUS_HIT) return this.#counted(flags, undefined)
      const value = this.#takeHit()
      if (value !== RETRY) return this.#counted(flags, value)
    }
    // Writers kept moving under us: read (and decode) under the lock.
    const now = this.#clockNeeded ? this.#clock() : -1
    let value: V | undefined
    const status = this.#withShardLocked(() => {
      const s = this.#ex.get(keyLen, now < 0 ? this.#clock() : now, flags | L.GET_LOCKED)
      if (s === L.STATUS_HIT) {
        const start = u32[r + R_VALUE_OFFSET]
        const kind = u32[r + R_KIND]
        value = (kind < L.KIND_CHAINED ? decodeKind(this.#v, kind, start, start + u32[r + R_VALUE_LEN], this.#userDecode)
          : decodeOwned(kind & 0xff, takeChained(this.#v, this.geometry, shardOfSeq(u32[r + R_SEQ_INDEX]), start, u32[r + R_VALUE_LEN])!, this.#userDecode)) as V
      }
      return s
    })
    if (status === L.STATUS_EXPIRED) this.#removeExpired(keyLen, this.#clock())
    return this.#counted(flags, status === L.STATUS_HIT ? value : undefined)
  }

  /** The value of the hit described in RESULT, or RETRY when a writer moved under its copy. */
  #takeHit(): V | typeof RETRY {
    const u32 = this.#v.u32
    const r = this.#r32
    const start = u32[r + R_VALUE_OFFSET]
    return this.#take(u32[r + R_KIND], start, start + u32[r + R_VALUE_LEN], u32[r + R_SEQ_INDEX], u32[r + R_SEQ])
  }

  /**
   * A value read without the lock: its bytes taken out first, the sequence checked, decoded after, so
   * a torn copy is never decoded. RETRY when the sequence moved.
   */
  #take(kind: number, start: number, end: number, seqIndex: number, seq: number): V | typeof RETRY {
    // A value larger than a segment comes out of its chain of segments (src/engine/large.ts).
    const taken = kind < L.KIND_CHAINED ? takeKind(this.#v, kind, start, end)
      : takeChained(this.#v, this.geometry, shardOfSeq(seqIndex), start, end - start)
    if (taken === undefined || Atomics.load(this.#v.u32, seqIndex) !== seq) {
      this.#v.f64[this.#readRetriesIdx]++
      return RETRY
    }
    return (kind < L.KIND_CHAINED ? finishKind(kind, taken, this.#userDecode)
      : decodeOwned(kind & 0xff, taken as Uint8Array, this.#userDecode)) as V
  }

  /** Counts a get's hit or miss (peeks count nothing) and passes its result through. */
  #counted(flags: number, value: V | undefined): V | undefined {
    if (flags === 0) this.#v.f64[value === undefined ? this.#missesIdx : this.#hitsIdx]++
    return value
  }

  /** Runs `fn` with the key's shard (RESULT.shard) locked: the slow path when writers keep it busy. */
  #withShardLocked(fn: () => number): number {
    const ex = this.#ex
    const shard = this.#v.u32[this.#r32 + R_SHARD]
    const wait = newWaitState()
    while (ex.lockShard(shard) === 0) waitForShard(this.#locator, shard, wait)
    try {
      return fn()
    } finally {
      if (ex.unlockShard(shard) !== 0) notifyShard(this.#locator, shard)
    }
  }

  #removeExpired(keyLen: number, now: number): void {
    this.#writeLocked(() => this.#ex.remove(keyLen, now, L.REMOVE_EXPIRED))
  }

  // ---- writes ------------------------------------------------------------------------------------

  /**
   * Stores a value. Returns false when it was not stored: larger than an entry may be
   * (`geometry.maxEntryBytes`, counted in stats.oversized) or refused by the admission policy.
   */
  set(key: string, value: V, options?: SetOptions): boolean {
    this.#check()
    const keyLen = this.#writeKey(key)
    const ttl = options === undefined ? this.#defaultTtl : this.#ttlOption(options, 'set')
    if (ttl > 0) this.#clockNeeded = true
    const now = this.#clockNeeded || this.#v.i32[this.#ttlInUseIdx] !== 0 ? this.#clock() : -1
    const codec = this.#codec
    const len = codec.encodeInto(value, this.#v, this.#keyAt + keyLen, this.#keyRoom - keyLen)
    if (len >= 0) return this.#setFromScratch(keyLen, len, codec.kind, ttl, now)
    const bytes = codec.encodeBytes(value)
    return this.#store(keyLen, codec.kind, bytes, ttl, now)
  }

  /** The TTL that set/setMany options ask for (checked as strictly as the constructor's options). */
  #ttlOption(options: SetOptions, where: string): number {
    const o = checkOptions(options, where, SET_OPTIONS, '{ ttl: 5000 }')
    return o.ttl === undefined ? this.#defaultTtl : checkTtl(o.ttl, 'ttl')
  }

  /** The set of a key and value already in scratch (no closure unless the shard is contended). */
  #setFromScratch(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): boolean {
    const ex = this.#ex
    let status = ex.set(keyLen, valueLen, kind, ttl, now)
    if (status === L.STATUS_CONTENDED) status = this.#untilUncontended(() => ex.set(keyLen, valueLen, kind, ttl, now))
    if (this.#released(status) === L.STATUS_STORED) return true
    this.#refused(keyLen, valueLen, ttl)
    return false
  }

  /**
   * A set that was not stored: if the entry was larger than an entry may be, the first such refusal
   * of this cache (in any thread: a flag in the arena) emits one process warning saying how to lift it.
   */
  #refused(keyLen: number, valueLen: number, ttl: number): void {
    const size = L.ENTRY_HEADER_BYTES + (ttl > 0 ? L.ENTRY_TTL_BYTES : 0) + keyLen + valueLen
    const limit = this.geometry.maxEntryBytes
    if (size <= limit || Atomics.compareExchange(this.#v.i32, L.ARENA_OVERSIZE_WARNED >> 2, 0, 1) !== 0) return
    process.emitWarning(
      `cortado: cache${this.name ? ` '${this.name}'` : ''} refused an entry of ${size} bytes (header + key + value): ` +
      `its largest entry is ${limit} bytes (cache.geometry.maxEntryBytes). Pass maxEntrySize: ${size} (or more) to new Cache() ` +
      'to store entries this large. set() returns false and stats().oversized counts every such refusal; this warning is shown once per cache.',
      { code: 'CORTADO_OVERSIZED' })
  }

  /** Stores encoded bytes for the key already in scratch: copied through scratch, or reserved in place. */
  #store(keyLen: number, kind: number, bytes: Uint8Array, ttl: number, now: number): boolean {
    const ex = this.#ex
    if (bytes.length <= this.#keyRoom - keyLen) {
      this.#v.u8.set(bytes, this.#keyAt + keyLen)
      return this.#setFromScratch(keyLen, bytes.length, kind, ttl, now)
    }
    const status = this.#writeLocked(() => ex.setReserve(keyLen, bytes.length, kind, ttl, now))
    if (status === L.STATUS_STORED) {
      // The engine holds the shard lock until setCommit; nothing between can throw.
      const shard = this.#v.u32[this.#r32 + R_SHARD]
      const at = this.#v.u32[this.#r32 + R_VALUE_OFFSET]
      if (this.#v.u32[this.#r32 + R_KIND] < L.KIND_CHAINED) this.#v.u8.set(bytes, at)
      else writeChained(this.#v, this.geometry, this.#locator.shardsOffset + shard * this.#locator.shardBytes, at, bytes)
      if ((ex.setCommit(shard) & L.STATUS_WAITERS_BIT) !== 0) notifyShard(this.#locator, shard)
      return true
    }
    this.#refused(keyLen, bytes.length, ttl)
    return false
  }

  /** Removes `key`; true when it was there. */
  delete(key: string, options?: undefined): boolean {
    this.#check()
    if (options !== undefined) throw noOptions('delete', options)
    const keyLen = this.#writeKey(key)
    return this.#remove(keyLen, L.REMOVE_DELETE)
  }

  /** Removes a key and counts it as an invalidation (for change-data-capture consumers). */
  invalidateKey(key: string): boolean {
    this.#check()
    const keyLen = this.#writeKey(key)
    return this.#remove(keyLen, L.REMOVE_INVALIDATE)
  }

  #remove(keyLen: number, mode: number): boolean {
    const ex = this.#ex
    const now = this.#clockNeeded ? this.#clock() : -1
    let status = ex.remove(keyLen, now, mode)
    if (status === L.STATUS_CONTENDED) status = this.#untilUncontended(() => ex.remove(keyLen, now, mode))
    return this.#released(status) === L.STATUS_DELETED
  }

  /** Removes every entry. Counters (stats) are kept. */
  clear(): void {
    this.#check()
    for (let shard = 0; shard < this.geometry.shardCount; shard++) {
      this.#v.u32[this.#r32 + R_SHARD] = shard
      this.#writeLocked(() => this.#ex.clear(shard))
    }
  }

  /** Removes every expired entry now (expired entries are otherwise reclaimed incrementally). */
  purgeStale(): number {
    this.#check()
    const now = this.#clock()
    let removed = 0
    for (let shard = 0; shard < this.geometry.shardCount; shard++) {
      const wait = newWaitState()
      let n: number
      while ((n = this.#ex.purge(shard, now)) === 0xffffffff) waitForShard(this.#locator, shard, wait)
      removed += n
    }
    return removed
  }

  /**
   * Runs a locking engine call, waiting and retrying while its shard is contended; notifies waiters.
   * (Hot paths make their first call inline, so no closure is made unless the shard is contended.)
   */
  #writeLocked(op: () => number): number {
    let status = op()
    if (status === L.STATUS_CONTENDED) status = this.#untilUncontended(op)
    return this.#released(status)
  }

  /** Waits for the shard in RESULT.shard and retries `op` until it is no longer contended. */
  #untilUncontended(op: () => number): number {
    const wait = newWaitState()
    let status: number
    do {
      waitForShard(this.#locator, this.#v.u32[this.#r32 + R_SHARD], wait)
      status = op()
    } while (status === L.STATUS_CONTENDED)
    return status
  }

  /** A write's status without its waiters bit, after waking the threads it names. */
  #released(status: number): number {
    if ((status & L.STATUS_WAITERS_BIT) === 0) return status
    notifyShard(this.#locator, this.#v.u32[this.#r32 + R_SHARD])
    return status & ~L.STATUS_WAITERS_BIT
  }

  // ---- batches -----------------------------------------------------------------------------------

  /** Gets many keys with one engine call per scratch-full of keys. */
  getMany(keys: readonly string[]): (V | undefined)[] {
    this.#check()
    if (!Array.isArray(keys)) throw new CortadoError('ERR_INVALID_KEY', 'getMany takes an array of string keys')
    const out: (V | undefined)[] = new Array(keys.length)
    const v = this.#v
    const u32 = v.u32
    let i = 0
    while (i < keys.length) {
      // Lay out [u32 len][key][pad] after room for the output records of the whole chunk.
      const outAt = this.#keyAt
      const maxChunk = Math.min(keys.length - i, BATCH_CHUNK)
      const inAt = outAt + maxChunk * L.BATCH_OUT_SIZE
      const limit = this.#scratch + this.geometry.scratchBytes
      let p = inAt
      let n = 0
      while (n < maxChunk) {
        const key = keys[i + n]
        if (typeof key !== 'string') throw invalidKeyType(key)
        const room = limit - p - L.BATCH_IN_HEADER_BYTES
        if (room < 1) break
        const len = writeUtf8(v, key, p + L.BATCH_IN_HEADER_BYTES, Math.min(room, L.MAX_KEY_BYTES + 1))
        if (len === NOT_WELL_FORMED) throw notWellFormed(key)
        if (len < 0 || len > L.MAX_KEY_BYTES) {
          if (n > 0) break
          throw keyTooLong(key)
        }
        u32[p >> 2] = len
        p += (L.BATCH_IN_HEADER_BYTES + len + 3) & ~3
        n++
      }
      const now = this.#clockNeeded ? this.#clock() : -1
      this.#ex.getMany(n, inAt, outAt, now, 0)
      let q = inAt
      for (let k = 0; k < n; k++) {
        const o = (outAt + k * L.BATCH_OUT_SIZE) >> 2
        const status = u32[o]
        const keyLen = u32[q >> 2]
        if (status === L.STATUS_HIT) {
          const start = u32[o + (L.BATCH_OUT_VALUE_OFFSET >> 2)]
          const value = this.#take(u32[o + (L.BATCH_OUT_KIND >> 2)], start, start + u32[o + (L.BATCH_OUT_VALUE_LEN >> 2)],
            u32[o + (L.BATCH_OUT_SEQ_INDEX >> 2)], u32[o + (L.BATCH_OUT_SEQ >> 2)])
          if (value !== RETRY) {
            out[i + k] = value
            v.f64[this.#hitsIdx]++
          } else {
            out[i + k] = this.get(keys[i + k])
          }
        } else if (status === L.STATUS_MISS) {
          out[i + k] = undefined
          v.f64[this.#missesIdx]++
        } else {
          // Expired, needing the clock, or busy: the single-key path handles each case.
          out[i + k] = this.get(keys[i + k])
        }
        q += (L.BATCH_IN_HEADER_BYTES + keyLen + 3) & ~3
      }
      i += n
    }
    return out
  }

  /** Sets many entries with one engine call per scratch-full; returns which were stored. */
  setMany(entries: Iterable<readonly [string, V]> | ReadonlyArray<readonly [string, V]>, options?: SetOptions): boolean[] {
    this.#check()
    if (entries === null || typeof (entries as Iterable<unknown>)[Symbol.iterator] !== 'function')
      throw new CortadoError('ERR_INVALID_VALUE', 'setMany takes an iterable of [key, value] pairs')
    const list = Array.isArray(entries) ? entries as ReadonlyArray<readonly [string, V]> : Array.from(entries)
    const ttl = options === undefined ? this.#defaultTtl : this.#ttlOption(options, 'setMany')
    const codec = this.#codec
    // Every pair is checked before anything is stored, so a bad key or value leaves the cache as it
    // was. Values a serializing codec can only check by encoding are encoded here, once, and kept.
    let prepared: Uint8Array[] | undefined
    let preparedKinds: Uint8Array | undefined
    for (let k = 0; k < list.length; k++) {
      const entry = list[k]
      if (!Array.isArray(entry)) throw new CortadoError('ERR_INVALID_VALUE', 'setMany takes [key, value] pairs')
      checkKey(entry[0])
      const bytes = codec.prepare(entry[1])
      if (bytes !== undefined) {
        ;(prepared ??= new Array<Uint8Array>(list.length))[k] = bytes
        ;(preparedKinds ??= new Uint8Array(list.length))[k] = codec.kind
      }
    }
    if (ttl > 0) this.#clockNeeded = true
    const results: boolean[] = new Array(list.length)
    const v = this.#v
    const u32 = v.u32
    const limit = this.#scratch + this.geometry.scratchBytes
    let i = 0
    while (i < list.length) {
      const maxChunk = Math.min(list.length - i, BATCH_CHUNK)
      const outAt = this.#keyAt
      const inAt = (outAt + maxChunk * 4 + 7) & ~7
      let p = inAt
      let n = 0
      while (n < maxChunk) {
        const [key, value] = list[i + n]
        const pre = prepared?.[i + n]
        const room = limit - p - L.BATCH_SET_IN_SIZE
        const keyLen = room > 0 ? writeUtf8(v, key, p + L.BATCH_SET_IN_SIZE, Math.min(room, L.MAX_KEY_BYTES + 1)) : -1
        const valueAt = p + L.BATCH_SET_IN_SIZE + keyLen
        let valueLen = -1
        let kind = 0
        if (keyLen >= 0 && keyLen <= L.MAX_KEY_BYTES) {
          if (pre === undefined) {
            valueLen = codec.encodeInto(value, v, valueAt, room - keyLen)
            kind = codec.kind
          } else if (pre.length <= room - keyLen) {
            v.u8.set(pre, valueAt)
            valueLen = pre.length
            kind = preparedKinds![i + n]!
          }
        }
        if (valueLen < 0) {
          // Doesn't fit beside the others: flush what we have, or store this one on its own.
          if (n > 0) break
          results[i] = pre === undefined ? this.set(key, value, { ttl }) : this._setRaw(key, preparedKinds![i]!, pre, ttl)
          i++
          break
        }
        u32[(p + L.BATCH_SET_IN_KEY_LEN) >> 2] = keyLen
        u32[(p + L.BATCH_SET_IN_VALUE_LEN) >> 2] = valueLen
        u32[(p + L.BATCH_SET_IN_KIND) >> 2] = kind
        v.f64[(p + L.BATCH_SET_IN_TTL) >> 3] = ttl
        p += (L.BATCH_SET_IN_SIZE + keyLen + valueLen + 7) & ~7
        n++
      }
      if (n === 0) continue
      const now = this.#clockNeeded || v.i32[this.#ttlInUseIdx] !== 0 ? this.#clock() : -1
      let from = 0
      const wait = newWaitState()
      while ((from = this.#ex.setMany(from, n, inAt, outAt, now)) < n)
        waitForShard(this.#locator, u32[this.#r32 + R_SHARD], wait)
      if (u32[(this.#scratch + L.RESULT_RESERVED) >> 2] !== 0)
        for (let s = 0; s < this.geometry.shardCount; s++) notifyShard(this.#locator, s)
      for (let k = 0; k < n; k++) results[i + k] = u32[(outAt >> 2) + k] === L.STATUS_STORED
      i += n
    }
    return results
  }

  // ---- iteration ---------------------------------------------------------------------------------

  /** Every live entry as [key, value], shard by shard (order unspecified), read consistently per chunk. */
  *entries(): Generator<[string, V]> {
    for (const chunk of this.#chunks(true))
      for (const e of chunk) yield [e.key, decodeOwned(e.kind, e.bytes!, this.#userDecode) as V]
  }

  /** Every live key, shard by shard (see `entries()` for what concurrent writes do). */
  *keys(): Generator<string> {
    for (const chunk of this.#chunks(false)) for (const e of chunk) yield e.key
  }

  /** Every live value, shard by shard. */
  *values(): Generator<V> {
    for (const [, v] of this.entries()) yield v
  }

  /** Same as `entries()`: `for (const [key, value] of cache)`. */
  [Symbol.iterator](): Generator<[string, V]> {
    return this.entries()
  }

  /** Calls `fn` for every live entry, as `Map.prototype.forEach` does. */
  forEach(fn: (value: V, key: string, cache: this) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this)
  }

  /** Number of live entries (expired entries not yet reclaimed included). */
  get size(): number {
    this.#check()
    let n = 0
    const u32 = this.#v.u32
    for (let s = 0; s < this.geometry.shardCount; s++)
      n += u32[(this.#locator.shardsOffset + s * this.#locator.shardBytes + L.SHARD_LIVE_COUNT) >> 2]
    return n
  }

  /**
   * @internal Live entries as stored (kind byte, encoded bytes, absolute expiry), for dumps and tiers:
   * no decoding, so values round-trip exactly whatever codec wrote them.
   */
  *_rawEntries(): Generator<RawEntry> {
    for (const chunk of this.#chunks(true)) yield* chunk
  }

  *#chunks(withValues: boolean): Generator<RawEntry[]> {
    this.#check()
    const g = this.geometry
    for (let shard = 0; shard < g.shardCount; shard++) {
      for (let from = 0; from < g.indexBuckets; from += ITER_BUCKETS) {
        this.#check()
        yield this.#readChunk(shard, from, withValues)
      }
    }
  }

  #readChunk(shard: number, from: number, withValues: boolean): RawEntry[] {
    const ex = this.#ex
    const v = this.#v
    const max = ITER_BUCKETS * L.BUCKET_SLOTS
    for (let attempt = 0; ; attempt++) {
      const now = this.#clockNeeded ? this.#clock() : -1
      // Lock-free first; a shard that keeps changing under us is read under its lock.
      const locked = attempt >= 3
      if (locked) {
        const wait = newWaitState()
        while (ex.lockShard(shard) === 0) waitForShard(this.#locator, shard, wait)
      }
      try {
        const n = ex.entries(shard, from, ITER_BUCKETS, max, now)
        if (n === 0xffffffff) continue
        const out: RawEntry[] = []
        let torn = false
        for (let i = 0; i < n; i++) {
          const at = v.u32[(this.#keyAt >> 2) + i]
          const flags = v.u8[at]
          const keyLen = v.u8[at + 2] | (v.u8[at + 3] << 8)
          const valueLen = v.dv.getUint32(at + 4, true)
          const hasTtl = (flags & L.ENTRY_HAS_TTL) !== 0
          const keyStart = at + L.ENTRY_HEADER_BYTES + (hasTtl ? L.ENTRY_TTL_BYTES : 0)
          const valueStart = keyStart + keyLen
          const large = (flags & L.ENTRY_LARGE) !== 0
          if (valueStart + (large ? L.LARGE_REF_BYTES : valueLen) > v.u8.length) break
          const bytes = !withValues ? undefined : !large ? copyOut(v.u8, valueStart, valueStart + valueLen)
            : takeListedChained(v, this.geometry, this.#locator.shardsOffset + shard * this.#locator.shardBytes, valueStart, valueLen)
          if (withValues && bytes === undefined) { torn = true; continue }
          out.push({
            key: readUtf8(v, keyStart, valueStart),
            kind: v.u8[at + 1],
            bytes,
            expiry: hasTtl ? v.dv.getFloat64(at + L.ENTRY_HEADER_BYTES, true) : Infinity,
          })
        }
        if (!locked && (torn || Atomics.load(v.u32, v.u32[this.#r32 + R_SEQ_INDEX]) !== v.u32[this.#r32 + R_SEQ])) continue
        return out
      } finally {
        if (locked && ex.unlockShard(shard) !== 0) notifyShard(this.#locator, shard)
      }
    }
  }

  /**
   * @internal Stores already-encoded bytes under a kind (dump loading, tiers). `ttl` as in set().
   */
  _setRaw(key: string, kind: number, bytes: Uint8Array, ttl: number): boolean {
    this.#check()
    const keyLen = this.#writeKey(key)
    checkTtl(ttl, 'ttl')
    if (ttl > 0) this.#clockNeeded = true
    const now = this.#clockNeeded || this.#v.i32[this.#ttlInUseIdx] !== 0 ? this.#clock() : -1
    return this.#store(keyLen, kind, bytes, ttl, now)
  }

  /** @internal Adds to one of this thread's counters (the loading layer's load and refresh stats). */
  _count(counter: ThreadCounter, delta = 1): void {
    this.#check()
    this.#v.f64[(this.geometry.threadsOffset + this.#arena.slot * L.THREAD_SIZE + THREAD_COUNTER_OFFSETS[counter]) >> 3] += delta
  }

  // ==== loading patterns (src/loading) ===============================================================
  // Thin delegations to the loading layer, which keeps its own per-cache state and reaches the core only
  // through get/set/delete/invalidateKey/_setRaw/_rawEntries/_count/_encode. See README "Loading".

  /**
   * Cache-aside read: the cached value, or `loader(key, { signal, staleValue })`'s result, stored and
   * returned. Concurrent callers of a key share one loader call in this thread and across every thread
   * attached to the cache. A loader resolving `undefined` is a miss (nothing stored, `undefined`
   * returned); a failing loader fails every waiting caller with the same `ERR_LOADER`. Options add a soft
   * TTL (stale-while-revalidate), early refresh (X-Fetch), serve-stale-on-error, negative caching, a
   * timeout and an AbortSignal.
   */
  getOrLoad(key: string, loader: Loader<V>, options?: LoadOptions): Promise<V | undefined> {
    return getOrLoad(this, key, loader, options)
  }

  /** A view with the loader and load options bound: `view.get(key)` = getOrLoad(key, loader, defaults). */
  withLoader(loader: Loader<V>, defaults?: LoadOptions): LoadingCache<V> {
    return new LoadingCache(this, loader, defaults)
  }

  /**
   * Loads keys (an array, any iterable or async iterable) through `loader`, `concurrency` at a time
   * (default 8), skipping keys already cached unless `reload`. Failures are counted, not thrown.
   */
  warm(keys: Iterable<string> | AsyncIterable<string>, loader: Loader<V>, options?: WarmOptions): Promise<WarmResult> {
    return warm(this, keys, loader, options)
  }

  /** Resolves once every warm-up started so far (in this thread) has finished. Never rejects. */
  get ready(): Promise<void> {
    return ready(this)
  }

  /**
   * Writes every live entry with its remaining TTL to `path`, atomically (temporary file, fsync,
   * rename), in a checksummed, versioned format.
   */
  dump(path: string): Promise<DumpResult> {
    return dump(this, path)
  }

  /**
   * Restores a dump written by `dump(path)`, with the TTLs that remain after the time elapsed since.
   * A truncated, corrupt or foreign file is rejected with `ERR_BAD_FILE` and changes nothing.
   */
  load(path: string, options?: RestoreOptions): Promise<RestoreResult> {
    return restore(this, path, options)
  }

  /**
   * Removes keys (one, an iterable, or every key matching a predicate), counted in
   * `stats().invalidations`; a load of such a key in progress here won't store its older result.
   * Returns how many entries were removed.
   */
  invalidate(target: string | Iterable<string> | ((key: string) => boolean)): number {
    return invalidate(this, target)
  }

  /** A write-through view over `store` (store first, then cache; reads load from the store). */
  writeThrough(store: Store<V>, options?: WriteThroughOptions): WriteThroughCache<V> {
    return new WriteThroughCache(this, store, options)
  }

  /** A write-behind view over `store` (cache now, store later from a bounded, coalescing queue). */
  writeBehind(store: Store<V>, options?: WriteBehindOptions): WriteBehindCache<V> {
    return new WriteBehindCache(this, store, options)
  }

  /** @internal Encodes a value with this cache's codec (the loading layer stores it with metadata). */
  _encode(value: V): { kind: number; bytes: Uint8Array } {
    this.#check()
    const bytes = this.#codec.encodeBytes(value)
    return { kind: this.#codec.kind, bytes }
  }

  // ==== end of loading patterns ======================================================================

  // ---- stats, integrity, lifetime ------------------------------------------------------------------

  /** Counters since the cache was created, summed over every thread (and process) attached to it. */
  stats(): CacheStats {
    this.#check()
    return readStats(this.#stats)
  }

  /**
   * Checks every invariant of every shard (index ↔ log, counts, segment ownership, bounds), then the
   * arena-wide live total against the shards' counts. Returns an empty array when the cache is
   * consistent, else one message per broken shard (and one for the totals). Takes each shard lock.
   */
  verify(): string[] {
    this.#check()
    const problems: string[] = []
    for (let shard = 0; shard < this.geometry.shardCount; shard++) {
      const wait = newWaitState()
      let code: number
      while ((code = this.#ex.verify(shard)) === 0xffffffff) waitForShard(this.#locator, shard, wait)
      if (code !== 0) problems.push(`shard ${shard}: invariant ${code} broken`)
    }
    const totals = checkLiveTotal(this.#v, this.geometry)
    if (totals !== undefined) problems.push(totals)
    return problems
  }

  /** Releases this thread's hold on the arena. Other threads attached to it keep working. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    // No u32 equals -1: every later call takes the slow path of #check and throws ERR_CLOSED.
    this.#lease = -1
    this.#arena.detach()
  }

  /** True after `close()`: every other call then throws `ERR_CLOSED`. */
  get closed(): boolean {
    return this.#closed
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** Every call starts here: closed, or no longer holding our slot (thought dead), is handled aside. */
  #check(): void {
    if (this.#v.u32[this.#leaseIdx] !== this.#lease) this.#lostSlot()
  }

  #lostSlot(): void {
    if (this.#closed) throw new CortadoError('ERR_CLOSED', `cache${this.name ? ` '${this.name}'` : ''} is closed`)
    // Our slot was reclaimed while we stalled: its counters were folded into the totals, and someone
    // else may hold it now. Leave it untouched and claim a new one before any write to scratch.
    this.#arena.detach()
    this.#bind(this.#reattach())
  }

  /** Writes the key into scratch and returns its UTF-8 length. */
  #writeKey(key: string): number {
    if (typeof key !== 'string') throw invalidKeyType(key)
    const len = writeUtf8(this.#v, key, this.#keyAt, L.MAX_KEY_BYTES + 1)
    if (len < 0 || len > L.MAX_KEY_BYTES) throw len === NOT_WELL_FORMED ? notWellFormed(key) : keyTooLong(key)
    return len
  }

  /** @internal the engine and views, for the loading layer, dumps and tests in this package. */
  get _internals(): { exports: WasmExports; views: ArenaViews; slot: number; scratch: number; geometry: Geometry; clock: () => number } {
    return { exports: this.#ex, views: this.#v, slot: this.#arena.slot, scratch: this.#scratch, geometry: this.geometry, clock: this.#clock }
  }
}
