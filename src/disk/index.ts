/** `cortado/disk`: stores on disk. One export line per store, so branches adding stores merge cleanly. */
export { LogStore } from './log/log-store.js'
export type { LogStoreStats, PutOptions, StoredEntry } from './log/log-store.js'
export type { LogStoreOptions } from './log/options.js'
export type { SyncMode } from './log/group-commit.js'
export type { RecoveryReport } from './log/recovery.js'
export type { CompactionProgress } from './log/compaction.js'
export { diskTier } from './remote-store.js'
export type { EntryStore } from './remote-store.js'
