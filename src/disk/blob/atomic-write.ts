/**
 * Writes a blob so that no reader, in any thread or process, ever sees part of it: the header and data
 * go to a temporary file in the target's folder, which is renamed over the target (atomic within one
 * file system). On any failure the temporary file is removed and the old blob, if any, is untouched. A
 * process killed mid-write leaves only the temporary file, which the next sweep removes (see gc.ts).
 *
 * How much of that reaches the device before the put resolves is the durability level:
 *   - 'os':         fdatasync the file, rename, fsync the folder (two flushes). The new version survives
 *                   an OS crash or power loss.
 *   - 'os-or-miss': rename, fsync the folder (one flush): the rename survives, the data may not; the
 *                   data's CRC and the boot id in the header let the first reader after a crash tell.
 *   - 'process':    rename, no flush: survives the process, not the OS; torn files caught the same way.
 * Every level stores the data's CRC-32 (computed here while the thread pool writes the data).
 *
 * The temporary file of a whole body is created and closed, and the header written, with the calling
 * thread's own calls (page cache only, a few microseconds each). Small whole bodies (up to `inlineBytes`, 64 KiB by
 * default) are written that way too; larger ones go to the thread pool, which copies them into the page
 * cache while this thread computes their CRC. The flushes and the rename (which on ext4 starts writing
 * the new file's data out when it replaces one) stay asynchronous; for large bodies the replaced version
 * is held open across the rename, so its blocks are freed after it. Folder flushes are shared: puts that
 * renamed into a folder while its flush was running share the next one (each still waits for a flush
 * that began after its rename).
 */
import { close, closeSync, fdatasync, fsync, mkdirSync, openSync, unlinkSync, write, writeSync, writevSync } from 'node:fs'
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Readable } from 'node:stream'
import { CortadoError, shown } from '../../errors.js'
import { BOOT_ID, dataCrc32 } from './checksum.js'
import { encodeHeader, headerLength, type HeaderFields, type Seal } from './header.js'
import { ioError, isMissing } from '../../io-errors.js'
import { tempPath, type BlobPaths } from './layout.js'

/** What a blob can be written from: bytes, a string (written as UTF-8), a stream or an async iterable of chunks. */
export type BlobBody = Uint8Array | string | Readable | AsyncIterable<Uint8Array | string>

/** How much of a put reaches the device before it resolves (see the file comment and DiskCacheOptions.durability). */
export type BlobDurability = 'os' | 'os-or-miss' | 'process'

export const DURABILITY_LEVELS: readonly BlobDurability[] = ['os', 'os-or-miss', 'process']

/** Temporary files being written by this thread: a sweep must leave them alone. */
export const writingHere = new Set<string>()

export interface WriteOptions {
  durability: BlobDurability
  /** Whole bodies up to this many bytes are written by the calling thread (see above); 0 = never. */
  inlineBytes: number
  /** A file (header + data) longer than this is refused with ERR_CAPACITY before it is published. */
  maxLength?: number
}

/**
 * A chunk of a streamed body as bytes. Anything else (numbers, objects of an object-mode stream) is
 * refused: written as it came, such a chunk was skipped without a word and the put stored a short or
 * empty blob.
 */
export function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (typeof chunk === 'string') return Buffer.from(chunk)
  throw new CortadoError('ERR_INVALID_VALUE', `a streamed blob must yield Uint8Array (or string) chunks, got ${shown(chunk)}`)
}

/** Such a blob would be the first thing the next GC run (which its put starts) removes: refused instead. */
function tooLarge(length: number, maxLength: number, atLeast: string): CortadoError {
  return new CortadoError('ERR_CAPACITY', `a blob file of ${atLeast}${length} bytes (header included) exceeds the cache's maxBytes of ${maxLength}: the GC would remove it at once`)
}

/** The CRC of a large body is computed this many bytes at a time, letting the event loop run in between. */
const CRC_SLICE = 1 << 20

/** Writes the blob and returns its file's length (header + data). */
export async function writeAtomic(paths: BlobPaths, fields: HeaderFields, body: BlobBody, options: WriteOptions): Promise<number> {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    return writeWhole(paths, fields, typeof body === 'string' ? Buffer.from(body) : body, options)
  }
  const temp = tempPath(paths)
  writingHere.add(temp)
  let fh: FileHandle | undefined
  try {
    const made = await createTemp(paths.folder, temp)
    fh = made.fh
    const length = await writeStreamed(fh, fields, body, options.durability !== 'os', options.maxLength)
    if (options.durability === 'os') await fh.datasync()
    await fh.close()
    fh = undefined
    await publish(temp, paths, options.durability, true, made.created)
    return length
  } catch (err) {
    await fh?.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw ioError(err, `writing ${paths.file}`)
  } finally {
    writingHere.delete(temp)
  }
}

function seal(dataCrc: number, unflushed: boolean): Seal {
  return { dataCrc, unflushedBoot: unflushed ? BOOT_ID : undefined }
}

/** The temporary file, and the outermost folder created for it (undefined when none was). */
async function createTemp(folder: string, temp: string): Promise<{ fh: FileHandle; created: string | undefined }> {
  try {
    return { fh: await open(temp, 'wx', 0o644), created: undefined }
  } catch (err) {
    if (!isMissing(err)) throw err
    const created = await mkdir(folder, { recursive: true })
    return { fh: await open(temp, 'wx', 0o644), created }
  }
}

async function writeFrom(fh: FileHandle, bytes: Uint8Array, from: number): Promise<void> {
  let at = from
  while (at < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, at, bytes.length - at, at)
    at += bytesWritten
  }
}

/** Data after a reserved header, then the header with the size and CRC now known. */
async function writeStreamed(fh: FileHandle, fields: HeaderFields, body: Readable | AsyncIterable<Uint8Array | string>, unflushed: boolean, maxLength: number | undefined): Promise<number> {
  const start = headerLength(fields, unflushed)
  let position = start
  let crc = 0
  for await (const chunk of body) {
    const bytes = chunkBytes(chunk)
    if (maxLength !== undefined && position + bytes.length > maxLength) throw tooLarge(position + bytes.length, maxLength, 'at least ')
    let done = 0
    while (done < bytes.length) {
      const writing = fh.write(bytes, done, bytes.length - done, position)
      // The CRC of the chunk while the thread pool writes it (once, on the first attempt).
      if (done === 0) crc = dataCrc32(bytes, crc)
      const { bytesWritten } = await writing
      done += bytesWritten
      position += bytesWritten
    }
  }
  await writeFrom(fh, encodeHeader(fields, position - start, seal(crc, unflushed)), 0)
  return position
}

/** A whole body: the temporary file created, written (small bodies) and closed on the calling thread. */
async function writeWhole(paths: BlobPaths, fields: HeaderFields, data: Uint8Array, options: WriteOptions): Promise<number> {
  const unflushed = options.durability !== 'os'
  const total = headerLength(fields, unflushed) + data.length
  if (options.maxLength !== undefined && total > options.maxLength) throw tooLarge(total, options.maxLength, '')
  const temp = tempPath(paths)
  writingHere.add(temp)
  let fd = -1
  let pending: Promise<void> | undefined
  try {
    let created: string | undefined
    ;({ fd, created } = createTempSync(paths.folder, temp))
    let length: number
    if (data.length <= options.inlineBytes) {
      const header = encodeHeader(fields, data.length, seal(dataCrc32(data), unflushed))
      length = header.length + data.length
      const written = writevSync(fd, [header, data], 0)
      // writev may write less than asked (a signal, a nearly full disk): finish the rest by position.
      if (written < length) writeAllSync(fd, Buffer.concat([header, data]), written)
    } else {
      const at = headerLength(fields, unflushed)
      pending = writeAllAt(fd, data, at)
      // Handled now (awaited below): a failure while the CRC is computed must not count as unhandled.
      pending.catch(noop)
      const crc = await crcOf(data)
      const header = encodeHeader(fields, data.length, seal(crc, unflushed))
      await pending
      pending = undefined
      writeAllSync(fd, header, 0)
      length = at + data.length
    }
    if (options.durability === 'os') await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())))
    closeSync(fd)
    fd = -1
    // Large bodies only hold the old version open: a small file's blocks are freed quickly, and the
    // extra open and close cost more.
    await publish(temp, paths, options.durability, data.length > options.inlineBytes, created)
    return length
  } catch (err) {
    // A data write still in the thread pool must finish before its file descriptor is closed.
    await pending?.catch(() => {})
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

/**
 * Renames the finished temporary file over the blob, asynchronously (replacing a file makes ext4
 * (auto_da_alloc) start writing the new one's data out first, which can take a millisecond the event
 * loop should not wait for), holding the replaced version open across it when `holdOld` (openOld), then
 * flushes the folder unless the durability is 'process'.
 */
async function publish(temp: string, paths: BlobPaths, durability: BlobDurability, holdOld: boolean, created: string | undefined): Promise<void> {
  const old = holdOld ? openOld(paths.file) : -1
  try {
    await rename(temp, paths.file)
  } finally {
    if (old >= 0) close(old, noop)
  }
  if (durability !== 'process') await Promise.all([paths.folder, ...parentsOfCreated(paths.folder, created)].map((f) => folderFlushes.flush(f)))
}

/**
 * Makes the removal of a blob from `folder` durable (a delete at durability 'os' or 'os-or-miss'):
 * without it a power loss can bring back the version a delete removed (found by
 * blob-crash-points.test.ts). Shares folder flushes with puts.
 */
export function flushFolder(folder: string): Promise<void> {
  return folderFlushes.flush(folder)
}

/**
 * The version a rename will replace, held open across the rename: the replaced file's blocks are then
 * freed when that descriptor is closed, by the thread pool after the rename, instead of inside the
 * rename the put waits for. -1 when there is none (or it cannot be opened: then the rename frees it).
 */
function openOld(file: string): number {
  try {
    return openSync(file, 'r')
  } catch {
    return -1
  }
}

/** CRC-32 of a large body, a slice at a time with the event loop let through between slices. */
async function crcOf(data: Uint8Array): Promise<number> {
  let crc = dataCrc32(data.subarray(0, CRC_SLICE))
  for (let at = CRC_SLICE; at < data.length; at += CRC_SLICE) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    crc = dataCrc32(data.subarray(at, at + CRC_SLICE), crc)
  }
  return crc
}

/** All of `bytes` at file position `at`, through the thread pool (short writes continued). */
function writeAllAt(fd: number, bytes: Uint8Array, at: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = 0
    const step = (): void => {
      write(fd, bytes, done, bytes.length - done, at + done, (err, n) => {
        if (err) return reject(err)
        done += n
        if (done < bytes.length) step()
        else resolve()
      })
    }
    if (bytes.length === 0) resolve()
    else step()
  })
}

function writeAllSync(fd: number, bytes: Uint8Array, from: number): void {
  for (let at = from; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, at)
}

function createTempSync(folder: string, temp: string): { fd: number; created: string | undefined } {
  try {
    return { fd: openSync(temp, 'wx', 0o644), created: undefined }
  } catch (err) {
    if (!isMissing(err)) throw err
    const created = mkdirSync(folder, { recursive: true })
    return { fd: openSync(temp, 'wx', 0o644), created }
  }
}

/**
 * The folders whose entries a put that created folders (`created`, the outermost, down to `folder`)
 * must flush besides `folder`: each new folder is an entry of its parent, and a folder's fsync makes
 * only its own entries durable. Without them, a power loss could take a new key's folder, and with it
 * the blob whose rename was flushed (found by blob-crash-points.test.ts).
 */
function parentsOfCreated(folder: string, created: string | undefined): string[] {
  if (created === undefined) return []
  const out: string[] = []
  for (let f = folder; f !== created && f.length > created.length; f = dirname(f)) out.push(dirname(f))
  out.push(dirname(created))
  return [...new Set(out)]
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
