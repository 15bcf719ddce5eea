/**
 * The front: a small per-thread map of the hottest entries' decoded values on the JS heap, in front of
 * the arena, so the hot set is served at the speed of a property lookup instead of a key copy, an engine call
 * and a decode. It changes speed, not decisions:
 *
 * - Never stale. A front entry remembers the arena entry its value was copied from and that entry's
 *   segment version (SEG.version in spec.json: bumped whenever an entry in the segment is killed, i.e.
 *   deleted, evicted, moved, rewritten in place or dropped by a repair, and whenever the segment is
 *   reused or cleared; kills move it only once a thread of the arena has opened a front:
 *   ARENA.frontInUse, so caches without fronts don't pay for it). A hit is served only while the
 *   version is unchanged (one load from shared memory, from a segment header that hot entries share)
 *   and before its expiry: a write from any thread, a delete, an eviction, clear(), expiry and a
 *   restore all take effect at once. The price is false invalidations: a kill in a segment drops the
 *   front's copies of its neighbours too (they are fetched again on their next get). Writes through
 *   this thread drop their key from the front.
 * - Access still counts. Every front hit is counted on its entry; an entry joins the access ring when
 *   it has RECORD_USES unrecorded hits, or when it leaves the front with fewer, and one engine call
 *   (recordAccesses) hands the ring over when it holds RING entries or FLUSH_GETS gets have passed
 *   since the last time: per entry one index lookup and what its hits record (the slot's reference
 *   bits, the policy's sketch; both stop counting at 15, so a record says at most RECORD_USES uses).
 *   A record carries the key's 64-bit hash (RESULT.hash of the arena hit that filled the slot), so the
 *   engine finds the entry's index slot by hash and offset without reading or hashing the key (stop 42). Batching by entry is what
 *   makes it cheap: recording one hit in 8 as it came (a sampled ring) cost a lookup per 8 hits, 15% of
 *   a front hit's time. What is lost: hits of an entry that changed before the drain (served from a copy
 *   that was current then; the engine skips them), and fewer than RECORD_USES hits of an entry still in
 *   the front when its thread stops without close().
 * - Same values. Strings, numbers, booleans and bigints are returned as the equal primitive they are.
 *   Objects are fronted only with `shareObjects` (then deep-frozen and shared between gets: opt-in,
 *   since by default every get returns a fresh copy); Buffers and typed arrays are never fronted.
 *
 * No object per entry (stop 41): the index (a prototype-less object since stop 44, a Map before) maps each
 * key to a slot number, and a slot's metadata lives in
 * packed typed arrays, the part a hit reads (version index, version, unrecorded hits, reference bit,
 * whether it expires, arena offset) in 16 bytes of one Int32Array, so in one cache line; the decoded values are in a
 * plain array by slot. A FrontEntry object per entry was ~104 bytes (two cache lines, ~10 MB for 100k
 * entries) and made a front hit cost 5.24 simulated LL misses against lru-cache's 1.70 (stop 40).
 *
 * Replacement is CLOCK over the slots (a hit sets a reference bit; eviction gives referenced
 * entries a second pass), bounded by an estimate of heap bytes. Which entries enter: any arena hit while
 * the front has room, then an arena hit whose key had another one shortly before (SEEN_MIN_BITS: hot
 * keys are hit often, so they get in soon; gets spread over far more keys than the front holds rarely
 * read a key twice that close, and churn it little). When the front stops paying (under PAYING of gets in a
 * window hit it; under FULL_PAYING for a full front), lookups are skipped for BYPASS gets (for a full
 * front that keeps not paying, and for a filling one that would not pay even full, twice as many each
 * time, up to MAX_SHARE_BYPASS), so a workload the front can't hold costs a countdown and three compares
 * per get (#gate); a front emptied by such a step-aside probes again filling one arena hit in FILL_EVERY
 * (#probing: ~512 entries a probing window instead of ~4096, the garbage each probe leaves).
 * A front that serves enough can still be slower than the arena for its caller's keys (keys built per
 * call): it times itself against windows that skip it, and steps aside when slower (TIMED_EVERY).
 */
import * as L from '../layout/constants.generated.js'
import type { Geometry } from '../layout/geometry.js'
import type { ArenaViews } from './views.js'
import { PLAIN_LOADS_ACQUIRE } from './acquire.js'

/** Options of the front (`front` in Cache options and in Cache.attach options: per thread). */
export interface FrontOptions {
  /**
   * Heap budget in bytes (an estimate: 2 bytes per key and string character, 16 per other primitive, 2
   * per encoded byte of a shared object, 64 of overhead per entry). Default: enough to hold the whole
   * cache when that is at most 40 MiB by this estimate (2 bytes per byte of the arena's data plus the
   * overhead per entry it can hold: a cache of 100k entries of 100 bytes is fronted whole), else 24 MiB
   * (≈ 85k entries of a 100-character value) for its hot part. Beyond it, once the front is full: a
   * table of recent arena hits that decides which keys enter (about 2 bytes per entry held, 256 KiB at
   * 85k entries; SEEN_MIN_BITS in front.ts).
   */
  maxBytes?: number
  /**
   * Front objects too, deep-frozen and shared by every get of this thread (a get then returns the same
   * frozen object each time instead of a fresh copy). Default false: objects are not fronted.
   */
  shareObjects?: boolean
}

/**
 * The default budget of a cache too large to front whole. 24 MiB (16 until stop 45): Zipf(0.99) gets over
 * 1M keys served 0.764 → 0.806 of a repeated 2^20-get sequence (bench/arena/front-miss-instructions.mjs,
 * ORDER=zipf, 85k entries instead of 57k), while a full front in a 5M-entry cache stays under issue 19's
 * limits (V8 heap ≤ 3% of lru-cache's, one full GC ≤ 5%: the memory suite, docs/front.md "Stop 45").
 */
export const DEFAULT_FRONT_BYTES = 24 << 20
/**
 * The largest default budget: a cache whose whole content the front would count at most this is fronted
 * whole by default (uniform gets over all of it then hit the front; a front holding part of them is a
 * loss: see FULL_PAYING). Measured: 100k entries of 100 bytes under 16-byte keys take 251 bytes of V8 heap
 * each in the front (24 MiB), which the estimate counts as 296; their arena counts 35 MiB.
 */
export const WHOLE_FRONT_BYTES = 40 << 20

/** The default budget for a cache of this geometry (see FrontOptions.maxBytes). */
export function defaultFrontBytes(g: Readonly<Geometry>): number {
  const whole = 2 * g.bytesTotal + ENTRY_OVERHEAD * g.maxEntriesTotal
  return whole <= WHOLE_FRONT_BYTES ? Math.max(whole, DEFAULT_FRONT_BYTES) : DEFAULT_FRONT_BYTES
}
/** Entries in the access ring, or gets since the last hand-over, that make the front hand it to the engine. */
const RING = 256
const FLUSH_GETS = 2048
/**
 * A cache of under FLUSH_SHARE × FLUSH_GETS entries hands the ring over more often: every capacity /
 * FLUSH_SHARE gets, down to a power of two, at least MIN_FLUSH_GETS (the gate's period, #period). Hits the
 * policy hears of 8 capacities late made it decide otherwise (gli at 250 entries 15.84 → 16.54 with the
 * front), and at 10k entries a hand-over every 2048 gets still moved the recency issue's phases by
 * −0.15 points, every 256 by −0.03 (stop 44, docs/front.md; FLUSH_SHARE 4: −0.15, 8: −0.13, 16: −0.20).
 */
const FLUSH_SHARE = 32
const MIN_FLUSH_GETS = 16
/**
 * Hand-overs without an eviction after which the front batches hits by RECORD_USES again (#restartFrom): a
 * cache that evicts now and then does not sweep its front (#startEager) at every eviction.
 */
const EAGER_HOLD = 64
/**
 * Unrecorded hits that put an entry in the access ring. The sketch's counters stop at 15, so one record
 * of 16 uses already says all a burst of hits can say; 32 (stop 42) halves the records a hot key costs
 * (13–17 of a hit's ~270–284 generated instructions), and delays a hot key's counts by up to 31 hits
 * instead of 15 (an entry that leaves the front hands its hits over then): with the front on, no
 * simulated row moved by more than 0.11 points (`npm run sim -- [--recency] --policy
 * cortado,cortado-front`, docs/front.md "Stop 42").
 */
const RECORD_USES = 32
/**
 * RECORD_USES, for tests and tools. The front itself reads the module-private const: V8's optimizing
 * compiler folds that to an immediate, where an exported binding is read from its module cell with a
 * hole check and a Smi check on every use (6 instructions of every front hit until stop 43).
 */
export const FRONT_RECORD_USES = RECORD_USES
/** u32s per record handed to the engine (ACCESS_RECORD_BYTES); the access ring holds as many numbers per entry. */
const RECORD_WORDS = L.ACCESS_RECORD_BYTES >>> 2
if (RECORD_WORDS !== 4) throw new Error('the front writes records of 4 u32s (#batched)')
/**
 * When the front is full, an arena hit enters it only if its key's last arena hit was recent: the key's
 * hash is in #seen, a direct-mapped table of the hashes of the last arena hits that did not enter (a
 * newer one takes an older one's place). One arena hit in 8 (FILL_EVERY) entered until stop 46, whatever
 * the key: a key read once got in as often as a hot one, and pushed a hot one out. A key read twice
 * close together is the front's evidence of heat at its own time scale (the arena's sketch ages over
 * 12 × the cache's capacity, too slowly for a front of a tenth of it: admission by the sketch locked a
 * moved hot set out). Simulated (bench/arena/front-admission.ts) on Zipf(0.99) gets over 1M keys, a
 * front of 85 019 entries, share served per 2^20 gets: 0.736 / 0.768 / 0.777 → 0.743 / 0.786 / 0.796
 * (a fresh draw each time), 0.736 / 0.813 → 0.743 / 0.828 (the same 2^20 gets repeated, as the bench
 * repeats its sequence); the hot set moving every 2^21 gets: 0.655 → 0.710 after a move, 0.737 → 0.777
 * before the next (by the sketch: 0.616-0.669 and 0.709-0.722); over 5M keys 0.640 / 0.668 / 0.679 →
 * 0.648 / 0.688 / 0.703; a 20k-entry front (2^14 places) 0.651 / 0.670 → 0.673 / 0.696.
 * The table has about half as many places as the front holds entries when it first fills (#makeSeen),
 * 2^SEEN_MIN_BITS at least.
 */
const SEEN_MIN_BITS = 8
/**
 * A probing front (emptied by a step-aside for its share: #probing) lets in one arena hit in FILL_EVERY
 * on average (#fillGap), until a window pays; a full one lets in keys by SEEN_MIN_BITS's rule.
 */
const FILL_EVERY = 8
/**
 * Gets per measuring window, and the share of them the front must serve to stay consulted. The share
 * is where the front breaks even: a get it misses costs an index miss plus its share of fills (about 130 ns
 * over 1M keys), one it serves saves an arena get less a front hit (about 300 ns), so below ~30% served
 * it slows gets down (at 5%, uniform gets over 1M keys ran at 0.92× of no front).
 */
const WINDOW = 2 * FLUSH_GETS
/** The gate's value at a hand-over while the front stands aside (see #gate). */
const ASIDE = -(1 << 30)
const PAYING = 0.3
/**
 * The share a full front must serve to stay consulted. A full front that still misses often is over
 * more keys than it holds: its hits are spread over all of it (each a few cache misses, like the arena
 * get it saves), every miss pays an index miss and its share of fills and evictions, and the collector
 * copies and promotes what enters. Measured (docs/front.md, Stop 32): uniform gets over 100k keys with
 * the default front full at 56% served ran at 0.9× of no front with stored keys and ~0.6× with keys
 * built per call; Zipf(0.99) over 1M keys at 77% served pays (1.1-1.3×).
 */
const FULL_PAYING = 0.65
/**
 * Gets that skip the front after a window in which it did not pay; for a full front doubled after each
 * further window that did not pay, up to MAX_SHARE_BYPASS (a workload the front can't hold then pays
 * for a probing window once per MAX_SHARE_BYPASS gets, not once per BYPASS), and back to BYPASS after a
 * window that paid. MAX_BYPASS bounds the step-asides whose cause a change of keys does not end: a
 * front slower than the arena for its caller's keys, values it can never hold.
 *
 * MAX_SHARE_BYPASS is also how late the front sees a change of workload from keys it can't hold to keys
 * it can: at 256 windows (2^20 gets, as MAX_BYPASS) the bench's get-zipf over 1M keys, which runs after
 * get-hit's uniform gets on the same cache, found its front stepping aside for the first ~1M Zipf gets,
 * about all of a bench run's rounds (bench/arena/front-phases.ts: 1M uniform gets, then Zipf gets
 * served 0.00 0.00 0.00 0.10 0.69 per block of 2^18), and measured a front that served nothing.
 * At 32 windows a probing window comes once per 2^17 gets (see docs/front.md, stop 39, for its cost on
 * uniform gets over 1M keys).
 */
const BYPASS = 16 * WINDOW
const MAX_SHARE_BYPASS = 32 * WINDOW
const MAX_BYPASS = 256 * WINDOW
/** The heap estimate's bytes per entry beyond its key and value (bench/peers/front-floor.ts sizes by it too). */
export const ENTRY_OVERHEAD = 64
/**
 * Self-timing: a front that serves its share can still be slower than the arena for this caller's keys.
 * A key built per call (`'user:' + id`, a fresh cons string whose hash no one has computed) costs the
 * index a flattening copy, a hash and an internalization (a Map, until stop 44: a hash and a
 * character-by-character compare) on every get, more than the arena's own lookup (which hashes the bytes in WebAssembly): at 100k keys, all fronted, gets
 * of built keys ran at 0.66-0.79x of the same cache without the front. No cheap test tells a built key
 * from a stored one in JavaScript (strings have no identity), so the front times itself: every
 * TIMED_EVERY paying windows (doubled after each timing that finds the front faster by the margin, up
 * to TIMED_MAX_EVERY) TIMED_SKIP windows skip it, and the time per get of the last is compared with that of the paying
 * windows (the least of the last TIMED_SAMPLES of each kind, so a collection or a preemption falling in
 * one window doesn't decide). The arena faster by more than TIMED_MARGIN in TIMED_VERDICTS timings in a
 * row steps the front aside (twice as long each time, as a front that doesn't serve enough); at the end
 * of each step-aside two windows consult it again, the second compared with the windows that skipped
 * it: faster than them by the margin brings it back.
 */
const TIMED_EVERY = 8
/**
 * Windows of a timed skip: the first brings the arena's data back into the CPU caches (after paying
 * windows it is cold, which made a lone skipped window slower than the arena is in steady state:
 * Zipf(0.99) gets of built keys over 100k keys, 14% slower with the front, were not found so), the
 * last is timed. For the same reason a front back after a step-aside is timed on its second window.
 */
const TIMED_SKIP = 2
const TIMED_MAX_EVERY = 256
const TIMED_SAMPLES = 3
const TIMED_MARGIN = 0.1
/**
 * A rise of the front's own time per get (the least of its last TIMED_SAMPLES paying windows) by this
 * much over what it was at the last timing makes it time itself again at once: the caller's keys may
 * have changed (keys built per call after stored ones: with the interval grown to TIMED_MAX_EVERY, the
 * bench's get-built-key after get-hit on the same cache never reached the next timing). The interval is
 * kept: a slower verdict times again after TIMED_EVERY windows anyway, and a reset to TIMED_EVERY at
 * every rise (0.25 then) made stored keys skip the front for 2–16% of their gets on a noisy host
 * (served 0.84–0.98 of a pass, 0.97–1.00 with the interval kept; stop 33's front: 1.00).
 */
const TIMED_DRIFT = 0.5
/**
 * A timed skipped window more than this many times the front's time per get is not a timing: the thread
 * did something else in it (a benchmark's other contenders ran in the middle of it, a long pause: ~500x).
 * Not lower: a front of Zipf gets over 100k stored keys is ~4x faster than the arena, and 4 here made
 * every one of its timings an outlier, timed again every 8 windows (it served 0.84 of its gets); it is
 * timed again after TIMED_EVERY paying windows, and the count of timings in a row is kept.
 */
const TIMED_OUTLIER = 20
const TIMED_VERDICTS = 2

/*
 * NOT_IN_FRONT, what a front lookup returns when it has nothing current for the key: undefined, which the front never
 * holds (fill() refuses it). A sentinel of its own (a symbol) cost a generic strict-equality call per
 * get: the value compared with it is a string, a number or the symbol, so the comparison's type feedback
 * is "any" and V8 compiles `!==` to the StrictEqual builtin (13% of a front hit's time in a profile),
 * where `!== undefined` is one pointer compare. The literal `undefined` is returned, not a module
 * constant: a module-level const is read from the module's context with a hole check on every return.
 */

/**
 * A slot's lanes in #meta (Int32Array): what a hit reads and writes, 16 bytes, so a slot never straddles
 * a cache line (a typed array's backing store is at least 16-byte aligned). The rest of a slot (its
 * key, value, estimated bytes, expiry) is in arrays a hit does not touch, except the value it returns
 * and, for an entry that expires, its expiry.
 */
const META_SHIFT = 2
const META = 1 << META_SHIFT
/** Where its segment's version is (u32 index in the views). */
const M_VERSION_IDX = 0
/** The segment version the value was copied at (as an int32: a u32 load `| 0` compares with it). */
const M_VERSION = 1
/**
 * Hits not yet recorded with the engine (from USES_SHIFT up; the slot is in the access ring once they
 * reached RECORD_USES) and the flags below it, in one word: a hit reads it for the expiry flag and
 * writes it once (one typed-array access fewer than two lanes: its bounds check and an overflow check).
 */
const M_USES = 2
/** The arena entry the value was copied from (offset in the views, as an int32: read `>>> 0`). */
const M_ADDR = 3
const USES_SHIFT = 2
const ONE_USE = 1 << USES_SHIFT
const FLAGS = ONE_USE - 1
/** A hit since the CLOCK hand last passed. */
const F_REFERENCED = 1
/** The entry has an expiry (in #expiries; without one the hit reads no clock and no expiry). */
const F_EXPIRES = 2
/**
 * loadAcquire's choice (acquire.ts), as a module-private const: V8's optimizing compiler folds it, so the
 * hit's version load is a plain load with no test (an imported binding is checked on every use, and a
 * field was a load and a compare a hit until stop 43).
 */
const PLAIN_LOADS = PLAIN_LOADS_ACQUIRE
/** Slots allocated at first (the arrays double as the front fills, up to what its budget can hold). */
const FIRST_SLOTS = 1024

export class Front {
  /**
   * Key → slot, as the own properties of a prototype-less object (V8 keeps Object.create(null) in
   * dictionary mode), not a Map. A property lookup compares internalized keys by pointer: a key stored
   * by the caller is internalized (or made a thin string pointing at its internalized copy) the first
   * time it is a property name, and from then on a lookup is a hash probe of pointers. A Map compares
   * a lookup key with each key in its bucket's chain character by character whenever they are distinct
   * string objects (two keys a bucket on average), so under Zipf(0.99) the hot keys, filled first and
   * so at the ends of their chains, paid a string comparison on most hits (bench/arena/front-count.sh:
   * see docs/front.md, Stop 44). Only string keys are looked up (a number would name the same property
   * as its string, and an object's toString would run).
   */
  readonly #index: Record<string, number> = Object.create(null) as Record<string, number>
  /** Entries in #index (an object has no size). */
  #entries = 0
  /** Every slot's lanes (META int32s each: M_VERSION_IDX, M_VERSION, M_USES, M_ADDR). */
  #meta: Int32Array
  /** Per slot: the value, the key (undefined where the slot is free), the absolute expiry (F_EXPIRES),
   * the bytes the budget counts. */
  readonly #values: unknown[] = []
  readonly #keys: (string | undefined)[] = []
  #expiries: Float64Array
  #sizes: Int32Array
  /**
   * Per slot: the key's 64-bit hash as two int32s (low, high), from the lookup that filled it; a hit's
   * record carries it, so the engine finds the entry's index slot without hashing the key again.
   */
  #hashes: Int32Array
  /**
   * Per slot: the count its unrecorded hits started from (#restartFrom when its count last restarted).
   */
  #starts: Uint8Array
  /** Gets between hand-overs of the ring (FLUSH_GETS, less for a small cache: FLUSH_SHARE). */
  readonly #period: number
  /**
   * The count an entry's unrecorded hits start from (in M_USES, and #starts): 0, or RECORD_USES − 1 while the
   * arena evicts ("eager"), so that every entry hit since its last record is recorded at the next hand-over
   * (stop 44). Hits the policy does not hear of until 32 come, or until the entry leaves
   * the front (which a stale copy does only at its next get), are hits it evicts and admits without:
   * the recency issue's phases at 10k entries lost 0.57 points with the front. While nothing is evicted
   * nothing is decided, and hits are batched by RECORD_USES as before (a front hit's cost unchanged).
   */
  #restartFrom = 0
  /** The arena's evictions (low words, summed over shards) at the last hand-over, or when the front was made. */
  #evictionsSeen: number
  /** Hand-overs since the last one that saw evictions (EAGER_HOLD). */
  #quiet = EAGER_HOLD
  /** Slots allocated, and the most the budget can hold (each entry costs at least ENTRY_OVERHEAD + a few bytes). */
  #capacity: number
  readonly #maxSlots: number
  /** Slots ever handed out (the CLOCK hand sweeps these); freed ones wait in #free. */
  #used = 0
  readonly #free: number[] = []
  #hand = 0
  readonly #maxBytes: number
  readonly #shareObjects: boolean
  readonly #g: Readonly<Geometry>
  /** The arena as u32s (segment versions are read through it). */
  #u32: Uint32Array
  /** The arena as f64s (countHits adds to this thread's frontHits counter through it). */
  #f64: Float64Array
  /**
   * This thread's lease id, as an int32 (a small integer field: a lease id over 2^31 kept as a number
   * would be a boxed double, compared in floating point), and where its slot holds it (u32 index).
   */
  #leaseIdx = 0
  #lease = 0
  #frontHitsIdx = 0
  /**
   * Front hits not yet added to the arena's frontHits counter (countHits), counted where they cost a hit
   * nothing (stop 43; a field incremented on every hit was 6 of its instructions): the gets that looked
   * the front up (#lookups, plus those of the FLUSH_GETS under way while the gate is open: FLUSH_GETS −
   * #gate) less those that missed (#missesCounted, plus this window's #windowMisses). Every lookup that
   * does not miss is a hit.
   */
  #lookups = 0
  #missesCounted = 0
  #shardsOffset: number
  #shardBytes: number
  #bytes = 0
  /**
   * The front has had to evict to admit (and is still over 7/8 of its budget): then only an arena hit
   * of a key seen shortly before enters (#seenBefore). (Testing bytes against the budget alone would be
   * true after every eviction's room was filled, and every arena hit would evict one entry.)
   */
  #full = false
  /**
   * The front was emptied by a step-aside for its share (#stepAsideForShare) and no window has paid since:
   * its probing windows fill one arena hit in FILL_EVERY, not every one (see FILL_EVERY).
   */
  #probing = false
  /**
   * Not every arena hit enters (fillsThis): #full (SEEN_MIN_BITS's rule) or #probing (FILL_EVERY), in
   * one field the arena hit reads.
   */
  #sparse = false
  /**
   * Entries that reached RECORD_USES unrecorded hits, as the records the engine takes ([arena offset,
   * RECORD_USES, hash low, hash high]: RECORD_WORDS u32s each), and their slots (whose counts restart at
   * the flush): #batchCount of RING, handed over when full. Written in place, where pushing them on a JS
   * array and copying them out at the flush cost ~8 instructions per front hit (stop 42). A record names
   * the arena entry and its key's hash, not the slot alone, because a slot is reused as soon as its
   * entry leaves.
   */
  readonly #batch = new Uint32Array(RECORD_WORDS * RING)
  readonly #batchSlots = new Int32Array(RING)
  #batchCount = 0
  /**
   * The other unrecorded hits that go to the engine at the next flush, as [arena offset, x, hash low,
   * hash high] (RECORD_WORDS numbers): x < 0 is −uses of an entry that left the front with fewer than
   * RECORD_USES; x ≥ 0 the slot of an entry that reached RECORD_USES while #batch was full and could not
   * be handed over (a lost slot: it waits for the slot the caller re-attaches to).
   */
  readonly #ring: number[] = []
  /**
   * The gate: gets until the next hand-over of the ring (every FLUSH_GETS; at every second one a
   * measuring window ends), and whether the gets until then consult the front, in one countdown (stop
   * 43). Consulted: FLUSH_GETS down to 1, the hand-over at 0; standing aside: ASIDE + FLUSH_GETS down to
   * ASIDE + 1, the hand-over at ASIDE. So a get that consults the front tests one number, and one that
   * skips it tests three and counts nothing else: step-asides are whole windows (multiples of
   * FLUSH_GETS, decided at a hand-over), so #bypass is counted down a FLUSH_GETS at a time there, where
   * a countdown of its own cost every skipped get a load, a decrement and a store, and every consulted
   * get a load and a test.
   */
  #gate = FLUSH_GETS
  #windowTicks = 0
  /** The records recordAccesses takes: [entry offset, uses, hash low, hash high] per entry (ACCESS_RECORD_BYTES). */
  readonly #records = new Uint32Array(RECORD_WORDS * RING)
  /**
   * Hash fingerprints (the hash's high word, odd, so 0 is empty) of recent arena hits that did not enter
   * a full front, at the hash's low bits: made when the front is first full, with about half as many
   * places as it holds entries (fewer places admit only keys read again sooner; twice as many admitted
   * keys read twice within far more gets, which cost the simulated Zipf share 0.4-1.7 points).
   */
  #seen: Int32Array | undefined
  #seenMask = 0
  /** RESULT.hash's u32 index in this thread's scratch (rebind). */
  #hashIdx = 0
  #fillCountdown = FILL_EVERY
  /** The state of #fillGap's generator (never 0). */
  #fillSeed = 0x9e3779b9 | 0
  /** Gets of this window the front did not serve (counted where a get goes on to the arena). */
  #windowMisses = 0
  /** Arena hits of this window whose values the front could not hold (Buffers; objects without shareObjects). */
  #windowRefused = 0
  /**
   * Copies that left the front this window because they were no longer current (a kill in their segment,
   * an expiry) or because this thread wrote their key: more of them than the front grew by means it is
   * not filling but replacing what writes drop, as full as it will get (#endWindow judges it so).
   */
  #windowDropped = 0
  /** No get of this window skipped the front (only such a window is judged). */
  #windowValid = true
  /** Entries in the front when this window began (a filling front is judged by what it would serve full). */
  #windowStartEntries = 0
  /**
   * Gets that skip the front after the current FLUSH_GETS (a multiple of it: step-asides cover whole
   * windows, and are decided at hand-overs).
   */
  #bypass = 0
  /** The current step-aside length (BYPASS, doubled per window that did not pay, up to MAX_BYPASS). */
  #bypassLength = BYPASS
  /** Every get of the window now running skips the front (a step-aside covers whole windows). */
  #windowSkipped = false
  // Self-timing (TIMED_EVERY): the clock, read once per window; the time at the last window's end;
  // the last TIMED_SAMPLES times per get of paying windows that consulted the front and of windows
  // that skipped it (rings); paying windows until the next timed window; the timings in a row that
  // found the arena faster; whether the front stands aside because it was slower.
  #now: ((skipped: boolean) => number) | undefined = wallNow
  #windowTime = NaN
  readonly #frontTimes = new Float64Array(TIMED_SAMPLES).fill(Infinity)
  readonly #arenaTimes = new Float64Array(TIMED_SAMPLES).fill(Infinity)
  #frontTimesAt = 0
  #arenaTimesAt = 0
  #timedEvery = TIMED_EVERY
  #timedCountdown = TIMED_EVERY
  /** Windows left of a timed skip (TIMED_SKIP): the last one is timed. */
  #timedWindows = 0
  #slowVerdicts = 0
  #slowAside = false
  /** The front's least time per get at the last timing (TIMED_DRIFT); Infinity before the first. */
  #frontBase = Infinity
  /** The next paying window after a step-aside for being slower only warms the front up (not timed). */
  #slowWarm = false
  // The fill prepared by the last arena hit (prepareFill), completed by fill() once the value is taken.
  #pendingAddr = 0
  #pendingVersionIdx = 0
  #pendingVersion = 0
  #pendingExpiry: number | undefined = undefined
  #pendingBytes = 0
  #pendingHashLo = 0
  #pendingHashHi = 0

  /** The cache's clock (read only for entries with an expiry). */
  readonly #clock: () => number
  /** Hands [entry offset, uses, hash] records to the engine (recordAccesses). */
  readonly #drain: (records: Uint32Array, count: number) => void

  constructor(options: FrontOptions, geometry: Readonly<Geometry>, views: ArenaViews, shardsOffset: number, shardBytes: number,
    clock: () => number, drain: (records: Uint32Array, count: number) => void) {
    this.#clock = clock
    this.#drain = drain
    this.#maxBytes = options.maxBytes ?? defaultFrontBytes(geometry)
    this.#shareObjects = options.shareObjects === true
    this.#maxSlots = Math.max(1, Math.floor(this.#maxBytes / (ENTRY_OVERHEAD + 16)))
    // Allocated as the front fills: a budget's worth of slots up front would be most of the budget.
    this.#capacity = Math.min(FIRST_SLOTS, this.#maxSlots)
    this.#meta = new Int32Array(this.#capacity * META)
    this.#expiries = new Float64Array(this.#capacity)
    this.#sizes = new Int32Array(this.#capacity)
    this.#hashes = new Int32Array(2 * this.#capacity)
    this.#starts = new Uint8Array(this.#capacity)
    for (let i = 0; i < this.#capacity; i++) {
      this.#values.push(undefined)
      this.#keys.push(undefined)
    }
    this.#g = geometry
    // The entries the cache can hold: its maxEntries (0: none), at most what its index holds.
    const indexed = geometry.maxEntriesPerShard * geometry.shardCount
    const capacity = geometry.maxEntriesTotal > 0 ? Math.min(geometry.maxEntriesTotal, indexed) : indexed
    // Halved from FLUSH_GETS, so that it is a small integer: the gate it sets is read and written by
    // every get, and a double there (2 ** x, or Math.min of one) would make every get's countdown a
    // double's.
    let period = FLUSH_GETS
    while (period > MIN_FLUSH_GETS && period * FLUSH_SHARE > capacity) period >>= 1
    this.#period = period
    this.#gate = this.#period
    this.#u32 = views.u32
    this.#f64 = views.f64
    // #leaseIdx, #lease, #frontHitsIdx: set by rebind(), which the core calls before any get.
    this.#shardsOffset = shardsOffset
    this.#shardBytes = shardBytes
    // Evictions before this front existed decide nothing: the first hand-over counts from here.
    this.#evictionsSeen = this.#evictionsNow()
    // Writers move segment versions only once some thread has a front (killEntry in
    // assembly/segments.ts): say so before the first lookup of this one (a sequentially consistent
    // store, ordered before the fills' reads of the shard sequences).
    Atomics.store(views.u32, L.ARENA_FRONT_IN_USE >>> 2, 1)
  }

  /**
   * The cache was closed (after the last flush): the front holds nothing, so every get misses at once
   * and the caller's check() throws, and no flush or count matches a lease again.
   */
  detach(): void {
    // A word that never changes while the arena exists (its layout version) and a value it doesn't hold.
    this.#leaseIdx = L.ARENA_LAYOUT_VERSION >>> 2
    this.#lease = (this.#u32[this.#leaseIdx]! + 1) | 0
    this.clear()
  }

  /** Entries held (tests and tools). */
  get size(): number {
    return this.#entries
  }

  /** Gets that will still skip the front (a step-aside or a timed skip under way; tests and tools). */
  get skipping(): number {
    return this.#gate < 0 ? this.#gate - ASIDE + this.#bypass : 0
  }

  /** Whether the front stands aside because the arena was faster for this caller's gets (tests and tools). */
  get slowerThanArena(): boolean {
    return this.#slowAside
  }

  /**
   * Replaces the clock the front times its windows with (tests and tools; default: performance.now(),
   * wall time in ms). It is called at the end of every window of WINDOW gets with whether that window's gets
   * all skipped the front. undefined turns self-timing off.
   */
  useTimer(now: ((skipped: boolean) => number) | undefined): void {
    this.#now = now
    this.#windowTime = NaN
  }

  /**
   * Binds the front to its thread's slot (at the start, and after a re-attach: the same arena through new
   * views; entries stay valid, they name arena places): the lease every get checks and the frontHits
   * counter every hit counts in (u32 and f64 indexes in `views`), and where its lookups leave their
   * RESULT (`result32`, a u32 index).
   */
  rebind(views: ArenaViews, shardsOffset: number, shardBytes: number, leaseIdx: number, lease: number, frontHitsIdx: number, result32: number): void {
    this.#u32 = views.u32
    this.#f64 = views.f64
    this.#shardsOffset = shardsOffset
    this.#shardBytes = shardBytes
    this.#leaseIdx = leaseIdx
    this.#lease = lease | 0
    this.#frontHitsIdx = frontHitsIdx
    this.#hashIdx = result32 + (L.RESULT_HASH >>> 2)
  }


  /**
   * The current value of `key` if the front holds one, else NOT_IN_FRONT (undefined). The clock is read
   * only for entries with an expiry. A hit is counted on its entry (see RECORD_USES) and in the
   * front's count of hits (countHits). The access ring is handed to the engine from here only: before the
   * caller has put anything in scratch.
   *
   * A front hit makes no lease check (EngineCore.check): a closed cache's front holds nothing (detach),
   * and a slot lost while this thread stalled (thought dead, reclaimed by another) is noticed at the
   * next FLUSH_GETS tick, which empties the front, so within FLUSH_GETS gets one misses and the
   * caller's check() re-attaches. Until then hits are still current (a reclaim or repair moves segment
   * versions like any kill: ARENA.frontInUse stays set while the arena lives); what must not happen on
   * a lost slot, writing its scratch (flush) or its counters (countHits), checks the lease itself.
   * That check was 14 of a front hit's ~387 instructions (stop 40, bench/arena/front-count.sh).
   */
  get(key: string): unknown {
    // `| 0`: the gate never nears the int32 range's ends, so no overflow check.
    const g = (this.#gate - 1) | 0
    this.#gate = g
    // Standing aside, or a hand-over (which decides whether the next FLUSH_GETS gets, this one
    // included, consult the front).
    if (g <= 0 && ((g !== 0 && g !== ASIDE) || !this.#everyFlushGets())) return undefined
    return this.#lookup(key)
  }

  /**
   * get's lookup, apart so that a front standing aside is a few bytes of bytecode in its caller: inlined
   * whole, get counted against V8's inlining budget for the caller's loop, which then kept getArena's
   * decode a call (stop 41: 1851 generated instructions a get over 1M keys with the front standing
   * aside, 1809 with stop 40's front). Where the front serves, this is hot and inlined anyway.
   */
  #lookup(key: string): unknown {
    const s = typeof key === 'string' ? this.#index[key] : undefined
    if (s === undefined) {
      this.#windowMisses++
      return undefined
    }
    // One load from shared memory: the segment's version moves whenever an entry in it is killed
    // (deleted, evicted, rewritten, repaired) or the segment is reused (killEntry in the engines).
    // A plain load on x86, Atomics.load elsewhere (acquire.ts, loadAcquire): acquire.ts says why a
    // plain load is read afresh by every hit (the calls into the engine this method makes on some
    // gets, #everyFlushGets and flush, lie between any two hits of a caller's loop: keep them here).
    const u32 = this.#u32
    // A slot's lanes as `b | lane` (b is a multiple of META): a shift and ors never overflow, where
    // `s * META` and `b + lane` each compiled to an add with an overflow check (stop 41, --print-opt-code).
    const m = this.#meta
    const b = s << META_SHIFT
    const versionIdx = m[b | M_VERSION_IDX]!
    const word = m[b | M_USES]!
    if (((PLAIN_LOADS ? u32[versionIdx]! : Atomics.load(u32, versionIdx)) | 0) !== m[b | M_VERSION]! || ((word & F_EXPIRES) !== 0 && this.#clock() >= this.#expiries[s]!)) {
      this.#stale(s)
      return undefined
    }
    // A hit: counted as a lookup that did not miss (countHits). The value is read before the rare call
    // below, after which the compiler checked the front's map again on every hit to read it.
    const value = this.#values[s]
    // `| 0`: the uses can't reach 2^29 (they restart at every hand-over), so no overflow check.
    const next = ((word | F_REFERENCED) + ONE_USE) | 0
    m[b | M_USES] = next
    if (next >>> USES_SHIFT === RECORD_USES) this.#batched(s)
    return value
  }

  // get's rare paths, out of it: what Cache.get inlines of get counts against V8's inlining budget
  // for the caller's loop, which then left getArena's decode a call (stop 40's fillsThis; stop 41).
  /** A hit on a copy that is no longer current: it leaves the front, and the get is a miss. */
  #stale(s: number): void {
    this.#release(s)
    this.#windowMisses++
    this.#windowDropped++
  }

  /** Slot `s` reached RECORD_USES unrecorded hits: into the batch (handed over when full). */
  #batched(s: number): void {
    const hashes = this.#hashes
    const addr = this.#meta[(s << META_SHIFT) | M_ADDR]! >>> 0
    const n = this.#batchCount
    // Indexes as shifts and ors (RECORD_WORDS is 4): `n * 4 + 1`, `2 * s + 1` compiled to adds with
    // overflow checks, ~a third of this method's instructions (as the lanes of a hit: #lookup).
    const lo = s << 1
    if (n === RING) {
      this.#ring.push(addr, s, hashes[lo]!, hashes[lo | 1]!)
      return
    }
    const batch = this.#batch
    const r = n << 2
    batch[r] = addr
    batch[r | 1] = 0
    batch[r | 2] = hashes[lo]!
    batch[r | 3] = hashes[lo | 1]!
    this.#batchSlots[n] = s
    this.#batchCount = n + 1
    if (n + 1 === RING) this.flush()
  }

  /**
   * Every FLUSH_GETS gets: the ring is handed over, every second time a measuring window ends, and the
   * gate opens for the next FLUSH_GETS gets or stays shut (a step-aside under way). Returns whether
   * they consult the front.
   */
  #everyFlushGets(): boolean {
    // The FLUSH_GETS that end looked the front up if the gate was open, all but this get (the one that
    // opened it counted itself).
    const period = this.#period
    if (this.#gate === 0) this.#lookups += period - 1
    // The slot was lost (see get): what the front holds goes (its unrecorded hits wait in the ring for
    // the new slot), so the next get of any key misses and re-attaches.
    if (!this.#holdsSlot()) this.clear()
    this.countHits()
    this.#checkEvictions()
    this.flush()
    if (++this.#windowTicks === WINDOW / period) {
      this.#windowTicks = 0
      this.#endWindow()
    }
    if (this.#bypass > 0) {
      this.#bypass -= period
      this.#gate = ASIDE + period
      return false
    }
    this.#gate = period
    this.#lookups++
    return true
  }

  /**
   * Whether the get that just returned NOT_IN_FRONT consulted the front (it missed there) rather than
   * skipped it (standing aside, or a timed skip): after a get the gate is above 0 exactly when it
   * consulted (a hand-over sets it to a period when the next gets consult, to ASIDE plus a period when they don't). Only a consulted get's arena hit
   * may enter the front (EngineCore.getArenaFilling); the others take the arena path no front shapes.
   */
  get consulted(): boolean {
    return this.#gate > 0
  }

  /**
   * Called on the arena hit of a get that consulted the front: whether this one is to enter the front
   * (then the caller takes the hit through prepareFill and fill). Apart from prepareFill because of
   * V8's inlining budget: getArena (core.ts) inlined prepareFill whole (372 bytes of bytecode), which
   * left the decode every arena hit runs (`take`, with readLatin1 and the validation) a call: 1898
   * generated instructions per get over 1M keys where the front stands aside, against 1758 without a
   * front (stop 40, bench/arena/front-count.sh with front-miss-instructions.mjs). This check is a few bytes.
   */
  fillsThis(): boolean {
    if (!this.#sparse) return true
    if (this.#full) return this.#seenBefore()
    // A probing front: prepareFill, which follows a yes, draws the next gap (#fillGap).
    return --this.#fillCountdown <= 0
  }

  /**
   * A full front's admission (SEEN_MIN_BITS): whether the key of the arena hit in RESULT was among
   * the recent arena hits that did not enter; if not, it is now.
   */
  #seenBefore(): boolean {
    const seen = this.#seen ?? this.#makeSeen()
    const u32 = this.#u32
    const at = u32[this.#hashIdx]! & this.#seenMask
    const print = u32[this.#hashIdx + 1]! | 1
    if (seen[at] !== print) {
      seen[at] = print
      return false
    }
    seen[at] = 0
    return true
  }

  #makeSeen(): Int32Array {
    const bits = Math.max(SEEN_MIN_BITS, Math.ceil(Math.log2(Math.max(2, this.#entries))) - 1)
    this.#seenMask = (1 << bits) - 1
    return (this.#seen = new Int32Array(1 << bits))
  }

  /**
   * After fillsThis() said yes, right after the lookup and before the value is copied out and
   * validated: reads the entry's segment version now (the caller's validation of the shard sequence
   * then proves value and version belong together); false when this entry can't enter.
   */
  prepareFill(u32: Uint32Array, r32: number, r64: number, f64: Float64Array): boolean {
    // The next sparse fill after a gap of 1 to 15 arena hits (8 on average), not after exactly
    // FILL_EVERY: a fixed countdown aliases with gets that repeat with a period of a multiple of 8 (a hot
    // key read every 16th get, among keys the front can't hold, never entered a probing front). Here,
    // on the path of a fill, not in fillsThis, which every arena hit runs.
    if (this.#sparse && !this.#full) this.#fillCountdown = this.#fillGap()
    const addr = u32[r32 + (L.RESULT_ENTRY_OFFSET >>> 2)]!
    // 0: the engine can't show this entry in place (the native engine's window over a large arena).
    if (addr === 0) return false
    // What getOrLoad stored carries its own hard expiry, before the entry's (which staleIfError extends):
    // the front, which knows only the entry's, leaves such values to the arena.
    if ((u32[r32 + (L.RESULT_KIND >>> 2)]! & 0xff) === L.KIND_LOADED) return false
    const g = this.#g
    const shard = u32[r32 + (L.RESULT_SHARD >>> 2)]!
    const shardBase = this.#shardsOffset + shard * this.#shardBytes
    const segment = Math.floor((addr - shardBase - g.shardDataOffset) / g.segBytes)
    if (segment < 0 || segment >= g.segCount) return false
    this.#pendingAddr = addr
    this.#pendingVersionIdx = (shardBase + g.shardSegHeadersOffset + segment * L.SEG_SIZE + L.SEG_VERSION) >>> 2
    this.#pendingVersion = Atomics.load(u32, this.#pendingVersionIdx)
    const expiry = f64[r64 + (L.RESULT_EXPIRY >>> 3)]!
    this.#pendingExpiry = expiry === Infinity ? undefined : expiry
    this.#pendingBytes = u32[r32 + (L.RESULT_VALUE_LEN >>> 2)]!
    this.#pendingHashLo = u32[r32 + (L.RESULT_HASH >>> 2)]! | 0
    this.#pendingHashHi = u32[r32 + (L.RESULT_HASH >>> 2) + 1]! | 0
    return true
  }

  /** A pseudo-random gap of 1 to 2 × FILL_EVERY − 1 arena hits (xorshift32: deterministic per front). */
  #fillGap(): number {
    let x = this.#fillSeed
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.#fillSeed = x
    return 1 + (x >>> 0) % (2 * FILL_EVERY - 1)
  }

  /** Completes the fill prepared for `key`, with its value known whole. */
  fill(key: string, value: unknown): void {
    // undefined is what get() returns for "not in the front" (NOT_IN_FRONT): never fronted.
    if (value === undefined) return
    let bytes: number
    if (typeof value === 'string') bytes = value.length * 2
    else if (typeof value !== 'object') bytes = 16
    else if (this.#shareObjects && value !== null && !ArrayBuffer.isView(value)) {
      deepFreeze(value)
      bytes = this.#pendingBytes * 2
    } else {
      this.#windowRefused++
      return
    }
    bytes += key.length * 2 + ENTRY_OVERHEAD
    if (bytes > this.#maxBytes) return
    const old = this.#index[key]
    if (old !== undefined) this.#release(old)
    while (this.#bytes + bytes > this.#maxBytes) this.#evictOne()
    const s = this.#takeSlot()
    const m = this.#meta
    const b = s * META
    m[b + M_VERSION_IDX] = this.#pendingVersionIdx
    m[b + M_VERSION] = this.#pendingVersion | 0
    m[b + M_ADDR] = this.#pendingAddr | 0
    this.#hashes[2 * s] = this.#pendingHashLo
    this.#hashes[2 * s + 1] = this.#pendingHashHi
    const expiry = this.#pendingExpiry
    const start = this.#restartFrom
    this.#starts[s] = start
    if (expiry === undefined) m[b + M_USES] = start << USES_SHIFT
    else {
      m[b + M_USES] = (start << USES_SHIFT) | F_EXPIRES
      this.#expiries[s] = expiry
    }
    this.#values[s] = value
    this.#keys[s] = key
    this.#sizes[s] = bytes
    this.#index[key] = s
    this.#entries++
    this.#bytes += bytes
  }

  /** A free slot: a freed one, a never used one, one of a doubled allocation, or the one CLOCK evicts. */
  #takeSlot(): number {
    if (this.#free.length > 0) return this.#free.pop()!
    if (this.#used === this.#capacity) {
      if (this.#capacity === this.#maxSlots) {
        this.#evictOne()
        return this.#free.pop()!
      }
      this.#grow(Math.min(2 * this.#capacity, this.#maxSlots))
    }
    return this.#used++
  }

  #grow(capacity: number): void {
    const meta = new Int32Array(capacity * META)
    meta.set(this.#meta)
    this.#meta = meta
    const expiries = new Float64Array(capacity)
    expiries.set(this.#expiries)
    this.#expiries = expiries
    const sizes = new Int32Array(capacity)
    sizes.set(this.#sizes)
    this.#sizes = sizes
    const hashes = new Int32Array(2 * capacity)
    hashes.set(this.#hashes)
    this.#hashes = hashes
    const starts = new Uint8Array(capacity)
    starts.set(this.#starts)
    this.#starts = starts
    for (let i = this.#capacity; i < capacity; i++) {
      this.#values.push(undefined)
      this.#keys.push(undefined)
    }
    this.#capacity = capacity
  }

  /** Whether this thread still holds the slot it was bound to (its lease is in it; false once closed). */
  #holdsSlot(): boolean {
    return (this.#u32[this.#leaseIdx]! | 0) === this.#lease
  }

  /** A write through this thread: its key leaves the front. */
  delete(key: string): void {
    const s = typeof key === 'string' ? this.#index[key] : undefined
    if (s !== undefined) {
      this.#release(s)
      this.#windowDropped++
    }
  }

  clear(): void {
    const keys = this.#keys
    for (let s = 0; s < this.#used; s++) if (keys[s] !== undefined) this.#release(s)
    this.#full = false
    this.#sparse = this.#probing
  }

  /**
   * Adds the front hits served since the last call to this thread's frontHits counter in the arena
   * (stats() counts front hits into hits; THREAD_HITS are arena hits), while the slot is still this
   * thread's (after a re-attach, into its new slot). Called every FLUSH_GETS gets, by this thread's
   * stats() and on close(): another thread's stats() sees up to FLUSH_GETS − 1 of this thread's latest
   * front hits late, and a thread that stops without close() takes as many uncounted. The price of
   * counting each hit in shared memory was 16 of a front hit's ~410 instructions (a view's checks, a
   * double's load, add and store; stop 39, bench/arena/front-instructions.mjs).
   */
  countHits(): void {
    const open = this.#gate > 0 ? this.#period - this.#gate : 0
    const hits = this.#lookups + open - this.#missesCounted - this.#windowMisses
    if (hits === 0 || !this.#holdsSlot()) return
    this.#f64[this.#frontHitsIdx]! += hits
    // What is counted now is not counted again.
    this.#lookups = -open
    this.#missesCounted = -this.#windowMisses
  }

  /**
   * Hands the unrecorded hits to the engine as [entry offset, uses, hash] records (also on close). An entry that
   * left the front meanwhile still has its hits recorded: they were served while it was current.
   */
  flush(): void {
    // Records are handed over through this thread's scratch: never through a slot that is no longer
    // its own (another thread's scratch now). They wait for the slot the caller re-attaches to.
    if (!this.#holdsSlot()) return
    const ring = this.#ring
    const records = this.#records
    const n = this.#batchCount
    if (n > 0) {
      const slots = this.#batchSlots
      const batch = this.#batch
      for (let i = 0; i < n; i++) batch[(i << 2) | 1] = this.#takeUses(slots[i]!, batch[i << 2]!, batch[(i << 2) | 2]! | 0, batch[(i << 2) | 3]! | 0)
      this.#batchCount = 0
      this.#drain(batch, n)
    }
    // Releases (clear() of a full front) can leave more than RING records: handed over RING at a time.
    for (let from = 0; from < ring.length; from += RECORD_WORDS * RING) {
      const count = Math.min(RING, (ring.length - from) / RECORD_WORDS)
      for (let i = 0; i < count; i++) {
        const at = from + RECORD_WORDS * i
        const r = RECORD_WORDS * i
        records[r] = ring[at]!
        records[r + 2] = ring[at + 2]!
        records[r + 3] = ring[at + 3]!
        const x = ring[at + 1]!
        records[r + 1] = x < 0 ? -x : this.#takeUses(x, ring[at]!, ring[at + 2]!, ring[at + 3]!)
      }
      this.#drain(records, count)
    }
    ring.length = 0
  }

  /**
   * A batched record of slot `s` ([addr, hash lo, hash hi]) is handed over: the uses it carries are the
   * slot's unrecorded hits now (those after the one that batched it too), if the slot still holds that
   * entry with RECORD_USES or more; then its count restarts from #restartFrom.
   * Otherwise 0: the entry left (its hits went into the ring then), and a later entry of the slot has
   * hits in no record yet, or a record of its own.
   */
  #takeUses(s: number, addr: number, lo: number, hi: number): number {
    const m = this.#meta
    const b = s << META_SHIFT
    const word = m[b | M_USES]!
    const count = word >>> USES_SHIFT
    if (count < RECORD_USES || this.#keys[s] === undefined || (m[b | M_ADDR]! >>> 0) !== addr || this.#hashes[s << 1] !== lo || this.#hashes[(s << 1) | 1] !== hi) return 0
    const start = this.#restartFrom
    // At most RECORD_USES, as before stop 44 (the sketch's counters and the reference bits stop at 15): a
    // hot key's hits after the one that batched it add nothing a record of 32 does not say.
    const uses = Math.min(count - this.#starts[s]!, RECORD_USES)
    this.#starts[s] = start
    m[b | M_USES] = (start << USES_SHIFT) | (word & FLAGS)
    return uses
  }

  /** The arena's evictions so far (low words, summed over shards): one load per shard. */
  #evictionsNow(): number {
    const u32 = this.#u32
    let sum = 0
    for (let i = 0, at = (this.#shardsOffset + L.SHARD_EVICTIONS) >>> 2; i < this.#g.shardCount; i++, at += this.#shardBytes >>> 2) sum = (sum + u32[at]!) | 0
    return sum
  }

  /** Whether the arena evicted since the last hand-over (#restartFrom), every #period gets. */
  #checkEvictions(): void {
    const sum = this.#evictionsNow()
    const evicted = sum !== this.#evictionsSeen
    this.#evictionsSeen = sum
    if (evicted) this.#quiet = 0
    else if (this.#quiet < EAGER_HOLD) this.#quiet++
    const restartFrom = this.#quiet < EAGER_HOLD ? RECORD_USES - 1 : 0
    if (restartFrom > this.#restartFrom) this.#startEager()
    this.#restartFrom = restartFrom
  }

  /**
   * The arena started evicting: every entry's unrecorded hits under RECORD_USES go into the ring now
   * (they would wait for 32 more or for the entry to leave), and its count restarts at RECORD_USES − 1,
   * so that its next hit puts it in the batch. One pass over the slots, once per start (EAGER_HOLD).
   */
  #startEager(): void {
    const m = this.#meta
    const keys = this.#keys
    const starts = this.#starts
    for (let s = 0; s < this.#used; s++) {
      if (keys[s] === undefined) continue
      const b = s << META_SHIFT
      const word = m[b | M_USES]!
      const count = word >>> USES_SHIFT
      // In the batch already: its record takes its uses at the hand-over, and restarts it eager.
      if (count >= RECORD_USES) continue
      const pending = count - starts[s]!
      if (pending > 0) this.#ringUses(s, pending)
      starts[s] = RECORD_USES - 1
      m[b | M_USES] = ((RECORD_USES - 1) << USES_SHIFT) | (word & FLAGS)
    }
  }

  /**
   * Slot `s`'s entry's `pending` unrecorded hits, outside a batch record, to the ring for the next flush
   * (x < 0 there: −uses); at most RECORD_USES, what a record can say.
   */
  #ringUses(s: number, pending: number): void {
    const lo = s << 1
    this.#ring.push(this.#meta[(s << META_SHIFT) | M_ADDR]! >>> 0, -Math.min(pending, RECORD_USES), this.#hashes[lo]!, this.#hashes[lo | 1]!)
  }

  /**
   * Takes slot `s`'s entry out of the front; its unrecorded hits still go to the engine at the next
   * flush (never here: a write may have its key in scratch now). With RECORD_USES or more they are in
   * the ring already.
   */
  #release(s: number): void {
    const m = this.#meta
    // Every unrecorded hit, batched or not: a batch record of a slot that no longer holds its entry carries none (#takeUses).
    const pending = (m[s * META + M_USES]! >>> USES_SHIFT) - this.#starts[s]!
    if (pending > 0) this.#ringUses(s, pending)
    delete this.#index[this.#keys[s]!]
    this.#entries--
    this.#keys[s] = undefined
    this.#values[s] = undefined
    this.#free.push(s)
    this.#bytes -= this.#sizes[s]!
    if (this.#full && this.#bytes < this.#maxBytes - (this.#maxBytes >> 3)) {
      this.#full = false
      this.#sparse = this.#probing
    }
  }

  /** CLOCK: the hand passes referenced entries once (clearing the bit) and evicts the first that isn't. */
  #evictOne(): void {
    this.#full = true
    this.#sparse = true
    const keys = this.#keys
    const m = this.#meta
    const n = this.#used
    for (;;) {
      const i = this.#hand
      this.#hand = i + 1 >= n ? 0 : i + 1
      if (keys[i] === undefined) continue
      const word = m[i * META + M_USES]!
      if ((word & F_REFERENCED) !== 0) {
        m[i * META + M_USES] = word & ~F_REFERENCED
        continue
      }
      this.#release(i)
      return
    }
  }

  /**
   * A window that did not pay makes the front step aside; a full front (one that had to evict to admit)
   * for twice as long as the last time, if that window did not pay either. A front with room is judged
   * by what it would serve full (#wouldPayFull): if that pays, it is not stepped aside at all and keeps
   * filling at every arena hit (stop 33: with a step-aside of 65 536 gets per window of 4096 fills, a
   * front that can hold 100k uniformly read keys took ~3.4M gets to fill, longer than a bench round);
   * if not, it steps aside as a full one does. A front that is empty steps aside for the short length
   * (a cache warming up: its gets miss the arena), or for the longest at once when arena hits came and
   * none of their values could be fronted. Windows in which gets skipped the front are not judged. (A
   * filling front exempted from judging, as tried in stop 29, filled a 16 MiB front over 100k uniformly
   * read keys to about 56% of them, where it stayed and its churn made gets slower than without it; the
   * projection to FULL_PAYING now steps such a front aside.)
   */
  #endWindow(): void {
    const judged = this.#windowValid
    const skipped = this.#windowSkipped
    this.#windowValid = this.#bypass === 0
    const now = this.#now === undefined ? NaN : this.#now(skipped)
    const perGet = (now - this.#windowTime) / WINDOW
    this.#windowTime = now
    if (skipped) this.#timedSkipped(perGet)
    if (judged) {
      const served = WINDOW - this.#windowMisses
      // Full, or at the size writes let it keep (it dropped more copies than it grew by: each write
      // through any thread kills its entry and moves the version of its segment, ~130 entries at 100k
      // entries of 100 B): judged by what it serves now, not by what it would serve full, which it never
      // gets. A mixed workload (Zipf(0.99), 10% sets) held ~61% of a 100k-entry cache and served ~45% of its
      // gets, refilling a copy every 2.3 gets, and ran at ~0.75x of no front while projected to pay. Not
      // a probe: it fills one arena hit in FILL_EVERY, so what it holds says little of what it could.
      const settled = this.#full || (!this.#probing && this.#windowDropped > this.#entries - this.#windowStartEntries)
      // A probe ends here: one that does not pay empties the front and probes again (#stepAsideForShare).
      this.#probing = false
      this.#sparse = this.#full
      if (served >= (settled ? FULL_PAYING : PAYING) * WINDOW) {
        // Paying by its share; timed when it serves as a full front must (a filling front's windows
        // are slowed by their fills). Only that sets the step-aside back to BYPASS: a filling front that
        // serves less keeps it, or the window after each step-aside of a front writes keep from filling
        // (it grows again first: its copies are refilled) set it back, and the step-asides never grew
        // (mixed suite: 2 windows in 18 consulted it, each refilling ~1000 copies; stop 47).
        if (served >= FULL_PAYING * WINDOW && !this.#timedPaying(perGet)) this.#bypassLength = BYPASS
      } else if (settled) this.#stepAsideForShare(served)
      else if (this.#entries === 0) {
        // Arena hits came, and none of their values could be fronted (Buffers, objects without
        // shareObjects): the longest step-aside at once, so such a front costs a decrement per get.
        if (this.#windowRefused > 0) {
          this.#bypassLength = MAX_BYPASS
          this.#stepAside(false, MAX_BYPASS)
        } else this.#stepAside(false, MAX_SHARE_BYPASS)
      } else if (!this.#wouldPayFull(served)) this.#stepAsideForShare(this.#servedFull(served))
      // else: a filling front that will pay once full keeps filling (every arena hit enters while it
      // has room), so a cache it can hold whole is fronted whole within a few passes over its keys.
    }
    this.#missesCounted += this.#windowMisses
    this.#windowMisses = 0
    this.#windowRefused = 0
    this.#windowDropped = 0
    this.#windowStartEntries = this.#entries
    this.#windowSkipped = this.#bypass >= WINDOW
  }

  /**
   * A window that consulted the front and paid by its share, timed `perGet` (ms): a sample of the front's
   * time. Returns true when the step-aside length is to be kept (stepped aside again for being slower
   * than the arena, or a window that warmed the front up after such a step-aside). A front standing
   * aside for that is judged on its second window back; a consulted one every #timedEvery windows
   * skips the front for the next TIMED_SKIP windows (#timedSkipped judges the last).
   */
  #timedPaying(perGet: number): boolean {
    if (!(perGet >= 0)) return false
    if (this.#slowWarm) {
      // Back after a step-aside: this window brought the front's entries into the CPU caches; the
      // next one is timed. The step-aside length is kept until then.
      this.#slowWarm = false
      return true
    }
    this.#frontTimes[this.#frontTimesAt] = perGet
    this.#frontTimesAt = (this.#frontTimesAt + 1) % TIMED_SAMPLES
    if (this.#slowAside) {
      // Every window of the step-aside skipped the front: the arena's samples are of this workload.
      // Back only when faster by the margin (a front slower by less came back on a lucky window and
      // cost ~100k gets at its speed before two timings stepped it aside again: keys built per call).
      if (!fasterBy(perGet, least(this.#arenaTimes))) {
        this.#stepAside(true, MAX_BYPASS)
        this.#slowWarm = true
        this.#frontTimes.fill(Infinity)
        return true
      }
      // Faster than the arena again: consulted, and timed as a front that never stood aside.
      this.#slowAside = false
      this.#slowVerdicts = 0
      this.#timedEvery = TIMED_EVERY
      this.#timedCountdown = TIMED_EVERY
      return false
    }
    // All of the last TIMED_SAMPLES paying windows slower than at the last timing by TIMED_DRIFT: the
    // ring holds only windows of the new regime, so time it now.
    if (least(this.#frontTimes) > this.#frontBase * (1 + TIMED_DRIFT)) {
      this.#frontBase = Infinity
      this.#timedCountdown = 1
    }
    if (--this.#timedCountdown === 0) {
      // The next TIMED_SKIP windows skip the front (#windowValid false: not judged by share); the
      // last one is timed.
      this.#bypass = TIMED_SKIP * WINDOW
      this.#windowValid = false
      this.#timedWindows = TIMED_SKIP
    }
    return false
  }

  /** A window whose gets all skipped the front, timed `perGet` (ms): a sample of the arena's time. */
  #timedSkipped(perGet: number): void {
    if (!(perGet >= 0)) return
    // The first windows of a timed skip bring the arena's data back into the CPU caches: not samples.
    if (this.#timedWindows > 1) {
      this.#timedWindows--
      return
    }
    this.#arenaTimes[this.#arenaTimesAt] = perGet
    this.#arenaTimesAt = (this.#arenaTimesAt + 1) % TIMED_SAMPLES
    if (this.#timedWindows === 0) return
    this.#timedWindows = 0
    // This window against the front's last paying windows (the arena's older samples may be of
    // another workload; a window's noise only adds time, so one sample errs toward keeping the front).
    const front = least(this.#frontTimes)
    if (perGet > TIMED_OUTLIER * front) {
      this.#timedCountdown = TIMED_EVERY
      return
    }
    this.#frontBase = front
    if (!fasterBy(perGet, front)) {
      this.#slowVerdicts = 0
      // Clearly faster than the arena: timed half as often as before; within the margin (near
      // break-even), as often as before, so a noisy timing neither puts the next one a million gets
      // away nor makes a front that pays skip 2 windows in 10 (a reset to TIMED_EVERY did: Zipf(0.99)
      // over 100k stored keys served 0.96 of a pass instead of 1.00).
      if (fasterBy(front, perGet)) this.#timedEvery = Math.min(2 * this.#timedEvery, TIMED_MAX_EVERY)
      this.#timedCountdown = this.#timedEvery
      return
    }
    this.#timedCountdown = TIMED_EVERY
    if (++this.#slowVerdicts < TIMED_VERDICTS) return
    // Slower than the arena for this caller's gets: aside, twice as long each time it is found so again.
    this.#slowVerdicts = 0
    this.#slowAside = true
    this.#slowWarm = true
    this.#stepAside(true, MAX_BYPASS)
    this.#frontTimes.fill(Infinity)
  }


  /**
   * A window served too few gets: aside for longer each time, up to MAX_SHARE_BYPASS. `served` is what
   * it served, or for a front still filling what it would serve full (#servedFull). A front that serves
   * (or would serve) under PAYING holds little of what is read now, and what it holds would mislead the
   * window that probes it next: a front filled by gets it can't hold (uniform over 1M keys) and then
   * read by gets it can (Zipf over the same keys) was judged by its stale entries, projected to serve
   * under FULL_PAYING full, and stepped aside again, probe after probe (bench/arena/front-phases.ts:
   * Zipf gets served 0.12 0.02 0.05 0.02 0.10 0.09 per block of 2^18 before one paid). So its entries
   * leave (their unrecorded hits still go to the engine), and the next probe starts empty, judged by
   * what the keys of its own window re-read. It also gives the heap back while the front stands aside.
   * That probe fills one arena hit in FILL_EVERY (#probing), judged by the same projection (exact for
   * uniform gets whatever the fill rate, and hot keys, hit often, still get in first): a probe of gets it
   * can't hold then leaves ~WINDOW / FILL_EVERY entries of garbage, not up to WINDOW (stop 46: their
   * keys' internalization and the fills were the cost of standing aside beyond the gate), and a hot set
   * that follows is found by the same probe as before (bench/arena/front-phases.ts).
   * A filling front whose projection fell short of FULL_PAYING by less (a budget about the size of the
   * keys read: bench/arena/front-peers.ts, uniform gets over 1M keys, a repeated sequence naming 408k
   * of them, a 128 MiB front for ~450k entries) keeps what it holds, and its next probe adds to it.
   */
  #stepAsideForShare(served: number): void {
    if (served < PAYING * WINDOW) {
      this.#probing = true
      this.clear()
    }
    this.#stepAside(true, MAX_SHARE_BYPASS)
  }

  /**
   * Skips the front for the current step-aside length, at most `most` gets; with `longer`, the next one
   * is twice as long (up to `most`).
   */
  #stepAside(longer: boolean, most: number): void {
    this.#bypass = Math.min(this.#bypassLength, most)
    this.#windowValid = false
    if (longer) this.#bypassLength = Math.min(2 * this.#bypass, most)
  }

  /**
   * Whether a front that is still filling would pay once full: the gets it served this window, scaled
   * from the entries it held (on average over the window) to the entries its budget holds. Exact for
   * uniform gets (each entry serves its share), an underestimate where hot keys came in first (they
   * serve more than their share, and such a front pays already). Paying full means FULL_PAYING, the
   * bar it will be judged by once full. A front that would not pay full steps aside as a full one does
   * (twice as long each time), so gets over far more keys than it can hold don't pay for its filling:
   * a probing window fills it by up to a window of entries.
   */
  #wouldPayFull(served: number): boolean {
    return this.#servedFull(served) >= FULL_PAYING * WINDOW
  }

  /** The gets of a window a full front would serve, projected from a filling one's `served` (see #wouldPayFull). */
  #servedFull(served: number): number {
    const size = this.#entries
    const held = (this.#windowStartEntries + size) / 2
    if (size === 0 || this.#bytes === 0) return 0
    const capacity = this.#maxBytes * size / this.#bytes
    return served * capacity / held
  }
}

/** The least of a ring of TIMED_SAMPLES times (a loop: spreading a typed array into Math.min builds an array). */
function least(times: Float64Array): number {
  let min = times[0]!
  for (let i = 1; i < times.length; i++) if (times[i]! < min) min = times[i]!
  return min
}

/** Time per get `a` beats `b` by more than TIMED_MARGIN (both known). */
function fasterBy(a: number, b: number): boolean {
  return a !== Infinity && b !== Infinity && a * (1 + TIMED_MARGIN) < b
}

/**
 * The clock windows are timed with: wall time in ms (process.cpuUsage() would count every thread of the
 * process, and Node 20 has no per-thread CPU clock); a window a preemption or a collection fell in is
 * slower, which the least of TIMED_SAMPLES windows leaves out.
 */
function wallNow(): number {
  return performance.now()
}

function deepFreeze(value: object): void {
  if (Object.isFrozen(value)) return
  Object.freeze(value)
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) deepFreeze(v)
}
