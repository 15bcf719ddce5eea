/**
 * Blobs in an S3 bucket (AWS, MinIO or any S3-compatible server): streaming puts, in parallel multipart
 * parts above a threshold (multipart.ts), ranged gets, presigned URLs (presign.ts), and a BlobSource
 * for serveBlob that passes the client's range through to S3 instead of fetching the whole object.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { Readable } from 'node:stream'
import { CortadoError, shown } from '../../errors.js'
import { chunkBytes, type BlobBody } from './atomic-write.js'
import type { BlobHandle, BlobSource, ByteRange } from './blob-handle.js'
import { checkBlobKey } from './keys.js'
import { checkKnownKeys } from '../../option-names.js'
import { MAX_CONTENT_TYPE_BYTES, MAX_ETAG_BYTES } from './header.js'
import { blobOptions, checkSignal, headerText, PRESIGN_GET_OPTIONS, PRESIGN_PUT_OPTIONS, S3_GET_OPTIONS, S3_PUT_OPTIONS, S3_SIGNAL_OPTIONS, S3_STORE_OPTIONS } from './options.js'
import { presign, type PresignOptions } from './presign.js'
import { unquote, uploadMultipart, type UploadResult } from './multipart.js'
import { ABORTED, aborted, createClient, isAbort, isNotFound, loadSdk, remoteError, unlessAborted, type S3Connection } from './s3-client.js'

const MiB = 1024 * 1024
/** S3's smallest part (all but the last). */
export const MIN_PART_SIZE = 5 * MiB
/** Where a cache's own ETag travels with an object (x-amz-meta-cortado-etag), see BlobCache. */
export const ETAG_METADATA = 'cortado-etag'

/** Options of `new S3Store(options)`: the bucket, the connection (or a client) and upload tuning. */
export interface S3StoreOptions extends S3Connection {
  /** The bucket's name (3 to 63 of a-z 0-9 . -). */
  bucket: string
  /** A client of your own (its options win; endpoint/region/credentials/forcePathStyle are then unused). */
  client?: S3Client
  /** Bodies larger than this go in multipart parts. Default 8 MiB. */
  multipartThreshold?: number
  /** Part size, >= 5 MiB (S3's minimum). Default 8 MiB. */
  partSize?: number
  /** Parts in flight at once. Default 4. */
  concurrency?: number
}

/** Options of `S3Store.put`. */
export interface S3PutOptions {
  /** The object's Content-Type; none when undefined. */
  contentType?: string
  /** Aborts the upload; a multipart upload is then aborted on the server too (no parts left). */
  signal?: AbortSignal
  /** Kept with the object (x-amz-meta-cortado-etag) and used as its ETag by openBlob/head. */
  etag?: string
}

/** An object's metadata, from a HEAD request. */
export interface S3Head {
  /** The object's length in bytes. */
  size: number
  /** The cortado ETag stored with the object, else S3's (without quotes). */
  etag: string
  /** S3's own ETag (without quotes), for conditional requests to S3. */
  s3Etag: string
  /** The object's Content-Type; undefined when it has none. */
  contentType: string | undefined
  /** When the object was last written, as S3 reports it. */
  lastModified: Date | undefined
}

/** An object (or one range of it) from `S3Store.get`, with its metadata. */
export interface S3Object extends S3Head {
  /** The bytes, as a stream to read once. */
  body: Readable
  /** The bytes returned (the range's length for a ranged get). */
  contentLength: number
  /** The inclusive range returned; undefined for the whole object. */
  range: ByteRange | undefined
}

/** Blobs in an S3 bucket (AWS or S3-compatible): streaming and multipart puts, ranged gets, presigned URLs, and a BlobSource for serveBlob. */
export class S3Store implements BlobSource {
  /** The bucket, as given in the options. */
  readonly bucket: string
  /** Bodies larger than this many bytes are uploaded in multipart parts. */
  readonly multipartThreshold: number
  /** Bytes per multipart part (all but the last). */
  readonly partSize: number
  /** Multipart parts uploaded at once. */
  readonly concurrency: number
  private readonly clientPromise: Promise<S3Client>
  private readonly ownsClient: boolean
  private closedFlag = false

  constructor(options: S3StoreOptions) {
    if (typeof options !== 'object' || options === null) throw new CortadoError('ERR_INVALID_OPTION', 'new S3Store(options): options must be an object with a bucket')
    checkKnownKeys(options, S3_STORE_OPTIONS, 'new S3Store', false)
    if (typeof options.bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket))
      throw new CortadoError('ERR_INVALID_OPTION', `bucket must be an S3 bucket name (3 to 63 of a-z 0-9 . -), got ${shown(options.bucket)}`)
    this.bucket = options.bucket
    this.multipartThreshold = byteSize(options.multipartThreshold, 'multipartThreshold', 8 * MiB, 1)
    this.partSize = byteSize(options.partSize, 'partSize', 8 * MiB, MIN_PART_SIZE)
    this.concurrency = byteSize(options.concurrency, 'concurrency', 4, 1)
    if (options.endpoint !== undefined && (typeof options.endpoint !== 'string' || !URL.canParse(options.endpoint)))
      throw new CortadoError('ERR_INVALID_OPTION', `endpoint must be a URL, got ${shown(options.endpoint)}`)
    this.ownsClient = options.client === undefined
    this.clientPromise = options.client ? Promise.resolve(options.client) : createClient(options)
    // Surfaces on first use; never as an unhandled rejection.
    this.clientPromise.catch(() => {})
  }

  /** The S3Client in use (created on first use from the options). */
  client(): Promise<S3Client> {
    return this.clientPromise
  }

  /** Uploads `body`: one PutObject up to multipartThreshold, parallel parts above it. */
  async put(key: string, body: BlobBody, putOptions?: S3PutOptions): Promise<UploadResult> {
    this.checkOpen('S3Store.put')
    checkBlobKey(key, 'S3Store.put')
    const options = blobOptions(putOptions, 'S3Store.put', S3_PUT_OPTIONS, "{ contentType: 'video/mp4', signal }")
    // Checked here: a bad header value would otherwise surface as the HTTP client's error (ERR_REMOTE).
    headerText(options.contentType, 'contentType', MAX_CONTENT_TYPE_BYTES)
    headerText(options.etag, 'etag', MAX_ETAG_BYTES)
    checkSignal(options.signal, 'S3Store.put')
    const what = `S3 put of ${key}`
    if (options.signal?.aborted) throw aborted(what)
    const [client, sdk] = await Promise.all([this.clientPromise, loadSdk()])
    const metadata = options.etag === undefined ? undefined : { [ETAG_METADATA]: options.etag }
    try {
      const chunks = chunksOf(body)
      // Read up to the threshold: a body that ends before it is one PutObject with a known length.
      const head: Uint8Array[] = []
      let headBytes = 0
      let ended = false
      while (headBytes <= this.multipartThreshold) {
        const r = await unlessAborted(chunks.next(), options.signal)
        if (r === ABORTED) throw aborted(what)
        if (r.done) {
          ended = true
          break
        }
        head.push(r.value)
        headBytes += r.value.length
      }
      if (ended) {
        const bytes = Buffer.concat(head, headBytes)
        try {
          const r = await client.send(
            new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: options.contentType, Metadata: metadata }),
            { abortSignal: options.signal },
          )
          return { etag: unquote(r.ETag), size: bytes.length, parts: 1 }
        } catch (err) {
          throw options.signal?.aborted || isAbort(err) ? aborted(what, err) : remoteError(what, err)
        }
      }
      return await uploadMultipart({
        client, sdk, bucket: this.bucket, key, contentType: options.contentType, metadata,
        chunks: prepend(head, chunks), partSize: this.partSize, concurrency: this.concurrency, signal: options.signal,
      })
    } catch (err) {
      // The rest of the body will not be read: release it (a file stream's descriptor, a socket).
      if (typeof body === 'object' && body !== null && typeof (body as Readable).destroy === 'function') (body as Readable).destroy()
      throw err
    }
  }

  /** The object (or one inclusive byte range of it) as a stream, or undefined when there is none. */
  async get(key: string, getOptions?: { range?: ByteRange; signal?: AbortSignal; ifMatch?: string }): Promise<S3Object | undefined> {
    this.checkOpen('S3Store.get')
    checkBlobKey(key, 'S3Store.get')
    const options = blobOptions(getOptions, 'S3Store.get', S3_GET_OPTIONS, '{ range: { start: 0, end: 99 } }')
    checkSignal(options.signal, 'S3Store.get')
    const [client, sdk] = await Promise.all([this.clientPromise, loadSdk()])
    const range = options.range
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start))
      throw new CortadoError('ERR_INVALID_RANGE', `a range must have integers 0 <= start <= end, got ${shown(range)}`)
    try {
      const r = await client.send(
        new sdk.GetObjectCommand({
          Bucket: this.bucket, Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          IfMatch: options.ifMatch === undefined ? undefined : `"${options.ifMatch}"`,
        }),
        { abortSignal: options.signal },
      )
      const total = r.ContentRange ? Number(/\/(\d+)$/.exec(r.ContentRange)?.[1]) : (r.ContentLength ?? 0)
      const served = r.ContentRange ? /^bytes (\d+)-(\d+)\//.exec(r.ContentRange) : null
      const s3Etag = unquote(r.ETag)
      return {
        body: r.Body as Readable,
        size: total,
        contentLength: r.ContentLength ?? 0,
        etag: r.Metadata?.[ETAG_METADATA] ?? s3Etag,
        s3Etag,
        contentType: r.ContentType,
        lastModified: r.LastModified,
        range: served ? { start: Number(served[1]), end: Number(served[2]) } : undefined,
      }
    } catch (err) {
      if (isNotFound(err)) return undefined
      if ((err as { name?: string }).name === 'InvalidRange') throw new CortadoError('ERR_INVALID_RANGE', `S3 get of ${key}: range ${range?.start}-${range?.end} is past the end`, { cause: err })
      throw options.signal?.aborted ? aborted(`S3 get of ${key}`, err) : remoteError(`S3 get of ${key}`, err)
    }
  }

  /** The whole object in memory, or undefined. */
  async getBuffer(key: string, options?: { signal?: AbortSignal }): Promise<Buffer | undefined> {
    this.checkOpen('S3Store.getBuffer')
    const o = await this.get(key, blobOptions(options, 'S3Store.getBuffer', S3_SIGNAL_OPTIONS, '{ signal }'))
    if (!o) return undefined
    try {
      return Buffer.concat(await o.body.toArray())
    } catch (err) {
      throw remoteError(`S3 get of ${key}`, err)
    }
  }

  /** The object's metadata without its body, or undefined when there is none. */
  async head(key: string): Promise<S3Head | undefined> {
    this.checkOpen('S3Store.head')
    checkBlobKey(key, 'S3Store.head')
    const [client, sdk] = await Promise.all([this.clientPromise, loadSdk()])
    try {
      const r = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }))
      const s3Etag = unquote(r.ETag)
      return { size: r.ContentLength ?? 0, etag: r.Metadata?.[ETAG_METADATA] ?? s3Etag, s3Etag, contentType: r.ContentType, lastModified: r.LastModified }
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw remoteError(`S3 head of ${key}`, err)
    }
  }

  /** Removes the object. Resolves too when there was none (S3 does not say). */
  async delete(key: string): Promise<void> {
    this.checkOpen('S3Store.delete')
    checkBlobKey(key, 'S3Store.delete')
    const [client, sdk] = await Promise.all([this.clientPromise, loadSdk()])
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
    } catch (err) {
      throw remoteError(`S3 delete of ${key}`, err)
    }
  }

  /**
   * For serveBlob: a HEAD now, then a GET of just the requested range. The GET carries If-Match with
   * the HEAD's ETag and its answer's ETag is checked too, so a replaced object is never spliced.
   */
  async openBlob(key: string): Promise<BlobHandle | undefined> {
    this.checkOpen('S3Store.openBlob')
    const h = await this.head(key)
    if (!h) return undefined
    return {
      size: h.size,
      etag: h.etag,
      contentType: h.contentType,
      lastModified: h.lastModified,
      stream: async (range?: ByteRange) => {
        if (h.size === 0 || (range && range.end < range.start)) return Readable.from([])
        const o = await this.get(key, { range, ifMatch: h.s3Etag })
        if (!o || o.s3Etag !== h.s3Etag) {
          o?.body.destroy()
          throw new CortadoError('ERR_REMOTE', `S3 object ${key} changed or vanished between HEAD and GET`)
        }
        return o.body
      },
      close: async () => {},
    }
  }

  /** A URL that lets anyone holding it PUT this key with plain HTTP (e.g. fetch) until it expires. */
  async presignPut(key: string, options?: PresignOptions & { contentType?: string }): Promise<string> {
    this.checkOpen('S3Store.presignPut')
    checkBlobKey(key, 'S3Store.presignPut')
    const o = blobOptions(options, 'S3Store.presignPut', PRESIGN_PUT_OPTIONS, "{ expiresIn: 900, contentType: 'video/mp4' }")
    headerText(o.contentType, 'contentType', MAX_CONTENT_TYPE_BYTES)
    return presign(await this.clientPromise, 'put', this.bucket, key, o)
  }

  /** A URL that lets anyone holding it GET this key (ranges too) until it expires. */
  async presignGet(key: string, options?: PresignOptions): Promise<string> {
    this.checkOpen('S3Store.presignGet')
    checkBlobKey(key, 'S3Store.presignGet')
    const o = blobOptions(options, 'S3Store.presignGet', PRESIGN_GET_OPTIONS, '{ expiresIn: 900 }')
    return presign(await this.clientPromise, 'get', this.bucket, key, o)
  }

  /** Destroys the client this store created (not one passed in); later calls then fail with ERR_CLOSED. */
  async close(): Promise<void> {
    if (this.closedFlag) return
    this.closedFlag = true
    if (this.ownsClient) (await this.clientPromise.catch(() => undefined))?.destroy()
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.closedFlag
  }

  // A destroyed SDK client quietly opens new connections: without this a closed store went on working.
  private checkOpen(where: string): void {
    if (this.closedFlag) throw new CortadoError('ERR_CLOSED', `${where}: the S3Store of bucket ${this.bucket} is closed`)
  }
}

function byteSize(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new CortadoError('ERR_INVALID_OPTION', `${name} must be an integer >= ${min}, got ${shown(value)}`)
  return value
}

/** Any accepted body as an iterator of byte chunks. */
export function chunksOf(body: BlobBody): AsyncIterator<Uint8Array> {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body
    return (async function* () { yield bytes })()
  }
  if (typeof body !== 'object' || body === null || !(Symbol.asyncIterator in body))
    throw new CortadoError('ERR_INVALID_VALUE', `a blob must be a Buffer, Uint8Array, string, Readable or AsyncIterable of Uint8Array, got ${shown(body)}`)
  const source = body as AsyncIterable<Uint8Array | string>
  return (async function* () {
    try {
      for await (const chunk of source) yield chunkBytes(chunk)
    } catch (err) {
      if (err instanceof CortadoError) throw err
      throw new CortadoError('ERR_IO', `the body stream failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
  })()
}

async function* prepend(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* head
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value
}
