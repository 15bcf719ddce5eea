import { ENGINE_TUNING } from './tuning.generated.js'

/**
 * The policy's constants; research runs vary one at a time (`CortadoModel` accepts overrides).
 * POLICY.md gives the reason for each.
 */
export interface Tuning {
  /** Initial window (S) target as a fraction of capacity; the adaptation moves it from there. */
  initialWindow: number
  /** Bounds of the window target as fractions of capacity. */
  minWindow: number
  maxWindow: number
  /** Protected (M) target as a fraction of the main space (capacity - window). */
  protectedFraction: number
  /** RESEARCH: a hill climber on the sampled hit ratio beside the ghost evidence: sample (× capacity requests, 0: off), first step (× capacity), decay per sample, restart at this change of hit ratio. */
  climbSample: number
  /** RESEARCH (off; POLICY.md): CLOCK in the window, a window entry hit since it entered goes round once more, counter cleared. */
  windowClock: boolean
  climbStep: number
  /** RESEARCH (off; POLICY.md, stop 29): protected's CLOCK hand steps per insert beyond the promotions' (0: off)... */
  protSweep: number
  /** DRIFT_SWEEP (engines since stop 40; src/layout/policy.json): while the drift gate is open, protected's hand sweeps this many steps per window insert. The gate's signal is chosen by driftSignal (2, the engines': inserts back from the ghost; 0: stop 39's protected hit rate per block of driftBlock × capacity gets; 1: protected's hand); it opens under (1 − driftDrop) × the signal's peak (decayed by driftDecay per block) on cache-aside traffic. The sketch halves driftHalve times as it opens (research). */
  driftSweep: number
  /** RESEARCH (stop 39): while the drift gate is on, the sketch also halves every driftSample × capacity gets (0: off). */
  driftSample: number
  /** RESEARCH (stop 39): the drift gate closes after this × capacity gets open, its peak restarted (0: stays open while the rate is low). */
  driftSpan: number
  /** DRIFT_FULL (engines since stop 40): the drift gate opens only while protected holds at least this share of its target (0: always). */
  driftFull: number
  /** RESEARCH (stop 39): 1: returnSweep only while the drift gate is on (see driftSweep). */
  returnSweepDrift: number
  driftHalve: number
  driftBlock: number
  driftDrop: number
  driftDecay: number
  /**
   * The drift gate's signal (stop 40). 2 (the engines'): per block of driftBlock × capacity inserts (at
   * least driftMinBlock), the share back from the ghost. RESEARCH 0: stop 39's share of gets that hit
   * protected (needs a count on the hit path). RESEARCH 1: protected's CLOCK hand, per block of driftSteps ×
   * capacity hand steps (promotions' and victim searches'; the gate's own sweep counts only with
   * driftSweepCounts), the share that found an entry hit since the last pass; it latches the gate open
   * (docs/policy-recency.md "Stop 40").
   */
  driftSignal: number
  driftSteps: number
  driftSweepCounts: number
  /**
   * RESEARCH (stop 40, driftSignal 1): the gate, once open, closes after this × capacity (in entries) of
   * its sweeps (one per newcomer in the window), and the signal starts a new block and a new peak (0:
   * stays open until a block says otherwise; with the sweep's own steps left out of the signal a block
   * may then never end, and the gate stays open for good).
   */
  driftOpenSpan: number
  /** RESEARCH (stop 40): 1: the peak survives driftOpenSpan's closing (0: it starts afresh). */
  driftOpenPeak: number
  /** RESEARCH (stop 40): 1: the open gate's sweep stops while protected holds under driftFull of its target (its promotions then overflow it again, and the hand's blocks go on). */
  driftFullSweep: number
  /** RESEARCH (stop 41): while the drift gate is open, a window candidate's contest: 1 none (admitted, victims evicted), 2 each victim's estimate halved. */
  driftAdmit: number
  /** RESEARCH (stop 41): the gate, once open, stays open at least this × capacity (in entries) of inserts. */
  driftHold: number
  /** DRIFT_GROW (engines since stop 42; stop 41 tried it without DRIFT_GROW_DECAY): on the first block of a fall of the drift signal, the window target grows by this × capacity if driftGrowHit of the window's leavers were hit there (see driftGrowAny, driftGrowUndo, driftGrowDecay; src/layout/policy.json). */
  driftGrow: number
  /** RESEARCH (stop 41): driftGrow only while the window target is at least this × capacity (recency has been winning: not a loop's or a scan's small window). */
  driftGrowLevel: number
  /** RESEARCH (stop 41): driftGrow only if at least this share of the window's leavers in that block were hit in the window. */
  driftGrowHit: number
  /** RESEARCH (stop 41): 1: driftGrow on the first block of a fall, without the sweep's driftFull condition; 0: when the gate opens; 2: at the fall's first block whose leavers qualify. */
  driftGrowAny: number
  /** RESEARCH (stop 41): the share of DRIFT_GROW's growth taken back when the fall ends (0: kept). */
  driftGrowUndo: number
  /** DRIFT_GROW_DECAY (engines since stop 42): the share of DRIFT_GROW's growth still left that is given back at each block without a fall (0: kept; see driftGrowUndo). */
  driftGrowDecay: number
  /** RESEARCH (stop 42): DRIFT_GROW only at a fall whose first block comes within this many drift blocks of the previous fall's (0: any fall). */
  driftGrowGap: number
  /** RESEARCH (stop 42): protected's share of main while the drift gate is open (0: protectedFraction always). */
  driftProt: number
  /** RESEARCH (stop 43, off): while the hot set moves (a drift fall's first block within moveSpan blocks; moveQual), a window leaver beats a victim whose estimate is at most its own + moveTie − 1 (1: ties; 2: a deficit of 1; 0: off). */
  moveTie: number
  /** RESEARCH (stop 43): drift blocks from a fall's first block that count as "the hot set moves" (moveTie and the other move* knobs). */
  moveSpan: number
  /** RESEARCH (stop 43): 1: moveTie only for a leaver hit in the window; 2: also for a key back from the ghost. */
  moveTieHit: number
  /** RESEARCH (stop 43): at a drift fall's first block the sketch halves: 1 if the early ageings' spacing allows; 2 always (0: off). */
  moveHalve: number
  /** RESEARCH (stop 43): 1: the moveSpan starts only at a fall whose window leavers qualify for DRIFT_GROW (at least driftGrowHit of them hit in the window, as its growth asks); 0: at any fall. */
  moveQual: number
  /** RESEARCH (stop 43): 1: staleAfter's rule (exact per-key stamps, which the engines lack) only while the hot set moves (moveSpan, moveQual). */
  moveStale: number
  /** RESEARCH (stop 43): at a move's start (moveQual), protected's hand owes this × protected's length of steps (moveEvict 3: × main's length of evictions), at most sweepRate per window insert (0: off). */
  moveSweep: number
  /** RESEARCH (stop 43): at a move's start, main's entries not hit since they entered probation (1) or since protected's hand last passed them (2: both queues) leave at once (0: off). */
  moveFlush: number
  /** RESEARCH (stop 43): 1: moveFlush's leavers leave no ghost entry. */
  moveFlushGhost: number
  /** RESEARCH (stop 43): a move starts only at a fall whose first block comes within this many drift blocks of the previous fall's (0: any). */
  moveGapMax: number
  /** RESEARCH (stop 43): while the hot set moves (moveSpan), a window leaver not hit in the window: 1 is rejected; 2 contests with its estimate halved (0: off). */
  moveUnhit: number
  /** RESEARCH (stop 43): at a move's start the window's entries are marked (the next countW leavers: the window is a FIFO); a marked leaver that must contest 1: is rejected; 2: contests with its estimate halved; 3: is rejected unless hit in the window (0: off). */
  movePre: number
  /** RESEARCH (stop 43): movePre spares the newest this × drift block's inserts in the window (the move came before the fall was seen). */
  movePreSpare: number
  /** RESEARCH (stop 43): protected's share of main while the hot set moves (moveSpan; 0: protectedFraction; see driftProt). */
  moveProt: number
  /** RESEARCH (stop 43): moveEvict 3's debt is dropped once the main ghosts that came back since the move's start exceed this × the entries it evicted (0: never). */
  moveCancel: number
  /** RESEARCH (stop 43): what moveSweep's steps do: 0 protected's hand demotes an unhit entry; 1 evicts it (a main ghost); 2 demotes it with its counters shifted right by moveAge; 3 main's victim (victim()) is evicted, no contest (a purge). */
  moveEvict: number
  moveAge: number
  /** DRIFT_MIN_BLOCK (engines since stop 40, driftSignal 2): a block has at least this many inserts (a small cache's blocks are too few to tell a fall from noise). */
  driftMinBlock: number
  /** ...and × protected's length after each early ageing (0: off), at most sweepRate steps per insert. */
  ageSweep: number
  sweepRate: number
  climbDecay: number
  /** RESEARCH (stop 37, off): a key back from the ghost that loses its contest shifts the winning victim's own sketch counters right by this (0: off). */
  regretAge: number
  /** RESEARCH (stop 37): 0: regretAge for any ghost key; 1: only window-tagged ones; 2: for every contest a candidate loses (erosion); 3: window-tagged and younger than windowHorizon × the window's entries. */
  regretMode: number
  /** RESEARCH (stop 37, off): a key demoted from protected (not hit since its last CLOCK pass) shifts its own sketch counters right by this (0: off). */
  demoteAge: number
  /** RESEARCH (stop 37, off): a victim no hit was seen for (insert, promotion, CLOCK pass) in this × capacity inserts is stale (0: off)... */
  staleAfter: number
  /** RESEARCH (stop 37, off): protected's CLOCK hand advances this many steps when a rejected candidate that was asked for (not written unasked) comes back from the ghost (0: off)... */
  returnSweep: number
  /** ...1: only when it is younger than windowHorizon × the window's entries. */
  returnSweepYoung: number
  /** ...only while protected holds at least this share of its target (0: always). */
  returnSweepFull: number
  /** ...only while the window target is at least this × capacity. */
  returnSweepLevel: number
  /** ...only while probation holds at most this × its share of main (0: always). */
  returnSweepProb: number
  /** ...demoting only unhit entries the sketch rates at least this (0: any unhit entry). */
  returnSweepMinFreq: number
  /** ...1: a hit entry the sweep passes keeps its count (only promotions' rebalancing takes one). */
  returnSweepKeep: number
  /** ...1: an unhit entry the sweep reaches is evicted (a main ghost) instead of demoted to probation. */
  returnSweepEvict: number
  /** ...only while at least this share of protected's recent CLOCK steps found an unhit entry (0: always)... */
  returnSweepStale: number
  /** ...averaged with this weight per step. */
  staleWeight: number
  /** ...and below it, this many steps per such return (they keep the share measured). */
  returnSweepProbe: number
  /** ...1: counting only entries hit since they entered protected (fresh ones are not stale). */
  staleHitOnly: number
  /** RESEARCH (stop 37): CLOCK counts an entry gets when it enters protected (0: the engines'). */
  promoteCredit: number
  /** RESEARCH (stop 37, off): 1: a probation victim that beats a candidate goes round to probation's head. */
  rotateWinner: number
  /**
   * YOUNG_TEST (src/layout/policy.json; both engines since stop 52, wbdelay): tracer slots of each kind (a power of two):
   * RETURN_TO places nothing while the share of new keys (written unasked) first hit in the window while
   * younger than youngAge × its count is under youngMin (docs/policy-recency.md "Stop 52, wbdelay";
   * shard.ts youngPlace). 'delay 0.6-0.7C+0.5C back': no new key is read young. RESEARCH 1 (model only): exact,
   * every first write measured at its first window hit against youngAge × the window's count (oscillated).
   */
  youngTest: number
  /** YOUNG_AGE: a first write is read young when a get asks for it within this × capacity first writes (youngTest 1: × the window's count). */
  youngAge: number
  /** YOUNG_MIN: youngTest vetoes RETURN_TO while the share of tracers read young is under this. */
  youngMin: number
  /** YOUNG_STEP: the step of youngTest's running shares. */
  youngStep: number
  /** YOUNG_BACK_MIN (0: no condition): youngTest vetoes only while the share of write-backs read again between youngBackFrom and youngBackTo × capacity first writes after their load is at least this (a write-back is worth keeping). */
  youngBackMin: number
  /** YOUNG_BACK_FROM: youngBackMin's window of ages, from. */
  youngBackFrom: number
  /** YOUNG_BACK_TO: youngBackMin's window of ages, to. */
  youngBackTo: number
  /** RESEARCH (stop 52, 0: off, not in the engines): youngTest's veto, once on, holds until the share of tracers read young is at least youngMin + this. */
  youngHyst: number
  /** YOUNG_HANDOFF (stop 52): when YOUNG_TEST's veto lifts, RETURN_TEST's write-back mean starts this far above the new keys' (its veto holds until its sample says otherwise). */
  youngHandoff: number
  /** YOUNG_KEEP (stop 52; 0: off): a young tracer not read yet is kept until this × capacity first writes and then dropped unmeasured; a get past YOUNG_AGE marks it read late (the share moves towards 0 only for tracers read late). */
  youngKeep: number
  /** RESEARCH (stop 52, off): 1: a get that misses does not mark YOUNG_TEST's tracers (hits only). */
  youngNoMiss: number
  /** RESEARCH (stop 52, off): 1: a key written unasked is a first write for YOUNG_TEST only if the sketch has seen it once (model, 40 cells of delay d 0.5-0.9C back: mean −0.72 without, −0.69 with, before which, without YOUNG_KEEP, 'delay 0.55C' at 15000 read −14.79 without it). */
  youngOnce: number
  /**
   * RESEARCH (stop 51, delayrows; 0: off): a probation victim that has beaten this many candidates in a row
   * goes round to probation's head (rotateWinner at 1 is every win). A fill key whose sketch count a
   * collision raised to 2 sat at probation's tail and beat every key written after the fill (1,809 in a row,
   * model, 10k, 'delay 0.2C+0.5C once').
   */
  rotateAfter: number
  /** RESEARCH (stop 51): rotateAfter counts only 1: wins over a candidate UNASKED_TIE would have let in on a tie (written unasked, seen at most once) by one count; 0: every win. */
  rotateNarrow: number
  /**
   * FILL_ROTATE (engines since stop 53, burst06; src/layout/policy.json): rotateWinner's rotation (a probation victim
   * that beats a candidate goes round to probation's head) in the first fillRotate × capacity first writes (YOUNG_TEST's
   * clock) after a first fill of sets alone (no hit on a key written unasked, unasked share ≥ COLD_SHARE): every key
   * there was seen once, and a victim that wins does so on a sketch collision ('delay 0.2C+0.5C once': one collided
   * fill key beat every key written after the fill). Bounded so the rows that read the fill's older keys
   * (`delay 0.8C+0.5C back`, `delay 0.95C+0.5C once` at 0.25–0.3) keep them. 0: off.
   */
  fillRotate: number
  /** COLD_SHED (engines since stop 53, burst06): 1: demoteShed 3 only during COLD_WINDOW's shed (demoteShed 6's form). 0: off. */
  coldShed: number
  /** ONCE_DROP (engines since stop 53, burst06): 1: with ONCE_LIFT 1, a target still exactly at ONCE_MAX_WINDOW returns to MAX_WINDOW once the unasked share is under RETURN_SHARE (onceLift 4's drop). 0: off. */
  onceDrop: number
  /** WINDOW_CLOCK_ASKED (engines since stop 46, mode 2; src/layout/policy.json): CLOCK in the window (as windowClock) for 2: keys the miss filter marks missed (loaded after a get missed them). RESEARCH modes (not in the engines): 1: keys it does not mark written unasked; 3: as 2, one count fewer per round instead of none left. */
  windowClockAsked: number
  /** RESEARCH (stop 44): windowClock / windowClockAsked only while the window target is at least this × capacity (a window grown that large is the cache's recency part, and a FIFO there loses hot keys LRU keeps). */
  windowClockLevel: number
  /**
   * RESEARCH (stop 55, delaysteady; 0 off): WINDOW_CLOCK_ASKED 2 reads 'asked for' from the entry (its UNASKED flag
   * clear, LATE_FLAG's insert mark) instead of the miss filter's 'missed' bit, which every sketch halving clears: a
   * halving then let every written-back key in the window go out at its tail, hit or not, into contests with main's
   * victims whose counts still hold reads from before it (delay d·C+0.5C back, steady state: the dips after
   * each halving; docs/policy-recency.md "Stop 55, delaysteady"). 1: always (cache-aside traces: seed 1's mean − best
   * 0.261 → 0.218); 2: only while the unasked share is at least returnShare (cache-aside traffic keeps the filter's bit;
   * bursts read back at small capacities, a loop after write-backs and zipf→write-then-read write-once 1.5 × capacity
   * fall); 3: as 2, and a round the mark alone sends (the filter's bit clear) spends it; 4: as 2, only while the gets'
   * hit share (a running mean over about a capacity of gets) is at least windowClockHit (every model gate holds, the
   * suite's zipf→write-then-read write-once 1.5 × capacity at −0.9985, but the engines count no gets on the lock-free
   * hit path); 5, 6: 4's cue from counts kept under the lock (5: misses per sketch addition over a capacity of additions;
   * 6: gets as the additions less the sets plus the misses, over windowClockBlock × capacity gets; 7: 6's gets at every
   * window leave into a running mean weighted by gets / capacity: the suite row at −1.005, and windowClockHit 0.82 saves
   * it but fails the sweep's phases back→loop→scan→lag). Not adopted.
   */
  windowClockFlag: number
  /** MISSED_GENS (engines since stop 55, mode 4; src/layout/policy.json). RESEARCH mode 5 (model only): as 4, and the kept marks count only for a window's worth of inserts after the halving (taken at the filter's next look, not at the halving itself: a port would take them at the halving). */
  missedGens: number
  /** RESEARCH (windowClockFlag 4, stop 55): the gets' hit share (a running mean over about a capacity of gets) at and above which the mark is read. */
  windowClockHit: number
  /** RESEARCH (windowClockFlag 6, stop 55): the miss share's block, in gets (× capacity). windowClockHit also sets modes 5–7's bound (misses at most 1 − it). */
  windowClockBlock: number
  /** RESEARCH (stop 45, 0: off): with windowClockLevel set, the window target's maximum on cache-aside traffic is this instead of maxWindow (a CLOCK window of the whole cache is CLOCK, ≈ LRU). */
  clockMaxWindow: number
  /** RESEARCH (stop 45, 0: off): a sampled LRU beside the cache (SHARDS-style): keys whose hash falls in 1/this of the space run through an LRU of capacity / this; its hit ratio on those keys' gets estimates LRU's. */
  shadowRate: number
  /** ...compared over blocks of this × capacity requests (sampled: / shadowRate)... */
  shadowBlock: number
  /** ...and when LRU's sampled hit ratio beats the cache's own on the same gets by at least this (points), the window target grows by shadowGrow × capacity (up to the maximum). */
  shadowMargin: number
  shadowGrow: number
  /** ...1: the comparison is an average over blocks kept with weight shadowKeep (the previous blocks' share) instead of one block's. */
  shadowKeep: number
  /** ...at each block where LRU does not win by the margin, this share of the growth still standing is given back (0: kept). */
  shadowDecay: number
  /** ...and at each block where the cache beats LRU by the margin, this share of it (0: none). */
  shadowBack: number
  /** ...only within this many drift blocks of a qualifying fall's first block (a move of the hot set, as DRIFT_GROW sees it; 0: always). */
  shadowMoveSpan: number
  /** ...the sampling rate lowered (a power of two, down to 1: every key) so the sampled LRU holds at least this many entries (0: shadowRate as given). */
  shadowMin: number
  /** ...1: the sampled LRU's growth does not count towards an early ageing (AGE_ON_GROWTH's base moves up with it). */
  shadowNoAge: number
  /** RESEARCH (stop 37): a returning candidate not written unasked counts this many times towards a bigger window (the engines: 1). */
  askedGain: number
  /** HIT_GAIN (engines since stop 46; shadow2's sg-An, stop 45): ...this many times instead while at least hitGainShare of the window's tail keys in the last drift block had been hit in the window (a moved hot set's new keys are read there; a standing Zipf's newcomers, a scan's or a loop's are not). */
  hitGain: number
  /** HIT_GAIN_SHARE (see hitGain). */
  hitGainShare: number
  /** RESEARCH ...1: the share counts the window's leavers only (the engines' leave share, DRIFT_GROW_HIT's); 0: also tail keys that go round (CLOCK window). */
  hitGainLeave: number
  /** HIT_GAIN_MAIN ...and (0: not asked) only while the last drift block's returns from main's ghost were at most this × the returns of rejected candidates that counted (a moved hot set's old keys do not come back; a standing one's, a trace's frequent keys do). */
  hitGainMain: number
  /** HIT_GAIN_RUNS ...only after this many drift blocks in a row met both conditions (1: the last block's; a trace's lone blocks do not, a moved hot set's do). */
  hitGainRuns: number
  /** RESEARCH ...at each drift block that does not meet them, this share of the window growth hitGain added (beyond askedGain) and still stands is given back (0: kept; as DRIFT_GROW_DECAY). */
  hitGainDecay: number
  /** RESEARCH ...only while the window target is under this × capacity (0: up to the maximum). */
  hitGainMax: number
  /** RESEARCH ...the give-back only at blocks whose ratio of main's ghost returns to the counted candidates' is at least this (frequency is winning; 0: at every block that does not meet the conditions). */
  hitGainBack: number
  /** HIT_GAIN_UNDO (stop 47, tracegate): at the end of a drift block in which the gain applied, if that block's ratio of main's ghost returns to the counted candidates' returns is at least this, the window growth the gain made in that block is given back at once (0: off). A moved hot set's old keys stay away after the jump (ratio 0.00-0.14 in that block); on OLTP a lone opening took the window 0.04 -> 0.9 and main's keys came back at once (0.47, then 2.3). */
  hitGainUndo: number
  /** RESEARCH (stop 47, tracegate; off): at the end of the drift block after one whose HIT_GAIN growth stood, if the counted candidate returns in it were under this × the block's length, that growth is given back (the window jumped and nothing more came back: P3's scans; a moved hot set's new keys keep returning, 0.03-0.08 per insert). Not adopted: model-engine traces' mean - best known +0.49 / +0.35 / +0.25 / +0.41 -> +0.53 / +0.36 / +0.26 / +0.40 (seeds d / 1 / 2 / 3; 0.005 and 0.01 alike), all from P3 8192, whose ~4% hit ratio moves both ways (seed d 3.90 -> 4.48, seed 3 4.12 -> 3.99); moving rows at 10k unchanged. */
  hitGainDry: number
  /** HIT_GAIN_NO_AGE ...1: the growth hitGain added does not count towards an early ageing (AGE_ON_GROWTH's base moves up with it; as shadowNoAge). */
  hitGainNoAge: number
  /** UNASKED_KEEP (stop 47): 1: while main's keys are quiet (quietMain) the miss filter's clearing keeps the 'written unasked' bits. */
  unaskedKeep: number
  /** QUIET_MAIN (stop 47): a returning candidate written unasked counts onceGain times also while the last block of quietBlock ghost returns had at most this share of main returns asked for (not written unasked; 0: off). */
  quietMain: number
  /** QUIET_BLOCK (see quietMain). */
  quietBlock: number
  /** QUIET_SCALE (stop 48): a shard of fewer than quietBlock × this entries judges blocks of entries / this returns (at least quietMinBlock; 0: quietBlock always). */
  quietScale: number
  /** QUIET_MIN_BLOCK (see quietScale). */
  quietMinBlock: number
  /** SATURATED_TIE (stop 48): 1: a tie at the sketch's largest count goes to a window leaver hit in the window; 2 (research): to any candidate (0: to the victim, TinyLFU's rule). Kept at stop 57: the model reads it neutral everywhere, but the real cache at 100k entries loses zipf→write-then-read write-once 1.5×cap without it (−0.55 → −5.06). */
  saturatedTie: number
  /**
   * RESEARCH (stop 51, movingzipf; off: 0): while the window target is at least bigWin × capacity (the ghost
   * evidence says recency wins), a window leaver hit in the window beats a main victim whose estimate is at
   * most its own + bigWinSlack − 1 (bigWinSlack 0: any victim). A flat Zipf that moves leaves main (10% of
   * the cache at a window of 0.9) full of the moved-away keys, whose counts beat every newcomer until the
   * sketch halves.
   */
  bigWin: number
  bigWinSlack: number
  /** RESEARCH (stop 51): bigWin only for a victim not hit since the hand's last pass (1) — always true of victim()'s pick — or only in probation (2). */
  bigWinMode: number
  /**
   * WIN_AGE (stop 51, movingzipf; src/layout/policy.json): while HIT_GAIN's run stands at hitGainRuns and the
   * window target is at least winAge × capacity, main's victim that beats a window leaver has its count
   * halved (sketch.ageKey): at a window of 0.9 a flat Zipf that moves every 2 capacities
   * leaves main full of the moved-away keys, counts never hit again, and a victim at probation's tail then
   * rejects every newcomer until the sketch halves. RESEARCH winAgeMode, bits: 1 only a probation
   * victim; 2 only against a candidate the miss filter marks missed (asked for); 4 only on cache-aside traffic (the
   * unasked share under returnShare, as the drift gate); 8 only against a leaver hit in the window; 16 at
   * any HIT_GAIN run (the engines': only while it stands at hitGainRuns; without it the traces' mean fell 0.07); 32
   * also a victim that beats a key back from the ghost (the real cache's traces, seed d: mean − best −0.009).
   */
  winAge: number
  winAgeMode: number
  /**
   * RESEARCH (lagStale, stop 52, lagphase; docs/policy-recency.md "Stop 52, lagphase"; 0 off): after lagStale
   * window leavers written unasked lost in a row to probation's victims (each after a get hit, no get missing
   * meanwhile) with no first hit in probation since, probation is taken as stale: until its next first hit such
   * a leaver beats probation's victims, each win counting ONCE_GAIN towards a bigger window. Lifts reads 0.5 ×
   * capacity late right after a scan or a Zipf phase (probe rows under LRU − 1 89 / 90 / 97 → 85 / 87 / 96 at
   * 16), but a hot set as large as the cache beside sets never read (test/policy/admission.test.ts) looks the
   * same to it: 0.895 → 0.777 of hot gets hit on the model, 0.788 on both engines against the test's 0.92. Not
   * in the engines (the port, POLICY lagRun / lagOpen / lagHit, was written and removed).
   */
  lagStale: number
  /**
   * RESEARCH variants of lagStale, bits: 1 the victims evicted by the rule are window candidates in the ghost;
   * 2 any leaver (not only one written unasked) counts and wins; 4 only while the window is at its floor; 8 no
   * growth per win (16: UNASKED_GAIN instead of ONCE_GAIN); 32 a loss counts without a get hit since the last
   * one (a fill decides too); 64 a get that misses does not start the run again; 128 a first hit in probation
   * ends the stale state only on a key the sketch has seen at most LATE_FREQUENCY times; 256 a get that misses
   * ends the stale state too; 512 only while the hot share is under ONCE_HOT_SHARE; 1024 any hit in probation
   * ends it (not only a first one); 2048 as 1024 but not a repeated hit on the same key; 4096 only while the
   * unasked share is under RETURN_SHARE (a turn from cache-aside to writes). 0: the form the port had.
   */
  lagStaleMode: number
  /**
   * RESEARCH (stop 54, movewrites; default 0, off; not in the engines): how the drift gate (DRIFT_SWEEP's fall,
   * STALE_GATE, the research deadGate / jumpGate) judges the traffic cache-aside. 0 (the engines'): the unasked
   * share under RETURN_SHARE. Writes of new keys never read beside a cache-aside hot set (w0.1-0.3) push that share
   * over 0.15, and the gate never opens for a hot set that moves. Bits: 1 also while the hot share (ONCE_HOT_SHARE's:
   * inserts that are asked-for returns from the ghost) is at least asideHot; 2 also while the unasked share is under
   * asideShare.
   */
  asideGate: number
  /**
   * RESEARCH (stop 54, movewrites; default 0, off; not in the engines): RETURN_TO places in probation only a key the
   * miss filter marks written unasked (a write-back: a key first stored by a set no get asked for, now loaded after
   * a miss); any other asked-for key (a cache-aside hot set's load) enters the window. Beside writes of new keys the
   * unasked share sits inside RETURN_TO's band and a hot set's returns from the ghost switch it on, so a moved hot
   * set's new keys went to probation (2% of the cache) and were lost there. 2: also a key back from the ghost (a
   * standing hot set's returns beside write-once traffic: probation keeps the window for the newest writes, once-zipf
   * lost up to 4 points with 1); only a key neither marked nor back from the ghost (a moved set's new key) enters.
   * Both lost once-zipf (a standing hot set's loads in probation are what keeps the window for the writes read
   * there); RETURN_READ_MIN was adopted instead.
   */
  rtMarked: number
  /**
   * RETURN_READ_MIN (src/layout/policy.json; stop 54, movewrites): RETURN_TO places nothing while fewer than this share
   * of the new keys (written unasked; YOUNG_TEST's tracers placed once the shard was full) are read at all before
   * YOUNG_KEEP × capacity first writes: writes never read beside a cache-aside hot set are no write-then-read
   * traffic, and the asked-for inserts are the hot set's loads (0: off).
   */
  rtReadMin: number
  /** RESEARCH (asideGate 1): the least hot share. */
  asideHot: number
  /** RESEARCH (asideGate 2): the unasked share's bound. */
  asideShare: number
  /**
   * MISS_RUN (engines since stop 54, lagport; src/layout/policy.json; the model's knob since stop 53, lagreal): after
   * missRun gets in a row missed (none hit; a cache-aside load's set takes its get's miss off: missRunMode 128), a
   * window leaver written unasked beats probation's victim and the window target jumps to COLD_WINDOW's level with the
   * shed (missRunMode 32). A lag phase whose opening reads keys of before the phase (recency-sweep.ts's `lagx`) misses
   * every get there; the admission test's hot gets hit. 0: off.
   */
  missRun: number
  /**
   * LATE_FLAG (lateFlag, stop 54; the engines' value 1): the 'written unasked' mark read from the entry (its UNASKED
   * bit: set when its insert came before any get missed it; kept by every move) instead of from the miss filter,
   * whose word is one more cache miss on a get's hit path. Bits: 1 LATE_HIT's first hit in probation; 2
   * COLD_HITS_UNASKED's hits before the first fill too (the engines' since stop 59: value 3); research: 4 the mark
   * is the filter's bit as the insert left it (other
   * keys' marks on its pair included: test/policy/admission.test.ts's probe 0.8953 -> 0.8896, where the own
   * mark gives 0.9003). 0: the filter (the form until stop 53).
   */
  lateFlag: number
  /**
   * TRACER_FLAG (tracerFlag, stop 54; the engines' value 1): a get that hits looks at YOUNG_TEST's tracer slots only for an entry
   * flagged TRACER (a slot of its class held its tag when it was inserted; the engines' ENTRY_TRACER), not for
   * every hit: the slots are one more cache miss on the hit path. The same decisions (a slot gets a tag only at
   * an insert of a key with that tag), unless a 32-bit tag collides. 0: every hit looks.
   */
  tracerFlag: number
  /**
   * RESEARCH variants of missRun, bits: 1 each win counts ONCE_GAIN towards a bigger window; 2 protected's victims
   * too; 4 only gets' misses count; 16 any window leaver (not only one written unasked: breaks scan resistance, a
   * scan misses every read); 32 a win sets the window target to COLD_WINDOW's level; 128 (stop 54, lagport) 4 as an
   * engine can count it: every get's miss counts and an insert of a key asked for (its get missed: a cache-aside
   * load) takes one off the run (an engine sees a cache-aside miss as a get, then a set); 256 (stop 54) with 32 and
   * missRunUndo > 0, MISS_UNDO's verdict on the jump. The engines' form (MISS_RUN, MISS_UNDO): 416 = 32 + 128 + 256,
   * the default; stop 53's form tried on the gates was 36.
   */
  missRunMode: number
  /**
   * RESEARCH (stop 54, lagport; 0 off): missRun's rule needs, besides missRun misses in a row, this many inserts
   * written unasked since the last hit. A lag phase's opening writes one key in ten requests while its gets miss;
   * a 404 flood is gets alone, and the first unasked write after it found the run still open (404 flood rows of
   * the sweep: +6.9 → −1.3 with missRun=256,missRunMode=36).
   */
  missRunUnasked: number
  /**
   * MISS_UNDO (engines since stop 54, lagport; with missRunMode 256): after missRun's jump, gets that hit in main count +1
   * and in the window −1; at +missRunUndo the next insert takes the target and the shed back to before the jump, at
   * −missRunUndo it stands (0: no verdict). A 404 flood with unasked writes going on through it makes a run too.
   */
  missRunUndo: number
  /**
   * MISS_UNDO_MISSES (engines since stop 54): MISS_UNDO's verdict starts at the first hit after the jump; from then a get
   * that misses counts −1, a hit ±this, and the thresholds are ±missRunUndo × this (a rate of main's hits among the
   * gets, not a count: a lag phase's opening hits a few of main's keys among many misses).
   */
  missRunUndoMisses: number
  /**
   * DRY_RUN (engines since stop 56, lagopen2; src/layout/policy.json; 0 off): after this many inserts in a row with no
   * sketch addition but their own since the insert before (gets that hit only keys whose counters are saturated add
   * nothing), missRun's win and jump (with MISS_UNDO's verdict); dryRunMode says which inserts count and how the verdict
   * reads the hits (the engines' form 765). A lag phase's opening (recency-sweep.ts `lag`: its gets read the phase's first
   * key, nine per write) looks so; the admission test's hot gets keep raising counts.
   */
  dryRun: number
  /** DRY_RUN's form (engines: 765 = 1 + 4 + 8 + 16 + 32 + 64 + 128 + 512 since stop 57, 761 before; the other bits research): bits 1 an unasked insert counts only after a get hit since the insert before; 2 the jump's verdict skips hits that added nothing; 4 an addition takes dryRunCost off the run instead of ending it; 8 inserts asked for count too; 16 after the dry jump a hit in main on an entry marked written unasked counts for it; 32 only the win that jumps; 64 a hit in main counts against the dry jump only on a key other than the last so counted; 128 an undone dry jump locks the dry run out until the next ageing; 512 bit 1's hit as a mark an insert sets and a hit clears (the engines' form). */
  dryRunMode: number
  /**
   * DRY_RUN_COST (engines since stop 57, dryport; the model's knob since stop 56, dryrobust; with dryRunMode 4): what
   * one sketch addition but the insert's own takes off the dry run (an ageing between: one addition's worth), floored
   * at 0. With a hot set read beside a lag opening (recency-sweep.ts `lagh`) 2 keeps most of DRY_RUN's gain and passes
   * the model gates; 1 and 0.5 fail the probe; a cost ≥ dryRunCap is the former form (any addition ends the run).
   */
  dryRunCost: number
  /** DRY_RUN_CAP (engines since stop 57, dryport): the dry run is held at most this long (the model: 0 unbounded). 16 lost scan→lagh→lagh 0.05·C q 0.2 (−0.01 → −6.04); 32 is unbounded's figure on every lagh row measured. */
  dryRunCap: number
  /** RESEARCH (stop 37, off): a window tail hit while in the window contests with its estimate + this (0: off). */
  windowHitBoost: number
  /** ...and then 1: its estimate halved; 2: its estimate 0; 3: it loses to a candidate seen at least twice; 4: as 3, only to a candidate written unasked; 5: it loses to a rejected candidate back from the ghost within the window horizon; 6: 4 and 5. */
  staleMode: number
  climbRestart: number
  /** Ghost capacity in entries, as a multiple of the shard's entry capacity. */
  ghostFactor: number
  /** A window-tagged ghost hit counts only if younger than this × the window's entry count... */
  windowHorizon: number
  /** ...or if the sketch has seen the key at most this often (a new key coming back, not a loop's). */
  youngFrequency: number
  /** A returning candidate written unasked counts this many times towards a bigger window (others once). */
  unaskedGain: number
  /**
   * One block in this many of the engine's sketch area is the miss filter (0: none); the model gives
   * each key a pair of bits at the same density (32 / (share − 1) bits per expected entry).
   */
  missFilterShare: number
  /** The sketch also halves when the window grew by this × capacity above its lowest point since the last such halving (0: never). */
  ageOnGrowth: number
  /** Early halvings at least ageSpacing × capacity sketch increments apart (0: no bound). */
  ageSpacing: number
  /** Sketch counters per row = nextPow2(capacity) × sketchWidth. */
  sketchWidth: number
  /** Sketch halves after sketchSample × capacity increments. */
  sketchSample: number
  /** A doorkeeper Bloom filter in front of the sketch (measured: no gain; off). */
  doorkeeper: boolean
  /**
   * RESEARCH (stop 42, issue #18's set cost): a newcomer is not looked up in the ghost when nothing says
   * it was ever inserted (a ghost entry exists only for a key that was): 1: its miss-filter pair was clear
   * (neither missed nor written unasked since the filter was last cleared); 2: or its sketch estimate,
   * this set's count included, is at most 1. A key back from the ghost after a clear (halving, early
   * ageing) and not missed since is then taken for a new one. The engines' gain: one random cache line
   * (the newcomer's ghost bucket) on the sets the gate skips. 0: off.
   */
  ghostGate: number
  /** RESEARCH (stop 41, bench/sim/sketch.ts SketchOptions.layout): 0 four rows; 1 a key's four counters in one 64-bit word; 2 as 1 with conservative update. */
  sketchLayout: number
  /**
   * Whether a sketch increment that raises no counter (all four saturated at 15) counts towards the
   * halving. false, the engines' rule (assembly/sketch.ts countAccess: a saturated key writes nothing,
   * not even the shard's count); true, the model's until stop 43 (model-gap), under which a saturated
   * hot set aged the model's sketch sooner than the engines': 0.25 of the 0.37 the model read above the
   * real cache on Zipf moving every 2 capacities. Pinned by test/conformance/lockstep.test.ts.
   */
  sketchCountSaturated: boolean
  /** RESEARCH (stop 57, movingage; 0 off): the share of a sketch increment that raises no counter (a saturated key's) still counted towards the halving. */
  ageSat: number
  /** RESEARCH (stop 57): when ageSat applies: 0 always; 1 while the drift gate is open; 2 while the gate STALE_FAST opened is. */
  ageSatMode: number
  /** STALE_FAST_HALVE (stop 57 movingage; engines since stop 58, movingport; src/layout/policy.json): while the gate STALE_FAST opened stays open, the sketch halves every this many drift blocks after the opening (0: off), under staleFastHalveMode's condition. */
  staleFastHalve: number
  /** RESEARCH (stop 57): STALE_FAST_AGE's ageing shifts the victim's counters right by this (1: halved, the engines'; 4: zeroed). */
  staleFastShift: number
  /** staleFastHalve's condition, bits: 2 (the engines', stop 58) only while the window target is at most STALE_FAST_AGE's bound (staleFastAgeWindow); RESEARCH 1 only at a block whose stale test is met (protected's hand still finds unhit entries); 0: at any window (stop 57: the engines' sketch and ghost lost the s0.99 sweep row, −1.26/−0.88 → −1.65/−1.78). */
  staleFastHalveMode: number
  /** STALE_FAST_HALVE_DRIFT (stop 58, movingport; src/layout/policy.json; 0 any): staleFastHalve only at a block whose drift signal is under this (a loop a little larger than the cache brings every insert back from the ghost, 0.82-1.0; a moved hot set 0.1-0.3 while the gate holds). */
  staleFastHalveDrift: number
  /** RESEARCH (stop 57): extra sketch halvings when the gate STALE_FAST opened opens (beside STALE_HALVE's; 0: none). */
  staleFastOpenHalve: number
  /** RESEARCH (stop 57, movingage; 0 off): each insert also advances the halving's clock by this many additions. */
  ageInsert: number
  /** STALE_FAST_AGE_WINDOW (stop 57 movingage; engines since stop 58): STALE_FAST_AGE 1's and staleFastHalve's window bound × capacity, apart from the firing's (staleFastWindow; RESEARCH 0: staleFastWindow's). */
  staleFastAgeWindow: number
  /**
   * RESEARCH (stop 43, model-gap): 1 = the engines' ghost (assembly/ghost.ts): 8-slot buckets, the
   * oldest slot of a full bucket replaced, and tag counts estimated per epoch of ghost-size additions;
   * 0 = the exact FIFO ghost with exact tag counts.
   */
  ghostBuckets: number
  /** Candidates at least this frequent that lose a contest are admitted with probability 1/warmOdds. */
  warmFrequency: number
  warmOdds: number
  /** Most queue-tail operations one victim search may do before it takes the tail as it is. */
  maxTailOps: number
  /** Engines only (the model has no segments): see LARGE_TIE_FREQUENCY in src/layout/policy.json. */
  largeTieFrequency: number
  /** Byte mode: only a newcomer above this × the mean entry contests up front (BIG_NEWCOMER in src/layout/policy.json). */
  bigNewcomer: number
  /** A ghost hit counts only if younger than this × the capacity in entries (Infinity: no bound). */
  horizon: number
  /**
   * UNASKED_TIE in src/layout/policy.json (1 there: in both engines, on; stop 33): a tie between a
   * newcomer written unasked and main's victim, both seen at most once, goes to the newcomer; the
   * victim's ghost entry tagged as main's. RESEARCH modes, model only (stop 31, docs/policy-recency.md
   * "Stop 31"): 3: the victim leaves no ghost entry; 4: as 3, and only against a victim itself written
   * unasked and never missed; 5: as 4, only while the window target is above its floor (0: off).
   */
  tieUnasked: number
  /**
   * RESEARCH (stop 58, mutants58; 0: the engines' form): 1: on write-once traffic too, a newcomer wins UNASKED_TIE's tie only
   * with its miss filter mark (the engines' mutant once-tie-needs-mark), so the rule's write-once half can be measured.
   */
  onceTieMark: number
  /** RESEARCH (stop 31, off): growth evidence the window's maximum cuts off still counts towards the early ageing (0: off). */
  ageAtMax: number
  /**
   * Stop 32 (RETURN_TO … RETURN_SPAN in src/layout/policy.json, 5 there: in both engines, on;
   * docs/policy-recency.md "Stop 32"): once the window target is at least returnLevel × capacity, a key
   * written back enters probation instead of the window. 5 (the engines' when on): a key back from the
   * ghost that lost its contest, or any key the miss filter marks missed, while the rule is on: switched
   * on by a key back from the ghost while the share of inserts written unasked (averaged over
   * returnSpan × capacity inserts) is within [returnShare, returnMax], off when it falls under
   * returnShare. RESEARCH modes, model only: 1: only keys back from the ghost; 2: also any key marked
   * missed, always; 3: as 2 while the share is in the band; 4: as 3 with 5's hysteresis, switched on by
   * any such key; 6: as 5, switched on only by a key back from the ghost marked written unasked (0: off).
   */
  returnTo: number
  /**
   * ONCE_SHARE and ONCE_MAX_WINDOW in src/layout/policy.json (stop 37, docs/policy-recency.md "Stop 37"):
   * while the share of inserts written unasked (unaskedShare) is at least onceShare, the window's maximum
   * is onceMaxWindow instead of maxWindow, and the tie (tieUnasked) goes to a newcomer seen at most once
   * without its miss filter mark (0: off).
   */
  onceShare: number
  onceMaxWindow: number
  /** RESEARCH (off: 0): on write-once traffic a newcomer seen at most once also beats a victim seen at most onceMargin times. */
  onceMargin: number
  /** COLD_WINDOW (src/layout/policy.json): when the cache first fills with at least coldShare of the inserts written unasked and coldHits × capacity hits so far, the window target starts at coldWindow × capacity. */
  coldWindow: number
  coldShare: number
  coldHits: number
  /** COLD_HITS_UNASKED: 1: only hits on keys the miss filter marks written unasked count towards coldHits. */
  coldHitsUnasked: number
  /** ONCE_GAIN: on write-once traffic (share ≥ onceShare) a returning candidate written unasked counts this many times instead of unaskedGain. */
  onceGain: number
  /** ONCE_HOT_SHARE: onceMaxWindow holds only while the share of inserts that are cache-aside returns (hotShare) is under this. */
  onceHotShare: number
  returnLevel: number
  returnShare: number
  returnMax: number
  returnSpan: number
  /**
   * RESEARCH (stop 49, sweep18; 0: off, not in the engines): RETURN_TO also switches off while the share
   * of inserts written unasked is under this (RETURN_SHARE alone when lower). Reads over the writes
   * 0.8–1.3 × capacity ago, written back (bench/arena/recency-sweep.ts 'delay 0.8C+0.5C back'), run at a
   * share of 0.16–0.19 with the rule on, and probation (2% of the cache at a window of 0.9) drops the
   * write-backs before their next read: 0.5 takes that row from −22.6 to −0.8 vs LRU (model, 10k), but
   * 'mix w0.05 uniform 1.2C back' (where the rule pays, at a share under 0.3) from +1.3 to −1.4.
   */
  returnFloor: number
  /**
   * FREE_TAG (src/layout/policy.json, 4 there: in both engines since stop 50, lagonce; stop 49 sweep18 and
   * lead as research): main's victim that entered probation from the window without a contest (the cache
   * had room, as after a fill or in byte mode after a larger victim left) and was never hit there goes to
   * the ghost as a window candidate, not as main's. RESEARCH modes, model only: 1 always; 2 while the
   * unasked share is at least lateShare (1, beside lateHit: the traces' mean over the best known 0.423 ->
   * 0.237); 3 (stop 50): as 2, tagged only when the cache had room before the leaver (excess < 0), not the
   * room a window shrink gets (lag 0.9C once -6.63). 4 (the engines'): as 2, only while the window target
   * is at least returnLevel × capacity ('404 0.2 fresh back' -1.25 with 2, -0.27 with 4: a fill's
   * never-read keys tagged as candidates grew the window).
   */
  freeTag: number
  /**
   * LATE_HIT (src/layout/policy.json, 3 there: in both engines since stop 50, lagonce; stop 49 lead as
   * research): a get's first hit in probation on a key written unasked grows the window by ONCE_GAIN, as a
   * window candidate's return from the ghost does (keys read only after they left the window: each read
   * k·C writes after its write). RESEARCH modes 1: while writeOnce(ONCE_SHARE); 2: while the unasked share
   * is at least lateShare. 3 (the engines'): as 2, not while the share of cache-aside returns is at least
   * ONCE_HOT_SHARE (a hot set read beside the writes). See docs/policy-recency.md "Stop 49, lead", "Stop 50, lagonce".
   */
  lateHit: number
  /**
   * MISS_CLEAR (src/layout/policy.json; 1 in the engines). RESEARCH 2 (stop 50, lead; not in the engines):
   * the 'missed' bits are cleared midway between halvings instead, whatever the traffic: the phases family
   * at 400k, one shard, −1.81 → +0.43, but the traces' mean over the best known 0.423 → −0.242 (gli 1000
   * 50.52 → 46.20: YOUNG_FREQUENCY's first misses of a loop's keys need the long memory).
   */
  missClear: number
  /** RETURN_SAMPLE (src/layout/policy.json; stop 50, delayback): RETURN_TO tests itself on one write-back in this many, let into the window (0: no test). */
  returnSample: number
  /** RETURN_TEST_NEW: the step of the running mean of the hits new keys (not 'missed') take in the window. */
  returnTestNew: number
  /** RETURN_TEST_BACK: the step of the running mean of the hits the sampled write-backs take in the window. */
  returnTestBack: number
  /**
   * RESEARCH (stop 50, lagonce; 0: off, not in the engines): at the end of a drift block whose ghost returns
   * of main's keys are at least this × the rejected candidates' (and at least one), the window growth
   * lateHit made that still stands is given back at once. Tried on the once-zipf mix lateHit lost (w0.1
   * r0.2 uniform k1.5 once, before LATE_SHARE): the growth went back (0.9 -> 0.16) but the window grew
   * again to 0.84 within 20 capacities on ARC's ghost weights (main-tagged entries 9 in 10: each candidate
   * return counts ten), as the model without lateHit does after 60 capacities: 1 and 0.5 gave +0.92 /
   * -0.63, 2 +0.04 / -1.64 (whole / second half). Not adopted.
   */
  lateUndo: number
  /** RESEARCH (stop 50, lagonce; 0: ONCE_GAIN): what a late first hit (lateHit) counts towards a bigger window. */
  lateGain: number
  /** RESEARCH (stop 50, lagonce; 0: off): 1: the window growth lateHit makes does not count towards an early ageing (AGE_ON_GROWTH's base moves up with it, as HIT_GAIN_NO_AGE). */
  lateNoAge: number
  /**
   * RESEARCH (LATE_ASIDE in both engines at 1 from stop 51, delayrows, to stop 57; retired at stop 58, mutants58: no row
   * on the real cache or the model needed it any more): when LATE_HIT stands aside. 1: while RETURN_TO is on (write-backs are being placed: the keys read late are then being
   * written back too, and the late hits only cancel the shrink main's returns ask for). RESEARCH 2 (not in
   * the engines): only while RETURN_TEST also vetoes RETURN_TO (its verdict comes too late: no change).
   */
  lateAside: number
  /** NET_EVIDENCE (engines since stop 51, burstclass; src/layout/policy.json): with at least this many main returns among the ghost evidence gathered between two inserts, the window moves by its net (grow × its ratio − shrink × its ratio, in mean entries) instead of the growth capped at the maximum and then the shrink (0: off; 1: every time both kinds came). */
  netEvidence: number
  /** ONCE_FIFO (engines since stop 51, burstclass): 1: WINDOW_CLOCK_ASKED sends no key round while ONCE_MAX_WINDOW's condition holds (write-once traffic stores nothing on a miss, so a 'missed' mark in its window is the filter's false positive). */
  onceFifo: number
  /** RESEARCH (stop 51, burstclass; off): 1: when COLD_WINDOW fires, main's entries lose their hit counts (the fill's reads are over: burst 0.65C ×3 once, the second burst's keys admitted free are main's first victims while the first burst's, read and dead, go round). */
  coldClear: number
  /**
   * RESEARCH (stop 52, mildclass; off, not adopted: the probe's seed 2 breaks two written-back rows): protected's
   * overflow while main is over its share (sizeP + sizeM above capacity − window target: the window target grew
   * and main sheds) does not send its unhit tail back to probation's head. 1: it goes to probation's tail (the next
   * victim; the engines' queues have no such insertion); 2: the same always; 3: the engines' form of 1, the victim
   * search returns it as the victim; 4: 3, not while RETURN_TO is on; 5: 3, only while main is over its share by
   * a quarter of the cache. Burst 0.65C ×3 once: the lazy promotion cycled the first burst's keys, read and dead,
   * behind the second burst's, which main then evicted (−5.23 → 0.00 with 1, 3, 4 or 5). 6 (stop 53, burst06): 3
   * only during COLD_WINDOW's shed, from the fill at which it fired until a victim is sought with main no longer
   * over its share (cache-aside traffic never fires COLD_WINDOW: the traces and moving hot sets are untouched).
   */
  demoteShed: number
  /**
   * RESEARCH (stop 53, lagopen; 0 off): demoteShed 3's shed (protected's overflow gives its first unhit tail entry as
   * the victim instead of demoting it to probation's head, while main is over its share) only within lagShed ×
   * capacity inserts after the shard first filled, and (unless lagShedMode bit 1) while the unasked share is at least
   * LATE_SHARE. At the first fill under write-then-read traffic probation holds the keys the fill wrote freely, not
   * read yet; a window target that jumped (COLD_WINDOW, LATE_HIT's growth) sheds main, and the keys read while it
   * filled, promoted and then demoted to probation's head, go round behind them: `once→lag`, `back→lag` and
   * `lag→…` from empty lose the lag keys about to be read. Not adopted (docs/policy-recency.md "Stop 53, lagopen"):
   * lagShed=0.5,lagShedMode=8 takes the probe from 80 / 82 / 87 to 70 / 67 / 74 rows and leaves traces, suite and
   * once-zipf as they are, but seed 2's `phases back→loop→scan→lag 14C` at 4600 falls +0.08 → −4.51 (the loop then
   * shrinks a window base left at 0.9, and the lag phase opens at the floor).
   */
  lagShed: number
  /** RESEARCH (lagShed's variants, bits): 1 no unasked-share gate; 2 the span counts from the last window-target jump of at least a quarter of the cache (COLD_WINDOW, a lift), not the first fill; 4 not while RETURN_TO is on; 8 only if COLD_WINDOW fired at the first fill. */
  lagShedMode: number
  /** ONCE_LIFT (engines since stop 52, mildclass; src/layout/policy.json): 1: at an insert where ONCE_MAX_WINDOW's condition holds and the window target is exactly MAX_WINDOW × capacity (growth capped there, or COLD_WINDOW, before the unasked share reached ONCE_SHARE), the target rises to ONCE_MAX_WINDOW at once. RESEARCH 2 (not in the engines): any target from MAX_WINDOW up to ONCE_MAX_WINDOW (undoes shrinks; a delay row written back fell −0.77 → −2.76). RESEARCH 3 / 4: 1, and a target still exactly at ONCE_MAX_WINDOW goes back to MAX_WINDOW when the condition ends (3) or once the unasked share is under RETURN_SHARE (4) (3 broke two bursts written back, 4 did not mend the lag phase it was for). 0: off. */
  onceLift: number
  /** RESEARCH (stop 52, lead): a get's hit counts in the sketch with probability 1/hitSample, as hitSample accesses (an unbiased count at a fraction of the sketch's cache-line cost; 1: every hit counts once, the engines'). */
  hitSample: number
  /** RESEARCH (stop 52, lead): hits on an entry whose 2-bit hit counter is below this count exactly (0: every hit is sampled). */
  hitSampleRepeat: number
  /** RESEARCH (stop 52, lead): 1: LATE_FREQUENCY tests the estimate before the hit + 1 (what it reads when every hit counts once). */
  hitSampleLate: number
  /** LATE_FREQUENCY (src/layout/policy.json, 2; stop 50): lateHit only for a key the sketch has seen at most this often, this hit counted (0: no bound). */
  lateFrequency: number
  /** LATE_SHARE (src/layout/policy.json, 0.5; 0 in a research override: RETURN_SHARE): the unasked share lateHit 2-3 and freeTag 2-4 need. */
  lateShare: number
  /** RESEARCH (stop 50, partialmove; off): a protected entry that goes round under the hand keeps at most this − 1 CLOCK counts (0: off; the counter saturates at 3). */
  protClockCap: number
  /** STALE_GATE (engines since stop 50, partialmove; src/layout/policy.json): the drift gate (DRIFT_SWEEP) also opens at a block where at least this share of protected's hand steps found an entry not hit since the hand last passed it (0: off)... */
  staleGate: number
  /** STALE_MIN_STEPS ...counting at least this many hand steps in the block... */
  staleMinSteps: number
  /** RESEARCH (stop 50; off) ...1: the gate's own sweep steps count too (0, the engines': only promotions' and victim searches'). */
  staleSwept: number
  /** RESEARCH (stop 50; off) ...only while the last block's share of the window's tail keys hit in the window (HIT_GAIN's) is under this (0: any)... */
  staleTail: number
  /** STALE_RUNS ...after this many such blocks in a row (1: the block's own)... */
  staleRuns: number
  /** STALE_MAX_WINDOW ...while the window target is under this × capacity (0: any; a large window leaves protected small)... */
  staleMaxWindow: number
  /** RESEARCH (stop 50; off) ...sweeping this many steps per window insert when the stale test alone opened it (0: DRIFT_SWEEP's). */
  staleSweep: number
  /** STALE_HALVE (stop 51, in the engines; a research knob since stop 50): when the stale test alone opens the gate the sketch halves: 1 (the engines') if the early ageings' spacing allows (AGE_SPACING), RESEARCH 2 always (0: off). */
  staleHalve: number
  /** STALE_HOLD ...the gate the stale test opened stays open for this many drift blocks in all (1: the block's own; its sweep drains protected, whose hand then takes too few steps to judge). */
  staleHold: number
  /** STALE_FAST (engines since stop 56, movingwhole; src/layout/policy.json): the stale test passes at once (STALE_RUNS not awaited) at a block where at
   * least this share of protected's hand steps found an unhit entry (0: off). A hot set that moves at a low miss ratio
   * (Zipf 1.1 over 2 keys per entry) has drift blocks of 1.5-2.5 capacities of requests, so STALE_RUNS' 4 blocks come
   * 6-10 capacities after the move; the share there reads 0.6-0.83 from the second block on. */
  staleFast: number
  /** STALE_FAST_* (stop 56) ...staleFast only while the window target is at most this × capacity (0: any window STALE_MAX_WINDOW allows). */
  staleFastWindow: number
  /** STALE_FAST_* (stop 56) ...staleFast only at a block whose drift signal (the share of inserts back from the ghost) is at
   * least this (0: any): a moved hot set's new keys come back from the ghost (0.30-0.48 at these blocks), where OLTP's
   * and P3's blocks at a stale share of 0.55 or more read 0.04-0.19 (P3 131072 once 0.34, at 0.48 × its peak). */
  staleFastDrift: number
  /** STALE_FAST_* (stop 56) ...and at least this × its decayed peak (0: any). */
  staleFastPeak: number
  /** STALE_FAST_* (stop 56) ...staleFast only at a block where at least this share of the window's tail keys were hit there
   * (HIT_GAIN's tail share; 0: any): a moved hot set's new keys are read in the window (0.06-0.11 at these blocks), a
   * loop's never (0.000: a loop larger than the cache also brings every key back from the ghost, stale share 1.0). */
  staleFastTail: number
  /** STALE_FAST_* (stop 56) ...the gate staleFast opened stays open for this many drift blocks in all (0: STALE_HOLD's). */
  staleFastHold: number
  /** STALE_FAST_* (stop 56) ...while the gate staleFast opened is open, main's victim that beats a window leaver has its counts
   * halved (WIN_AGE's ageing: the sweep demotes the moved-away keys to probation with counts the newcomers cannot beat):
   * 1 (the engines') while the window target is at most staleFastWindow × capacity; RESEARCH 2 at any window, 3 while
   * protected holds under half its target (0: off). */
  staleFastAge: number
  /** RESEARCH (stop 53, moving3; off): the stale test also passes at a block where at least this share of protected's
   * demotions (the hand's, not the gate's own sweep: deadMode 1 counts those too) were keys the sketch still rates at
   * deadFreq or more: a moved-away hot set's keys leave protected unhit with their counts (0: off). */
  deadGate: number
  /** RESEARCH (stop 53) ...the estimate a demoted key needs to count as dead-but-rated (deadMode 2: this × the block's mean victim estimate). */
  deadFreq: number
  /** RESEARCH (stop 53) ...bits: 1 swept demotions count; 2 deadFreq relative to the contests' mean victim estimate; 4 the opening needs the window at its floor. */
  deadMode: number
  /** RESEARCH (stop 53) ...with at least this many demotions in the block. */
  deadMin: number
  /** RESEARCH (stop 53, moving3; off): the stale test also passes at a block whose miss ratio (inserts over the sketch's
   * additions in the block; a block with a halving in it is skipped) is at least this × its reference, the running
   * minimum that rises by jumpRise of the gap per block: a hot set that moved in part leaves the cache's misses up
   * (0: off). */
  jumpGate: number
  /** RESEARCH (stop 53) ...the reference's rise per block towards a higher miss ratio. */
  jumpRise: number
  /** RESEARCH (stop 53) ...bits: 1 only while the window target is at its floor; 4 the block's gets counted as such (hits and misses), not as the sketch's additions; 8 only those of a hash sample (jumpSample); 32 the response is a window growth (jumpGrow), not the gate. */
  jumpMode: number
  /** RESEARCH (stop 53) ...only at a block whose share of inserts back from the ghost (the drift signal) is at least this × its decayed peak: a scan's or new keys' misses lower it, a hot set that moved in part does not (0: any). */
  jumpDrift: number
  /** RESEARCH (stop 53) ...only while the window target is under this × capacity (0: STALE_MAX_WINDOW's bound alone). */
  jumpMaxWindow: number
  /** RESEARCH (stop 53) ...with jumpMode 32, the window growth at a qualifying block (× capacity). */
  jumpGrow: number
  /** RESEARCH (stop 53) ...only at a block whose share of inserts back from the ghost is at least this (a hot set read
   * again: its misses are keys the cache had; the traces' jumps bring mostly keys it never had). */
  jumpLevel: number
  /** RESEARCH (stop 53) ...with jumpMode 8, the gets and inserts counted are those of one key in this many (by hash; a power of two). */
  jumpSample: number
  /** RESEARCH (stop 53) ...only at a block where at least this share of the ghost contests were won (a loop's returns lose theirs; 0: any). */
  jumpWin: number
  /** RESEARCH (stop 53) ...only at a block whose miss ratio is at most this (a loop's or a scan's reads miss nearly all; 0: any). */
  jumpMaxMiss: number
  /** RESEARCH (stop 53) ...only at a block whose drift signal is at most this × its peak before the block (a phase change brings the ghost's keys back at once; a hot set moving in part keeps the share where it was; 0: any). */
  jumpDriftMax: number
}

/**
 * The engines' constants come from src/layout/policy.json (generated into ENGINE_TUNING), so the model
 * measures what users get; the rest are the model's own research knobs (its sketch and ghost are
 * exact structures where the engines use blocked, bucketed ones).
 */
export const TUNING: Tuning = {
  ...ENGINE_TUNING,
  ghostFactor: 1,
  climbSample: 0,
  protSweep: 0,
  driftSample: 0,
  driftSpan: 0,
  returnSweepDrift: 0,
  driftHalve: 0,
  driftSignal: 2,
  driftSteps: 0.1,
  driftSweepCounts: 0,
  driftOpenSpan: 0,
  driftOpenPeak: 0,
  driftFullSweep: 0,
  driftAdmit: 0,
  driftHold: 0,
  driftGrowLevel: 0,
  driftGrowAny: 1,
  driftGrowUndo: 0,
  driftProt: 0,
  driftGrowGap: 0,
  moveTie: 0,
  moveSpan: 8,
  moveTieHit: 0,
  moveHalve: 0,
  moveQual: 1,
  moveStale: 0,
  moveSweep: 0,
  moveFlush: 0,
  moveFlushGhost: 0,
  moveGapMax: 0,
  moveUnhit: 0,
  movePre: 0,
  movePreSpare: 0,
  moveProt: 0,
  moveCancel: 0,
  moveEvict: 0,
  moveAge: 1,
  ageSweep: 0,
  sweepRate: 4,
  windowClock: false,
  climbStep: 0.0625,
  climbDecay: 0.98,
  regretAge: 0,
  regretMode: 0,
  demoteAge: 0,
  staleAfter: 0,
  returnSweep: 0,
  returnSweepYoung: 0,
  returnSweepFull: 0,
  returnSweepLevel: 0,
  returnSweepProb: 0,
  returnSweepMinFreq: 0,
  returnSweepKeep: 0,
  returnSweepEvict: 0,
  returnSweepStale: 0,
  staleWeight: 0.004,
  returnSweepProbe: 0,
  staleHitOnly: 0,
  returnFloor: 0,
  lateUndo: 0,
  lateGain: 0,
  lateNoAge: 0,
  coldClear: 0,
  demoteShed: 0,
  lagShed: 0,
  lagShedMode: 0,
  hitSample: 1,
  hitSampleRepeat: 0,
  hitSampleLate: 0,
  protClockCap: 0,
  staleSwept: 0,
  deadGate: 0,
  deadFreq: 8,
  deadMode: 0,
  deadMin: 32,
  jumpGate: 0,
  jumpRise: 0.25,
  jumpMode: 0,
  jumpDrift: 0,
  jumpMaxWindow: 0,
  jumpGrow: 0.2,
  jumpLevel: 0,
  jumpSample: 0,
  jumpWin: 0,
  jumpMaxMiss: 0,
  jumpDriftMax: 0,
  staleTail: 0,
  staleSweep: 0,
  promoteCredit: 0,
  rotateWinner: 0,
  youngNoMiss: 0,
  youngHyst: 0,
  youngOnce: 0,
  rotateAfter: 0,
  rotateNarrow: 0,
  windowClockLevel: 0,
  clockMaxWindow: 0,
  shadowRate: 0,
  shadowBlock: 1,
  shadowMargin: 1,
  shadowGrow: 0.1,
  shadowKeep: 0,
  shadowDecay: 0,
  shadowBack: 0,
  shadowMoveSpan: 0,
  shadowMin: 0,
  shadowNoAge: 0,
  askedGain: 1,
  hitGainLeave: 0,
  hitGainDecay: 0,
  hitGainMax: 0,
  hitGainBack: 0,
  hitGainDry: 0,
  windowHitBoost: 0,
  windowClockFlag: 0,
  windowClockHit: 0.8,
  windowClockBlock: 0.25,
  bigWin: 0,
  bigWinSlack: 0,
  bigWinMode: 0,
  winAgeMode: 0,
  lagStale: 0,
  lagStaleMode: 0,
  asideGate: 0,
  rtMarked: 0,
  asideHot: 0.02,
  asideShare: 0.6,
  missRunMode: 416,
  missRunUnasked: 0,
  onceTieMark: 0,
  lateAside: 0,
  dryRunMode: 765,
  staleMode: 1,
  climbRestart: 0.05,

  horizon: Infinity,
  ageAtMax: 0,
  onceMargin: 0,
  sketchWidth: 4,
  doorkeeper: false,
  ghostGate: 0,
  sketchLayout: 0,
  sketchCountSaturated: false,
  ageSat: 0,
  ageSatMode: 0,
  staleFastShift: 1,
  staleFastHalveMode: 2,
  staleFastOpenHalve: 0,
  ageInsert: 0,
  ghostBuckets: 0,
}

/**
 * The engines' structures where the model's defaults are exact ones (stop 43, model-gap): the blocked
 * sketch with the engines' block count and the bucketed ghost. With them and the real cache's shard
 * count (`npm run sim -- --policy model-engine`), the model reads within 0.1 of the real cache on the
 * recency families at 10k and 100k entries (mean |difference| 0.09 / 0.12), against 0.26 / 0.39 for
 * the exact structures on one shard. Research on a row where the two differ should be checked on it.
 */
export const ENGINE_STRUCTURES: Partial<Tuning> = { sketchLayout: 4, ghostBuckets: 1 }
