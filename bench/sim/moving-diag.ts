/**
 * One recency family on the model against LRU, per block of requests (stop 37): the hit ratios, the
 * window target, each queue's keys of earlier phases of the moving Zipf (`old/len`: key ids below the
 * current phase's offset; meaningless for other families), and the contests, promotions and demotions
 * in the block (the shard's research counters). Deterministic.
 *
 *   npx tsx bench/sim/moving-diag.ts [--capacity 10000] [--family 'zipf(0.9) 20 keys/entry, moving every 2×cap']
 *     [--every 2] [--block 1] [--tune k=v,…]
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'

const argv = process.argv.slice(2)
const opt = (n: string): string | undefined => { const i = argv.indexOf(n); return i < 0 ? undefined : argv[i + 1] }
const capacity = Number(opt('--capacity') ?? 10000)
const fam = opt('--family') ?? 'zipf(0.9) 20 keys/entry, moving every 2×cap'
const every = Number(opt('--every') ?? 2)
const block = Math.round(capacity * Number(opt('--block') ?? 1))
const tuning = parseTuningList(opt('--tune') ?? '')
const trace = recencyWorkloads().find((w) => w.name === fam)!.make(capacity)
const lru = new LruPolicy(capacity, trace)
const m = new CortadoModel(capacity, trace, { tuning })
const sh = m.shards[0]! as any
const phase = every === 0 ? Infinity : every * capacity
let lh = 0, mh = 0, n = 0, tl = 0, tm = 0
let prev = { ...sh.stat }
const qOld = (q: any, offset: number): string => {
  const buf: Int32Array = q.buf; const mask: number = q.mask
  let old = 0
  for (let i = q.tailPos; i < q.headPos; i++) if (buf[i & mask]! < offset) old++
  return `${old}/${q.length}`
}
console.log('block lru model diff | W target | window old/len probation old/len protected old/len | ghostC won winC won lossAvgFv promo demo')
for (let i = 0; i < trace.keys.length; i++) {
  const k = trace.keys[i]!
  if (lru.access(k)) lh++
  if (m.access(k)) mh++
  n++
  if (n === block) {
    tl += lh; tm += mh
    const offset = Number.isFinite(phase) ? Math.floor(i / phase) * 10 * capacity : 0
    const st = sh.stat
    const d = (f: string): number => st[f] - prev[f]
    console.log(`${((i + 1) / capacity).toFixed(1)} ${(100 * lh / n).toFixed(2)} ${(100 * mh / n).toFixed(2)} ${(100 * (mh - lh) / n).toFixed(2)} | ${(sh.windowTarget / capacity).toFixed(3)} | ${qOld(sh.window, offset)} ${qOld(sh.probation, offset)} ${qOld(sh.prot, offset)} | ${d('ghostContests')} ${d('ghostWins')} ${d('windowContests')} ${d('windowWins') || (d('windowContests') - (d('losses') - (d('ghostContests') - d('ghostWins'))))} ${(d('lossVictimSum') / Math.max(1, d('losses'))).toFixed(2)} ${d('promotions')} ${d('demotions')} sweep ${d("sweepDemotes")}/${d("sweepSteps")} stale ${sh.staleShare.toFixed(2)} drift ${sh.driftOn ? 1 : 0} hand ${sh.handRate.toFixed(2)}`)
    prev = { ...st }
    lh = 0; mh = 0; n = 0
  }
}
console.log(`whole: lru ${(100 * tl / trace.keys.length).toFixed(2)} model ${(100 * tm / trace.keys.length).toFixed(2)} diff ${(100 * (tm - tl) / trace.keys.length).toFixed(2)} earlyAgeings ${sh.earlyAgeings}`)
