/**
 * The native engine behind the WebAssembly engine's call protocol (WasmExports), so the Cache drives
 * both the same way. Arguments go through a 64-byte params block the addon owns: writing three
 * numbers into a typed array costs less than having N-API convert three JS arguments.
 */
import type { WasmExports } from '../wasm/module.js'
import type { NativeContext } from './binding.js'
import { LEASE_MS } from '../contention.js'

// u32 indices into the params block (native/src/bindings.rs: P_STATUS, P_A..P_D) and f64 indices (P_NOW, P_TTL).
const STATUS = 0
const A = 1
const B = 2
const C = 3
const D = 4
const NOW = 4
const TTL = 5

export class NativeExports implements WasmExports {
  readonly #ctx: NativeContext
  readonly #p: Uint32Array
  readonly #f: Float64Array
  readonly #clock: () => number

  constructor(ctx: NativeContext, clock: () => number) {
    this.#ctx = ctx
    this.#p = new Uint32Array(ctx.params)
    this.#f = new Float64Array(ctx.params)
    this.#clock = clock
  }

  /** Formatting is done by the arena's creator through the addon (arena.ts), never per thread. */
  init(): void {}

  attach(_token: number): number {
    this.#ctx.attach()
    return this.#p[STATUS] | 0
  }

  detach(): void {
    this.#ctx.detach()
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
    const p = this.#p
    const f = this.#f
    p[A] = keyLen
    p[B] = valueLen
    p[C] = kind
    f[TTL] = ttl
    f[NOW] = now
    this.#ctx.set()
    return p[STATUS]
  }

  setReserve(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number {
    const p = this.#p
    const f = this.#f
    p[A] = keyLen
    p[B] = valueLen
    p[C] = kind
    f[TTL] = ttl
    f[NOW] = now
    this.#ctx.setReserve()
    return p[STATUS]
  }

  setCommit(shard: number): number {
    this.#p[A] = shard
    this.#ctx.setCommit()
    return this.#p[STATUS]
  }

  remove(keyLen: number, now: number, mode: number): number {
    this.#p[A] = keyLen
    this.#p[B] = mode
    this.#f[NOW] = now
    this.#ctx.remove()
    return this.#p[STATUS]
  }

  clear(shard: number): number {
    return this.#shardCall(shard, this.#ctx.clear)
  }

  purge(shard: number, now: number): number {
    this.#f[NOW] = now
    return this.#shardCall(shard, this.#ctx.purge)
  }

  lockShard(shard: number): number {
    return this.#shardCall(shard, this.#ctx.lockShard)
  }

  unlockShard(shard: number): number {
    return this.#shardCall(shard, this.#ctx.unlockShard)
  }

  recover(shard: number, deadOwner: number, now: number): number {
    this.#p[B] = deadOwner
    this.#f[NOW] = now
    return this.#shardCall(shard, this.#ctx.recover)
  }

  rebuild(shard: number, now: number): number {
    this.#f[NOW] = now
    return this.#shardCall(shard, this.#ctx.rebuild)
  }

  verify(shard: number): number {
    return this.#shardCall(shard, this.#ctx.verify)
  }

  entries(shard: number, from: number, count: number, max: number, now: number): number {
    const p = this.#p
    p[A] = shard
    p[B] = from
    p[C] = count
    p[D] = max
    this.#f[NOW] = now
    this.#ctx.entries()
    return p[STATUS]
  }

  getMany(count: number, input: number, out: number, now: number, flags: number): void {
    const p = this.#p
    p[A] = count
    p[B] = input
    p[C] = out
    p[D] = flags
    this.#f[NOW] = now
    this.#ctx.getMany()
  }

  setMany(from: number, count: number, input: number, out: number, now: number): number {
    const p = this.#p
    p[A] = from
    p[B] = count
    p[C] = input
    p[D] = out
    this.#f[NOW] = now
    this.#ctx.setMany()
    return p[STATUS]
  }

  /**
   * Blocks briefly while the shard is locked (a futex on the lock word, woken across processes). A
   * lock whose owner's process is gone is taken over and its shard repaired at once; one that stopped
   * moving for longer than the lease is taken over as in the WebAssembly engine.
   */
  wait(shard: number): void {
    this.#f[NOW] = this.#clock()
    this.#f[TTL] = LEASE_MS
    this.#shardCall(shard, this.#ctx.wait)
  }

  /** Tests of the policy: the key's sketch estimate, and where its counters are (as the wasm engine). */
  sketchProbe(keyLen: number): number {
    this.#p[A] = keyLen
    this.#ctx.sketchProbe()
    return this.#p[STATUS]
  }

  #shardCall(shard: number, fn: () => void): number {
    this.#p[A] = shard
    fn.call(this.#ctx)
    return this.#p[STATUS]
  }
}
