/**
 * Stop 44: Zipf(0.9) over 20 keys per entry whose popular keys move every `--every` capacities (cache-aside),
 * for periods the recency suite does not hold (it has 2, 10 and 20): model − LRU per variant, with the
 * engines' sketch blocks and bucketed ghost (the sim's model-engine, one shard). Same generator as the
 * suite's rows (bench/workloads/recency-suite.ts), 40 capacities; each period has its own trace seed.
 * Deterministic.
 *
 *   npx tsx bench/sim/moving-periods.ts [--capacity 10000] [--every 1,1.5,2,2.5,3,4,5,7] --variants 'main:ageInsertSpacing=0,moveTie=0;branch:'
 */
import { shiftingTrace } from '../workloads/shifting-trace.js'
import { CortadoModel } from './model/cortado.js'
import { ENGINE_STRUCTURES } from './model/tuning.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const cap = Number(args.opt('--capacity', '10000'))
const periods = args.opt('--every', '1,1.5,2,2.5,3,4,5,7').split(',').map(Number)
const variants = args.opt('--variants', 'as built:').split(';').filter((s) => s !== '').map((v) => {
  const i = v.indexOf(':')
  return { name: v.slice(0, i), tuning: { ...ENGINE_STRUCTURES, ...parseTuningList(v.slice(i + 1)) } }
})
console.log(`| every (× cap), ${cap} entries | ${variants.map((v) => v.name).join(' | ')} |`)
console.log(`|---:|${variants.map(() => '---:').join('|')}|`)
for (const every of periods) {
  const trace = shiftingTrace({ keys: 20 * cap, s: 0.9, length: 40 * cap, phase: Math.round(every * cap), shift: 10 * cap, seed: 42 + 60 + Math.round(every * 10) })
  const lru = new LruPolicy(cap, trace)
  let lruHits = 0
  for (const k of trace.keys) if (lru.access(k)) lruHits++
  const row: string[] = []
  for (const v of variants) {
    const m = new CortadoModel(cap, trace, { tuning: v.tuning })
    let hits = 0
    for (const k of trace.keys) if (m.access(k)) hits++
    row.push((100 * (hits - lruHits) / trace.keys.length).toFixed(2))
  }
  console.log(`| ${every} | ${row.join(' | ')} |`)
}
