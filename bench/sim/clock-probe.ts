/**
 * Stop 45 probe: one model shard (model-engine structures) beside LRU on a Zipf moving every `--every`
 * capacities; per capacity of requests the window target (× capacity) and the hit ratio
 * − LRU. Deterministic.
 *
 *   npx tsx bench/sim/clock-probe.ts [--capacity 10000] [--every 4] [--seed S] [--tune NAME=VALUE,…]
 * (the seed defaults to the recency suite's row for an integer period; bench/sim/moving-periods.ts uses 42 + 60 + 10 × every);
 * each line also shows the sampled-LRU comparison (shadowRate) last made, LRU − cache in points.
 */
import { shiftingTrace } from '../workloads/shifting-trace.js'
import { CortadoModel } from './model/cortado.js'
import { ENGINE_STRUCTURES } from './model/tuning.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const cap = Number(args.opt('--capacity', '10000'))
const every = Number(args.opt('--every', '4'))
const tuning = { ...ENGINE_STRUCTURES, ...parseTuningList(args.opt('--tune', '')) }
const trace = shiftingTrace({ keys: 20 * cap, s: 0.9, length: 40 * cap, phase: Math.round(every * cap), shift: 10 * cap, seed: Number(args.opt('--seed', String(42 + 60 + every))) })
const lru = new LruPolicy(cap, trace)
const m = new CortadoModel(cap, trace, { tuning })
const sh = m.shards[0]! as unknown as Record<string, number>
let h = 0, l = 0, n = 0, th = 0, tl = 0
const rows: string[] = []
for (const k of trace.keys) {
  if (m.access(k)) { h++; th++ }
  if (lru.access(k)) { l++; tl++ }
  if (++n % cap === 0) {
    rows.push(`${n / cap}: w ${(sh.windowTarget! / cap).toFixed(3)} s ${(sh.shadowAvg ?? 0).toFixed(1)} d ${(100 * (h - l) / cap).toFixed(2)}${args.has('--more') ? ` dg ${((sh.driftGrewBy ?? 0) / cap).toFixed(3)} ls ${(sh.leaveShare ?? 0).toFixed(3)} age ${sh.earlyAgeings} pk ${(sh.driftPeak ?? 0).toFixed(3)} fell ${sh.driftFell} ts ${(sh.tailShare ?? 0).toFixed(3)} rr ${(sh.retRatio ?? 0).toFixed(2)}` : ''}`)
    h = 0; l = 0
  }
}
console.log(rows.join('\n'))
console.log(`total ${(100 * (th - tl) / trace.keys.length).toFixed(2)}`)
