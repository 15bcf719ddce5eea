/**
 * Writes a blob so that no reader, in any thread or process, ever sees part of it: the header and data
 * go to a temporary file in the target's folder, which is flushed (fsync), renamed over the target
 * (atomic within one file system) and the folder flushed too, so the rename itself survives a crash.
 * On any failure the temporary file is removed and the old blob, if any, is untouched. A process killed
 * mid-write leaves only the temporary file, which the next sweep removes (see sweep.ts).
 */
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { encodeHeader, headerLength, type HeaderFields } from './header.js'
import { ioError, isMissing } from './io-errors.js'
import { tempPath, type BlobPaths } from './layout.js'

/** What a blob can be written from: bytes, a string (written as UTF-8), a stream or an async iterable of chunks. */
export type BlobBody = Uint8Array | string | Readable | AsyncIterable<Uint8Array | string>

/** Temporary files being written by this thread: a sweep must leave them alone. */
export const writingHere = new Set<string>()

export interface WriteOptions {
  fsync: boolean
}

/** Writes the blob and returns its file's length (header + data). */
export async function writeAtomic(paths: BlobPaths, fields: HeaderFields, body: BlobBody, options: WriteOptions): Promise<number> {
  const temp = tempPath(paths)
  writingHere.add(temp)
  let fh: FileHandle | undefined
  try {
    fh = await createTemp(paths.folder, temp)
    const length = typeof body === 'string' || body instanceof Uint8Array
      ? await writeWhole(fh, fields, typeof body === 'string' ? Buffer.from(body) : body)
      : await writeStreamed(fh, fields, body)
    if (options.fsync) await fh.datasync()
    await fh.close()
    fh = undefined
    await rename(temp, paths.file)
    if (options.fsync) await syncFolder(paths.folder)
    return length
  } catch (err) {
    await fh?.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw ioError(err, `writing ${paths.file}`)
  } finally {
    writingHere.delete(temp)
  }
}

async function createTemp(folder: string, temp: string): Promise<FileHandle> {
  try {
    return await open(temp, 'wx', 0o644)
  } catch (err) {
    if (!isMissing(err)) throw err
    await mkdir(folder, { recursive: true })
    return await open(temp, 'wx', 0o644)
  }
}

async function writeWhole(fh: FileHandle, fields: HeaderFields, data: Uint8Array): Promise<number> {
  const header = encodeHeader(fields, data.length)
  const { bytesWritten } = await fh.writev([header, data], 0)
  const length = header.length + data.length
  // writev may write less than asked (a signal, a nearly full disk): finish the rest by position.
  if (bytesWritten < length) await writeFrom(fh, Buffer.concat([header, data]), bytesWritten)
  return length
}

async function writeFrom(fh: FileHandle, bytes: Uint8Array, from: number): Promise<void> {
  let at = from
  while (at < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, at, bytes.length - at, at)
    at += bytesWritten
  }
}

/** Data after a reserved header, then the header with the size now known. */
async function writeStreamed(fh: FileHandle, fields: HeaderFields, body: Readable | AsyncIterable<Uint8Array | string>): Promise<number> {
  const start = headerLength(fields)
  let position = start
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    let done = 0
    while (done < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position)
      done += bytesWritten
      position += bytesWritten
    }
  }
  await writeFrom(fh, encodeHeader(fields, position - start), 0)
  return position
}

async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}
