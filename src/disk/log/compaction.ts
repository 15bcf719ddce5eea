/**
 * Compaction (the Bitcask merge). Every sealed segment is a victim: the active one is sealed first, so
 * writes go on into a new segment while the live records of the victims are copied, batch by batch,
 * into output segments written under `*.tmp` names with their hint files. The outputs get ids below
 * the new active segment's (reserved up front), so on replay they come after the victims and before
 * anything written since: the right record still wins for every key.
 *
 * Each batch is synchronous: read a victim record, append it to the output, point the index at the copy.
 * Nothing else runs inside a batch, so a reader sees a key either at its old or its new place, both
 * readable (victims stay open until the end). Between batches the event loop runs.
 *
 * The swap: outputs are fsynced, renamed to their final names, the directory fsynced; only then are the
 * victims deleted. A crash before the renames leaves `*.tmp` files that open deletes (victims intact); a
 * crash between renames and deletions leaves victims and outputs, which replay to the same index.
 *
 * Dropped for good: overwritten records, tombstones (every older record of their key is in a victim,
 * and it is not copied), expired entries, records that fail their checksum (counted as corrupt reads).
 */
import * as fs from 'node:fs'
import { fdatasync, hintName, logName, pathOf, syncDirectoryAsync, TMP_EXT } from './files.js'
import type { KeyIndex } from './key-index.js'
import { openSegmentForAppend, type ActiveSegment, type Segment } from './segment.js'
import type { ByteView } from '../../text.js'

/** A running compaction, as `LogStoreStats.compacting` reports it. */
export interface CompactionProgress {
  /** Bytes in the segments being compacted, when it started. */
  victimBytes: number
  /** Live records copied so far. */
  copiedRecords: number
  /** Bytes of the live records copied so far. */
  copiedBytes: number
}

/** What compaction needs from its store. */
export interface CompactionHost {
  readonly dir: string
  readonly index: KeyIndex
  readonly segments: Map<number, Segment>
  readonly maxFileBytes: number
  readonly batchBytes: number
  now(): number
  /** Reserves `n` consecutive segment ids below any the store will use next; returns the first. */
  reserveIds(n: number): number
  /** Seals the active segment (a new one takes the writes). */
  sealActive(): void
  readRecord(e: number): { view: ByteView; at: number } | undefined
  expireIfDue(e: number): boolean
  syncAll(): Promise<void>
  directoryChanged(): void
  progress(p: CompactionProgress): void
}

export async function compact(host: CompactionHost): Promise<void> {
  const { index, segments, dir } = host
  const victims = [...segments.values()]
  const victimIds = new Set(victims.map((s) => s.id))
  let live = 0
  for (const s of victims) live += s.live
  // Every output but the last holds at least maxFileBytes, so this many ids always suffice.
  const reserved = Math.ceil(live / host.maxFileBytes) + 1
  const firstId = host.reserveIds(reserved)
  host.sealActive()
  const progress: CompactionProgress = { victimBytes: victims.reduce((a, s) => a + s.bytes, 0), copiedRecords: 0, copiedBytes: 0 }
  host.progress(progress)

  const outputs: ActiveSegment[] = []
  const openOutput = (): ActiveSegment => {
    const id = firstId + outputs.length
    const out = openSegmentForAppend(pathOf(dir, logName(id) + TMP_EXT), id, pathOf(dir, hintName(id) + TMP_EXT))
    outputs.push(out)
    segments.set(id, out.segment)
    return out
  }
  // On a failure (disk full...) the error propagates with the victims intact: the index may point at
  // copies in .tmp outputs that reached their files (earlier batches), readable through their open fds;
  // the next open deletes them and replays the victims, which still hold every record. Copies of the
  // failing batch may not have reached their file: `moved` points them back at their victim records.
  let out: ActiveSegment | undefined
  const moved: number[] = []
  for (let e = 0; e < index.highWater;) {
    let bytes = 0
    moved.length = 0
    try {
      for (; e < index.highWater && bytes < host.batchBytes; e++) {
        if (!index.isLive(e) || !victimIds.has(index.fileOf(e)) || host.expireIfDue(e)) continue
        const record = host.readRecord(e)
        if (record === undefined) continue
        const size = index.sizeOf(e)
        if (out === undefined || (out.end >= host.maxFileBytes && outputs.length < reserved)) {
          out?.seal()
          out = openOutput()
        }
        let offset: number
        if (size <= out.room) {
          record.view.buf.copy(out.view.buf, out.pending, record.at, record.at + size)
          offset = out.claim(size, index.hashOf(e))
        } else {
          offset = out.appendWhole(Buffer.from(record.view.buf.subarray(record.at, record.at + size)), index.hashOf(e))
        }
        moved.push(e, index.fileOf(e), index.offsetOf(e))
        segments.get(index.fileOf(e))!.live -= size
        index.move(e, out.segment.id, offset)
        out.segment.live += size
        bytes += size
        progress.copiedRecords++
        progress.copiedBytes += size
      }
      // Readers look for buffered bytes only in the active segment: outputs reach the file before the loop yields.
      out?.flush()
    } catch (err) {
      for (let i = moved.length - 3; i >= 0; i -= 3) {
        const [m, file, offset] = [moved[i]!, moved[i + 1]!, moved[i + 2]!]
        const size = index.sizeOf(m)
        segments.get(index.fileOf(m))!.live -= size
        segments.get(file)!.live += size
        index.move(m, file, offset)
      }
      throw err
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
  out?.seal()
  // Make the outputs durable, then give them their final names.
  await Promise.all(outputs.flatMap((o) => [fdatasync(o.segment.fd), syncFile(pathOf(dir, hintName(o.segment.id) + TMP_EXT))]))
  for (const o of outputs) {
    fs.renameSync(pathOf(dir, logName(o.segment.id) + TMP_EXT), pathOf(dir, logName(o.segment.id)))
    fs.renameSync(pathOf(dir, hintName(o.segment.id) + TMP_EXT), pathOf(dir, hintName(o.segment.id)))
    o.segment.unsynced = false
  }
  await syncDirectoryAsync(dir)
  // Victims may hold records acknowledged under 'always' whose newer copies are only in segments not yet
  // fsynced; wait for the sync in flight to finish before any victim fd is closed.
  await host.syncAll()
  // Oldest first. A tombstone was dropped because every older record of its key is in a victim, so the
  // victim holding it must outlive those: deleted newest first, a crash part-way could leave an old
  // record of a deleted key without its tombstone, and the key would come back on the next open. The
  // segment map is not in id order (outputs are entered after the active segment numbered above them).
  for (const s of victims.sort((a, b) => a.id - b.id)) {
    fs.closeSync(s.fd)
    segments.delete(s.id)
    fs.rmSync(pathOf(dir, logName(s.id)), { force: true })
    fs.rmSync(pathOf(dir, hintName(s.id)), { force: true })
  }
  host.directoryChanged()
  await syncDirectoryAsync(dir)
}

function syncFile(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(path, 'r', (err, fd) => {
      if (err) return reject(err)
      fs.fsync(fd, (syncErr) => fs.close(fd, () => (syncErr ? reject(syncErr) : resolve())))
    })
  })
}
