/** LogStore options, their defaults and their validation. */
import type { Codec, CodecName } from '../../types.js'
import { CortadoError, shown } from '../../errors.js'
import { checkClock, nonNegative, positiveInteger, timerMs } from '../../options.js'
import { checkOptions } from '../../option-names.js'
import type { SyncMode } from './group-commit.js'

/** Options of `LogStore.open`. Every one is optional. */
export interface LogStoreOptions<V> {
  /**
   * When a write resolves (see docs/disk-log-store.md): 'always' after an fsync covering it (concurrent
   * writes share one: group commit), 'interval' once written to the OS with an fsync every
   * `syncIntervalMs`, 'none' once written to the OS. Default 'always'.
   */
  sync?: SyncMode
  /** fsync period of `sync: 'interval'`, ms. Default 100. */
  syncIntervalMs?: number
  /** A segment is sealed and a new one started once it would pass this size. Default 64 MiB (max 1 GiB). */
  maxFileBytes?: number
  /** How values become bytes: a built-in codec name or { encode, decode }. Default 'auto'. */
  codec?: CodecName | Codec<V>
  /** Compact by itself when garbage passes `compactThreshold`. Default true. */
  autoCompact?: boolean
  /** Garbage ratio (1 - live bytes / file bytes) that starts an automatic compaction. Default 0.5. */
  compactThreshold?: number
  /** No automatic compaction while the files hold fewer bytes than this. Default 16 MiB. */
  compactMinBytes?: number
  /** Bytes compaction copies per step before letting reads and writes run. Default 1 MiB. */
  compactBatchBytes?: number
  /** Clock for TTLs, ms since the epoch. Default Date.now. */
  clock?: () => number
  /** Receives failures of background work (automatic compaction, interval fsync). Default: none. */
  onError?: (error: CortadoError) => void
}

export interface ResolvedOptions {
  sync: SyncMode
  syncIntervalMs: number
  maxFileBytes: number
  autoCompact: boolean
  compactThreshold: number
  compactMinBytes: number
  compactBatchBytes: number
  clock: () => number
  onError: (error: CortadoError) => void
}

const SYNC_MODES: readonly SyncMode[] = ['always', 'interval', 'none']
/** Offsets are u32 and a segment may pass the limit by one record. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024

const KNOWN: ReadonlySet<string> = new Set(['sync', 'syncIntervalMs', 'maxFileBytes', 'codec', 'autoCompact', 'compactThreshold', 'compactMinBytes', 'compactBatchBytes', 'clock', 'onError'])
const PUT_KNOWN: ReadonlySet<string> = new Set(['ttl'])

/** The options of a put (`{ ttl }`): a misspelled TTL must fail, not store an entry that never expires. */
export function checkPutOptions(o: unknown, where: string): void {
  if (o !== undefined) checkOptions(o, where, PUT_KNOWN, '{ ttl: 60_000 }')
}

export function resolveOptions(o: LogStoreOptions<unknown> | undefined): ResolvedOptions {
  // A misspelled name (syncInterval, compactionThreshold...) would otherwise leave its default in force.
  checkOptions(o, 'LogStore.open', KNOWN, "{ sync: 'interval' }", false)
  const sync = o?.sync ?? 'always'
  if (!SYNC_MODES.includes(sync)) throw new CortadoError('ERR_INVALID_OPTION', `sync must be one of ${SYNC_MODES.join(', ')}, got ${shown(sync)}`)
  const maxFileBytes = positiveInteger(o?.maxFileBytes, 'maxFileBytes', 64 * 1024 * 1024)
  if (maxFileBytes < 4096 || maxFileBytes > MAX_FILE_BYTES) throw new CortadoError('ERR_INVALID_OPTION', `maxFileBytes must be between 4096 and ${MAX_FILE_BYTES}, got ${maxFileBytes}`)
  const compactThreshold = nonNegative(o?.compactThreshold, 'compactThreshold', 0.5)
  if (compactThreshold >= 1) throw new CortadoError('ERR_INVALID_OPTION', `compactThreshold must be below 1, got ${compactThreshold}`)
  if (o?.autoCompact !== undefined && typeof o.autoCompact !== 'boolean') throw new CortadoError('ERR_INVALID_OPTION', `autoCompact must be a boolean, got ${shown(o.autoCompact)}`)
  if (o?.onError !== undefined && typeof o.onError !== 'function') throw new CortadoError('ERR_INVALID_OPTION', `onError must be a function, got ${shown(o.onError)}`)
  return {
    sync,
    syncIntervalMs: timerMs(positiveInteger(o?.syncIntervalMs, 'syncIntervalMs', 100), 'syncIntervalMs'),
    maxFileBytes,
    autoCompact: o?.autoCompact ?? true,
    compactThreshold,
    compactMinBytes: nonNegative(o?.compactMinBytes, 'compactMinBytes', 16 * 1024 * 1024),
    compactBatchBytes: positiveInteger(o?.compactBatchBytes, 'compactBatchBytes', 1024 * 1024),
    clock: checkClock(o?.clock),
    onError: o?.onError ?? (() => {}),
  }
}
