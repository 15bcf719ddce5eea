/**
 * The read side of torn-file detection (see checksum.ts): a file whose data was not flushed before its
 * rename, written during an earlier boot, has its data checked against the CRC in its header before its
 * first use by this DiskCache. Files from the current boot, and files flushed before their rename, need
 * no check. A passed check is remembered per file and version, so each is read whole once per DiskCache.
 */
import { readSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { BOOT_ID, dataCrc32 } from './checksum.js'
import type { BlobMeta } from './header.js'

const BOOT_HEX = BOOT_ID.toString('hex')
/** The memo of checked files is cleared when it reaches this size (each is then checked again once). */
const MAX_CHECKED = 100_000
const CHUNK = 1 << 20

export class TornCheck {
  /** File path → the version (creation time, ETag, size, CRC) whose data passed its check. */
  private readonly checked = new Map<string, string>()

  /** Whether `meta`'s data must be checked before any of it is used. */
  needed(file: string, meta: BlobMeta): boolean {
    return meta.unflushedBoot !== undefined && meta.unflushedBoot !== BOOT_HEX && this.checked.get(file) !== versionTag(meta)
  }

  /** Records the outcome of a check of the data whose CRC is `crc` (undefined: shorter than its header says). */
  passes(file: string, meta: BlobMeta, crc: number | undefined): boolean {
    if (crc === undefined || crc !== meta.dataCrc) return false
    if (this.checked.size >= MAX_CHECKED) this.checked.clear()
    this.checked.set(file, versionTag(meta))
    return true
  }
}

function versionTag(meta: BlobMeta): string {
  return `${meta.created}/${meta.size}/${meta.dataCrc}/${meta.etag}`
}

/** CRC-32 of the data of an open blob file, read a chunk at a time; undefined if the file ends early. */
export async function crcOfData(fh: FileHandle, meta: BlobMeta): Promise<number | undefined> {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, meta.size))
  let crc = 0
  for (let at = 0; at < meta.size;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, meta.size - at), meta.headerLen + at)
    if (bytesRead === 0) return undefined
    crc = dataCrc32(buf.subarray(0, bytesRead), crc)
    at += bytesRead
  }
  return crc
}

/** The same on a file descriptor, synchronously (createReadStream must answer at once). */
export function crcOfDataSync(fd: number, meta: BlobMeta): number | undefined {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, meta.size))
  let crc = 0
  for (let at = 0; at < meta.size;) {
    const bytesRead = readSync(fd, buf, 0, Math.min(buf.length, meta.size - at), meta.headerLen + at)
    if (bytesRead === 0) return undefined
    crc = dataCrc32(buf.subarray(0, bytesRead), crc)
    at += bytesRead
  }
  return crc
}
