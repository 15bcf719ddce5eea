/**
 * serveBlob: answers an HTTP GET or HEAD for one blob from a DiskCache, an S3Store or a BlobCache, with
 * what a video player needs to seek: `Range` (206, suffix ranges, 416 past the end), `Accept-Ranges`,
 * `Content-Length`, and `ETag` / `If-None-Match` (304) / `If-Range`. The blob is opened once, so the
 * headers and the bytes always come from the same version, however long the transfer takes.
 *
 * Several ranges in one request (`bytes=0-1,5-6`) get the whole blob with 200, as RFC 9110 allows;
 * multipart/byteranges responses are not produced (players ask for one range at a time).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { isCortadoError } from '../../errors.js'
import type { BlobHandle, BlobSource, ByteRange } from './blob-handle.js'
import { checkBlobKey } from './keys.js'
import { parseRangeHeader } from './range.js'
import { blobOptions, SERVE_OPTIONS } from './options.js'

/** Options of `serveBlob`. */
export interface ServeBlobOptions {
  /** Sent as Cache-Control on 200, 206 and 304 answers. */
  cacheControl?: string
  /** Told of a failure the client could only see as an error status or a cut transfer. */
  onError?: (err: unknown) => void
}

/**
 * Answers the request and resolves with the status sent: failures of the request or the source become
 * 4xx/5xx. It rejects only for its own bad options (ERR_INVALID_OPTION, a programming error), after
 * answering 500 so the client is not left waiting.
 */
export async function serveBlob(req: IncomingMessage, res: ServerResponse, source: BlobSource, key: string, serveOptions?: ServeBlobOptions): Promise<number> {
  let options: ServeBlobOptions
  try {
    options = blobOptions(serveOptions, 'serveBlob', SERVE_OPTIONS, "{ cacheControl: 'public, max-age=3600' }")
  } catch (err) {
    finish(res, 500)
    throw err
  }
  const method = req.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') return finish(res, 405, { Allow: 'GET, HEAD' })
  try {
    checkBlobKey(key, 'serveBlob')
  } catch (err) {
    options.onError?.(err)
    return finish(res, 400)
  }
  let handle: BlobHandle | undefined
  try {
    handle = await source.openBlob(key)
  } catch (err) {
    options.onError?.(err)
    return finish(res, isCortadoError(err, 'ERR_REMOTE') ? 502 : 500)
  }
  if (!handle) return finish(res, 404)

  const headers: Record<string, string | number> = {
    ETag: `"${handle.etag}"`,
    'Accept-Ranges': 'bytes',
    'Content-Type': handle.contentType ?? 'application/octet-stream',
  }
  if (handle.lastModified) headers['Last-Modified'] = handle.lastModified.toUTCString()
  if (options.cacheControl !== undefined) headers['Cache-Control'] = options.cacheControl

  if (noneMatch(req.headers['if-none-match'], handle.etag)) {
    await handle.close()
    return finish(res, 304, headers)
  }
  let range: ByteRange | undefined
  let status = 200
  if (method === 'GET' && ifRangeHolds(req.headers['if-range'] as string | undefined, handle)) {
    const asked = parseRangeHeader(req.headers.range, handle.size)
    if (asked.kind === 'unsatisfiable') {
      await handle.close()
      return finish(res, 416, { ...headers, 'Content-Range': `bytes */${handle.size}` })
    }
    if (asked.kind === 'range') {
      range = asked.range
      status = 206
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${handle.size}`
    }
  }
  headers['Content-Length'] = range ? range.end - range.start + 1 : handle.size
  if (method === 'HEAD') {
    await handle.close()
    return finish(res, status, headers)
  }

  let body
  try {
    body = await handle.stream(range)
  } catch (err) {
    await handle.close().catch(() => {})
    options.onError?.(err)
    return finish(res, isCortadoError(err, 'ERR_REMOTE') ? 502 : 500)
  }
  res.writeHead(status, headers)
  try {
    await pipeline(body, res)
  } catch (err) {
    // A client that goes away mid-transfer is normal for video; anything else is worth telling.
    if (!res.destroyed || !isPrematureClose(err)) options.onError?.(err)
    res.destroy()
  } finally {
    await handle.close().catch(() => {})
  }
  return status
}

function finish(res: ServerResponse, status: number, headers: Record<string, string | number> = {}): number {
  res.writeHead(status, status === 304 || status === 405 || headers['Content-Length'] !== undefined ? headers : { ...headers, 'Content-Length': 0 })
  res.end()
  return status
}

/** If-None-Match: a list of ETags (weak ones compare equal too, RFC 9110 §13.1.2) or `*`. */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${etag}"`)
}

/** If-Range: the range applies only while the client's ETag (strong) or date is still current. */
function ifRangeHolds(header: string | undefined, handle: BlobHandle): boolean {
  if (header === undefined) return true
  const value = header.trim()
  if (value.startsWith('"')) return value === `"${handle.etag}"`
  if (value.startsWith('W/')) return false
  const date = Date.parse(value)
  return handle.lastModified !== undefined && Number.isFinite(date) && Math.floor(handle.lastModified.getTime() / 1000) * 1000 <= date
}

function isPrematureClose(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE'
}
