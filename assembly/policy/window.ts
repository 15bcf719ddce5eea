// The window's adaptive target, moved like ARC's p. A get that misses on a young ghost is evidence: a
// candidate the window let go (tag 0) says the window is too small; an entry main evicted (tag 1)
// says main is. Gets run without the shard lock, so they only count the evidence (atomic adds in the
// policy state); the next insert, under the lock, moves the target by it. A candidate counts when
// younger than WINDOW_HORIZON × the window's entries, or when the sketch has seen it at most
// YOUNG_FREQUENCY times, so a loop larger than the cache (whose keys all come back, known, but only
// after the whole loop) can't talk the window into thrashing. See POLICY.md.
import * as L from '../layout.generated'
import { queueCount } from '../segments'
import { ghostAge, ghostTag, ghostTagCount } from '../ghost'
import { capacity, meanSize } from './units'
import { AGE_ON_GROWTH, AGE_SPACING, HIT_GAIN, HIT_GAIN_MAIN, HIT_GAIN_NO_AGE, HIT_GAIN_RUNS, HIT_GAIN_UNDO, LATE_FLAG, LATE_FREQUENCY, LATE_SHARE, MAX_WINDOW, MIN_WINDOW, NET_EVIDENCE, ONCE_GAIN, ONCE_HOT_SHARE, ONCE_MAX_WINDOW, ONCE_SHARE, QUIET_BLOCK, QUIET_MAIN, QUIET_MIN_BLOCK, QUIET_SCALE, SKETCH_SAMPLE, UNASKED_GAIN, WINDOW_HORIZON, YOUNG_FREQUENCY } from './tuning.generated'
import { ageSketch, estimate, filterMissed, filterWrittenUnasked } from '../sketch'

const P = L.POLICY_STATE_OFFSET

export function windowTarget(sb: u32): f64 {
  return load<f64>(sb + P + L.POLICY_WINDOW_TARGET)
}

export function setWindowTarget(sb: u32, target: f64): void {
  store<f64>(sb + P + L.POLICY_WINDOW_TARGET, target)
}

/**
 * Write-once traffic (ONCE_SHARE, ONCE_MAX_WINDOW; stop 37): most recent inserts were written unasked (a
 * miss stores nothing). The newest writes are what will be read: the window may take nearly the whole
 * cache (from a share of ONCE_SHARE), a returning candidate written unasked counts ONCE_GAIN times,
 * and a newcomer seen at most once wins its tie without the miss filter's mark (above the write-back
 * band, RETURN_MAX: at ONCE_SHARE it cost write-back rows).
 */
// @ts-ignore: decorator
@inline export function writeOnce(sb: u32, share: f64): bool {
  return ONCE_MAX_WINDOW > 0 && load<f64>(sb + P + L.POLICY_UNASKED_SHARE) >= share
}

/** A get missed key h: if it is a young ghost, count the evidence. Lock-free (racy reads only misjudge). */
export function noteGhost(sb: u32, h: u64): void {
  const missedBefore = filterMissed(sb, h)
  const age = ghostAge(sb, h)
  if (age < 0) return
  if (ghostTag == 0) {
    // Beyond the horizon only a key written unasked, or a first miss of a key the sketch barely
    // knows, counts: write-then-read is recency, a loop's keys come back loaded and known.
    // A key written unasked counts UNASKED_GAIN times: recency evidence the frequencies can't give.
    const unasked = filterWrittenUnasked(sb, h)
    if (<f64>age >= WINDOW_HORIZON * <f64>max<u32>(1, queueCount(sb, L.QUEUE_WINDOW))
      && !unasked && (missedBefore || estimate(sb, h) > YOUNG_FREQUENCY)) return
    if (QUIET_MAIN > 0) noteQuiet(sb, false)
    // On write-once traffic (stop 37) ONCE_GAIN times: each key is read about once at high write shares,
    // so its return is rarer evidence, and the window must grow before the reads move past the keys.
    // QUIET_MAIN (stop 47): also while main's keys no longer come back (a hot set read cache-aside gave
    // way to write-then-read), before the share of inserts written unasked says so.
    let gain: u32 = 1
    if (unasked) gain = writeOnce(sb, ONCE_SHARE) || (QUIET_MAIN > 0 && load<u32>(sb + P + L.POLICY_QUIET_ON) != 0) ? ONCE_GAIN : UNASKED_GAIN
    else if (HIT_GAIN > 0 && load<u32>(sb + P + L.POLICY_HIT_RUN) >= HIT_GAIN_RUNS) {
      // HIT_GAIN (stop 46): the window's tail keys are being hit there and main's keys do not come back
      // (adaptive.ts, hitGainGate): a hot set that moved, whose climb one count per return is too slow for.
      gain = HIT_GAIN
      if (HIT_GAIN_NO_AGE != 0 || HIT_GAIN_UNDO > 0) atomic.add<u32>(sb + P + L.POLICY_PENDING_BOOST, HIT_GAIN - 1)
    }
    atomic.add<u32>(sb + P + L.POLICY_PENDING_GROW, gain)
    if (HIT_GAIN > 0) atomic.add<u32>(sb + P + L.POLICY_RET_WINDOW, 1)
  } else {
    if (QUIET_MAIN > 0) noteQuiet(sb, !filterWrittenUnasked(sb, h))
    atomic.add<u32>(sb + P + L.POLICY_PENDING_SHRINK, 1)
    if (HIT_GAIN > 0 && HIT_GAIN_MAIN > 0) atomic.add<u32>(sb + P + L.POLICY_RET_MAIN, 1)
  }
}

/**
 * LATE_HIT (stop 50): a get's first hit on a probation entry (adaptive.ts) whose key was written unasked is
 * recency evidence, as a window candidate's return is: it was read only after it left the window. Counts
 * ONCE_GAIN towards a bigger window while the unasked share is at least LATE_SHARE (write-then-read
 * traffic), with ONCE_HOT_SHARE while no hot set read cache-aside keeps coming back, and only for a key
 * the sketch has seen at most LATE_FREQUENCY times, this hit counted (a hot key the filter wrongly marks
 * is not one). Lock-free (racy reads only misjudge). (LATE_ASIDE, stop 51, kept it aside while RETURN_TO was on;
 * retired at stop 58: no row anywhere needed it once YOUNG_TEST stood RETURN_TO aside, docs/policy-recency.md.)
 * `entryUnasked`: the entry's ENTRY_UNASKED flag, the mark LATE_FLAG reads instead of the filter's.
 */
export function noteLateHit(sb: u32, h: u64, entryUnasked: bool): void {
  if (!(load<f64>(sb + P + L.POLICY_UNASKED_SHARE) >= LATE_SHARE)) return
  if (ONCE_HOT_SHARE > 0 && load<f64>(sb + P + L.POLICY_HOT_SHARE) >= ONCE_HOT_SHARE) return
  if (LATE_FREQUENCY > 0 && estimate(sb, h) > LATE_FREQUENCY) return
  if (!((LATE_FLAG & 1) != 0 ? entryUnasked : filterWrittenUnasked(sb, h))) return
  atomic.add<u32>(sb + P + L.POLICY_PENDING_GROW, ONCE_GAIN)
}

/**
 * QUIET_MAIN: counts a ghost return (`mainAsked`: of a main entry that was asked for, not written
 * unasked: main's returns of write-then-read keys it took in say nothing of its hot set); the thread
 * that completes a block (QUIET_BLOCK returns, fewer in a small shard: quietBlockLength) decides whether main's
 * keys have gone quiet. Lock-free: a racing return may fall into the next block.
 */
function noteQuiet(sb: u32, mainAsked: bool): void {
  if (mainAsked) atomic.add<u32>(sb + P + L.POLICY_QUIET_MAIN_RETURNS, 1)
  const n = atomic.add<u32>(sb + P + L.POLICY_QUIET_RETURNS, 1) + 1
  if (n < QUIET_MIN_BLOCK || <f64>n < quietBlockLength(sb)) return
  const main = atomic.xchg<u32>(sb + P + L.POLICY_QUIET_MAIN_RETURNS, 0)
  store<u32>(sb + P + L.POLICY_QUIET_ON, <f64>main <= QUIET_MAIN * <f64>n ? 1 : 0)
  store<u32>(sb + P + L.POLICY_QUIET_RETURNS, 0)
}

/**
 * QUIET_SCALE: the returns a block judges, fewer in a small shard (which sees few returns a capacity):
 * its entries (capacity over the mean entry) / QUIET_SCALE, within [QUIET_MIN_BLOCK, QUIET_BLOCK].
 */
function quietBlockLength(sb: u32): f64 {
  if (QUIET_SCALE <= 0) return <f64>QUIET_BLOCK
  return min<f64>(<f64>QUIET_BLOCK, max<f64>(<f64>QUIET_MIN_BLOCK, Math.floor(capacity(sb) / meanSize(sb) / QUIET_SCALE)))
}

/** Applies the evidence counted since the last insert, if any (the test is inlined into every insert). */
// @ts-ignore: decorator
@inline export function applyGhostEvidence(sb: u32): void {
  if (load<u32>(sb + P + L.POLICY_PENDING_GROW) != 0 || load<u32>(sb + P + L.POLICY_PENDING_SHRINK) != 0) moveWindowTarget(sb)
}

/**
 * ONCE_MAX_WINDOW's condition: write-once traffic (ONCE_SHARE) without a hot set read cache-aside beside it
 * (ONCE_HOT_SHARE). ONCE_FIFO reads it too (adaptive.ts, leaveWindow), and ONCE_LIFT (adaptiveInsert).
 */
// @ts-ignore: decorator
@inline export function onceMax(sb: u32): bool {
  return writeOnce(sb, ONCE_SHARE) && !(ONCE_HOT_SHARE > 0 && load<f64>(sb + P + L.POLICY_HOT_SHARE) >= ONCE_HOT_SHARE)
}

/** The least window target: one mean entry, and MIN_WINDOW of capacity. */
export function windowFloor(sb: u32): f64 {
  return max<f64>(meanSize(sb), MIN_WINDOW * capacity(sb))
}

/**
 * Moves the target by the evidence counted since the last insert, each returning candidate growing it
 * and each returning main entry shrinking it by one mean entry, weighted by how many of the other
 * kind the ghost holds (ARC's δ1/δ2). Under the shard lock.
 */
function moveWindowTarget(sb: u32): void {
  const grow = atomic.xchg<u32>(sb + P + L.POLICY_PENDING_GROW, 0)
  const shrink = atomic.xchg<u32>(sb + P + L.POLICY_PENDING_SHRINK, 0)
  const boost: u32 = HIT_GAIN > 0 && (HIT_GAIN_NO_AGE != 0 || HIT_GAIN_UNDO > 0) ? atomic.xchg<u32>(sb + P + L.POLICY_PENDING_BOOST, 0) : 0
  // HIT_GAIN_NO_AGE, HIT_GAIN_UNDO: the share of the growth HIT_GAIN's extra counts made.
  let boosted: f64 = 0
  const unit = meanSize(sb)
  const c = capacity(sb)
  const fromWindow = ghostTagCount(sb, 0)
  const fromMain = ghostTagCount(sb, 1)
  let target = windowTarget(sb)
  // NET_EVIDENCE: the returns counted between two inserts came in an order not kept; when at least
  // NET_EVIDENCE of them were main's (a stretch of gets that inserted nothing: a burst of new keys read without
  // write-backs), the target moves by their net, as ARC taking them one by one would, not by the growth capped
  // at the maximum and then the whole shrink, which took the window to its floor (bench/sim/burst-diag.ts).
  // ARC's ratios: a return weighs more the rarer its kind among the ghost's entries.
  const growRatio = max<f64>(1, fromMain / max<f64>(1, fromWindow))
  const shrinkRatio = max<f64>(1, fromWindow / max<f64>(1, fromMain))
  const both = NET_EVIDENCE != 0 && grow > 0 && shrink >= NET_EVIDENCE
  const net = both ? <f64>grow * growRatio - <f64>shrink * shrinkRatio : 0
  if (grow > 0 && (!both || net >= 0)) {
    const step = growRatio * unit
    // A maximum lowered since the target grew past it (write-once traffic ended) does not pull the
    // target down: shrink evidence does.
    // ONCE_HOT_SHARE: not while a hot set read cache-aside keeps coming back (adaptive.ts, noteHot); a
    // window of nearly the whole cache would leave it no room.
    const once = onceMax(sb)
    const from = target
    target = min<f64>(max<f64>((once ? ONCE_MAX_WINDOW : MAX_WINDOW) * c, target), target + (both ? net * unit : <f64>grow * step))
    if (boost > 0 && target > from) {
      boosted = (target - from) * <f64>boost / <f64>grow
      // HIT_GAIN_UNDO: the block's boosted growth, given back at the block's end if main's keys came back.
      if (HIT_GAIN_UNDO > 0) store<f64>(sb + P + L.POLICY_BLOCK_BOOST, load<f64>(sb + P + L.POLICY_BLOCK_BOOST) + boosted)
    }
  }
  if (shrink > 0 && (!both || net < 0)) {
    const step = shrinkRatio * unit
    target = max<f64>(windowFloor(sb), target - (both ? -net * unit : <f64>shrink * step))
  }
  if (AGE_ON_GROWTH > 0) {
    // The window grew by AGE_ON_GROWTH × capacity above its lowest point since the last such step:
    // recency has been beating frequency, so the frequencies are aged now (POLICY.md).
    // Not again and again: see ageAllowed.
    // HIT_GAIN_NO_AGE: the base moves up with HIT_GAIN's growth, which says a hot set moved, not that
    // frequency is losing (phases written once, model-engine 100k: -2.37 vs LRU with it counted).
    let base = load<f64>(sb + P + L.POLICY_GROWTH_BASE)
    if (boosted > 0 && HIT_GAIN_NO_AGE != 0) {
      base += boosted
      store<f64>(sb + P + L.POLICY_GROWTH_BASE, base)
    }
    if (target < base) store<f64>(sb + P + L.POLICY_GROWTH_BASE, target)
    else if (target - base >= AGE_ON_GROWTH * c && ageEarly(sb)) store<f64>(sb + P + L.POLICY_GROWTH_BASE, target)
  }
  setWindowTarget(sb, target)
}

/**
 * Whether the window's growth may age the sketch now: at least AGE_SPACING × capacity increments after
 * the last early ageing (increments as the sketch counts them towards its regular ageing; a count
 * below the mark means a regular ageing came in between). Each early ageing clears the miss filter and
 * halves what write-then-read and a resting hot set live on, so about one per move of the hot set is
 * what pays (stop 38); unbounded, a loop a little larger than the cache, whose window swings up and
 * down, halved the sketch 20-30 times per capacity of requests (stop 28).
 */
function ageAllowed(sb: u32): bool {
  const added = load<u32>(sb + L.SHARD_SKETCH_ADDITIONS)
  const mark = load<u32>(sb + P + L.POLICY_AGE_MARK)
  if (added < mark) return true
  return <f64>(added - mark) / (<f64>load<u32>(sb + L.SHARD_SKETCH_RESET_AT) / <f64>SKETCH_SAMPLE) >= AGE_SPACING
}

/**
 * An early ageing (the window's growth, AGE_ON_GROWTH; the stale test's opening, STALE_HALVE) if
 * ageAllowed: the sketch halves and the mark moves to now. Whether it aged.
 */
export function ageEarly(sb: u32): bool {
  if (!ageAllowed(sb)) return false
  ageNow(sb)
  return true
}

/** An early ageing without AGE_SPACING's bound (STALE_FAST_HALVE, stop 58): the sketch halves and the mark moves to now. */
export function ageNow(sb: u32): void {
  ageSketch(sb)
  store<u32>(sb + P + L.POLICY_AGE_MARK, load<u32>(sb + L.SHARD_SKETCH_ADDITIONS))
}
