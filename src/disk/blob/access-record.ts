/**
 * Recency for the GC, kept by the cache itself: a read sets the file's atime explicitly (futimes keeps
 * the mtime). Filesystems mounted `noatime` skip the kernel's own atime updates on read, but an
 * explicit futimes always lands, so least-recently-used stays right there too. `touchAfterMs` bounds
 * the cost: a file read again within that time is not touched again.
 */
import { futimesSync, type BigIntStats } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'

export function needsTouch(st: BigIntStats, now: number, touchAfterMs: number): boolean {
  return now - Number(st.atimeMs) >= touchAfterMs
}

export async function touch(fh: FileHandle, st: BigIntStats, now: number): Promise<void> {
  await fh.utimes(now / 1000, st.mtime)
}

/** The synchronous form, for createReadStream, which must not race the stream's close of the fd. */
export function touchSync(fd: number, st: BigIntStats, now: number): void {
  futimesSync(fd, now / 1000, st.mtime)
}
