/**
 * What serveBlob needs from a place that holds blobs (a DiskCache, an S3Store or a BlobCache): open a
 * key once, learn its size, ETag and type, then stream any byte range of that same version.
 */
import type { Readable } from 'node:stream'

export interface ByteRange {
  /** First byte, from 0. */
  start: number
  /** Last byte, inclusive (as in fs.createReadStream). */
  end: number
}

export interface BlobHandle {
  size: number
  /** Opaque, without quotes; serveBlob sends it as a strong ETag. */
  etag: string
  contentType: string | undefined
  lastModified: Date | undefined
  /** The whole blob, or one range of it. Call at most once; the handle is closed when the stream ends. */
  stream(range?: ByteRange): Promise<Readable>
  /** Releases the handle without streaming (HEAD, 304, 416). Safe to call after stream(). */
  close(): Promise<void>
}

export interface BlobSource {
  openBlob(key: string): Promise<BlobHandle | undefined>
}
