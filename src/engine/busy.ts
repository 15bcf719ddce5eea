/**
 * A busy shard, handled in one place. Every engine call that can find its shard locked says so in the
 * way its kind of call allows (see EngineProtocol: STATUS_CONTENDED, STATUS_BUSY, 0 from lockShard,
 * COUNT_BUSY); the gate waits for that shard the way this engine waits (the native engine in its addon,
 * the WebAssembly engine in JS with Atomics.wait: contention.ts) and retries.
 */
import * as L from '../layout/constants.generated.js'
import { waitForShard as waitInJs, notifyShard, newWaitState, leaseFor, type ShardLocator, type WaitState } from './contention.js'
import type { EngineProtocol } from './protocol.js'

export class ShardGate {
  readonly #ex: EngineProtocol
  readonly #locator: ShardLocator
  readonly #engineWait: ((shard: number, leaseMs: number) => void) | undefined
  readonly #u32: Uint32Array
  /** Where RESULT.shard of this thread's scratch is in #u32: the shard the last call worked on. */
  readonly #shardIdx: number

  constructor(ex: EngineProtocol, locator: ShardLocator, engineWait: ((shard: number, leaseMs: number) => void) | undefined, u32: Uint32Array, scratchBase: number) {
    this.#ex = ex
    this.#locator = locator
    this.#engineWait = engineWait
    this.#u32 = u32
    this.#shardIdx = (scratchBase + L.RESULT_SHARD) >>> 2
  }

  /** The shard this thread's last engine call named (RESULT.shard). */
  get lastShard(): number {
    return this.#u32[this.#shardIdx]
  }

  /** Blocks until `shard` looks free (or was recovered from a dead owner). */
  wait(shard: number, state: WaitState): void {
    if (this.#engineWait) this.#engineWait(shard, leaseFor(this.#locator, shard, state))
    else waitInJs(this.#locator, shard, state)
  }

  notify(shard: number): void {
    notifyShard(this.#locator, shard)
  }

  /**
   * Calls `op` until it returns something other than `busy`, waiting between tries for `shard` (by
   * default the shard `op` named in RESULT.shard, which is where a write reports the shard it found locked).
   */
  retry(op: () => number, busy: number, shard = -1): number {
    let status = op()
    if (status !== busy) return status
    const state = newWaitState()
    do {
      this.wait(shard < 0 ? this.lastShard : shard, state)
      status = op()
    } while (status === busy)
    return status
  }

  /** A locking write: retried while contended; its status returned without the waiters bit. */
  write(op: () => number): number {
    return this.released(this.retry(op, L.STATUS_CONTENDED))
  }

  /** A write's status without its waiters bit, after waking the threads it names (in RESULT.shard). */
  released(status: number): number {
    if ((status & L.STATUS_WAITERS_BIT) === 0) return status
    this.notify(this.lastShard)
    return status & ~L.STATUS_WAITERS_BIT
  }

  /** Runs `fn` with `shard` locked by this thread (the slow paths: reads writers keep moving under). */
  locked<T>(shard: number, fn: () => T): T {
    const ex = this.#ex
    this.retry(() => ex.lockShard(shard), 0, shard)
    try {
      return fn()
    } finally {
      if (ex.unlockShard(shard) !== 0) this.notify(shard)
    }
  }
}
