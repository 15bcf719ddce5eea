/**
 * The writes a user would make without a library, as the blob puts' peers (the blobs suite and
 * bench/disk/blob-puts.ts): a write flushed once, and the issue's atomic, durable write (temp file,
 * flush, rename, folder flush) by hand: the like-for-like peer of DiskCache's default put (same two
 * flushes; no header, CRC, sharded folders or clean-up of a failed write).
 */
import { open, rename } from 'node:fs/promises'
import { join } from 'node:path'

export async function writeSynced(file: string, value: Buffer): Promise<void> {
  const fh = await open(file, 'w')
  try {
    await fh.write(value)
    await fh.sync()
  } finally {
    await fh.close()
  }
}

export async function writeAtomicByHand(dir: string, name: string, value: Buffer): Promise<void> {
  const temp = join(dir, `${name}.tmp`)
  const fh = await open(temp, 'w')
  try {
    await fh.write(value)
    await fh.datasync()
  } finally {
    await fh.close()
  }
  await rename(temp, join(dir, name))
  const folder = await open(dir, 'r')
  try {
    await folder.sync()
  } finally {
    await folder.close()
  }
}
