/**
 * A DiskCache in front of an S3Store: reads go to disk and, on a miss, download the object once however
 * many readers ask (single-flight per key in this process), after which ranges are served from disk;
 * puts write the disk and then S3 (write-through), with one ETag for both, so a client's If-None-Match
 * holds whichever side answered.
 */
import type { Readable } from 'node:stream'
import { CortadoError, isCortadoError, shown } from '../../errors.js'
import type { BlobBody } from './atomic-write.js'
import type { BlobHandle, BlobSource } from './blob-handle.js'
import type { BlobStat, DiskCache } from './disk-cache.js'
import type { UploadResult } from './multipart.js'
import type { S3Store } from './s3-store.js'
import { SingleFlight } from './single-flight.js'
import { checkKnownKeys } from '../../option-names.js'
import { BLOB_CACHE_OPTIONS, BLOB_CACHE_PUT_OPTIONS, blobOptions, checkSignal } from './options.js'

/** Options of `new BlobCache(options)`. */
export interface BlobCacheOptions {
  /** The local cache reads are served from. */
  disk: DiskCache
  /** The bucket behind it: the source of misses and the target of puts. */
  store: S3Store
  /**
   * What openBlob (serveBlob) does on a miss: 'wait' for the download and serve from disk (default), or
   * 'pass-through': answer from S3 (the range only) at once while the download fills the disk.
   */
  missReads?: 'wait' | 'pass-through'
}

/** Options of `BlobCache.put`. */
export interface BlobCachePutOptions {
  /** Content-Type stored with the blob on disk and in S3; none when undefined. */
  contentType?: string
  /** Time to live on disk (ms, 0 = none); the DiskCache's default when undefined. */
  ttl?: number
  /** Aborts the upload to S3 (the disk copy is then removed too). */
  signal?: AbortSignal
}

/** Counters of one BlobCache instance, from `stats()`. */
export interface BlobCacheStats {
  /** Reads answered from disk. */
  hits: number
  /** Reads that found nothing on disk. */
  misses: number
  /** Downloads from S3 into the disk cache (one per key however many readers waited). */
  fills: number
  /** Downloads that failed (the readers got the error). */
  fillErrors: number
  /** Misses answered straight from S3 in 'pass-through' mode. */
  passThrough: number
}

/** A DiskCache in front of an S3Store: reads from disk with single-flight downloads on a miss, write-through puts with one ETag for both. */
export class BlobCache implements BlobSource {
  /** The local cache, as passed in the options. */
  readonly disk: DiskCache
  /** The S3 store, as passed in the options. */
  readonly store: S3Store
  private readonly missReads: 'wait' | 'pass-through'
  private readonly flights = new SingleFlight<boolean>()
  private readonly counters: BlobCacheStats = { hits: 0, misses: 0, fills: 0, fillErrors: 0, passThrough: 0 }

  constructor(options: BlobCacheOptions) {
    if (typeof options !== 'object' || options === null || typeof options.disk?.openBlob !== 'function' || typeof options.store?.openBlob !== 'function')
      throw new CortadoError('ERR_INVALID_OPTION', 'new BlobCache(options): options must have a disk (DiskCache) and a store (S3Store)')
    checkKnownKeys(options, BLOB_CACHE_OPTIONS, 'new BlobCache', false)
    const missReads = options.missReads ?? 'wait'
    if (missReads !== 'wait' && missReads !== 'pass-through') throw new CortadoError('ERR_INVALID_OPTION', `missReads must be 'wait' or 'pass-through', got ${shown(missReads)}`)
    this.disk = options.disk
    this.store = options.store
    this.missReads = missReads
  }

  /** The whole blob: from disk, or downloaded once into it. */
  async get(key: string): Promise<Buffer | undefined> {
    const local = await this.disk.get(key)
    if (local) return this.hit(local)
    this.counters.misses++
    const filled = await this.filled(key)
    if (!filled) return undefined
    // Too large for the disk, or evicted again between the fill and this read: S3 still has it.
    return (filled === true ? await this.disk.get(key) : undefined) ?? this.store.getBuffer(key)
  }

  /** For serveBlob: disk when cached; on a miss see `missReads`. */
  async openBlob(key: string): Promise<BlobHandle | undefined> {
    const local = await this.disk.openBlob(key)
    if (local) return this.hit(local)
    this.counters.misses++
    if (this.missReads === 'pass-through') {
      // The download's failure is counted (fillErrors); this reader is served from S3 either way.
      this.fill(key).catch(() => {})
      this.counters.passThrough++
      return this.store.openBlob(key)
    }
    const filled = await this.filled(key)
    if (!filled) return undefined
    return (filled === true ? await this.disk.openBlob(key) : undefined) ?? this.store.openBlob(key)
  }

  /** Writes the disk, then S3 from the disk copy; if S3 fails the disk copy is removed and the error thrown. */
  async put(key: string, body: BlobBody, putOptions?: BlobCachePutOptions): Promise<UploadResult> {
    const options = blobOptions(putOptions, 'BlobCache.put', BLOB_CACHE_PUT_OPTIONS, "{ contentType: 'video/mp4', signal }")
    checkSignal(options.signal, 'BlobCache.put')
    await this.disk.put(key, body, { contentType: options.contentType, ttl: options.ttl })
    let copy: Readable | undefined
    try {
      const written = await this.disk.openBlob(key)
      if (!written) throw new CortadoError('ERR_IO', `BlobCache.put of ${key}: the disk copy vanished before its upload (evicted at once: is the DiskCache too small?)`)
      copy = await written.stream()
      return await this.store.put(key, copy, { contentType: written.contentType, etag: written.etag, signal: options.signal })
    } catch (err) {
      copy?.destroy()
      await this.disk.delete(key).catch(() => {})
      throw err
    }
  }

  /** Downloads the key into the disk cache unless a download of it is running (then joins it). */
  fill(key: string): Promise<boolean> {
    return this.flights.run(key, async () => {
      try {
        const o = await this.store.get(key)
        if (!o) return false
        await this.disk.put(key, o.body, { etag: o.etag, contentType: o.contentType })
        this.counters.fills++
        return true
      } catch (err) {
        this.counters.fillErrors++
        throw err
      }
    })
  }

  /** fill(), except that an object larger than the disk cache's maxBytes is 'too-large' (served from S3). */
  private async filled(key: string): Promise<boolean | 'too-large'> {
    try {
      return await this.fill(key)
    } catch (err) {
      if (isCortadoError(err, 'ERR_CAPACITY')) return 'too-large'
      throw err
    }
  }

  /** From disk when cached, else S3's HEAD. */
  async stat(key: string): Promise<Pick<BlobStat, 'size' | 'etag' | 'contentType'> | undefined> {
    return (await this.disk.stat(key)) ?? (await this.store.head(key))
  }

  /** Removes the key from S3 and from disk. */
  async delete(key: string): Promise<void> {
    await this.store.delete(key)
    await this.disk.delete(key)
  }

  /** A copy of the counters. */
  stats(): BlobCacheStats {
    return { ...this.counters }
  }

  private hit<T>(value: T): T {
    this.counters.hits++
    return value
  }
}
