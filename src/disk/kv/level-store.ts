/**
 * LevelStore: the same API as LogStore over `classic-level` (LevelDB: a log-structured merge tree).
 * Writes go to a write-ahead log and a memtable, flushed to sorted tables that background compactions
 * merge; reads look through the memtable and the levels (with Bloom filters). LevelDB queues concurrent
 * writers into one log write, so `sync: 'always'` is group commit too. Optional peer dependency:
 * `npm install classic-level`.
 */
import { CortadoError } from '../../errors.js'
import { prepareDirectory } from '../log/files.js'
import { KvStore, checkKvOptions, importPeer, type KvStoreOptions } from './kv-store.js'

/** The part of classic-level's API used here. */
interface LevelDatabase {
  open(): Promise<void>
  put(key: string, value: Uint8Array, options?: { sync?: boolean }): Promise<void>
  get(key: string): Promise<Uint8Array | undefined>
  getSync(key: string): Uint8Array | undefined
  del(key: string, options?: { sync?: boolean }): Promise<void>
  iterator(): AsyncIterable<[string, Uint8Array]>
  compactRange(start: string, end: string): Promise<void>
  approximateSize(start: string, end: string): Promise<number>
  close(): Promise<void>
}

/**
 * The LogStore API over LevelDB (`classic-level`, an optional peer dependency): a log-structured merge tree.
 * Open with `LevelStore.open`.
 */
export class LevelStore<V = unknown> extends KvStore<V> {
  private readonly writeOptions: { sync: boolean }

  private constructor(dir: string, options: KvStoreOptions<V> | undefined, private readonly db: LevelDatabase) {
    super('LevelStore', dir, options)
    this.writeOptions = { sync: this.sync === 'always' }
  }

  /**
   * Opens (creating if needed) the database in `dir`. Rejects with ERR_ENGINE_UNAVAILABLE when `classic-level`
   * is not installed, ERR_LOCKED when the database is already open.
   */
  static async open<V = unknown>(dir: string, options?: KvStoreOptions<V>): Promise<LevelStore<V>> {
    if (typeof dir !== 'string' || dir.length === 0) throw new CortadoError('ERR_INVALID_OPTION', 'LevelStore.open needs a directory path')
    checkKvOptions('LevelStore', options)
    prepareDirectory(dir, 'LevelStore')
    const { ClassicLevel } = await importPeer<{ ClassicLevel: new (dir: string, options: object) => LevelDatabase }>('classic-level', 'LevelStore')
    const db = new ClassicLevel(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    try {
      await db.open()
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'LEVEL_LOCKED' || /lock/i.test(String((e as Error).cause ?? ''))) throw new CortadoError('ERR_LOCKED', `LevelStore: ${dir} is already open`, { cause: e })
      throw new CortadoError('ERR_IO', `LevelStore: cannot open ${dir}: ${(e as Error).message}`, { cause: e })
    }
    return new LevelStore<V>(dir, options, db)
  }

  /** The store's counters (KvStoreStats) and `approximateBytes`, LevelDB's estimate of its size on disk. */
  async stats(): Promise<Record<string, unknown>> {
    return { ...this.counters, approximateBytes: await this.db.approximateSize('', '\uffff') }
  }

  /** Compacts the whole key range (LevelDB also compacts by itself as levels fill). */
  async compact(): Promise<void> {
    this.checkOpen()
    await this.db.compactRange('', '\uffff')
  }

  /** Writes the bytes under `key`, with an fsync when `sync` is 'always'. */
  protected backendPut(key: string, bytes: Buffer): Promise<void> {
    return this.db.put(key, bytes, this.writeOptions)
  }

  /** The stored bytes under `key`, or undefined, without a promise. */
  protected backendGetSync(key: string): Uint8Array | undefined {
    return this.db.getSync(key)
  }

  /** The stored bytes under `key`, or undefined. */
  protected backendGet(key: string): Promise<Uint8Array | undefined> {
    return this.db.get(key)
  }

  /** Removes `key`; always resolves to true (LevelDB does not say whether it was there). */
  protected async backendDelete(key: string): Promise<boolean> {
    await this.db.del(key, this.writeOptions)
    return true
  }

  /** Closes the database. */
  protected backendClose(): Promise<void> {
    return this.db.close()
  }

  /** Every stored key and its bytes, in key order. */
  protected backendEntries(): AsyncIterable<[string, Uint8Array]> {
    return this.db.iterator()
  }
}
