/**
 * The disk stores the `disk` suite compares, behind one small interface: LogStore (Cortado's), and
 * LmdbStore / LevelStore (lmdb and classic-level through the same API, so every store pays the same
 * key checks and value envelope). Values are 100-byte strings of the 'string' codec.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LevelStore, LmdbStore, LogStore } from '../../src/disk/index.js'

export type SyncMode = 'always' | 'none'

export interface DiskStore {
  put(key: string, value: string): Promise<void>
  get(key: string): Promise<string | undefined>
  getSync(key: string): string | undefined
  compact(): Promise<void>
  close(): Promise<void>
}

export interface DiskPeer {
  id: string
  name: string
  open(dir: string, sync: SyncMode): Promise<DiskStore>
}

export const DISK_PEERS: readonly DiskPeer[] = [
  {
    id: 'logstore',
    name: 'Cortado LogStore',
    // Automatic compaction off: the suite compacts when it measures space, as it does for the others.
    open: (dir, sync) => LogStore.open<string>(dir, { sync, codec: 'string', autoCompact: false }),
  },
  { id: 'lmdb', name: 'lmdb (LmdbStore)', open: (dir, sync) => LmdbStore.open<string>(dir, { sync, codec: 'string' }) },
  { id: 'classic-level', name: 'classic-level (LevelStore)', open: (dir, sync) => LevelStore.open<string>(dir, { sync, codec: 'string' }) },
]

export function freshDir(id: string): string {
  return mkdtempSync(join(tmpdir(), `cortado-bench-disk-${id}-`))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Bytes of every file under `dir`, as allocated on disk (st_blocks), which is what a sparse lmdb map costs. */
export function diskBytes(dir: string): { apparent: number; allocated: number } {
  let apparent = 0
  let allocated = 0
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const s = statSync(join(dir, name))
    if (!s.isFile()) continue
    apparent += s.size
    allocated += s.blocks * 512
  }
  return { apparent, allocated }
}

/** Deletes a LogStore's index snapshot (the next open applies hint files), and with `hints` its hint files too (it replays every segment). */
export function deleteIndexFiles(dir: string, hints: boolean): void {
  for (const name of readdirSync(dir)) if (name === 'INDEX' || (hints && name.endsWith('.hint'))) unlinkSync(join(dir, name))
}
