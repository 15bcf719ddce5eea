/**
 * Reads a whole blob file without an fstat, one file-system call fewer than fs.readFile: a first read
 * of READ_AHEAD bytes holds the header, and for small blobs the data too (a short read means the end
 * of the file, so its length is checked exactly); a larger blob takes one more read of the rest, whose
 * length the header gives.
 */
import type { FileHandle } from 'node:fs/promises'
import { decodeHeader, type BlobMeta } from './header.js'

const READ_AHEAD = 16 * 1024

/** The header and data, or undefined when the file is corrupt (bad header, wrong length). */
export async function readWhole(fh: FileHandle): Promise<{ meta: BlobMeta; data: Buffer } | undefined> {
  const first = Buffer.allocUnsafe(READ_AHEAD)
  const { bytesRead } = await fh.read(first, 0, READ_AHEAD, 0)
  const meta = decodeHeader(first.subarray(0, bytesRead), undefined)
  if (!meta) return undefined
  const total = meta.headerLen + meta.size
  if (bytesRead < READ_AHEAD) {
    if (bytesRead !== total) return undefined
    // A copy: the caller must not keep the whole read-ahead buffer alive for a small blob.
    return { meta, data: Buffer.from(first.subarray(meta.headerLen, total)) }
  }
  if (total < bytesRead) return undefined
  const data = Buffer.allocUnsafe(meta.size)
  first.copy(data, 0, meta.headerLen, bytesRead)
  let at = bytesRead - meta.headerLen
  while (at < meta.size) {
    const r = await fh.read(data, at, meta.size - at, meta.headerLen + at)
    if (r.bytesRead === 0) return undefined
    at += r.bytesRead
  }
  return { meta, data }
}
