/**
 * Creating an arena (a shared WebAssembly.Memory laid out by src/layout) and attaching to one.
 * The creator writes the header from the computed geometry and formats the shards; any thread can
 * then attach by validating the header and claiming a thread slot.
 */
import { randomInt } from 'node:crypto'
import * as L from '../../layout/constants.generated.js'
import { WASM_PAGE, type Geometry } from '../../layout/geometry.js'
import { CortadoError } from '../../errors.js'
import { instantiate } from './module.js'
import { makeViews, type ArenaViews } from '../views.js'
import type { EngineArena } from '../attached.js'
import { makeHandle } from '../../handle.js'
import { claimSlot } from '../slots.js'

export interface ArenaCreateInfo {
  geometry: Geometry
  policy: number
  seed: number
  buildId: number
}

export interface AttachedArena extends EngineArena {
  memory: WebAssembly.Memory
}

/** Writes the header of a new arena (magic last). Also used by the native engine for the arenas it maps. */
export function writeHeader(v: ArenaViews, info: ArenaCreateInfo): void {
  const g = info.geometry
  const dv = v.dv
  const u32 = (off: number, x: number) => dv.setUint32(off, x >>> 0, true)
  const u64 = (off: number, x: number) => dv.setBigUint64(off, BigInt(x), true)
  u32(L.ARENA_LAYOUT_VERSION, L.LAYOUT_VERSION)
  u32(L.ARENA_BUILD_ID, info.buildId)
  u32(L.ARENA_POLICY, info.policy)
  u32(L.ARENA_SHARD_COUNT, g.shardCount)
  u32(L.ARENA_MAX_THREADS, g.maxThreads)
  u32(L.ARENA_SCRATCH_BYTES, g.scratchBytes)
  u32(L.ARENA_SEG_BYTES, g.segBytes)
  u32(L.ARENA_SEG_COUNT, g.segCount)
  u32(L.ARENA_INDEX_BUCKETS, g.indexBuckets)
  u32(L.ARENA_SKETCH_BLOCKS, g.sketchBlocks)
  u32(L.ARENA_GHOST_SLOTS, g.ghostSlots)
  u32(L.ARENA_MAX_ENTRIES_PER_SHARD, g.maxEntriesPerShard)
  u32(L.ARENA_MAX_ENTRIES_TOTAL, g.maxEntriesTotal)
  u32(L.ARENA_MAX_ENTRY_BYTES, g.maxEntryBytes)
  u32(L.ARENA_INSTANCE_ID, randomInt(1, 0x7fffffff))
  // A 53-bit seed split in two words; the engine folds it into its 64-bit hash seed.
  u32(L.ARENA_SEED_LO, info.seed % 0x100000000)
  u32(L.ARENA_SEED_HI, Math.floor(info.seed / 0x100000000))
  u32(L.ARENA_SHARD_SKETCH_OFFSET, g.shardSketchOffset)
  u32(L.ARENA_SHARD_GHOST_OFFSET, g.shardGhostOffset)
  u32(L.ARENA_SHARD_INDEX_OFFSET, g.shardIndexOffset)
  u32(L.ARENA_SHARD_SEG_HEADERS_OFFSET, g.shardSegHeadersOffset)
  u32(L.ARENA_SHARD_DATA_OFFSET, g.shardDataOffset)
  u64(L.ARENA_MEM_BYTES, g.memBytes)
  u64(L.ARENA_SHARD_BYTES, g.shardBytes)
  u64(L.ARENA_SHARDS_OFFSET, g.shardsOffset)
  u64(L.ARENA_THREADS_OFFSET, g.threadsOffset)
  u64(L.ARENA_SCRATCH_OFFSET, g.scratchOffset)
  u64(L.ARENA_FLIGHTS_OFFSET, g.flightsOffset)
  // Magic last: an arena is recognisable only once it is complete.
  u32(L.ARENA_MAGIC, L.MAGIC)
}

/** Reads back the geometry an arena was created with (every engine trusts the header, not options). */
export function readGeometry(v: ArenaViews): Geometry {
  const dv = v.dv
  const u32 = (off: number) => dv.getUint32(off, true)
  const u64 = (off: number) => Number(dv.getBigUint64(off, true))
  const shardCount = u32(L.ARENA_SHARD_COUNT)
  const segCount = u32(L.ARENA_SEG_COUNT)
  const segBytes = u32(L.ARENA_SEG_BYTES)
  return {
    memBytes: u64(L.ARENA_MEM_BYTES), shardCount, shardBytes: u64(L.ARENA_SHARD_BYTES),
    shardsOffset: u64(L.ARENA_SHARDS_OFFSET), threadsOffset: u64(L.ARENA_THREADS_OFFSET),
    maxThreads: u32(L.ARENA_MAX_THREADS),
    scratchOffset: u64(L.ARENA_SCRATCH_OFFSET), scratchBytes: u32(L.ARENA_SCRATCH_BYTES),
    flightsOffset: u64(L.ARENA_FLIGHTS_OFFSET),
    segBytes, segCount, indexBuckets: u32(L.ARENA_INDEX_BUCKETS), sketchBlocks: u32(L.ARENA_SKETCH_BLOCKS),
    ghostSlots: u32(L.ARENA_GHOST_SLOTS), maxEntriesPerShard: u32(L.ARENA_MAX_ENTRIES_PER_SHARD),
    maxEntriesTotal: u32(L.ARENA_MAX_ENTRIES_TOTAL),
    shardSketchOffset: u32(L.ARENA_SHARD_SKETCH_OFFSET), shardGhostOffset: u32(L.ARENA_SHARD_GHOST_OFFSET),
    shardIndexOffset: u32(L.ARENA_SHARD_INDEX_OFFSET), shardSegHeadersOffset: u32(L.ARENA_SHARD_SEG_HEADERS_OFFSET),
    shardDataOffset: u32(L.ARENA_SHARD_DATA_OFFSET),
    bytesTotal: shardCount * segCount * segBytes, maxEntryBytes: u32(L.ARENA_MAX_ENTRY_BYTES),
  }
}

export function createMemory(geometry: Geometry): WebAssembly.Memory {
  const pages = geometry.memBytes / WASM_PAGE
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
  } catch (err) {
    throw new CortadoError('ERR_CAPACITY', `could not allocate a ${geometry.memBytes}-byte arena: ${(err as Error).message}`, { cause: err })
  }
}

export function formatArena(memory: WebAssembly.Memory, info: ArenaCreateInfo): void {
  const views = makeViews(memory.buffer)
  writeHeader(views, info)
  instantiate(memory).init()
}

/** Validates the header of an existing arena and attaches this thread to it. */
export function attachArena(memory: WebAssembly.Memory, buildId: number): AttachedArena {
  const views = makeViews(memory.buffer)
  const dv = views.dv
  if (dv.getUint32(L.ARENA_MAGIC, true) !== L.MAGIC)
    throw new CortadoError('ERR_INVALID_HANDLE', 'this memory does not hold a Cortado arena')
  if (dv.getUint32(L.ARENA_LAYOUT_VERSION, true) !== L.LAYOUT_VERSION || dv.getUint32(L.ARENA_BUILD_ID, true) !== buildId)
    throw new CortadoError('ERR_INVALID_HANDLE',
      'this arena was created by another version of Cortado; every thread must load the same build')
  // attachCount is -1 once the last thread detached: the arena is closed for good. Counting in with a
  // CAS makes "check closed, then count in" one step, so an attach can't race the last detach.
  const countIdx = L.ARENA_ATTACH_COUNT >>> 2
  for (;;) {
    const n = Atomics.load(views.i32, countIdx)
    if (n < 0) throw new CortadoError('ERR_CLOSED', 'this cache has been closed by every thread that had it')
    if (Atomics.compareExchange(views.i32, countIdx, n, n + 1) === n) break
  }
  const exports = instantiate(memory)
  const geometry = readGeometry(views)
  const lease = claimSlot({
    views, threadsOffset: geometry.threadsOffset, maxThreads: geometry.maxThreads, shardCount: geometry.shardCount,
    shardsOffset: geometry.shardsOffset, shardBytes: geometry.shardBytes,
    pidOf: () => undefined,
    claim: (id) => exports.attach(id, id),
    reclaim: (slot, id) => {
      if (exports.reclaim(slot, id) === 0) return false
      leave(views)
      return true
    },
  })
  if (lease === undefined) {
    leave(views)
    throw tooManyThreads(geometry.maxThreads)
  }
  const slot = lease.slot
  const scratchBase = geometry.scratchOffset + slot * geometry.scratchBytes
  const arena: AttachedArena = {
    memory, exports, views, slot, lease, scratchBase,
    viewGeometry: geometry,
    handle: (meta) => makeHandle({
      memory, ...meta, instanceId: dv.getUint32(L.ARENA_INSTANCE_ID, true), buildId,
    }),
    detach: () => {
      lease.end()
      // 0: the slot had been reclaimed (we were thought dead) and its reclaimer counted us out.
      if (exports.detach() !== 0) leave(views)
    },
  }
  return arena
}

export function tooManyThreads(maxThreads: number): CortadoError {
  return new CortadoError('ERR_TOO_MANY_THREADS',
    `all ${maxThreads} thread slots of this cache are held by live threads (slots of threads that exited are reclaimed); raise maxThreads or attach from fewer threads at once`)
}

/** Counts this thread out; the last one out turns the count to -1: closed for good. */
function leave(views: ArenaViews): void {
  const countIdx = L.ARENA_ATTACH_COUNT >>> 2
  if (Atomics.sub(views.i32, countIdx, 1) === 1) Atomics.compareExchange(views.i32, countIdx, 0, -1)
}

