/**
 * Walks a cache folder (`ab/cd/<hash>`) and reports each blob with what the GC orders by: size, space
 * taken on disk, last access (the atime the cache sets itself, see access-record.ts) and expiry. The
 * expiry is in the file's header; a memo keyed by path + inode + mtime reads each header once, not on
 * every run. Temporary files are reported separately for the sweep.
 */
import { constants, type BigIntStats } from 'node:fs'
import { open, readdir, lstat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeHeader, HEADER_READ_AHEAD } from './header.js'
import { isMissing } from './io-errors.js'
import { isBlobName, isShardName, tempOwner } from './layout.js'

export interface ScannedBlob {
  file: string
  /** Which version of the file this is (inode numbers alone are reused quickly). */
  version: FileVersion
  /** File length (header + data): what maxBytes counts. */
  size: number
  /** Bytes the file takes on the file system: what freeing space under a watermark counts. */
  allocated: number
  accessedMs: number
  /** undefined: never expires; NaN: unreadable header (corrupt, removed first). */
  expiry: number | undefined
}

export interface ScannedTemp {
  file: string
  pid: number
  threadId: number
  mtimeMs: number
}

export interface ScanResult {
  blobs: ScannedBlob[]
  temps: ScannedTemp[]
}

type Memo = Map<string, { version: FileVersion; expiry: number | undefined }>

/** Identifies one version of a file: a rename of a new file over it changes at least one of these. */
export interface FileVersion {
  ino: number
  size: number
  mtimeNs: bigint
}

export function versionOf(st: BigIntStats): FileVersion {
  return { ino: Number(st.ino), size: Number(st.size), mtimeNs: st.mtimeNs }
}

export function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs
}

export async function scan(dir: string, memo: Memo): Promise<ScanResult> {
  const blobs: ScannedBlob[] = []
  const temps: ScannedTemp[] = []
  const seen = new Set<string>()
  for (const a of await names(dir)) {
    if (!isShardName(a)) continue
    for (const b of await names(join(dir, a))) {
      if (!isShardName(b)) continue
      const folder = join(dir, a, b)
      for (const name of await names(folder)) {
        const file = join(folder, name)
        const owner = tempOwner(name)
        if (!owner && !isBlobName(name)) continue
        const st = await lstat(file, { bigint: true }).catch((err: unknown) => (isMissing(err) ? undefined : Promise.reject(err)))
        if (!st?.isFile()) continue
        if (owner) {
          temps.push({ file, ...owner, mtimeMs: Number(st.mtimeMs) })
          continue
        }
        seen.add(file)
        const version = versionOf(st)
        let known = memo.get(file)
        if (!known || !sameVersion(known.version, version)) {
          const expiry = await readExpiry(file, version)
          // Replaced between the lstat and the read: a brand-new file, judged next run.
          if (expiry === 'replaced') continue
          known = { version, expiry }
          memo.set(file, known)
        }
        blobs.push({ file, version, size: version.size, allocated: Number(st.blocks) * 512, accessedMs: Number(st.atimeMs), expiry: known.expiry })
      }
    }
  }
  for (const file of memo.keys()) if (!seen.has(file)) memo.delete(file)
  return { blobs, temps }
}

async function names(folder: string): Promise<string[]> {
  try {
    return await readdir(folder)
  } catch (err) {
    if (isMissing(err)) return []
    throw err
  }
}

async function readExpiry(file: string, expected: FileVersion): Promise<number | undefined | 'replaced'> {
  let fh
  try {
    fh = await openQuietly(file)
    const st = await fh.stat({ bigint: true })
    if (!sameVersion(expected, versionOf(st))) return 'replaced'
    const buf = Buffer.alloc(Math.min(HEADER_READ_AHEAD, expected.size))
    await fh.read(buf, 0, buf.length, 0)
    const meta = decodeHeader(buf, expected.size)
    return meta === undefined ? Number.NaN : meta.expiry
  } catch (err) {
    if (isMissing(err)) return 'replaced'
    throw err
  } finally {
    await fh?.close()
  }
}

/**
 * Opens for reading without counting as an access: O_NOATIME stops the kernel's relatime update that
 * the GC's own header read would otherwise make (allowed for the file's owner; others fall back).
 */
export async function openQuietly(file: string): Promise<FileHandle> {
  if (constants.O_NOATIME === undefined) return open(file, 'r')
  try {
    return await open(file, constants.O_RDONLY | constants.O_NOATIME)
  } catch (err) {
    if (isMissing(err)) throw err
    return open(file, 'r')
  }
}
