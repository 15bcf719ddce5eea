import { Prng } from '../../workloads/prng.js'
import { KeyFifo } from '../fifo.js'
import { hashKey, mix32 } from '../hash.js'
import { CountMinSketch, MAX_COUNT, nextPow2 } from '../sketch.js'
import { BucketGhost, GhostTable } from './ghost.js'
import type { Tuning } from './tuning.js'

// Per-entry policy bits, as the engine keeps them in the index slot: queue in bits 0-1, the
// saturating hit counter in bits 2-3. Written on insert/move (queue) and on hit (counter).
const NONE = 0
const WINDOW = 1
const PROBATION = 2
const PROTECTED = 3
const QMASK = 3
const CSHIFT = 2
const CMASK = 3 << CSHIFT
const ONE = 1 << CSHIFT
/** RESEARCH (staleHitOnly): hit since it entered protected (cleared by any move but CLOCK's). */
const HIT_SINCE = 16
/** FREE_TAG (freeTag; the engines' ENTRY_FREE flag since stop 50): a probation entry that left the window without a contest (the cache had room); a hit or any move clears it (here: the hit counter is tested beside it). */
const FREE = 32
/** DIAGNOSTIC (stop 50, delayback): placed in probation by RETURN_TO and not hit since. */
const RTP = 64
/**
 * LATE_FLAG (lateFlag, stop 54; the engines' ENTRY_UNASKED entry flag): the key's insert was written unasked (no
 * get missed it before): kept by every move, cleared when the key leaves.
 */
const UNASKED = 128
/**
 * TRACER_FLAG (tracerFlag, stop 54): one of the key's YOUNG_TEST tracer slots held its tag when it was inserted
 * (the engines' ENTRY_TRACER entry flag): kept by every move, cleared when the key leaves. A hit looks at the
 * tracers only for such an entry: the slots hold a tag only from an insert of a key with that tag.
 */
const TRACER = 256
/** The entry flags a move keeps (the engines' copy of the entry keeps them). */
const KEPT = UNASKED | TRACER

// The ghost remembers where an evicted key left from: the window (a rejected candidate) or main.
const FROM_WINDOW = 0
const FROM_MAIN = 1
/** The 'written unasked' bit of every pair in a filter word (the odd bits). */
const UNASKED_BITS = 0xaaaaaaaa | 0
/** RESEARCH (tieUnasked 3, 4): evicted without a ghost entry. */
const NO_GHOST = 2

export interface ShardInit {
  tuning: Tuning
  /** Seed of this shard's sketch hashes and PRNG. */
  seed: number
  /** Seed of the key hash (the shard recomputes the hash of a victim, as the engine reads it from the slot). */
  hashSeed: number
  /** Entry sizes by key (byte mode: capacity in bytes). Default: every entry counts 1. */
  sizes?: Uint32Array
  /** Entries the shard is expected to hold (sizes the sketch and the ghost); default capacity. */
  entryCapacity?: number
}

/**
 * One shard of Cortado's policy: W-TinyLFU's structure built from FIFO queues only.
 *
 * - WINDOW (S): a FIFO every newcomer enters; its target size adapts (below).
 * - PROBATION (P): a FIFO of main entries not hit since they got there; its tail is the victim.
 * - PROTECTED (M): a FIFO of main entries hit while in probation, with CLOCK reinsertion; its
 *   overflow is demoted to probation.
 *
 * An entry leaving the window enters probation only if the count-min sketch says it is more
 * frequent than the victim (TinyLFU); a key found in the ghost contests the victim right away and,
 * winning, goes straight to protected. The window's target moves like ARC's p: a ghost hit on a
 * rejected candidate grows it, a ghost hit on an evicted main entry shrinks it — counting only
 * recent ghost hits, so a loop larger than the cache can't talk the window into thrashing.
 * Hits only bump the entry's 2-bit counter and the sketch.
 */
export class Shard {
  readonly window = new KeyFifo()
  readonly probation = new KeyFifo()
  readonly prot = new KeyFifo()
  readonly sketch: CountMinSketch
  private readonly ghost: GhostTable | BucketGhost
  private readonly rng: Prng
  private readonly sampleRng: Prng
  /** RESEARCH (hitSampleLate): the hit's key's estimate as if the hit counted once. */
  private hitEstimate = 0
  private readonly t: Tuning
  private readonly sizes: Uint32Array | undefined
  private readonly hashSeed: number
  private used = 0
  private entries = 0
  private sizeW = 0
  private countW = 0
  private sizeP = 0
  private sizeM = 0
  /** The window's target size (same unit as capacity). */
  windowTarget: number
  /** Ghost evidence from gets since the last insert (see noteGhost). */
  private pendingGrow = 0
  private pendingShrink = 0
  /**
   * The miss filter: a pair of bits per slot, cleared when the sketch halves. 'Missed' is set by a
   * get that misses; 'written unasked' by an insert while 'missed' is clear (a value stored before
   * anyone asked for it: a session, a record just saved). A rejected candidate back from the ghost
   * beyond the window horizon is recency evidence if it was written unasked, or if it never missed
   * before and the sketch barely knows it; a key a loop asks for again (get, set on a miss) is
   * neither. Empty when missFilterShare is 0.
   */
  private readonly missBits: Uint32Array
  /** RESEARCH (missedGens): the 'missed' bits of the sketch period before this one. */
  private prevMissed: Uint32Array = new Uint32Array(0)
  /** RESEARCH (missedGens 5): the insert count until which the kept marks count. */
  private keptUntil = 0
  /** QUIET_MAIN: this block's ghost returns and asked-for main returns among them, and the last block's verdict. */
  private quietReturns = 0
  private quietMainReturns = 0
  private quietOn = false
  /** Whether a get had missed the key being set, read before the set counted it (see write()). */
  private askedAtSet = false
  /** RESEARCH (missClear 2): the sketch's additions at which the 'missed' bits go next (midway between halvings). */
  private missClearAt = 0
  private readonly missMask: number
  private missHalvings = 0
  /** The window target's lowest point since the sketch was last aged for the window's growth. */
  private growthBase = 0
  /** The sketch's count of increments right after the last early ageing (see ageAllowed). */
  private ageMark = 0
  /** RESEARCH (ageAtMax): growth evidence cut off by the window's maximum since the last early ageing. */
  private cutGrowth = 0
  /** RESEARCH (returnTo 3, 4): the share of inserts written unasked, averaged over about returnSpan × capacity inserts. */
  private unaskedShare = 0
  /** COLD_WINDOW: the cache has been full once (the engines' POLICY.coldFull). */
  private wasFull = false
  /** RESEARCH (lagShed, stop 53): inserts since the shard first filled (or, lagShedMode 2, since the target's last jump). */
  private shedSpan = 0
  private shedTarget = -1
  /** RESEARCH (lagShed mode 8): COLD_WINDOW fired at the first fill. */
  private coldDid = false
  /**
   * COLD_SHED (stop 53): COLD_WINDOW fired and main has not yet shed down to its share since (the engines'
   * POLICY.coldFull at 2).
   */
  private shedding = false
  /**
   * FILL_ROTATE (stop 53): the first fill had no hits on keys written unasked and at least COLD_SHARE of its inserts
   * were written unasked (a fill of sets alone); until youngClock reaches rotateUntil, a probation victim that beats
   * a candidate goes round (the engines' POLICY.coldFull at 3, the deadline in coldHits, unused once full).
   */
  private rotating = false
  private rotateUntil = 0
  /** COLD_HITS: gets that hit before the cache was first full (the engines' POLICY.coldHits). */
  private fillHits = 0
  /**
   * ONCE_HOT_SHARE (issue #18 after stop 37): the share of inserts that are cache-aside returns (back from
   * the ghost, asked for, never written unasked), averaged as unaskedShare: a hot set beside write-once traffic.
   */
  private hotShare = 0
  /** 1 / (returnSpan × capacity): the share's step per mean entry (see insert). */
  private readonly returnWeight: number
  /** DIAGNOSTIC (stop 50): keys RETURN_TO placed that were evicted unhit and have not missed since. */
  rtGone: Uint8Array | undefined
  /** DIAGNOSTIC (stop 52, wbdelay; bench/sim/wb-delay-probe.ts): each key's window-insert stamp, and window hits by age (tenths of the window's count; [0..9] new keys, [10..19] write-backs 'missed'; first hits only). */
  winStamp: Int32Array | undefined
  winAgeHits: Float64Array | undefined
  winIns = 0
  /**
   * DIAGNOSTIC (stop 55, delaysteady; bench/sim/mild-diag.ts --why): each key's last way out of the cache, set at its
   * removal: 1 window leaver hit there and refused, 2 window leaver unhit and refused, 3 probation's victim unhit that RETURN_TO placed there, 4 probation's victim unhit
   * there, 5 probation's victim hit there, 6 protected's victim.
   */
  exitRoute: Uint8Array | undefined
  /** DIAGNOSTIC (stop 55): keys under this id count in stat.clockMarkOld (a phase's keys, told by the caller). */
  diagSplit = 0
  /** RESEARCH (windowClockFlag 4, stop 55): the gets' hit share, a running mean (climb). */
  clockHitShare = 0
  /**
   * RESEARCH (windowClockFlag 5, stop 55): the same cue from counts the engines keep under the lock: gets that missed per
   * sketch addition over the last block of a capacity of additions (misses counted on the miss path; the block closed at
   * the window's tail), and the block's start.
   */
  clockMissShare = 1
  private clockMisses = 0
  /** windowClockFlag 6: of those, cache-aside misses (a set follows, one sketch addition), and the sets (writes). */
  private clockAccessMisses = 0
  private clockWrites = 0
  private clockAddedAt = 0
  private clockHalvingsAt = 0
  /**
   * RETURN_TEST (stop 50): running means of the hit counts (0-3) that the window's leavers carry, for the
   * write-backs RETURN_SAMPLE lets into the window (backMean) and for the new keys (newMean).
   */
  backMean = 0
  newMean = 3
  /**
   * RESEARCH (youngTest, stop 52, wbdelay): YOUNG_TEST's tracers, one slot per hash class: a new key written
   * unasked and placed in the window (its hash tag, ≥ 2; 1: hit while young, 0: empty) and the window clock
   * when placed; youngShare: the running share of tracers first hit while younger than youngAge × the
   * window's count (the window's youngest part is read).
   */
  private youngTag = new Uint32Array(0)
  private youngStamp = new Uint32Array(0)
  private youngClock = 0
  /** YOUNG_TEST's limits in entries (youngAge, youngBackFrom, youngBackTo × capacity / mean size), taken at each first write as the engines do for their lock-free reads. */
  private youngLimit = 0
  private youngKeepLimit = 0
  private backFrom = 0
  private backTo = 0
  /** youngBack: tracers of write-backs (a tag, ≥ 4; 1: read again late; 0: empty) and their first-write clock when placed. */
  private backTag = new Uint32Array(0)
  private backStamp = new Uint32Array(0)
  backShare = 0
  /** youngTest 1: each key's window clock when placed there (exact ages; the engines have no such field). */
  private youngAt: Uint32Array | undefined
  youngShare = 1
  /** RETURN_READ_MIN (stop 54, movewrites): the running share of new keys' tracers read at all before youngKeep × capacity first writes. */
  readShare = 1
  /** RETURN_READ_MIN: the tracers' clock at the first first write once the shard was full (0: not yet). */
  private readFrom = 0
  /** YOUNG_TEST's veto, with hysteresis: on under youngMin, off from youngMin + youngHyst. */
  private youngVeto = false
  /** RESEARCH (returnTo 4): whether write-backs are being sent to probation (hysteresis, see returnToProbation). */
  private returnOn = false
  hits = 0
  misses = 0
  private climbN = 0
  private climbHits = 0
  private climbPrev = -1
  private climbStepNow = 0
  rejections = 0
  /** Diagnostics: hitGainUndo's give-backs so far. */
  undone = 0
  /** Diagnostics: hitGainDry's give-backs so far. */
  dried = 0
  /** Early ageings so far (the sketch halved for the window's growth). */
  earlyAgeings = 0
  /** RESEARCH (driftSweep, stop 39): protected's hits in the running block, its requests, the decayed peak of the blocks' protected hit rate, and whether the drift gate is on. */
  private driftHits = 0
  private driftN = 0
  private driftPeak = 0
  /** RESEARCH (driftSample): gets since the last halving the open gate made. */
  private driftAge = 0
  /** RESEARCH (driftSpan): capacities of gets the gate has been open. */
  private driftFor = 0
  driftOn = false
  /** STALE_GATE (stop 50): protected's hand steps in the running drift block, those that found an unhit entry, and the last block's share (0 under STALE_MIN_STEPS steps). */
  private staleSteps = 0
  private staleUnhit = 0
  /** RESEARCH (deadGate, stop 53): the running block's demotions, those the sketch rated at deadFreq or more, and its contest losses' victim estimates. */
  private deadN = 0
  private deadHigh = 0
  private deadVictimSum = 0
  private deadVictimN = 0
  private deadRef = 8
  deadBlock = 0
  /** RESEARCH (jumpGate, stop 53): the sketch's additions and the inserts at the running block's start, the miss ratio's reference. */
  private jumpAdds = 0
  private jumpIns = 0
  private jumpRef = -1
  jumpBlock = 0
  /** RESEARCH (jumpMode 8): gets and inserts of the keys in the 1/jumpSample hash sample (what a port could count on the hit path at a fraction of the stores). */
  private jumpSampGets = 0
  private jumpSampIns = 0
  /** RESEARCH (jumpWin): the ghost contests and wins at the running block's start. */
  private jumpGc = 0
  private jumpGw = 0
  staleBlock = 0
  /** RESEARCH (staleSweep): the gate is open by staleGate alone. */
  private staleOn = false
  /** STALE_RUNS: drift blocks in a row that met the stale test. */
  private staleRun = 0
  /** STALE_HOLD: drift blocks the gate the stale test opened stays open for, beyond the running one. */
  private staleHeld = 0
  /** RESEARCH (staleFastAge, stop 56): the drift gate is open, opened by staleFast. */
  private fastOn = false
  /** DRIFT_BLOCK: the running block's length in inserts (see ghostStep). */
  private driftBlockLen: number
  /** RESEARCH (driftHold): inserts the open gate is still held open for. */
  private driftHeld = 0
  /** RESEARCH (driftGrowAny): whether the last block's share was a fall. */
  private driftFell = false
  /** RESEARCH (driftGrowAny 2): the window has grown in the running fall. */
  private driftGrown = false
  /** RESEARCH (driftGrowUndo): what DRIFT_GROW added in the running fall. */
  private driftGrewBy = 0
  /** RESEARCH (driftGrowGap): blocks since the last fall's first block (large until the first fall). */
  private driftGap = 1e9
  /** Diagnostics: driftGap at each fall's first block. */
  driftGapLog: number[] = []
  /** Diagnostics: the block's share over its decayed peak at each fall's first block. */
  driftDepthLog: number[] = []
  /** Diagnostics (bench/sim/drift-falls.ts): the window leavers' hit share at each fall (driftGrowAny 0: at each opening). */
  driftOpenLog: number[] = []
  /** RESEARCH (driftGrowHit): the window's leavers in the running drift block, and those hit there. */
  private leaveN = 0
  private leaveShare = 0
  private leaveHit = 0
  /** RESEARCH (hitGain): window tail keys seen (left or went round) and how many had been hit, per drift block; the last block's share. */
  private tailN = 0
  private tailHit = 0
  private tailShare = 0
  /** RESEARCH (hitGainMain): ghost returns per drift block, rejected candidates (counted) and main's; the last block's ratio main / candidates. */
  private retW = 0
  private retM = 0
  private retRatio = Infinity
  /** RESEARCH (hitGainRuns): drift blocks in a row that met hitGain's conditions. */
  private hitRun = 0
  /** RESEARCH (hitGainDecay): the extra counts hitGain added to pendingGrow, and the window growth they made that still stands. */
  private pendingBoost = 0
  /** RESEARCH (lateUndo, stop 50): lateHit's counts in pendingGrow, and the window growth they made that still stands. */
  private pendingLate = 0
  private lateGrewBy = 0
  /** Diagnostics: lateUndo's give-backs so far. */
  lateUndone = 0
  private hitGrewBy = 0
  /** RESEARCH (hitGainUndo): the window growth hitGain's extra counts made in the running drift block. */
  private blockBoost = 0
  /** RESEARCH (hitGainDry): the growth HIT_GAIN made in the last block that still stands. */
  private lastBoost = 0
  private retWBlock = 0
  private retMBlock = 0
  /** RESEARCH (driftSignal 1, stop 40): protected's hand steps in the running block, and those that found a hit entry. */
  private handSteps = 0
  private handHits = 0
  /** RESEARCH (driftSignal 1): the block's hit share of hand steps, for diagnostics. */
  handRate = -1
  /** RESEARCH: protected's sweep (see sweep()). */
  private sweepCredit = 0
  private sweepDebt = 0
  /** Research counters (scratch diagnostics read them; no decision depends on them). */
  readonly stat = { ghostContests: 0, ghostWins: 0, windowContests: 0, windowWins: 0, lossVictimSum: 0, losses: 0, promotions: 0, demotions: 0, sweepSteps: 0, sweepDemotes: 0, coldFired: 0, rtPlaced: 0, mainBack: 0, windowBack: 0, lateFirstHits: 0, missClears: 0, staleBlocks: 0, rtBack: 0, rtBackYoung: 0, rtBackVeryYoung: 0, rtHit: 0, rtLost: 0, probHit: 0, probLost: 0, bigWins: 0, winAged: 0, lagWins: 0, missWins: 0, dryWins: 0, hitRaises: 0, unaskedInserts: 0, onceLifts: 0, deadOpens: 0, jumpOpens: 0, gateAged: 0, hitLeaverLosses: 0, hitLeaverFc: 0, hitLeaverFv: 0, hitLeaverProtVictims: 0, clockFlagOnly: 0, clockFilterOnly: 0, clockMarkRounds: 0, clockMarkOld: 0, fastOpens: 0 }
  /** RESEARCH (staleAfter): per key, the insert count when a hit was last seen by the queues (insert, promotion, CLOCK pass); exact, where an engine would keep a few bits. */
  private stamps: Int32Array | undefined
  private inserts = 0
  /** RESEARCH (returnSweepStale): the share of protected's CLOCK steps that found an unhit entry (average over ~1 / staleWeight steps). */
  private staleShare = 0
  /**
   * DIAGNOSTIC oracle (stop 43, bench/sim/moving-oracle.ts; 0 in every other use, no decision reads it
   * then): on the moving Zipf families the tool sets oracleOffset to the current phase's first key id, so
   * a key below it belongs to a hot set that has moved away. oracleMode 1: such a victim's estimate is 0 in
   * a contest; 6: such a window leaver is rejected (when it would contest); 7: both; 2, 4, 5: the tool calls
   * oracleFlush() at each move (2: both main queues, 4: protected only, 5: probation only).
   */
  oracleOffset = -1
  oracleMode = 0
  /** RESEARCH (moveFlush, stop 43): main's unhit entries leave (main ghosts); hit ones stay in place. */
  private moveFlushNow(): void {
    this.dropFromMain(true, this.t.moveFlush >= 2, (k) => (this.keyState[k]! & CMASK) === 0, this.t.moveFlushGhost === 1 ? NO_GHOST : FROM_MAIN)
  }
  /** DIAGNOSTIC oracle (see oracleMode): main's keys of the moved-away hot set leave now, leaving no ghost. */
  oracleFlush(): void {
    this.dropFromMain(this.oracleMode !== 4, this.oracleMode !== 5, (k) => k < this.oracleOffset, NO_GHOST)
  }
  /** Research purges: the entries of probation and/or protected that `leaves` names go (as `from`); the rest keep their order. */
  private dropFromMain(probation: boolean, prot: boolean, leaves: (key: number) => boolean, from: number): void {
    for (const [q, isP] of [[this.probation, true], [this.prot, false]] as const) {
      if (!(isP ? probation : prot)) continue
      const n = q.length
      for (let i = 0; i < n; i++) {
        const k = q.pop()
        if (leaves(k)) {
          const size = this.sizeOf(k)
          if (isP) this.sizeP -= size; else this.sizeM -= size
          this.remove(k, from)
        } else q.push(k)
      }
    }
  }
  /** RESEARCH (moveTie, moveQual): drift blocks since the last fall's first block that counts (large until one). */
  private moveGap = 1e9
  /** RESEARCH (movePre): window leavers still to come that were in the window at the move's start. */
  private preLeft = 0
  /** Diagnostics: requests seen at each move's start. */
  moveLog: number[] = []
  /** RESEARCH (moveGapMax): driftGap before this block. */
  private prevGap = 1e9
  /** RESEARCH (moveCancel): entries the move's debt evicted, and main ghosts back, since the move's start. */
  private purged = 0
  private purgedBack = 0
  /** RESEARCH (moveTie): the running contest's candidate is a window leaver (1) hit in the window (2), or a ghost return (3); 0 otherwise. */
  private contestKind = 0
  /** STALE_FAST_HALVE (stop 57): drift blocks the fast gate has stayed open since it opened (the engines' POLICY.staleFastOn − 1). */
  private fastBlocks = 0
  /** RESEARCH (rotateAfter): main's last victim to beat a candidate, and its wins in a row. */
  private winner = -1
  /**
   * RESEARCH (lagStale, stop 52, lagphase; the port had them as POLICY lagRun, lagOpen, lagHit): window leavers written unasked
   * that lost to probation's victims in a row (each after a get hit, no get missing meanwhile), whether
   * probation is taken as stale, and whether a get hit since the last loss counted.
   */
  private lagRun = 0
  private lagOpen = false
  private lagHit = false
  private lagLastKey = -1
  /** MISS_RUN (engines since stop 54; the knob since stop 53, lagreal): reads that missed since the last read that hit (missRunMode 4 and 128: see tuning.ts). */
  private missRunLen = 0
  /** The entry flags the insert in progress gives its entry (UNASKED: LATE_FLAG; TRACER: TRACER_FLAG), as the engines' insertFlags. */
  private insertFlags = 0
  /** RESEARCH (missRunUnasked, stop 54, lagport): inserts written unasked since the last read that hit. */
  private missRunWrites = 0
  /**
   * MISS_UNDO (missRunMode 256, stop 54, lagport): the window target and the shed state before missRun's jump, whether
   * the jump waits for its verdict, the verdict's tally, and an undo decided by a hit that the next insert applies.
   */
  private missJumpFrom = 0
  private missJumpShed = false
  private missJumpPending = false
  private missJumpStarted = false
  private missJumpTally = 0
  /**
   * RESEARCH (dryRun, stop 56, lagopen2): inserts written unasked in a row with no sketch addition from anything else
   * since the insert before (a get's hit on a saturated key adds nothing), the sketch's raises and the gets' hits at the
   * last insert, and whether the pending jump was the dry run's (its verdict then skips hits that added nothing).
   */
  private dryRunLen = 0
  private dryAdded = 0
  private dryHits = 0
  private missJumpDry = false
  /** RESEARCH (dryRunMode 64, 128): the last key whose hit in main counted against the dry jump; the halving an undo locked the dry run out in. */
  private dryLastKey = 0
  private dryLock = false
  /** RESEARCH (dryRunMode 512): set by an insert while the dry run goes on, cleared by a get's hit. */
  private dryArmed = false
  private missUndo = false
  private winnerRun = 0
  /** RESEARCH (windowHitBoost): added to the candidate's estimate in the running contest. */
  private boost = 0
  /** RESEARCH (staleMode 5, 6): the contest running is a young window-tagged ghost key's. */
  private youngReturn = false
  /** RESEARCH (regretAge): the contest running is a ghost key's. */
  private regretting = false

  constructor(
    readonly capacity: number,
    /** Per-key policy bits, shared by all shards (each key lives in one). */
    private readonly keyState: Uint16Array,
    init: ShardInit,
  ) {
    this.t = init.tuning
    this.sizes = init.sizes
    this.hashSeed = init.hashSeed
    this.rng = new Prng(init.seed)
    this.sampleRng = new Prng(init.seed ^ 0x5bd1e995)
    const entryCapacity = Math.max(1, Math.round(init.entryCapacity ?? capacity))
    this.sketch = new CountMinSketch(entryCapacity, {
      widthFactor: this.t.sketchWidth,
      sampleFactor: this.t.sketchSample,
      doorkeeper: this.t.doorkeeper,
      layout: this.t.sketchLayout,
      countSaturated: this.t.sketchCountSaturated,
      satWeight: this.t.ageSatMode > 0 ? 0 : this.t.ageSat,
      seed: init.seed,
    })
    const ghostSize = Math.max(1, Math.floor(entryCapacity * this.t.ghostFactor))
    this.ghost = this.t.ghostBuckets === 1 ? new BucketGhost(ghostSize) : new GhostTable(ghostSize, 1)
    this.returnWeight = 1 / (this.t.returnSpan * capacity)
    this.windowTarget = Math.max(1, capacity * this.t.initialWindow)
    // Entry mode: the block's length for good. Byte mode: a placeholder until the shard is first full
    // (an empty shard's mean size says nothing: meanSize() is 1), when it is taken with the mean size.
    this.driftBlockLen = this.driftBlockLength()
    this.growthBase = this.windowTarget
    // A pair of bits per slot: bit 2i is 'missed', bit 2i+1 'written unasked'. The engine's sketch
    // area holds 32 bits per expected entry for the counters, and a share more for the filter.
    const pairs = this.t.missFilterShare <= 1 ? 0 : Math.max(16, nextPow2(entryCapacity * 16 / (this.t.missFilterShare - 1)))
    this.missBits = new Uint32Array(pairs >>> 4)
    this.missMask = pairs - 1
    if (this.t.staleAfter > 0) this.stamps = new Int32Array(keyState.length)
    if (this.t.youngTest === 1) this.youngAt = new Uint32Array(keyState.length)
    else if (this.t.youngTest > 0) {
      this.youngTag = new Uint32Array(this.t.youngTest)
      this.youngStamp = new Uint32Array(this.t.youngTest)
      this.backTag = new Uint32Array(this.t.youngTest)
      this.backStamp = new Uint32Array(this.t.youngTest)
    }
  }

  /** The miss filter's bit of h: `half` 0 is 'missed', 1 'written unasked'; cleared when the sketch halves. */
  private filterBit(h: number, half: number): number {
    if (this.sketch.halvings !== this.missHalvings) {
      // UNASKED_KEEP: while main's keys are quiet (QUIET_MAIN) a halving clears only the 'missed' bits.
      // The engines clear at each halving, and nothing changes quietOn between a halving and the next look.
      const keep = this.t.unaskedKeep > 0 && this.quietOn
      if (this.t.missedGens > 0) {
        // MISSED_GENS: each halving keeps the 'missed' bits it clears; after two or more halvings since the last look
        // the last one kept what the one before it had left: nothing, as the engines' halve() does.
        if (this.prevMissed.length !== this.missBits.length) this.prevMissed = new Uint32Array(this.missBits.length)
        if (this.sketch.halvings - this.missHalvings >= 2) this.prevMissed.fill(0)
        else for (let i = 0; i < this.missBits.length; i++) this.prevMissed[i] = this.missBits[i]! & ~UNASKED_BITS
        // RESEARCH (missedGens 5): the kept marks count only for the window's worth of inserts after the halving.
        this.keptUntil = this.inserts + Math.ceil(this.windowTarget / this.meanSize())
      }
      this.missHalvings = this.sketch.halvings
      if (keep) {
        for (let i = 0; i < this.missBits.length; i++) this.missBits[i] = this.missBits[i]! & UNASKED_BITS
      } else this.missBits.fill(0)
      this.missClearAt = this.sketch.added + this.sketch.sampleSize / 4
    } else if (this.t.missClear === 2 && this.sketch.added >= this.missClearAt) {
      // RESEARCH (missClear 2): midway between halvings, whatever the traffic.
      for (let i = 0; i < this.missBits.length; i++) this.missBits[i] = this.missBits[i]! & UNASKED_BITS
      this.missClearAt = Infinity
    }
    return ((mix32(h ^ 0x6d2b79f5) & this.missMask) << 1) | half
  }

  /** MISS_CLEAR: the engines' clearMissed (assembly/sketch.ts), after any halving still to apply. */
  private clearMissed(): void {
    this.filterBit(0, 0)
    for (let i = 0; i < this.missBits.length; i++) this.missBits[i] = this.missBits[i]! & UNASKED_BITS
    // RESEARCH (missedGens): the traffic that left those marks is over, the period before's marks too.
    this.prevMissed.fill(0)
    this.stat.missClears++
  }

  private testAndSet(h: number, half: number): boolean {
    if (this.missBits.length === 0) return false
    const i = this.filterBit(h, half)
    const w = this.missBits[i >>> 5]!
    const bit = 1 << (i & 31)
    this.missBits[i >>> 5] = w | bit
    return (w & bit) !== 0
  }

  private test(h: number, half: number): boolean {
    if (this.missBits.length === 0) return false
    const i = this.filterBit(h, half)
    return (this.missBits[i >>> 5]! & (1 << (i & 31))) !== 0
  }

  /** MISSED_GENS: the 'missed' bit of h the last halving kept (the sketch period before this one). */
  private missedBefore(h: number): boolean {
    if (this.prevMissed.length === 0) return false
    const i = this.filterBit(h, 0)
    return (this.prevMissed[i >>> 5]! & (1 << (i & 31))) !== 0
  }

  /**
   * MISSED_GENS (the engines' keptMarksCount): whether the window's CLOCK reads the kept marks: 1 always; 2 while the
   * unasked share is at least returnShare; 4 as 2, not while RETURN_TO places write-backs (on, neither veto holding).
   * RESEARCH: 3 as 2, not while RETURN_TO is on at all; 5 as 4, only for a window's worth of inserts after the halving.
   */
  private keptMarksCount(): boolean {
    const g = this.t.missedGens
    if (g === 1) return true
    if (!(this.unaskedShare >= this.t.returnShare)) return false
    if (g === 3) return !this.returnOn
    if (g >= 4 && this.returnOn && !((this.t.youngTest > 0 && this.youngVetoHolds()) || (this.t.returnSample > 0 && this.backMean > this.newMean))) return false
    return !(g === 5 && this.inserts >= this.keptUntil)
  }

  access(key: number, h: number): boolean {
    const st = this.keyState[key]!
    if (this.t.youngTest > 1 && (this.t.youngNoMiss === 0 || (st & QMASK) !== NONE) && this.tracerLook(st)) this.youngHit(key, h)
    if ((st & QMASK) !== NONE) return this.hit(key, h, st, true)
    this.lagMiss()
    if (this.t.windowClockFlag >= 5) {
      this.clockMisses++
      this.clockAccessMisses++
    }
    // RESEARCH missRunMode 4: only a get's miss counts towards missRun's run (not a cache-aside miss).
    // missRunMode 128 (the engines'): the get's miss counts here and its set (an insert asked for) takes it off again.
    if ((this.t.missRunMode & 4) === 0 || (this.t.missRunMode & 128) !== 0) this.missRunLen++
    this.missVerdictMiss()
    this.climb(false)
    this.drift(false)
    this.shadow(key, h, false, true)
    // A cache-aside miss is a get that misses (it looks at the ghost before anything counts it),
    // then a set (counted in the sketch, then inserted), in the engine's order.
    this.misses++
    if (this.t.jumpSample > 0 && this.jumpSampled(h)) this.jumpSampGets++
    this.noteGhost(h, key)
    this.askedAtSet = this.test(h, 0)
    this.sketch.increment(h)
    this.insert(key, h)
    return false
  }

  /** TRACER_FLAG: whether a get of a key with bits `st` looks at the tracers: a miss always, a hit only on an entry flagged TRACER. */
  private tracerLook(st: number): boolean {
    return this.t.tracerFlag === 0 || (st & QMASK) === NONE || (st & TRACER) !== 0
  }

  /** A hit's count in the sketch (hitSample: research). */
  private countHit(h: number, st: number): void {
    if (this.t.hitSampleLate > 0) this.hitEstimate = Math.min(MAX_COUNT, this.sketch.estimate(h) + 1)
    if (this.t.hitSample <= 1 || (this.t.hitSampleRepeat > 0 && ((st & CMASK) >> CSHIFT) < this.t.hitSampleRepeat)) this.sketch.increment(h)
    else if (this.sampleRng.nextU32() % this.t.hitSample === 0) for (let i = 0; i < this.t.hitSample; i++) this.sketch.increment(h)
  }

  /** DIAGNOSTIC: a hit on a probation entry (state `st` before the hit). */
  private noteProbHit(key: number, st: number): void {
    if (this.t.youngTest === 1 && (st & QMASK) === WINDOW && (st & CMASK) === 0) this.youngHit(key, this.hashOf(key))
    if (this.winStamp !== undefined && (st & QMASK) === WINDOW && (st & CMASK) === 0) {
      const b = Math.min(9, Math.floor(10 * (this.winIns - this.winStamp[key]!) / Math.max(1, this.countW)))
      this.winAgeHits![b + (this.test(this.hashOf(key), 0) ? 10 : 0)]++
    }
    // RESEARCH lagStaleMode 1024: any hit in probation (not only a first one) ends lagStale's run and state.
    if ((this.t.lagStaleMode & 1024) !== 0 && (st & QMASK) === PROBATION && (st & CMASK) !== 0) {
      this.lagRun = 0
      this.lagOpen = false
    }
    // RESEARCH lagStaleMode 2048: a repeated hit in probation ends it too, unless on the same key as the last one
    // (one key read again and again says nothing of probation's other keys).
    if ((this.t.lagStaleMode & 2048) !== 0 && (st & QMASK) === PROBATION && (st & CMASK) !== 0) {
      if (key !== this.lagLastKey) {
        this.lagRun = 0
        this.lagOpen = false
      }
      this.lagLastKey = key
    }
    if ((st & QMASK) !== PROBATION || (st & CMASK) !== 0) return
    // RESEARCH (lagStale, stop 52): a first hit in probation says its contents are still read (RESEARCH lagStaleMode 128:
    // only a key the sketch has seen at most LATE_FREQUENCY times, this hit counted: a key read in the window
    // and again in probation says nothing of probation's other keys).
    if ((this.t.lagStaleMode & 128) === 0 || this.sketch.estimate(this.hashOf(key)) <= this.t.lateFrequency) {
      this.lagRun = 0
      this.lagOpen = false
    }
    this.stat.probHit++
    if ((st & RTP) !== 0) {
      this.stat.rtHit++
      this.keyState[key]! &= ~RTP
    }
  }

  /** A get: a hit counts like access(); a miss stores nothing and, as in the engine, is not counted in the sketch. */
  read(key: number, h: number): boolean {
    const st = this.keyState[key]!
    if (this.t.youngTest > 1 && (this.t.youngNoMiss === 0 || (st & QMASK) !== NONE) && this.tracerLook(st)) this.youngHit(key, h)
    if ((st & QMASK) === NONE) {
      this.misses++
      if (this.t.jumpSample > 0 && this.jumpSampled(h)) this.jumpSampGets++
      this.lagMiss()
      if (this.t.windowClockFlag >= 5) this.clockMisses++
      this.missRunLen++
      this.missVerdictMiss()
      this.climb(false)
      this.drift(false)
      this.shadow(key, h, false, false)
      this.noteGhost(h, key)
      return false
    }
    return this.hit(key, h, st, false)
  }

  /** A hit, of a cache-aside access (`cacheAside`: a miss would have been set) or of a get; `st`: the key's bits before it. */
  private hit(key: number, h: number, st: number, cacheAside: boolean): true {
    this.countHit(h, st)
    if (this.sketch.lastRaised) this.stat.hitRaises++
    if ((st & CMASK) !== CMASK) this.keyState[key] = st + ONE
    this.noteProbHit(key, st)
    if (this.t.staleHitOnly > 0 && (st & QMASK) === PROTECTED) this.keyState[key]! |= HIT_SINCE
    this.lateHitOn(st, h)
    this.hits++
    if (this.t.jumpSample > 0 && this.jumpSampled(h)) this.jumpSampGets++
    this.lagHit = true
    this.missRunLen = 0
    this.missRunWrites = 0
    this.dryArmed = false
    // MISS_UNDO (missRunMode 256, stop 54, lagport): the hits after missRun's jump tell whom it served, each hit in
    // main +1 and in the window −1: at −missRunUndo the window's keys (written during the run: a lag phase's
    // opening) are read and the jump stands; at +missRunUndo main's keys are read again (a 404 flood with writes
    // in it is over) and the next insert takes the target and the shed back to what they were (the engines' gets
    // run without the shard lock: they decide, an insert applies).
    // The verdict starts at the first hit after the jump (a run of misses, a flood's or an opening's, says nothing),
    // and from then on a get that misses counts −1 and a hit ±missRunUndoMisses: a rate, not a count (an opening hits
    // a few of main's keys among many misses; after a flood main's hot keys hit at once).
    // RESEARCH (dryRunMode 2; not with 64): after the dry run's jump a hit that added nothing to the sketch (the opening's one hot
    // key, read again and again) says nothing of whom the jump served.
    if (this.missJumpPending && !(this.missJumpDry && (this.t.dryRunMode & 66) === 2 && !this.sketch.lastRaised)) {
      this.missJumpStarted = true
      // RESEARCH (dryRunMode 16): after the dry run's jump a hit in main on a key written unasked (its entry's mark) is
      // the jump serving too: the lag phase's keys written before the jump, which reached probation, read first.
      const forJump = (st & QMASK) === WINDOW || (this.missJumpDry && (this.t.dryRunMode & 16) !== 0 && (st & UNASKED) !== 0)
      // RESEARCH (dryRunMode 64): after the dry jump a hit in main counts against it only on a key other than the last
      // one so counted (the opening's one hot key, read again and again, says nothing; a hot set of many keys does).
      if (!forJump && this.missJumpDry && (this.t.dryRunMode & 64) !== 0) {
        // The key's hash (the engines keep its low 32 bits): two keys alike only on a collision.
        if (h !== this.dryLastKey) this.missJumpTally += this.t.missRunUndoMisses
        this.dryLastKey = h
      } else this.missJumpTally += forJump ? -this.t.missRunUndoMisses : this.t.missRunUndoMisses
      this.missVerdict()
    }
    if (!this.wasFull) this.noteFillHit(h, st)
    // FILL_ROTATE: a get that hits ends the rotation (the fill's reads began, or cache-aside traffic after a warm-up).
    else if (this.rotating) this.rotating = false
    this.climb(true)
    this.drift((st & QMASK) === PROTECTED)
    this.shadow(key, h, true, cacheAside)
    return true
  }

  /**
   * RESEARCH (dryRun, stop 56, lagopen2): at an insert (under the shard's lock in the engines), whether anything but
   * this set's own count added to the sketch since the last insert. A lag phase's opening writes new keys while its
   * gets hit one key, whose counters are saturated: nothing adds; the admission test's hot gets hit many keys of
   * main, and their counts keep rising. dryRunMode bits: 1 an unasked insert counts only if a get hit since the
   * last insert (not a pure write stream); 4 an addition takes dryRunCost off the run instead of ending it (the engines'
   * since stop 57, DRY_RUN_COST; an ageing between takes one cost; the run held at dryRunCap, DRY_RUN_CAP); 8 an insert
   * asked for counts too (after a scan or a Zipf phase the miss filter calls a third to a half of new keys asked for);
   * 16 (with 2) after the dry jump a hit in main on an entry marked written unasked counts for the jump, as a window hit;
   * 32 only the win that jumps (none while the target is at COLD_WINDOW's level or above); 64 the verdict counts a hit in
   * main against the dry jump only on a key other than the last one so counted (and hits that added nothing too);
   * 128 an undone dry jump locks the dry run out until the sketch's next ageing (seen as its count going down at an
   * insert); 512 bit 1 as the engines can see it: a mark each insert sets while the run goes on and a hit clears.
   */
  private dryNote(askedFor: boolean): void {
    // The engines' count towards the next ageing (SHARD_SKETCH_ADDITIONS: increments that raised a counter, halved
    // at each ageing): since the last insert it moved by this set's own count (1, or 0 on a saturated key) and
    // nothing else, or an ageing fell between (it went down) and the run starts again.
    const others = this.sketch.added - this.dryAdded - 1
    // dryRunMode 512 (the engines' form of 1): "a get hit since the insert before" is a mark the insert sets (only
    // while the run goes on: nothing but the own count added) and a get's hit clears (the engines: a bit of MISS_RUN's
    // word, which a hit loads already and stores when it is not 0).
    const hitSince = (this.t.dryRunMode & 512) !== 0 ? !this.dryArmed : this.hits > this.dryHits
    if (others > 0 || others < -1) {
      this.dryRunLen = (this.t.dryRunMode & 4) !== 0 ? Math.max(0, this.dryRunLen - Math.max(1, others) * this.t.dryRunCost) : 0
      this.dryArmed = false
      // dryRunMode 128: the count went down: an ageing fell since, which ends an undone dry jump's lockout.
      if (others < -1) this.dryLock = false
    } else {
      if ((!askedFor || (this.t.dryRunMode & 8) !== 0) && ((this.t.dryRunMode & 1) === 0 || hitSince)) {
        // DRY_RUN_CAP (dryRunCap, stop 57): the run held at most this long (0: unbounded; the engines' u32 needs a bound).
        if (this.t.dryRunCap <= 0 || this.dryRunLen < this.t.dryRunCap) this.dryRunLen++
      }
      this.dryArmed = (this.t.dryRunMode & 512) !== 0
    }
    this.dryAdded = this.sketch.added
    this.dryHits = this.hits
  }

  /** MISS_UNDO: a get that missed while the verdict runs (after its first hit) counts −1 towards the jump standing. */
  private missVerdictMiss(): void {
    if (!this.missJumpStarted || !this.missJumpPending) return
    this.missJumpTally--
    this.missVerdict()
  }

  /** MISS_UNDO: at +missRunUndo × missRunUndoMisses the jump is to be undone (by the next insert), at − that it stands. */
  private missVerdict(): void {
    const n = this.t.missRunUndo * this.t.missRunUndoMisses
    if (this.missJumpTally >= n) this.missUndo = true
    if (this.missJumpTally >= n || this.missJumpTally <= -n) this.missJumpPending = false
  }

  /** RESEARCH (lagStale, stop 52): a get missed: the run of lost leavers starts again (RESEARCH lagStaleMode 64: not). */
  private lagMiss(): void {
    if ((this.t.lagStaleMode & 64) === 0) this.lagRun = 0
    // RESEARCH lagStaleMode 256: a miss also ends the stale state (probation's keys may be what is missed).
    if ((this.t.lagStaleMode & 256) !== 0) this.lagOpen = false
  }

  /**
   * LATE_HIT (lateHit; stop 49 lead, stop 50 lagonce): a get's first hit in probation (`st`: the key's bits
   * before the hit) on a key written unasked is recency evidence, as a window candidate's return from the
   * ghost is: it was read only after it left the window (each key read k·C writes after its write). Any get
   * (the engines see a cache-aside hit and a read alike). 1: while writeOnce(ONCE_SHARE); 2: while the
   * unasked share is at least lateShare(); 3 (the engines'): as 2, not while the share of cache-aside
   * returns is at least ONCE_HOT_SHARE (a hot set read beside the writes). LATE_FREQUENCY: only for a key
   * the sketch has seen at most that often, this hit counted. RESEARCH lateAside (the engines' LATE_ASIDE, stops 51–57): not while RETURN_TO is on.
   */
  private lateHitOn(st: number, h: number): void {
    if (this.t.lateHit > 0 && (st & QMASK) === PROBATION && (st & CMASK) === 0 && ((this.t.lateFlag & 1) !== 0 ? (st & UNASKED) !== 0 : this.test(h, 1))
      && (this.t.lateHit === 1 ? this.writeOnce(this.t.onceShare) : this.unaskedShare >= this.lateShare())
      && !(this.t.lateHit === 3 && this.t.onceHotShare > 0 && this.hotShare >= this.t.onceHotShare)
      && (this.t.lateFrequency <= 0 || (this.t.hitSampleLate > 0 ? this.hitEstimate : this.sketch.estimate(h)) <= this.t.lateFrequency)
      && !this.lateAsideNow()) {
      const gain = this.t.lateGain > 0 ? this.t.lateGain : this.t.onceGain
      this.pendingGrow += gain
      this.pendingLate += gain
      this.stat.lateFirstHits++
    }
  }

  /**
   * RESEARCH (lateAside; the engines' LATE_ASIDE from stop 51, delayrows, to stop 57): whether LATE_HIT stands aside now. 1: while
   * RETURN_TO is on: the keys read late are being written back too, the window is at its maximum, and the
   * late hits only cancel the shrink main's returns ask for ('delay 0.8C+0.5C back'). 2 (research): only
   * while RETURN_TEST also vetoes RETURN_TO.
   */
  private lateAsideNow(): boolean {
    switch (this.t.lateAside) {
      case 1: return this.returnOn
      case 2: return this.returnOn && this.t.returnSample > 0 && this.backMean > this.newMean
      default: return false
    }
  }

  /** LATE_SHARE (stop 50): the unasked share lateHit 2-3 and freeTag 2-4 need (RETURN_SHARE when a research override sets 0). */
  private lateShare(): number {
    return this.t.lateShare > 0 ? this.t.lateShare : this.t.returnShare
  }

  /**
   * COLD_HITS, before the cache was first full. With COLD_HITS_UNASKED only a hit on a key written
   * unasked, while the unasked share is at least returnShare, counts (write-then-read from empty reads its
   * own writes): a cache-aside hot set hits its own loads, and with a bulk warm-up of sets after it the
   * rule misfired (stop 39).
   */
  private noteFillHit(h: number, st: number): void {
    if (this.t.coldHitsUnasked === 0) this.fillHits++
    // The engines read the filter only while the rule could still fire and needs more hits (some inserts
    // written unasked, below the count it needs); a count at the threshold decides as a higher one would.
    else if (this.unaskedShare >= this.t.returnShare && this.fillHits < this.t.coldHits * this.capacity && ((this.t.lateFlag & 2) !== 0 ? (st & UNASKED) !== 0 : this.test(h, 1))) this.fillHits++
  }

  /** A set: counted in the sketch; a present key is touched (rewritten in place), a new one inserted. */
  write(key: number, h: number): void {
    const st = this.keyState[key]!
    // Whether a get missed the key, read before the set's count: a count that halves the sketch clears the
    // filter, and the key loaded after a miss would then look written unasked (UNASKED_KEEP kept that
    // mark: the traces' mean over the best known fell 0.006).
    this.askedAtSet = this.test(h, 0)
    this.sketch.increment(h)
    if (this.t.windowClockFlag >= 6) this.clockWrites++
    if (this.t.shadowRate > 0 && this.sampled(h)) this.shadowTouch(key, true)
    if ((st & QMASK) !== NONE) {
      if ((st & CMASK) !== CMASK) this.keyState[key] = st + ONE
    if (this.t.staleHitOnly > 0 && (st & QMASK) === PROTECTED) this.keyState[key]! |= HIT_SINCE
      return
    }
    this.insert(key, h)
  }

  private sizeOf(key: number): number {
    return this.sizes === undefined ? 1 : this.sizes[key]!
  }

  private hashOf(key: number): number {
    return hashKey(key, this.hashSeed)
  }

  /** Mean entry size: the unit of the window's steps in byte mode (1 in entry mode). */
  private meanSize(): number {
    return this.entries === 0 ? 1 : this.used / this.entries
  }

  /** The least window target: one mean entry, and minWindow of capacity (the engines' windowFloor). */
  private windowFloor(): number {
    return Math.max(this.meanSize(), this.t.minWindow * this.capacity)
  }

  /** RESEARCH (jumpMode 8): whether the key is in jumpSample's hash sample. */
  private jumpSampled(h: number): boolean {
    return (mix32(h ^ 0x2545f491) & (this.t.jumpSample - 1)) === 0
  }

  /** STALE_FAST_AGE_WINDOW (stop 57; engines since stop 58): the window (in entries) up to which the fast gate ages victims and halves. */
  private fastAgeWindow(): number {
    return (this.t.staleFastAgeWindow || this.t.staleFastWindow) * this.capacity
  }

  private insert(key: number, h: number): void {
    this.inserts++
    // RESEARCH (ageInsert, stop 57, movingage): the halving's clock advances on inserts too.
    if (this.t.ageInsert > 0) this.sketch.addTicks(this.t.ageInsert)
    if (this.t.jumpSample > 0 && this.jumpSampled(h)) this.jumpSampIns++
    const size = this.sizeOf(key)
    if (size > this.capacity) {
      this.rejections++
      return
    }
    // MISS_UNDO: an undo a hit decided (above, hit()) applies before anything of this insert.
    if (this.missUndo) {
      this.missUndo = false
      // RESEARCH (dryRunMode 128): an undone dry jump locks the dry run out until the sketch's next halving.
      if (this.missJumpDry && (this.t.dryRunMode & 128) !== 0) {
        this.dryLock = true
        this.dryRunLen = 0
      }
      this.windowTarget = this.missJumpFrom
      this.shedding = this.missJumpShed
    }
    this.applyGhostEvidence()
    // Set after a get missed it: a key asked for and loaded (cache-aside), not one written unasked.
    // Inserted before any get missed it: written unasked (a session stored, a record just saved).
    const askedFor = this.askedAtSet || this.test(h, 0)
    this.askedAtSet = false
    const unaskedBefore = !askedFor && this.testAndSet(h, 1)
    // LATE_FLAG (lateFlag): this insert's own mark (set before any get missed it), kept with the entry; research
    // bit 4: the filter's 'written unasked' bit as the insert leaves it (with other keys' marks on its pair).
    this.insertFlags = this.t.lateFlag > 0 && ((this.t.lateFlag & 4) !== 0 ? this.test(h, 1) : !askedFor) ? UNASKED : 0
    // MISS_RUN (missRunMode 128, the engines'; stop 54, lagport): a cache-aside load's get counted a miss that its set
    // takes off. RESEARCH (missRunUnasked): an insert written unasked counts towards missRunUnasked.
    if ((this.t.missRunMode & 128) !== 0 && askedFor && this.missRunLen > 0) this.missRunLen--
    if (!askedFor) this.missRunWrites++
    if (!askedFor) this.stat.unaskedInserts++
    if (this.t.dryRun > 0) this.dryNote(askedFor)
    // Each insert moves the share min(1, mean / (returnSpan × capacity)) of the way, as a product with a
    // reciprocal computed once (the engines' returnWeight: no division on the insert path).
    if (this.t.returnTo >= 3 || this.t.onceMaxWindow > 0) {
      const before = this.unaskedShare
      this.unaskedShare += ((askedFor ? 0 : 1) - this.unaskedShare) * Math.min(1, this.meanSize() * this.returnWeight)
      // MISS_CLEAR (stop 50): the share crossed RETURN_SHARE upwards: sets of keys no get missed began;
      // the 'missed' bits the cache-aside traffic before left (half of them set after a phase of many
      // distinct misses) would call half of the new keys asked for.
      if (this.t.missClear === 1 && before < this.t.returnShare && this.unaskedShare >= this.t.returnShare) this.clearMissed()
    }
    // ONCE_LIFT (stop 52, mildclass): a target exactly at MAX_WINDOW was capped there (growth evidence, or
    // COLD_WINDOW) before the unasked share reached ONCE_SHARE; on write-once traffic it takes ONCE_MAX_WINDOW now,
    // not at the next growth evidence: a burst's gets insert nothing, so that evidence waits for the next burst's
    // first write while main (a tenth of the cache) holds the last burst's keys, read and dead. Exactly at the
    // maximum: a target that shrink evidence took below ONCE_MAX_WINDOW is not pulled back up. RESEARCH 2: any
    // target from MAX_WINDOW up (undid the shrinks: probe seed 1 'delay 1.2C+0.5C back' −0.77 → −2.76).
    const lift = this.t.onceLift === 1 ? this.windowTarget === this.maxWindowNow() * this.capacity
      : this.t.onceLift === 2 && this.windowTarget >= this.maxWindowNow() * this.capacity && this.windowTarget < this.t.onceMaxWindow * this.capacity
    if ((lift || this.t.onceLift >= 3 && this.windowTarget === this.maxWindowNow() * this.capacity) && this.onceMax()) {
      this.windowTarget = this.t.onceMaxWindow * this.capacity
      this.stat.onceLifts++
    } else if ((this.t.onceLift >= 3 || this.t.onceDrop === 1) && this.windowTarget === this.t.onceMaxWindow * this.capacity
      && (this.t.onceLift === 3 ? !this.onceMax() : this.unaskedShare < this.t.returnShare)) {
      // RESEARCH (onceLift 3, 4): and back: a target still exactly at ONCE_MAX_WINDOW when the condition ends (3)
      // or once the traffic is cache-aside (4: the unasked share under RETURN_SHARE) returns to MAX_WINDOW.
      // ONCE_DROP (stop 53, engines): 4's drop with ONCE_LIFT 1 (a loop after write-then-read that the lift took
      // to 0.995 collapsed the window to its floor, and the lag phase after it lost; 'phases back→loop→scan→lag').
      this.windowTarget = this.maxWindowNow() * this.capacity
    }
    // FILL_ROTATE: an insert asked for (after a get missed it) ends the rotation: cache-aside traffic after a bulk
    // warm-up of sets, where a victim that wins is one being read.
    if (this.rotating && askedFor) this.rotating = false
    // COLD_WINDOW (stop 38): when the cache first fills, at least coldShare of the inserts so far were
    // written unasked and gets hit while it filled, the window target starts at coldWindow × capacity:
    // keys read while the cache filled from empty carry counts that would reject the newcomers for
    // capacities. A bulk warm-up of sets has no hits: the rule then cost cache-aside traffic after it.
    if ((this.t.coldWindow > 0 || this.t.driftSweep > 0) && !this.wasFull && this.used + size > this.capacity) {
      this.wasFull = true
      this.driftBlockLen = this.driftBlockLength()
      if (this.t.coldWindow > 0 && this.unaskedShare >= this.t.coldShare && this.fillHits >= this.t.coldHits * this.capacity) {
        this.windowTarget = Math.max(this.windowTarget, this.t.coldWindow * this.capacity)
        this.stat.coldFired++
        this.coldDid = true
        this.shedding = true
        if (this.t.coldClear > 0) {
          // RESEARCH (coldClear): the counts of the reads while the cache filled go; main shrinks in FIFO order.
          for (const q of [this.probation, this.prot]) {
            for (let i = q.length; i > 0; i--) {
              const k = q.pop()
              this.keyState[k] = this.keyState[k]! & ~CMASK
              q.push(k)
            }
          }
        }
      } else if (this.t.fillRotate > 0 && this.t.youngTest > 0 && this.fillHits === 0 && this.unaskedShare >= this.t.coldShare) {
        // FILL_ROTATE (stop 53): a fill of sets alone (no hit on a key written unasked, most inserts written
        // unasked). Until YOUNG_TEST's clock (first writes) has moved fillRotate × capacity on, a probation victim
        // that beats a candidate goes round (see contest).
        this.rotating = true
        this.rotateUntil = (this.youngClock + Math.floor(this.t.fillRotate * this.capacity / this.meanSize())) >>> 0
      }
    }
    if (this.t.lagShed > 0) {
      // RESEARCH (lagShed, stop 53): the span counts inserts from the first fill (mode 2: from the target's last
      // jump by a quarter of the cache or more, at this insert or since the last one).
      if ((this.t.lagShedMode & 2) !== 0) {
        if (this.windowTarget >= this.shedTarget + 0.25 * this.capacity) this.shedSpan = 0
        else if (this.shedTarget < 0) this.shedSpan = Infinity
        this.shedTarget = this.windowTarget
      }
      if (this.wasFull) this.shedSpan++
    }
    const age = this.ghostGated(h, askedFor || unaskedBefore) ? -1 : this.ghost.lookup(h)
    // YOUNG_TEST: the tracers' clock counts first writes (keys written unasked), wherever they go.
    // RESEARCH (youngOnce): only those the sketch has seen once (a write-back whose 'missed' mark a halving
    // cleared has been counted before); with YOUNG_KEEP and YOUNG_HANDOFF it changed nothing that mattered.
    const firstWrite = this.t.youngTest > 0 && !askedFor && (this.t.youngOnce === 0 || this.sketch.estimate(h) <= 1)
    if (firstWrite) {
      this.youngClock = (this.youngClock + 1) >>> 0
      if (this.readFrom === 0 && this.wasFull) this.readFrom = this.youngClock
      const entries = this.capacity / this.meanSize()
      this.youngLimit = Math.floor(this.t.youngAge * entries)
      this.youngKeepLimit = Math.floor(this.t.youngKeep * entries)
      this.backFrom = Math.floor(this.t.youngBackFrom * entries)
      this.backTo = Math.floor(this.t.youngBackTo * entries)
      if (this.t.youngTest > 1) this.youngPlace(key, h, false)
    }
    if (this.t.youngTest > 1 && this.t.youngBackMin > 0 && askedFor) this.backPlace(h)
    if (this.t.tracerFlag > 0 && this.t.youngTest > 1 && this.holdsTracer(h)) this.insertFlags |= TRACER
    if (this.t.driftSignal === 2) this.ghostStep(age >= 0)
    if (this.t.onceMaxWindow > 0 && this.t.onceHotShare > 0) {
      // Write-once traffic never inserts such a key: a miss stores nothing, and a write-back keeps its mark.
      const hot = age >= 0 && askedFor && !this.test(h, 1)
      this.hotShare += ((hot ? 1 : 0) - this.hotShare) * Math.min(1, this.meanSize() * this.returnWeight)
    }
    // RESEARCH (returnSweep): a rejected candidate back from the ghost that was asked for (loaded after a
    // miss, not written unasked) says main holds worse: protected's CLOCK hand advances returnSweep steps.
    if (age >= 0 && this.t.returnSweep > 0 && !this.test(h, 1) && this.ghost.lastTag === FROM_WINDOW
      && (this.t.returnSweepYoung === 0 || age < this.t.windowHorizon * Math.max(1, this.countW))
      && this.windowTarget >= this.t.returnSweepLevel * this.capacity
      && (this.t.returnSweepDrift === 0 || this.driftOn)
      && (this.t.returnSweepProb === 0 || this.sizeP <= this.t.returnSweepProb * (this.capacity - this.windowTarget) * (1 - this.t.protectedFraction))
      && (this.t.returnSweepFull === 0 || this.sizeM >= (this.capacity - this.windowTarget) * this.t.protectedFraction * this.t.returnSweepFull)) {
      // RESEARCH (returnSweepStale): below the stale share, only returnSweepProbe steps (they keep the share measured).
      const steps = this.staleShare >= this.t.returnSweepStale ? this.t.returnSweep : this.t.returnSweepProbe
      for (let i = 0; i < steps && this.sizeM > 0; i++) {
        // RESEARCH (returnSweepMinFreq): an unhit entry the sketch still rates low goes round untouched
        // (a warm key resting as usual); one it rates high was expected to be hit: its count is stale.
        if (this.t.returnSweepKeep > 0 && (this.keyState[this.prot.peek()]! & CMASK) !== 0) {
          // RESEARCH (returnSweepKeep): a hit entry goes round keeping its count.
          this.prot.push(this.prot.pop())
          continue
        }
        if (this.t.returnSweepMinFreq > 0) {
          const k = this.prot.peek()
          if ((this.keyState[k]! & CMASK) === 0 && this.sketch.estimate(this.hashOf(k)) < this.t.returnSweepMinFreq) {
            this.prot.pop()
            this.prot.push(k)
            continue
          }
        }
        this.stat.sweepSteps++
        if ((this.keyState[this.prot.peek()]! & CMASK) === 0) this.stat.sweepDemotes++
        if (this.t.returnSweepEvict > 0 && (this.keyState[this.prot.peek()]! & CMASK) === 0) {
          // RESEARCH (returnSweepEvict): an unhit entry leaves the cache instead of going to probation.
          this.evict(this.prot.peek(), FROM_MAIN)
          continue
        }
        this.demoteTail(true, true)
      }
      this.ghost.lookup(h)
    }
    if (age >= 0) {
      // A key evicted recently and back already: if it beats the victim, it skips the window.
      if (this.sizeP + this.sizeM > 0 && this.used + size > this.capacity) {
        const tagOk = (this.t.regretMode !== 1 && this.t.regretMode !== 3) || this.ghost.lastTag === FROM_WINDOW
        const youngOk = this.t.regretMode !== 3 || age < this.t.windowHorizon * Math.max(1, this.countW)
        this.regretting = this.t.regretAge > 0 && tagOk && youngOk
        this.youngReturn = this.ghost.lastTag === FROM_WINDOW && age < this.t.windowHorizon * Math.max(1, this.countW)
        this.contestKind = 3
        const won = this.contest(h, this.used + size - this.capacity)
        this.contestKind = 0
        this.regretting = false
        this.youngReturn = false
        this.stat.ghostContests++
        if (won) this.stat.ghostWins++
        if (won) {
          this.place(this.prot, key, PROTECTED | (Math.min(3, this.t.promoteCredit) << CSHIFT), size)
          this.sizeM += size
          this.rebalanceProtected()
          this.makeRoom()
          return
        }
      }
    }
    // Stop 32 (RETURN_TO): once recency has won, a key written back enters probation, not the window.
    // RESEARCH (rtMarked, stop 54): only a key the filter marks written unasked is a write-back.
    if (this.t.returnTo > 0 && (age >= 0 || (this.t.returnTo >= 2 && askedFor)) && this.returnToProbation(h, age >= 0) && !this.returnTestVeto(h)
      && (this.t.rtMarked === 0 || this.test(h, 1) || (this.t.rtMarked === 2 && age >= 0))) {
      this.stat.rtPlaced++
      this.place(this.probation, key, PROBATION | RTP, size)
      this.sizeP += size
      this.makeRoom()
      return
    }
    // A newcomer several typical entries large must earn the room it takes from main (BIG_NEWCOMER).
    if (size > this.t.bigNewcomer * this.meanSize() && this.sizeP + this.sizeM > 0) {
      const excess = this.used + size - this.capacity
      if (excess > this.meanSize() && !this.contest(h, excess)) {
        this.rejections++
        return
      }
    }
    this.place(this.window, key, WINDOW, size)
    if (this.winStamp !== undefined) this.winStamp[key] = this.winIns++
    if (this.t.youngTest === 1) this.youngPlace(key, h, !firstWrite)
    this.sizeW += size
    this.countW++
    this.makeRoom()
    this.sweep()
  }

  /**
   * RESEARCH (ghostGate): whether the newcomer's ghost lookup is skipped, `marked` being whether its
   * miss-filter pair was set before this insert. Without a filter nothing can say the key is new.
   */
  private ghostGated(h: number, marked: boolean): boolean {
    if (this.t.ghostGate === 0 || this.missBits.length === 0) return false
    if (!marked) return true
    return this.t.ghostGate >= 2 && this.sketch.estimate(h) <= 1
  }

  /**
   * Stop 37 (ONCE_SHARE, ONCE_MAX_WINDOW in src/layout/policy.json; docs/policy-recency.md "Stop 37"):
   * write-once traffic, most inserts written unasked (a miss stores nothing). Its reads spread over few
   * reads per key at high write shares, so frequencies are ~1 everywhere and anti-informative (an old
   * key has had more time to be read, and less left); the newest writes are what will be read. The
   * window's larger maximum holds from onceShare on; the tie without the mark only above the write-back
   * band (returnMax): at 0.7 it cost write-back at 0.5 × capacity 0.3 points during its adaptation.
   */
  private writeOnce(share: number): boolean {
    return this.t.onceMaxWindow > 0 && this.unaskedShare >= share
  }

  /**
   * Stop 32 (RETURN_TO in src/layout/policy.json: 5 on, 0 off as built; docs/policy-recency.md "Stop 32"). Once the
   * window has grown to returnLevel × capacity (recency has been winning), a key written back after a
   * miss is an old key coming back, not a new one: it enters probation (main's FIFO, whose tail is the
   * victim; a hit there promotes it to protected) instead of the window, so the window's FIFO keeps the
   * newest writes. 1: only a key back from the ghost that lost its contest; 2: also any key set while
   * the miss filter marks it missed; 3: as 2, only while the share of recent inserts written unasked is
   * within [returnShare, returnMax] (new writes and write-backs both arrive: write-then-read with
   * write-back; not cache-aside alone, not write-once alone, where the filter's false marks would send
   * new keys to probation); 4: as 3, but once on it stays on until the share falls under returnShare;
   * 5 (the engines'): as 4, switched on only by a key back from the ghost (write-once traffic inserts
   * none: its reads that miss store nothing, so the filter's false marks on new keys can't switch it
   * on); 6: as 5, switched on only by such a key the filter marks written unasked.
   */
  private returnToProbation(h: number, fromGhost: boolean): boolean {
    if (this.sizeP + this.sizeM === 0 || this.windowTarget < this.t.returnLevel * this.capacity) {
      this.returnOn = false
      return false
    }
    // RETURN_READ_MIN (stop 54, movewrites): off while the new keys are mostly never read: the writes beside a hot set
    // read cache-aside are no write-then-read traffic, and the asked-for inserts are the hot set's loads, not
    // write-backs (a moved set's new keys went to probation and were lost there). RETURN_TEST's means stand still.
    if (this.t.rtReadMin > 0 && this.readShare < this.t.rtReadMin) {
      this.returnOn = false
      return false
    }
    if (this.t.returnTo < 3) return true
    if (this.t.returnTo === 3) return this.unaskedShare >= this.t.returnShare && this.unaskedShare <= this.t.returnMax
    // 4, 5: switched on inside [returnShare, returnMax], off below returnShare: once write-backs have
    // been sent to probation and the misses have stopped, the share of inserts written unasked rises
    // towards 1 and must not switch the rule off (3 swings: 100% → 84% → 100% at 100k entries).
    // 5: switched on only by a key back from the ghost.
    // RESEARCH (returnFloor, stop 49): off also under this share (write-backs most of the inserts).
    if (this.unaskedShare < Math.max(this.t.returnShare, this.t.returnFloor)) this.returnOn = false
    else if (this.unaskedShare <= this.t.returnMax && (this.t.returnTo === 4 || fromGhost && (this.t.returnTo === 5 || this.test(h, 1)))) this.returnOn = true
    return this.returnOn
  }

  /**
   * RETURN_TEST (stop 50, src/layout/policy.json; docs/policy-recency.md "Stop 50, delayback"): whether
   * this write-back enters the window though RETURN_TO is on. One in returnSample (by hash) always does,
   * and makes one pass there; the rest do while those write-backs leave the window hit more often than the
   * new keys do (backMean above newMean): a write-back at the start of its reads (reads from 0.8 × capacity
   * writes after the write) is read in the window more than the newest writes are, and probation (2% of
   * the cache at a window of 0.9) drops it before its next read; one at the end of its reads is read less.
   */
  /** YOUNG_TEST's veto as last decided (returnTestVeto moves it): on, and write-backs read again often enough (youngBackMin). */
  private youngVetoHolds(): boolean {
    return this.youngVeto && (this.t.youngBackMin === 0 || this.backShare >= this.t.youngBackMin)
  }

  private returnTestVeto(h: number): boolean {
    if (this.t.youngTest > 0) {
      // Hysteresis (youngHyst): near YOUNG_AGE the share hovers about youngMin, and each lift of the veto
      // let RETURN_TO collapse the cache again ('delay 0.55C+0.5C back' at 8000: −2.74 → −16.10 without it).
      if (this.youngShare < this.t.youngMin) this.youngVeto = true
      else if (this.youngVeto && this.youngShare >= this.t.youngMin + this.t.youngHyst) {
        this.youngVeto = false
        // YOUNG_HANDOFF: the veto lifts into RETURN_TEST's veto; its means did not measure while the window
        // took every write-back (a halving's cleared marks count write-backs as new keys there), and RETURN_TO
        // placing at once collapsed 'delay 0.54-0.56C+0.5C back' (−2 → −16).
        if (this.t.youngHandoff > 0) this.backMean = Math.max(this.backMean, this.newMean + this.t.youngHandoff)
      }
      if (this.youngVetoHolds()) return true
    }
    if (this.t.returnSample === 0) return false
    return this.returnSampled(h) || this.backMean > this.newMean
  }

  /**
   * YOUNG_TEST (src/layout/policy.json; both engines since stop 52, wbdelay; docs/policy-recency.md "Stop 52,
   * wbdelay"): RETURN_TO places a write-back in probation so that the newest writes keep the window; that pays
   * while the newest writes are read young (uniform reads over the last 1.2 × capacity writes) or while a
   * write-back is worth nothing (each key read at one age: 'mix … lag 0.9C back'). Where each key's reads start
   * 0.55-1 × capacity writes after its write and go on for 0.5 × capacity, no new key is read young, a
   * write-back is read again every ~0.05 × capacity writes, and probation (2% of the cache) drops it before
   * its next read. Tracers, one per hash class of each kind (youngTest slots of a tag ≥ 4 and a stamp): a first
   * write (written unasked) takes its young slot (youngPlace), a write-back its back slot (backPlace), when
   * free; any get of the key, hit or miss (youngHit, backRead), marks a new key read before youngAge ×
   * capacity first writes 1 (young) or after 2 (late), a write-back read again between youngBackFrom and
   * youngBackTo 1; the next key of its kind and class moves the running share (youngStep) and takes the slot;
   * a new key never read within youngKeep is dropped unmeasured (a bulk load says nothing). The clock counts
   * first writes only, so the shares do not depend on where RETURN_TO puts the write-backs. The veto and its
   * handoff to RETURN_TEST: returnTestVeto. RESEARCH youngTest 1 (model only): exact, every first write stamped
   * and measured at its first window hit against youngAge × the window's count (it oscillated).
   */
  private youngSlot(h: number): number {
    return mix32(h ^ 0x5bd1e995) & (this.t.youngTest - 1)
  }

  private youngPlace(key: number, h: number, askedFor: boolean): void {
    if (this.youngAt !== undefined) {
      // 1 (exact, window-relative): every first write is measured at its first window hit.
      this.youngAt[key] = askedFor ? 0 : this.youngClock || 1
      return
    }
    if (askedFor) return
    const now = this.youngClock
    const j = this.youngSlot(h)
    const tag = this.youngTag[j]!
    // 1: hit in the window while young; any other tracer once older than youngAge × capacity first
    // writes: not read young (hit later, never hit, or gone). The share counts every tracer, so it does not
    // depend on how long the window keeps new keys (write-backs placed there or not).
    if (tag === 1 || tag === 2) {
      this.youngShare = this.youngStepped(this.youngShare, tag === 1 ? 1 : 0)
      // RETURN_READ_MIN (stop 54): readShare, the share of new keys read at all within youngKeep.
      this.readShare = this.youngStepped(this.readShare, 1)
    } else if (tag !== 0) {
      // YOUNG_KEEP: a tracer not read yet is kept until youngKeep × capacity first writes, then dropped
      // unmeasured (a bulk load never read says nothing: counted as not young, it set the veto at 'delay
      // 0.5C' and the veto's lift collapsed 'delay 0.55C'); 0 (research): resolved as not young at the limit.
      if (((now - this.youngStamp[j]!) >>> 0) < (this.t.youngKeep > 0 ? this.youngKeepLimit : this.youngLimit)) return
      if (this.t.youngKeep === 0) this.youngShare = this.youngStepped(this.youngShare, 0)
      // Only a tracer placed once the shard was full: the keys of a bulk load from empty are often never read.
      if (this.readFrom !== 0 && ((this.youngStamp[j]! - this.readFrom) | 0) >= 0) this.readShare = this.youngStepped(this.readShare, 0)
    }
    this.youngTag[j] = (h | 4) >>> 0
    this.youngStamp[j] = now
  }

  /**
   * RESEARCH (youngBackMin, stop 52): a write-back (a key loaded after a get missed it) becomes its hash
   * class's tracer if the slot is free; a read of it between youngBackFrom and youngBackTo × capacity first
   * writes after marks it read again late; the next write-back of its class moves backShare (youngStep)
   * once it is older than youngBackTo. 'mix … lag 0.9C back' reads each key only at one age (its repeats
   * come at once): a write-back there is worth nothing and RETURN_TO's placements are what pays (+15 to
   * +45); in 'delay 0.7C+0.5C back' a write-back is read again every ~0.05 × capacity writes.
   */
  private backPlace(h: number): void {
    const now = this.youngClock
    const j = this.youngSlot(h)
    const tag = this.backTag[j]!
    if (tag === 1) this.backShare = this.youngStepped(this.backShare, 1)
    else if (tag !== 0) {
      if (((now - this.backStamp[j]!) >>> 0) < this.backTo) return
      this.backShare = this.youngStepped(this.backShare, 0)
    }
    this.backTag[j] = (h | 4) >>> 0
    this.backStamp[j] = now
  }

  /** YOUNG_TEST's running shares: one step of youngStep from `x` towards `toward` (1: a tracer counted for, 0: against). */
  private youngStepped(x: number, toward: number): number {
    return x + (toward - x) * this.t.youngStep
  }

  /** TRACER_FLAG: whether a tracer slot of h's class holds h's tag (youngHit would look at it). */
  private holdsTracer(h: number): boolean {
    const j = this.youngSlot(h)
    const tag = (h | 4) >>> 0
    return this.youngTag[j] === tag || (this.t.youngBackMin > 0 && this.backTag[j] === tag)
  }

  private backRead(h: number): void {
    const j = this.youngSlot(h)
    if (this.backTag[j] !== ((h | 4) >>> 0)) return
    const age = (this.youngClock - this.backStamp[j]!) >>> 0
    if (age >= this.backFrom && age < this.backTo) this.backTag[j] = 1
  }

  private youngHit(key: number, h: number): void {
    if (this.youngAt !== undefined) {
      const at = this.youngAt[key]!
      if (at === 0) return
      this.youngAt[key] = 0
      const young = ((this.youngClock - at) >>> 0) < this.t.youngAge * this.countW
      this.youngShare = this.youngStepped(this.youngShare, young ? 1 : 0)
      return
    }
    if (this.t.youngBackMin > 0) this.backRead(h)
    const j = this.youngSlot(h)
    if (this.youngTag[j] !== ((h | 4) >>> 0)) return
    if (((this.youngClock - this.youngStamp[j]!) >>> 0) < this.youngLimit) this.youngTag[j] = 1
    else if (this.t.youngKeep > 0) this.youngTag[j] = 2
  }

  /** RETURN_TEST's sample: one key in returnSample, by hash. */
  private returnSampled(h: number): boolean {
    return this.t.returnSample > 0 && (mix32(h ^ 0x1b873593) & (this.t.returnSample - 1)) === 0
  }

  /**
   * RETURN_TEST: a window leaver with policy bits `st`, while RETURN_TO is on: its hit count moves the mean
   * of its class, a sampled write-back's (missed) or a new key's (not missed; a write-back not sampled is in
   * probation, or going round). A sketch halving clears the 'missed' marks of the write-backs in the window,
   * which then count as new keys until they have left: guarding against it (no measure until the window
   * has turned over) took the exact-structure model at 4000 entries from −7.44 to −2.74 on 'delay
   * 0.8C+0.5C back', but the real cache read the same at 4000 and 10k and worse at 100k (−3.53, −2.66
   * without), and every other sweep row the same (docs/policy-recency.md "Stop 50, delayback").
   */
  private returnTestLeave(key: number, st: number): void {
    if (this.t.returnSample === 0 || !this.returnOn) return
    const h = this.hashOf(key)
    const c = (st & CMASK) >> CSHIFT
    if (this.test(h, 0)) {
      if (this.returnSampled(h)) this.backMean += (c - this.backMean) * this.t.returnTestBack
    } else this.newMean += (c - this.newMean) * this.t.returnTestNew
  }

  /**
   * RESEARCH (off: driftSweep 0 and driftHalve 0; not in the engines; stop 39; driftSignal 0): a drift gate on protected's
   * hit rate. Per block of driftBlock × capacity gets, the share of them that hit protected is compared
   * with its decayed peak (× driftDecay per block); while it is under (1 − driftDrop) × the peak and the
   * traffic is cache-aside (unaskedShare under returnShare: a write-then-read phase resting a hot set is
   * not a move), the gate is on: protected's hand sweeps driftSweep steps per insert, and the sketch is
   * halved driftHalve times when the gate opens. The idea: a moved hot set leaves protected's keys
   * unread, a resting one (the phases) comes with unasked inserts, and a scan or loop has no protected
   * hits to lose.
   */
  private drift(protHit: boolean): void {
    if (this.t.driftSignal !== 0) return
    if (this.t.driftSweep <= 0 && this.t.driftHalve <= 0 && this.t.returnSweepDrift === 0 && this.t.driftSample <= 0) return
    this.driftN++
    if (protHit) this.driftHits++
    // driftSample: while the gate is on, the sketch also halves every driftSample × capacity gets (a
    // shorter sample while protected's keys go unread: main's victims then still carry the counts of
    // the hot set that moved away, and beat the newcomers at the window's exit).
    if (this.driftOn && this.t.driftSample > 0 && ++this.driftAge >= this.t.driftSample * this.capacity) {
      this.driftAge = 0
      this.sketch.halve()
    }
    if (this.driftN < this.t.driftBlock * this.capacity) return
    const rate = this.driftHits / this.driftN
    this.driftN = 0
    this.driftHits = 0
    this.driftGate(rate)
  }

  /** RESEARCH (driftGrow): the window grows (as ghost evidence grows it, up to maxWindow, a target above it kept). */
  private driftGrowBy(): boolean {
    if (this.windowTarget < this.t.driftGrowLevel * this.capacity || this.leaveShare < this.t.driftGrowHit) return false
    const before = this.windowTarget
    this.windowTarget = Math.min(Math.max(this.maxWindowNow() * this.capacity, this.windowTarget), this.windowTarget + this.t.driftGrow * this.capacity)
    this.driftGrewBy += this.windowTarget - before
    return true
  }

  /**
   * Whether the drift gate reads the traffic as cache-aside: the unasked share under RETURN_SHARE (the engines'), or
   * RESEARCH asideGate (stop 54, movewrites): bit 1 also while the hot share is at least asideHot (asked-for returns
   * from the ghost: a hot set read cache-aside, whatever the writes beside it); bit 2 while the share is under asideShare.
   */
  private asideNow(): boolean {
    if (this.unaskedShare < this.t.returnShare) return true
    if ((this.t.asideGate & 1) !== 0 && this.hotShare >= this.t.asideHot) return true
    return (this.t.asideGate & 2) !== 0 && this.unaskedShare < this.t.asideShare
  }

  /** The drift gate's decision at the end of a block whose signal (a hit share) was `rate`. */
  private driftGate(rate: number): void {
    const peakBefore = this.driftPeak
    this.driftPeak = Math.max(rate, this.driftPeak * this.t.driftDecay)
    // driftFull: only while protected holds at least that share of its target (a drained protected
    // has no hits to lose, and must not hold the gate open).
    // The hand's signal asks whether the shard has been full (the engines' POLICY.coldFull, which a port
    // would read); the gets' signal whether it is full now.
    const full = this.t.driftSignal === 0 ? this.isFull() : this.wasFull
    const fell = full && rate < (1 - this.t.driftDrop) * this.driftPeak && this.asideNow()
    // STALE_GATE (stop 50, in the engines): the gate also opens after staleRuns blocks in a row in which at
    // least staleGate of protected's hand steps (staleMinSteps or more) found an entry not hit since its last
    // pass, while the window is under staleMaxWindow, on cache-aside traffic once full: a partial move kills
    // protected's hottest keys, and the share of inserts back from the ghost does not fall. RESEARCH (off):
    // staleTail.
    const staleOk = this.staleSteps >= this.t.staleMinSteps
    this.staleBlock = staleOk ? this.staleUnhit / this.staleSteps : 0
    this.staleSteps = 0
    this.staleUnhit = 0
    const staleMet = this.t.staleGate > 0 && staleOk && this.wasFull && this.staleBlock >= this.t.staleGate && this.asideNow()
      && (this.t.staleTail === 0 || this.tailShare < this.t.staleTail)
      && (this.t.staleMaxWindow === 0 || this.windowTarget < this.t.staleMaxWindow * this.capacity)
    this.staleRun = staleMet ? this.staleRun + 1 : 0
    // RESEARCH (deadGate, stop 53): protected's demotions were keys the sketch still rates high (a moved-away hot
    // set's, demoted unhit with their counts).
    this.deadBlock = this.deadN >= this.t.deadMin ? this.deadHigh / this.deadN : 0
    const deadMet = this.t.deadGate > 0 && this.deadBlock >= this.t.deadGate && this.wasFull && this.asideNow()
      && (this.t.staleMaxWindow === 0 || this.windowTarget < this.t.staleMaxWindow * this.capacity)
      && ((this.t.deadMode & 4) === 0 || this.windowTarget <= this.windowFloor() * 1.5)
    if ((this.t.deadMode & 2) !== 0 && this.deadVictimN > 0) this.deadRef = Math.max(2, this.t.deadFreq * this.deadVictimSum / this.deadVictimN)
    this.deadN = 0
    this.deadHigh = 0
    this.deadVictimSum = 0
    this.deadVictimN = 0
    if (deadMet) this.stat.deadOpens++
    let jumpMet = false
    if (this.t.jumpGate > 0) {
      // jumpMode 4: the shard's gets (hits and misses: a count the engines keep nowhere per shard; the sketch's
      // additions leave out saturated counters' increments, most of a hot set's hits).
      // jumpMode 8: the hash sample's gets and inserts (jumpSample).
      const samp = (this.t.jumpMode & 8) !== 0
      const adds = samp ? this.jumpSampGets : (this.t.jumpMode & 4) !== 0 ? this.hits + this.misses : this.sketch.added
      const gets = adds - this.jumpAdds
      const insNow = samp ? this.jumpSampIns : this.inserts
      const ins = insNow - this.jumpIns
      this.jumpAdds = adds
      this.jumpIns = insNow
      this.jumpBlock = 0
      // jumpWin: a loop larger than the cache also brings its misses back from the ghost, and they lose their contests.
      const gc = this.stat.ghostContests - this.jumpGc
      const gw = this.stat.ghostWins - this.jumpGw
      this.jumpGc = this.stat.ghostContests
      this.jumpGw = this.stat.ghostWins
      if (gets > 0 && this.wasFull) {
        const mr = ins / gets
        this.jumpBlock = this.jumpRef > 0 ? mr / this.jumpRef : 0
        jumpMet = this.jumpRef > 0 && mr >= this.t.jumpGate * this.jumpRef && this.asideNow()
          && (this.t.staleMaxWindow === 0 || this.windowTarget < this.t.staleMaxWindow * this.capacity)
          && ((this.t.jumpMode & 1) === 0 || this.windowTarget <= this.windowFloor() * 1.5)
          && rate >= this.t.jumpDrift * this.driftPeak && rate >= this.t.jumpLevel
          && (this.t.jumpMaxWindow === 0 || this.windowTarget < this.t.jumpMaxWindow * this.capacity)
          && (this.t.jumpWin === 0 || gw >= this.t.jumpWin * Math.max(1, gc))
          && (this.t.jumpMaxMiss === 0 || mr <= this.t.jumpMaxMiss)
          && (this.t.jumpDriftMax === 0 || rate <= this.t.jumpDriftMax * peakBefore)
        this.jumpRef = this.jumpRef < 0 || mr < this.jumpRef ? mr : this.jumpRef + (mr - this.jumpRef) * this.t.jumpRise
      }
      if (jumpMet) this.stat.jumpOpens++
      // jumpMode 32: the response is a window growth of jumpGrow × capacity (given back as DRIFT_GROW's is, by
      // DRIFT_GROW_DECAY per block), not the gate's sweep and halving.
      if (jumpMet && (this.t.jumpMode & 32) !== 0) {
        const before = this.windowTarget
        this.windowTarget = Math.min(Math.max(this.maxWindowNow() * this.capacity, this.windowTarget), this.windowTarget + this.t.jumpGrow * this.capacity)
        this.driftGrewBy += this.windowTarget - before
        jumpMet = false
      }
    }
    // RESEARCH (staleFast, stop 56): a block at staleFast or more passes the test alone.
    const fastMet = this.t.staleFast > 0 && staleMet && this.staleBlock >= this.t.staleFast
      && (this.t.staleFastWindow === 0 || this.windowTarget <= this.t.staleFastWindow * this.capacity)
      && rate >= this.t.staleFastDrift && rate >= this.t.staleFastPeak * this.driftPeak && this.tailShare >= this.t.staleFastTail
    const stale = staleMet && (this.staleRun >= this.t.staleRuns || fastMet) || deadMet || jumpMet
    this.staleOn = stale && !fell
    if (stale && !fell) this.stat.staleBlocks++
    let on = (fell || stale) && (this.t.driftFull === 0 || this.sizeM >= this.t.driftFull * (this.capacity - this.windowTarget) * this.protFraction())
    // STALE_HOLD: a gate the stale test opened stays open for staleHold blocks in all (its sweep drains
    // protected, whose hand then takes too few steps to judge a block).
    if (on && stale) this.staleHeld = (fastMet && this.t.staleFastHold > 0 ? this.t.staleFastHold : this.t.staleHold) - 1
    else if (!on && this.driftOn && this.staleHeld > 0) {
      this.staleHeld--
      on = true
    } else this.staleHeld = 0
    if (fell && !this.driftFell && this.t.driftGrowAny !== 0) this.driftOpenLog.push(this.leaveShare)
    // DRIFT_GROW (stop 41, in the engines since stop 42 with DRIFT_GROW_DECAY): on a fall's first block the
    // window grows by driftGrow × capacity, whether or not protected is full enough for the sweep, if at
    // least driftGrowHit of the window's leavers in that block were hit there (a moved hot set's new keys are
    // read in the window; a scan's or a loop's never are): newcomers get more time to build the counts that
    // beat the old set's victims. Kept, the grown window stayed once the moves stopped (bench/sim/move-once.ts);
    // driftGrowDecay wears it off. RESEARCH: driftGrowAny 0: only when the gate opens; 2: at the first block
    // of the fall whose leavers qualify (once per fall); 1 is the engines'.
    // RESEARCH (driftGrowGap, stop 42): only at a fall whose first block comes within driftGrowGap blocks of
    // the previous fall's (a hot set that keeps moving; a trace's lone falls do not qualify).
    const firstBlock = fell && !this.driftFell
    const recurs = this.t.driftGrowGap === 0 || this.driftGap <= this.t.driftGrowGap
    if (firstBlock) this.driftGapLog.push(this.driftGap)
    if (firstBlock) this.driftDepthLog.push(this.driftPeak > 0 ? rate / this.driftPeak : 0)
    if (this.t.driftGrow > 0 && this.t.driftGrowAny > 0 && fell && recurs && (this.t.driftGrowAny === 2 ? !this.driftGrown : !this.driftFell)) {
      if (this.driftGrowBy()) this.driftGrown = true
    }
    this.prevGap = this.driftGap
    this.driftGap = firstBlock ? 0 : Math.min(this.driftGap + 1, 1e9)
    const moveStart = firstBlock && (this.t.moveQual === 0 || this.leaveShare >= this.t.driftGrowHit) && (this.t.moveGapMax === 0 || this.prevGap <= this.t.moveGapMax)
    this.moveGap = moveStart ? 0 : Math.min(this.moveGap + 1, 1e9)
    if (moveStart && this.t.moveFlush > 0) this.moveFlushNow()
    if (moveStart) { this.purged = 0; this.purgedBack = 0 }
    if (moveStart) this.moveLog.push(this.hits + this.misses)
    if (moveStart && this.t.movePre > 0) this.preLeft = Math.max(0, this.countW - Math.round(this.t.movePreSpare * this.driftBlockLen))
    if (moveStart && this.t.moveSweep > 0) this.sweepDebt = Math.ceil(this.t.moveSweep * (this.prot.length + (this.t.moveEvict === 3 ? this.probation.length : 0)))
    // RESEARCH (moveHalve, stop 43): a fall's first block ages the frequencies (the old set's counts).
    if (moveStart && (this.t.moveHalve === 2 || (this.t.moveHalve === 1 && this.ageAllowed()))) this.ageEarly()
    // RESEARCH (driftGrowUndo): the growth is given back when the fall ends (the signal has recovered:
    // the new hot set stands), at most down to the floor; ghost evidence decides from there.
    if (this.t.driftGrowUndo > 0 && !fell && this.driftFell && this.driftGrewBy > 0) {
      this.windowTarget = Math.max(Math.max(1, this.t.minWindow * this.capacity), this.windowTarget - this.t.driftGrowUndo * this.driftGrewBy)
      this.driftGrewBy = 0
    }
    // DRIFT_GROW_DECAY (stop 42): what DRIFT_GROW added is given back geometrically, this share of
    // what is left per block without a fall: the growth lasts while the hot set keeps moving (a fall every
    // few blocks) and wears off once it stands, without waiting for a "stands" signal.
    if (this.t.driftGrowDecay > 0 && !fell && this.driftGrewBy > 0) {
      const back = this.driftGrewBy * this.t.driftGrowDecay
      this.windowTarget = Math.max(this.windowFloor(), this.windowTarget - back)
      this.driftGrewBy = Math.max(0, this.driftGrewBy - back)
    }
    this.driftFell = fell
    if (!fell) this.driftGrown = false
    if (!on && this.driftOn && this.driftHeld > 0) return
    if (on && !this.driftOn) {
      if (this.t.driftGrowAny === 0) this.driftOpenLog.push(this.leaveShare)
      this.driftHeld = Math.ceil(this.t.driftHold * this.capacity / this.meanSize())
      if (this.t.driftGrow > 0 && this.t.driftGrowAny === 0) this.driftGrowBy()
      for (let i = 0; i < this.t.driftHalve; i++) this.sketch.halve()
      // RESEARCH (staleHalve, stop 50): the stale test alone opened the gate: the sketch also ages (1: if the early
      // ageings' spacing allows, as AGE_ON_GROWTH; 2: always), so the dead keys the sweep demotes lose their counts.
      if (this.staleOn && this.t.staleHalve > 0 && (this.t.staleHalve === 2 || this.ageAllowed())) this.ageEarly()
      this.driftAge = 0
      this.driftFor = 0
    }
    this.driftOn = on
    // RESEARCH (staleFastAge): the gate staleFast opened (held, or met again) is open.
    if (on && fastMet && !fell && !this.fastOn) {
      this.stat.fastOpens++
      for (let i = 0; i < this.t.staleFastOpenHalve; i++) this.sketch.halve()
    }
    const wasFast = this.fastOn
    this.fastOn = on && (fastMet && !fell || this.fastOn)
    // STALE_FAST_HALVE (stop 57, movingage; the engines' since stop 58 with staleFastHalveMode 2): the held fast gate halves
    // the sketch every staleFastHalve blocks after the opening's, without AGE_SPACING's bound (the engines' ageNow), at a
    // block whose drift signal is under STALE_FAST_HALVE_DRIFT (stop 58: a loop of 1.07 × capacity opened the fast gate
    // as the cache filled, the stale run then held it for good, and a halving at every block took its hits 72% → 35%).
    if (this.t.staleFastHalve > 0) {
      this.fastBlocks = this.fastOn && wasFast ? this.fastBlocks + 1 : 0
      if (this.fastBlocks > 0 && this.fastBlocks % this.t.staleFastHalve === 0
        && ((this.t.staleFastHalveMode & 1) === 0 || staleMet)
        && ((this.t.staleFastHalveMode & 2) === 0 || this.windowTarget <= this.fastAgeWindow())
        && (this.t.staleFastHalveDrift === 0 || rate < this.t.staleFastHalveDrift)) this.ageEarly()
    }
    // RESEARCH (ageSatMode, stop 57): saturated increments count towards the halving only while a gate is open.
    if (this.t.ageSat > 0 && this.t.ageSatMode > 0) this.sketch.satWeight = (this.t.ageSatMode === 1 ? this.driftOn : this.fastOn) ? this.t.ageSat : 0
    // driftSpan: the gate closes after driftSpan × capacity gets and the peak restarts from the rate now,
    // so protected refills with the new hot set and a later move is seen as a new fall.
    if (on && this.t.driftSpan > 0 && (this.driftFor += this.t.driftBlock) >= this.t.driftSpan) {
      this.driftOn = false
      this.driftPeak = rate
    }
  }

  /**
   * RESEARCH (driftSignal 1, stop 40; off, not in the engines): one step of protected's CLOCK hand. The
   * engines take it under the shard lock on the insert path and read the entry's hit counter there
   * anyway, so this signal would cost the lock-free hit path nothing. But the hand only moves while
   * protected overflows (promotions) or probation is empty (victim search): once the gate's sweep has
   * drained protected, no block ends and the gate stays open for good (driftOpenSpan closes it).
   */
  private handStep(hit: boolean, swept: boolean): void {
    // STALE_GATE (stop 50): protected's hand steps in the running drift block, and those that found an
    // entry not hit since the hand last passed it; the gate's own sweep is not counted (RESEARCH staleSwept 1: it is).
    if (this.t.staleGate > 0 && (!swept || this.t.staleSwept > 0)) {
      this.staleSteps++
      if (!hit) this.staleUnhit++
    }
    if (this.t.driftSignal !== 1 || this.t.driftSweep <= 0 || swept && this.t.driftSweepCounts === 0) return
    this.handSteps++
    if (hit) this.handHits++
    if (this.handSteps < this.t.driftSteps * this.capacity / this.meanSize()) return
    const rate = this.handHits / this.handSteps
    this.handSteps = 0
    this.handHits = 0
    this.handRate = rate
    this.driftGate(rate)
  }

  /**
   * DRIFT_SWEEP (stop 40, src/layout/policy.json; driftSignal 2, the engines' signal): the drift gate's
   * signal from the insert path alone, which looks every newcomer up in the ghost anyway: per block of
   * driftBlock × capacity inserts (at least driftMinBlock), the share of them back from the ghost, against
   * its decayed peak. A standing hot set keeps bringing back keys the cache evicted; a moved one brings
   * keys it has never seen, while protected still holds the old set.
   */
  private ghostStep(back: boolean): void {
    if (this.t.driftSweep <= 0) return
    if (this.driftHeld > 0) this.driftHeld--
    this.handSteps++
    if (back) this.handHits++
    if (this.handSteps < this.driftBlockLen) return
    // The next block's length is taken now, once per block, not on every insert (the engines: a division
    // in byte mode).
    this.driftBlockLen = this.driftBlockLength()
    const rate = this.handHits / this.handSteps
    this.handSteps = 0
    this.handHits = 0
    this.handRate = rate
    this.leaveShare = this.leaveN === 0 ? 0 : this.leaveHit / this.leaveN
    this.leaveN = 0
    this.leaveHit = 0
    this.tailShare = this.tailN === 0 ? 0 : this.tailHit / this.tailN
    this.tailN = 0
    this.tailHit = 0
    this.retRatio = this.retW === 0 ? Infinity : this.retM / this.retW
    this.retWBlock = this.retW
    this.retMBlock = this.retM
    this.retW = 0
    this.retM = 0
    // hitGainUndo: the gain applied in this block (the run stood at hitGainRuns when it began) and main's
    // keys came back at once: the growth it made there is given back.
    if (this.t.hitGainUndo > 0 && this.blockBoost > 0 && this.hitRun >= this.t.hitGainRuns && this.retRatio >= this.t.hitGainUndo) {
      const back = Math.min(this.blockBoost, Math.max(0, this.windowTarget - this.windowFloor()))
      this.windowTarget -= back
      this.hitGrewBy = Math.max(0, this.hitGrewBy - back)
      if (this.t.hitGainNoAge > 0) this.growthBase -= back
      this.undone++
      this.blockBoost = 0
    }
    // RESEARCH (lateUndo, stop 50): the window lateHit grew, and main's keys come back at least lateUndo ×
    // as often as rejected candidates: a hot set read beside the late reads pays for the window; the
    // growth that still stands is given back at once (the lagged rows bring nothing back from the ghost).
    if (this.t.lateUndo > 0 && this.lateGrewBy > 0 && this.retMBlock > 0 && this.retRatio >= this.t.lateUndo) {
      const back = Math.min(this.lateGrewBy, Math.max(0, this.windowTarget - this.windowFloor()))
      this.windowTarget -= back
      this.lateGrewBy = 0
      this.lateUndone++
    }
    // hitGainDry: the block after the gain's growth brought (almost) no candidate back.
    if (this.t.hitGainDry > 0 && this.lastBoost > 0 && this.retWBlock < this.t.hitGainDry * this.driftBlockLen) {
      const back = Math.min(this.lastBoost, Math.max(0, this.windowTarget - this.windowFloor()))
      this.windowTarget -= back
      if (this.t.hitGainNoAge > 0) this.growthBase -= back
      this.dried++
    }
    this.lastBoost = this.blockBoost
    this.blockBoost = 0
    this.hitRun = this.hitGainMet() ? this.hitRun + 1 : 0
    if (this.t.hitGainDecay > 0 && this.hitRun === 0 && this.hitGrewBy > 0 && this.retRatio >= this.t.hitGainBack) {
      const back = Math.min(this.hitGrewBy * this.t.hitGainDecay, Math.max(0, this.windowTarget - this.windowFloor()))
      this.windowTarget -= back
      this.hitGrewBy -= back
    }
    this.driftGate(rate)
  }

  /** DRIFT_BLOCK × capacity in entries, at least DRIFT_MIN_BLOCK. */
  private driftBlockLength(): number {
    return Math.ceil(Math.max(this.t.driftMinBlock, this.t.driftBlock * this.capacity / this.meanSize()))
  }

  private isFull(): boolean {
    return this.used >= this.capacity * 0.99
  }

  /**
   * RESEARCH (off: protSweep 0, ageSweep 0; not in the engines; stop 29, POLICY.md): protected's CLOCK
   * hand also advances without a promotion, protSweep steps per insert, and after an early ageing
   * ageSweep × protected's length more, at most sweepRate per insert (an entry hit since the last pass
   * loses a count and goes round, an unhit one is demoted to probation). Without it protected only
   * turns over when probation entries are promoted, and on Zipf whose hot set moves it stays full of
   * keys of earlier phases.
   */
  private sweep(): void {
    let n = 0
    if (this.sweepDebt > 0) {
      n = Math.min(this.sweepDebt, this.t.sweepRate)
      this.sweepDebt -= n
    }
    const debtSteps = n
    if (this.driftOn && this.t.driftSignal !== 0 && this.t.driftOpenSpan > 0 && ++this.driftFor >= this.t.driftOpenSpan * this.capacity / this.meanSize()) {
      // driftOpenSpan: the gate closes; the next block measures protected afresh, against a new peak.
      this.driftOn = false
      if (this.t.driftOpenPeak === 0) this.driftPeak = 0
      this.handSteps = 0
      this.handHits = 0
    }
    const rate = this.t.protSweep + (this.driftOn ? (this.staleOn && this.t.staleSweep > 0 ? this.t.staleSweep : this.t.driftSweep) : 0)
    if (rate > 0) {
      this.sweepCredit += rate
      const k = Math.floor(this.sweepCredit)
      this.sweepCredit -= k
      n += k
    }
    // RESEARCH (moveEvict 3, stop 43): the move's debt evicts main's victims (probation's unhit tail, hit
    // ones promoted; protected's CLOCK victim), as a contest the newcomer always won would.
    if (this.t.moveSweep > 0 && this.t.moveEvict === 3) {
      let i = 0
      for (; i < debtSteps && this.sizeP + this.sizeM > 0; i++) this.evict(this.victim(), FROM_MAIN)
      this.purged += i
      if (this.t.moveCancel > 0 && this.purgedBack > this.t.moveCancel * this.purged) this.sweepDebt = 0
      n -= i
      if (this.sizeP + this.sizeM === 0) this.sweepDebt = 0
    }
    for (let i = 0; i < n && this.sizeM > 0; i++) {
      if (this.driftOn && this.t.driftFullSweep > 0 && this.sizeM < this.t.driftFull * (this.capacity - this.windowTarget) * this.t.protectedFraction) break
      this.stat.sweepSteps++
      if ((this.keyState[this.prot.peek()]! & CMASK) === 0) this.stat.sweepDemotes++
      // RESEARCH (moveEvict, stop 43): the move's sweep evicts an unhit entry, or ages its counts.
      if (this.t.moveSweep > 0 && i < debtSteps && (this.keyState[this.prot.peek()]! & CMASK) === 0) {
        if (this.t.moveEvict === 1) {
          this.evict(this.prot.peek(), FROM_MAIN)
          continue
        }
        if (this.t.moveEvict === 2) this.sketch.ageKey(this.hashOf(this.prot.peek()), this.t.moveAge)
      }
      this.demoteTail(true, true)
    }
  }

  /**
   * Takes protected's tail: while `recycle`, a hit entry goes round once more (CLOCK, one reference
   * fewer); any other moves to probation.
   */
  private demoteTail(recycle: boolean, swept = false): void {
    const key = this.prot.pop()
    const st = this.keyState[key]!
    this.handStep((st & CMASK) !== 0, swept)
    if (recycle && (st & CMASK) !== 0) {
      this.keyState[key] = this.roundCount(st)
      this.stampNow(key)
      this.prot.push(key)
      if (this.t.staleHitOnly === 0 || (st & HIT_SINCE) !== 0) this.staleShare -= this.staleShare * this.t.staleWeight
      return
    }
    const size = this.sizeOf(key)
    this.stat.demotions++
    if (this.t.deadGate > 0 && (!swept || (this.t.deadMode & 1) !== 0)) {
      this.deadN++
      if (this.sketch.estimate(this.hashOf(key)) >= ((this.t.deadMode & 2) !== 0 ? this.deadRef : this.t.deadFreq)) this.deadHigh++
    }
    if (this.t.staleHitOnly === 0 || (st & HIT_SINCE) !== 0) this.staleShare += (1 - this.staleShare) * this.t.staleWeight
    if (this.t.demoteAge > 0) this.sketch.ageKey(this.hashOf(key), this.t.demoteAge)
    this.sizeM -= size
    this.keyState[key] = PROBATION | (st & KEPT)
    // RESEARCH (demoteShed, stop 52): the demoted key, unhit since its promotion, goes to probation's tail (the next
    // victim) instead of its head: 1 while main is over its share (the window target grew: main sheds), 2 always.
    // Lazy promotion otherwise cycles keys hit long ago (a finished burst's) behind probation's newer keys.
    if (this.t.demoteShed === 2 || (this.t.demoteShed === 1 && this.sizeP + this.sizeM > this.capacity - this.windowTarget)) this.probation.pushTail(key)
    else this.probation.push(key)
    this.sizeP += size
  }

  /**
   * A get that missed: if the key is a young ghost, it is evidence for ARC's move of p, kept until the
   * next insert applies it (the engine's gets run without the shard lock, so they only count). A
   * returning candidate argues for a bigger window, a returning main entry for a bigger main. A ghost
   * hit counts only if younger than `horizon` × capacity (a research knob; none by default, as in the
   * engines), and a candidate only if the window could have caught it by growing windowHorizon-fold,
   * or if it was written unasked, or if it never missed before and the sketch has seen it at most
   * youngFrequency times (a new key, not a loop's: see the miss filter). A candidate written unasked
   * counts unaskedGain times (write-then-read: its return is recency evidence, and a key written back
   * after a miss keeps the mark).
   */
  private noteGhost(h: number, key = -1): void {
    const missedBefore = this.testAndSet(h, 0)
    const age = this.ghost.lookup(h)
    if (key >= 0 && this.rtGone !== undefined && this.rtGone[key] === 1) {
      this.rtGone[key] = 0
      if (age >= 0) {
        this.stat.rtBack++
        if (age < this.countW) this.stat.rtBackYoung++
        if (age < 0.25 * this.countW) this.stat.rtBackVeryYoung++
      }
    }
    if (age < 0) return
    if (age >= this.t.horizon * (this.capacity / this.meanSize())) return
    if (this.ghost.lastTag === FROM_WINDOW) {
      // Beyond the horizon only a key written unasked, or a first miss of a key the sketch barely
      // knows, counts: write-then-read is recency, a loop's keys come back loaded and known.
      // A key written unasked counts unaskedGain times: recency evidence the frequencies can't give.
      const unasked = this.test(h, 1)
      if (age >= this.t.windowHorizon * Math.max(1, this.countW) && !unasked && (missedBefore || this.sketch.estimate(h) > this.t.youngFrequency)) return
      if (this.t.quietMain > 0) this.noteQuiet(false)
      // QUIET_MAIN (stop 47): ONCE_GAIN also while main's keys no longer come back (a hot set read
      // cache-aside gave way to write-then-read), before the share of inserts written unasked says so.
      const gain = unasked ? (this.writeOnce(this.t.onceShare) || this.quietOn ? this.t.onceGain : this.t.unaskedGain) : this.askedGainNow()
      if (!unasked && gain > this.t.askedGain) this.pendingBoost += gain - this.t.askedGain
      this.pendingGrow += gain
      this.retW++
      this.stat.windowBack++
    } else {
      if (this.t.quietMain > 0) this.noteQuiet(!this.test(h, 1))
      this.retM++
      this.stat.mainBack++
      this.pendingShrink++
      this.purgedBack++
    }
  }

  /**
   * QUIET_MAIN: counts a ghost return (mainAsked: of a main entry that was asked for, not written unasked:
   * main's returns of write-then-read keys it took in say nothing of its hot set); each block of
   * quietBlock returns decides whether main's keys have gone quiet.
   */
  private noteQuiet(mainAsked: boolean): void {
    if (mainAsked) this.quietMainReturns++
    if (++this.quietReturns < this.t.quietMinBlock || this.quietReturns < this.quietBlockLength()) return
    this.quietOn = this.quietMainReturns <= this.t.quietMain * this.quietReturns
    this.quietReturns = 0
    this.quietMainReturns = 0
  }

  /** QUIET_SCALE: a block's returns, fewer in a small shard (its entries: capacity over the mean entry). */
  private quietBlockLength(): number {
    if (this.t.quietScale <= 0) return this.t.quietBlock
    return Math.min(this.t.quietBlock, Math.max(this.t.quietMinBlock, Math.floor(this.capacity / this.meanSize() / this.t.quietScale)))
  }

  /** RESEARCH (hitGain): askedGain, or hitGain while the window's tail keys were being hit there. */
  private askedGainNow(): number {
    if (this.t.hitGain <= 0) return this.t.askedGain
    if (this.t.hitGainMax > 0 && this.windowTarget >= this.t.hitGainMax * this.capacity) return this.t.askedGain
    return this.hitRun >= this.t.hitGainRuns ? this.t.hitGain : this.t.askedGain
  }

  /** RESEARCH (hitGain): whether the last drift block met hitGain's conditions. */
  private hitGainMet(): boolean {
    const share = this.t.hitGainLeave > 0 ? this.leaveShare : this.tailShare
    if (this.t.hitGainMain > 0 && !(this.retRatio <= this.t.hitGainMain)) return false
    return share >= this.t.hitGainShare
  }

  /**
   * Moves the window target by the ghost evidence gathered since the last insert: each returning
   * candidate grows it, each returning main entry shrinks it, by one mean entry weighted by how many
   * of the other kind the ghost holds (ARC's δ1/δ2).
   */
  private applyGhostEvidence(): void {
    if (this.pendingGrow === 0 && this.pendingShrink === 0) return
    const fromWindow = this.ghost.tagCount(FROM_WINDOW)
    const fromMain = this.ghost.tagCount(FROM_MAIN)
    const unit = this.meanSize()
    let target = this.windowTarget
    // RESEARCH (netEvidence N): the returns between two inserts came in an order not kept; when at least N of
    // them were main's (a stretch of reads that insert nothing: a burst of new keys read without write-backs),
    // the window moves by their net, as ARC taking them one by one would, not by the growth capped at the
    // maximum and then the whole shrink (572,118 counts of growth against 9,236 of shrink took the window to
    // its floor: burst 1.25C ×4 once). Computed as the engines would: (grow × its ratio − shrink × its ratio) × unit.
    const both = this.t.netEvidence > 0 && this.pendingGrow > 0 && this.pendingShrink >= this.t.netEvidence
    const net = both ? this.pendingGrow * Math.max(1, fromMain / Math.max(1, fromWindow)) - this.pendingShrink * Math.max(1, fromWindow / Math.max(1, fromMain)) : 0
    if (both && net < 0) {
      this.pendingGrow = 0
      this.pendingBoost = 0
      this.pendingLate = 0
    }
    if (both && net >= 0) this.pendingShrink = 0
    if (this.pendingGrow > 0) {
      const step = Math.max(1, fromMain / Math.max(1, fromWindow)) * unit
      const want = target + (both ? net * unit : this.pendingGrow * step)
      // ONCE_MAX_WINDOW (stop 37): on write-once traffic the window may take nearly the whole cache. A
      // maximum lowered since the target grew past it does not pull the target down: shrink evidence does.
      // ONCE_HOT_SHARE: not while a hot set read cache-aside keeps coming back; a window of nearly the
      // whole cache would leave it no room.
      const max = this.onceMax() ? this.t.onceMaxWindow : this.maxWindowNow()
      const from = target
      target = Math.min(Math.max(max * this.capacity, target), want)
      if (this.pendingBoost > 0 && target > from) {
        const boosted = (target - from) * this.pendingBoost / this.pendingGrow
        this.hitGrewBy += boosted
        this.blockBoost += boosted
        if (this.t.hitGainNoAge > 0) this.growthBase += boosted
      }
      if (this.pendingLate > 0 && target > from) {
        const late = (target - from) * this.pendingLate / this.pendingGrow
        this.lateGrewBy += late
        // RESEARCH (lateNoAge): lateHit's growth does not count towards an early ageing.
        if (this.t.lateNoAge > 0) this.growthBase += late
      }
      if (this.t.ageAtMax > 0) this.cutGrowth += want - target
    }
    if (this.pendingShrink > 0) {
      const step = Math.max(1, fromWindow / Math.max(1, fromMain)) * unit
      const down = both ? -net * unit : this.pendingShrink * step
      // RESEARCH (ageAtMax): a shrink first uses up the growth the maximum cut off.
      const fromCut = Math.min(this.cutGrowth, down)
      this.cutGrowth -= fromCut
      target = Math.max(this.windowFloor(), target - (down - fromCut))
    }
    if (this.t.ageOnGrowth > 0) {
      // The window grew by ageOnGrowth × capacity above its lowest point since the last such step:
      // recency has been beating frequency, so the frequencies are aged now (see POLICY.md).
      // Not again and again: see ageAllowed.
      if (target < this.growthBase) this.growthBase = target
      else if (target + this.cutGrowth - this.growthBase >= this.t.ageOnGrowth * this.capacity && this.ageAllowed()) {
        this.cutGrowth = 0
        this.ageEarly()
        if (this.t.ageSweep > 0) this.sweepDebt = Math.ceil(this.t.ageSweep * this.prot.length)
        this.growthBase = target
      }
    }
    this.windowTarget = target
    this.pendingGrow = 0
    this.pendingShrink = 0
    this.pendingBoost = 0
    this.pendingLate = 0
  }

  private readonly shadowLru = new Map<number, true>()
  private shadowN = 0
  private shadowOwn = 0
  private shadowLruHits = 0
  private shadowAvg = 0
  private shadowGrewBy = 0

  private shadowR = 0

  /** The sampling rate: shadowRate, lowered by shadowMin. */
  private rate(): number {
    if (this.shadowR === 0) {
      let r = this.t.shadowRate
      if (this.t.shadowMin > 0) while (r > 1 && this.capacity / r < this.t.shadowMin) r /= 2
      this.shadowR = r
    }
    return this.shadowR
  }

  private sampled(h: number): boolean {
    // Bits 8.. of the hash: the shard index takes the top ones.
    return ((h >>> 8) & (this.rate() - 1)) === 0
  }

  /** The sampled LRU: a get (insert: false) only touches; a set or a cache-aside miss inserts. Returns whether it held the key. */
  private shadowTouch(key: number, insert: boolean): boolean {
    const had = this.shadowLru.delete(key)
    if (had || insert) {
      this.shadowLru.set(key, true)
      if (this.shadowLru.size > Math.max(1, Math.round(this.capacity / this.rate()))) this.shadowLru.delete(this.shadowLru.keys().next().value!)
    }
    return had
  }

  /** RESEARCH (shadowRate): a get of `key` (a hit of the cache's or not); `aside`: a miss is followed by a set. */
  private shadow(key: number, h: number, hit: boolean, aside: boolean): void {
    if (this.t.shadowRate <= 0 || !this.sampled(h)) return
    if (this.shadowTouch(key, aside)) this.shadowLruHits++
    if (hit) this.shadowOwn++
    if (++this.shadowN < this.t.shadowBlock * this.capacity / this.rate()) return
    const gap = 100 * (this.shadowLruHits - this.shadowOwn) / this.shadowN
    this.shadowN = 0
    this.shadowOwn = 0
    this.shadowLruHits = 0
    this.shadowAvg = this.t.shadowKeep > 0 ? this.shadowKeep(gap) : gap
    if (this.shadowAvg < this.t.shadowMargin) {
      const share = this.shadowAvg <= -this.t.shadowMargin ? Math.max(this.t.shadowBack, this.t.shadowDecay) : this.t.shadowDecay
      const back = Math.min(this.shadowGrewBy * share, Math.max(0, this.windowTarget - this.windowFloor()))
      this.shadowGrewBy -= back
      this.windowTarget -= back
      return
    }
    if (this.t.shadowMoveSpan > 0 && this.moveGap > this.t.shadowMoveSpan) return
    const max = this.maxWindowNow() * this.capacity
    const before = this.windowTarget
    if (this.windowTarget < max) this.windowTarget = Math.min(max, this.windowTarget + this.t.shadowGrow * this.capacity)
    this.shadowGrewBy += this.windowTarget - before
    if (this.t.shadowNoAge > 0) this.growthBase += this.windowTarget - before
  }

  private shadowKeep(gap: number): number {
    return this.t.shadowKeep * this.shadowAvg + (1 - this.t.shadowKeep) * gap
  }

  /**
   * RESEARCH (off: climbSample 0; not in the engines): a hill climber on the sampled hit ratio, as
   * in "Adaptive Software Cache Management" (Middleware 2018): every climbSample × capacity requests
   * the window moves by a step that keeps its direction while the hit ratio does not fall, reverses
   * when it does, shrinks by climbDecay each sample and restarts at climbStep after a change of
   * climbRestart. Tried beside the ghost evidence at stop 28 and not adopted (POLICY.md).
   */
  private climb(hit: boolean): void {
    // RESEARCH (windowClockFlag 4, stop 55): the gets' hit share, a running mean over about a capacity of gets.
    if (this.t.windowClockFlag === 4) this.clockHitShare += ((hit ? 1 : 0) - this.clockHitShare) / this.capacity
    if (this.t.climbSample <= 0) return
    this.climbN++
    if (hit) this.climbHits++
    if (this.climbN < this.t.climbSample * this.capacity) return
    const hr = this.climbHits / this.climbN
    this.climbN = 0
    this.climbHits = 0
    if (this.climbPrev < 0) {
      this.climbPrev = hr
      this.climbStepNow = this.t.climbStep * this.capacity
      return
    }
    const change = hr - this.climbPrev
    this.climbPrev = hr
    const amount = change >= 0 ? this.climbStepNow : -this.climbStepNow
    const next = Math.abs(change) >= this.t.climbRestart ? Math.sign(amount || 1) * this.t.climbStep * this.capacity : amount * this.t.climbDecay
    const lo = Math.max(1, this.t.minWindow * this.capacity)
    const hi = this.t.maxWindow * this.capacity
    this.windowTarget = Math.min(hi, Math.max(lo, this.windowTarget + amount))
    if (this.windowTarget < this.growthBase) this.growthBase = this.windowTarget
    this.climbStepNow = next
  }

  /** ONCE_MAX_WINDOW's condition: write-once traffic (ONCE_SHARE) without a hot set read cache-aside beside it (ONCE_HOT_SHARE). */
  private onceMax(): boolean {
    return this.writeOnce(this.t.onceShare) && !(this.t.onceHotShare > 0 && this.hotShare >= this.t.onceHotShare)
  }

  /** The window target's maximum on cache-aside traffic: RESEARCH (clockMaxWindow) a higher one with the CLOCK window. */
  private maxWindowNow(): number {
    return this.t.clockMaxWindow > 0 && this.t.windowClockLevel > 0 ? this.t.clockMaxWindow : this.t.maxWindow
  }

  /**
   * Whether the window's growth may age the sketch now: at least ageSpacing × capacity increments
   * after the last early ageing (increments as the sketch counts them towards its regular halving; a
   * count below the mark means a regular halving came in between). Each early ageing clears the miss
   * filter and halves what write-then-read and a resting hot set live on, so about one per move of
   * the hot set is what pays (stop 38); unbounded, a loop of ~1.07 × capacity, whose window swings up
   * and down, halved the sketch 20-30 times per capacity of requests, every estimate to 0 (stop 28).
   */
  /** An early ageing (the engines' ageEarly once ageAllowed said yes): the sketch halves, counted, and the mark moves to now. */
  private ageEarly(): void {
    this.sketch.halve()
    this.earlyAgeings++
    this.ageMark = this.sketch.added
  }

  private ageAllowed(): boolean {
    const added = this.sketch.added
    return added < this.ageMark || (added - this.ageMark) / (this.sketch.sampleSize / this.t.sketchSample) >= this.t.ageSpacing
  }

  private stampNow(key: number): void {
    if (this.stamps !== undefined) this.stamps[key] = this.inserts
  }

  private place(q: KeyFifo, key: number, where: number, size: number): void {
    this.stampNow(key)
    this.keyState[key] = where | this.insertFlags
    q.push(key)
    this.used += size
    this.entries++
  }

  private makeRoom(): void {
    // The newest entry stays, even alone over the target (byte mode: an entry larger than the whole
    // window gets its time there, as in the engines); in entry mode the target is at least one entry.
    while (this.sizeW > this.windowTarget && this.countW > 1) this.leaveWindow()
    while (this.used > this.capacity) {
      if (this.sizeP + this.sizeM > 0) this.evict(this.victim(), FROM_MAIN)
      else this.evictWindowTail()
    }
  }

  /**
   * The window's tail leaves it: into probation while the cache has room, else only if it beats
   * main's victims for the space it needs (TinyLFU); a loser is evicted.
   */
  private leaveWindow(): void {
    // RESEARCH (windowClockFlag 5, stop 55): the miss share's block closes at the window's leaves.
    if (this.t.windowClockFlag >= 5) this.clockBlock()
    if ((this.t.windowClock || this.t.windowClockAsked > 0) && this.windowTarget >= this.t.windowClockLevel * this.capacity
      && !(this.t.onceFifo > 0 && this.onceMax())) {
      // RESEARCH: CLOCK in the window (an entry hit there goes round once more, as protected's do).
      let ops = 0
      for (;;) {
        const k = this.window.peek()
        const st = this.keyState[k]!
        if ((st & CMASK) === 0 || ops++ >= this.t.maxTailOps) break
        // RESEARCH (windowClockAsked): only a key that was asked for (not written unasked) goes round.
        // windowClockFlag (RESEARCH, stop 55): 'asked for' from the entry's insert mark (LATE_FLAG's), which no halving
        // clears, instead of the filter's bit (2, 3: only while the unasked share is at least returnShare: cache-aside
        // traffic keeps the filter's bit; 3: a round the mark alone sends spends it).
        // MISSED_GENS: a mark the last halving kept counts too (keptMarksCount).
        const asked = this.test(this.hashOf(k), 0) || (this.t.missedGens > 0 && this.keptMarksCount() && this.missedBefore(this.hashOf(k)))
        // 4: as 2, only while the gets' hit share is at least windowClockHit (a hot set that slides; loops, bursts larger
        // than the cache and reads beyond it miss more, and the FIFO's turnover at each halving is what keeps main's subset).
        // 5: as 4, the cue as gets missed per sketch addition over the last capacity of additions, at most 1 − windowClockHit;
        // 6: the same from gets estimated as the additions less the sets, plus the misses, over windowClockBlock × capacity
        // gets (counts the engines could keep under the lock; see clockBlock); 7: 6's gets in a running mean at every leave.
        const useMark = this.t.lateFlag > 0 && (this.t.windowClockFlag === 1 || (this.t.windowClockFlag >= 2 && this.unaskedShare >= this.t.returnShare
          && (this.t.windowClockFlag !== 4 || this.clockHitShare >= this.t.windowClockHit)
          && (this.t.windowClockFlag < 5 || this.clockMissShare <= 1 - this.t.windowClockHit)))
        // DIAGNOSTIC (stop 55): tail keys hit in the window whose entry mark and filter bit disagree on 'asked for'.
        if ((st & UNASKED) === 0 && !asked) this.stat.clockFlagOnly++
        else if ((st & UNASKED) !== 0 && asked) this.stat.clockFilterOnly++
        if (!this.t.windowClock && (this.t.windowClockAsked >= 2 ? !(useMark ? (st & UNASKED) === 0 : asked) : this.test(this.hashOf(k), 1))) break
        // RETURN_TEST: while RETURN_TO is on, a sampled key makes one pass (its count there is the measure).
        if (this.returnOn && this.returnSampled(this.hashOf(k))) break
        this.tailN++
        this.tailHit++
        this.window.pop()
        // windowClockAsked 3: one count fewer instead of none (a key hit often goes round more than once).
        this.keyState[k] = this.t.windowClockAsked === 3 ? st - ONE : WINDOW | (st & KEPT)
        if (useMark && !asked) {
          this.stat.clockMarkRounds++
          if (k < this.diagSplit) this.stat.clockMarkOld++
          if (this.t.windowClockFlag === 3) this.keyState[k] |= UNASKED
        }
        this.window.push(k)
      }
    }
    const key = this.window.pop()
    this.returnTestLeave(key, this.keyState[key]!)
    const hitInWindow = (this.keyState[key]! & CMASK) !== 0
    this.leaveN++
    if (hitInWindow) this.leaveHit++
    this.tailN++
    if (hitInWindow) this.tailHit++
    if (hitInWindow) this.stampNow(key)
    this.boost = hitInWindow ? this.t.windowHitBoost : 0
    const size = this.sizeOf(key)
    this.sizeW -= size
    this.countW--
    const excess = this.used - this.capacity
    if (excess > 0 && this.sizeP + this.sizeM > 0) this.stat.windowContests++
    this.contestKind = hitInWindow ? 2 : 1
    // RESEARCH (movePre, stop 43): a leaver that was in the window when the move was seen.
    const pre = this.preLeft > 0
    if (pre) this.preLeft--
    if (pre && excess > 0 && this.sizeP + this.sizeM > 0 && (this.t.movePre === 1 || (this.t.movePre === 3 && !hitInWindow))) {
      this.contestKind = 0
      this.boost = 0
      this.remove(key, FROM_WINDOW)
      return
    }
    if (pre && this.t.movePre === 2) this.contestKind = 4
    const admitted = !((this.oracleMode === 6 || this.oracleMode === 7) && key < this.oracleOffset && excess > 0 && this.sizeP + this.sizeM > 0) && (!(excess > 0 && this.sizeP + this.sizeM > 0) || this.contest(this.hashOf(key), excess))
    this.contestKind = 0
    this.boost = 0
    // DIAGNOSTIC (stop 53): stat.windowWins was never counted (stop 52's "windowWins 0" read the unset counter).
    if (admitted && excess > 0 && this.sizeP + this.sizeM > 0) this.stat.windowWins++
    if (!admitted) {
      this.remove(key, FROM_WINDOW)
      return
    }
    // freeTag 3 (stop 50): only room the cache had before this leaver (a fill; in byte mode a larger victim's
    // room), not the room a window shrink gets from the newcomer's eviction (excess 0 in entry mode): a
    // give-back of half the cache otherwise tags every leaver that follows it.
    const free = this.t.freeTag === 3 ? excess < 0 || this.sizeP + this.sizeM === 0 : !(excess > 0 && this.sizeP + this.sizeM > 0)
    this.keyState[key] = PROBATION | (this.t.freeTag > 0 && free ? FREE : 0) | (this.keyState[key]! & KEPT)
    this.probation.push(key)
    this.sizeP += size
  }

  /** RESEARCH (windowClockFlag 5-7; stop 55): closes the miss share's block (5: a capacity of additions; 6: windowClockBlock × capacity gets; 7: every leave, into a running mean). */
  private clockBlock(): void {
    const n = this.sketch.halvings - this.clockHalvingsAt
    const start = n === 0 ? this.clockAddedAt : n >= 31 ? 0 : this.clockAddedAt >>> n
    const adds = this.sketch.added - start
    if (this.t.windowClockFlag === 7) {
      // 7: 6's gets at every leave, into a running mean weighted by gets / capacity (mode 4's mean, from the lock's counts).
      const gets = Math.max(0, adds - this.clockAccessMisses - this.clockWrites) + this.clockMisses
      if (gets > 0) this.clockMissShare += (this.clockMisses / gets - this.clockMissShare) * Math.min(1, gets / this.capacity)
      this.clockAccessMisses = 0
      this.clockWrites = 0
    } else if (this.t.windowClockFlag === 6) {
      // The gets: the additions less the sets' (a cache-aside miss's set among them) are the hits (a saturated counter's
      // increment is not counted: hot keys' hits go missing, and the share reads lower), and the misses.
      const gets = Math.max(0, adds - this.clockAccessMisses - this.clockWrites) + this.clockMisses
      if (gets < this.t.windowClockBlock * this.capacity) return
      this.clockMissShare = this.clockMisses / gets
      this.clockAccessMisses = 0
      this.clockWrites = 0
    } else if (adds < this.capacity) return
    else this.clockMissShare = this.clockMisses / adds
    this.clockMisses = 0
    this.clockAddedAt = this.sketch.added
    this.clockHalvingsAt = this.sketch.halvings
  }

  private evictWindowTail(): void {
    const key = this.window.pop()
    this.sizeW -= this.sizeOf(key)
    this.countW--
    this.remove(key, FROM_WINDOW)
  }

  /**
   * Evicts main's victims until `need` bytes are free, as long as the candidate is more frequent than
   * each (or, warm and lucky, wins the 1-in-warmOdds draw that keeps crafted collisions from freezing
   * the cache). False when a victim wins: the candidate loses; victims already evicted stay evicted.
   */
  private contest(candidateHash: number, need: number): boolean {
    let fc = Math.min(MAX_COUNT, this.sketch.estimate(candidateHash) + this.boost)
    // RESEARCH (moveUnhit, stop 43): while the hot set moves, a window leaver nobody read in the window
    // may carry the old set's count.
    const unhitMoving = this.t.moveUnhit > 0 && this.contestKind === 1 && this.moveGap < this.t.moveSpan
    if (unhitMoving && this.t.moveUnhit === 1) return false
    if (unhitMoving && this.t.moveUnhit === 2) fc >>= 1
    if (this.contestKind === 4) fc >>= 1
    // UNASKED_TIE (tieUnasked 1, the engines'; stop 33): a tie between a newcomer written unasked and
    // main's victim, both seen at most once, goes to the newcomer (a cache filled by sets otherwise
    // keeps its never-read keys against the first new ones until the window has grown). RESEARCH
    // variants 3-5 (stop 31): 5 holds only while the window is above its floor (ghost evidence has
    // grown it), which keeps a fill that is still being read (write-once at 1.5 × capacity).
    const mode = this.t.tieUnasked
    // ONCE_SHARE (stop 37): on write-once traffic (most inserts written unasked) the newcomer is taken as
    // written unasked without its mark, which every halving clears (the early ageings halve the sketch
    // while the window grows, and a newcomer at 0 then lost its tie with a dead key at 0).
    const tie = mode > 0 && fc <= 1 && (mode < 5 || this.windowTarget > this.windowFloor()) && ((this.t.onceTieMark === 0 && this.writeOnce(this.t.returnMax)) || this.test(candidateHash, 1))
    // RESEARCH (moveTie, stop 43): while the hot set moves, a window leaver (moveTieHit 1: one hit in the
    // window; 2: or a key back from the ghost) needs less than the victim's estimate: the victim's count
    // may be the old set's.
    const k = this.contestKind
    const slack = this.t.moveTie > 0 && this.moveGap < this.t.moveSpan && k !== 0 && (this.t.moveTieHit === 0 ? k !== 3 : this.t.moveTieHit === 1 ? k === 2 : k >= 2) ? this.t.moveTie : 0
    const big = this.t.bigWin > 0 && (this.contestKind === 2 || (this.t.bigWinMode === 3 && this.contestKind === 1)) && this.windowTarget >= this.t.bigWin * this.capacity
    while (need > 0 && this.sizeP + this.sizeM > 0) {
      const v = this.victim()
      let fv = this.sketch.estimate(this.hashOf(v))
      if ((this.oracleMode === 1 || this.oracleMode === 7) && v < this.oracleOffset) fv = 0
      if (this.driftOn && this.t.driftAdmit === 2) fv >>= 1
      else if (this.driftOn && this.t.driftAdmit === 1) fv = -1
      // RESEARCH (staleAfter): a victim no hit was seen for in staleAfter × capacity inserts has a stale count.
      if (this.stamps !== undefined && (this.t.moveStale === 0 || this.moveGap < this.t.moveSpan) && this.inserts - this.stamps[v]! >= this.t.staleAfter * this.capacity) {
        if (this.t.staleMode === 1) fv >>= 1
        else if (this.t.staleMode === 2) fv = 0
        else if (this.t.staleMode === 3 && fc >= 2) fv = Math.min(fv, fc - 1)
        else if (this.t.staleMode === 4 && fc >= 2 && this.test(candidateHash, 1)) fv = Math.min(fv, fc - 1)
        else if (this.t.staleMode === 5 && this.youngReturn) fv = 0
        else if (this.t.staleMode === 6 && (this.youngReturn || (fc >= 2 && this.test(candidateHash, 1)))) fv = this.youngReturn ? 0 : Math.min(fv, fc - 1)
      }
      // RESEARCH (lagStale, stop 52, lagphase): after lagStale window leavers written unasked lost in a row to probation's
      // victims while every get hit, with no first hit in probation since, probation's contents are taken as stale
      // (the previous phase's keys, or a collided victim at its tail): until its next first hit such a leaver beats
      // probation's victims, each win counting ONCE_GAIN towards a bigger window, as a late first hit does.
      // RESEARCH lagStaleMode bits: see tuning.ts.
      const lagCand = this.t.lagStale > 0 && (k === 1 || k === 2) && (this.keyState[v]! & QMASK) === PROBATION
        && ((this.t.lagStaleMode & 2) !== 0 || this.test(candidateHash, 1))
        && ((this.t.lagStaleMode & 4) === 0 || this.windowTarget <= this.windowFloor())
        && ((this.t.lagStaleMode & 512) === 0 || this.hotShare < this.t.onceHotShare)
        && ((this.t.lagStaleMode & 4096) === 0 || this.unaskedShare < this.t.returnShare)
      // MISS_RUN (engines since stop 54, lagport; the knob since stop 53, lagreal): after missRun reads in a row missed
      // (none hit), what main holds serves nothing now: a window leaver written unasked beats probation's victim (the lag
      // phase's opening as a service makes it: its reads miss the keys of before the phase, while the admission test's
      // hot gets hit). missRunMode (tuning.ts): the engines' 416 jumps (32) and gives the jump a verdict (256, MISS_UNDO);
      // RESEARCH bits 1 each win counts ONCE_GAIN towards a bigger window; 2 protected's victims too; 4 only gets' misses count.
      // RESEARCH (dryRun, stop 56, lagopen2): or after dryRun inserts written unasked in a row with no sketch addition
      // but their own (the gets hit only saturated keys: main's content is not being read), the same win and jump.
      // RESEARCH (dryRunMode 32): only the win that jumps (the target under COLD_WINDOW's level), no win after it.
      const dry = this.t.dryRun > 0 && this.dryRunLen >= this.t.dryRun && !this.dryLock && ((this.t.dryRunMode & 32) === 0 || this.windowTarget < this.t.coldWindow * this.capacity)
      if ((dry || this.t.missRun > 0 && this.missRunLen >= this.t.missRun && this.missRunWrites >= this.t.missRunUnasked) && (k === 1 || k === 2) && ((this.t.missRunMode & 16) !== 0 || this.test(candidateHash, 1))
        && ((this.t.missRunMode & 2) !== 0 || (this.keyState[v]! & QMASK) === PROBATION)) {
        this.stat.missWins++
        if (dry) this.stat.dryWins++
        if ((this.t.missRunMode & 1) !== 0) this.pendingGrow += this.t.onceGain
        // missRunMode 32 (the engines'): the window target jumps to COLD_WINDOW's level (main sheds its dead keys as at a cold fill).
        if ((this.t.missRunMode & 32) !== 0 && this.windowTarget < this.t.coldWindow * this.capacity) {
          // MISS_UNDO: the state before the first jump of a pending verdict is what an undo restores. The engines keep
          // the shed and FILL_ROTATE's rotation in one state word: the jump's shed ends a rotation.
          if ((this.t.missRunMode & 256) !== 0) {
            if (this.t.missRunUndo > 0 && !this.missJumpPending) {
              this.missJumpFrom = this.windowTarget
              this.missJumpShed = this.shedding
              this.missJumpTally = 0
              this.missJumpPending = true
              this.missJumpStarted = false
              this.missJumpDry = dry && !(this.t.missRun > 0 && this.missRunLen >= this.t.missRun)
            }
            this.rotating = false
          }
          this.windowTarget = this.t.coldWindow * this.capacity
          this.shedding = true
        }
        need -= this.sizeOf(v)
        this.evict(v, FROM_MAIN)
        continue
      }
      if (lagCand && this.lagOpen) {
        this.stat.lagWins++
        if ((this.t.lagStaleMode & 16) !== 0) this.pendingGrow += this.t.unaskedGain
        else if ((this.t.lagStaleMode & 8) === 0) this.pendingGrow += this.t.onceGain
        need -= this.sizeOf(v)
        this.evict(v, (this.t.lagStaleMode & 1) !== 0 ? FROM_WINDOW : FROM_MAIN)
        continue
      }
      if (tie && (fc === fv || (this.t.onceMargin > 0 && fv <= this.t.onceMargin && this.writeOnce(this.t.returnMax))) && (mode < 4 || (!this.test(this.hashOf(v), 0) && this.test(this.hashOf(v), 1)))) {
        need -= this.sizeOf(v)
        this.evict(v, mode === 1 ? FROM_MAIN : NO_GHOST)
        continue
      }
      if (slack > 0 && fv <= fc + slack - 1) {
        need -= this.sizeOf(v)
        this.evict(v, FROM_MAIN)
        continue
      }
      // RESEARCH (bigWin, stop 51): at a large window a leaver hit in the window beats main's victim (its count
      // may be a moved-away hot set's).
      if (big && (this.t.bigWinSlack === 0 || fv <= fc + this.t.bigWinSlack - 1) && (this.t.bigWinMode !== 2 || (this.keyState[v]! & QMASK) === PROBATION)) {
        this.stat.bigWins++
        need -= this.sizeOf(v)
        this.evict(v, FROM_MAIN)
        continue
      }
      // SATURATED_TIE (stop 48): at the counters' ceiling a tie says nothing of which key is read more.
      const satWin = this.t.saturatedTie > 0 && fc === fv && fv >= MAX_COUNT && (this.t.saturatedTie === 2 || this.contestKind === 2)
      if (fc <= fv && !satWin && !(fc >= this.t.warmFrequency && this.rng.nextU32() % this.t.warmOdds === 0)) {
        // lagStale: a loss counts only after a get hit since the last one counted (a fill without reads decides
        // nothing; RESEARCH lagStaleMode 32: any loss counts).
        if (lagCand && ((this.t.lagStaleMode & 32) !== 0 || this.lagHit)) {
          this.lagHit = false
          if (++this.lagRun >= this.t.lagStale) this.lagOpen = true
        }
        // RESEARCH (regretAge): a victim beating a key back from the ghost is aged, its count being stale evidence.
        this.stat.losses++
        this.stat.lossVictimSum += fv
        if (this.contestKind === 2) {
          this.stat.hitLeaverLosses++
          this.stat.hitLeaverFc += fc
          this.stat.hitLeaverFv += fv
          if ((this.keyState[v]! & QMASK) === PROTECTED) this.stat.hitLeaverProtVictims++
        }
        this.deadVictimSum += fv
        this.deadVictimN++
        // WIN_AGE (stop 51): while a hot set moves (HIT_GAIN's run stands) at a large window, a victim that beats a
        // window leaver pays for it with half its count (RESEARCH winAgeMode 32: a key back from the ghost too): one still read is promoted before it is contested, so only unread
        // victims (a moved-away set's) pay, and a few lost contests take them to the newcomers' counts.
        // RESEARCH (winAgeMode 64, stop 53): also while the drift gate is open, at any window and any run (the gate's
        // sweep demotes protected's dead keys to probation, where their counts beat every newcomer).
        const gateAge = (this.t.winAgeMode & 64) !== 0 && this.driftOn && (this.contestKind === 1 || this.contestKind === 2 || (this.contestKind === 3 && (this.t.winAgeMode & 128) !== 0))
          || this.t.staleFastAge > 0 && this.fastOn && (this.contestKind === 1 || this.contestKind === 2)
            // STALE_FAST_AGE 1 (the engines'): only while the window is at most staleFastAgeWindow × capacity (aged through
            // a hold of 8 blocks as the window grew, a Zipf(0.99) over 5 keys per entry moving every 10 capacities lost its
            // next periods: −1.60 / −1.56 → −1.50 / −1.74; bounded at 0.2 −1.31 / −1.23, at 0.1 as before). RESEARCH 2: at any window; 3: only
            // while protected holds under half its target (the sweep has drained it: the dead keys are in probation).
            && (this.t.staleFastAge !== 1 || this.windowTarget <= this.fastAgeWindow())
            && (this.t.staleFastAge !== 3 || this.sizeM < 0.5 * (this.capacity - this.windowTarget) * this.protFraction())
        if (gateAge) {
          this.sketch.ageKey(this.hashOf(v), this.fastOn ? this.t.staleFastShift : 1)
          this.stat.gateAged++
        } else if (this.t.winAge > 0 && (this.contestKind === 1 || this.contestKind === 2 || (this.contestKind === 3 && (this.t.winAgeMode & 32) !== 0))
          && this.windowTarget >= this.t.winAge * this.capacity
          && ((this.t.winAgeMode & 1) === 0 || (this.keyState[v]! & QMASK) === PROBATION)
          && ((this.t.winAgeMode & 2) === 0 || this.test(candidateHash, 0))
          && ((this.t.winAgeMode & 4) === 0 || this.unaskedShare < this.t.returnShare)
          && ((this.t.winAgeMode & 8) === 0 || this.contestKind === 2)
          && ((this.t.winAgeMode & 16) !== 0 || this.hitRun >= this.t.hitGainRuns)) {
          this.sketch.ageKey(this.hashOf(v), 1)
          this.stat.winAged++
        }
        if (this.regretting || (this.t.regretMode === 2 && this.t.regretAge > 0)) this.sketch.ageKey(this.hashOf(v), this.t.regretAge)
        // RESEARCH (rotateWinner): a probation victim that wins goes round to probation's head.
        // FILL_ROTATE (stop 53): the same while rotating (a fill of sets alone, see insert): every key there was
        // seen once, a victim that wins won on a sketch collision, and staying the victim it beat every key written
        // after the fill. The engines' move clears ENTRY_FREE (it met a contest): so does this.
        if (this.rotating && ((this.rotateUntil - this.youngClock) | 0) <= 0) this.rotating = false
        if ((this.t.rotateWinner > 0 || this.rotating) && (this.keyState[v]! & QMASK) === PROBATION && this.probation.length > 1) {
          this.probation.pop()
          this.probation.push(v)
          if (this.rotating) this.keyState[v] = this.keyState[v]! & ~FREE
        }
        // RESEARCH (rotateAfter, stop 51): a victim that keeps winning goes round after rotateAfter wins in a row.
        if (this.t.rotateAfter > 0 && (this.t.rotateNarrow === 0 || (tie && fv === fc + 1))) {
          if (v !== this.winner) { this.winner = v; this.winnerRun = 0 }
          if (++this.winnerRun >= this.t.rotateAfter && (this.keyState[v]! & QMASK) === PROBATION && this.probation.length > 1 && this.probation.peek() === v) {
            this.probation.pop()
            this.probation.push(v)
            this.winnerRun = 0
          }
        }
        return false
      }
      need -= this.sizeOf(v)
      this.evict(v, FROM_MAIN)
    }
    return need <= 0
  }

  /**
   * Main's next victim, left at its queue's tail: probation's tail once the entries hit there have
   * moved up to protected (protected's overflow coming back down), or protected's CLOCK victim when
   * probation is empty. Bounded: after maxTailOps moves the tail is taken as it is.
   */
  private victim(): number {
    let ops = 0
    // COLD_SHED (stop 53): COLD_WINDOW's shed ends the first time a victim is sought with main no longer over its
    // share (cache-aside traffic never fires COLD_WINDOW).
    if (this.shedding && this.sizeP + this.sizeM <= this.capacity - this.windowTarget) this.shedding = false
    while (this.sizeP > 0) {
      const key = this.probation.peek()
      const st = this.keyState[key]!
      if ((st & CMASK) === 0 || ops++ >= this.t.maxTailOps) return key
      this.probation.pop()
      this.stat.promotions++
      const size = this.sizeOf(key)
      this.sizeP -= size
      // RESEARCH (promoteCredit): a promoted entry starts with this many CLOCK counts (0 as in the engines).
      this.keyState[key] = PROTECTED | (Math.min(3, this.t.promoteCredit) << CSHIFT) | (st & KEPT)
      this.stampNow(key)
      this.prot.push(key)
      this.sizeM += size
      // RESEARCH (demoteShed 3, stop 52): the engines' form of 1: while main is over its share, protected's
      // overflow gives its first unhit tail entry as the victim instead of demoting it (the engines' queues
      // cannot put it at probation's tail; the next victim search would have taken it there).
      // 4: not while RETURN_TO places write-backs in probation (they keep main over its share). 5: only while main
      // holds at least a quarter of the cache more than its share (a window target that jumped: COLD_WINDOW, a lift).
      // COLD_SHED (stop 53; RESEARCH demoteShed 6 is the same): 3 only during COLD_WINDOW's shed (shedding, above): after a
      // fill read by bursts, the lazy promotion sends the first burst's keys, read and dead, into protected only when
      // main must shrink, and demoted to probation's head they went round behind the second burst's unread keys.
      if ((this.t.demoteShed === 3 || (this.t.demoteShed === 4 && !this.returnOn) || this.lagShedNow()) && this.sizeP + this.sizeM > this.capacity - this.windowTarget
        || this.t.demoteShed === 5 && this.sizeP + this.sizeM > this.capacity - this.windowTarget + 0.25 * this.capacity
        || (this.t.coldShed === 1 || this.t.demoteShed === 6) && this.shedding) {
        const shed = this.shedProtected()
        if (shed >= 0) return shed
      }
      ops += this.rebalanceProtected()
    }
    for (;;) {
      const key = this.prot.peek()
      const st = this.keyState[key]!
      this.handStep((st & CMASK) !== 0, false)
      if ((st & CMASK) === 0 || ops++ >= this.t.maxTailOps) return key
      this.prot.pop()
      this.keyState[key] = this.roundCount(st)
      this.stampNow(key)
      this.prot.push(key)
    }
  }

  /** RESEARCH (driftProt, stop 42): protected's share of main, smaller while the drift gate is open (probation turns over faster). */
  private protFraction(): number {
    if (this.t.moveProt > 0 && this.moveGap < this.t.moveSpan) return this.t.moveProt
    return this.driftOn && this.t.driftProt > 0 ? this.t.driftProt : this.t.protectedFraction
  }

  /** A protected entry going round: its CLOCK count less one (RESEARCH protClockCap: at most cap − 1). */
  private roundCount(st: number): number {
    const c = ((st & CMASK) >>> CSHIFT) - 1
    const cap = this.t.protClockCap
    return (st & ~CMASK) | ((cap > 0 ? Math.min(c, cap - 1) : c) << CSHIFT)
  }

  /** RESEARCH (lagShed, stop 53): within lagShed × capacity inserts of the first fill, on write-then-read traffic. */
  private lagShedNow(): boolean {
    return this.t.lagShed > 0 && this.wasFull && this.shedSpan < this.t.lagShed * (this.capacity / this.meanSize())
      && ((this.t.lagShedMode & 1) !== 0 || this.unaskedShare >= this.lateShare())
      && ((this.t.lagShedMode & 4) === 0 || !this.returnOn)
      && ((this.t.lagShedMode & 8) === 0 || this.coldDid)
  }

  /** RESEARCH (demoteShed 3): protected's overflow, hit entries going round; the first unhit tail entry is returned (left at the tail), or −1. */
  private shedProtected(): number {
    const max = (this.capacity - this.windowTarget) * this.protFraction()
    let ops = 0
    while (this.sizeM > max && this.sizeM > 0 && ops++ < this.t.maxTailOps) {
      const key = this.prot.peek()
      const st = this.keyState[key]!
      if ((st & CMASK) === 0) {
        this.handStep(false, false)
        this.stat.demotions++
        return key
      }
      this.demoteTail(true)
    }
    return -1
  }

  /** Demotes protected's overflow to probation (CLOCK: a hit entry goes round once more). */
  private rebalanceProtected(): number {
    const max = (this.capacity - this.windowTarget) * this.protFraction()
    let ops = 0
    while (this.sizeM > max && this.sizeM > 0) {
      ops++
      this.demoteTail(ops < this.t.maxTailOps)
    }
    return ops
  }

  /** Evicts `key`, which victim() left at the tail of its queue. */
  private evict(key: number, from: number): void {
    const size = this.sizeOf(key)
    // FREE_TAG (freeTag 4, the engines'): an entry that got into probation without a contest and left unhit is still a
    // window candidate: its return argues for a bigger window, not a bigger main.
    if (from === FROM_MAIN && (this.keyState[key]! & (FREE | CMASK)) === FREE && (this.t.freeTag === 1 || this.unaskedShare >= this.lateShare())
      && (this.t.freeTag !== 4 || this.windowTarget >= this.t.returnLevel * this.capacity)) from = FROM_WINDOW
    if ((this.keyState[key]! & QMASK) === PROBATION) {
      if ((this.keyState[key]! & CMASK) === 0) this.stat.probLost++
      if ((this.keyState[key]! & RTP) !== 0) {
        this.stat.rtLost++
        if (this.rtGone !== undefined) this.rtGone[key] = 1
      }
      this.probation.pop()
      this.sizeP -= size
    } else {
      this.prot.pop()
      this.sizeM -= size
    }
    this.remove(key, from)
  }

  private remove(key: number, from: number): void {
    if (this.exitRoute !== undefined) {
      const st = this.keyState[key]!
      const q = st & QMASK
      const hit = (st & CMASK) !== 0
      this.exitRoute[key] = q === WINDOW ? (hit ? 1 : 2) : q === PROBATION ? (hit ? 5 : (st & RTP) !== 0 ? 3 : 4) : 6
    }
    this.keyState[key] = NONE
    this.used -= this.sizeOf(key)
    this.entries--
    if (from !== NO_GHOST) this.ghost.add(this.hashOf(key), from)
  }
}
