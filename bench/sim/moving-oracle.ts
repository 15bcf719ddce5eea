/**
 * Stop 43: what an oracle that knows which keys belong to the moved-away hot set would gain on Zipf moving
 * every `--every` capacities (model − LRU, whole run). The model's diagnostic hook (Shard.oracleMode,
 * oracleOffset) is told the current phase's first key id; every mode is a bound on what a real signal
 * could give, not a policy. Modes: 0 none (the model as built); 1 an old victim's estimate is 0 in the
 * contest; 6 an old window leaver is rejected; 7 both; 2 every old key leaves main at the move (4 only
 * protected's, 5 only probation's), `--at` capacities after it. Deterministic.
 *
 *   npx tsx bench/sim/moving-oracle.ts [--capacity 10000] [--every 2] [--modes 0,1,6,7,2,4,5] [--at 0] [--tune k=v,…]
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const capacity = Number(args.opt('--capacity', '10000'))
const every = Number(args.opt('--every', '2'))
const at = Number(args.opt('--at', '0'))
const modes = args.opt('--modes', '0,1,6,7,2,4,5').split(',').map(Number)
const tuning = parseTuningList(args.opt('--tune', ''))
const fam = `zipf(0.9) 20 keys/entry, moving every ${every}×cap`
const trace = recencyWorkloads().find((w) => w.name === fam)!.make(capacity)
const phase = every * capacity
// recency-suite.ts: each phase's keys start 10 × capacity above the last's.
const shift = 10 * capacity
const flushAt = Math.round(at * capacity)
let lruHits = 0
const lru = new LruPolicy(capacity, trace)
for (const k of trace.keys) if (lru.access(k)) lruHits++
console.log(`| ${fam}, ${capacity} entries | model − LRU |`)
console.log('|---|---:|')
for (const mode of modes) {
  const m = new CortadoModel(capacity, trace, { tuning })
  const sh = m.shards[0]!
  sh.oracleMode = mode
  let hits = 0
  for (let i = 0; i < trace.keys.length; i++) {
    sh.oracleOffset = Math.floor(i / phase) * shift
    if ((mode === 2 || mode === 4 || mode === 5) && i >= phase && i % phase === flushAt) sh.oracleFlush()
    if (m.access(trace.keys[i]!)) hits++
  }
  console.log(`| oracle mode ${mode}${mode === 2 || mode === 4 || mode === 5 ? ` at +${at} × cap` : ''} | ${(100 * (hits - lruHits) / trace.keys.length).toFixed(2)} |`)
}
