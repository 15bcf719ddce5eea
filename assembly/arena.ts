// The arena's geometry, read from its header once per instance. Every thread instantiates this module
// over the same memory and module globals are per instance (BRIEF, fact 4): the globals here are only
// read-only copies of header fields plus this thread's own slot, never shared mutable state.
import { MISS_FILTER_SHARE, COLD_HITS } from './policy/tuning.generated'
import * as L from './layout.generated'

export let shardCount: u32 = 0
export let shardBytes: u32 = 0
export let shardsOffset: u32 = 0
export let segBytes: u32 = 0
export let segCount: u32 = 0
/** The largest entry (header + key + value) a set may store; above a segment it is LARGE (large.ts). */
export let maxEntryBytes: u32 = 0
export let indexBuckets: u32 = 0
export let sketchBlocks: u32 = 0
/** Of those, the blocks that hold counters (the rest are the miss filter: sketch.ts); computed once. */
export let sketchCounterBlocks: u32 = 0
export let ghostSlots: u32 = 0
export let maxEntriesPerShard: u32 = 0
export let maxEntriesTotal: u32 = 0
export let sketchOffset: u32 = 0
export let ghostOffset: u32 = 0
export let indexOffset: u32 = 0
export let segHeadersOffset: u32 = 0
export let dataOffset: u32 = 0
export let policyId: u32 = 0
export let seed: u64 = 0
export let maxThreads: u32 = 0
export let threadsOffset: u32 = 0
export let scratchOffset: u32 = 0
export let scratchBytes: u32 = 0
/**
 * The adaptive policy's capacity per shard (POLICY_CAPACITY, stored by adaptiveInit from this same
 * geometry), and the least hit count that is not below COLD_HITS × it: a get tests its count against
 * this integer instead of converting and multiplying (policy/adaptive.ts, noteColdHits).
 */
export let policyCapacity: f64 = 0
export let coldHitsLimit: u64 = 0

/** Segments left to allocation when the whole queue area is counted as capacity. */
const SPARE_SEGMENTS: u32 = L.NUM_QUEUES + 2

/** This thread's slot (1-based owner id for lock words; 0 = not attached). */
export let threadId: u32 = 0
export let threadBase: u32 = 0
/** This thread's scratch area: RESULT struct first, then keys and values. */
export let scratchBase: u32 = 0

export function loadGeometry(): void {
  shardCount = load<u32>(L.ARENA_SHARD_COUNT)
  shardBytes = <u32>load<u64>(L.ARENA_SHARD_BYTES)
  shardsOffset = <u32>load<u64>(L.ARENA_SHARDS_OFFSET)
  segBytes = load<u32>(L.ARENA_SEG_BYTES)
  segCount = load<u32>(L.ARENA_SEG_COUNT)
  maxEntryBytes = load<u32>(L.ARENA_MAX_ENTRY_BYTES)
  indexBuckets = load<u32>(L.ARENA_INDEX_BUCKETS)
  sketchBlocks = load<u32>(L.ARENA_SKETCH_BLOCKS)
  sketchCounterBlocks = MISS_FILTER_SHARE == 0 ? sketchBlocks : <u32>(<u64>sketchBlocks * <u64>(MISS_FILTER_SHARE - 1) / <u64>MISS_FILTER_SHARE)
  ghostSlots = load<u32>(L.ARENA_GHOST_SLOTS)
  maxEntriesPerShard = load<u32>(L.ARENA_MAX_ENTRIES_PER_SHARD)
  maxEntriesTotal = load<u32>(L.ARENA_MAX_ENTRIES_TOTAL)
  sketchOffset = load<u32>(L.ARENA_SHARD_SKETCH_OFFSET)
  ghostOffset = load<u32>(L.ARENA_SHARD_GHOST_OFFSET)
  indexOffset = load<u32>(L.ARENA_SHARD_INDEX_OFFSET)
  segHeadersOffset = load<u32>(L.ARENA_SHARD_SEG_HEADERS_OFFSET)
  dataOffset = load<u32>(L.ARENA_SHARD_DATA_OFFSET)
  policyId = load<u32>(L.ARENA_POLICY)
  seed = (<u64>load<u32>(L.ARENA_SEED_HI) << 32) | <u64>load<u32>(L.ARENA_SEED_LO)
  maxThreads = load<u32>(L.ARENA_MAX_THREADS)
  threadsOffset = <u32>load<u64>(L.ARENA_THREADS_OFFSET)
  scratchOffset = <u32>load<u64>(L.ARENA_SCRATCH_OFFSET)
  scratchBytes = load<u32>(L.ARENA_SCRATCH_BYTES)
  policyCapacity = maxEntriesTotal != 0
    ? <f64>maxEntriesTotal / <f64>shardCount
    : <f64>(segCount > SPARE_SEGMENTS ? segCount - SPARE_SEGMENTS : 1) * <f64>segBytes
  // For a u32 count n: <f64>n < x exactly when n < ceil(x) (x ≥ 0, every u32 exact in f64).
  const x = COLD_HITS * policyCapacity
  coldHitsLimit = x <= 0 ? 0 : x >= 8589934592 ? 8589934592 : <u64>Math.ceil(x)
}

export function setThread(slot: u32): void {
  threadId = slot + 1
  threadBase = threadsOffset + slot * L.THREAD_SIZE
  scratchBase = scratchOffset + slot * scratchBytes
}

// @ts-ignore: decorator
@inline export function shardBase(shard: u32): u32 {
  return shardsOffset + shard * shardBytes
}

/** Live entries in the whole arena, kept only when there is a global count bound (maxEntries). */
// @ts-ignore: decorator
@inline export function countGlobally(delta: i32): void {
  if (maxEntriesTotal != 0) atomic.add<i32>(L.ARENA_LIVE_TOTAL, delta)
}

/** Where preload() leaves the words it loads (a load whose value goes nowhere would be optimised away). */
let preloadSink: u32 = 0

/**
 * Keeps an early load: a caller loads a word it will need soon (a sketch block, a ghost bucket), so that
 * its cache miss overlaps others instead of following them. No decision depends on the value.
 */
// @ts-ignore: decorator
@inline export function preload(word: u32): void {
  preloadSink += word
}
