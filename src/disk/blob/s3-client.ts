/**
 * The AWS SDK, loaded on first use: @aws-sdk/client-s3 (and @aws-sdk/s3-request-presigner for presigned
 * URLs) are optional peer dependencies, so importing `cortado/disk` costs nothing without them. Also
 * turns SDK failures into typed errors.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import { CortadoError } from '../../errors.js'

export type S3Sdk = typeof import('@aws-sdk/client-s3')
export type Presigner = typeof import('@aws-sdk/s3-request-presigner')

let sdk: Promise<S3Sdk> | undefined
let presigner: Promise<Presigner> | undefined

export function loadSdk(): Promise<S3Sdk> {
  sdk ??= import('@aws-sdk/client-s3').catch((err: unknown) => {
    sdk = undefined
    throw missing('@aws-sdk/client-s3', err)
  })
  return sdk
}

export function loadPresigner(): Promise<Presigner> {
  presigner ??= import('@aws-sdk/s3-request-presigner').catch((err: unknown) => {
    presigner = undefined
    throw missing('@aws-sdk/s3-request-presigner', err)
  })
  return presigner
}

function missing(name: string, cause: unknown): CortadoError {
  return new CortadoError('ERR_ENGINE_UNAVAILABLE', `S3Store needs the optional peer dependency ${name}: npm install ${name}`, { cause })
}

export interface S3Connection {
  /** The server's URL (MinIO, s3rver or another S3-compatible server); AWS's endpoint for `region` when undefined. */
  endpoint?: string
  /** The bucket's region. Default 'us-east-1'. */
  region?: string
  /** Static credentials; the AWS SDK's default provider chain (environment, profile, instance role) when undefined. */
  credentials?: {
    /** The access key ID. */
    accessKeyId: string
    /** The secret access key. */
    secretAccessKey: string
    /** The session token of temporary credentials (STS); none when undefined. */
    sessionToken?: string
  }
  /** Address buckets as `endpoint/bucket` instead of `bucket.endpoint` (MinIO and most S3-compatible servers need it). SDK default when undefined (false). */
  forcePathStyle?: boolean
}

/**
 * A client for the connection options. Checksums only when an operation requires them (the SDK's
 * behaviour before 2025): S3-compatible servers (MinIO, s3rver, Ceph) differ in what they accept, and
 * presigned PUT URLs would otherwise carry a checksum of an empty body that the uploader cannot match.
 */
export async function createClient(c: S3Connection): Promise<S3Client> {
  const { S3Client } = await loadSdk()
  const config: S3ClientConfig = {
    region: c.region ?? 'us-east-1',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }
  if (c.endpoint !== undefined) config.endpoint = c.endpoint
  if (c.credentials !== undefined) config.credentials = c.credentials
  if (c.forcePathStyle !== undefined) config.forcePathStyle = c.forcePathStyle
  return new S3Client(config)
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
}

export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404
}

export function isAbort(err: unknown): boolean {
  return (err as { name?: string })?.name === 'AbortError'
}

export function aborted(what: string, cause?: unknown): CortadoError {
  return new CortadoError('ERR_ABORTED', `${what}: aborted`, { cause })
}

/**
 * `work`, or ABORTED as soon as `signal` aborts, whichever comes first. For waits on the caller's body:
 * a stream that stalls must not keep an aborted upload from settling.
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (signal === undefined) return work
  if (signal.aborted) {
    work.catch(() => {})
    return Promise.resolve(ABORTED)
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v) },
      (err: unknown) => { signal.removeEventListener('abort', onAbort); reject(err) },
    )
  })
}

export const ABORTED: unique symbol = Symbol('aborted')

export function remoteError(what: string, err: unknown): CortadoError {
  if (err instanceof CortadoError) return err
  const status = statusOf(err)
  const name = (err as { name?: string })?.name ?? 'Error'
  const message = err instanceof Error ? err.message : String(err)
  return new CortadoError('ERR_REMOTE', `${what}: ${name}${status ? ` (HTTP ${status})` : ''}: ${message}`, { cause: err })
}
