// TinyLFU's frequency sketch: a count-min sketch of 4-bit counters, per shard. Each key's four counters
// sit in two 64-bit words of one 64-byte block (one cache line), two in each: an access is counted by
// a load, a few register operations and a store per word (stop 41; it was one word per counter, ~30
// more instructions per hit). All counters are halved every `resetAt` increments (aging), so the
// sketch follows a changing workload.
//
// Updates are lock-free and lossy: two threads incrementing the same word may lose one increment, which
// only makes an estimate slightly low. Nothing else lives in these bytes, so a race can't corrupt state.
import * as L from './layout.generated'
import { SKETCH_SAMPLE, UNASKED_KEEP, MISSED_GENS } from './policy/tuning.generated'
import { sketchBlocks, sketchCounterBlocks, sketchOffset } from './arena'
import { fastRange } from './hash'

const WORDS_PER_BLOCK: u32 = 8
/** A counter's ceiling (four bits): an estimate is at most this. */
export const MAX_COUNT: u32 = 15
const HALF_MASK: u64 = 0x7777777777777777
// The miss filter's 'written unasked' bit of every pair (the odd bits: filterInserted).
const UNASKED_BITS: u64 = 0xAAAAAAAAAAAAAAAA

// The area's last blocks (one in MISS_FILTER_SHARE, rounded up) are the miss filter, the rest the
// counters: src/layout/geometry.ts adds ceil(counters / (share − 1)) filter blocks to the counters.
// @ts-ignore: decorator
@inline function counterBlocks(): u32 {
  // Computed once when the arena is attached (a division per lookup cost 5% of a get).
  return sketchCounterBlocks
}

// @ts-ignore: decorator
@inline function filterBlocks(): u32 {
  return sketchBlocks - counterBlocks()
}

// The block comes from a remix of the hash, not from its high bits: those also pick the shard, so
// within one shard they span only 1/shards of their range and would leave most blocks unused.
// @ts-ignore: decorator
@inline function blockOf(h: u64): u32 {
  return fastRange(<u32>((h * 0x9E3779B97F4A7C15) >> 32), counterBlocks())
}

// @ts-ignore: decorator
@inline function blockAddr(sb: u32, h: u64): u32 {
  return sb + sketchOffset + blockOf(h) * L.SKETCH_BLOCK_BYTES
}

/** The first word of hash h's block (to bring the block into cache ahead of use). */
export function sketchWord(sb: u32, h: u64): u32 {
  const block = sketchBlockOf(sb, h)
  return block == 0 ? 0 : load<u32>(block)
}

// `bits` are the hash's low 16 bits. Counters 0 and 1 are in word A (one of the block's first
// L.SKETCH_PAIR_WORDS = 4: bits 0-1), 2 and 3 in word B (one of its last four: bits 2-3); counter i is
// one of the L.SKETCH_HALF_COUNTERS = 8 nibbles of its word's half i & 1 (bits 4+3i..6+3i). Written
// out with those sizes folded into the masks (constant shifts, no loop); the places are held to the
// constants by test/policy/sketch-layout.test.ts.
// @ts-ignore: decorator
@inline function wordA(block: u32, bits: u32): u32 { return block + ((bits & 3) << 3) }
// @ts-ignore: decorator
@inline function wordB(block: u32, bits: u32): u32 { return block + 32 + ((bits & 12) << 1) }
// @ts-ignore: decorator
@inline function shift0(bits: u32): u64 { return <u64>((bits >> 2) & 28) }
// @ts-ignore: decorator
@inline function shift1(bits: u32): u64 { return <u64>(((bits >> 5) & 28) | 32) }
// @ts-ignore: decorator
@inline function shift2(bits: u32): u64 { return <u64>((bits >> 8) & 28) }
// @ts-ignore: decorator
@inline function shift3(bits: u32): u64 { return <u64>(((bits >> 11) & 28) | 32) }

// @ts-ignore: decorator
@inline function nibble(w: u64, shift: u64): u32 { return <u32>((w >> shift) & 15) }

/** The frequency estimate of hash h: the smallest of its four counters (0..15). */
// @ts-ignore: decorator
@inline export function estimate(sb: u32, h: u64): u32 {
  if (sketchBlocks == 0) return 0
  const block = blockAddr(sb, h)
  const bits = <u32>h
  const a = load<u64>(wordA(block, bits))
  const b = load<u64>(wordB(block, bits))
  return min<u32>(min<u32>(nibble(a, shift0(bits)), nibble(a, shift1(bits))), min<u32>(nibble(b, shift2(bits)), nibble(b, shift3(bits))))
}

/**
 * Where hash h's counters are, for tests that craft colliding keys: the 64-byte block index is
 * returned, the four counters' positions in the block (0..127, 7 bits each: word in the block × 16 +
 * nibble) are packed into `positions`.
 */
export let positions: u32 = 0
export function locateCounters(h: u64): u32 {
  const bits = <u32>h
  const a = (bits & (L.SKETCH_PAIR_WORDS - 1)) << 4
  const b = (L.SKETCH_PAIR_WORDS + ((bits >> 2) & (L.SKETCH_PAIR_WORDS - 1))) << 4
  positions = (a | <u32>(shift0(bits) >> 2)) | ((a | <u32>(shift1(bits) >> 2)) << 7)
    | ((b | <u32>(shift2(bits) >> 2)) << 14) | ((b | <u32>(shift3(bits) >> 2)) << 21)
  return blockOf(h)
}

// The miss filter: a pair of bits per slot, 'missed' (bit 2i: a get missed the key) and 'written
// unasked' (bit 2i+1: a set inserted it while 'missed' was clear: stored before anyone asked for it),
// cleared when the sketch halves. Gets set bits lock-free (an atomic or); a race or a collision only
// misjudges one ghost hit.
// @ts-ignore: decorator
@inline function filterPair(h: u64): u32 {
  return fastRange(<u32>((h * 0xC2B2AE3D27D4EB4F) >> 32), filterBlocks() * (L.SKETCH_BLOCK_BYTES * 4))
}

// @ts-ignore: decorator
@inline function filterWord(sb: u32, pair: u32): u32 {
  return sb + sketchOffset + counterBlocks() * L.SKETCH_BLOCK_BYTES + (pair >> 4) * 4
}

/** A get missed hash h: sets its 'missed' bit; true if it was set already (h missed before). */
export function filterMissed(sb: u32, h: u64): bool {
  if (filterBlocks() == 0) return false
  const pair = filterPair(h)
  const word = filterWord(sb, pair)
  const bit: u32 = 1 << ((pair & 15) << 1)
  if ((load<u32>(word) & bit) != 0) return true
  return (atomic.or<u32>(word, bit) & bit) != 0
}

/**
 * A set inserts hash h: if no get missed it before (`askedBefore`: the 'missed' bit read before the set
 * counted the access, policyTouchNew), sets its 'written unasked' bit.
 */
export function filterInserted(sb: u32, h: u64, askedBefore: bool): bool {
  if (filterBlocks() == 0) return false
  if (askedBefore) return true
  const pair = filterPair(h)
  const word = filterWord(sb, pair)
  const shift = (pair & 15) << 1
  const bits = (load<u32>(word) >> shift) & 3
  if (bits == 0) atomic.or<u32>(word, 2 << shift)
  // Whether a get missed h since policyTouchNew looked (another thread's, racing this set): asked for.
  return (bits & 1) != 0
}

/** Whether a get missed hash h before (in this sketch period, or a collision says so): asked for, loaded cache-aside. */
export function filterAsked(sb: u32, h: u64): bool {
  if (filterBlocks() == 0) return false
  const pair = filterPair(h)
  return ((load<u32>(filterWord(sb, pair)) >> ((pair & 15) << 1)) & 1) != 0
}

/**
 * MISSED_GENS: where the 'missed' bits of the sketch period before this one are kept, after the sketch area
 * (src/layout/geometry.ts reserves them): one bit a pair, pair p at bit p & 31 of the u32 at (p >> 5) × 4 (half the
 * filter's bytes: a 4.25 MiB cache must still take a 1 MiB value by default).
 */
// @ts-ignore: decorator
@inline function prevFilter(sb: u32): u32 {
  return sb + sketchOffset + sketchBlocks * L.SKETCH_BLOCK_BYTES
}

/** Whether a get missed hash h in the sketch period before this one (MISSED_GENS's kept mark; a collision may say so). */
export function filterMissedBefore(sb: u32, h: u64): bool {
  if (MISSED_GENS == 0 || filterBlocks() == 0) return false
  const pair = filterPair(h)
  return ((load<u32>(prevFilter(sb) + (pair >> 5) * 4) >> (pair & 31)) & 1) != 0
}

/** The 'missed' bits (the even ones) of the filter's u64 `w`, packed into its low 32 bits in order. */
// @ts-ignore: decorator
@inline function missedBitsOf(w: u64): u32 {
  let x = w & 0x5555555555555555
  x = (x | (x >> 1)) & 0x3333333333333333
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0F
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FF
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFF
  return <u32>(x | (x >> 16))
}

/** Whether hash h was written unasked (in this sketch period, or a collision says so). */
export function filterWrittenUnasked(sb: u32, h: u64): bool {
  if (filterBlocks() == 0) return false
  const pair = filterPair(h)
  return ((load<u32>(filterWord(sb, pair)) >> (((pair & 15) << 1) + 1)) & 1) != 0
}

/**
 * Counts one access of hash h, ageing the whole sketch when its sample is full. Inlined (stop 48): its
 * one caller on a set (beginSet) paid a call's spills and reloads around ~70 instructions of work.
 */
// @ts-ignore: decorator
@inline export function increment(sb: u32, h: u64): void {
  if (sketchBlocks == 0) return
  countAccess(sb, blockAddr(sb, h), <u32>h)
}

/**
 * Where hash h's counters are (their block; 0 without a sketch): a get computes it once, to bring the
 * block into cache while it looks the key up and to count the hit in it afterwards (incrementAt).
 */
// @ts-ignore: decorator
@inline export function sketchBlockOf(sb: u32, h: u64): u32 {
  return sketchBlocks == 0 ? 0 : blockAddr(sb, h)
}

/** increment for hash h whose block is `block` (sketchBlockOf; not 0) and low bits `bits`. */
export function incrementAt(sb: u32, block: u32, bits: u32): void {
  countAccess(sb, block, bits)
}

/**
 * Adds one to each of the counters at `ones` (a 1 at each one's lowest bit) in the word at `word`
 * that is below 15, in one addition; the word is stored only if one was: true if so.
 */
// @ts-ignore: decorator
@inline function bumpWord(word: u32, ones: u64): bool {
  const w = load<u64>(word)
  // A counter's lowest bit survives these two folds only if its four bits are all set (15), so the
  // addition carries into no neighbour.
  let full = w & (w >> 1)
  full &= full >> 2
  const add = ones & ~full
  if (add == 0) return false
  store<u64>(word, w + add)
  return true
}

// @ts-ignore: decorator
@inline function countAccess(sb: u32, block: u32, bits: u32): void {
  const a = bumpWord(wordA(block, bits), (<u64>1 << shift0(bits)) | (<u64>1 << shift1(bits)))
  const b = bumpWord(wordB(block, bits), (<u64>1 << shift2(bits)) | (<u64>1 << shift3(bits)))
  if (!(a | b)) return
  // A plain (lossy) count: a lost increment only delays the next ageing a little. Only the thread
  // whose CAS moves the count back wins the right to age the sketch, so it is never halved twice.
  const n = load<u32>(sb + L.SHARD_SKETCH_ADDITIONS) + 1
  store<u32>(sb + L.SHARD_SKETCH_ADDITIONS, n)
  if (n >= load<u32>(sb + L.SHARD_SKETCH_RESET_AT) && atomic.cmpxchg<u32>(sb + L.SHARD_SKETCH_ADDITIONS, n, n >> 1) == n) halve(sb)
}

/**
 * Counts `times` accesses of hash h (the front's batched hits): leaves the counters, the count towards
 * ageing and the ageing exactly as `times` calls of increment would, in one pass over the two words
 * when no ageing falls among them (as increment, lossy under contention). A call of increment adds to
 * the count only while some counter is below 15, i.e. for the first 15 − (smallest counter) calls.
 */
export function incrementTimes(sb: u32, h: u64, times: u32): void {
  if (sketchBlocks == 0) return
  // The block, the two words and the four counters once, for the estimate and the addition (computed
  // again in each, they were ~a third of a front record's cost; stop 42).
  const block = blockAddr(sb, h)
  const bits = <u32>h
  const pa = wordA(block, bits)
  const pb = wordB(block, bits)
  const a = load<u64>(pa)
  const b = load<u64>(pb)
  const s0 = shift0(bits)
  const s1 = shift1(bits)
  const s2 = shift2(bits)
  const s3 = shift3(bits)
  const c0 = nibble(a, s0)
  const c1 = nibble(a, s1)
  const c2 = nibble(b, s2)
  const c3 = nibble(b, s3)
  const added = min<u32>(times, 15 - min<u32>(min<u32>(c0, c1), min<u32>(c2, c3)))
  if (added == 0) return
  const n = load<u32>(sb + L.SHARD_SKETCH_ADDITIONS) + added
  if (n >= load<u32>(sb + L.SHARD_SKETCH_RESET_AT)) {
    // An ageing falls among them: one at a time, so it halves what it would have halved.
    for (let i: u32 = 0; i < times; i++) increment(sb, h)
    return
  }
  // A word whose two counters are saturated is not stored back (that could undo another thread's count).
  const da = raised(c0, s0, times) + raised(c1, s1, times)
  if (da != 0) store<u64>(pa, a + da)
  const db = raised(c2, s2, times) + raised(c3, s3, times)
  if (db != 0) store<u64>(pb, b + db)
  store<u32>(sb + L.SHARD_SKETCH_ADDITIONS, n)
}

/** What `times` increments add to a counter now at `c` (they stop at 15), in place at `shift`. */
// @ts-ignore: decorator
@inline function raised(c: u32, shift: u64, times: u32): u64 {
  return <u64>min<u32>(times, 15 - c) << shift
}

/**
 * WIN_AGE (stop 51): halves hash h's four counters (main's victim that beat a newcomer while a hot set moves:
 * assembly/policy/adaptive.ts contest). Under the shard lock; against a racing get's increment as lossy as
 * the increments are (one count of one key). The count towards the next ageing is left as it is.
 */
export function ageCounters(sb: u32, h: u64): void {
  if (sketchBlocks == 0) return
  const block = blockAddr(sb, h)
  const bits = <u32>h
  const pa = wordA(block, bits)
  const pb = wordB(block, bits)
  store<u64>(pa, halvedAt(halvedAt(load<u64>(pa), shift0(bits)), shift1(bits)))
  store<u64>(pb, halvedAt(halvedAt(load<u64>(pb), shift2(bits)), shift3(bits)))
}

/** `w` with its counter at `shift` halved (each word's two counters of a key are in different halves). */
// @ts-ignore: decorator
@inline function halvedAt(w: u64, shift: u64): u64 {
  return (w & ~(<u64>15 << shift)) | ((((w >> shift) & 15) >> 1) << shift)
}

/**
 * Ages the sketch now (the policy saw recency beat frequency: window.ts): halves the counters, clears
 * the miss filter and halves the count towards the next regular ageing. Under the shard lock.
 */
export function ageSketch(sb: u32): void {
  if (sketchBlocks == 0) return
  store<u32>(sb + L.SHARD_SKETCH_ADDITIONS, load<u32>(sb + L.SHARD_SKETCH_ADDITIONS) >> 1)
  halve(sb)
}

function halve(sb: u32): void {
  const base = sb + sketchOffset
  const words = counterBlocks() * WORDS_PER_BLOCK
  for (let i: u32 = 0; i < words; i++) {
    const p = base + i * 8
    store<u64>(p, (load<u64>(p) >> 1) & HALF_MASK)
  }
  const filter = base + words * 8
  const filterBytes = filterBlocks() * L.SKETCH_BLOCK_BYTES
  // MISSED_GENS: the 'missed' bits this halving clears are kept for one more period.
  if (MISSED_GENS != 0) {
    const prev = prevFilter(sb)
    for (let i: u32 = 0; i < filterBytes; i += 8) store<u32>(prev + (i >> 1), missedBitsOf(load<u64>(filter + i)))
  }
  // UNASKED_KEEP (stop 47): while main's keys are quiet (QUIET_MAIN: a hot set read cache-aside gave way
  // to write-then-read) only the 'missed' bits go, so the new keys keep their written-unasked marks
  // through the early ageings of the window's growth.
  if (UNASKED_KEEP != 0 && load<u32>(sb + L.POLICY_STATE_OFFSET + L.POLICY_QUIET_ON) != 0) clearMissedBits(filter, filterBytes)
  else memory.fill(filter, 0, filterBytes)
}

/**
 * Clears the miss filter's 'missed' bits and keeps its 'written unasked' ones (MISS_CLEAR, when sets of
 * keys no get missed begin: policy/adaptive.ts noteInsert). Under the shard lock; a get racing it may
 * lose its bit, as at a halving.
 */
export function clearMissed(sb: u32): void {
  if (filterBlocks() == 0) return
  clearMissedBits(sb + sketchOffset + counterBlocks() * L.SKETCH_BLOCK_BYTES, filterBlocks() * L.SKETCH_BLOCK_BYTES)
  // MISSED_GENS: the traffic that left those marks is over; the period before's go too.
  if (MISSED_GENS != 0) memory.fill(prevFilter(sb), 0, filterBlocks() * (L.SKETCH_BLOCK_BYTES >> 1))
}

function clearMissedBits(filter: u32, filterBytes: u32): void {
  for (let p = filter; p < filter + filterBytes; p += 8) store<u64>(p, load<u64>(p) & UNASKED_BITS)
}

/**
 * Sets the ageing period to SKETCH_SAMPLE × `entries` (at most × `capacity`, clearSketch's), when it is
 * off by more than a quarter: the shard's index was sized for `capacity` entries of the expected size,
 * and a cache of 40 KiB values holds a hundredth of that; aged by its index, its sketch would keep the
 * first values' counts for ever and refuse every new one. A quarter of slack keeps the small-entry
 * caches, which hold about their index's count, on the period they always had.
 */
export function fitSample(sb: u32, entries: u32, capacity: u32): void {
  if (sketchBlocks == 0) return
  const target = samplePeriod(min<u32>(entries, capacity))
  const at = sb + L.SHARD_SKETCH_RESET_AT
  const current = load<u32>(at)
  if (target < current - (current >> 2) || target > current + (current >> 2)) store<u32>(at, target)
}

/** Clears the sketch (`zeroed`: its area is known to be zeros already: policyInit) and sets its ageing period. */
export function clearSketch(sb: u32, capacity: u32, zeroed: bool): void {
  if (sketchBlocks == 0) return
  // With MISSED_GENS the period before's 'missed' bits follow the sketch area.
  if (!zeroed) memory.fill(sb + sketchOffset, 0, sketchBlocks * L.SKETCH_BLOCK_BYTES + (MISSED_GENS != 0 ? filterBlocks() * (L.SKETCH_BLOCK_BYTES >> 1) : 0))
  store<u32>(sb + L.SHARD_SKETCH_ADDITIONS, 0)
  store<u32>(sb + L.SHARD_SKETCH_RESET_AT, samplePeriod(capacity))
}

/** Increments between ageings for a shard of `entries` entries: TinyLFU's sample size W = 12 C. */
// @ts-ignore: decorator
@inline function samplePeriod(entries: u32): u32 {
  return max<u32>(64, entries * SKETCH_SAMPLE)
}
