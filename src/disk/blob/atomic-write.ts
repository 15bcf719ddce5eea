/**
 * Writes a blob so that no reader, in any thread or process, ever sees part of it: the header and data
 * go to a temporary file in the target's folder, which is flushed (fsync), renamed over the target
 * (atomic within one file system) and the folder flushed too, so the rename itself survives a crash.
 * On any failure the temporary file is removed and the old blob, if any, is untouched. A process killed
 * mid-write leaves only the temporary file, which the next sweep removes (see gc.ts).
 *
 * Small whole bodies (up to `inlineBytes`, 64 KiB by default) take the short path: the calls that only
 * touch the page cache (open, one writev of header + data, close) run on the calling thread, a few
 * microseconds each, instead of one thread-pool round trip each; the flushes and the rename (which on
 * ext4 starts writing the new file's data out when it replaces one) stay asynchronous. The steps and
 * their order are the same on both paths, so are the promises. Folder flushes are shared: puts that renamed into a folder while its flush was
 * running share the next one (each still waits for a flush that began after its rename).
 */
import { closeSync, fdatasync, fsync, mkdirSync, openSync, unlinkSync, writeSync, writevSync } from 'node:fs'
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { encodeHeader, headerLength, type HeaderFields } from './header.js'
import { ioError, isMissing } from '../../io-errors.js'
import { tempPath, type BlobPaths } from './layout.js'

/** What a blob can be written from: bytes, a string (written as UTF-8), a stream or an async iterable of chunks. */
export type BlobBody = Uint8Array | string | Readable | AsyncIterable<Uint8Array | string>

/** Temporary files being written by this thread: a sweep must leave them alone. */
export const writingHere = new Set<string>()

export interface WriteOptions {
  fsync: boolean
  /** Whole bodies up to this many bytes take the short path (see above); 0 = never. */
  inlineBytes: number
}

/** Writes the blob and returns its file's length (header + data). */
export async function writeAtomic(paths: BlobPaths, fields: HeaderFields, body: BlobBody, options: WriteOptions): Promise<number> {
  if (typeof body === 'string' && body.length * 3 <= options.inlineBytes) return writeInline(paths, fields, Buffer.from(body), options.fsync)
  if (body instanceof Uint8Array && body.length <= options.inlineBytes) return writeInline(paths, fields, body, options.fsync)
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
    if (options.fsync) await folderFlushes.flush(paths.folder)
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

/** The short path for small whole bodies: the same steps, only the flushes leave the calling thread. */
async function writeInline(paths: BlobPaths, fields: HeaderFields, data: Uint8Array, flush: boolean): Promise<number> {
  const temp = tempPath(paths)
  writingHere.add(temp)
  let fd = -1
  try {
    fd = createTempSync(paths.folder, temp)
    const header = encodeHeader(fields, data.length)
    const length = header.length + data.length
    const written = writevSync(fd, [header, data], 0)
    // writev may write less than asked (a signal, a nearly full disk): finish the rest by position.
    if (written < length) {
      const whole = Buffer.concat([header, data])
      for (let at = written; at < length;) at += writeSync(fd, whole, at, length - at, at)
    }
    if (flush) await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())))
    closeSync(fd)
    fd = -1
    // Asynchronous: replacing a file makes ext4 (auto_da_alloc) start writing the new one's data out
    // first, which can take a millisecond the event loop should not wait for.
    await rename(temp, paths.file)
    if (flush) await folderFlushes.flush(paths.folder)
    return length
  } catch (err) {
    if (fd >= 0) {
      try {
        closeSync(fd)
      } catch { /* already failing */ }
    }
    try {
      unlinkSync(temp)
    } catch { /* never created, or already renamed */ }
    throw ioError(err, `writing ${paths.file}`)
  } finally {
    writingHere.delete(temp)
  }
}

function createTempSync(folder: string, temp: string): number {
  try {
    return openSync(temp, 'wx', 0o644)
  } catch (err) {
    if (!isMissing(err)) throw err
    mkdirSync(folder, { recursive: true })
    return openSync(temp, 'wx', 0o644)
  }
}

/**
 * Folder flushes, shared per folder: a call made while a flush of that folder runs waits for the next
 * one, which every call made meanwhile shares. Each caller so waits for a flush that began after it
 * called (after its rename), never for one that may have missed it.
 */
class FolderFlushes {
  private readonly folders = new Map<string, { running: Promise<void> | undefined; next: Promise<void> | undefined }>()

  flush(folder: string): Promise<void> {
    let state = this.folders.get(folder)
    if (state === undefined) {
      state = { running: undefined, next: undefined }
      this.folders.set(folder, state)
    }
    if (state.running === undefined) return this.start(folder, state)
    const s = state
    s.next ??= state.running.then(noop, noop).then(() => {
      s.next = undefined
      return this.start(folder, s)
    })
    return s.next
  }

  private start(folder: string, state: { running: Promise<void> | undefined; next: Promise<void> | undefined }): Promise<void> {
    const run = syncFolder(folder).finally(() => {
      if (state.running === run) state.running = undefined
      if (state.running === undefined && state.next === undefined && this.folders.get(folder) === state) this.folders.delete(folder)
    })
    state.running = run
    return run
  }
}

const noop = (): void => {}
const folderFlushes = new FolderFlushes()

/** fsync of a folder: opening and closing it touch no device, so only the flush leaves the thread. */
function syncFolder(folder: string): Promise<void> {
  let fd: number
  try {
    fd = openSync(folder, 'r')
  } catch (err) {
    return Promise.reject(err)
  }
  return new Promise<void>((resolve, reject) => {
    fsync(fd, (err) => {
      try {
        closeSync(fd)
      } catch { /* the flush result is what counts */ }
      if (err) reject(err)
      else resolve()
    })
  })
}
