/**
 * Warm restarts: dump(path) writes every live entry with its remaining TTL; load(path) puts them back.
 *
 * Writing is atomic: a temporary file next to the target (unique name, mode 0600), fsync, rename over
 * the target, fsync of the directory. A crash at any point leaves either the previous file or the new
 * one, never a mix; at worst a stray `*.tmp` file. The dump is a fuzzy snapshot: entries are read a
 * chunk at a time while other threads keep writing, each chunk consistent on its own.
 *
 * Reading is all-or-nothing: the whole file is checked first (checksums, lengths, counts, end block),
 * and only a file that passes is applied, so a truncated or corrupt file changes nothing. (If the file
 * is rewritten in place between the check and the application, which a dump never does, the second
 * pass stops at the first block that no longer matches.)
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { threadId } from 'node:worker_threads'
import type { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import { ioError } from '../io-errors.js'
import * as L from '../layout/constants.generated.js'
import type { DumpResult, RestoreOptions, RestoreResult } from './types.js'
import { BLOCK_TARGET_BYTES, BlockWriter, FILE_HEADER_BYTES, badFile, encodeFileHeader, readDump } from './dump-format.js'
import { isErrorEnvelope } from '../codecs/envelope.js'
import { checkObject, invalid } from './options.js'
import { checkKnownKeys } from '../option-names.js'
import { supersede } from './single-flight.js'
import { stateOf } from './state.js'
import { coreOf } from '../engine/access.js'

const RESTORE_OPTIONS: ReadonlySet<string> = new Set(['ignoreMissing'])

function checkPath(path: unknown, what: string): string {
  if (typeof path !== 'string' || path.length === 0) {
    // lru-cache's dump() returns entries and its load(entries) takes them: say what to do here instead.
    const hint = what === 'dump' ? (path === undefined ? ' (dump writes a file; for entries in memory, iterate cache.entries())' : '')
      : Array.isArray(path) ? ' (restore reads a file written by dump(path); to store entries, use setMany(entries))' : ''
    throw invalid(`${what}(path): path must be a non-empty string${hint}`)
  }
  return path
}

/** A closed cache is refused before any file is opened (a missing file would otherwise answer first). */
function checkOpen(cache: Cache<unknown>): void {
  if (cache.closed) throw new CortadoError('ERR_CLOSED', `cache${cache.name ? ` '${cache.name}'` : ''} is closed`)
}

export async function dump<V>(cache: Cache<V>, path: string): Promise<DumpResult> {
  checkPath(path, 'dump')
  checkOpen(cache)
  const core = coreOf<V>(cache)
  const clock = core.clock
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`)
  let fh: FileHandle | undefined
  try {
    fh = await open(tmp, 'wx', 0o600)
    const now = clock()
    let position = 0
    // A write may write less than asked without an error (a nearly full disk, a signal): the rest is
    // written after it. Counting the whole buffer left a hole of zeros, a dump that resolved and then
    // failed its checksum on restore (test/loading/dump-crash-points.test.ts).
    const write = async (b: Uint8Array) => {
      for (let done = 0; done < b.length;) {
        const { bytesWritten } = await fh!.write(b, done, b.length - done, position)
        // Never for a regular file; refused rather than looped on.
        if (bytesWritten <= 0) throw new Error(`write of ${b.length - done} bytes wrote nothing`)
        done += bytesWritten
        position += bytesWritten
      }
    }
    await write(encodeFileHeader(now))
    const w = new BlockWriter()
    for (const e of core.rawEntries()) {
      // Cached failures are transient by nature; they don't survive a restart.
      if (e.kind === L.KIND_LOADED && isErrorEnvelope(e.bytes!)) continue
      const ttl = e.expiry === Infinity ? Infinity : e.expiry - now
      if (!(ttl > 0)) continue
      w.add(e.key, e.kind, e.bytes!, ttl)
      if (w.pendingBytes >= BLOCK_TARGET_BYTES) await write(w.takeBlock())
    }
    await write(w.takeBlock())
    await write(w.endBlock())
    await fh.sync()
    await fh.close()
    fh = undefined
    await rename(tmp, path)
    await syncDirectory(dirname(path))
    return { entries: w.total, bytes: position }
  } catch (e) {
    await fh?.close().catch(() => {})
    await unlink(tmp).catch(() => {})
    // A full disk is ERR_NO_SPACE, any other file-system failure ERR_IO (the system error in `cause`).
    throw ioError(e, `dump(${path})`)
  }
}

/** Makes the rename durable (best effort: some platforms and file systems refuse to sync directories). */
async function syncDirectory(dir: string): Promise<void> {
  let d: FileHandle | undefined
  try {
    d = await open(dir, 'r')
    await d.sync()
  } catch {
    // Not supported here; the rename is still atomic, only its durability on power loss is weaker.
  } finally {
    await d?.close().catch(() => {})
  }
}

export async function restore<V>(cache: Cache<V>, path: string, options?: RestoreOptions): Promise<RestoreResult> {
  checkPath(path, 'restore')
  const o = checkObject(options, 'restore options')
  checkKnownKeys(o, RESTORE_OPTIONS, 'restore', false)
  if (o.ignoreMissing !== undefined && typeof o.ignoreMissing !== 'boolean') throw invalid('ignoreMissing must be a boolean')
  checkOpen(cache)
  const result: RestoreResult = { loaded: 0, expired: 0, rejected: 0, missing: false }
  let fh: FileHandle
  try {
    fh = await open(path, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && o.ignoreMissing === true) return { ...result, missing: true }
    throw new CortadoError('ERR_BAD_FILE', `cannot open dump ${path}: ${(e as Error).message}`, { cause: e })
  }
  try {
    const { size } = await fh.stat()
    if (size < FILE_HEADER_BYTES) throw badFile(`${size} bytes, shorter than a dump header`)
    const read = async (position: number, length: number): Promise<Uint8Array> => {
      const buf = Buffer.allocUnsafe(length)
      let got = 0
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, position + got)
        if (bytesRead === 0) break
        got += bytesRead
      }
      return buf.subarray(0, got)
    }
    // Pass 1 checks everything; pass 2 applies.
    const dumpedAt = await readDump(read, size, () => {})
    const state = stateOf(cache)
    // Time spent between the dump and now counts against the TTLs (a clock that went back counts as 0).
    const elapsed = Math.max(0, state.core.clock() - dumpedAt)
    await readDump(read, size, (records) => {
      for (const r of records) {
        const ttl = r.ttl === Infinity ? 0 : r.ttl - elapsed
        if (r.ttl !== Infinity && ttl <= 0) {
          result.expired++
          continue
        }
        supersede(state, r.key)
        if (state.core.setRaw(r.key, r.kind, r.value, ttl)) result.loaded++
        else result.rejected++
      }
    })
    return result
  } catch (e) {
    throw ioError(e, `restore(${path})`)
  } finally {
    await fh.close().catch(() => {})
  }
}
