/**
 * Presigned URLs: a signed PUT or GET for one key that a browser or another service uses directly with
 * plain HTTP, so uploads and downloads need not pass through this server.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { CortadoError, shown } from '../../errors.js'
import { loadPresigner, loadSdk } from './s3-client.js'

/** Options of `S3Store.presignPut` and `S3Store.presignGet`. */
export interface PresignOptions {
  /** Seconds the URL stays valid: 1 to 604 800 (7 days, S3's limit). Default 900. */
  expiresIn?: number
}

export async function presign(client: S3Client, op: 'put' | 'get', bucket: string, key: string, options: PresignOptions & { contentType?: string }): Promise<string> {
  const expiresIn = options.expiresIn ?? 900
  if (typeof expiresIn !== 'number' || !Number.isSafeInteger(expiresIn) || expiresIn < 1 || expiresIn > 604_800)
    throw new CortadoError('ERR_INVALID_OPTION', `expiresIn must be whole seconds from 1 to 604800, got ${shown(expiresIn)}`)
  const [sdk, { getSignedUrl }] = await Promise.all([loadSdk(), loadPresigner()])
  const command = op === 'put'
    ? new sdk.PutObjectCommand({ Bucket: bucket, Key: key, ContentType: options.contentType })
    : new sdk.GetObjectCommand({ Bucket: bucket, Key: key })
  return getSignedUrl(client, command, { expiresIn })
}
