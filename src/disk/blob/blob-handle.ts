/**
 * What serveBlob needs from a place that holds blobs (a DiskCache, an S3Store or a BlobCache): open a
 * key once, learn its size, ETag and type, then stream any byte range of that same version.
 */
import type { Readable } from 'node:stream'

/** An inclusive byte range of a blob. */
export interface ByteRange {
  /** First byte, from 0. */
  start: number
  /** Last byte, inclusive (as in fs.createReadStream). */
  end: number
}

/** One open version of a blob: its metadata, and streams of any range of it. */
export interface BlobHandle {
  /** Length of the blob's data in bytes. */
  size: number
  /** Opaque, without quotes; serveBlob sends it as a strong ETag. */
  etag: string
  /** The stored Content-Type; undefined when none was given. */
  contentType: string | undefined
  /** When this version was written; undefined when the source does not say. */
  lastModified: Date | undefined
  /** The whole blob, or one range of it. Call at most once; the handle is closed when the stream ends. */
  stream(range?: ByteRange): Promise<Readable>
  /** Releases the handle without streaming (HEAD, 304, 416). Safe to call after stream(). */
  close(): Promise<void>
}

/** A place serveBlob can read blobs from: a DiskCache, an S3Store or a BlobCache. */
export interface BlobSource {
  /** Opens the current version of `key`; undefined when there is none. */
  openBlob(key: string): Promise<BlobHandle | undefined>
}
