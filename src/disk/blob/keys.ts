/**
 * What a blob key may be: the same rule as an S3 object key (1 to 1024 UTF-8 bytes), so that a key
 * that works in a DiskCache also works in front of an S3Store. Keys never become file names (the
 * layout hashes them), so '/', '..' and NUL are fine.
 */
import { CortadoError } from '../../errors.js'
import { invalidKeyType, notWellFormed } from '../../keys.js'

/** The longest blob key, in UTF-8 bytes: S3's limit for an object key. */
export const MAX_BLOB_KEY_BYTES = 1024

export function checkBlobKey(key: unknown, where: string): asserts key is string {
  if (typeof key !== 'string') throw invalidKeyType(key, where)
  if (key.length === 0) throw new CortadoError('ERR_INVALID_KEY', `${where}: a blob key must not be empty`)
  if (!key.isWellFormed()) throw notWellFormed(key)
  const bytes = Buffer.byteLength(key)
  if (bytes > MAX_BLOB_KEY_BYTES) {
    throw new CortadoError('ERR_INVALID_KEY', `${where}: a blob key of ${bytes} UTF-8 bytes exceeds the maximum of ${MAX_BLOB_KEY_BYTES} (an S3 key's limit)`)
  }
}
