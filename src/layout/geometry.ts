/**
 * Where everything lives in an arena of a given size. Computed once, here, when a cache is created and
 * written into the arena header; the engines read it back from there and never recompute it, so this
 * function is the only place that decides sizes and offsets.
 *
 * Arena:  [header 1 KiB][pad to 4 KiB][thread slots][scratch areas][in-flight loads][write generations][shard 0]...
 * Shard:  [header 512 B][sketch][kept 'missed' marks][ghost][hash index][segment headers][segment data]
 */
import * as L from './constants.generated.js'
import { MISS_FILTER_SHARE, MISSED_GENS } from './policy.generated.js'
import { CortadoError } from '../errors.js'
import { positiveInteger } from '../options.js'

export const WASM_PAGE = 65536
/** WebAssembly (wasm32) memories stop at 65536 pages. */
export const WASM_MAX_BYTES = 65536 * WASM_PAGE
export const MIN_ARENA_BYTES = 1 << 20
/** Per-thread staging area for keys and values crossing into the engine. */
export const SCRATCH_BYTES = 16 * 1024
export const DEFAULT_MAX_THREADS = 16
export const DEFAULT_EXPECTED_ENTRY_SIZE = 128
/** Index load: 2-choice buckets of 8 slots stay overflow-free in practice up to ~90%; size for 75%. */
const INDEX_LOAD = 0.75
/** When no maxEntries is given, the count bound keeps the index below this load. */
const INDEX_MAX_LOAD = 0.9
/**
 * The ghost list remembers this much more than a shard's share of maxEntries (and 32 keys), and the
 * sketch ages every SKETCH_SAMPLE × its slots (assembly/sketch.ts clearSketch): the policy was tuned
 * with this. Sized by busiestShare like the index and the sketch's counters, it lost 0.1-0.4 points on
 * the phases rows at 100k (8 shards; `npm run sim -- --recency --policy cortado --sizes 100000`).
 */
const GHOST_SLACK = 1.15
/**
 * Segments per shard. Fewer, larger segments allow larger entries (an entry never spans segments);
 * more segments waste less in partly filled head and tail segments (about two per queue). 64 keeps
 * that waste under ~6% while entries up to 1/64 of a shard fit.
 */
const TARGET_SEGMENTS = 64
const MIN_SEGMENTS = 16
const MIN_SEG_BYTES = 4096
/** The largest segment, so also the largest maxEntrySize (larger entries are chained, up to maxBytes / 16). */
export const MAX_SEG_BYTES = 64 << 20
/** The value every cache takes by default whenever its shards can lend the segments (largestEntry). */
const DEFAULT_LARGE_FLOOR = 1 << 20
const MAX_SHARDS = 256
const DEFAULT_MAX_SHARDS = 16
/**
 * Default shards: one per this many expected entries (up to 16). Enough shards keep two or more
 * threads off each other's locks and sequence numbers; each shard still holds thousands of entries,
 * so its policy decides as well as one big one would.
 */
const ENTRIES_PER_SHARD = 8192
const DEFAULT_MIN_SHARD_BYTES = 2 << 20
/** A shard smaller than this wastes too much on partly filled segments. */
const MIN_SHARD_BYTES = 128 * 1024

export interface GeometryInput {
  maxBytes: number
  maxEntries?: number
  shards?: number
  maxThreads?: number
  expectedEntrySize?: number
  /**
   * The largest entry (8-byte header + key + value) the cache accepts: segments are made at least that
   * large, and larger entries are refused even where the arena could hold them (lru-cache's cap).
   */
  maxEntrySize?: number
  policy: number
  /** Largest arena the engine can map. */
  limitBytes?: number
}

export interface Geometry {
  memBytes: number
  shardCount: number
  shardBytes: number
  shardsOffset: number
  threadsOffset: number
  maxThreads: number
  scratchOffset: number
  scratchBytes: number
  /** Table of in-flight loads shared by all threads (cross-thread single-flight). */
  flightsOffset: number
  segBytes: number
  segCount: number
  indexBuckets: number
  sketchBlocks: number
  ghostSlots: number
  /** Per-shard bound that keeps the index below its maximum load. */
  maxEntriesPerShard: number
  /** The global bound on live entries (maxEntries), 0 for none. */
  maxEntriesTotal: number
  shardSketchOffset: number
  shardGhostOffset: number
  shardIndexOffset: number
  shardSegHeadersOffset: number
  shardDataOffset: number
  /** Bytes available to entries in the whole arena. */
  bytesTotal: number
  /**
   * The largest single entry (header + key + value) the arena stores. Entries up to a segment live in
   * one segment; larger ones keep a small record there and their value in a chain of whole segments
   * (assembly/large.ts): up to a third of their own shard's segments, and beyond that segments borrowed
   * from other shards (each lending at most half of its own: LARGE_LEND_SHARE), so that any entry of up to
   * maxBytes / 16 fits whatever the number of shards (`largestEntry`), or `maxEntrySize` when given.
   * Both engines refuse larger entries (ARENA_MAX_ENTRY_BYTES), so every thread or process attached to
   * the arena keeps the creator's cap.
   */
  maxEntryBytes: number
}

/**
 * The largest entry an arena stores: enough whole segments for a value of maxBytes / 16
 * (LARGE_CACHE_FRACTION), and at least a third of a shard's segments (LARGE_SHARE), plus 4 KiB for
 * header and key; one segment when that is more. A chain takes up to a third of its own shard's
 * segments (and one more) and borrows the rest, at most half of each other shard's segments, so
 * the value never needs more than the shards together may lend. With the default 16 shards a shard is
 * maxBytes / 16 (less its index), so such a value always spans shards.
 * `memBytes` 0 (or one shard) gives the per-shard limit alone. An entry's length is a u32, so the
 * limit stops at 4 GiB - 1 (a 64 GiB cache's maxBytes / 16 less a byte; no JS value is larger anyway).
 */
export function largestEntry(segBytes: number, segCount: number, shardCount = 1, memBytes = 0): number {
  const share = Math.floor(segCount / L.LARGE_SHARE)
  // maxBytes / 16, and an ordinary 1 MiB value whenever the shards can lend it: without this floor a
  // cache of 5, 6 or 12 MiB (segments halved by the power-of-two choice, or maxBytes / 16 under 1 MiB)
  // refused the 1 MiB values a 4 MiB cache took.
  const wanted = memBytes === 0 ? 0 : Math.ceil(Math.max(memBytes / L.LARGE_CACHE_FRACTION, DEFAULT_LARGE_FLOOR) / segBytes)
  const segments = Math.min(share * shardCount, Math.max(share, wanted), L.CHAIN_COUNT_MASK - 1)
  return Math.min(0xFFFFFFFF, Math.max(segBytes, segments * segBytes + MIN_SEG_BYTES))
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a
const alignDown = (n: number, a: number) => Math.floor(n / a) * a
const pow2Floor = (n: number) => (n < 1 ? 1 : 2 ** Math.floor(Math.log2(n)))

/**
 * Where the write generations (src/engine/write-gens.ts: WRITE_GENS i32 words, one per bucket of keys)
 * follow the flight table. Derived, not in the header: every thread computes it
 * from the header's flightsOffset, and the layout version pins the constants.
 */
export function writeGensOffset(flightsOffset: number): number {
  return alignUp(flightsOffset + L.FLIGHT_SLOTS * L.FLIGHT_SIZE, 64)
}

function invalid(message: string): never {
  throw new CortadoError('ERR_INVALID_OPTION', message)
}

function checkPositiveInteger(name: string, value: unknown, optional: boolean): void {
  if (value !== undefined || !optional) positiveInteger(value, name)
}

export function computeGeometry(input: GeometryInput): Geometry {
  const limit = input.limitBytes ?? WASM_MAX_BYTES
  // The first thing a user coming from lru-cache meets (`{ maxEntries }` alone): say what maxBytes is.
  if (input.maxBytes === undefined)
    invalid('maxBytes is required: the arena\'s size in bytes, allocated once (it bounds the cache\'s memory); ' +
      'Cache.maxBytesFor(entries, entryBytes) gives the maxBytes that holds a number of entries of a given size')
  checkPositiveInteger('maxBytes', input.maxBytes, false)
  checkPositiveInteger('maxEntries', input.maxEntries, true)
  checkPositiveInteger('shards', input.shards, true)
  checkPositiveInteger('maxThreads', input.maxThreads, true)
  checkPositiveInteger('expectedEntrySize', input.expectedEntrySize, true)
  checkPositiveInteger('maxEntrySize', input.maxEntrySize, true)
  if (input.maxEntrySize !== undefined && input.maxEntrySize > MAX_SEG_BYTES)
    invalid(`maxEntrySize must be at most ${MAX_SEG_BYTES} bytes, got ${input.maxEntrySize}`)
  if (input.maxBytes > limit)
    throw new CortadoError('ERR_CAPACITY', `maxBytes ${input.maxBytes} exceeds the engine's limit of ${limit} bytes`)
  if (input.maxBytes < MIN_ARENA_BYTES)
    throw new CortadoError('ERR_CAPACITY', `maxBytes must be at least ${MIN_ARENA_BYTES} (1 MiB), got ${input.maxBytes}`)
  if (input.shards !== undefined && (input.shards > MAX_SHARDS || (input.shards & (input.shards - 1)) !== 0))
    invalid(`shards must be a power of two up to ${MAX_SHARDS}, got ${input.shards}`)
  const maxThreads = input.maxThreads ?? DEFAULT_MAX_THREADS
  if (maxThreads > 1024) invalid(`maxThreads must be at most 1024, got ${maxThreads}`)
  const expectedEntrySize = input.expectedEntrySize ?? DEFAULT_EXPECTED_ENTRY_SIZE

  // Round down: the arena may be smaller than maxBytes but never larger.
  const memBytes = alignDown(input.maxBytes, WASM_PAGE)
  const threadsOffset = 4096
  const scratchOffset = alignUp(threadsOffset + maxThreads * L.THREAD_SIZE, 64)
  const flightsOffset = alignUp(scratchOffset + maxThreads * SCRATCH_BYTES, 64)
  const shardsOffset = alignUp(writeGensOffset(flightsOffset) + L.WRITE_GENS * 4, 4096)
  const available = memBytes - shardsOffset
  if (available < MIN_SHARD_BYTES)
    throw new CortadoError('ERR_CAPACITY', `maxBytes ${input.maxBytes} leaves no room for entries after ${maxThreads} thread areas`)

  const estimatedEntries = input.maxEntries ?? Math.max(1, Math.floor(available / expectedEntrySize))
  // Shards are for concurrency: a few per core is plenty, and fewer shards mean larger segments.
  let shardCount = input.shards ?? Math.min(DEFAULT_MAX_SHARDS, pow2Floor(estimatedEntries / ENTRIES_PER_SHARD))
  if (input.shards === undefined) {
    while (shardCount > 1 && available / shardCount < DEFAULT_MIN_SHARD_BYTES) shardCount /= 2
    // Each shard needs MIN_SEGMENTS segments of at least the largest entry asked for.
    while (shardCount > 1 && available / shardCount < MIN_SEGMENTS * 1.25 * (input.maxEntrySize ?? 0)) shardCount /= 2
  } else if (available / shardCount < MIN_SHARD_BYTES) {
    throw new CortadoError('ERR_CAPACITY',
      `maxBytes ${input.maxBytes} is too small for ${shardCount} shards (each needs at least ${MIN_SHARD_BYTES} bytes)`)
  }
  const shardBytes = alignDown(available / shardCount, 4096)

  // maxEntries is one global bound (an atomic count in the arena), so keys spreading unevenly over the
  // shards don't cost capacity. The index and the sketch's counters are sized for what a shard may
  // hold: its share of maxEntries plus room for the imbalance of hashing (busiestShare, as maxBytesFor
  // sizes the bytes; a flat 15% until stop 40 kept ~2.7 bytes per entry no shard used), else what its
  // bytes hold at the expected entry size. The ghost keeps its 15% (GHOST_SLACK).
  const shardCapacity = Math.max(1, input.maxEntries !== undefined
    ? Math.ceil(busiestShare(input.maxEntries, shardCount))
    : Math.floor(shardBytes / expectedEntrySize))
  const ghostCapacity = input.maxEntries !== undefined
    ? Math.min(input.maxEntries, Math.ceil((input.maxEntries / shardCount) * GHOST_SLACK) + 32)
    : shardCapacity
  const indexBuckets = Math.max(2, Math.ceil(shardCapacity / (L.BUCKET_SLOTS * INDEX_LOAD)))
  const adaptive = input.policy === L.POLICY_ADAPTIVE
  // Sketch: 64-byte blocks of 128 four-bit counters, 16 counters (8 bytes) per entry of capacity, and
  // one block in MISS_FILTER_SHARE more for the miss filter (bench/sim/model/POLICY.md). With 8 per
  // entry, a key's four counters (all in one block) were all shared with other keys for 2.8% of the
  // keys a fill stored once: they read 2 and beat newcomers in every tie (UNASKED_TIE); with 16, ~0.2%.
  // The traces gain too (mean to the best known policy +0.44 -> +0.52, stop 33).
  // (The engines split the area back as counters = floor(blocks × (share − 1) / share).)
  const counterBlocks = Math.max(1, Math.ceil(shardCapacity / 8))
  const sketchBlocks = !adaptive ? 0
    : counterBlocks + (MISS_FILTER_SHARE === 0 ? 0 : Math.ceil(counterBlocks / (MISS_FILTER_SHARE - 1)))
  // Ghost: remembers as many evicted keys as the shard holds, with GHOST_SLACK (8-slot buckets of 8-byte slots).
  const ghostSlots = adaptive ? alignUp(Math.max(L.BUCKET_SLOTS, ghostCapacity), L.BUCKET_SLOTS) : 0

  const shardSketchOffset = L.SHARD_SIZE
  // MISSED_GENS: after the sketch, the 'missed' bits of the sketch period before this one, one bit a filter pair
  // (half the filter's bytes; the engines find them at the sketch area's end: assembly/sketch.ts prevFilter).
  // The filter's blocks as the engines split the area (assembly/arena.ts sketchCounterBlocks).
  const filterBlocks = MISS_FILTER_SHARE === 0 ? 0 : sketchBlocks - Math.floor((sketchBlocks * (MISS_FILTER_SHARE - 1)) / MISS_FILTER_SHARE)
  const prevMissedBytes = MISSED_GENS === 0 ? 0 : filterBlocks * (L.SKETCH_BLOCK_BYTES / 2)
  const shardGhostOffset = alignUp(shardSketchOffset + sketchBlocks * L.SKETCH_BLOCK_BYTES + prevMissedBytes, 64)
  const shardIndexOffset = alignUp(shardGhostOffset + ghostSlots * 8, 64)
  const shardSegHeadersOffset = alignUp(shardIndexOffset + indexBuckets * L.BUCKET_BYTES, 64)
  const forSegments = shardBytes - shardSegHeadersOffset
  if (forSegments <= 0)
    throw new CortadoError('ERR_CAPACITY',
      `maxBytes ${input.maxBytes} is too small for the index of ${shardCapacity} entries per shard; lower maxEntries or raise maxBytes`)
  // Segments need not be a power of two (the engines divide): an entry of 1 MiB plus its key asks for
  // segments of 1 MiB + 4 KiB, not 2 MiB, so it fits a 64 MiB cache.
  const wanted = input.maxEntrySize !== undefined ? alignUp(input.maxEntrySize, MIN_SEG_BYTES) : 0
  let segBytes = Math.min(MAX_SEG_BYTES, Math.max(MIN_SEG_BYTES, wanted, pow2Floor(forSegments / TARGET_SEGMENTS)))
  let segCount = Math.floor((forSegments - 64) / (segBytes + L.SEG_SIZE))
  while (segCount < MIN_SEGMENTS && segBytes > Math.max(MIN_SEG_BYTES, wanted)) {
    segBytes = Math.max(MIN_SEG_BYTES, wanted, segBytes / 2)
    segCount = Math.floor((forSegments - 64) / (segBytes + L.SEG_SIZE))
  }
  if (segCount < MIN_SEGMENTS)
    throw new CortadoError('ERR_CAPACITY',
      `maxBytes ${input.maxBytes} leaves too little room for entries (${segCount} segments of ${segBytes} bytes per shard, ` +
      `at least ${MIN_SEGMENTS} needed); raise maxBytes, or lower maxEntrySize, maxEntries or shards`)
  const shardDataOffset = alignUp(shardSegHeadersOffset + segCount * L.SEG_SIZE, 64)
  // A shard never holds more than its index comfortably indexes.
  const maxEntriesPerShard = Math.floor(indexBuckets * L.BUCKET_SLOTS * INDEX_MAX_LOAD)

  return {
    memBytes, shardCount, shardBytes, shardsOffset, threadsOffset, maxThreads,
    scratchOffset, scratchBytes: SCRATCH_BYTES, flightsOffset, segBytes, segCount, indexBuckets, sketchBlocks, ghostSlots,
    maxEntriesPerShard, maxEntriesTotal: input.maxEntries ?? 0,
    shardSketchOffset, shardGhostOffset, shardIndexOffset, shardSegHeadersOffset, shardDataOffset,
    bytesTotal: shardCount * segCount * segBytes,
    // Segments are at least maxEntrySize, so the cap is never above what the arena can hold.
    maxEntryBytes: Math.min(largestEntry(segBytes, segCount, shardCount, memBytes), input.maxEntrySize ?? Infinity),
  }
}

/**
 * How many entries the index and the policy's sketch and ghost were sized for, over all shards: what
 * `maxEntries` asked for, else the arena's bytes at `expectedEntrySize` (the index's buckets at its
 * planned load are the measure both sizings share).
 */
export function sizedEntries(g: Readonly<Geometry>): number {
  return Math.floor(g.indexBuckets * L.BUCKET_SLOTS * INDEX_LOAD) * g.shardCount
}

/** Bytes the shards give to their index and policy state (sketch, miss filter, ghost), not to entries. */
export function structureBytes(g: Readonly<Geometry>): number {
  return (g.shardSegHeadersOffset - g.shardSketchOffset) * g.shardCount
}

/**
 * The most of `entries` keys a shard is expected to get when a good hash spreads them over `shards`:
 * the mean plus six standard deviations of the binomial count, and a few keys. A flat 15% over the
 * mean gave each shard of a 5M-entry cache ~47k entries of bytes it never used (the deviation there is
 * ~540): ~20 bytes per entry of maxBytes that stayed empty (~96 MiB of 974 MiB), and ~2.7 bytes per
 * entry of index and sketch. A shard that gets more keys still holds them: its index takes 1.2 times
 * this before it evicts (INDEX_LOAD against INDEX_MAX_LOAD), and its sketch and ghost only get denser.
 */
export function busiestShare(entries: number, shards: number): number {
  if (shards <= 1) return entries
  const mean = entries / shards
  return Math.min(entries, mean + 6 * Math.sqrt(mean * (1 - 1 / shards)) + 16)
}

/**
 * The smallest maxBytes (rounded up to whole 64 KiB pages) whose arena holds `entries` entries of
 * `entryBytes` bytes each (header + key + value) with `maxEntries: entries`, found by searching
 * computeGeometry itself so it can never disagree with it. Headroom for partly filled segments and
 * for keys spreading unevenly over shards is included.
 */
export function maxBytesFor(entries: number, entryBytes: number, input: Omit<GeometryInput, 'maxBytes' | 'maxEntries'>): number {
  positiveInteger(entries, 'entries')
  positiveInteger(entryBytes, 'entryBytes')
  if (typeof input.maxEntrySize === 'number' && entryBytes > input.maxEntrySize)
    invalid(`entries of ${entryBytes} bytes are refused by maxEntrySize ${input.maxEntrySize}`)
  const limit = input.limitBytes ?? WASM_MAX_BYTES
  const fits = (maxBytes: number): boolean => {
    try {
      const g = computeGeometry({ ...input, maxBytes, maxEntries: entries })
      // Each shard's share of the bytes, with its imbalance and ~3 partly filled segments per queue. An
      // entry never spans segments (a segment holds floor(segBytes / entryBytes) of them), and one
      // larger than a segment takes whole segments for its value (and a small record).
      const physical = entryBytes <= g.segBytes ? g.segBytes / Math.floor(g.segBytes / entryBytes)
        : Math.ceil(entryBytes / g.segBytes) * g.segBytes + 64
      const perShard = busiestShare(entries, g.shardCount) * physical + (L.NUM_QUEUES * 2 + 2) * g.segBytes
      return g.segCount * g.segBytes >= perShard && g.maxEntryBytes >= entryBytes
    } catch {
      return false
    }
  }
  let lo = MIN_ARENA_BYTES
  let hi = limit
  if (!fits(hi)) throw new CortadoError('ERR_CAPACITY', `${entries} entries of ${entryBytes} bytes don't fit in ${limit} bytes`)
  while (hi - lo > WASM_PAGE) {
    const mid = alignDown((lo + hi) / 2, WASM_PAGE)
    if (fits(mid)) hi = mid
    else lo = mid
  }
  return alignUp(hi, WASM_PAGE)
}
