/**
 * PostgresChangeFeed: the database's own log of committed changes, turned into cache invalidations.
 *
 * Guarantees, and where each comes from:
 * - At-least-once: the position acknowledged to the server only moves past a transaction after its
 *   invalidations were applied (`FeedCounters.advance` runs at its COMMIT, after every row before it),
 *   and past a keepalive only when no transaction is half applied. After a disconnect or a restart the
 *   server replays from that position, so some changes may be applied twice, none is skipped.
 * - Missed changes are never silent: a slot that had to be (re)created means changes went unseen, so
 *   the feed first clears everything it guards, counts a reset and says why (`onReset`).
 * - Bounded memory: the stream holds at most `maxPending` decoded messages; a slow target pauses the
 *   socket, then the server stops sending (and keeps the WAL: see the lag stats and warnings).
 */
import type pg from 'pg'
import type { Pgoutput } from 'pg-logical-replication'
import { CortadoError, isCortadoError } from '../errors.js'
import { parseLsn } from './lsn.js'
import { resolveOptions, type PostgresChangeFeedOptions, type ResolvedOptions } from './options.js'
import { RowKeyMapper } from './row-keys.js'
import { checkTables, checkWalLevel, connectControl, ensurePublication, ensureSlot, readSlotPosition } from './setup.js'
import { FeedCounters, type ChangeFeedStats } from './stats.js'
import { ReplicationStream, type StreamItem } from './stream.js'
import { applierFor, type Apply, type Invalidation } from './target.js'
import { emitProcessWarning } from '../process-warning.js'

/** What `onReset` is told when the feed cleared what it guards because changes were missed. */
export interface FeedReset {
  /** Why: the slot did not exist (first start, or dropped) or the server invalidated it. */
  reason: string
  /** What was cleared: the watched tables' prefixes when all of them declared some, else everything. */
  invalidation: Invalidation
}

/** Callbacks of `PostgresChangeFeed.start`, beside its options. */
export interface PostgresChangeFeedHooks {
  /** Called after the feed cleared what it guards because changes were missed. Default: a process warning. */
  onReset?: (reset: FeedReset) => void
  /** Lag past the thresholds, lost connections, failing targets, tables without REPLICA IDENTITY FULL. Default: a process warning. */
  onWarning?: (warning: CortadoError) => void
}

/** SQLSTATE 55006: the slot is still held by another connection (e.g. a process just killed). */
const OBJECT_IN_USE = '55006'
/** Keys gathered before they are applied even inside a transaction (bounds the batch's memory). */
const BATCH_KEYS = 1024
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export class PostgresChangeFeed {
  readonly #options: ResolvedOptions
  readonly #apply: Apply
  readonly #mapper: RowKeyMapper
  readonly #counters = new FeedCounters()
  readonly #hooks: PostgresChangeFeedHooks
  #control: pg.Client | undefined
  #stream: ReplicationStream | undefined
  #inTransaction = false
  /** Keys of the transaction's row changes not applied yet: applied together, at the latest at COMMIT. */
  #batch: string[] = []
  #closed = false
  #lagWarned = false
  #timers: NodeJS.Timeout[] = []
  #reconnecting: Promise<void> | undefined

  private constructor(options: ResolvedOptions, hooks: PostgresChangeFeedHooks) {
    this.#options = options
    this.#apply = applierFor(options.target)
    this.#mapper = new RowKeyMapper(options.tables, options.onKeysError)
    this.#hooks = hooks
  }

  /**
   * Checks the server, creates the publication and the slot when missing, clears the target if changes
   * were missed, and starts streaming from the slot's confirmed position. Resolves once streaming.
   */
  static async start(options: PostgresChangeFeedOptions & PostgresChangeFeedHooks): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(resolveOptions(options), { onReset: options.onReset, onWarning: options.onWarning })
    try {
      const control = (feed.#control = await connectControl(feed.#options))
      await checkWalLevel(control)
      for (const spec of await checkTables(control, feed.#options)) {
        feed.#warn(
          `table ${spec.name} has no REPLICA IDENTITY FULL: deletes and key changes carry only its primary key, so keys ` +
            'computed from its other columns are not dropped on delete or when they change (ALTER TABLE … REPLICA IDENTITY FULL, or replicaIdentity: \'full\')',
        )
      }
      await ensurePublication(control, feed.#options)
      await feed.#checkSlot()
      await feed.#openStream(true)
    } catch (err) {
      await feed.close()
      throw err
    }
    feed.#startTimers()
    return feed
  }

  /** A snapshot of the counters, positions and lag. */
  stats(): ChangeFeedStats {
    return this.#counters.snapshot({
      keyErrors: this.#mapper.keyErrors,
      connected: this.#stream !== undefined,
      pending: this.#stream?.pending ?? 0,
    })
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.#closed
  }

  /** Acknowledges what was applied, stops streaming and closes both connections. The slot stays (it is the resume point). */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const timer of this.#timers) clearInterval(timer)
    const stream = this.#stream
    this.#stream = undefined
    if (stream !== undefined) {
      stream.sendStatus(this.#counters.applied)
      await stream.close()
    }
    await this.#control?.end().catch(() => {})
    this.#control = undefined
    await this.#reconnecting
  }

  // ---- setup and reconnection -------------------------------------------------------------------

  async #checkSlot(): Promise<void> {
    const reason = await ensureSlot(this.#control!, this.#options)
    if (reason !== undefined) await this.#reset(reason)
  }

  async #reset(reason: string): Promise<void> {
    const specs = this.#options.tables
    const invalidation: Invalidation = specs.every((s) => s.prefixes !== undefined)
      ? { kind: 'prefixes', prefixes: [...new Set(specs.flatMap((s) => s.prefixes!))], reason }
      : { kind: 'all', reason }
    const pending = this.#applyWithRetry(invalidation)
    if (pending !== undefined) await pending
    this.#counters.resets++
    this.#counters.lastResetReason = reason
    if (this.#hooks.onReset) this.#hooks.onReset({ reason, invalidation })
    else emitProcessWarning(`cortado/cdc: cleared the cache: ${reason}`, 'ERR_REPLICATION', 'CortadoWarning')
  }

  /** Opens the replication stream; at start, a slot still held by a just-killed process is waited for. */
  async #openStream(atStart: boolean): Promise<void> {
    const deadline = Date.now() + 15_000
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      try {
        this.#inTransaction = false
        this.#batch = []
        this.#stream = await ReplicationStream.open(this.#options.connection, this.#options.slot, this.#options.publication, this.#options.maxPending, {
          onItem: (item) => this.#onItem(item),
          onEnd: (err) => this.#onEnd(err),
        })
        return
      } catch (err) {
        const inUse = (err as { code?: string }).code === OBJECT_IN_USE
        if (!atStart || !inUse || Date.now() > deadline || this.#closed) {
          if (isCortadoError(err)) throw err
          throw new CortadoError('ERR_REPLICATION', `PostgresChangeFeed: cannot stream slot ${this.#options.slot} (server said: ${(err as Error).message})`, { cause: err })
        }
        await sleep(delay)
      }
    }
  }

  #onEnd(err: Error): void {
    this.#stream = undefined
    if (this.#closed) return
    this.#counters.reconnects++
    this.#warn(`the replication connection was lost (${err.message}); reconnecting and resuming from the slot`)
    this.#reconnecting ??= this.#reconnect().finally(() => {
      this.#reconnecting = undefined
    })
  }

  async #reconnect(): Promise<void> {
    const { min, max } = this.#options.reconnectDelayMs
    for (let delay = min; !this.#closed; delay = Math.min(delay * 2, max)) {
      await sleep(delay)
      if (this.#closed) return
      try {
        // A fresh control connection: the old one may have died with the server or the network.
        await this.#control?.end().catch(() => {})
        this.#control = await connectControl(this.#options)
        await this.#checkSlot()
        if (this.#closed) return
        await this.#openStream(false)
        if (this.#closed) await this.#stream?.close()
        return
      } catch (err) {
        if (this.#closed) return
        this.#warn(`reconnecting failed (${(err as Error).message}); retrying in ${Math.min(delay * 2, max)} ms`)
      }
    }
  }

  #startTimers(): void {
    const status = setInterval(() => this.#stream?.sendStatus(this.#counters.applied), this.#options.statusIntervalMs)
    const lag = setInterval(() => void this.#pollLag(), this.#options.lagCheckIntervalMs)
    status.unref()
    lag.unref()
    this.#timers.push(status, lag)
  }

  async #pollLag(): Promise<void> {
    const control = this.#control
    if (control === undefined || this.#reconnecting !== undefined) return
    try {
      const position = await readSlotPosition(control, this.#options.slot)
      if (position !== undefined) {
        this.#counters.heardOf(position.current)
        this.#counters.retainedWalBytes = position.retainedBytes
      }
    } catch {
      // The stream notices a lost server by itself; the lag keeps growing meanwhile.
    }
    this.#checkLag()
  }

  #checkLag(): void {
    const { lagBytes, lagSeconds } = this.#counters
    const behind = lagBytes > this.#options.warnLagBytes || lagSeconds > this.#options.warnLagSeconds
    if (behind && !this.#lagWarned) {
      this.#warn(
        `slot ${this.#options.slot} lags ${lagBytes} bytes / ${lagSeconds.toFixed(1)} s behind the server, which keeps that WAL ` +
          `(${this.#counters.retainedWalBytes} bytes retained); see docs/cdc.md on dropping the slot`,
      )
    }
    this.#lagWarned = behind
  }

  #warn(message: string): void {
    const warning = new CortadoError('ERR_REPLICATION', `PostgresChangeFeed: ${message}`)
    if (this.#hooks.onWarning) this.#hooks.onWarning(warning)
    else emitProcessWarning(warning.message, warning.code, 'CortadoWarning')
  }

  // ---- the stream -------------------------------------------------------------------------------

  #onItem(item: StreamItem): void | Promise<void> {
    const counters = this.#counters
    if (item.kind === 'keepalive') {
      counters.heardOf(item.walEnd)
      // Items are handled in order: everything received before this keepalive is applied, so unless a
      // transaction is half applied the whole of the WAL the server has sent is done.
      if (!this.#inTransaction) counters.advance(item.walEnd)
      if (item.replyRequested) this.#stream?.sendStatus(counters.applied)
      return
    }
    counters.heardOf(item.walEnd)
    const message = item.message
    switch (message.tag) {
      case 'begin':
        this.#inTransaction = true
        return
      case 'commit': {
        this.#inTransaction = false
        const commitEnd = parseLsn(message.commitEndLsn!)
        const applying = this.#flush()
        if (applying === undefined) return this.#committed(commitEnd)
        return applying.then(() => this.#committed(commitEnd))
      }
      case 'insert':
      case 'update':
      case 'delete': {
        if (this.#mapper.specOf(message.relation) === undefined) return
        counters.changesApplied++
        const keyErrors = this.#mapper.keyErrors
        const invalidation = this.#mapper.forChange(message)
        if (this.#mapper.keyErrors !== keyErrors) this.#warn(`a keys function failed: ${this.#mapper.lastKeyError?.message}`)
        if (invalidation === undefined) return
        if (invalidation.kind === 'keys') {
          counters.keysInvalidated += invalidation.keys.length
          for (const key of invalidation.keys) this.#batch.push(key)
          return this.#batch.length >= BATCH_KEYS ? this.#flush() : undefined
        }
        return this.#flushThen(invalidation)
      }
      case 'truncate':
        return this.#truncate(message.relations)
      default:
        // relation, type, origin and logical messages carry no row change.
        return
    }
  }

  #committed(commitEnd: bigint): void {
    this.#counters.transactionsApplied++
    this.#counters.advance(commitEnd)
  }

  /** Applies the batched keys (one call to the target for many rows). */
  #flush(): void | Promise<void> {
    if (this.#batch.length === 0) return
    const keys = this.#batch
    this.#batch = []
    return this.#applyWithRetry({ kind: 'keys', keys })
  }

  /** Keeps the order of invalidations: the batched keys first, then `invalidation`. */
  #flushThen(invalidation: Invalidation): void | Promise<void> {
    const flushing = this.#flush()
    if (flushing === undefined) return this.#applyWithRetry(invalidation)
    return flushing.then(() => this.#applyWithRetry(invalidation))
  }

  async #truncate(relations: readonly Pgoutput.MessageRelation[]): Promise<void> {
    const flushing = this.#flush()
    if (flushing !== undefined) await flushing
    for (const relation of relations) {
      const spec = this.#mapper.specOf(relation)
      if (spec === undefined) continue
      this.#counters.truncates++
      const pending = this.#applyWithRetry(this.#mapper.forTable(spec, `TRUNCATE ${spec.name}`))
      if (pending !== undefined) await pending
    }
  }

  /** Applies one invalidation; on failure retries with backoff until it succeeds (nothing is acknowledged meanwhile). */
  #applyWithRetry(invalidation: Invalidation): void | Promise<void> {
    try {
      const result = this.#apply(invalidation)
      if (result !== undefined && typeof (result as Promise<void>).then === 'function')
        return (result as Promise<void>).then(undefined, (err: unknown) => this.#retry(invalidation, err))
    } catch (err) {
      return this.#retry(invalidation, err)
    }
  }

  async #retry(invalidation: Invalidation, first: unknown): Promise<void> {
    let err = first
    for (let delay = this.#options.reconnectDelayMs.min; ; delay = Math.min(delay * 2, this.#options.reconnectDelayMs.max)) {
      this.#counters.applyErrors++
      this.#warn(`the target failed to apply an invalidation (${(err as Error)?.message ?? String(err)}); retrying in ${delay} ms`)
      await sleep(delay)
      if (this.#closed) throw new CortadoError('ERR_CLOSED', 'PostgresChangeFeed closed while an invalidation was being retried')
      try {
        await this.#apply(invalidation)
        return
      } catch (next) {
        err = next
      }
    }
  }
}
