/**
 * The native engine behind the WebAssembly engine's call protocol (EngineProtocol), so the Cache drives
 * both the same way. Arguments go through a 64-byte params block the addon owns: writing three
 * numbers into a typed array costs less than having N-API convert three JS arguments.
 */
import type { EngineProtocol } from '../protocol.js'
import type { NativeContext } from './binding.js'
import { LEASE_MS } from '../contention.js'

// Indices into the params block (native/src/bindings.rs): u32 STATUS and arguments A..D, f64 NOW and TTL.
const STATUS = 0, A = 1, B = 2, C = 3, D = 4
const NOW = 4, TTL = 5

export class NativeExports implements EngineProtocol {
  readonly #ctx: NativeContext
  readonly #p: Uint32Array
  readonly #f: Float64Array
  readonly #clock: () => number
  /** Windowed arenas only (EngineProtocol.copyChain, fillReserved). */
  readonly copyChain?: (first: number, len: number, into: Uint8Array) => boolean
  readonly fillReserved?: (bytes: Uint8Array) => void

  constructor(ctx: NativeContext, clock: () => number) {
    this.#ctx = ctx
    this.#p = new Uint32Array(ctx.params)
    this.#f = new Float64Array(ctx.params)
    this.#clock = clock
    if (!ctx.direct) {
      this.copyChain = (first, len, into) => {
        const p = this.#p
        p[A] = first
        p[B] = len
        ctx.copyChain(into)
        return p[STATUS] === 1
      }
      this.fillReserved = (bytes) => ctx.fillReserved(bytes)
    }
  }

  /** Formatting is done by the arena's creator through the addon (arena.ts), never per thread. */
  init(): void {}

  /** The token is the pid (the addon writes it); the lease is ours. */
  attach(_token: number, lease: number): number {
    this.#p[A] = lease
    this.#ctx.attach()
    return this.#p[STATUS] | 0
  }

  /** The addon counts the thread out (or not, when its slot had been reclaimed). */
  detach(): number {
    this.#ctx.detach()
    return 1
  }

  reclaim(slot: number, lease: number): number {
    const p = this.#p
    p[A] = slot
    p[B] = lease
    this.#ctx.reclaim()
    return p[STATUS]
  }

  useSlot(slot: number): void {
    this.#p[A] = slot
    this.#ctx.useSlot()
  }

  get(keyLen: number, now: number, flags: number): number {
    const p = this.#p
    p[A] = keyLen
    p[B] = flags
    this.#f[NOW] = now
    this.#ctx.get()
    return p[STATUS]
  }

  set(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number {
    return this.#setCall(this.#ctx.set, keyLen, valueLen, kind, ttl, now)
  }

  setReserve(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number {
    return this.#setCall(this.#ctx.setReserve, keyLen, valueLen, kind, ttl, now)
  }

  setCommit(shard: number): number {
    this.#p[A] = shard
    this.#ctx.setCommit()
    return this.#p[STATUS]
  }

  remove(keyLen: number, now: number, mode: number): number {
    return this.#call(this.#ctx.remove, keyLen, mode, 0, 0, now)
  }

  clear(shard: number): number { return this.#shardCall(shard, this.#ctx.clear) }
  purge(shard: number, now: number): number { return this.#shardCall(shard, this.#ctx.purge, now) }
  lockShard(shard: number): number { return this.#shardCall(shard, this.#ctx.lockShard) }
  unlockShard(shard: number): number { return this.#shardCall(shard, this.#ctx.unlockShard) }
  recover(shard: number, deadOwner: number, now: number): number { return this.#shardCall(shard, this.#ctx.recover, now, deadOwner) }
  rebuild(shard: number, now: number): number { return this.#shardCall(shard, this.#ctx.rebuild, now) }
  verify(shard: number): number { return this.#shardCall(shard, this.#ctx.verify) }

  entries(shard: number, from: number, count: number, max: number, now: number): number {
    return this.#call(this.#ctx.entries, shard, from, count, max, now)
  }

  getMany(count: number, input: number, out: number, now: number, flags: number): void {
    this.#call(this.#ctx.getMany, count, input, out, flags, now)
  }

  recordAccesses(count: number, input: number): number {
    return this.#call(this.#ctx.recordAccesses, count, input, 0, 0, -1)
  }

  setMany(from: number, count: number, input: number, out: number, now: number): number {
    return this.#call(this.#ctx.setMany, from, count, input, out, now)
  }

  /**
   * Blocks briefly while the shard is locked (a futex on the lock word, woken across processes). A
   * lock whose owner's process is gone is taken over and its shard repaired at once; one that stopped
   * moving for longer than the lease is taken over as in the WebAssembly engine.
   */
  wait(shard: number, leaseMs = LEASE_MS): void {
    this.#f[TTL] = leaseMs
    this.#shardCall(shard, this.#ctx.wait, this.#clock())
  }

  /** Tests of the policy: the key's sketch estimate, and where its counters are (as the wasm engine). */
  sketchProbe(keyLen: number): number {
    this.#p[A] = keyLen
    this.#ctx.sketchProbe()
    return this.#p[STATUS]
  }

  /** A call taking up to four u32 arguments (A..D) and the clock. */
  #call(fn: () => void, a: number, b: number, c: number, d: number, now: number): number {
    const p = this.#p
    p[A] = a
    p[B] = b
    p[C] = c
    p[D] = d
    this.#f[NOW] = now
    fn.call(this.#ctx)
    return p[STATUS]
  }

  /** A set's call: #call's arguments and the TTL. */
  #setCall(fn: () => void, keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number {
    this.#f[TTL] = ttl
    return this.#call(fn, keyLen, valueLen, kind, 0, now)
  }

  #shardCall(shard: number, fn: () => void, now = -1, second = 0): number {
    this.#p[A] = shard
    this.#p[B] = second
    this.#f[NOW] = now
    fn.call(this.#ctx)
    return this.#p[STATUS]
  }
}
