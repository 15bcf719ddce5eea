/**
 * The feed's counters and lag. Lag in bytes is how far the applied position trails the newest WAL
 * position the feed has heard of (from the stream and from polling the server); lag in seconds is how
 * long ago the feed last had nothing left to apply. Both stay meaningful while the feed is
 * disconnected: they keep growing, which is what a stalled feed holding WAL on the server looks like.
 */
import { formatLsn, type Lsn } from './lsn.js'

/** A PostgresChangeFeed's counters, positions and lag, from `stats()`. Counters start at 0 when the feed starts. */
export interface ChangeFeedStats {
  /** Row changes (insert/update/delete) of watched tables handled (keys batched, applied at the latest at their COMMIT). */
  changesApplied: number
  /** Keys handed to the target (an update counts its old and new keys). */
  keysInvalidated: number
  /** Transactions whose invalidations were all applied (counted at their COMMIT). */
  transactionsApplied: number
  /** TRUNCATEs of watched tables applied (each clears a table's prefixes or the whole target). */
  truncates: number
  /** Times the feed cleared what it guards because changes were missed (slot missing or invalidated). */
  resets: number
  /** Why the last reset happened. */
  lastResetReason: string | undefined
  /** Rows whose keys function threw or returned a bad key (the feed went on). */
  keyErrors: number
  /** Failed applications to the target (each retried until it succeeds; nothing is acknowledged meanwhile). */
  applyErrors: number
  /** Replication connections lost and re-established. */
  reconnects: number
  /** Whether the replication stream is open now (false while reconnecting). */
  connected: boolean
  /** Everything before this position is applied and (within statusIntervalMs) acknowledged. */
  appliedLsn: string
  /** The newest WAL position the feed knows of on the server. */
  serverLsn: string
  /** Bytes of WAL between the applied position and the newest the feed knows of; 0 when caught up. */
  lagBytes: number
  /** Seconds since the feed last had applied everything it knew of; 0 when caught up. */
  lagSeconds: number
  /** WAL the slot keeps on the server (from the last poll; -1 before the first). */
  retainedWalBytes: number
  /** Decoded messages waiting for the target (bounded by maxPending). */
  pending: number
}

export class FeedCounters {
  changesApplied = 0
  keysInvalidated = 0
  transactionsApplied = 0
  truncates = 0
  resets = 0
  lastResetReason: string | undefined
  applyErrors = 0
  reconnects = 0
  retainedWalBytes = -1
  applied: Lsn = 0n
  server: Lsn = 0n
  /** When the feed last had applied everything it knew of (ms since epoch). */
  caughtUpAt = Date.now()

  /** Moves the applied position forward (never back: a replay after reconnect re-applies older changes). */
  advance(lsn: Lsn): void {
    if (lsn > this.applied) this.applied = lsn
    if (lsn > this.server) this.server = lsn
    if (this.applied >= this.server) this.caughtUpAt = Date.now()
  }

  heardOf(lsn: Lsn): void {
    if (lsn > this.server) this.server = lsn
    if (this.applied >= this.server) this.caughtUpAt = Date.now()
  }

  get lagBytes(): number {
    return this.server > this.applied ? Number(this.server - this.applied) : 0
  }

  get lagSeconds(): number {
    return this.server > this.applied ? (Date.now() - this.caughtUpAt) / 1000 : 0
  }

  snapshot(extra: { keyErrors: number; connected: boolean; pending: number }): ChangeFeedStats {
    return {
      changesApplied: this.changesApplied,
      keysInvalidated: this.keysInvalidated,
      transactionsApplied: this.transactionsApplied,
      truncates: this.truncates,
      resets: this.resets,
      lastResetReason: this.lastResetReason,
      keyErrors: extra.keyErrors,
      applyErrors: this.applyErrors,
      reconnects: this.reconnects,
      connected: extra.connected,
      appliedLsn: formatLsn(this.applied),
      serverLsn: formatLsn(this.server),
      lagBytes: this.lagBytes,
      lagSeconds: this.lagSeconds,
      retainedWalBytes: this.retainedWalBytes,
      pending: extra.pending,
    }
  }
}
