/**
 * Stop 52 (lagphase): why reads at an exact lag of 0.5 × capacity lose right after another phase (issue
 * #18; recency-probe's `phases …→lag` rows) and reads 0.15–0.25 × capacity late, written once (`delay`).
 * One trace on the model (one shard) beside LRU, per block of requests: the phase, the window target and
 * the queues' sizes (fractions of capacity), the unasked share, model / LRU hit %, window leavers
 * admitted / rejected, the mean estimate of victims that beat a leaver, the late first hits, and where the
 * keys written in the running phase are (window / probation / protected / gone). Diagnostics read the
 * shard's private state; no decision depends on them. Deterministic.
 *
 *   npx tsx bench/sim/lag-phase-probe.ts --phases zipf,lag --each 7 --size 3400 [--seed 1] [--block 0.5] [--tune k=v,…]
 *   npx tsx bench/sim/lag-phase-probe.ts --delay 0.2 [--back] --size 9300 …
 *
 * Stop 53 (lagopen): after the table, one line per `lag` phase: when its first late read came (the first
 * read of a key other than the phase's first key), the window target then, how many capacities of
 * requests passed until the target reached `--target` (0.5) × capacity and the window returns counted on
 * the way, and the late reads split by their key's write: before the first late read (only what the
 * opening kept can serve them) or after it (what a rule acting on the late reads' misses can still win),
 * each as reads, model / LRU hits.
 *
 * Stop 53 (lagreal): `--phases` takes `lagx` too (recency-sweep.ts: a lag phase whose opening reads the keys of
 * before the phase); its late reads are those of keys written in the phase, and a line per `lagx` phase counts
 * its reads of keys of before the phase (model / LRU hits). The table has missRun's wins (`miss wins`).
 *
 * Stop 56 (lagopen2): the dry run's cue per block: gets' hits, the sketch additions those hits made per insert
 * (a hit on a key whose counters are all at 15 adds nothing), inserts written unasked / inserts, the dry run
 * (research knob dryRun: unasked inserts in a row with no addition but their own) at the block's end, dryRun's wins.
 *
 * Stop 56 (dryrobust): `--phases` takes `lagh` (recency-sweep.ts: `lag` whose opening sends a share of its reads to a
 * hot set or random earlier keys) with `--q 0.2 --hot 10|0.05C|0`; its late reads are counted as `lag`'s.
 */
import { phasesTrace, delayTrace, laghOptions, type Phase } from '../arena/recency-sweep.js'
import { OP_WRITE } from '../workloads/trace.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'
import { replayOne } from './replay-by-capacity.js'

const args = toolArgs()
const opt = args.opt
const size = Number(opt('--size', '3400'))
const seed = Number(opt('--seed', '1'))
const each = Number(opt('--each', '7'))
const delay = opt('--delay', '')
const phases = opt('--phases', 'zipf,lag').split(',') as Phase[]
// Stop 56 (dryrobust): `lagh` phases' opening (--q share of its reads to --hot keys, '0.05C' a share of capacity, 0 random earlier keys).
const laghOpts = laghOptions(opt('--q', '0.2'), opt('--hot', '10'), size)
const trace = delay !== '' ? delayTrace(size, 1, Number(delay), args.has('--back'), seed) : phasesTrace(size, 1, phases, each, seed, 20, laghOpts)
const perPhase = Math.max(1000, Math.round(size * each))
const block = Math.round(Number(opt('--block', '0.5')) * size)
const model = new CortadoModel(size, trace, { tuning: parseTuningList(opt('--tune', '')) })
const lru = new LruPolicy(size, trace)
type S = { inserts: number; hits: number; dryRunLen: number; windowTarget: number; unaskedShare: number; sizeW: number; sizeP: number; sizeM: number; keyState: Uint16Array; stat: Record<string, number> }
const shard = model.shards[0]! as unknown as S
const keys = ['windowContests', 'losses', 'lossVictimSum', 'lateFirstHits', 'probLost', 'promotions', 'lagWins', 'missWins', 'hitRaises', 'unaskedInserts', 'dryWins']
let prev = keys.map(() => 0)
console.log(`${trace.name}, ${size} entries, blocks of ${block / size} capacities`)
console.log('| at C | phase | window target | W / P / M | unasked | model / lru | contests | lost (victim est) | late hits | prob lost | promos | lag wins | miss wins | phase keys W/P/M/gone | hits | hit adds / insert | unasked / inserts | dry run | dry wins |')
console.log('|---:|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|')
let prevIns = 0, prevHits = 0
let m = 0, l = 0, n = 0, tm = 0, tl = 0, tn = 0
let firstKey = -1
let lastKey = -1
const targetAt = Number(opt('--target', '0.5'))
const writtenAt = new Map<number, number>()
type Lag = { phase: number; firstLate: number; targetThen: number; reached: number; backs: number; pre: number[]; post: number[]; firstPost: number }
const lags: Lag[] = []
let lag: Lag | undefined
let backsAtLate = 0
const before = new Map<number, number[]>()
for (let i = 0; i < trace.keys.length; i++) {
  if (delay === '' && i % perPhase === 0) firstKey = -1
  const op = trace.ops === undefined ? 0 : trace.ops[i]!
  const k = trace.keys[i]!
  const modelHit = replayOne(model, op, k)
  const lruHit = replayOne(lru, op, k)
  const phaseNo = Math.floor(i / perPhase)
  if (delay === '' && i % perPhase === 0) lag = undefined
  // Stop 53 (lagreal): a `lagx` phase's reads of keys of before the phase (its opening: the previous phase's keys,
  // or ids no write made), per phase: reads, model / LRU hits.
  if (delay === '' && op !== OP_WRITE && phases[phaseNo] === 'lagx' && !((writtenAt.get(k) ?? -1) >= phaseNo * perPhase)) {
    const b = before.get(phaseNo) ?? [0, 0, 0]
    b[0]!++
    if (modelHit) b[1]!++
    if (lruHit) b[2]!++
    before.set(phaseNo, b)
  }
  if (op === OP_WRITE) {
    if (firstKey < 0) firstKey = k
    lastKey = k
    writtenAt.set(k, i)
  } else if (delay === '' && ((phases[phaseNo] === 'lag' || phases[phaseNo] === 'lagh') || (phases[phaseNo] === 'lagx' && (writtenAt.get(k) ?? -1) >= phaseNo * perPhase)) && k !== firstKey && writtenAt.has(k)) {
    if (lag === undefined) {
      lag = { phase: phaseNo, firstLate: i, targetThen: shard.windowTarget / size, reached: -1, backs: 0, pre: [0, 0, 0], post: [0, 0, 0], firstPost: -1 }
      backsAtLate = shard.stat.windowBack!
      lags.push(lag)
    }
    const bucket = writtenAt.get(k)! < lag.firstLate ? lag.pre : lag.post
    if (bucket === lag.post && lag.firstPost < 0) lag.firstPost = i
    bucket[0]!++
    if (modelHit) bucket[1]!++
    if (lruHit) bucket[2]!++
  }
  if (lag !== undefined && lag.reached < 0 && shard.windowTarget >= targetAt * size) {
    lag.reached = i
    lag.backs = shard.stat.windowBack! - backsAtLate
  }
  if (op !== OP_WRITE) {
    n++
    if (modelHit) m++
    if (lruHit) l++
  }
  if ((i + 1) % block === 0 || i === trace.keys.length - 1) {
    const d = keys.map((key, j) => shard.stat[key]! - prev[j]!)
    prev = keys.map((key) => shard.stat[key]!)
    const p = (x: number): string => ((100 * x) / Math.max(1, n)).toFixed(1)
    const where = [0, 0, 0, 0]
    if (firstKey >= 0) {
      for (let key = firstKey; key <= lastKey; key++) where[shard.keyState[key]! & 3]!++
    }
    const ph = delay !== '' ? 'delay' : phases[Math.min(phases.length - 1, Math.floor(i / perPhase))]
    console.log(`| ${((i + 1) / size).toFixed(1)} | ${ph} | ${(shard.windowTarget / size).toFixed(3)} | ${(shard.sizeW / size).toFixed(2)} / ${(shard.sizeP / size).toFixed(2)} / ${(shard.sizeM / size).toFixed(2)} | ${shard.unaskedShare.toFixed(2)} | ${p(m)} / ${p(l)} | ${d[0]} | ${d[1]} (${(d[2]! / Math.max(1, d[1]!)).toFixed(2)}) | ${d[3]} | ${d[4]} | ${d[5]} | ${d[6]} | ${d[7]} | ${firstKey >= 0 ? `${where[1]}/${where[2]}/${where[3]}/${where[0]}` : ''} | ${shard.hits - prevHits} | ${(d[8]! / Math.max(1, shard.inserts - prevIns)).toFixed(3)} | ${d[9]} / ${shard.inserts - prevIns} | ${shard.dryRunLen} | ${d[10]} |`)
    prevIns = shard.inserts
    prevHits = shard.hits
    tm += m; tl += l; tn += n
    m = l = n = 0
  }
}
for (const g of lags) {
  const c = (x: number): string => (x < 0 ? 'never' : (x / size).toFixed(2))
  const split = (b: number[]): string => `${b[0]} reads, model ${b[1]} / lru ${b[2]}`
  console.log(`lag phase ${g.phase + 1}: first late read at ${c(g.firstLate)} C, window target then ${g.targetThen.toFixed(3)}; ` +
    `≥ ${targetAt} after ${g.reached < 0 ? 'never' : ((g.reached - g.firstLate) / size).toFixed(2)} C (${g.backs} window returns); ` +
    `keys written before it: ${split(g.pre)}; after it: ${split(g.post)}, the first read ${g.firstPost < 0 ? 'never' : `${((g.firstPost - g.firstLate) / size).toFixed(2)} C`} after`)
}
for (const [ph, b] of before) console.log(`lagx phase ${ph + 1}: reads of keys of before the phase ${b[0]}, model ${b[1]} / lru ${b[2]}`)
console.log(`whole run: model − lru ${((100 * (tm - tl)) / Math.max(1, tn)).toFixed(2)}`)
