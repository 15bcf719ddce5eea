/**
 * A multipart upload of a stream: parts of `partSize` bytes cut from the stream in order and sent by
 * `concurrency` uploaders at once, so memory stays at about concurrency × partSize whatever the size.
 *
 * Written here rather than with lib-storage's Upload because of what an abort must guarantee: when
 * put() rejects, no part may be left behind. Upload.done() rejects as soon as it is aborted while its
 * part requests (sent without the abort signal) go on, and its AbortMultipartUpload comes after them, if
 * at all. Here every part request carries the signal, the uploader waits until all of them have
 * settled, then sends AbortMultipartUpload, and only then rejects.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { ABORTED, aborted, remoteError, unlessAborted, type S3Sdk } from './s3-client.js'

export interface MultipartJob {
  client: S3Client
  sdk: S3Sdk
  bucket: string
  key: string
  contentType: string | undefined
  metadata: Record<string, string> | undefined
  /** The whole body, in order (a prefix already read may come first). */
  chunks: AsyncIterator<Uint8Array>
  partSize: number
  concurrency: number
  signal: AbortSignal | undefined
}

/** What a finished upload to S3 gave. */
export interface UploadResult {
  /** S3's ETag, without quotes. */
  etag: string
  /** Bytes uploaded. */
  size: number
  /** Parts sent: 1 for a single PutObject. */
  parts: number
}

export async function uploadMultipart(job: MultipartJob): Promise<UploadResult> {
  const { client, sdk, bucket, key } = job
  const what = `S3 multipart upload of ${key}`
  if (job.signal?.aborted) throw aborted(what)
  const created = await client
    .send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: job.contentType, Metadata: job.metadata }), { abortSignal: job.signal })
    .catch((err: unknown) => { throw job.signal?.aborted ? aborted(what, err) : remoteError(what, err) })
  const uploadId = created.UploadId!

  // One controller stops every part: the caller's abort, or the first failed part.
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  job.signal?.addEventListener('abort', onAbort, { once: true })
  const nextPart = partReader(job.chunks, job.partSize)
  const parts: { PartNumber: number; ETag: string }[] = []
  let size = 0
  let failure: unknown
  const uploader = async () => {
    while (!stop.signal.aborted) {
      // A body that stalls must not hold an aborted upload open.
      const part = await unlessAborted(nextPart(), stop.signal)
      if (part === ABORTED || !part) return
      size += part.bytes.length
      const r = await client.send(
        new sdk.UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: part.number, Body: part.bytes, ContentLength: part.bytes.length }),
        { abortSignal: stop.signal },
      )
      parts.push({ PartNumber: part.number, ETag: r.ETag! })
    }
  }
  try {
    await Promise.all(
      Array.from({ length: job.concurrency }, () =>
        uploader().catch((err: unknown) => {
          failure ??= err
          stop.abort()
        }),
      ),
    )
    if (!stop.signal.aborted) {
      parts.sort((a, b) => a.PartNumber - b.PartNumber)
      const done = await client.send(new sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }))
      return { etag: unquote(done.ETag), size, parts: parts.length }
    }
  } catch (err) {
    failure ??= err
  } finally {
    job.signal?.removeEventListener('abort', onAbort)
  }
  // Every part request has settled: nothing can add a part after this.
  try {
    await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
  } catch (err) {
    throw remoteError(`${what}: AbortMultipartUpload of ${uploadId} failed, parts may be left (${String(failure ?? 'aborted')})`, err)
  }
  if (job.signal?.aborted) throw aborted(what, failure)
  throw remoteError(what, failure)
}

/** Reads the stream into numbered parts of exactly `partSize` bytes (the last one shorter), in order. */
function partReader(chunks: AsyncIterator<Uint8Array>, partSize: number): () => Promise<{ number: number; bytes: Buffer } | undefined> {
  let carry: Uint8Array | undefined
  let ended = false
  let number = 0
  let chain: Promise<unknown> = Promise.resolve()
  const read = async () => {
    if (ended && !carry) return undefined
    const part = Buffer.allocUnsafe(partSize)
    let filled = 0
    while (filled < partSize) {
      if (!carry) {
        if (ended) break
        const r = await chunks.next()
        if (r.done) {
          ended = true
          break
        }
        carry = r.value
      }
      const take = Math.min(carry.length, partSize - filled)
      part.set(carry.subarray(0, take), filled)
      filled += take
      carry = take < carry.length ? carry.subarray(take) : undefined
    }
    if (filled === 0) return undefined
    return { number: ++number, bytes: filled < partSize ? part.subarray(0, filled) : part }
  }
  // Uploaders ask concurrently; reads of one stream must not interleave.
  return () => {
    const next = chain.then(read)
    chain = next.catch(() => {})
    return next
  }
}

export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '')
}
