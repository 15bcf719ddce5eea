/**
 * Where a key's file lives: `dir/ab/cd/<sha-256 of the key, 64 hex digits>`. Two levels of 256
 * folders keep every folder small at millions of files; the hash makes any key a safe file name, and
 * the file's header keeps the original key so that a read checks it (two keys never share a file).
 *
 * Temporary files sit beside their target (a rename within one folder is atomic) and are named
 * `<hash>.<pid>-<threadId>-<random>.tmp`, so a sweep can tell a dead writer's leftover from a live one.
 */
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'

export interface BlobPaths {
  hash: string
  folder: string
  file: string
}

export function blobPaths(dir: string, key: string): BlobPaths {
  const hash = createHash('sha256').update(key).digest('hex')
  const folder = join(dir, hash.slice(0, 2), hash.slice(2, 4))
  return { hash, folder, file: join(folder, hash) }
}

export function tempPath(paths: BlobPaths): string {
  return `${paths.file}.${process.pid}-${threadId}-${randomBytes(6).toString('hex')}.tmp`
}

const BLOB_NAME = /^[0-9a-f]{64}$/
const TEMP_NAME = /^[0-9a-f]{64}\.(\d+)-(\d+)-[0-9a-f]+\.tmp$/
const SHARD_NAME = /^[0-9a-f]{2}$/

export const isBlobName = (name: string): boolean => BLOB_NAME.test(name)
export const isShardName = (name: string): boolean => SHARD_NAME.test(name)

/** The writer of a temporary file, or undefined when the name is not one of ours. */
export function tempOwner(name: string): { pid: number; threadId: number } | undefined {
  const m = TEMP_NAME.exec(name)
  return m ? { pid: Number(m[1]), threadId: Number(m[2]) } : undefined
}
