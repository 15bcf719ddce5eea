/**
 * One row of the write-once + Zipf mix (bench/sim/once-zipf.ts) per block of requests, on the model:
 * the window target (fraction of capacity), the share of inserts written unasked, the model's and
 * LRU's hit ratios on the Zipf reads and on the recent reads, and the early ageings so far. For
 * finding when and where a variant loses. One shard.
 *
 *   npx tsx bench/sim/once-zipf-diag.ts [--capacity 10000] [--capacities 40] [--block 2] [--w 0.5] [--r 0.3]
 *     [--k 1.5] [--shape exp] [--mode once] [--skew 0.9] [--tune k=v,…]
 */
import { onceZipfTrace } from '../workloads/once-zipf-trace.js'
import { replayOne } from './replay-by-capacity.js'
import { CortadoModel } from './model/cortado.js'
import { parseTuningList } from './tuning-args.js'
import { LruPolicy } from './policies/lru.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const opt = args.opt
const capacity = Number(opt('--capacity', '10000'))
const capacities = Number(opt('--capacities', '40'))
const block = Math.round(Number(opt('--block', '2')) * capacity)
const trace = onceZipfTrace({
  capacity, length: capacities * capacity, w: Number(opt('--w', '0.5')), r: Number(opt('--r', '0.3')), k: Number(opt('--k', '1.5')),
  exponential: opt('--shape', 'exp') === 'exp', writeBack: opt('--mode', 'once') === 'back', skew: Number(opt('--skew', '0.9')),
})
const zipfKeys = 5 * capacity
const model = new CortadoModel(capacity, trace, { tuning: parseTuningList(opt('--tune', '')) })
const lru = new LruPolicy(capacity, trace)
// Diagnostics read the shard's private state; no decision depends on them.
const shard = model.shards[0]! as unknown as { windowTarget: number; unaskedShare: number; hotShare: number; earlyAgeings: number; stat: Record<string, number> }
const statKeys = ['lateFirstHits', 'windowBack', 'mainBack']
let prevStat = statKeys.map(() => 0)
console.log(`${trace.name}, ${capacity} entries, blocks of ${block / capacity} capacities`)
console.log('| block | window | unasked share | hot share | ageings | zipf model / lru | recent model / lru | all model − lru | late first hits | window back | main back |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
let zm = 0, zl = 0, zr = 0, rm = 0, rl = 0, rr = 0
for (let i = 0; i < trace.keys.length; i++) {
  const op = trace.ops![i]!
  const k = trace.keys[i]!
  const a = replayOne(model, op, k)
  const b = replayOne(lru, op, k)
  if (a !== undefined) {
    if (k < zipfKeys) {
      zr++; if (a) zm++; if (b) zl++
    } else {
      rr++; if (a) rm++; if (b) rl++
    }
  }
  if ((i + 1) % block === 0) {
    const p = (x: number, n: number): string => ((100 * x) / Math.max(1, n)).toFixed(1)
    const all = (100 * (zm + rm - zl - rl)) / Math.max(1, zr + rr)
    console.log(`| ${(i + 1) / capacity} | ${(shard.windowTarget / capacity).toFixed(3)} | ${shard.unaskedShare.toFixed(2)} | ${(shard.hotShare ?? 0).toFixed(3)} | ${shard.earlyAgeings} | ${p(zm, zr)} / ${p(zl, zr)} | ${p(rm, rr)} / ${p(rl, rr)} | ${all >= 0 ? '+' : ''}${all.toFixed(2)} | ${statKeys.map((key, j) => shard.stat[key]! - prevStat[j]!).join(' | ')} |`)
    prevStat = statKeys.map((key) => shard.stat[key]!)
    zm = zl = zr = rm = rl = rr = 0
  }
}
