/**
 * When a put resolves. Puts made in one event-loop turn form a batch: the batch's records reach the OS
 * in one write at the end of the turn (setImmediate), and every put of the batch shares one promise.
 *
 * - 'none': the batch resolves once written to the OS (a crash of the process loses nothing it
 *   acknowledged; a crash of the machine may lose what the OS had not written back yet).
 * - 'interval': the same, and the files are fsynced every `syncIntervalMs` when something was written,
 *   so a machine crash loses at most the writes of the last interval (plus the fsync's own duration).
 * - 'always': the batch resolves after an fsync that covers it. Group commit: while one fsync runs, the
 *   batches that come are written and then share the next fsync, so throughput grows with concurrency
 *   instead of being one fsync per put.
 */
import { CortadoError } from '../../errors.js'
import { fdatasync, ioError, syncDirectoryAsync } from './files.js'

/** When a LogStore write resolves: 'always' after an fsync, 'interval' with an fsync every `syncIntervalMs`, 'none' without fsync. */
export type SyncMode = 'always' | 'interval' | 'none'

interface Batch {
  promise: Promise<void>
  resolve: () => void
  reject: (e: unknown) => void
}

function newBatch(): Batch {
  let resolve!: () => void
  let reject!: (e: unknown) => void
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

/** What the commit needs from the store. */
export interface CommitTarget {
  /** Writes the buffered records to the OS (throws on an I/O error). */
  flush(): void
  /** File descriptors written since their last fsync (and clears that mark), and whether the directory changed. */
  takeUnsynced(): { fds: number[]; directory: boolean }
  /** Called once, at the first failure: what was not written is about to be rejected. */
  failed(): void
  readonly dir: string
}

export class GroupCommit {
  syncs = 0
  /** Set after a failed write or fsync: from then on every write is refused (what reached disk is unknown). */
  failure: CortadoError | undefined
  private open: Batch | undefined
  private waiting: Batch[] = []
  private syncing: Promise<void> | undefined
  private dirty = false
  private readonly timer: NodeJS.Timeout | undefined

  constructor(readonly mode: SyncMode, intervalMs: number, private readonly target: CommitTarget, private readonly onError: (e: CortadoError) => void) {
    if (mode === 'interval') {
      this.timer = setInterval(() => {
        if (this.dirty && this.syncing === undefined) this.sync().catch((e: CortadoError) => this.onError(e))
      }, intervalMs)
      this.timer.unref()
    }
  }

  /** Nothing written or appended is waiting for its write or its fsync. */
  get idle(): boolean {
    return this.open === undefined && this.waiting.length === 0 && this.syncing === undefined
  }

  /** The promise of the batch the record just appended belongs to. */
  batch(): Promise<void> {
    if (this.open === undefined) {
      this.open = newBatch()
      setImmediate(this.flushBatch)
    }
    return this.open.promise
  }

  /** Ends the current batch now: writes it, and in 'always' mode queues it for the next fsync. */
  readonly flushBatch = (): void => {
    const b = this.open
    if (b === undefined) return
    this.open = undefined
    // After a failure nothing more is written: the file may end in part of a record, and a record
    // appended after it would land at an offset the index does not expect.
    if (this.failure !== undefined) return b.reject(this.failure)
    try {
      this.target.flush()
    } catch (e) {
      b.reject(this.fail(e, 'write'))
      return
    }
    this.dirty = true
    if (this.mode !== 'always') return b.resolve()
    this.waiting.push(b)
    if (this.syncing === undefined) this.kick()
  }

  /** Flushes and fsyncs everything written so far (close, compaction, `store.flush()`). */
  async sync(): Promise<void> {
    this.flushBatch()
    if (this.failure !== undefined) throw this.failure
    while (this.syncing !== undefined) await this.syncing.catch(() => {})
    this.waiting.push(newBatch())
    const mine = this.waiting[this.waiting.length - 1]!
    this.kick()
    await mine.promise
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
  }

  /** Starts an fsync for every batch waiting, then the next round for those that came meanwhile. */
  private kick(): void {
    if (this.waiting.length === 0) return
    const batches = this.waiting
    this.waiting = []
    this.dirty = false
    const { fds, directory } = this.target.takeUnsynced()
    this.syncing = Promise.all([...fds.map(fdatasync), ...(directory ? [syncDirectoryAsync(this.target.dir)] : [])]).then(
      () => {
        this.syncs++
        for (const b of batches) b.resolve()
      },
      (e: unknown) => {
        const err = this.fail(e, 'fsync')
        for (const b of batches) b.reject(err)
      },
    ).finally(() => {
      this.syncing = undefined
      this.kick()
    })
  }

  /** Records a failed write or fsync (the first one is kept) and returns the error every later write gets. */
  fail(e: unknown, what: string): CortadoError {
    if (this.failure === undefined) {
      this.failure = ioError(e, `LogStore: ${what} failed; the store refuses writes until reopened`)
      this.target.failed()
    }
    return this.failure
  }
}
