/**
 * The phases family on the model, per capacity from capacity 18 on (stop 37): the hit ratio, the window
 * target, and the Zipf keys each queue holds (all of them, and in brackets those of the 2000 most
 * popular ranks): what survives the recency phase for the last Zipf phase. Deterministic.
 *
 *   npx tsx bench/sim/phases-diag.ts [--capacity 10000] [--family 'phases scan→zipf→recency→zipf write-once'] [--tune k=v,…]
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { OP_READ, OP_WRITE } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { parseTuningList } from './tuning-args.js'
const argv = process.argv.slice(2)
const opt = (n: string): string | undefined => { const i = argv.indexOf(n); return i < 0 ? undefined : argv[i + 1] }
const capacity = Number(opt('--capacity') ?? 10000)
const fam = opt('--family') ?? 'phases scan→zipf→recency→zipf write-once'
const trace = recencyWorkloads().find((w) => w.name === fam)!.make(capacity)
const m = new CortadoModel(capacity, trace, { tuning: parseTuningList(opt('--tune') ?? '') })
const sh = m.shards[0]! as any
const zb = 10 * capacity
const cnt = (q: any, top: number): string => {
  let a = 0, b = 0
  for (let i = q.tailPos; i < q.headPos; i++) { const k = q.buf[i & q.mask]!; if (k >= zb && k < zb + 20 * capacity) { a++; if (k < zb + top) b++ } }
  return `${a}(${b})/${q.length}`
}
let h = 0, n = 0
for (let i = 0; i < trace.keys.length; i++) {
  const op = trace.ops![i]!, k = trace.keys[i]!
  if (op === OP_WRITE) m.write(k)
  else { n++; if (op === OP_READ ? m.read(k) : m.access(k)) h++ }
  if ((i + 1) % capacity === 0 && (i + 1) / capacity >= 18) {
    console.log(`${(i + 1) / capacity} hr ${(100 * h / Math.max(1, n)).toFixed(2)} W ${sh.windowTarget.toFixed(0)} win ${cnt(sh.window, 2000)} prob ${cnt(sh.probation, 2000)} prot ${cnt(sh.prot, 2000)} promo ${sh.stat.promotions} demo ${sh.stat.demotions}`)
    h = 0; n = 0
  }
}
