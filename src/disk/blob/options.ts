/**
 * The option names of every blob API, so that a misspelled option fails loudly (ERR_INVALID_OPTION, with
 * the closest known name) instead of being ignored: `highWaterMark` for `highWatermark` would otherwise
 * leave the GC at its default, and `{ tll: 5000 }` would store a blob that never expires.
 * Other caches' option names are not hinted here (their advice is about `new Cache`).
 */
import { CortadoError, shown } from '../../errors.js'
import { checkOptions } from '../../option-names.js'

const names = (...list: string[]): ReadonlySet<string> => new Set(list)

export const DISK_CACHE_OPTIONS = names(
  'dir', 'maxBytes', 'highWatermark', 'lowWatermark', 'ttl', 'durability', 'fsync', 'gcIntervalMs', 'touchAfterMs',
  'tempGraceMs', 'usageCheckMs', 'clock', 'inlineWriteBytes',
)
export const DISK_PUT_OPTIONS = names('ttl', 'contentType', 'etag')
export const READ_RANGE_OPTIONS = names('start', 'end')
export const S3_STORE_OPTIONS = names(
  'bucket', 'client', 'multipartThreshold', 'partSize', 'concurrency', 'endpoint', 'region', 'credentials', 'forcePathStyle',
)
export const S3_PUT_OPTIONS = names('contentType', 'signal', 'etag')
export const S3_GET_OPTIONS = names('range', 'signal', 'ifMatch')
export const S3_SIGNAL_OPTIONS = names('signal')
export const PRESIGN_GET_OPTIONS = names('expiresIn')
export const PRESIGN_PUT_OPTIONS = names('expiresIn', 'contentType')
export const BLOB_CACHE_OPTIONS = names('disk', 'store', 'missReads')
export const BLOB_CACHE_PUT_OPTIONS = names('contentType', 'ttl', 'signal')
export const SERVE_OPTIONS = names('cacheControl', 'onError')

/** `value` as an options object of `where` (undefined = none), refusing non-objects and unknown names. */
export function blobOptions<T extends object>(value: T | undefined, where: string, known: ReadonlySet<string>, example: string): Partial<T> {
  return checkOptions(value, where, known, example, false) as Partial<T>
}

/**
 * An optional text sent as an HTTP header (a content type, an ETag): visible ASCII and spaces only, so
 * none can split a response or be refused by an HTTP client as a remote failure.
 */
export function headerText(value: unknown, name: string, maxBytes: number): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > maxBytes || !/^[\x20-\x7e]+$/.test(value))
    throw new CortadoError('ERR_INVALID_OPTION', `${name} must be 1 to ${maxBytes} printable ASCII characters, got ${shown(value)}`)
  return value
}

/** An optional AbortSignal. */
export function checkSignal(value: unknown, where: string): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value
  throw new CortadoError('ERR_INVALID_OPTION', `${where}: signal must be an AbortSignal (e.g. AbortSignal.timeout(ms) or an AbortController's), got ${shown(value)}`)
}
