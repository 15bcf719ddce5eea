/**
 * Write-behind: writes update the cache at once and reach the store later, from a bounded queue.
 *
 * - Coalescing: a key has at most one queued write; a newer write replaces it (the store only sees the
 *   last value) and keeps its place in the queue, so a key rewritten constantly is still written.
 * - Per-key order: a key's next write starts only after its previous one finished.
 * - Bounded: at most `maxQueue` keys pending (queued or being written). A write that needs a new
 *   place waits for one (backpressure: its promise resolves when it is queued) or, with
 *   onFull: 'throw', fails with ERR_QUEUE_FULL and changes nothing. Waiting writes are served in order.
 * - Failures: retried with doubling delays, then reported to onError and counted in `failed`.
 * - flush() resolves once every write made before it reached the store (or failed for good); close()
 *   refuses new writes and drains everything, including writes still waiting for room.
 *
 * The queue lives in this thread's memory: a crash loses every write not yet acknowledged by the store
 * (see docs/loading.md, write-behind, "What a crash loses").
 */
import type { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import { storeFailed } from './errors.js'
import type { FlushResult, LoadOptions, Store, WriteBehindOptions, WriteBehindStats } from './types.js'
import { MAX_TIMER_MS } from '../options.js'
import { checkStore, mergeLoadOptions, resolveLoadOptions, resolveWriteBehindOptions, type ResolvedLoad, type ResolvedWriteBehind } from './options.js'
import { stateOf, type LoadingState } from './state.js'
import { load } from './get-or-load.js'
import { storeValue, supersede } from './single-flight.js'
import { checkOpen, viewWriteOptions } from './write-through.js'
import { checkKey } from '../keys.js'

type Op<V> = { type: 'save'; value: V; seq: number; readyAt: number } | { type: 'delete'; seq: number; readyAt: number }

interface RoomWaiter {
  seq: number
  wake: () => void
}

interface FlushWaiter {
  /** Resolved once every write numbered up to this is settled (Infinity: everything, for close). */
  upTo: number
  written: number
  failed: number
  resolve: (r: FlushResult) => void
}

/** Writes go to the cache at once and to the store in the background, coalesced and retried (`cache.writeBehind(store)`). */
export class WriteBehindCache<V> {
  /** The cache this wraps. */
  readonly cache: Cache<V>
  readonly #store: Store<V>
  readonly #state: LoadingState
  readonly #o: ResolvedWriteBehind
  readonly #load: ResolvedLoad
  readonly #queue = new Map<string, Op<V>>()
  readonly #inFlight = new Map<string, Op<V>>()
  readonly #roomWaiters: RoomWaiter[] = []
  readonly #flushWaiters: FlushWaiter[] = []
  #seq = 0
  /** Writes numbered up to this start without waiting for their delay (a flush is under way). */
  #urgentUpTo = 0
  /** Numbers of waiting writes granted a place that have not taken it yet (they resume later). */
  readonly #granted = new Set<number>()
  #timer: NodeJS.Timeout | undefined
  #closed = false
  readonly #stats = { saved: 0, deleted: 0, failed: 0, retries: 0, coalesced: 0, fullWaits: 0, fullRejections: 0, cacheErrors: 0 }

  constructor(cache: Cache<V>, store: Store<V>, options?: WriteBehindOptions) {
    checkStore(store, 'writeBehind')
    this.cache = cache
    this.#store = store
    this.#state = stateOf(cache)
    this.#o = resolveWriteBehindOptions(options)
    this.#load = resolveLoadOptions(this.#o.load, this.#state.cacheTtl, 'writeBehind')
  }

  /**
   * The cached value; on a miss, a write still pending for the key (the store is behind), else the
   * store's value (loaded once for all concurrent callers, then cached).
   */
  async get(key: string, options?: LoadOptions): Promise<V | undefined> {
    checkKey(key, 'get')
    const o = options ? resolveLoadOptions(mergeLoadOptions(this.#o.load, options), this.#state.cacheTtl) : this.#load
    return load(this.#state, this.cache, key, (k, ctx) => {
      const pending = this.#queue.get(k) ?? this.#inFlight.get(k)
      if (pending) return pending.type === 'save' ? pending.value : undefined
      return this.#store.load(k, ctx)
    }, o)
  }

  /** Updates the cache now and queues the store write; resolves once queued (not once written). */
  async set(key: string, value: V, options?: undefined): Promise<void> {
    if (options !== undefined) throw viewWriteOptions('writeBehind', 'set', options)
    checkKey(key, 'set')
    return this.#write(key, { type: 'save', value, seq: 0, readyAt: 0 })
  }

  /** Removes from the cache now and queues the store delete; resolves once queued. */
  async delete(key: string, options?: undefined): Promise<void> {
    if (options !== undefined) throw viewWriteOptions('writeBehind', 'delete', options)
    checkKey(key, 'delete')
    return this.#write(key, { type: 'delete', seq: 0, readyAt: 0 })
  }

  async #write(key: string, op: Op<V>): Promise<void> {
    if (this.#closed) throw new CortadoError('ERR_CLOSED', 'this write-behind cache is closed')
    checkOpen(this.cache as Cache<unknown>)
    op.seq = ++this.#seq
    if (!this.#queue.has(key)) {
      if (this.#full()) {
        if (this.#o.onFull === 'throw') {
          this.#stats.fullRejections++
          throw new CortadoError('ERR_QUEUE_FULL', `write-behind queue full (${this.#o.maxQueue} keys pending)`)
        }
        this.#stats.fullWaits++
        await this.#waitForRoom(op.seq)
        this.#granted.delete(op.seq)
      }
    }
    this.#applyToCache(key, op)
    const queued = this.#queue.get(key)
    if (queued) {
      // Coalesce: the newer write replaces the queued one but keeps its place and number.
      op.seq = queued.seq
      op.readyAt = queued.readyAt
      this.#stats.coalesced++
    } else {
      op.readyAt = performance.now() + this.#o.delayMs
    }
    this.#queue.set(key, op)
    this.#pump()
  }

  #full(): boolean {
    // Writes already waiting go first.
    return this.#queue.size + this.#inFlight.size + this.#granted.size >= this.#o.maxQueue || this.#roomWaiters.length > 0
  }

  #waitForRoom(seq: number): Promise<void> {
    return new Promise((resolve) => this.#roomWaiters.push({ seq, wake: resolve }))
  }

  /** Hands freed places to waiting writes, in order. */
  #grantRoom(): void {
    while (this.#roomWaiters.length > 0 && this.#queue.size + this.#inFlight.size + this.#granted.size < this.#o.maxQueue) {
      // The place is reserved until the woken write (which resumes later) takes it.
      const w = this.#roomWaiters.shift()!
      this.#granted.add(w.seq)
      w.wake()
    }
  }

  #applyToCache(key: string, op: Op<V>): void {
    supersede(this.#state, key)
    try {
      if (op.type === 'save') storeValue(this.#state, key, op.value, this.#load, 0)
      else this.cache.delete(key)
    } catch (e) {
      this.#stats.cacheErrors++
      try { this.cache.delete(key) } catch { /* closed cache: nothing stale can be read from it */ }
      this.#report(e, key, 'cache')
    }
  }

  #report(error: unknown, key: string, operation: 'save' | 'delete' | 'cache'): void {
    try {
      this.#o.onError(error, key, operation)
    } catch {
      // A throwing handler must not stop the writer.
    }
  }

  #pump(): void {
    if (this.#timer) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    const now = performance.now()
    let nextReady = Infinity
    for (const [key, op] of this.#queue) {
      if (this.#inFlight.size >= this.#o.concurrency) break
      if (this.#inFlight.has(key)) continue
      if (op.seq > this.#urgentUpTo && op.readyAt > now) {
        // The queue is in arrival order: later entries are not ready either.
        nextReady = op.readyAt
        break
      }
      this.#queue.delete(key)
      this.#inFlight.set(key, op)
      void this.#execute(key, op)
    }
    if (nextReady < Infinity) this.#timer = setTimeout(() => { this.#timer = undefined; this.#pump() }, Math.max(1, nextReady - now))
  }

  async #execute(key: string, op: Op<V>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (op.type === 'save') await this.#store.save(key, op.value)
        else await this.#store.delete(key)
        if (op.type === 'save') this.#stats.saved++
        else this.#stats.deleted++
        for (const f of this.#flushWaiters) f.written++
        break
      } catch (e) {
        if (attempt >= this.#o.retries) {
          this.#stats.failed++
          for (const f of this.#flushWaiters) f.failed++
          this.#report(storeFailed(op.type, key, e, attempt > 0 ? ` after ${attempt + 1} attempts` : ''), key, op.type)
          break
        }
        this.#stats.retries++
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_TIMER_MS, this.#o.retryDelayMs * 2 ** attempt)))
      }
    }
    this.#inFlight.delete(key)
    this.#grantRoom()
    this.#settleFlushes()
    this.#pump()
  }

  /** The number of the oldest write not yet settled (Infinity when none). */
  #oldestPending(): number {
    let oldest = Infinity
    const first = this.#queue.values().next()
    if (!first.done) oldest = first.value.seq
    for (const op of this.#inFlight.values()) oldest = Math.min(oldest, op.seq)
    if (this.#roomWaiters.length > 0) oldest = Math.min(oldest, this.#roomWaiters[0].seq)
    for (const seq of this.#granted) oldest = Math.min(oldest, seq)
    return oldest
  }

  #settleFlushes(): void {
    const oldest = this.#oldestPending()
    for (let i = 0; i < this.#flushWaiters.length; i++) {
      const f = this.#flushWaiters[i]
      if (oldest > f.upTo) {
        this.#flushWaiters.splice(i--, 1)
        f.resolve({ written: f.written, failed: f.failed })
      }
    }
  }

  /** Resolves once every write made before this call reached the store (or failed for good). */
  flush(): Promise<FlushResult> {
    return this.#flushUpTo(this.#seq)
  }

  #flushUpTo(upTo: number): Promise<FlushResult> {
    this.#urgentUpTo = Math.max(this.#urgentUpTo, Math.min(upTo, this.#seq))
    const done = new Promise<FlushResult>((resolve) => this.#flushWaiters.push({ upTo, written: 0, failed: 0, resolve }))
    this.#settleFlushes()
    this.#pump()
    return done
  }

  /** Refuses new writes, then drains every pending one (including writes waiting for room). Idempotent. */
  async close(): Promise<FlushResult> {
    this.#closed = true
    // Writes still waiting for room are numbered already: flushing up to the last number covers them.
    const result = await this.#flushUpTo(this.#seq)
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    return result
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed
  }

  /** Counters since this view was created. */
  stats(): WriteBehindStats {
    return { queued: this.#queue.size, inFlight: this.#inFlight.size, ...this.#stats }
  }
}
