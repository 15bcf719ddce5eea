/** How full the file system under a folder is, as `df` computes it (blocks reserved for root excluded). */
import { statfs } from 'node:fs/promises'

export interface FsUsage {
  /** used / (used + available), 0..1. */
  fraction: number
  usedBytes: number
  /** used + available: what the watermarks are fractions of. */
  capacityBytes: number
}

export async function fsUsage(dir: string): Promise<FsUsage> {
  const s = await statfs(dir)
  const used = (s.blocks - s.bfree) * s.bsize
  const capacity = used + s.bavail * s.bsize
  return { fraction: capacity > 0 ? used / capacity : 0, usedBytes: used, capacityBytes: capacity }
}
