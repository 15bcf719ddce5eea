/**
 * Stop 50 (lagonce): one recency-sweep row (bench/arena/recency-sweep.ts, by exact name) or one once-zipf
 * mix (`--mix w,r,k,shape,mode`) per block of requests on the model (one shard) beside LRU: the window
 * target, the unasked and hot shares, and per block the late first hits (lateHit), the ghost's window and
 * main returns, and model − LRU. For finding where lateHit's growth pays and where it squeezes a hot set.
 * Diagnostics read the shard's private state; no decision depends on them. Deterministic.
 *
 *   npx tsx bench/sim/late-probe.ts --row 'mix w0.05 lag 0.5C once' [--size 10000] [--block 1] [--tune k=v,…] [--seed N]
 *   npx tsx bench/sim/late-probe.ts --mix 0.1,0.2,1.5,uni,once [--capacities 40] [--tune k=v,…]
 */
import { sweepRows } from '../arena/recency-sweep.js'
import { onceZipfTrace } from '../workloads/once-zipf-trace.js'
import { OP_READ, OP_WRITE, type Trace } from '../workloads/trace.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const opt = args.opt
const size = Number(opt('--size', '10000'))
const block = Math.round(Number(opt('--block', '1')) * size)
let trace: Trace
const mix = opt('--mix', '')
if (mix !== '') {
  const [w, r, k, shape, mode] = mix.split(',')
  trace = onceZipfTrace({ capacity: size, length: Number(opt('--capacities', '40')) * size, w: Number(w), r: Number(r), k: Number(k), exponential: shape === 'exp', writeBack: mode === 'back', skew: Number(opt('--skew', '0.9')) })
} else {
  const row = sweepRows().find((x) => x.name === opt('--row', 'mix w0.05 lag 0.5C once'))
  if (row === undefined) throw new Error('--row: no such sweep row')
  trace = row.make(size, Number(opt('--scale', '1')))
}
const model = new CortadoModel(size, trace, { tuning: parseTuningList(opt('--tune', '')), seed: opt('--seed', '') === '' ? undefined : Number(opt('--seed', '')) })
const lru = new LruPolicy(size, trace)
const shard = model.shards[0]! as unknown as { windowTarget: number; unaskedShare: number; hotShare: number; quietOn: boolean; ghost: { tagCount(t: number): number }; stat: Record<string, number> }
const keys = ['lateFirstHits', 'windowBack', 'mainBack']
let prev = keys.map(() => 0)
console.log(`${trace.name}, ${size} entries, blocks of ${block / size} capacities of requests`)
console.log('| block | window | unasked | hot | late first hits | window back | main back | model / lru | quiet | ghost window / main |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
let m = 0, l = 0, n = 0, tm = 0, tl = 0, tn = 0
for (let i = 0; i < trace.keys.length; i++) {
  const op = trace.ops === undefined ? 0 : trace.ops[i]!
  const k = trace.keys[i]!
  if (op === OP_WRITE) {
    model.write(k)
    lru.write(k)
  } else {
    n++
    if (op === OP_READ ? model.read(k) : model.access(k)) m++
    if (op === OP_READ ? lru.read(k) : lru.access(k)) l++
  }
  if ((i + 1) % block === 0 || i === trace.keys.length - 1) {
    const d = keys.map((key, j) => shard.stat[key]! - prev[j]!)
    prev = keys.map((key) => shard.stat[key]!)
    const p = (x: number): string => ((100 * x) / Math.max(1, n)).toFixed(1)
    console.log(`| ${((i + 1) / size).toFixed(1)} | ${(shard.windowTarget / size).toFixed(3)} | ${shard.unaskedShare.toFixed(2)} | ${shard.hotShare.toFixed(3)} | ${d.join(' | ')} | ${p(m)} / ${p(l)} | ${shard.quietOn ? 'on' : ''} | ${shard.ghost.tagCount(0)} / ${shard.ghost.tagCount(1)} |`)
    tm += m; tl += l; tn += n
    m = l = n = 0
  }
}
console.log(`whole run: model − lru ${((100 * (tm - tl)) / Math.max(1, tn)).toFixed(2)}`)
