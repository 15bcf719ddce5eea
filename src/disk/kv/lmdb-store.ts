/**
 * LmdbStore: the same API as LogStore over `lmdb` (LMDB: a copy-on-write B+tree in a memory-mapped
 * file). Reads are a lookup in mapped pages with no syscall; writes rewrite the tree's path to the leaf.
 * lmdb-js gathers the puts of one event-loop turn into one transaction, so `sync: 'always'` is group
 * commit too. Optional peer dependency: `npm install lmdb`.
 */
import { CortadoError } from '../../errors.js'
import { prepareDirectory } from '../log/files.js'
import { KvStore, checkKvOptions, importPeer, type KvStoreOptions } from './kv-store.js'

/** The part of lmdb's database API used here. */
interface LmdbDatabase {
  put(key: string, value: Buffer): Promise<boolean>
  getBinary(key: string): Buffer | undefined
  remove(key: string): Promise<boolean>
  getRange(options?: object): Iterable<{ key: unknown; value: Uint8Array }>
  getStats(): object
  close(): Promise<void>
}

/**
 * The LogStore API over LMDB (`lmdb`, an optional peer dependency): a memory-mapped B+tree, reads without
 * a syscall. Open with `LmdbStore.open`.
 */
export class LmdbStore<V = unknown> extends KvStore<V> {
  private constructor(dir: string, options: KvStoreOptions<V> | undefined, private readonly db: LmdbDatabase) {
    super('LmdbStore', dir, options)
  }

  /**
   * Opens (creating if needed) the LMDB environment in `dir`. Rejects with ERR_ENGINE_UNAVAILABLE when `lmdb`
   * is not installed.
   */
  static async open<V = unknown>(dir: string, options?: KvStoreOptions<V>): Promise<LmdbStore<V>> {
    if (typeof dir !== 'string' || dir.length === 0) throw new CortadoError('ERR_INVALID_OPTION', 'LmdbStore.open needs a directory path')
    checkKvOptions('LmdbStore', options)
    prepareDirectory(dir, 'LmdbStore')
    const lmdb = await importPeer<{ open(options: object): LmdbDatabase }>('lmdb', 'LmdbStore')
    const sync = options?.sync ?? 'always'
    const db = lmdb.open({ path: dir, encoding: 'binary', noSync: sync === 'none', compression: false })
    try {
      return new LmdbStore<V>(dir, options, db)
    } catch (e) {
      await db.close()
      throw e
    }
  }

  /** LMDB's own figures (page counts, tree depth, entries...) beside the store's counters. */
  stats(): Record<string, unknown> {
    return { ...this.counters, lmdb: this.db.getStats() }
  }

  /** Nothing to do: LMDB reuses freed pages in place; the file never shrinks. */
  async compact(): Promise<void> {
    this.checkOpen()
  }

  /** Writes the bytes under `key` (one transaction per event-loop turn). */
  protected async backendPut(key: string, bytes: Buffer): Promise<void> {
    await this.db.put(key, bytes)
  }

  /** The stored bytes under `key`, or undefined, without a promise. */
  protected backendGetSync(key: string): Uint8Array | undefined {
    return this.db.getBinary(key)
  }

  /** The stored bytes under `key`, or undefined. */
  protected backendGet(key: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.db.getBinary(key))
  }

  /** Removes `key`; resolves to whether it was there. */
  protected backendDelete(key: string): Promise<boolean> {
    return this.db.remove(key)
  }

  /** Closes the database. */
  protected backendClose(): Promise<void> {
    return this.db.close()
  }

  /** Every stored key and its bytes, in key order. */
  protected async *backendEntries(): AsyncIterable<[string, Uint8Array]> {
    for (const { key, value } of this.db.getRange()) yield [String(key), value]
  }
}
