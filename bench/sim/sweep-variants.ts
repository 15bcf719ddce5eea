/**
 * Model variants on the rows of bench/arena/recency-sweep.ts (stop 49): model − LRU over the whole run and
 * over the second half of the requests, per variant, for the count-bound rows whose names contain one of
 * the filters. One shard, the model's default seed; deterministic. The real cache: the sweep itself.
 *
 *   npx tsx bench/sim/sweep-variants.ts --size 10000 --only 'delay,burst 1C' \
 *     --variants 'base:;rt0:returnTo=0;f5:returnFloor=0.5' [--scale 1]
 */
import { sweepRows } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { gapCell, lruRatios, modelGap } from './model-vs-lru.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const size = Number(args.opt('--size', '10000'))
const scale = Number(args.opt('--scale', '1'))
const only = args.opt('--only', '').split(',').filter((x) => x !== '')
const variants = args.opt('--variants', 'base:').split(';').filter((v) => v !== '').map((v) => {
  const i = v.indexOf(':')
  return { name: v.slice(0, i), tuning: parseTuningList(v.slice(i + 1)) }
})
console.log(`${size} entries, one shard, scale ${scale}: model − LRU, whole run / second half`)
console.log(`| row | lru | ${variants.map((v) => v.name).join(' | ')} |`)
console.log(`|---|---:|${variants.map(() => '---:').join('|')}|`)
for (const row of sweepRows()) {
  if (row.bytes === true || (only.length > 0 && !only.some((f) => row.name.includes(f)))) continue
  const trace = row.make(size, scale)
  const lru = lruRatios(trace, size)
  const cells = variants.map((v) => gapCell(modelGap(trace, size, v.tuning, lru)))
  console.log(`| ${row.name} | ${lru.all.toFixed(2)} | ${cells.join(' | ')} |`)
}
