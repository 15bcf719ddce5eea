/**
 * Issue 18's class beyond the pinned families (stop 49, sweep18): recency workloads the issue's text
 * allows and no suite pins, on the REAL cache as a user makes it (`new Cache({ maxEntries, maxBytes:
 * Cache.maxBytesFor(maxEntries, 64), codec: 'string' })`, default shards unless --shards) against lru-cache, with `'clock'` for reference. Each
 * row prints Cortado − LRU over every read, over the last half of the reads (the adapted figure,
 * issue: ≥ LRU − 0.5 once adapted), and clock − LRU; `--model` adds the model (bench/sim/model,
 * default shard count of the real cache) for exploring. Deterministic (seeded traces, seeded cache).
 *
 * Families (lengths in capacities C; "once": a read that misses is not written back, "back": it is):
 *  - mix: write share w of new keys, the rest read a recent write: uniform over the last k·C writes,
 *    exponential (mean k·C/4), Zipf(1) over recency rank within k·C, or exactly the key written k·C
 *    writes ago ("lag");
 *  - 404: write-then-read 0.5·C with a share of reads for keys never written (new each time, or a pool
 *    of 2·C keys read Zipf(0.9): a bot asking for the same missing ids);
 *  - delay: reads uniform over the writes between d·C and (d + 0.5)·C ago;
 *  - burst: write b·C new keys, then read each of them (shuffled) r times, repeat;
 *  - moving: Zipf(s) over n keys per entry whose ranks move by `shift` every p capacities (cache-aside);
 *  - phases: recency / frequency / scan / loop phases in other orders and lengths;
 *  - bytes: maxBytes-bounded caches with values of 64 B–4 KiB (log-uniform by key), against lru-cache
 *    with `maxSize` set to the payload bytes the same Cortado cache holds when full (key + value
 *    lengths of the entries resident after a fill of unique keys).
 *
 *   npx tsx bench/arena/recency-sweep.ts [--sizes 10000[,50000]] [--only TEXT[,TEXT]] [--shards N]
 *     [--engine wasm|native] [--model] [--scale 1] [--cortado <dist>/src/index.js] [--worst 12]
 *     [--expected-entry-size N]   (bytes rows: passed to the Cortado caches, e.g. 1000 for these values)
 *
 * Default: every family at 10k entries (one shard) and the count-bound families' moving and mix rows
 * at 50k (4 shards): ~8 min on a shared 2-core host.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LRUCache } from 'lru-cache'
import { Prng } from '../workloads/prng.js'
import { OP_READ, OP_READ_THROUGH, OP_WRITE, type Trace } from '../workloads/trace.js'
import { ZipfSampler } from '../workloads/zipf.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from '../sim/model/cortado.js'
import { simulate } from '../sim/simulate.js'
import { LruPolicy } from '../sim/policies/lru.js'
import { computeGeometry } from '../../src/layout/geometry.js'
import * as L from '../../src/layout/constants.generated.js'

/** A sweep row: a trace built per capacity; `bytes` rows bound the cache by maxBytes. */
export interface SweepRow {
  name: string
  make: (capacity: number, scale: number) => Trace
  bytes?: boolean
}

/** Appends ops to growable arrays (rows differ in length; a few million requests at most). */
class Builder {
  keys: number[] = []
  ops: number[] = []
  next = 0
  write(): number {
    this.writeId(this.next)
    return this.next++
  }
  /** A write of `id` (a generator that maps its n-th written key to an id of its own: `next` counts them). */
  writeId(id: number): void {
    this.keys.push(id)
    this.ops.push(OP_WRITE)
  }
  read(key: number, back: boolean): void {
    this.keys.push(key)
    this.ops.push(back ? OP_READ_THROUGH : OP_READ)
  }
  /** `universe`: past the written ids when reads name ids no write made (404s). */
  trace(name: string, universe = this.next): Trace {
    return { name, keys: Int32Array.from(this.keys), ops: Uint8Array.from(this.ops), universe }
  }
}

const len = (c: number, capacities: number, scale: number): number => Math.max(1000, Math.round(c * capacities * scale))

export type Distance = 'uniform' | 'exp' | 'zipf' | 'lag'

/** w: write share; reads of a recent write by `dist` within k·C writes; after a fill of C writes. */
export function mixTrace(c: number, scale: number, w: number, dist: Distance, k: number, back: boolean, seed: number): Trace {
  const rng = new Prng(seed)
  const b = new Builder()
  const span = Math.max(1, Math.round(k * c))
  const zipf = dist === 'zipf' ? new ZipfSampler(span, 1) : undefined
  for (let i = 0; i < c; i++) b.write()
  const n = len(c, 20, scale)
  for (let i = 0; i < n; i++) {
    if (rng.nextFloat() < w) {
      b.write()
      continue
    }
    let d: number
    if (dist === 'uniform') d = rng.nextInt(span)
    else if (dist === 'exp') d = Math.min(span - 1, Math.floor((-Math.log(1 - rng.nextFloat()) * span) / 4))
    else if (dist === 'zipf') d = zipf!.sample(rng) - 1
    else d = span - 1
    b.read(Math.max(0, b.next - 1 - d), back)
  }
  return b.trace(`mix w${w} ${dist} ${k}C ${back ? 'back' : 'once'}`)
}

/** Write-then-read 0.5·C (w 0.1) where a share q of reads asks for keys never written. */
export function notFoundTrace(c: number, scale: number, q: number, pooled: boolean, back: boolean, seed: number): Trace {
  const rng = new Prng(seed)
  const b = new Builder()
  const n = len(c, 20, scale)
  // Missing ids live above every written id: the written ids are < c + n.
  const missingBase = c + n
  const pool = pooled ? new ZipfSampler(2 * c, 0.9) : undefined
  let fresh = missingBase + 2 * c
  for (let i = 0; i < c; i++) b.write()
  const span = Math.round(0.5 * c)
  for (let i = 0; i < n; i++) {
    if (rng.nextFloat() < 0.1) { b.write(); continue }
    // A 404: never set, whatever the mode (nothing to write back).
    if (rng.nextFloat() < q) b.read(pooled ? missingBase + pool!.sample(rng) - 1 : fresh++, false)
    else b.read(Math.max(0, b.next - 1 - rng.nextInt(span)), back)
  }
  return b.trace(`404 ${q} ${pooled ? 'pool' : 'fresh'} ${back ? 'back' : 'once'}`, fresh)
}

/** Reads uniform over the writes between d·C and (d + 0.5)·C ago (w 0.1). */
export function delayTrace(c: number, scale: number, d: number, back: boolean, seed: number): Trace {
  const rng = new Prng(seed)
  const b = new Builder()
  const from = Math.round(d * c)
  const span = Math.round(0.5 * c)
  for (let i = 0; i < c + from; i++) b.write()
  const n = len(c, 20, scale)
  for (let i = 0; i < n; i++) {
    if (rng.nextFloat() < 0.1) { b.write(); continue }
    b.read(Math.max(0, b.next - 1 - from - rng.nextInt(span)), back)
  }
  return b.trace(`delay ${d}C+0.5C ${back ? 'back' : 'once'}`)
}

/** Write b·C new keys, then read each of them r times in a shuffled order; repeat. */
export function burstTrace(c: number, scale: number, size: number, r: number, back: boolean, seed: number): Trace {
  const rng = new Prng(seed)
  const b = new Builder()
  const batch = Math.max(1, Math.round(size * c))
  const order = new Int32Array(batch * r)
  const total = len(c, 20, scale)
  while (b.keys.length < total) {
    const first = b.next
    for (let i = 0; i < batch; i++) b.write()
    for (let i = 0; i < order.length; i++) order[i] = first + (i % batch)
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1)
      const t = order[i]!
      order[i] = order[j]!
      order[j] = t
    }
    for (let i = 0; i < order.length; i++) b.read(order[i]!, back)
  }
  return b.trace(`burst ${size}C ×${r} ${back ? 'back' : 'once'}`)
}

/** Zipf(s) over perEntry·C keys whose ranks move by shift·C every `every` capacities (cache-aside). */
export function movingTrace(c: number, scale: number, s: number, perEntry: number, every: number, shift: number, seed: number): Trace {
  const rng = new Prng(seed)
  const n = len(c, 40, scale)
  const nk = perEntry * c
  const zipf = new ZipfSampler(nk, s)
  const phase = Math.max(1, Math.round(every * c * scale))
  const by = Math.max(1, Math.round(shift * c))
  const keys = new Int32Array(n)
  let offset = 0
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % phase === 0) offset += by
    keys[i] = offset + zipf.sample(rng) - 1
  }
  return { name: `moving s${s} ${perEntry}/entry every ${every}C by ${shift}C`, keys, universe: offset + nk }
}

/**
 * A Zipf(s) hot set over perEntry·C keys read cache-aside that moves wholesale (to perEntry·C new ids) every
 * `every` capacities, while a share w of requests sets a new key no get asked for (stop 54, lagport: cache-aside
 * gets that miss in long runs beside unasked writes, the traffic a run-of-misses cue must not mistake for a lag
 * phase's opening).
 */
export function movingWritesTrace(c: number, scale: number, s: number, perEntry: number, every: number, w: number, seed: number): Trace {
  const rng = new Prng(seed)
  const b = new Builder()
  const nk = perEntry * c
  const zipf = new ZipfSampler(nk, s)
  const n = len(c, 40, scale)
  const phase = Math.max(1, Math.round(every * c * scale))
  // Hot-set ids are even, written ids odd: the two never meet.
  let offset = 0
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % phase === 0) offset += nk
    if (rng.nextFloat() < w) {
      b.writeId(2 * b.next++ + 1)
    } else b.read(2 * (offset + zipf.sample(rng) - 1), true)
  }
  return b.trace(`moving+writes s${s} ${perEntry}/entry every ${every}C w${w}`, Math.max(2 * (offset + nk), 2 * b.next + 1))
}

/**
 * A 404 flood: a Zipf(0.9) set over 5·C keys read cache-aside, a share w of requests setting new keys unasked, and
 * every `every` capacities of requests a run of flood·C requests of gets of ids never written (a crawler or a bad
 * client asking for missing ids: long runs of misses, none written back; stop 54, lagport), with the writes going
 * on through the run if `during`.
 */
export function floodTrace(c: number, scale: number, flood: number, every: number, w: number, during: boolean, seed: number): Trace {
  const rng = new Prng(seed)
  const b = new Builder()
  const nk = 5 * c
  const zipf = new ZipfSampler(nk, 0.9)
  const n = len(c, 40, scale)
  const period = Math.max(1, Math.round(every * c * scale))
  const run = Math.max(1, Math.round(flood * c))
  // Ids: the Zipf set 0..nk, then written keys and missing ids interleaved past it (3·k + 1 written, 3·k + 2 missing).
  let missing = 0
  for (let i = 0; i < n; i++) {
    if (i % period === period - 1) {
      for (let j = 0; j < run; j++) {
        // `during`: the service's writes go on through the flood (a run of misses with unasked writes in it).
        if (during && rng.nextFloat() < w) {
          b.writeId(nk + 3 * b.next++ + 1)
        } else b.read(nk + 3 * missing++ + 2, false)
      }
      continue
    }
    if (rng.nextFloat() < w) {
      b.writeId(nk + 3 * b.next++ + 1)
    } else b.read(zipf.sample(rng) - 1, true)
  }
  return b.trace(`404 flood ${flood}C every ${every}C w${w}${during ? ' writes during' : ''}`, nk + 3 * Math.max(b.next, missing) + 3)
}

export type Phase = 'scan' | 'zipf' | 'zipf2' | 'once' | 'back' | 'loop' | 'lag' | 'lagx' | 'lagh'

/**
 * Stop 56 (dryrobust): `lagh`'s opening. A share `q` of the reads `lag` would make of the phase's first key go instead
 * to a hot set of `hot` keys (Zipf 0.9; ids of its own, reserved at the phase's start, read through, so their first
 * reads miss and fill) or, with `hot` 0, to a uniformly random earlier key (any id below the phase's first write:
 * a previous phase's keys or a Zipf universe; read through). Not in any drawn row.
 */
export type LaghOpts = { q: number; hot: number }

/** LaghOpts from command-line text: `hot` a count of keys, or a share of capacity `c` written with a C ('0.05C'). */
export function laghOptions(q: string, hot: string, c: number): LaghOpts {
  return { q: Number(q), hot: hot.endsWith('C') ? Math.round(Number(hot.slice(0, -1)) * c) : Number(hot) }
}

/**
 * Phases in turn, each `each` capacities long: recency (write-then-read 0.5·C), Zipf(0.9) over
 * `zipfPerEntry`·C keys, scans, loops.
 *
 * `lag` reads each key exactly 0.5·C writes after its write; during its opening (fewer than 0.5·C keys
 * written in the phase) it reads the phase's FIRST key again and again. `lagx` (stop 53, lagreal; not in
 * any drawn row) is the same phase as a service with lagged reads would make it: its opening reads the key
 * 0.5·C key ids before the next write across the phase boundary too, i.e. the previous phase's keys (a
 * scan's written-once keys, a Zipf phase's rarest keys, a loop's last keys) or, from empty, keys no write
 * ever made (404s, ids past the trace's writes). After the opening the two phases are the same.
 */
export function phasesTrace(c: number, scale: number, phases: Phase[], each: number, seed: number, zipfPerEntry = 20, lagh: LaghOpts = { q: 0.2, hot: 10 }): Trace {
  const rng = new Prng(seed)
  const b = new Builder()
  const zk = zipfPerEntry * c
  const z = new ZipfSampler(zk, 0.9)
  const zipfBase = [0, 0]
  const loopKeys = Math.round(1.5 * c)
  let loopBase = -1
  const n = len(c, each, scale)
  const lagKeys = Math.round(0.5 * c)
  /** `lagx` reads before the first id (from empty): positions and how far before; remapped past the writes. */
  const before: [number, number][] = []
  for (const p of phases) {
    if ((p === 'zipf' || p === 'zipf2') && zipfBase[p === 'zipf' ? 0 : 1] === 0) {
      zipfBase[p === 'zipf' ? 0 : 1] = b.next
      b.next += zk
    }
    if (p === 'loop' && loopBase < 0) {
      loopBase = b.next
      b.next += loopKeys
    }
    // `lagh` (stop 56, dryrobust): its hot set's ids, reserved before the phase's first write; no draw for other phases.
    let hotBase = -1
    const hotZipf = p === 'lagh' && lagh.hot > 0 ? new ZipfSampler(lagh.hot, 0.9) : undefined
    if (hotZipf !== undefined) {
      hotBase = b.next
      b.next += lagh.hot
    }
    const firstWrite = b.next
    for (let i = 0; i < n; i++) {
      if (p === 'scan') b.read(b.next++, true)
      else if (p === 'zipf' || p === 'zipf2') b.read(zipfBase[p === 'zipf' ? 0 : 1]! + z.sample(rng) - 1, true)
      else if (p === 'loop') b.read(loopBase + (i % loopKeys), true)
      else if (p === 'lagx') {
        if (rng.nextFloat() < 0.1) b.write()
        else {
          const k = b.next - lagKeys
          if (k < 0) before.push([b.keys.length, -k])
          b.read(Math.max(0, k), false)
        }
      } else if (b.next === firstWrite || rng.nextFloat() < 0.1) b.write()
      else {
        const span = Math.min(b.next - firstWrite, Math.round(0.5 * c))
        const d = p === 'lag' || p === 'lagh' ? span - 1 : rng.nextInt(span)
        // `lagh`: an opening read (of the phase's first key) goes elsewhere with probability q.
        if (p === 'lagh' && span < lagKeys && rng.nextFloat() < lagh.q) {
          b.read(hotZipf !== undefined ? hotBase + hotZipf.sample(rng) - 1 : rng.nextInt(Math.max(1, hotBase < 0 ? firstWrite : hotBase)), true)
        } else b.read(b.next - 1 - d, p === 'back')
      }
    }
  }
  let universe = b.next
  for (const [at, k] of before) {
    b.keys[at] = b.next + k - 1
    universe = Math.max(universe, b.next + k)
  }
  return b.trace(`phases ${phases.join('→')} ${each}C each${zipfPerEntry === 20 ? '' : ` zipf ${zipfPerEntry}/entry`}`, universe)
}

/** A row's trace seed: a hash of its name (FNV-1a), so adding or reordering rows changes no other row's trace. */
function nameSeed(name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Every row of the sweep (deterministic: each row's trace is seeded by its name). */
export function sweepRows(): SweepRow[] {
  const rows: SweepRow[] = []
  const add = (name: string, make: (c: number, scale: number, seed: number) => Trace, bytes = false): void => {
    const s = nameSeed(name)
    rows.push({ name, make: (c, scale) => make(c, scale, s), bytes })
  }
  for (const w of [0.05, 0.2, 0.3, 0.5]) {
    for (const dist of ['uniform', 'exp', 'zipf', 'lag'] as Distance[]) {
      for (const k of dist === 'lag' ? [0.5, 0.9] : [0.5, 1.2]) {
        for (const back of [false, true]) add(`mix w${w} ${dist} ${k}C ${back ? 'back' : 'once'}`, (c, sc, s) => mixTrace(c, sc, w, dist, k, back, s))
      }
    }
  }
  for (const q of [0.2, 0.5]) {
    for (const pooled of [false, true]) {
      for (const back of [false, true]) add(`404 ${q} ${pooled ? 'pool' : 'fresh'} ${back ? 'back' : 'once'}`, (c, sc, s) => notFoundTrace(c, sc, q, pooled, back, s))
    }
  }
  for (const d of [0.2, 0.5, 0.8]) {
    for (const back of [false, true]) add(`delay ${d}C+0.5C ${back ? 'back' : 'once'}`, (c, sc, s) => delayTrace(c, sc, d, back, s))
  }
  // Stop 52 (wbdelay): between the grid's points, where recency-probe.ts found written-back delays losing
  // most (0.6-0.7 × capacity: new keys read only late in the window, write-backs read again soon; YOUNG_TEST).
  add('delay 0.7C+0.5C back', (c, sc, s) => delayTrace(c, sc, 0.7, true, s))
  // And at 0.55, where YOUNG_TEST's share of new keys read young sits near YOUNG_MIN: its veto lifts, and
  // without YOUNG_HANDOFF RETURN_TO collapsed the cache (model, 4000 entries: −2.0 with it, −17.9 without).
  add('delay 0.55C+0.5C back', (c, sc, s) => delayTrace(c, sc, 0.55, true, s))
  for (const [size, r] of [[0.5, 1], [0.9, 1], [1, 1], [0.9, 2]] as const) {
    for (const back of [false, true]) add(`burst ${size}C ×${r} ${back ? 'back' : 'once'}`, (c, sc, s) => burstTrace(c, sc, size, r, back, s))
  }
  // Stop 51 (burstclass): between the grid's points, where recency-probe.ts found the class losing: a burst of
  // 0.65·C (a start-up loss: the second burst's keys lose to the first's hit counts) and of 1.25·C (more than
  // the cache: LRU keeps the last C writes of each burst).
  // Stop 52 (mildclass): 1.15·C read four times, written once, where the probe's many mild rows were (the second
  // burst read at a window of 0.9 before the unasked share reached ONCE_SHARE: ONCE_LIFT).
  // Stop 53 (burst06): 0.65·C read three times written back too (COLD_SHED takes both to LRU).
  for (const [size, r, modes] of [[0.65, 3, [false, true]], [1.25, 2, [false, true]], [1.15, 4, [false]]] as const) {
    for (const back of modes) add(`burst ${size}C ×${r} ${back ? 'back' : 'once'}`, (c, sc, s) => burstTrace(c, sc, size, r, back, s))
  }
  for (const s of [0.7, 0.99, 1.2]) {
    for (const perEntry of [5, 50]) {
      for (const every of [2, 4, 10]) add(`moving s${s} ${perEntry}/entry every ${every}C by ${perEntry / 2}C`, (c, sc, sd) => movingTrace(c, sc, s, perEntry, every, perEntry / 2, sd))
    }
  }
  for (const shift of [0.05, 0.25, 1]) {
    for (const every of [1, 2, 4]) add(`moving s0.9 20/entry every ${every}C by ${shift}C`, (c, sc, sd) => movingTrace(c, sc, 0.9, 20, every, shift, sd))
  }
  const orders: [Phase[], number][] = [
    [['once', 'zipf', 'once'], 10],
    [['once', 'zipf', 'once'], 3],
    [['zipf', 'scan', 'once'], 10],
    [['once', 'loop', 'once'], 10],
    [['loop', 'once'], 10],
    [['zipf', 'zipf2', 'once'], 10],
    [['back', 'once', 'back', 'once'], 5],
    [['zipf', 'lag', 'zipf', 'lag'], 5],
    [['once', 'zipf', 'scan', 'once'], 30],
    // Stop 53 (burst06): write-then-read written back that hits every read has write-once's unasked share; ONCE_LIFT
    // took it to 0.995, the loop after it collapsed the window to its floor and the lag phase lost (ONCE_DROP).
    [['back', 'loop', 'scan', 'lag'], 14],
    // Stop 54 (lagport): lag phases whose opening reads keys of before the phase (`lagx`: after a Zipf phase its
    // rarest ids, after a scan its last keys), the probe's worst lag rows (stop 53, lagreal) as a service makes them.
    [['zipf', 'lagx'], 7],
    [['zipf2', 'lagx', 'scan'], 13],
    [['scan', 'lagx', 'lagx'], 8],
    // Stop 56 (lagopen2): the same with the generator's `lag` opening (its gets read the phase's first key, nine per
    // write: they all hit one saturated key), the probe's largest loss by points (DRY_RUN).
    [['zipf', 'lag'], 7],
    [['scan', 'lag', 'lag'], 8],
    [['zipf2', 'lag', 'scan'], 13],
  ]
  for (const [phases, each] of orders) add(`phases ${phases.join('→')} ${each}C each`, (c, sc, s) => phasesTrace(c, sc, phases, each, s))
  // Stop 51 (movingzipf): short phases alternating recency and a Zipf over 10 keys per entry (stop 50, lead,
  // found 5-capacity phases under LRU − 1 at 4000 / 8000 entries): TinyLFU pays its adaptation twice a period.
  const short: [Phase[], number, number][] = [
    [['scan', 'zipf', 'once', 'zipf'], 5, 10],
    [['zipf', 'once', 'zipf', 'once', 'zipf', 'once'], 5, 10],
    [['zipf', 'back', 'zipf', 'back', 'zipf', 'back'], 5, 10],
    [['zipf', 'once', 'zipf', 'once', 'zipf', 'once'], 2, 10],
    [['zipf', 'once', 'zipf', 'once', 'zipf', 'once'], 5, 50],
  ]
  for (const [phases, each, per] of short) add(`phases ${phases.join('→')} ${each}C each zipf ${per}/entry`, (c, sc, s) => phasesTrace(c, sc, phases, each, s, per))
  // Stop 54 (lagport): gets that miss in long runs beside writes no get asked for, where MISS_RUN's cue could fire
  // and must not cost: a cache-aside hot set moving wholesale, and 404 floods beside a Zipf set read cache-aside.
  for (const [s, perEntry, every, w] of [[0.9, 5, 4, 0.1], [0.9, 5, 2, 0.3], [0.7, 2, 4, 0.1]] as const) {
    add(`moving+writes s${s} ${perEntry}/entry every ${every}C w${w}`, (c, sc, sd) => movingWritesTrace(c, sc, s, perEntry, every, w, sd))
  }
  for (const [flood, every, w, during] of [[0.1, 2, 0, false], [0.1, 2, 0.1, false], [0.5, 4, 0.1, false], [0.05, 1, 0.3, false], [0.1, 2, 0.1, true], [0.05, 0.5, 0.3, true]] as const) {
    const name = `404 flood ${flood}C every ${every}C w${w}${during ? ' writes during' : ''}`
    add(name, (c, sc, sd) => floodTrace(c, sc, flood, every, w, during, sd))
  }
  for (const [dist, k] of [['uniform', 0.5], ['uniform', 0.9], ['lag', 0.5], ['uniform', 1.2]] as const) {
    for (const back of [false, true]) add(`bytes mix w0.1 ${dist} ${k}C ${back ? 'back' : 'once'}`, (c, sc, s) => mixTrace(c, sc, 0.1, dist, k, back, s), true)
  }
  for (const every of [2, 4]) add(`bytes moving s0.9 20/entry every ${every}C by 10C`, (c, sc, sd) => movingTrace(c, sc, 0.9, 20, every, 10, sd), true)
  add('bytes phases once→zipf→once 10C each', (c, sc, s) => phasesTrace(c, sc, ['once', 'zipf', 'once'], 10, s), true)
  return rows
}

/** Value lengths of the bytes rows: 64 B–4 KiB, log-uniform, fixed per key id (a hash, not the trace's PRNG). */
export function valueLength(key: number): number {
  let h = Math.imul(key ^ 0x9e3779b9, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return Math.round(64 * Math.pow(64, (h >>> 0) / 4294967296))
}

interface KV { get(key: string): unknown; set(key: string, value: string): unknown; close?(): void }

/** Hit ratios (%) over every read and over the last half of them. */
export function replay(trace: Trace, cache: KV, values: (key: number) => string): [all: number, late: number] {
  const { keys, ops } = trace
  const reads = ops === undefined ? keys.length : ops.reduce((n, op) => n + (op === OP_WRITE ? 0 : 1), 0)
  const half = Math.floor(reads / 2)
  let read = 0
  let hits = 0
  let lateHits = 0
  for (let i = 0; i < keys.length; i++) {
    const op = ops === undefined ? OP_READ_THROUGH : ops[i]!
    const id = keys[i]!
    const k = String(id)
    if (op === OP_WRITE) {
      cache.set(k, values(id))
      continue
    }
    const hit = cache.get(k) !== undefined
    if (hit) {
      hits++
      if (read >= half) lateHits++
    } else if (op === OP_READ_THROUGH) cache.set(k, values(id))
    read++
  }
  return [(100 * hits) / Math.max(1, read), (100 * lateHits) / Math.max(1, read - half)]
}

type CortadoModule = { Cache: (new (o: object) => KV & { stats(): { entries: number } }) & { maxBytesFor(entries: number, entryBytes: number): number } }

async function main(): Promise<void> {
  const args = toolArgs()
  const path = args.opt('--cortado', '../../src/index.js')
  const { Cache } = (await import(path)) as CortadoModule
  const scale = Number(args.opt('--scale', '1'))
  const only = args.opt('--only', '').split(',').filter((s) => s !== '')
  const shardsOpt = args.opt('--shards', '')
  const engine = args.opt('--engine', 'wasm')
  const withModel = args.has('--model')
  const worstN = Number(args.opt('--worst', '12'))
  // bytes rows: the typical entry the geometry sizes the policy's sketch, filter and ghost by (default 128 B:
  // with values of ~1 KiB they take ~15% of a 11 MB arena that 'clock' gives to entries).
  const ees = args.opt('--expected-entry-size', '')
  const eesOpt = ees === '' ? {} : { expectedEntrySize: Number(ees) }
  const sizes = args.numbers('--sizes', '10000,50000')
  const defaultRun = !args.has('--sizes') && only.length === 0
  const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)
  const shardOpt = shardsOpt === '' ? {} : { shards: Number(shardsOpt) }
  const one = (v: string): (() => string) => () => v
  const valueCache = new Map<number, string>()
  const sized = (key: number): string => {
    const n = valueLength(key)
    let v = valueCache.get(n)
    if (v === undefined) valueCache.set(n, (v = 'x'.repeat(n)))
    return v
  }
  const rows: { name: string; size: number; d: number; late: number }[] = []
  console.log(`engine ${engine}${shardsOpt === '' ? ', default shards' : `, ${shardsOpt} shards`}, scale ${scale}${ees === '' ? '' : `, expectedEntrySize ${ees} (bytes rows)`}`)
  console.log(`| row | size | shards | lru | cortado − lru | last half − lru | clock − lru |${withModel ? ' model − lru |' : ''}`)
  console.log(`|---|---:|---:|---:|---:|---:|---:|${withModel ? '---:|' : ''}`)
  for (const size of sizes) {
    for (const row of sweepRows()) {
      if (only.length > 0 && !only.some((o) => row.name.includes(o))) continue
      // The default run keeps 50k for the rows that moved most at 10k in exploring (moving, mix).
      if (defaultRun && size !== sizes[0] && !(row.name.startsWith('moving') || row.name.startsWith('mix w0.05'))) continue
      const trace = row.make(size, scale)
      let lruAll: number, lruLate: number, cortado: KV, clock: KV, values: (k: number) => string
      let shards: number
      if (row.bytes === true) {
        // About 1 KiB a value on average: an arena for `size` of them, the user's way (maxBytes only).
        const maxBytes = Cache.maxBytesFor(size, 1100)
        const make = (policy: string): KV & { stats(): { entries: number } } => new Cache({ maxBytes, codec: 'string', seed: 1, policy, engine, ...shardOpt, ...eesOpt })
        const probe = make('clock')
        let id = 2 ** 30
        for (let i = 0; i < 3 * size; i++, id++) probe.set(String(id), sized(id))
        let payload = 0
        for (let j = 2 ** 30; j < id; j++) if (probe.get(String(j)) !== undefined) payload += String(j).length + valueLength(j)
        probe.close?.()
        const lru = new LRUCache<string, string>({ maxSize: payload, sizeCalculation: (v, k) => v.length + k.length })
        values = sized;
        [lruAll, lruLate] = replay(trace, lru, values)
        cortado = make('adaptive')
        clock = make('clock')
        shards = computeGeometry({ maxBytes, policy: L.POLICY_ADAPTIVE, ...shardOpt, ...eesOpt }).shardCount
      } else {
        values = one('1')
        const lru = new LRUCache<string, string>({ max: size });
        [lruAll, lruLate] = replay(trace, lru, values)
        const make = (policy: string): KV => new Cache({ maxEntries: size, maxBytes: Cache.maxBytesFor(size, 64), codec: 'string', seed: 1, policy, engine, ...shardOpt })
        cortado = make('adaptive')
        clock = make('clock')
        shards = computeGeometry({ maxEntries: size, maxBytes: Cache.maxBytesFor(size, 64), policy: L.POLICY_ADAPTIVE, ...shardOpt }).shardCount
      }
      const [all, late] = replay(trace, cortado, values)
      cortado.close?.()
      const [clockAll] = replay(trace, clock, values)
      clock.close?.()
      let modelCell = ''
      if (withModel) {
        if (row.bytes === true) modelCell = ' |'
        else {
          const lru = simulate(trace, 'lru', size, new LruPolicy(size, trace)).hitRatio * 100
          const m = simulate(trace, 'model', size, new CortadoModel(size, trace, { shards })).hitRatio * 100
          modelCell = ` ${signed(m - lru)} |`
        }
      }
      const d = all - lruAll
      const dl = late - lruLate
      const mark = d < -1 || dl < -0.5 ? ' ✗' : ''
      rows.push({ name: row.name, size, d, late: dl })
      console.log(`| ${row.name} | ${size} | ${shards} | ${lruAll.toFixed(2)} | ${signed(d)}${mark} | ${signed(dl)} | ${signed(clockAll - lruAll)} |${modelCell}`)
    }
  }
  rows.sort((a, b) => Math.min(a.d, a.late + 0.5) - Math.min(b.d, b.late + 0.5))
  console.log(`\nworst ${worstN} (by min(all, last half + 0.5) − lru):`)
  for (const r of rows.slice(0, worstN)) console.log(`  ${r.name} @${r.size}: ${signed(r.d)} all, ${signed(r.late)} last half`)
  const failing = rows.filter((r) => r.d < -1 || r.late < -0.5).length
  console.log(`${rows.length} rows, ${failing} under LRU − 1 (or − 0.5 over the last half)`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main()
