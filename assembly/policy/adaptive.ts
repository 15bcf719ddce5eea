// The default policy: W-TinyLFU built from three FIFO queues, with ARC's adaptation of the window.
// The algorithm, its constants and the measurements behind each are in bench/sim/model/POLICY.md;
// this is its port to the engine (the model in bench/sim/model/shard.ts is the reference).
//
// - WINDOW: every newcomer enters here; its target size adapts.
// - PROBATION: main entries not hit since they got there; its tail is the eviction victim.
// - PROTECTED: main entries hit in probation, CLOCK reinsertion; its overflow goes back to probation.
//
// A candidate leaving the window enters probation only if the sketch says it is more frequent than
// the victim it displaces (TinyLFU); a key found in the ghost contests the victims at once and,
// winning, goes straight to protected; the window target moves like ARC's p on recent ghost hits.
import * as L from '../layout.generated'
import { maxEntriesPerShard, ghostSlots, policyCapacity, coldHitsLimit } from '../arena'
import { increment, incrementAt, incrementTimes, estimate, clearSketch, fitSample, filterAsked, filterMissedBefore, filterInserted, filterWrittenUnasked, clearMissed, ageCounters, MAX_COUNT } from '../sketch'
import { ghostAdd, ghostAge, clearGhost } from '../ghost'
import { liveTail, knownTail, moveTail, evictTail, evictTailAt, tailCounter, tailHash, tailCost, tailOff, tailSize, tailSlot, restoreTail } from '../queues'
import { flagsOf, isLarge, chainedBytes } from '../entry'
import { queueCount, freeCount, reclaimDeadTails } from '../segments'
import { capacity, unitsOf, queueUnits, usedUnits, meanSize, mainHolds, isFull, countMode, isBig } from './units'
import { ageEarly, ageNow, applyGhostEvidence, noteGhost, noteLateHit, windowTarget, setWindowTarget, windowFloor, writeOnce, onceMax } from './window'
import { INITIAL_WINDOW, MAX_TAIL_OPS, PROTECTED_SHARE, WARM_FREQUENCY, WARM_ODDS, LARGE_TIE_FREQUENCY, UNASKED_TIE, RETURN_TO, RETURN_READ_MIN, RETURN_LEVEL, RETURN_SHARE, RETURN_MAX, RETURN_SPAN, ONCE_MAX_WINDOW, ONCE_HOT_SHARE, COLD_WINDOW, COLD_SHARE, COLD_HITS, COLD_HITS_UNASKED, DRIFT_SWEEP, DRIFT_BLOCK, DRIFT_MIN_BLOCK, DRIFT_DROP, DRIFT_DECAY, DRIFT_FULL, DRIFT_GROW, DRIFT_GROW_HIT, DRIFT_GROW_DECAY, MAX_WINDOW, WINDOW_CLOCK_ASKED, MISSED_GENS, HIT_GAIN, HIT_GAIN_SHARE, HIT_GAIN_MAIN, HIT_GAIN_RUNS, HIT_GAIN_UNDO, HIT_GAIN_NO_AGE, SATURATED_TIE, MISS_CLEAR, LATE_HIT, LATE_FLAG, TRACER_FLAG, MISS_RUN, MISS_UNDO, MISS_UNDO_MISSES, DRY_RUN, DRY_RUN_COST, DRY_RUN_CAP, LATE_SHARE, FREE_TAG, STALE_GATE, STALE_RUNS, STALE_HOLD, STALE_MAX_WINDOW, STALE_MIN_STEPS, STALE_HALVE, STALE_FAST, STALE_FAST_DRIFT, STALE_FAST_PEAK, STALE_FAST_TAIL, STALE_FAST_WINDOW, STALE_FAST_HOLD, STALE_FAST_AGE, STALE_FAST_AGE_WINDOW, STALE_FAST_HALVE, STALE_FAST_HALVE_DRIFT, WIN_AGE, RETURN_SAMPLE, RETURN_TEST_NEW, RETURN_TEST_BACK, ONCE_FIFO, ONCE_LIFT, ONCE_DROP, COLD_SHED, FILL_ROTATE, YOUNG_TEST, YOUNG_AGE, YOUNG_MIN, YOUNG_STEP, YOUNG_BACK_MIN, YOUNG_BACK_FROM, YOUNG_BACK_TO, YOUNG_KEEP, YOUNG_HANDOFF } from './tuning.generated'
import { nextRandom, seedRng } from './rng'
import { seed } from '../arena'
import { REJECT } from './decision'

const WINDOW = L.QUEUE_WINDOW
const PROBATION = L.QUEUE_PROBATION
const PROTECTED = L.QUEUE_PROTECTED
const FROM_WINDOW: u32 = 0
const FROM_MAIN: u32 = 1
const P = L.POLICY_STATE_OFFSET


// The eviction path's helpers are @inline (leaveWindow, contest, victim here; estimate, ghostAdd and
// evictTailAt in sketch.ts, ghost.ts and queues.ts): V8 keeps no register across a wasm call, so each
// call spilled and reloaded what its caller held. Inlined, a set with eviction runs 4241 instead of 4359
// instructions of generated code (bench/arena/policy-count.sh, stop 33); the module grows 27 → 38 KB.

/** The queue main's victim was left at the tail of, by victim(). */
let victimQueue: u32 = PROBATION
/**
 * The policy's flags for the entry of the insert in progress (per thread, read by the set that called
 * adaptiveInsert): ENTRY_UNASKED (LATE_FLAG), ENTRY_TRACER (TRACER_FLAG).
 */
let insertFlags: u32 = 0

export function adaptiveInit(sb: u32, shard: u32, zeroed: bool): void {
  const c = policyCapacity
  store<f64>(sb + P + L.POLICY_CAPACITY, c)
  setWindowTarget(sb, max<f64>(1, c * INITIAL_WINDOW))
  store<f64>(sb + P + L.POLICY_GROWTH_BASE, max<f64>(1, c * INITIAL_WINDOW))
  store<u32>(sb + P + L.POLICY_AGE_MARK, 0)
  store<u32>(sb + P + L.POLICY_PENDING_GROW, 0)
  store<u32>(sb + P + L.POLICY_PENDING_SHRINK, 0)
  store<u32>(sb + P + L.POLICY_RETURN_ON, 0)
  store<f64>(sb + P + L.POLICY_UNASKED_SHARE, 0)
  store<f64>(sb + P + L.POLICY_HOT_SHARE, 0)
  store<u32>(sb + P + L.POLICY_COLD_FULL, 0)
  store<u32>(sb + P + L.POLICY_COLD_HITS, 0)
  store<u32>(sb + P + L.POLICY_MISS_RUN, 0)
  store<f64>(sb + P + L.POLICY_MISS_FROM, 0)
  store<i32>(sb + P + L.POLICY_MISS_TALLY, 0)
  store<u32>(sb + P + L.POLICY_MISS_SHED, 0)
  store<u32>(sb + P + L.POLICY_DRY_RUN, 0)
  store<u32>(sb + P + L.POLICY_DRY_ADDED, 0)
  store<u32>(sb + P + L.POLICY_DRY_STATE, 0)
  store<u32>(sb + P + L.POLICY_DRY_LAST, 0)
  store<f64>(sb + P + L.POLICY_DRIFT_PEAK, 0)
  store<u32>(sb + P + L.POLICY_DRIFT_INSERTS, 0)
  store<u32>(sb + P + L.POLICY_DRIFT_RETURNS, 0)
  store<u32>(sb + P + L.POLICY_DRIFT_ON, 0)
  // Count mode: the block's length for good. Byte mode: a placeholder until the shard is first full (an
  // empty shard's mean size says nothing), when coldStart takes it with the mean size.
  store<u32>(sb + P + L.POLICY_DRIFT_BLOCK, blockOf(c))
  store<u32>(sb + P + L.POLICY_DRIFT_FELL, 0)
  store<u32>(sb + P + L.POLICY_DRIFT_LEAVES, 0)
  store<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS, 0)
  store<f64>(sb + P + L.POLICY_DRIFT_GREW, 0)
  store<u32>(sb + P + L.POLICY_TAIL_ROUNDS, 0)
  store<u32>(sb + P + L.POLICY_RET_WINDOW, 0)
  store<u32>(sb + P + L.POLICY_RET_MAIN, 0)
  store<u32>(sb + P + L.POLICY_HIT_RUN, 0)
  store<u32>(sb + P + L.POLICY_PENDING_BOOST, 0)
  store<f64>(sb + P + L.POLICY_BLOCK_BOOST, 0)
  store<u32>(sb + P + L.POLICY_QUIET_RETURNS, 0)
  store<u32>(sb + P + L.POLICY_QUIET_MAIN_RETURNS, 0)
  store<u32>(sb + P + L.POLICY_QUIET_ON, 0)
  store<u32>(sb + P + L.POLICY_STALE_STEPS, 0)
  store<u32>(sb + P + L.POLICY_STALE_UNHIT, 0)
  store<u32>(sb + P + L.POLICY_STALE_RUN, 0)
  store<u32>(sb + P + L.POLICY_STALE_HELD, 0)
  store<f64>(sb + P + L.POLICY_BACK_MEAN, 0)
  store<f64>(sb + P + L.POLICY_NEW_MEAN, 3)
  store<u32>(sb + P + L.POLICY_YOUNG_CLOCK, 0)
  store<u32>(sb + P + L.POLICY_YOUNG_LIMIT, 0)
  store<u32>(sb + P + L.POLICY_BACK_FROM, 0)
  store<u32>(sb + P + L.POLICY_BACK_TO, 0)
  store<u32>(sb + P + L.POLICY_YOUNG_KEEP_LIMIT, 0)
  store<u32>(sb + P + L.POLICY_YOUNG_VETO, 0)
  store<f64>(sb + P + L.POLICY_YOUNG_SHARE, 1)
  store<f64>(sb + P + L.POLICY_BACK_SHARE, 0)
  store<f64>(sb + P + L.POLICY_READ_SHARE, 1)
  store<u32>(sb + P + L.POLICY_READ_FROM, 0)
  memory.fill(sb + P + L.POLICY_YOUNG_SLOTS, 0, YOUNG_TEST << 4)
  seedRng(sb, seed, shard)
  clearSketch(sb, ghostSlots, zeroed)
  clearGhost(sb, zeroed)
}

/** Every access that counts for frequency: a hit (lock-free, lossy) or a set (under the lock). */
export function adaptiveOnAccess(sb: u32, h: u64): void {
  increment(sb, h)
}

/**
 * A get that hit (lock-free, lossy): an access, evidence for COLD_WINDOW until the shard is first full,
 * and with `firstInProbation` (the entry's first hit in probation) for LATE_HIT.
 */
export function adaptiveOnHit(sb: u32, h: u64, block: u32, firstInProbation: bool, entryFlags: u32): void {
  if (block != 0) incrementAt(sb, block, <u32>h)
  // TRACER_FLAG: only an entry whose tag a tracer slot held at its insert can be a tracer.
  if (YOUNG_TEST != 0 && (TRACER_FLAG == 0 || (entryFlags & L.ENTRY_TRACER) != 0)) youngRead(sb, h)
  if (COLD_WINDOW > 0) noteColdHits(sb, h, 1, true, entryFlags)
  if (LATE_HIT != 0 && firstInProbation) noteLateHit(sb, h, (entryFlags & L.ENTRY_UNASKED) != 0)
  // MISS_RUN: one load (the word sits beside coldFull's, which noteColdHits read), a store only when it is not 0.
  if (MISS_RUN != 0) {
    const w = load<u32>(sb + P + L.POLICY_MISS_RUN)
    if (w != 0) missRunHit(sb, w, entryFlags, <u32>h)
  }
}

/** The policy's flags for the entry of the insert adaptiveInsert just decided (ENTRY_UNASKED, ENTRY_TRACER). */
export function adaptiveInsertFlags(): u32 {
  return insertFlags
}

/**
 * `times` hits at once (a front's batched hits): the sketch counts them as `times` accesses. They end MISS_RUN's run
 * but give MISS_UNDO no verdict (the front does not say which queue the entry is in).
 */
export function adaptiveOnAccesses(sb: u32, h: u64, times: u32): void {
  incrementTimes(sb, h, times)
  if (YOUNG_TEST != 0) youngRead(sb, h)
  if (COLD_WINDOW > 0) noteColdHits(sb, h, times, false, 0)
  if (MISS_RUN != 0) {
    const w = load<u32>(sb + P + L.POLICY_MISS_RUN)
    if ((w & (MISS_COUNT | DRY_ARMED)) != 0) store<u32>(sb + P + L.POLICY_MISS_RUN, w & ~(MISS_COUNT | DRY_ARMED))
  }
}

// MISS_RUN's word (POLICY_MISS_RUN): gets that missed in a row (the low 28 bits), DRY_RUN's mark (an insert set it, no
// get hit since), MISS_UNDO's verdict started (a hit came after the jump), pending (a jump waits for it) and its undo
// decided (the next insert applies it).
const MISS_COUNT: u32 = 0x0fffffff
const DRY_ARMED: u32 = 1 << 28
const MISS_STARTED: u32 = 1 << 29
const MISS_PENDING: u32 = 1 << 30
const MISS_UNDONE: u32 = 1 << 31
/** MISS_UNDO's thresholds, in the tally's units (a miss −1, a hit ±MISS_UNDO_MISSES). */
const MISS_VERDICT: i32 = <i32>(MISS_UNDO * MISS_UNDO_MISSES)
// DRY_RUN's state word (POLICY_DRY_STATE): the pending jump is DRY_RUN's (its verdict reads the entry's mark and
// counts main's hits per key), and an undone dry jump's lockout (until the sketch's count next goes down).
const DRY_JUMP: u32 = 1
const DRY_LOCK: u32 = 2

/**
 * MISS_RUN (stop 54): a get that hit ends the run of misses; while MISS_UNDO's verdict is pending, the hit starts it
 * (a run of misses says nothing) and counts for it: +MISS_UNDO_MISSES in main, −MISS_UNDO_MISSES in the window; at
 * +MISS_VERDICT the jump is to be undone (by the next insert), at −MISS_VERDICT it stands. Lock-free and lossy as the
 * other hit counts: a plain store, which may lose a miss counted meanwhile.
 */
function missRunHit(sb: u32, w: u32, entryFlags: u32, key: u32): void {
  // DRY_RUN: the hit clears the mark the last insert set (a get hit since).
  let flags = w & ~(MISS_COUNT | DRY_ARMED)
  if ((w & MISS_PENDING) != 0) {
    const inWindow = (entryFlags & L.ENTRY_QUEUE_MASK) == L.QUEUE_WINDOW << L.ENTRY_QUEUE_SHIFT
    let step = inWindow ? -<i32>MISS_UNDO_MISSES : <i32>MISS_UNDO_MISSES
    // DRY_RUN: after its jump a hit on an entry written unasked serves the jump (the opening's keys that reached
    // probation before it), and a hit in main counts against it only on another key than the last so counted (the
    // opening's one hot key, read again and again, says nothing; a hot set of many keys does).
    if (DRY_RUN != 0 && !inWindow && (load<u32>(sb + P + L.POLICY_DRY_STATE) & DRY_JUMP) != 0) step = dryStep(sb, entryFlags, key)
    const tally = load<i32>(sb + P + L.POLICY_MISS_TALLY) + step
    store<i32>(sb + P + L.POLICY_MISS_TALLY, tally)
    flags |= MISS_STARTED
    if (tally >= MISS_VERDICT) flags = (flags & ~(MISS_PENDING | MISS_STARTED)) | MISS_UNDONE
    else if (tally <= -MISS_VERDICT) flags &= ~(MISS_PENDING | MISS_STARTED)
  }
  store<u32>(sb + P + L.POLICY_MISS_RUN, flags)
}

/** DRY_RUN: a hit in main's step in the verdict on a dry jump (see missRunHit). */
function dryStep(sb: u32, entryFlags: u32, key: u32): i32 {
  if (LATE_FLAG != 0 && (entryFlags & L.ENTRY_UNASKED) != 0) return -<i32>MISS_UNDO_MISSES
  if (key == load<u32>(sb + P + L.POLICY_DRY_LAST)) return 0
  store<u32>(sb + P + L.POLICY_DRY_LAST, key)
  return <i32>MISS_UNDO_MISSES
}

/** MISS_UNDO: a get that missed while the verdict runs counts −1 (out of line: only between a jump and its verdict). */
function missVerdictMiss(sb: u32): void {
  const tally = load<i32>(sb + P + L.POLICY_MISS_TALLY) - 1
  store<i32>(sb + P + L.POLICY_MISS_TALLY, tally)
  if (tally <= -MISS_VERDICT) atomic.and<u32>(sb + P + L.POLICY_MISS_RUN, ~(MISS_PENDING | MISS_STARTED))
}

/**
 * Hits before the shard was first full (COLD_HITS). A plain, lossy count: a lost hit only matters
 * near the threshold, and once the flag is set (under the lock) nothing counts any more. A count that
 * wrapped past 2^32 before the first fill reads low: the rule then does not fire, the safe side.
 * COLD_HITS_UNASKED: only hits on keys written unasked, while the unasked share is at least RETURN_SHARE,
 * count (write-then-read from empty reads its own writes); a cache-aside hot set hits its own loads, and a
 * bulk warm-up of sets after it made the rule misfire (stop 39).
 */
// @ts-ignore: decorator
@inline function noteColdHits(sb: u32, h: u64, n: u32, fromEntry: bool, entryFlags: u32): void {
  const full = load<u32>(sb + P + L.POLICY_COLD_FULL)
  if (full != 0) {
    // FILL_ROTATE: a get that hits ends the rotation (the fill's reads began, or cache-aside traffic after a bulk
    // warm-up). A plain store from the lock-free path: only 3 becomes 1, and the insert path writes nothing else there.
    if (FILL_ROTATE > 0 && full == 3) store<u32>(sb + P + L.POLICY_COLD_FULL, 1)
    return
  }
  const hits = load<u32>(sb + P + L.POLICY_COLD_HITS)
  if (COLD_HITS_UNASKED == 0) {
    store<u32>(sb + P + L.POLICY_COLD_HITS, hits + n)
    return
  }
  // The filter is read only while the rule could still fire and needs more hits: while some inserts are
  // written unasked (RETURN_SHARE: cache-aside traffic has ~0; COLD_SHARE itself dropped hits made while
  // the share was still rising, write share 0.5 from empty), and below the count it needs (a cache that
  // never fills, read after a bulk fill, stops reading it once that many hits were seen). A count at the
  // threshold decides as a higher one would. The capacity in POLICY_CAPACITY is at least capacity(sb),
  // the one coldStart uses. The count is tested first: in a cache that never fills it is over the
  // threshold on nearly every hit, and coldHitsLimit is that threshold as an integer (arena.ts).
  // Early returns rather than one condition: the generated code made a boolean of each && term.
  if (<u64>hits >= coldHitsLimit) return
  if (!(load<f64>(sb + P + L.POLICY_UNASKED_SHARE) >= RETURN_SHARE)) return
  // LATE_FLAG bit 2 (stop 59): a get's hit reads the mark from its entry (ENTRY_UNASKED), which it holds already;
  // the filter's word was a cache line of its own on every hit of a shard not yet full, until the count reached
  // coldHitsLimit: COLD_HITS x the shard's capacity in its own units, bytes for a cache bounded by maxBytes, so a
  // 4 MiB shard that never fills read it for its first million hits. A front's batched hits (no entry at hand)
  // still read the filter.
  const unasked = (LATE_FLAG & 2) != 0 && fromEntry ? (entryFlags & L.ENTRY_UNASKED) != 0 : filterWrittenUnasked(sb, h)
  if (unasked) store<u32>(sb + P + L.POLICY_COLD_HITS, hits + n)
}

/**
 * COLD_WINDOW: the first time an insert finds the shard full. Write-then-read traffic from empty
 * (sets, then gets of recent writes: a share of unasked inserts, and hits while filling) gave the keys
 * read meanwhile counts that make admission reject the newcomers for capacities: the window target
 * starts large instead. A bulk warm-up of sets has no hits, and cache-aside traffic no unasked share.
 */
function coldStart(sb: u32): void {
  store<u32>(sb + P + L.POLICY_COLD_FULL, 1)
  const c = capacity(sb)
  if (DRIFT_SWEEP != 0) store<u32>(sb + P + L.POLICY_DRIFT_BLOCK, blockOf(c / meanSize(sb)))
  const share = load<f64>(sb + P + L.POLICY_UNASKED_SHARE)
  const hits = load<u32>(sb + P + L.POLICY_COLD_HITS)
  if (COLD_WINDOW > 0 && share >= COLD_SHARE && <f64>hits >= COLD_HITS * c) {
    setWindowTarget(sb, max<f64>(windowTarget(sb), COLD_WINDOW * c))
    // COLD_SHED: main sheds down to its new share; until it has, protected's unhit overflow is the victim (victim).
    if (COLD_SHED != 0) store<u32>(sb + P + L.POLICY_COLD_FULL, 2)
  } else if (FILL_ROTATE > 0 && YOUNG_TEST != 0 && hits == 0 && share >= COLD_SHARE) {
    // FILL_ROTATE: a fill of sets alone (no hit on a key written unasked, most inserts written unasked). Until
    // YOUNG_TEST's clock (first writes) has moved FILL_ROTATE × capacity on, a probation victim that beats a
    // candidate goes round (fillRotate). The deadline lives in coldHits, which nothing reads once the shard is full.
    store<u32>(sb + P + L.POLICY_COLD_FULL, 3)
    store<u32>(sb + P + L.POLICY_COLD_HITS, load<u32>(sb + P + L.POLICY_YOUNG_CLOCK) + <u32>Math.floor(FILL_ROTATE * c / meanSize(sb)))
  }
}

/** A get that missed (lock-free): a young ghost is evidence for the window's size. */
export function adaptiveOnMiss(sb: u32, h: u64): void {
  if (YOUNG_TEST != 0) youngRead(sb, h)
  noteGhost(sb, h)
  // MISS_RUN: one more miss in the run (atomic: gets run without the lock); a full count stays full. MISS_UNDO: a miss
  // while the verdict runs counts against the undo.
  if (MISS_RUN != 0) {
    const w = load<u32>(sb + P + L.POLICY_MISS_RUN)
    if ((w & MISS_COUNT) != MISS_COUNT) atomic.add<u32>(sb + P + L.POLICY_MISS_RUN, 1)
    if ((w & MISS_STARTED) != 0) missVerdictMiss(sb)
  }
}

/**
 * Where a newcomer of `size` bytes goes: WINDOW, PROTECTED (a recent ghost that beat the victims),
 * or REJECT (a large newcomer that could not earn its room). A LARGE newcomer (its value in a chain of
 * whole segments) needs `segments` free segments first, and must beat main's victims for them.
 * Called under the shard lock.
 */
export function adaptiveInsert(sb: u32, h: u64, size: u32, now: f64, segments: u32, askedBefore: bool): i32 {
  const units = unitsOf(size)
  // MISS_UNDO: an undo a hit decided applies before anything of this insert.
  if (MISS_RUN != 0 && MISS_UNDO != 0 && (load<u32>(sb + P + L.POLICY_MISS_RUN) & MISS_UNDONE) != 0) missUndo(sb)
  applyGhostEvidence(sb)
  // Only a big newcomer earns its room up front (BIG_NEWCOMER); a LARGE one among large values enters
  // the window like any newcomer, and ensureRoom evicts for its segments. Taken before anything is
  // evicted below. With a count bound a small newcomer needs no answer: its one unit is never above
  // the mean (1), so only the segments' contest can ask (the f64 test cost ~25 instructions per set).
  const big = (segments != 0 || !countMode()) && isBig(sb, size)
  if (segments != 0 && big && !contestSegments(sb, h, segments, now)) return REJECT
  // Inserted before any get missed it: written unasked (window.ts counts its return as recency).
  const askedFor = filterInserted(sb, h, askedBefore)
  // LATE_FLAG: the insert's own mark goes with the entry (a get would miss the filter's word).
  insertFlags = LATE_FLAG != 0 && !askedFor ? L.ENTRY_UNASKED : 0
  // MISS_RUN: a key asked for is a cache-aside load, whose get counted a miss: the set takes it off again (only gets
  // that nothing loads make the run). A compare-and-swap: a get racing it may have changed the word.
  if (MISS_RUN != 0 && askedFor) {
    const w = load<u32>(sb + P + L.POLICY_MISS_RUN)
    if ((w & MISS_COUNT) != 0) atomic.cmpxchg<u32>(sb + P + L.POLICY_MISS_RUN, w, w - 1)
  }
  if (DRY_RUN != 0) dryNote(sb)
  // The mean entry size (a division in byte mode) serves both noteInsert and the size check below,
  // unless a contest evicted entries in between.
  let mean = meanSize(sb)
  let weight: f64 = 0
  if (RETURN_TO != 0 || ONCE_MAX_WINDOW > 0) weight = noteInsert(sb, askedFor, mean)
  // ONCE_LIFT: a target exactly at MAX_WINDOW was capped there (growth, or COLD_WINDOW) before the share reached
  // ONCE_SHARE; on write-once traffic it takes the larger maximum now, not at the next growth evidence (a
  // burst's gets insert nothing, so that evidence waits for the next burst while main holds the last one).
  if (ONCE_LIFT != 0 && windowTarget(sb) == MAX_WINDOW * capacity(sb) && onceMax(sb)) setWindowTarget(sb, ONCE_MAX_WINDOW * capacity(sb))
  // ONCE_DROP: and back: a target still exactly at ONCE_MAX_WINDOW once the traffic is cache-aside (the unasked
  // share under RETURN_SHARE) returns to MAX_WINDOW (a loop after write-then-read collapsed the window from 0.995).
  // Never right after a lift (that needs the share at ONCE_SHARE), as the model's else-branch.
  if (ONCE_DROP != 0 && windowTarget(sb) == ONCE_MAX_WINDOW * capacity(sb) && load<f64>(sb + P + L.POLICY_UNASKED_SHARE) < RETURN_SHARE) setWindowTarget(sb, MAX_WINDOW * capacity(sb))
  // FILL_ROTATE: an insert asked for (after a get missed it) ends the rotation: cache-aside traffic after a bulk
  // warm-up of sets, where a victim that wins is one being read.
  if (FILL_ROTATE > 0 && askedFor && load<u32>(sb + P + L.POLICY_COLD_FULL) == 3) store<u32>(sb + P + L.POLICY_COLD_FULL, 1)
  // The flag also tells DRIFT_SWEEP's gate that the shard has been full.
  if ((COLD_WINDOW > 0 || DRIFT_SWEEP != 0) && load<u32>(sb + P + L.POLICY_COLD_FULL) == 0 && isFull(sb, units)) coldStart(sb)
  const fromGhost = ghostAge(sb, h) >= 0
  if (DRIFT_SWEEP != 0) noteDrift(sb, fromGhost)
  if (ONCE_MAX_WINDOW > 0 && ONCE_HOT_SHARE > 0) noteHot(sb, fromGhost && askedFor && !filterWrittenUnasked(sb, h), weight)
  if (YOUNG_TEST != 0) youngInsert(sb, h, askedFor, mean)
  if (YOUNG_TEST != 0 && TRACER_FLAG != 0 && holdsTracer(sb, h)) insertFlags |= L.ENTRY_TRACER
  if (fromGhost) {
    // Evicted recently and back already: if it beats main's victims, it skips the window.
    if (mainHolds(sb) && isFull(sb, units)) {
      const need = max<f64>(units, usedUnits(sb) + units - capacity(sb))
      if (contest(sb, h, need, now, false, false)) return PROTECTED
      mean = meanSize(sb)
    }
  }
  // Once recency has won, a key written back (set after a miss) is an old key coming back: it goes to
  // probation, so that the window's FIFO keeps the newest writes (RETURN_TO in src/layout/policy.json).
  // RETURN_TEST (RETURN_SAMPLE): not a sampled write-back, nor while write-backs are read in the window
  // more than the new keys are.
  if (RETURN_TO != 0 && (fromGhost || askedFor) && returnToProbation(sb, fromGhost) && !returnTestVeto(sb, h)) return PROBATION
  // A newcomer several typical entries large must earn the room it takes from main.
  if (big && units > mean && mainHolds(sb)) {
    const excess = usedUnits(sb) + units - capacity(sb)
    if (excess > mean && !contest(sb, h, excess, now, false, false)) return REJECT
  }
  return WINDOW
}

/**
 * DRY_RUN (stop 56, lagopen2), at an insert: the sketch's count towards the next ageing (SHARD_SKETCH_ADDITIONS: the
 * increments that raised a counter) moved by this set's own count (0 or 1) and nothing else since the last insert:
 * the gets between hit only saturated keys, or missed, or there were none. The run counts such an insert if a get hit
 * since the insert before (DRY_ARMED, set here, cleared by a hit); anything else added takes DRY_RUN_COST per addition
 * off it (stop 57, dryport), and a count gone down (an ageing) takes DRY_RUN_COST and ends an undone dry jump's lockout.
 * Under the shard lock; a racing hit's lossy count as elsewhere.
 */
function dryNote(sb: u32): void {
  const n = load<u32>(sb + L.SHARD_SKETCH_ADDITIONS)
  const moved = <i32>(n - load<u32>(sb + P + L.POLICY_DRY_ADDED))
  store<u32>(sb + P + L.POLICY_DRY_ADDED, n)
  const w = load<u32>(sb + P + L.POLICY_MISS_RUN)
  if (moved < 0 || moved > 1) {
    // DRY_RUN_COST (stop 57): each addition but the set's own takes DRY_RUN_COST off the run (an ageing, the count
    // gone down, one addition's worth), floored at 0: a hot set read beside the opening shortens the run, not ends it.
    // The additions counted are bounded by DRY_RUN_CAP (more empty the run anyway), so the product cannot wrap.
    const run = load<u32>(sb + P + L.POLICY_DRY_RUN)
    const cost: u32 = (moved < 0 ? <u32>1 : min<u32>(<u32>moved - 1, DRY_RUN_CAP)) * DRY_RUN_COST
    store<u32>(sb + P + L.POLICY_DRY_RUN, run > cost ? run - cost : 0)
    if ((w & DRY_ARMED) != 0) atomic.and<u32>(sb + P + L.POLICY_MISS_RUN, ~DRY_ARMED)
    if (moved < 0) store<u32>(sb + P + L.POLICY_DRY_STATE, load<u32>(sb + P + L.POLICY_DRY_STATE) & ~DRY_LOCK)
    return
  }
  if ((w & DRY_ARMED) == 0) {
    const run = load<u32>(sb + P + L.POLICY_DRY_RUN)
    // DRY_RUN_CAP: the run is held at most this long (what a long dry stretch banks against later additions).
    if (run < DRY_RUN_CAP) store<u32>(sb + P + L.POLICY_DRY_RUN, run + 1)
    atomic.or<u32>(sb + P + L.POLICY_MISS_RUN, DRY_ARMED)
  }
}

/** DRY_RUN: the run is long enough, no undone dry jump locks it out, and the window target is below COLD_WINDOW's level. */
function dryReady(sb: u32): bool {
  return load<u32>(sb + P + L.POLICY_DRY_RUN) >= DRY_RUN && (load<u32>(sb + P + L.POLICY_DRY_STATE) & DRY_LOCK) == 0
    && windowTarget(sb) < COLD_WINDOW * capacity(sb)
}

/** MISS_RUN's win: 1 after MISS_RUN misses in a row, 2 DRY_RUN's alone (dryReady), 0 neither. */
function dryOrMissRun(sb: u32): u32 {
  if ((load<u32>(sb + P + L.POLICY_MISS_RUN) & MISS_COUNT) >= MISS_RUN) return 1
  return DRY_RUN != 0 && dryReady(sb) ? 2 : 0
}

/** MISS_UNDO (stop 54): main's keys were read again after MISS_RUN's jump: the target and the shed go back to before it. */
function missUndo(sb: u32): void {
  atomic.and<u32>(sb + P + L.POLICY_MISS_RUN, ~MISS_UNDONE)
  // DRY_RUN: an undone dry jump locks the rule out until the next ageing.
  if (DRY_RUN != 0 && (load<u32>(sb + P + L.POLICY_DRY_STATE) & DRY_JUMP) != 0) {
    store<u32>(sb + P + L.POLICY_DRY_STATE, load<u32>(sb + P + L.POLICY_DRY_STATE) | DRY_LOCK)
    store<u32>(sb + P + L.POLICY_DRY_RUN, 0)
  }
  setWindowTarget(sb, load<f64>(sb + P + L.POLICY_MISS_FROM))
  store<u32>(sb + P + L.POLICY_COLD_FULL, load<u32>(sb + P + L.POLICY_MISS_SHED))
}

/**
 * MISS_RUN (stop 54): MISS_RUN gets in a row missed (none hit, cache-aside loads not counted) and a window leaver
 * written unasked just beat probation's victim: what main holds serves nothing now (a lag phase's opening reads the
 * keys of before the phase). The window target jumps to COLD_WINDOW's level and main sheds, as at a cold fill (a
 * shed ends FILL_ROTATE's rotation: one state word). MISS_UNDO: the target and shed state before the jump are kept
 * for the verdict of the hits that follow. Out of line: the contest's rare case.
 */
function missJump(sb: u32, dry: bool): void {
  const c = capacity(sb)
  if (!(windowTarget(sb) < COLD_WINDOW * c)) return
  if (MISS_UNDO != 0 && (load<u32>(sb + P + L.POLICY_MISS_RUN) & MISS_PENDING) == 0) {
    // DRY_RUN: whose jump the verdict is on.
    if (DRY_RUN != 0) {
      const st = load<u32>(sb + P + L.POLICY_DRY_STATE)
      store<u32>(sb + P + L.POLICY_DRY_STATE, dry ? st | DRY_JUMP : st & ~DRY_JUMP)
    }
    store<f64>(sb + P + L.POLICY_MISS_FROM, windowTarget(sb))
    store<u32>(sb + P + L.POLICY_MISS_SHED, load<u32>(sb + P + L.POLICY_COLD_FULL) == 2 ? 2 : 1)
    store<i32>(sb + P + L.POLICY_MISS_TALLY, 0)
    atomic.and<u32>(sb + P + L.POLICY_MISS_RUN, ~MISS_STARTED)
    atomic.or<u32>(sb + P + L.POLICY_MISS_RUN, MISS_PENDING)
  }
  setWindowTarget(sb, COLD_WINDOW * c)
  store<u32>(sb + P + L.POLICY_COLD_FULL, 2)
}

/**
 * The share of inserts written unasked (not set after a miss), averaged over about RETURN_SPAN ×
 * capacity inserts (in mean entries of `mean` units): each insert moves it by returnWeight of the way,
 * which it returns (noteHot moves by the same).
 */
function noteInsert(sb: u32, askedFor: bool, mean: f64): f64 {
  const at = sb + P + L.POLICY_UNASKED_SHARE
  const share = load<f64>(at)
  const weight = returnWeight(sb, mean)
  const next = share + ((askedFor ? 0 : 1) - share) * weight
  store<f64>(at, next)
  // MISS_CLEAR: sets of keys no get missed have begun; the 'missed' bits left by the cache-aside traffic
  // before would call half of the new keys asked for.
  if (MISS_CLEAR != 0 && share < RETURN_SHARE && next >= RETURN_SHARE) clearMissed(sb)
  return weight
}

/**
 * The share of inserts that are cache-aside returns (back from the ghost, set after a get missed them,
 * never written unasked), averaged as the unasked share: a hot set read beside write-once traffic,
 * which inserts no such key (ONCE_HOT_SHARE; window.ts). `weight` is noteInsert's, the same step.
 */
// @ts-ignore: decorator
@inline function noteHot(sb: u32, hot: bool, weight: f64): void {
  const at = sb + P + L.POLICY_HOT_SHARE
  const share = load<f64>(at)
  store<f64>(at, share + ((hot ? 1 : 0) - share) * weight)
}

// 1 / (RETURN_SPAN × the stored capacity) and 1 / (RETURN_SPAN × maxEntriesPerShard), for the arena
// they were computed for (the same in every shard): the divisions leave the insert path.
let weightCapacity: f64 = 0
let weightEntries: u32 = 0
let weightPerUnit: f64 = 0
let weightPerEntry: f64 = 0

/**
 * min(1, mean / (RETURN_SPAN × capacity(sb))), with the divisions done once: capacity(sb) is the stored
 * capacity c, or in byte mode min(c, maxEntriesPerShard × mean), which makes the quotient
 * max(mean / (RETURN_SPAN × c), 1 / (RETURN_SPAN × maxEntriesPerShard)). The model
 * (bench/sim/model/shard.ts) and the native engine compute the same products.
 */
function returnWeight(sb: u32, mean: f64): f64 {
  const c = load<f64>(sb + P + L.POLICY_CAPACITY)
  if (c != weightCapacity || maxEntriesPerShard != weightEntries) {
    weightCapacity = c
    weightEntries = maxEntriesPerShard
    weightPerUnit = 1 / (RETURN_SPAN * c)
    weightPerEntry = 1 / (RETURN_SPAN * <f64>maxEntriesPerShard)
  }
  if (countMode()) return min<f64>(1, weightPerUnit)
  return min<f64>(1, max<f64>(mean * weightPerUnit, weightPerEntry))
}

/**
 * Whether write-backs go to probation now: only while the window target is at least RETURN_LEVEL ×
 * capacity. Switched on by a key back from the ghost while the share of inserts written unasked is
 * within [RETURN_SHARE, RETURN_MAX] (write-backs and new writes both arrive; write-once traffic inserts
 * no key back from the ghost, so the filter's false marks can't switch it on), off when the share falls
 * under RETURN_SHARE (cache-aside: every insert follows a miss). Once on, a share rising towards 1 (the
 * write-backs stopped because the window now holds what is read) does not switch it off.
 */
function returnToProbation(sb: u32, fromGhost: bool): bool {
  const on = sb + P + L.POLICY_RETURN_ON
  if (!mainHolds(sb) || windowTarget(sb) < RETURN_LEVEL * capacity(sb)) {
    store<u32>(on, 0)
    return false
  }
  // RETURN_READ_MIN (stop 54, movewrites): off while the new keys are mostly never read: writes beside a hot set read
  // cache-aside are no write-then-read traffic, and the asked-for inserts are the hot set's loads, not write-backs (a
  // moved set's new keys went to probation and were lost there). RETURN_TEST's means stand still meanwhile.
  if (RETURN_READ_MIN > 0 && load<f64>(sb + P + L.POLICY_READ_SHARE) < RETURN_READ_MIN) {
    store<u32>(on, 0)
    return false
  }
  const share = load<f64>(sb + P + L.POLICY_UNASKED_SHARE)
  if (share < RETURN_SHARE) store<u32>(on, 0)
  else if (share <= RETURN_MAX && fromGhost) store<u32>(on, 1)
  return load<u32>(on) != 0
}

/**
 * RETURN_TEST (RETURN_SAMPLE in src/layout/policy.json, stop 50): one key in RETURN_SAMPLE, by hash
 * (bits the shard index, the sketch and the miss filter do not take alone).
 */
// @ts-ignore: decorator
@inline function returnSampled(h: u64): bool {
  return (<u32>((h * 0x94D049BB133111EB) >> 40) & (RETURN_SAMPLE - 1)) == 0
}

/**
 * MISSED_GENS: whether the window's CLOCK reads the 'missed' marks the last halving kept. A halving clears every
 * write-back's mark at once; 1: always; 2: while sets of keys no get missed are common (the unasked share at
 * RETURN_SHARE or more); 4: as 2, not while RETURN_TO places write-backs in probation (on, and neither veto holds):
 * there a write-back is worth nothing once read ('mix … lag 0.9C back'), and a round on an old mark would take the
 * window from the new keys.
 */
function keptMarksCount(sb: u32): bool {
  if (MISSED_GENS == 1) return true
  return load<f64>(sb + P + L.POLICY_UNASKED_SHARE) >= RETURN_SHARE && !(MISSED_GENS == 4 && returnPlacing(sb))
}

/**
 * MISSED_GENS 4: whether RETURN_TO places write-backs in probation now: it is on and neither veto holds as last
 * decided (YOUNG_TEST's, RETURN_TEST's means; returnTestVeto without its sampled keys and without moving the veto).
 */
function returnPlacing(sb: u32): bool {
  if (load<u32>(sb + P + L.POLICY_RETURN_ON) == 0) return false
  return !(YOUNG_TEST != 0 && youngVetoHolds(sb)) && !(RETURN_SAMPLE != 0 && backReadMore(sb))
}

/** YOUNG_TEST's veto as last decided (returnTestVeto moves it): on, and write-backs read again often enough (YOUNG_BACK_MIN). */
// @ts-ignore: decorator
@inline function youngVetoHolds(sb: u32): bool {
  return load<u32>(sb + P + L.POLICY_YOUNG_VETO) != 0 && (YOUNG_BACK_MIN == 0 || load<f64>(sb + P + L.POLICY_BACK_SHARE) >= YOUNG_BACK_MIN)
}

/** RETURN_TEST: the sampled write-backs leave the window hit more often than the new keys. */
// @ts-ignore: decorator
@inline function backReadMore(sb: u32): bool {
  return load<f64>(sb + P + L.POLICY_BACK_MEAN) > load<f64>(sb + P + L.POLICY_NEW_MEAN)
}

/**
 * RETURN_TEST: whether a write-back RETURN_TO would send to probation enters the window instead: a
 * sampled one always (the test's measure), any while the sampled write-backs leave the window hit more
 * often than the new keys (a write-back at the start of its reads, which probation would drop before
 * its next read).
 */
function returnTestVeto(sb: u32, h: u64): bool {
  // YOUNG_TEST: few new keys read young, and write-backs read again (see youngInsert). The veto, once it
  // lifts, hands over to RETURN_TEST's (YOUNG_HANDOFF): its means did not measure while the window took every
  // write-back, and RETURN_TO placing at once collapsed the cache.
  if (YOUNG_TEST != 0) {
    const veto = sb + P + L.POLICY_YOUNG_VETO
    if (load<f64>(sb + P + L.POLICY_YOUNG_SHARE) < YOUNG_MIN) store<u32>(veto, 1)
    else if (load<u32>(veto) != 0) {
      store<u32>(veto, 0)
      if (YOUNG_HANDOFF > 0) {
        const back = sb + P + L.POLICY_BACK_MEAN
        store<f64>(back, max<f64>(load<f64>(back), load<f64>(sb + P + L.POLICY_NEW_MEAN) + YOUNG_HANDOFF))
      }
    }
    if (youngVetoHolds(sb)) return true
  }
  if (RETURN_SAMPLE == 0) return false
  return returnSampled(h) || backReadMore(sb)
}

/**
 * YOUNG_TEST (src/layout/policy.json, stop 52, wbdelay): RETURN_TO places a write-back in probation so
 * that the window keeps the newest writes; that pays only while the newest writes are read young (reads
 * over the last 1.2 × capacity writes), or while a write-back is worth nothing (each key read at one age,
 * 'mix … lag 0.9C back'). Where each key's reads start 0.6-0.9 × capacity writes after its write and go
 * on for 0.5 × capacity, no new key is read young, a write-back is read again every ~0.05 × capacity
 * writes, and probation (2% of the cache) dropped it before: RETURN_TO stands aside (returnTestVeto).
 * Tracers, one per hash class (YOUNG_TEST slots of a tag and a stamp): a first write (written unasked) takes
 * its class's young slot, a write-back (asked for) its back slot, when free; a get of the key (lock-free:
 * youngRead) marks it (tag 1) if it comes before YOUNG_AGE × capacity first writes (young), or between
 * YOUNG_BACK_FROM and YOUNG_BACK_TO for a write-back; the next key of its kind and class moves the running
 * share (YOUNG_STEP) once the tracer is marked or older than its limit, and takes the slot; a new key's
 * tracer never read is dropped unmeasured (YOUNG_KEEP) and one read late (tag 2) counts against. The clock
 * counts first writes and a miss marks as a hit does, so the shares do not depend on where RETURN_TO puts
 * the write-backs. Under the lock.
 */
function youngInsert(sb: u32, h: u64, askedFor: bool, mean: f64): void {
  const tag = youngTag(h)
  let at = sb + P + L.POLICY_YOUNG_SLOTS + (youngSlot(h) << 3)
  let now = load<u32>(sb + P + L.POLICY_YOUNG_CLOCK)
  let limit: u32
  let share = sb + P + L.POLICY_YOUNG_SHARE
  if (!askedFor) {
    now++
    store<u32>(sb + P + L.POLICY_YOUNG_CLOCK, now)
    // RETURN_READ_MIN: the read share counts the tracers placed from the first first write once the shard was full.
    if (RETURN_READ_MIN > 0 && load<u32>(sb + P + L.POLICY_READ_FROM) == 0 && load<u32>(sb + P + L.POLICY_COLD_FULL) != 0) store<u32>(sb + P + L.POLICY_READ_FROM, now)
    // The limits in entries (units / mean), taken here for the lock-free reads.
    const entries = capacity(sb) / mean
    const young = <u32>(YOUNG_AGE * entries)
    store<u32>(sb + P + L.POLICY_YOUNG_LIMIT, young)
    store<u32>(sb + P + L.POLICY_BACK_FROM, <u32>(YOUNG_BACK_FROM * entries))
    store<u32>(sb + P + L.POLICY_BACK_TO, <u32>(YOUNG_BACK_TO * entries))
    const keep = <u32>(YOUNG_KEEP * entries)
    store<u32>(sb + P + L.POLICY_YOUNG_KEEP_LIMIT, keep)
    // YOUNG_KEEP: a tracer not asked for yet is kept that long, then dropped unmeasured (a bulk load never
    // read says nothing); one asked for after YOUNG_AGE is marked 2 (read late) by youngRead.
    limit = YOUNG_KEEP > 0 ? keep : young
  } else {
    if (YOUNG_BACK_MIN == 0) return
    at += YOUNG_TEST << 3
    limit = load<u32>(sb + P + L.POLICY_BACK_TO)
    share = sb + P + L.POLICY_BACK_SHARE
  }
  const old = load<u32>(at)
  if (old == 1 || old == 2) {
    // Read in time (1), or a new key read late (2).
    youngStep(share, old == 1 ? 1 : 0)
    // RETURN_READ_MIN: a new key's tracer read at all moves the read share up.
    if (RETURN_READ_MIN > 0 && !askedFor) youngStep(sb + P + L.POLICY_READ_SHARE, 1)
  } else if (old != 0) {
    const stamp = load<u32>(at, 4)
    if (now - stamp < limit) return
    // Past its limit unread: a write-back not read again counts against; a new key, with YOUNG_KEEP, not.
    if (askedFor || YOUNG_KEEP == 0) youngStep(share, 0)
    // RETURN_READ_MIN: a new key's tracer dropped unread moves the read share down, if placed once the shard was full
    // (a bulk load's first keys are often never read).
    if (RETURN_READ_MIN > 0 && !askedFor) {
      const from = load<u32>(sb + P + L.POLICY_READ_FROM)
      if (from != 0 && <i32>(stamp - from) >= 0) youngStep(sb + P + L.POLICY_READ_SHARE, 0)
    }
  }
  store<u32>(at, tag)
  store<u32>(at, now, 4)
}

/** TRACER_FLAG: whether a tracer slot of h's class holds h's tag (youngRead would look at it). */
function holdsTracer(sb: u32, h: u64): bool {
  const tag = youngTag(h)
  const at = sb + P + L.POLICY_YOUNG_SLOTS + (youngSlot(h) << 3)
  return load<u32>(at) == tag || (YOUNG_BACK_MIN != 0 && load<u32>(at + (YOUNG_TEST << 3)) == tag)
}

/** YOUNG_TEST's running share at `share`: one step of YOUNG_STEP towards `toward` (1: a tracer counted for, 0: against). */
// @ts-ignore: decorator
@inline function youngStep(share: u32, toward: f64): void {
  const x = load<f64>(share)
  store<f64>(share, x + (toward - x) * YOUNG_STEP)
}

/** YOUNG_TEST: a get of key h (hit or miss; lock-free, racy stores only misjudge) marks its tracers. */
function youngRead(sb: u32, h: u64): void {
  const tag = youngTag(h)
  const at = sb + P + L.POLICY_YOUNG_SLOTS + (youngSlot(h) << 3)
  const now = load<u32>(sb + P + L.POLICY_YOUNG_CLOCK)
  if (load<u32>(at) == tag) {
    if (now - load<u32>(at, 4) < load<u32>(sb + P + L.POLICY_YOUNG_LIMIT)) store<u32>(at, 1)
    else if (YOUNG_KEEP > 0) store<u32>(at, 2)
  }
  if (YOUNG_BACK_MIN == 0) return
  const back = at + (YOUNG_TEST << 3)
  if (load<u32>(back) != tag) return
  const age = now - load<u32>(back, 4)
  if (age >= load<u32>(sb + P + L.POLICY_BACK_FROM) && age < load<u32>(sb + P + L.POLICY_BACK_TO)) store<u32>(back, 1)
}

/** YOUNG_TEST: a key's tracer slot (YOUNG_TEST a power of two) and its tag (≥ 4: 0 is a free slot, 1 a tracer read in time, 2 a new key's read late). */
// @ts-ignore: decorator
@inline function youngSlot(h: u64): u32 {
  return <u32>((h * 0x9E3779B97F4A7C15) >> 40) & (YOUNG_TEST - 1)
}

// @ts-ignore: decorator
@inline function youngTag(h: u64): u32 {
  return <u32>(h >> 32) | 4
}

/**
 * RETURN_TEST: the window's leaver (hash h, hit counter `c`) while RETURN_TO is on moves the mean of its
 * class: a sampled write-back (the filter's 'missed' bit) by RETURN_TEST_BACK, a new key (not missed) by
 * RETURN_TEST_NEW; a write-back not sampled (going round, or placed before the test vetoed) counts in
 * neither. After a halving cleared the filter, the window's write-backs count as new keys until they have
 * left (a guard against it did not pay on the real cache: bench/sim/model/shard.ts returnTestLeave).
 */
function returnTestLeave(sb: u32, h: u64, c: u32): void {
  if (load<u32>(sb + P + L.POLICY_RETURN_ON) == 0) return
  if (filterAsked(sb, h)) {
    if (!returnSampled(h)) return
    const at = sb + P + L.POLICY_BACK_MEAN
    const m = load<f64>(at)
    store<f64>(at, m + (<f64>c - m) * RETURN_TEST_BACK)
  } else {
    const at = sb + P + L.POLICY_NEW_MEAN
    const m = load<f64>(at)
    store<f64>(at, m + (<f64>c - m) * RETURN_TEST_NEW)
  }
}

/**
 * After an insert: protected's overflow goes down, and the window's overflow leaves the window (into
 * probation for free while the cache is not over capacity; through a contest when it is).
 */
// @ts-ignore: decorator
@inline export function adaptiveAfterInsert(sb: u32, q: u32, now: f64): void {
  // Most inserts leave the window within its target: tested here, inlined into finishSet.
  if (q == PROTECTED || queueUnits(sb, WINDOW) > windowTarget(sb)) settleAfterInsert(sb, q, now)
  if (DRIFT_SWEEP != 0 && q == WINDOW && load<u32>(sb + P + L.POLICY_DRIFT_ON) != 0) driftSweep(sb, now)
}

/**
 * DRIFT_SWEEP (src/layout/policy.json, stop 40): per block of inserts, the share back from the ghost.
 * A standing hot set keeps bringing back keys the cache evicted; a hot set that moved brings keys it has
 * never seen, and protected still holds the old one. The ghost lookup is the insert path's own: the
 * signal costs the lock-free hit path nothing.
 */
// @ts-ignore: decorator
@inline function noteDrift(sb: u32, back: bool): void {
  const n = load<u32>(sb + P + L.POLICY_DRIFT_INSERTS) + 1
  const r = load<u32>(sb + P + L.POLICY_DRIFT_RETURNS) + (back ? 1 : 0)
  if (n < load<u32>(sb + P + L.POLICY_DRIFT_BLOCK)) {
    store<u32>(sb + P + L.POLICY_DRIFT_INSERTS, n)
    store<u32>(sb + P + L.POLICY_DRIFT_RETURNS, r)
    return
  }
  driftBlockEnd(sb, n, r)
}

/** The end of a drift block of `n` inserts, `r` of them back from the ghost (noteDrift's rare case, out of line). */
function driftBlockEnd(sb: u32, n: u32, r: u32): void {
  store<u32>(sb + P + L.POLICY_DRIFT_INSERTS, 0)
  store<u32>(sb + P + L.POLICY_DRIFT_RETURNS, 0)
  // The next block's length is taken once per block (a division in byte mode), not on every insert.
  store<u32>(sb + P + L.POLICY_DRIFT_BLOCK, blockOf(capacity(sb) / meanSize(sb)))
  const tail = HIT_GAIN > 0 ? hitGainGate(sb) : 0.0
  const rate = <f64>r / <f64>n
  const peak = max<f64>(rate, load<f64>(sb + P + L.POLICY_DRIFT_PEAK) * DRIFT_DECAY)
  store<f64>(sb + P + L.POLICY_DRIFT_PEAK, peak)
  // A fall: the share well under its peak, once the shard has been full, on cache-aside traffic
  // (write-then-read resting a hot set is not a move).
  const fell = load<u32>(sb + P + L.POLICY_COLD_FULL) != 0 && rate < (1 - DRIFT_DROP) * peak
    && load<f64>(sb + P + L.POLICY_UNASKED_SHARE) < RETURN_SHARE
  // STALE_GATE (stop 50): judged before DRIFT_GROW moves the window, as the model does.
  const test = STALE_GATE > 0 ? staleBlockEnd(sb, rate, peak, tail) : 0
  const stale = test != 0
  const fast = test == 2
  if (DRIFT_GROW > 0) driftGrow(sb, fell)
  // The gate opens on a fall (or STALE_GATE's test) while protected holds most of its target (a drained
  // one has nothing to sweep).
  let on = (fell || stale) && queueUnits(sb, PROTECTED) >= DRIFT_FULL * (capacity(sb) - windowTarget(sb)) * PROTECTED_SHARE
  // STALE_HOLD: a gate the stale test opened stays open for STALE_HOLD blocks in all (its sweep drains
  // protected, whose hand then takes too few steps to judge a block).
  if (STALE_GATE > 0) {
    let held = load<u32>(sb + P + L.POLICY_STALE_HELD)
    if (on && stale) held = (fast && STALE_FAST_HOLD > 0 ? STALE_FAST_HOLD : STALE_HOLD) - 1
    else if (!on && load<u32>(sb + P + L.POLICY_DRIFT_ON) != 0 && held > 0) {
      held--
      on = true
    } else held = 0
    store<u32>(sb + P + L.POLICY_STALE_HELD, held)
  }
  // STALE_HALVE (stop 51): the stale test (not a fall) opens the gate: the sketch ages too, as an early ageing
  // (AGE_SPACING apart), or the dead keys the sweep demotes keep the counts that beat every newcomer.
  if (STALE_HALVE != 0 && on && stale && !fell && load<u32>(sb + P + L.POLICY_DRIFT_ON) == 0) ageEarly(sb)
  // STALE_FAST_AGE (stop 56): the gate STALE_FAST opened (held, or met again) is open: WIN_AGE's ageing while the window
  // is at most STALE_FAST_AGE_WINDOW (winAge). The word counts the gate's blocks (0 closed, 1 the opening's).
  // STALE_FAST_HALVE (stop 58): every STALE_FAST_HALVE blocks after the opening's, while the window is at most
  // STALE_FAST_AGE_WINDOW × capacity, the sketch halves without AGE_SPACING's bound (most gets hit saturated counters,
  // whose increments do not count towards the ageing: the dead keys the sweep demotes keep their counts for tens of
  // capacities; halvings through the hold as the window grew aged the next hot set, as STALE_FAST_AGE did), and only at
  // a block whose drift signal is under STALE_FAST_HALVE_DRIFT (a loop a little larger than the cache, its gate held for
  // good by the stale run, brings every insert back from the ghost; halved at every block it lost its hits).
  if (STALE_FAST_AGE != 0 || STALE_FAST_HALVE != 0) {
    const was = load<u32>(sb + P + L.POLICY_STALE_FAST_ON)
    const blocks: u32 = on && (fast && !fell || was != 0) ? was + 1 : 0
    store<u32>(sb + P + L.POLICY_STALE_FAST_ON, blocks)
    if (STALE_FAST_HALVE != 0 && blocks >= 2 && (blocks - 1) % STALE_FAST_HALVE == 0
      && windowTarget(sb) <= STALE_FAST_AGE_WINDOW * capacity(sb) && (STALE_FAST_HALVE_DRIFT == 0 || rate < STALE_FAST_HALVE_DRIFT)) ageNow(sb)
  }
  store<u32>(sb + P + L.POLICY_DRIFT_ON, on ? 1 : 0)
}

/**
 * STALE_GATE (stop 50), once per drift block: the share of protected's hand steps in the block (promotions'
 * overflow and victim searches, not the gate's own sweep) that found an entry not hit since the hand last
 * passed it. A partial move of a hot set (its hottest keys replaced, every other key hotter) keeps bringing
 * keys back from the ghost, so the gate's fall never comes, while protected fills with the dead keys its
 * hand reaches only on promotions. True after STALE_RUNS such blocks in a row, once the shard has been full,
 * on cache-aside traffic, while the window is under STALE_MAX_WINDOW of capacity; the gate it opens stays
 * open for STALE_HOLD blocks (driftBlockEnd). 0: not met; 1: met (the run); 2: met at once by STALE_FAST (stop 56): a
 * block whose share is at least STALE_FAST, while the drift signal `rate` is at least STALE_FAST_DRIFT and
 * STALE_FAST_PEAK × its decayed `peak`, the window's tail share `tail` (HIT_GAIN's) at least STALE_FAST_TAIL and the
 * window target at most STALE_FAST_WINDOW × capacity: a hot set that moved at a low miss ratio (its blocks of inserts
 * span 1.5-2.5 capacities of gets), its new keys back from the ghost and read in the window; not a loop (tail 0), not
 * OLTP or P3 (drift under 0.2, or under its peak).
 */
function staleBlockEnd(sb: u32, rate: f64, peak: f64, tail: f64): u32 {
  const steps = load<u32>(sb + P + L.POLICY_STALE_STEPS)
  const unhit = load<u32>(sb + P + L.POLICY_STALE_UNHIT)
  store<u32>(sb + P + L.POLICY_STALE_STEPS, 0)
  store<u32>(sb + P + L.POLICY_STALE_UNHIT, 0)
  const met = steps >= STALE_MIN_STEPS && <f64>unhit / <f64>steps >= STALE_GATE
    && load<u32>(sb + P + L.POLICY_COLD_FULL) != 0
    && load<f64>(sb + P + L.POLICY_UNASKED_SHARE) < RETURN_SHARE
    && windowTarget(sb) < STALE_MAX_WINDOW * capacity(sb)
  const run = met ? min<u32>(load<u32>(sb + P + L.POLICY_STALE_RUN) + 1, STALE_RUNS) : 0
  store<u32>(sb + P + L.POLICY_STALE_RUN, run)
  if (!met) return 0
  if (STALE_FAST > 0 && <f64>unhit / <f64>steps >= STALE_FAST && windowTarget(sb) <= STALE_FAST_WINDOW * capacity(sb)
    && rate >= STALE_FAST_DRIFT && rate >= STALE_FAST_PEAK * peak && tail >= STALE_FAST_TAIL) return 2
  return run >= STALE_RUNS ? 1 : 0
}

/** STALE_GATE: one step of protected's hand, which found an entry hit since its last pass (`hit`) or not. */
// @ts-ignore: decorator
@inline function noteStale(sb: u32, hit: bool): void {
  if (STALE_GATE <= 0) return
  store<u32>(sb + P + L.POLICY_STALE_STEPS, load<u32>(sb + P + L.POLICY_STALE_STEPS) + 1)
  if (!hit) store<u32>(sb + P + L.POLICY_STALE_UNHIT, load<u32>(sb + P + L.POLICY_STALE_UNHIT) + 1)
}

/**
 * DRIFT_GROW (stop 41; decay stop 42): on a fall's first block the window grows, if enough of the window's
 * leavers in that block were hit there (a moved hot set's new keys are read in the window; a scan's or a
 * loop's are not): the newcomers get more time to build the counts that beat the old set's victims. Up to
 * MAX_WINDOW, a target above it kept, as ghost evidence grows it (the gate asks for cache-aside traffic).
 * At each block without a fall DRIFT_GROW_DECAY of the growth still left is given back: a hot set that
 * keeps moving falls again before the growth wears off, one that stands gets its small window back.
 */
function driftGrow(sb: u32, fell: bool): void {
  const leaves = load<u32>(sb + P + L.POLICY_DRIFT_LEAVES)
  const hit = load<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS)
  store<u32>(sb + P + L.POLICY_DRIFT_LEAVES, 0)
  store<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS, 0)
  const first = fell && load<u32>(sb + P + L.POLICY_DRIFT_FELL) == 0
  store<u32>(sb + P + L.POLICY_DRIFT_FELL, fell ? 1 : 0)
  const grew = load<f64>(sb + P + L.POLICY_DRIFT_GREW)
  if (!fell && grew > 0) {
    const back = grew * DRIFT_GROW_DECAY
    setWindowTarget(sb, max<f64>(windowFloor(sb), windowTarget(sb) - back))
    store<f64>(sb + P + L.POLICY_DRIFT_GREW, max<f64>(0, grew - back))
    return
  }
  if (!first || leaves == 0 || <f64>hit / <f64>leaves < DRIFT_GROW_HIT) return
  const c = capacity(sb)
  const target = windowTarget(sb)
  const next = min<f64>(max<f64>(MAX_WINDOW * c, target), target + DRIFT_GROW * c)
  setWindowTarget(sb, next)
  store<f64>(sb + P + L.POLICY_DRIFT_GREW, grew + (next - target))
}

/**
 * HIT_GAIN's gate (stop 46), once per drift block: the block qualifies when at least HIT_GAIN_SHARE of
 * the window's tail keys (leavers, and keys that went round: WINDOW_CLOCK_ASKED) were hit in the window,
 * and main's returns from the ghost were at most HIT_GAIN_MAIN per counted candidate return (window.ts,
 * noteGhost); HIT_GAIN_RUNS qualifying blocks in a row open it. A moved hot set's new keys are read in
 * the window and its old keys do not come back; a standing hot set's newcomers are barely read there,
 * and its evicted keys do come back.
 */
function hitGainGate(sb: u32): f64 {
  const rounds = load<u32>(sb + P + L.POLICY_TAIL_ROUNDS)
  const seen = load<u32>(sb + P + L.POLICY_DRIFT_LEAVES) + rounds
  const hit = load<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS) + rounds
  store<u32>(sb + P + L.POLICY_TAIL_ROUNDS, 0)
  if (DRIFT_GROW == 0) {
    store<u32>(sb + P + L.POLICY_DRIFT_LEAVES, 0)
    store<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS, 0)
  }
  // Gets add to these without the lock (noteGhost): taken as drift counters' pending evidence is.
  const back = atomic.xchg<u32>(sb + P + L.POLICY_RET_WINDOW, 0)
  const main = HIT_GAIN_MAIN > 0 ? atomic.xchg<u32>(sb + P + L.POLICY_RET_MAIN, 0) : 0
  const share = seen == 0 ? 0 : <f64>hit / <f64>seen
  // A block without a counted candidate return does not qualify (the ratio is then infinite).
  const met = share >= HIT_GAIN_SHARE && (HIT_GAIN_MAIN <= 0 || (back != 0 && <f64>main / <f64>back <= HIT_GAIN_MAIN))
  const run = load<u32>(sb + P + L.POLICY_HIT_RUN)
  // HIT_GAIN_UNDO (stop 47): the gain applied in this block (the run stood at HIT_GAIN_RUNS when it began)
  // and main's keys came back at once: a trace's lone opening, not a moved hot set, whose old keys stay
  // away. The growth the gain made in this block is given back.
  if (HIT_GAIN_UNDO > 0) {
    const grown = load<f64>(sb + P + L.POLICY_BLOCK_BOOST)
    store<f64>(sb + P + L.POLICY_BLOCK_BOOST, 0)
    if (grown > 0 && run >= HIT_GAIN_RUNS && (back == 0 || <f64>main / <f64>back >= HIT_GAIN_UNDO)) {
      const target = windowTarget(sb)
      const undo = min<f64>(grown, max<f64>(0, target - windowFloor(sb)))
      setWindowTarget(sb, target - undo)
      if (HIT_GAIN_NO_AGE != 0) store<f64>(sb + P + L.POLICY_GROWTH_BASE, load<f64>(sb + P + L.POLICY_GROWTH_BASE) - undo)
    }
  }
  store<u32>(sb + P + L.POLICY_HIT_RUN, met ? min<u32>(run + 1, HIT_GAIN_RUNS) : 0)
  // The block's tail share: STALE_FAST reads it.
  return share
}

/** The drift gate's block for a shard of `entries` capacity: DRIFT_BLOCK of it, at least DRIFT_MIN_BLOCK. */
function blockOf(entries: f64): u32 {
  return <u32>min<f64>(4294967295, ceil(max<f64>(<f64>DRIFT_MIN_BLOCK, DRIFT_BLOCK * entries)))
}

/**
 * While the drift gate is open, protected's hand takes DRIFT_SWEEP steps per newcomer in the window: a
 * hit entry loses a count and goes round, an unhit one goes down to probation.
 */
function driftSweep(sb: u32, now: f64): void {
  for (let i: u32 = 0; i < DRIFT_SWEEP && liveTail(sb, PROTECTED, now); i++) {
    const c = tailCounter()
    if (c != 0 && moveTail(sb, PROTECTED, PROTECTED, c - 1)) continue
    if (!moveTail(sb, PROTECTED, PROBATION, 0)) break
  }
}

function settleAfterInsert(sb: u32, q: u32, now: f64): void {
  if (q == PROTECTED) rebalanceProtected(sb, now)
  let guard = 0
  // The newest entry stays, even alone over the target: an entry larger than the whole window (a
  // LARGE one of typical size, BIG_NEWCOMER) gets its time there, until the next newcomer pushes it
  // out. Entries smaller than the window never meet this (the model's never do: it counts entries).
  while (queueUnits(sb, WINDOW) > windowTarget(sb) && queueCount(sb, WINDOW) > 1 && guard++ < 64) {
    if (!leaveWindow(sb, now, isFull(sb, 0))) break
  }
}

/**
 * One entry leaves the cache to make room for a newcomer. When the window is at its target, room is
 * made as W-TinyLFU makes it: the window's tail contests main's victim and the loser leaves.
 * Otherwise main's victim leaves (or the window's tail when main is empty).
 */
export function adaptiveEvictOne(sb: u32, incoming: u32, now: f64): bool {
  // Bytes bind before the index when entries are larger than expected: the sketch ages after
  // SKETCH_SAMPLE × the entries the shard really holds, not × what its index could hold.
  if (!countMode()) fitSample(sb, load<u32>(sb + L.SHARD_LIVE_COUNT), ghostSlots)
  // The newcomer will enter the window: if that takes the window past its target, its tail must leave.
  if (mainHolds(sb) && queueCount(sb, WINDOW) > 0 && queueUnits(sb, WINDOW) + unitsOf(incoming) > windowTarget(sb)) {
    const before = load<u32>(sb + L.SHARD_LIVE_COUNT)
    leaveWindow(sb, now, true)
    if (load<u32>(sb + L.SHARD_LIVE_COUNT) < before) return true
  }
  if (mainHolds(sb) && victim(sb, now)) {
    ghostAdd(sb, tailHash, mainTag(sb))
    evictTail(sb, victimQueue)
    return true
  }
  if (liveTail(sb, WINDOW, now)) {
    ghostAdd(sb, tailHash, FROM_WINDOW)
    evictTail(sb, WINDOW)
    return true
  }
  // Only main left, but victim() found nothing movable in bounded work: take any tail.
  for (let q: u32 = PROBATION; q <= PROTECTED; q++) {
    if (liveTail(sb, q, now)) {
      ghostAdd(sb, tailHash, mainTag(sb))
      evictTail(sb, q)
      return true
    }
  }
  return false
}

/**
 * The window's tail leaves it: into probation while the cache has room, else only if it beats main's
 * victims for the room it needs; a loser is evicted (and remembered as a rejected candidate).
 */
// @ts-ignore: decorator
@inline function leaveWindow(sb: u32, now: f64, contested: bool): bool {
  if (!liveTail(sb, WINDOW, now)) return false
  // WINDOW_CLOCK_ASKED (stop 46): a tail key hit in the window and asked for (a get missed it: loaded
  // cache-aside) goes round with its count cleared, as LRU would keep it; a key written unasked keeps the
  // FIFO (write-backs need it). Bounded as the victim search is.
  if (WINDOW_CLOCK_ASKED != 0) {
    let ops: u32 = 0
    // RETURN_TEST: while RETURN_TO is on, a sampled key makes one pass (its count there is the measure).
    // ONCE_FIFO: not on write-once traffic (ONCE_MAX_WINDOW's condition): a miss stores nothing there, so a
    // 'missed' mark on a key in the window is the filter's false positive, and the key it keeps is dead.
    // MISSED_GENS (stop 55): a mark of the sketch period before counts too (keptMarksCount); read only for a tail key
    // hit in the window whose own mark a halving cleared, so a set with eviction pays nothing for it.
    while (tailCounter() != 0 && ops < MAX_TAIL_OPS && (filterAsked(sb, tailHash) || (MISSED_GENS != 0 && keptMarksCount(sb) && filterMissedBefore(sb, tailHash))) && !(RETURN_SAMPLE != 0 && load<u32>(sb + P + L.POLICY_RETURN_ON) != 0 && returnSampled(tailHash)) && !(ONCE_FIFO != 0 && onceMax(sb))) {
      if (!moveTail(sb, WINDOW, WINDOW, 0)) break
      ops++
      if (!liveTail(sb, WINDOW, now)) {
        if (HIT_GAIN > 0) store<u32>(sb + P + L.POLICY_TAIL_ROUNDS, load<u32>(sb + P + L.POLICY_TAIL_ROUNDS) + ops)
        return false
      }
    }
    if (HIT_GAIN > 0 && ops != 0) store<u32>(sb + P + L.POLICY_TAIL_ROUNDS, load<u32>(sb + P + L.POLICY_TAIL_ROUNDS) + ops)
  }
  const h = tailHash
  if (RETURN_SAMPLE != 0) returnTestLeave(sb, h, tailCounter())
  // DRIFT_GROW's and HIT_GAIN's evidence: the window's leavers, and those hit while there.
  if (DRIFT_GROW > 0 || HIT_GAIN > 0) {
    store<u32>(sb + P + L.POLICY_DRIFT_LEAVES, load<u32>(sb + P + L.POLICY_DRIFT_LEAVES) + 1)
    if (tailCounter() != 0) store<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS, load<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS) + 1)
  }
  const units = unitsOf(tailCost)
  // FREE_TAG: a leaver that meets no contest (the cache has room) enters probation flagged ENTRY_FREE.
  const free = FREE_TAG != 0 && !(contested && mainHolds(sb))
  // A big LARGE entry won its admission already, against the victims of every shard it took segments
  // from (contestSegments, contestFree); it may be larger than the whole window, so it would meet this
  // contest at once, with no time in the window to be read: it moves on uncontested (engine-only rule,
  // bench/sim/model/POLICY.md). A LARGE entry of typical size entered uncontested: it contests here.
  if (contested && mainHolds(sb) && !(isLarge(flagsOf(sb, tailOff)) && isBig(sb, tailCost, <u64>tailSize + chainedBytes(sb, tailOff)))) {
    // The contest describes main's victims in the tail* globals: the window's tail stays in locals.
    const off = tailOff
    const size = tailSize
    const slot = tailSlot
    const cost = tailCost
    const admitted = contest(sb, h, max<f64>(units, usedUnits(sb) - capacity(sb)), now, tailCounter() != 0, true)
    // The contest only touched main's queues: the window's tail is where it was.
    if (!admitted) {
      ghostAdd(sb, h, FROM_WINDOW)
      evictTailAt(sb, WINDOW, off, size, slot)
      return true
    }
    restoreTail(off, size, cost, slot, h)
  }
  if (!moveTail(sb, WINDOW, PROBATION, 0, free ? L.ENTRY_FREE : 0)) {
    ghostAdd(sb, h, FROM_WINDOW)
    evictTail(sb, WINDOW)
  }
  return true
}

/**
 * The ghost tag of main's victim at a queue tail (the tail* globals): main's, or FREE_TAG (stop 50) a window
 * candidate's for an entry that entered probation without a contest (ENTRY_FREE; any move clears it)
 * and was never hit there, while the unasked share is at least LATE_SHARE and the window target at least
 * RETURN_LEVEL × capacity: after a fill read at a lag, the fill's keys leave probation as LATE_HIT grows
 * the window, and their returns would argue for a smaller one.
 */
// @ts-ignore: decorator
@inline function mainTag(sb: u32): u32 {
  if (FREE_TAG == 0 || (flagsOf(sb, tailOff) & L.ENTRY_FREE) == 0 || tailCounter() != 0) return FROM_MAIN
  if (!(load<f64>(sb + P + L.POLICY_UNASKED_SHARE) >= LATE_SHARE)) return FROM_MAIN
  return windowTarget(sb) >= RETURN_LEVEL * capacity(sb) ? FROM_WINDOW : FROM_MAIN
}

/**
 * TinyLFU admission, size-aware: evicts main's victims until `need` units are free, as long as the
 * candidate is more frequent than each (or, warm and lucky, wins the 1-in-512 draw that keeps crafted
 * sketch collisions from freezing the cache). False when a victim wins; victims already evicted stay
 * evicted. `hitInWindow`: the candidate is the window's tail and was hit there (SATURATED_TIE). `ageWinner`:
 * the candidate is a window leaver (WIN_AGE; not a key back from the ghost, not a big newcomer's room).
 */
// @ts-ignore: decorator
@inline function contest(sb: u32, candidate: u64, need: f64, now: f64, hitInWindow: bool, ageWinner: bool): bool {
  const fc = estimate(sb, candidate)
  // UNASKED_TIE: a newcomer written unasked and seen at most once wins a tie (a cache filled by sets
  // otherwise keeps its never-read keys against the first new ones until the window has grown). The
  // miss filter's word (one more cache line) is read at the first tie only: -1 until then. On write-once
  // traffic (stop 37) the newcomer needs no mark: every halving clears the marks, and a newcomer at 0
  // then lost its tie with a dead key at 0 while the early ageings let the window grow.
  let tie: i32 = UNASKED_TIE != 0 && fc <= 1 ? -1 : 0
  while (need > 0 && mainHolds(sb)) {
    if (!victim(sb, now)) break
    // MISS_RUN: after a run of misses a window leaver written unasked beats probation's victim (missJump).
    // DRY_RUN: or after a run of inserts with nothing but their own counts added to the sketch, once per jump.
    const runWin: u32 = MISS_RUN != 0 && ageWinner && victimQueue == PROBATION ? dryOrMissRun(sb) : 0
    if (runWin != 0 && filterWrittenUnasked(sb, candidate)) {
      missJump(sb, runWin == 2)
    } else {
      const fv = estimate(sb, tailHash)
      if (fc == fv && tie < 0) tie = writeOnce(sb, RETURN_MAX) || filterWrittenUnasked(sb, candidate) ? 1 : 0
      // SATURATED_TIE: at the counters' ceiling a tie says nothing of which key is read more; a window
      // leaver read there is the one being read now.
      if ((fc < fv || (fc == fv && tie == 0 && !(SATURATED_TIE != 0 && hitInWindow && fc >= MAX_COUNT)))
        && !(fc >= WARM_FREQUENCY && nextRandom(sb) % WARM_ODDS == 0)) {
        if ((WIN_AGE > 0 || STALE_FAST_AGE != 0) && ageWinner) winAge(sb)
        if (FILL_ROTATE > 0 && load<u32>(sb + P + L.POLICY_COLD_FULL) == 3) fillRotate(sb)
        return false
      }
    }
    need -= unitsOf(tailCost)
    ghostAdd(sb, tailHash, mainTag(sb))
    evictTail(sb, victimQueue)
  }
  return need <= 0
}

/**
 * FILL_ROTATE (stop 53): main's victim (the tail* globals) just beat a candidate in the first inserts after a fill
 * of sets alone (coldStart). There every key was seen once; a victim that wins does so on a sketch collision, and
 * staying the victim it beat every key written after the fill ('delay 0.2C+0.5C once': one fill key beat 1,809 in
 * a row). A probation victim goes round to probation's head instead (the move clears ENTRY_FREE: it met a
 * contest). The state ends when YOUNG_TEST's clock passes the deadline coldStart left in coldHits. Out of line.
 */
function fillRotate(sb: u32): void {
  if (<i32>(load<u32>(sb + P + L.POLICY_COLD_HITS) - load<u32>(sb + P + L.POLICY_YOUNG_CLOCK)) <= 0) {
    store<u32>(sb + P + L.POLICY_COLD_FULL, 1)
    return
  }
  if (victimQueue == PROBATION && queueCount(sb, PROBATION) > 1) moveTail(sb, PROBATION, PROBATION, 0)
}

/**
 * WIN_AGE (stop 51): main's victim (the tail* globals) just beat a window leaver.
 * While HIT_GAIN's run stands (the window's tail is hit and main's keys stay away: a hot set that moves) and
 * the window target is at least WIN_AGE × capacity, the victim's counts are halved: at a window of 0.9 a hot
 * set that moved leaves main (a tenth of the cache) full of keys never read again, whose counts beat every
 * newcomer until the sketch halves. A victim still read is promoted before it is contested (victim), so only
 * unread ones pay. Out of line: the contest's rare case.
 */
function winAge(sb: u32): void {
  // STALE_FAST_AGE (stop 56): also while the gate STALE_FAST opened is open and the window is at most
  // STALE_FAST_AGE_WINDOW × capacity (its sweep demotes the moved-away keys to probation with counts no newcomer beats;
  // the sketch may not halve for 40 capacities when most gets hit saturated counters; aged on as the window grew, a
  // Zipf(0.99) moving every 10 capacities lost its next periods). The bound was STALE_FAST_WINDOW's until stop 58.
  if (STALE_FAST_AGE != 0 && load<u32>(sb + P + L.POLICY_STALE_FAST_ON) != 0 && windowTarget(sb) <= STALE_FAST_AGE_WINDOW * capacity(sb)
    || WIN_AGE > 0 && load<u32>(sb + P + L.POLICY_HIT_RUN) >= HIT_GAIN_RUNS && windowTarget(sb) >= WIN_AGE * capacity(sb)) ageCounters(sb, tailHash)
}

/**
 * TinyLFU admission for a LARGE newcomer, in segments: evicts main's victims until `segments` are free
 * (plus one spare for moves), as long as the candidate is more frequent than each (or wins the warm
 * draw; or ties with a one-hit wonder: LARGE_TIE_FREQUENCY, so new large values can replace old ones
 * nobody read, as the window lets any newcomer in). Whatever the policy's unit (bytes, or entries with maxEntries, where a 1 MiB entry is one
 * unit), the newcomer's value takes whole segments, and every entry evicted for them has lost to it
 * in the sketch. True when the room is there, or when main holds nothing to contest (the window's
 * newcomers then make room as they do for any newcomer); false when a victim wins.
 */
function contestSegments(sb: u32, candidate: u64, segments: u32, now: f64): bool {
  return contestFree(sb, estimate(sb, candidate), segments, now)
}

/**
 * contestSegments for a candidate of frequency `fc` (estimated by its own shard's sketch): also how a
 * shard lends segments to another shard's LARGE newcomer, its victims contesting that newcomer.
 */
export function contestFree(sb: u32, fc: u32, segments: u32, now: f64): bool {
  while (freeCount(sb) < segments + 1) {
    if (reclaimDeadTails(sb)) continue
    if (!mainHolds(sb) || !victim(sb, now)) {
      // No victim in main (a window grown over the whole cache, as a loop grows it): the window's
      // oldest entry is the one to beat.
      if (!liveTail(sb, WINDOW, now)) return true
      victimQueue = WINDOW
    }
    const fv = estimate(sb, tailHash)
    if ((fc < fv || (fc == fv && fv > LARGE_TIE_FREQUENCY)) && !(fc >= WARM_FREQUENCY && nextRandom(sb) % WARM_ODDS == 0)) return false
    ghostAdd(sb, tailHash, victimQueue == WINDOW ? FROM_WINDOW : mainTag(sb))
    evictTail(sb, victimQueue)
  }
  return true
}

/**
 * Leaves main's next victim at a queue tail (victimQueue says which): probation's tail once the
 * entries hit there have moved up to protected, or protected's CLOCK victim when probation is empty.
 * Bounded: after MAX_TAIL_OPS moves the tail is taken as it is.
 */
// @ts-ignore: decorator
@inline function victim(sb: u32, now: f64): bool {
  let ops: i32 = 0
  // COLD_SHED: COLD_WINDOW's shed ends the first time a victim is sought with main no longer over its share.
  if (COLD_SHED != 0 && load<u32>(sb + P + L.POLICY_COLD_FULL) == 2
    && queueUnits(sb, PROBATION) + queueUnits(sb, PROTECTED) <= capacity(sb) - windowTarget(sb)) store<u32>(sb + P + L.POLICY_COLD_FULL, 1)
  while (knownTail(sb, PROBATION) || liveTail(sb, PROBATION, now)) {
    if (tailCounter() == 0 || ops++ >= <i32>MAX_TAIL_OPS) {
      victimQueue = PROBATION
      return true
    }
    if (!moveTail(sb, PROBATION, PROTECTED, 0)) {
      victimQueue = PROBATION
      return true
    }
    if (COLD_SHED != 0 && load<u32>(sb + P + L.POLICY_COLD_FULL) == 2 && shedProtected(sb, now)) {
      victimQueue = PROTECTED
      return true
    }
    ops += rebalanceProtected(sb, now)
  }
  while (liveTail(sb, PROTECTED, now)) {
    const c = tailCounter()
    noteStale(sb, c != 0)
    // A failed move leaves the entry at the tail, described as it was: it is the victim.
    if (c == 0 || ops++ >= <i32>MAX_TAIL_OPS || !moveTail(sb, PROTECTED, PROTECTED, c - 1)) {
      victimQueue = PROTECTED
      return true
    }
  }
  return false
}

/**
 * COLD_SHED (stop 53): while main sheds after COLD_WINDOW fired, protected's overflow does not send its unhit tail
 * back to probation's head: it is the victim (left at protected's tail; true), hit entries going round first
 * (false when none is found within MAX_TAIL_OPS). Probation promotes lazily: after a fill read by bursts, the
 * first burst's keys, read and dead, reach protected only when main must shrink, and demoted to probation's head
 * they went round behind the second burst's unread keys, which main then evicted (burst 0.65C ×3 once: 3,781 of
 * 6,500 resident).
 */
function shedProtected(sb: u32, now: f64): bool {
  const limit = (capacity(sb) - windowTarget(sb)) * PROTECTED_SHARE
  let ops: i32 = 0
  while (queueUnits(sb, PROTECTED) > limit && ops++ < <i32>MAX_TAIL_OPS && liveTail(sb, PROTECTED, now)) {
    const c = tailCounter()
    noteStale(sb, c != 0)
    // A failed move leaves the entry at the tail, described as it was: it is the victim.
    if (c == 0 || !moveTail(sb, PROTECTED, PROTECTED, c - 1)) return true
  }
  return false
}

/** Demotes protected's overflow to probation (CLOCK: a hit entry goes round once more first). */
function rebalanceProtected(sb: u32, now: f64): i32 {
  const limit = (capacity(sb) - windowTarget(sb)) * PROTECTED_SHARE
  let ops: i32 = 0
  while (queueUnits(sb, PROTECTED) > limit && liveTail(sb, PROTECTED, now)) {
    ops++
    const c = tailCounter()
    noteStale(sb, c != 0)
    if (c != 0 && ops < <i32>MAX_TAIL_OPS && moveTail(sb, PROTECTED, PROTECTED, c - 1)) continue
    if (!moveTail(sb, PROTECTED, PROBATION, 0)) break
  }
  return ops
}
