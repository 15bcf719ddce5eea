/**
 * File naming and the file-system calls of the store, with their errors turned into CortadoErrors.
 *
 * A store directory holds `NNNNNNNNNN.log` segments (ids ascending in write order: a later id's records
 * win), `NNNNNNNNNN.hint` beside the sealed ones, `*.tmp` while compaction writes, and `LOCK`.
 */
import * as fs from 'node:fs'
import { join } from 'node:path'
import { CortadoError } from '../../errors.js'

export const LOG_EXT = '.log'
export const HINT_EXT = '.hint'
export const TMP_EXT = '.tmp'

export function logName(id: number): string {
  return `${id.toString().padStart(10, '0')}${LOG_EXT}`
}

export function hintName(id: number): string {
  return `${id.toString().padStart(10, '0')}${HINT_EXT}`
}

/** The id of a segment or hint file name, or -1 for any other name. */
export function fileId(name: string, ext: string): number {
  if (!name.endsWith(ext) || name.length !== 10 + ext.length) return -1
  const id = Number(name.slice(0, 10))
  return Number.isInteger(id) ? id : -1
}

/** Wraps a file-system failure in the typed error callers branch on, saying what was being done. */
export function ioError(cause: unknown, what: string): CortadoError {
  if (cause instanceof CortadoError) return cause
  const code = (cause as NodeJS.ErrnoException)?.code
  const why = code === 'EACCES' || code === 'EPERM' ? 'no permission'
    : code === 'ENOSPC' ? 'the disk is full'
    : code === 'ENOTDIR' ? 'a path component is not a directory'
    : cause instanceof Error ? cause.message : String(cause)
  return new CortadoError('ERR_IO', `${what}: ${why}${code ? ` (${code})` : ''}`, { cause })
}

/** Creates `dir` if needed and checks it is a directory we may write in; `kind` names the store in errors. */
export function prepareDirectory(dir: string, kind = 'LogStore'): void {
  let stat: fs.Stats
  try {
    fs.mkdirSync(dir, { recursive: true })
    stat = fs.statSync(dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new CortadoError('ERR_INVALID_OPTION', `${kind}: ${dir} is not a directory`)
    throw ioError(e, `${kind}: cannot create ${dir}`)
  }
  if (!stat.isDirectory()) throw new CortadoError('ERR_INVALID_OPTION', `${kind}: ${dir} is not a directory`)
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK)
  } catch (e) {
    throw ioError(e, `${kind}: cannot use ${dir}`)
  }
}

/** Makes renames and creations in `dir` durable (a file's own fsync does not cover its directory entry). */
export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

export function syncDirectoryAsync(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(dir, 'r', (err, fd) => {
      if (err) return reject(err)
      fs.fsync(fd, (syncErr) => fs.close(fd, () => (syncErr ? reject(syncErr) : resolve())))
    })
  })
}

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())))
}

export function pathOf(dir: string, name: string): string {
  return join(dir, name)
}

/** Reads exactly `length` bytes at `position` (readSync may return fewer). */
export function readFully(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  let done = 0
  while (done < length) {
    const n = fs.readSync(fd, buf, offset + done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done
}

export function writeFully(fd: number, buf: Uint8Array, offset: number, length: number): void {
  let done = 0
  while (done < length) done += fs.writeSync(fd, buf, offset + done, length - done)
}
