/**
 * The one warning a cache gives when it refuses an entry for its size: set() returns false and
 * stats().oversized counts every refusal, but a user who never looks there deserves to hear it once.
 * The flag lives in the arena, so one warning per cache whichever thread hits it first.
 */
import * as L from '../layout/constants.generated.js'
import type { ArenaViews } from './views.js'
import { firstToWarn, WARNED_OVERSIZE } from './warn-once.js'
import { MAX_SEG_BYTES, largestEntry, type Geometry } from '../layout/geometry.js'
import { emitProcessWarning } from '../process-warning.js'

export function warnOversized(v: ArenaViews, name: string | undefined, size: number, g: Geometry): void {
  if (!firstToWarn(v, WARNED_OVERSIZE)) return
  const limit = g.maxEntryBytes
  // Below what the arena could hold, the limit is the creator's maxEntrySize (a cap, as lru-cache's).
  const room = largestEntry(g.segBytes, g.segCount, g.shardCount, g.memBytes)
  const capped = limit < room
  emitProcessWarning(
    `cortado: cache${name ? ` '${name}'` : ''} refused an entry of ${size} bytes (header + key + value): ` +
    `its largest entry is ${limit} bytes (cache.geometry.maxEntryBytes${capped ? ', its maxEntrySize' : ''}). ` +
    `${capped && size <= room ? capRemedy(size, room) : remedy(size)} ` +
    'set() returns false and stats().oversized counts every such refusal; this warning is shown once per cache.',
    'CORTADO_OVERSIZED')
}

/** What would let an entry of `size` bytes in when the creator's maxEntrySize refused it and the arena could hold it. */
function capRemedy(size: number, room: number): string {
  const without = `leave maxEntrySize out (this cache could hold entries up to ${room} bytes)`
  return size <= MAX_SEG_BYTES ? `Pass maxEntrySize: ${size} (or more) to new Cache(), or ${without}, to store entries this large.`
    : `To store entries this large, ${without}.`
}

/** What would let an entry of `size` bytes in: maxEntrySize up to a segment, more maxBytes beyond. */
function remedy(size: number): string {
  if (size > MAX_ENTRY_BYTES)
    return `No cache stores an entry above ${MAX_ENTRY_BYTES} bytes (an entry's length is a u32): keep values this large on disk (cortado/disk's DiskCache).`
  if (size <= MAX_SEG_BYTES) return `Pass maxEntrySize: ${size} (or more) to new Cache() to store entries this large.`
  const bytes = size * L.LARGE_CACHE_FRACTION
  return `Entries up to maxBytes / ${L.LARGE_CACHE_FRACTION} are stored: a cache of maxBytes ${bytes} (or more) stores this one` +
    (bytes > 2 ** 32 ? " (engine: 'native': the WebAssembly engine stops at 4 GiB)." : '.')
}

const MAX_ENTRY_BYTES = 2 ** 32 - 1
