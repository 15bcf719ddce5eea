/**
 * The engine side of one Cache object (so of one thread): its slot in the arena, its scratch area, and
 * every call that crosses into the engine. A call writes its key into this thread's scratch, crosses once,
 * and the value is decoded straight out of the arena. Reads are lock-free: the engine reports where the
 * value is and the sequence number it saw; the value is copied out and the sequence checked before it is
 * decoded. Writes take the shard lock inside the engine; a contended shard is waited for in busy.ts.
 *
 * The Cache class (src/cache.ts) is the public API over this; the layers above the core (loading, tiers,
 * disk) use it through the narrow CacheCore interface (access.ts), never through these fields.
 */
import type { CacheHandle, CacheStats } from '../types.js'
import * as L from '../layout/constants.generated.js'
import type { Geometry } from '../layout/geometry.js'
import { checkTtl } from '../options.js'
import { decodeKind, decodeOwned, takeKind, finishKind, type ValueCodec, type ResolvedCodec } from '../codecs/index.js'
import { takeChained, writeChained } from './large.js'
import { copyOut } from '../codecs/copy-out.js'
import { ENVELOPE_HEADER_BYTES, envelopeHardExpiry, envelopeHidden, type EnvelopeMeta } from '../codecs/envelope.js'
import { writeUtf8Aligned, readLatin1, NOT_WELL_FORMED } from '../text.js'
import { invalidKeyType, keyTooLong, notWellFormed } from '../keys.js'
import { CortadoError } from '../errors.js'
import { readStats, type StatsSource } from '../stats.js'
import { checkLiveTotal } from './totals.js'
import { readGeometry } from './wasm/arena.js'
import { ShardGate } from './busy.js'
import { warnOversized } from './oversize.js'
import { adviseShards, LARGE_SETS_BEFORE_ADVICE } from './shard-advice.js'
import { adviseSizing } from './sizing-advice.js'
import { iterateChunks } from './iterate.js'
import { Front } from './front.js'
import type { EngineArena } from './attached.js'
import type { EngineProtocol } from './protocol.js'
import type { ArenaViews } from './views.js'
import type { OpenedEngine } from './open.js'
import type { CacheCore, RawEntry, ThreadCounter, FlightRegion, EngineInternals, LoadInProgress } from './access.js'
import { loadAcquire } from './acquire.js'
import { WriteGens } from './write-gens.js'
import { writeGensOffset } from '../layout/geometry.js'

const THREAD_COUNTER_OFFSETS: Record<ThreadCounter, number> = {
  loadSuccesses: L.THREAD_LOAD_SUCCESSES, loadFailures: L.THREAD_LOAD_FAILURES, loadTimeMs: L.THREAD_LOAD_TIME_MS,
  staleHits: L.THREAD_STALE_HITS, refreshes: L.THREAD_REFRESHES, loadsNotStored: L.THREAD_LOADS_NOT_STORED,
}

const R_VALUE_OFFSET = L.RESULT_VALUE_OFFSET >>> 2
const R_VALUE_LEN = L.RESULT_VALUE_LEN >>> 2
const R_KIND = L.RESULT_KIND >>> 2
const R_SEQ = L.RESULT_SEQ >>> 2
const R_SEQ_INDEX = L.RESULT_SEQ_INDEX >>> 2
const R_EXPIRY = L.RESULT_EXPIRY >>> 3
/** What a lock-free read returns when a writer moved under it (the value is then read again). */
export const RETRY: unique symbol = Symbol('retry')

/**
 * Whether take() answered RETRY. The typeof test comes first: a decoded value (a string, a number, an
 * object) compared with a symbol gets "any" type feedback and `!==` compiles to V8's generic
 * StrictEqual builtin call (~18 instructions a get); a typeof test is an instance-type check. (A user
 * codec that decodes to a symbol still compares by identity.)
 */
export function isRetry(value: unknown): value is typeof RETRY {
  return typeof value === 'symbol' && value === RETRY
}
/** Lock-free read attempts before a get takes the shard lock instead. */
const OPTIMISTIC_ATTEMPTS = 8

export class EngineCore<V> implements CacheCore<V> {
  readonly name: string | undefined
  readonly geometry: Readonly<Geometry>
  readonly defaultTtl: number
  readonly clock: () => number
  readonly codec: ValueCodec<V>
  readonly codecName: ResolvedCodec<V>['name']
  readonly userDecode: ((bytes: Uint8Array) => unknown) | undefined
  /** Pass the clock to the engine: TTLs are in use (by this or another thread). */
  clockNeeded: boolean
  closed = false

  // This thread's binding to the arena (replaced if it ever has to re-attach: see lostSlot).
  arena!: EngineArena
  ex!: EngineProtocol
  v!: ArenaViews
  gate!: ShardGate
  /** This thread's lease id and where the slot holds it: every call compares them (slots.ts). */
  lease = 0
  leaseIdx = 0
  scratch = 0
  keyAt = 0
  keyRoom = 0
  r32 = 0
  r64 = 0
  hitsIdx = 0
  readRetriesIdx = 0
  missesIdx = 0
  frontHitsIdx = 0
  /** This thread's front of hot decoded values (front.ts), when the `front` option asked for one. */
  readonly front: Front | undefined
  /** Loads in progress through this object (trackLoads), once the loading layer has been used. */
  loads: ReadonlyMap<string, LoadInProgress> | undefined
  /** The arena's write generations (write-gens.ts): writes tell loads in every thread about themselves. */
  writeGens!: WriteGens
  /**
   * Where the count of loads in progress (all threads, ARENA.loadsInProgress) is in `v.i32`: 0, and a
   * write skips writeGens. A plain read (Atomics.load is a builtin call: +23 instructions a set,
   * loadAcquire +44, this +10): whenever during the write's call it is made, it decides whether the
   * write counts as called before or after a load that starts meanwhile, and either is a consistent
   * answer (write-gens.ts).
   */
  readonly loadsActiveIdx = L.ARENA_LOADS_IN_PROGRESS >>> 2
  readonly ttlInUseIdx = L.ARENA_TTL_IN_USE >>> 2
  shardsOffset = 0
  shardBytes = 0
  #stats!: StatsSource
  /** Values too large for scratch this thread stored (shard-advice.ts looks once, at LARGE_SETS_BEFORE_ADVICE). */
  #largeSets = 0
  readonly #attach: () => EngineArena

  constructor(opened: OpenedEngine<V>) {
    this.name = opened.name
    this.defaultTtl = opened.defaultTtl
    this.clock = opened.clock
    this.codec = opened.codec.codec
    this.codecName = opened.codec.name
    this.userDecode = opened.codec.userDecode
    this.#attach = opened.attach
    const arena = this.#attach()
    this.geometry = Object.freeze(readGeometry(arena.views))
    this.clockNeeded = this.defaultTtl > 0 || arena.views.i32[this.ttlInUseIdx] !== 0
    // The buffer codec's values are Buffers, which a front never holds: no front at all, so such a
    // cache's gets cost what they cost without the option (no step-aside countdown, no probing window).
    this.front = opened.front === undefined || this.codecName === 'buffer' ? undefined
      : new Front(opened.front, this.geometry, arena.views, arena.viewGeometry.shardsOffset, arena.viewGeometry.shardBytes, this.clock, this.#drainFront)
    this.#bind(arena)
  }

  /** Records front hits with the engine (through scratch: no call is in progress then). */
  readonly #drainFront = (records: Uint32Array, count: number): void => {
    this.v.u32.set(records.subarray(0, (L.ACCESS_RECORD_BYTES >>> 2) * count), this.keyAt >>> 2)
    this.ex.recordAccesses(count, this.keyAt)
  }

  /** Points every per-thread field at `arena`'s slot: its scratch, its counters, its lease. */
  #bind(arena: EngineArena): void {
    this.arena = arena
    this.ex = arena.exports
    this.v = arena.views
    this.scratch = arena.scratchBase
    this.keyAt = this.scratch + L.RESULT_SIZE
    this.keyRoom = this.geometry.scratchBytes - L.RESULT_SIZE
    this.r32 = this.scratch >>> 2
    this.r64 = this.scratch >>> 3
    const threadBase = this.geometry.threadsOffset + arena.slot * L.THREAD_SIZE
    this.hitsIdx = (threadBase + L.THREAD_HITS) >>> 3
    this.readRetriesIdx = (threadBase + L.THREAD_READ_RETRIES) >>> 3
    this.missesIdx = (threadBase + L.THREAD_MISSES) >>> 3
    this.frontHitsIdx = (threadBase + L.THREAD_FRONT_HITS) >>> 3
    this.lease = arena.lease.lease
    this.leaseIdx = arena.lease.leaseIndex
    this.front?.rebind(arena.views, arena.viewGeometry.shardsOffset, arena.viewGeometry.shardBytes, this.leaseIdx, this.lease, this.frontHitsIdx, this.r32)
    this.shardsOffset = arena.viewGeometry.shardsOffset
    this.shardBytes = arena.viewGeometry.shardBytes
    const ex = this.ex
    const clock = this.clock
    const locator = {
      i32: this.v.i32, shardsOffset: this.shardsOffset, shardBytes: this.shardBytes,
      recover: (shard: number, owner: number) => { ex.recover(shard, owner, clock()) },
      holderAlive: (owner: number) => arena.lease.holderAlive(owner),
    }
    this.gate = new ShardGate(ex, locator, arena.wait, this.v.u32, this.scratch)
    this.#stats = { views: this.v, geometry: { ...this.geometry, ...arena.viewGeometry } }
    this.writeGens = new WriteGens(this.v.i32, writeGensOffset(this.geometry.flightsOffset),
      { count: (threadBase + L.THREAD_LOADS_IN_PROGRESS) >>> 2, leaseAt: this.leaseIdx, lease: this.lease })
  }

  /** Every call starts here: closed, or no longer holding our slot (thought dead), is handled aside. */
  check(): void {
    if (this.v.u32[this.leaseIdx] !== this.lease) this.lostSlot()
  }

  lostSlot(): void {
    if (this.closed) throw new CortadoError('ERR_CLOSED', `cache${this.name ? ` '${this.name}'` : ''} is closed`)
    // Our slot was reclaimed while we stalled: its counters were folded into the totals, and someone
    // else may hold it now. Leave it untouched and claim a new one before any write to scratch.
    this.arena.detach()
    this.#bind(this.#attach())
  }

  /**
   * Every write of `key` (set, setRaw, remove, setMany) tells what holds or loads the key first: this
   * thread's front drops it, a load of it here is superseded, and while loads are in progress anywhere
   * the key's write generation moves (write-gens.ts), so a load elsewhere won't store over the write.
   */
  beforeWrite(key: string): void {
    this.front?.delete(key)
    if (this.loads !== undefined) this.supersede(key)
    if (this.v.i32[this.loadsActiveIdx] !== 0) this.writeGens.written(key)
  }

  /**
   * A write of `key` through this object: a load of it in progress here read the key before the write,
   * so its result must not be stored over it (lru-cache drops a fetch's result the same way when its
   * key is set or deleted meanwhile).
   */
  supersede(key: string): void {
    const loads = this.loads!
    // Most writes find no load in progress at all: no hashing of the key then.
    if (loads.size === 0) return
    const load = loads.get(key)
    if (load !== undefined) load.superseded = true
  }

  /** Writes the key into scratch and returns its UTF-8 length. */
  writeKey(key: string): number {
    if (typeof key !== 'string') throw invalidKeyType(key)
    const len = writeUtf8Aligned(this.v, key, this.keyAt, L.MAX_KEY_BYTES + 1)
    if (len < 0 || len > L.MAX_KEY_BYTES) throw len === NOT_WELL_FORMED ? notWellFormed(key) : keyTooLong(key)
    return len
  }

  /** The clock when TTLs are in use, else -1 (the engine answers NEED_CLOCK if it needs it after all). */
  now(): number {
    return this.clockNeeded ? this.clock() : -1
  }

  /** The clock for a write: also when another thread made TTLs be in use. */
  writeNow(): number {
    return this.clockNeeded || this.v.i32[this.ttlInUseIdx] !== 0 ? this.clock() : -1
  }

  // ---- reads -------------------------------------------------------------------------------------

  /**
   * A counted get. `meta`, when given, receives the loading metadata of an entry getOrLoad stored
   * (codecs/envelope.ts); it is written only by this read, never by another decode.
   */
  get(key: string, meta?: EnvelopeMeta): V | undefined {
    const front = this.front
    if (front !== undefined && meta === undefined) {
      // The front checks the lease itself and counts its hits (front.ts); NOT_IN_FRONT is undefined.
      const fronted = front.get(key)
      if (fronted !== undefined) return fronted as V
      this.check()
      return front.consulted ? this.getArenaFilling(key, front) : this.getArena(key, undefined)
    }
    this.check()
    return this.getArena(key, meta)
  }

  /**
   * get's arena path, after the lease check, for a get that did not consult a front (none, or one
   * standing aside; Cache.get calls it directly after its own front lookup). A get the front was
   * consulted for and missed takes getArenaFilling instead: this function never sees a front, so V8
   * compiles it as it would without one. With the fill's test in it (one function taking a front or
   * undefined), a front standing aside over 1M uniform keys cost 95 generated instructions a get over
   * no front; 47 with this split (stop 59, bench/arena/front-count.sh with front-miss-instructions.mjs).
   */
  getArena(key: string, meta: EnvelopeMeta | undefined): V | undefined {
    const keyLen = this.writeKey(key)
    // The common case inline: one optimistic lookup, decoded and validated here.
    const status = this.ex.get(keyLen, this.clockNeeded ? this.clock() : -1, 0)
    if (status === L.STATUS_HIT) {
      const value = this.takeHit(meta)
      if (!isRetry(value)) {
        // undefined from a hit: what getOrLoad stored that is no value now (envelopeHidden), a miss.
        this.v.f64[value !== undefined ? this.hitsIdx : this.missesIdx]++
        return value
      }
    } else if (status === L.STATUS_MISS) {
      this.v.f64[this.missesIdx]++
      return undefined
    }
    // A write moved under us, the entry needs the clock, expired, or the shard is busy.
    return this.#read(keyLen, 0, meta)
  }

  /**
   * getArena for a get the front was consulted for and missed: the same steps, and an arena hit may
   * enter the front (Front.fillsThis). Written out as getArena is, not sharing a helper with it: with
   * the outcome's handling in a method of its own, V8 no longer inlined the decode into getArena (1549
   * → 1668 generated instructions a get over 1M keys without a front, stop 59).
   */
  getArenaFilling(key: string, front: Front): V | undefined {
    const keyLen = this.writeKey(key)
    const status = this.ex.get(keyLen, this.clockNeeded ? this.clock() : -1, 0)
    if (status === L.STATUS_HIT) {
      // A hit that enters the front takes the path below: this one stays small enough for V8 to
      // inline the decode into it.
      if (front.fillsThis()) return this.#hitIntoFront(key, keyLen, undefined, front)
      const value = this.takeHit(undefined)
      if (!isRetry(value)) {
        this.v.f64[value !== undefined ? this.hitsIdx : this.missesIdx]++
        return value
      }
    } else if (status === L.STATUS_MISS) {
      this.v.f64[this.missesIdx]++
      return undefined
    }
    return this.#read(keyLen, 0, undefined)
  }

  /** getArena's hit, for a hit the front takes in: as there, with the front's fill around the decode. */
  #hitIntoFront(key: string, keyLen: number, meta: EnvelopeMeta | undefined, front: Front): V | undefined {
    const filling = front.prepareFill(this.v.u32, this.r32, this.r64, this.v.f64)
    const value = this.takeHit(meta)
    if (!isRetry(value)) {
      this.v.f64[value !== undefined ? this.hitsIdx : this.missesIdx]++
      if (filling) front.fill(key, value)
      return value
    }
    return this.#read(keyLen, 0, meta)
  }

  /** Like get, but leaves the entry's recency/frequency and the hit/miss counters untouched. */
  peek(key: string): V | undefined {
    this.check()
    return this.#read(this.writeKey(key), L.GET_PEEK, undefined)
  }

  has(key: string): boolean {
    this.check()
    if (this.#lookup(this.writeKey(key), L.GET_PEEK, true) !== L.STATUS_HIT) return false
    const head = this.#loadedHead()
    return head === undefined || !envelopeHidden(head, this.clock())
  }

  /** The absolute expiry of a live entry (Infinity without a TTL), or undefined when absent or expired. */
  expiryOf(key: string): number | undefined {
    this.check()
    if (this.#lookup(this.writeKey(key), L.GET_PEEK, true) !== L.STATUS_HIT) return undefined
    const expiry = this.v.f64[this.r64 + R_EXPIRY]
    const head = this.#loadedHead()
    if (head === undefined) return expiry
    // A loaded value's entry outlives its hard expiry by staleIfError, for getOrLoad alone.
    return envelopeHidden(head, this.clock()) ? undefined : Math.min(expiry, envelopeHardExpiry(head))
  }

  /**
   * The envelope header of the hit in RESULT when getOrLoad stored it (KIND_LOADED: a cached failure,
   * or a value with its soft and hard expiry), else undefined. Such an entry may be no value for plain
   * reads (envelopeHidden): they take it for a miss.
   */
  #loadedHead(): Uint8Array | undefined {
    const u32 = this.v.u32
    const r = this.r32
    const kind = u32[r + R_KIND]
    if ((kind & 0xff) !== L.KIND_LOADED) return undefined
    const start = u32[r + R_VALUE_OFFSET]
    const len = u32[r + R_VALUE_LEN]
    // Only the header: a chained value's first bytes, not its whole chain (has() of a 64 MiB value).
    const head = Math.min(len, ENVELOPE_HEADER_BYTES)
    return kind < L.KIND_CHAINED ? this.v.u8.subarray(start, start + head) : this.chainBytes(start, head)
  }

  /** A plain read's value of a KIND_LOADED entry's bytes: undefined when it is no value now (envelopeHidden). */
  #plainLoaded(bytes: Uint8Array): V | undefined {
    return envelopeHidden(bytes, this.clock()) ? undefined : decodeOwned(L.KIND_LOADED, bytes, this.userDecode) as V
  }

  /**
   * Runs a lookup, resolving NEED_CLOCK and EXPIRED; returns HIT (RESULT filled), MISS or, when
   * writers keep the shard busy, BUSY (or, with `lockWhenBusy`, the status of a lookup under the lock).
   */
  #lookup(keyLen: number, flags: number, lockWhenBusy: boolean): number {
    const ex = this.ex
    let now = this.now()
    let status = ex.get(keyLen, now, flags)
    if (status === L.STATUS_NEED_CLOCK) {
      this.clockNeeded = true
      now = this.clock()
      status = ex.get(keyLen, now, flags)
    }
    if (status === L.STATUS_EXPIRED) {
      this.#removeExpired(keyLen, now)
      return L.STATUS_MISS
    }
    if (status === L.STATUS_BUSY && lockWhenBusy) {
      status = this.gate.locked(this.gate.lastShard, () => ex.get(keyLen, now < 0 ? this.clock() : now, flags | L.GET_LOCKED))
      if (status === L.STATUS_EXPIRED) {
        this.#removeExpired(keyLen, now < 0 ? this.clock() : now)
        return L.STATUS_MISS
      }
    }
    return status
  }

  #read(keyLen: number, flags: number, meta: EnvelopeMeta | undefined): V | undefined {
    const u32 = this.v.u32
    const r = this.r32
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const status = this.#lookup(keyLen, flags, false)
      if (status === L.STATUS_BUSY) break
      if (status !== L.STATUS_HIT) return this.#counted(flags, undefined)
      const value = this.takeHit(meta)
      if (!isRetry(value)) return this.#counted(flags, value)
    }
    // Writers kept moving under us: read (and decode) under the lock.
    const now = this.now()
    let value: V | undefined
    const status = this.gate.locked(this.gate.lastShard, () => {
      const s = this.ex.get(keyLen, now < 0 ? this.clock() : now, flags | L.GET_LOCKED)
      if (s === L.STATUS_HIT) {
        const start = u32[r + R_VALUE_OFFSET]
        const kind = u32[r + R_KIND]
        const len = u32[r + R_VALUE_LEN]
        // A value larger than a segment comes out of its chain of segments (large.ts); a plain read of
        // what getOrLoad stored is decoded from a copy (#ownedValue sees through its envelope).
        value = kind >= L.KIND_CHAINED ? this.#ownedValue(kind, this.chainBytes(start, len)!, meta)
          : kind === L.KIND_LOADED && meta === undefined ? this.#ownedValue(kind, copyOut(this.v.u8, start, start + len), meta)
            : decodeKind(this.v, kind, start, start + len, this.userDecode, meta) as V
      }
      return s
    })
    if (status === L.STATUS_EXPIRED) this.#removeExpired(keyLen, this.clock())
    return this.#counted(flags, status === L.STATUS_HIT ? value : undefined)
  }

  /** The value of the hit described in RESULT, or RETRY when a writer moved under its copy. */
  takeHit(meta?: EnvelopeMeta): V | typeof RETRY {
    const u32 = this.v.u32
    const r = this.r32
    const start = u32[r + R_VALUE_OFFSET]
    return this.take(u32[r + R_KIND], start, start + u32[r + R_VALUE_LEN], u32[r + R_SEQ_INDEX], u32[r + R_SEQ], meta)
  }

  /**
   * A value read without the lock: its bytes taken out first, the sequence checked, decoded after, so
   * a torn copy is never decoded. RETRY when the sequence moved.
   */
  take(kind: number, start: number, end: number, seqIndex: number, seq: number, meta?: EnvelopeMeta): V | typeof RETRY {
    // Latin-1 strings, the commonest kind, here; every other kind out of line: take is inlined into
    // every get, and V8 inlines a caller's callees only up to a total bytecode size (920 bytes), which
    // the whole hit path of a Latin-1 value then fits in (Cache.get included).
    if (kind === L.KIND_LATIN1) {
      const s = readLatin1(this.v, start, end)
      return this.#valid(s, seqIndex, seq) ? s as V : RETRY
    }
    return kind < L.KIND_CHAINED ? this.#takeOther(kind, start, end, seqIndex, seq, meta)
      : this.#takeChained(kind, start, end, seqIndex, seq, meta)
  }

  #takeOther(kind: number, start: number, end: number, seqIndex: number, seq: number, meta?: EnvelopeMeta): V | typeof RETRY {
    const taken = takeKind(this.v, kind, start, end)
    if (!this.#valid(taken, seqIndex, seq)) return RETRY
    // takeKind copies a KIND_LOADED value's bytes out (it is decoded after the check).
    if (kind === L.KIND_LOADED) return this.#ownedValue(kind, taken as Uint8Array, meta)
    return finishKind(kind, taken, this.userDecode, meta) as V
  }

  /** A value larger than a segment, out of its chain of segments (large.ts). */
  #takeChained(kind: number, start: number, end: number, seqIndex: number, seq: number, meta?: EnvelopeMeta): V | typeof RETRY {
    const taken = this.chainBytes(start, end - start)
    return this.#valid(taken, seqIndex, seq) ? this.#ownedValue(kind, taken!, meta) : RETRY
  }

  /**
   * The value of bytes copied out of the arena (`kind` with or without its CHAINED bit). A plain read
   * (no `meta`) of what getOrLoad stored may find no value now (#plainLoaded).
   */
  #ownedValue(kind: number, bytes: Uint8Array, meta: EnvelopeMeta | undefined): V {
    if ((kind & 0xff) === L.KIND_LOADED && meta === undefined) return this.#plainLoaded(bytes) as V
    return decodeOwned(kind & 0xff, bytes, this.userDecode, meta) as V
  }

  /**
   * The `len` bytes of a chained value, undefined when the chain is not whole (a writer moved it). `at`
   * is where the engine reported it: the first segment's data (JS walks the chain), or through a native
   * window, which shows no segments, the first segment's global id (the engine copies the chain).
   */
  chainBytes(at: number, len: number): Uint8Array | undefined {
    const copyChain = this.ex.copyChain
    if (copyChain === undefined) return takeChained(this.v, this.geometry, at, len)
    const out = new Uint8Array(len)
    return copyChain(at, len, out) ? out : undefined
  }

  /** Whether bytes taken without the lock are whole (the sequence did not move); counts a retry if not. */
  #valid(taken: unknown, seqIndex: number, seq: number): boolean {
    if (taken !== undefined && loadAcquire(this.v.u32, seqIndex) === seq) return true
    this.v.f64[this.readRetriesIdx]++
    return false
  }

  /** Counts a get's hit or miss (peeks count nothing) and passes its result through. */
  #counted(flags: number, value: V | undefined): V | undefined {
    if (flags === 0) this.v.f64[value === undefined ? this.missesIdx : this.hitsIdx]++
    return value
  }

  #removeExpired(keyLen: number, now: number): void {
    this.gate.write(() => this.ex.remove(keyLen, now, L.REMOVE_EXPIRED))
  }

  countHit(): void {
    this.v.f64[this.hitsIdx]++
  }

  countMiss(): void {
    this.v.f64[this.missesIdx]++
  }

  // ---- writes ------------------------------------------------------------------------------------

  /** Stores a value under `ttl` (ms, 0 = none): false when too large or refused by the policy. */
  set(key: string, value: V, ttl: number): boolean {
    this.check()
    const keyLen = this.writeKey(key)
    this.beforeWrite(key)
    if (ttl > 0) this.clockNeeded = true
    const now = this.writeNow()
    const codec = this.codec
    const len = codec.encodeInto(value, this.v, this.keyAt + keyLen, this.keyRoom - keyLen)
    if (len >= 0) return this.#setFromScratch(keyLen, len, codec.kind, ttl, now)
    const bytes = codec.encodeBytes(value)
    return this.#store(keyLen, codec.kind, bytes, ttl, now)
  }

  /** Stores already-encoded bytes under a kind (dumps, tiers, the loading layer). */
  setRaw(key: string, kind: number, bytes: Uint8Array, ttl: number): boolean {
    this.check()
    const keyLen = this.writeKey(key)
    this.beforeWrite(key)
    checkTtl(ttl, 'ttl')
    if (ttl > 0) this.clockNeeded = true
    return this.#store(keyLen, kind, bytes, ttl, this.writeNow())
  }

  /** The set of a key and value already in scratch (no closure unless the shard is contended). */
  #setFromScratch(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): boolean {
    const ex = this.ex
    let status = ex.set(keyLen, valueLen, kind, ttl, now)
    if (status === L.STATUS_CONTENDED) status = this.gate.retry(() => ex.set(keyLen, valueLen, kind, ttl, now), L.STATUS_CONTENDED)
    if (this.gate.released(status) === L.STATUS_STORED) return true
    this.#refused(keyLen, valueLen, ttl)
    return false
  }

  /** Stores encoded bytes for the key already in scratch: copied through scratch, or reserved in place. */
  #store(keyLen: number, kind: number, bytes: Uint8Array, ttl: number, now: number): boolean {
    const ex = this.ex
    if (bytes.length <= this.keyRoom - keyLen) {
      this.v.u8.set(bytes, this.keyAt + keyLen)
      return this.#setFromScratch(keyLen, bytes.length, kind, ttl, now)
    }
    // A length past u32 goes to the engine as 2^32 - 1, which it refuses (and counts) as oversized.
    const valueLen = Math.min(bytes.length, 0xFFFFFFFF)
    const status = this.gate.write(() => ex.setReserve(keyLen, valueLen, kind, ttl, now))
    if (status === L.STATUS_STORED) {
      // The engine holds the shard lock until setCommit; nothing between can throw.
      const shard = this.gate.lastShard
      const at = this.v.u32[this.r32 + R_VALUE_OFFSET]
      if (ex.fillReserved !== undefined) ex.fillReserved(bytes)
      else if (this.v.u32[this.r32 + R_KIND] < L.KIND_CHAINED) this.v.u8.set(bytes, at)
      else writeChained(this.v, this.geometry, at, bytes)
      if ((ex.setCommit(shard) & L.STATUS_WAITERS_BIT) !== 0) this.gate.notify(shard)
      if (++this.#largeSets === LARGE_SETS_BEFORE_ADVICE) this.#adviseShards()
      return true
    }
    this.#refused(keyLen, bytes.length, ttl)
    return false
  }

  /** Once this thread has stored many large values: are the shards too small for them? (shard-advice.ts) */
  #adviseShards(): void {
    const { bytesUsed, entries } = this.stats()
    adviseShards(this.v, this.name, this.geometry, bytesUsed, entries)
  }

  /** A set that was not stored: the first too-large one of this cache warns once (oversize.ts). */
  #refused(keyLen: number, valueLen: number, ttl: number): void {
    const size = L.ENTRY_HEADER_BYTES + (ttl > 0 ? L.ENTRY_TTL_BYTES : 0) + keyLen + valueLen
    if (size > this.geometry.maxEntryBytes) warnOversized(this.v, this.name, size, this.geometry)
  }

  /** Removes `key` (mode: REMOVE_DELETE or REMOVE_INVALIDATE); true when it was there. */
  remove(key: string, mode: number): boolean {
    this.check()
    const keyLen = this.writeKey(key)
    this.beforeWrite(key)
    const ex = this.ex
    const now = this.now()
    let status = ex.remove(keyLen, now, mode)
    if (status === L.STATUS_CONTENDED) status = this.gate.retry(() => ex.remove(keyLen, now, mode), L.STATUS_CONTENDED)
    return this.gate.released(status) === L.STATUS_DELETED
  }

  clear(): void {
    this.check()
    this.front?.clear()
    if (this.loads !== undefined) for (const load of this.loads.values()) load.superseded = true
    if (this.v.i32[this.loadsActiveIdx] !== 0) this.writeGens.allWritten()
    for (let shard = 0; shard < this.geometry.shardCount; shard++) {
      this.v.u32[this.r32 + (L.RESULT_SHARD >>> 2)] = shard
      this.gate.write(() => this.ex.clear(shard))
    }
  }

  purgeStale(): number {
    this.check()
    const now = this.clock()
    let removed = 0
    for (let shard = 0; shard < this.geometry.shardCount; shard++)
      removed += this.gate.retry(() => this.ex.purge(shard, now), L.COUNT_BUSY, shard)
    return removed
  }

  // ---- whole-cache reads ---------------------------------------------------------------------------

  get size(): number {
    this.check()
    let n = 0
    const u32 = this.v.u32
    for (let s = 0; s < this.geometry.shardCount; s++)
      n += u32[(this.shardsOffset + s * this.shardBytes + L.SHARD_LIVE_COUNT) >>> 2]
    return n
  }

  rawEntries(): Generator<RawEntry> {
    return iterateChunks(this, true)
  }

  *rawKeys(): Generator<string> {
    for (const e of iterateChunks(this, false)) yield e.key
  }

  stats(): CacheStats {
    this.check()
    this.front?.countHits()
    const stats = readStats(this.#stats)
    // Not on the set path: a countdown there cost clock's sets with eviction 5-10% (stop 51).
    adviseSizing(this.v, this.name, this.geometry, () => stats)
    return stats
  }

  verify(): string[] {
    this.check()
    const problems: string[] = []
    for (let shard = 0; shard < this.geometry.shardCount; shard++) {
      const code = this.gate.retry(() => this.ex.verify(shard), L.COUNT_BUSY, shard)
      if (code !== 0) problems.push(`shard ${shard}: invariant ${code} broken`)
    }
    // Shard headers where this thread's view shows them (a native window shows only their first page).
    const totals = checkLiveTotal(this.v, { ...this.geometry, shardsOffset: this.shardsOffset, shardBytes: this.shardBytes })
    if (totals !== undefined) problems.push(totals)
    return problems
  }

  // ---- what the layers above use (CacheCore) ---------------------------------------------------------

  get instanceId(): number {
    return this.v.u32[L.ARENA_INSTANCE_ID >>> 2]
  }

  getWithMeta(key: string, meta: EnvelopeMeta): V | undefined {
    return this.get(key, meta)
  }

  encode(value: V): { kind: number; bytes: Uint8Array } {
    this.check()
    // encodeBytes first: a codec like 'auto' sets its kind by the value it encoded.
    const bytes = this.codec.encodeBytes(value)
    return { kind: this.codec.kind, bytes }
  }

  count(counter: ThreadCounter, delta = 1): void {
    this.check()
    this.v.f64[(this.geometry.threadsOffset + this.arena.slot * L.THREAD_SIZE + THREAD_COUNTER_OFFSETS[counter]) >>> 3] += delta
  }

  trackLoads(loads: ReadonlyMap<string, LoadInProgress>): void {
    this.loads = loads
  }

  /** Answers after close() too: a load that finishes then still releases its claim in the table. */
  flightRegion(): FlightRegion {
    return { i32: this.v.i32, offset: this.geometry.flightsOffset, slot: this.arena.slot }
  }

  internals(): EngineInternals {
    return { exports: this.ex, views: this.v, slot: this.arena.slot, scratch: this.scratch, geometry: this.geometry, clock: this.clock }
  }

  // ---- lifetime ------------------------------------------------------------------------------------

  handle(): CacheHandle {
    this.check()
    return this.arena.handle({ codec: this.codecName ?? null, name: this.name, ttl: this.defaultTtl })
  }

  close(): void {
    if (this.closed) return
    // A cache whose stats were never read still says, once, if its structures were sized far too large.
    adviseSizing(this.v, this.name, this.geometry, () => readStats(this.#stats))
    // Front hits not yet recorded are recorded now (if the slot is still ours to call with).
    if (this.front !== undefined && this.v.u32[this.leaseIdx] === this.lease) {
      this.front.countHits()
      this.front.flush()
    }
    // The front checks the lease itself: it must not match again, whoever takes the slot next.
    this.front?.detach()
    this.closed = true
    // No u32 equals -1: every later call takes the slow path of check() and throws ERR_CLOSED.
    this.lease = -1
    this.arena.detach()
  }
}
