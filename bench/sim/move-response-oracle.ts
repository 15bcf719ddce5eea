/**
 * Stop 53 (moving3): what a response would give on one moving probe row if a cue saw each move exactly (the
 * trace's own period), --lag capacities of requests after it (the first move is left alone): 'halve' the sketch
 * (an early ageing), 'sweep' protected's whole length (unhit entries demoted, hit ones going round), 'win5' /
 * 'win9' the window target to at least 0.5 / 0.9 × capacity, 'gate' the drift gate opened as the stale test opens
 * it (DRIFT_SWEEP's sweep, held STALE_HOLD blocks); '+' combines. Model − LRU over the whole run.
 *
 *   npx tsx bench/sim/move-response-oracle.ts [--c 9000 --s 0.7 --per 2 --every 5 --by 0.25] [--lag 0.5]
 *     [--resp none,gate,gate+halve] [--tune k=v,…]
 */
import { movingTrace } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'
const args = toolArgs(); const opt = args.opt
const c = Number(opt('--c', '9000'))
const every = Number(opt('--every', '5')), by = Number(opt('--by', '0.25'))
const trace = movingTrace(c, 1, Number(opt('--s', '0.7')), Number(opt('--per', '2')), every, by, 1)
const period = Math.round(every * c)
const lag = Math.round(Number(opt('--lag', '0')) * c)
const lru = new LruPolicy(c, trace); let lh = 0
for (const k of trace.keys) if (lru.access(k)) lh++
for (const resp of opt('--resp', 'none,halve,sweep,win5,win9,halve+sweep').split(',')) {
  const m = new CortadoModel(c, trace, { tuning: parseTuningList(opt('--tune', '')) })
  const sh = m.shards[0]! as any
  let h = 0
  for (let i = 0; i < trace.keys.length; i++) {
    if (i > period && i % period === lag) {
      if (resp.includes('halve')) sh.ageEarly()
      if (resp.includes('sweep')) { const n = sh.prot.length; for (let j = 0; j < n; j++) sh.demoteTail(true, true) }
      if (resp.includes('win5')) sh.windowTarget = Math.max(sh.windowTarget, 0.5 * c)
      if (resp.includes('win9')) sh.windowTarget = Math.max(sh.windowTarget, 0.9 * c)
      if (resp.includes('gate')) { sh.driftOn = true; sh.staleHeld = 2 }
    }
    if (m.access(trace.keys[i]!)) h++
  }
  console.log(resp, ((100 * (h - lh)) / trace.keys.length).toFixed(2))
}
