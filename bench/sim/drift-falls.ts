/**
 * Stop 41: the model's drift falls (the first block of each fall of the gate's signal; with
 * `--tune driftGrowAny=0`, each opening of the gate), and at each the share of the window's leavers
 * in that block that were hit there (DRIFT_GROW_HIT's evidence): count, min / median / max, and how
 * many are under 0.05 / 0.08 / 0.1. On the moving and standing families and on the traces' rows where
 * the gate opens. Deterministic.
 *
 *   npx tsx bench/sim/drift-falls.ts [--capacity 10000] [--tune k=v,…]
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { CortadoModel } from './model/cortado.js'
import { simulate } from './simulate.js'
import { readTrace } from './traces/read.js'
import { parseTuningList } from './tuning-args.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const capacity = Number(args.opt('--capacity', '10000'))
const tuning = parseTuningList(args.opt('--tune', ''))
const TRACES = join(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared', 'traces')

const show = (name: string, m: CortadoModel): void => {
  const log: number[] = m.shards.flatMap((s) => s.driftOpenLog)
  const q = [...log].sort((a, b) => a - b)
  const f = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(3))
  const gaps = m.shards.flatMap((s) => s.driftGapLog).map((g) => (g >= 1e9 ? '-' : String(g)))
  const depth = m.shards.flatMap((s) => s.driftDepthLog)
  const pairs = log.map((x, i) => `${x.toFixed(2)}@${depth[i]?.toFixed(2)}`).slice(0, 18).join(' ')
  console.log(`| ${name} | ${log.length} | ${pairs} |`)
  console.log(`| ${name} | ${log.length} | ${f(q[0])} / ${f(q[q.length >> 1])} / ${f(q[q.length - 1])} | ${[0.05, 0.08, 0.1].map((t) => log.filter((x) => x < t).length).join(' / ')} | ${gaps.slice(0, 24).join(' ')} |`)
}
console.log('| row | falls | leavers hit: min / median / max | under 0.05 / 0.08 / 0.1 | blocks since the previous fall (first 24) |')
console.log('|---|---:|---|---|')
for (const w of recencyWorkloads(42, 1)) {
  if (!w.name.includes('20 keys/entry')) continue
  const trace = w.make(capacity)
  const m = new CortadoModel(capacity, trace, { tuning })
  simulate(trace, 'model', capacity, m)
  show(`${w.name} ${capacity}`, m)
}
for (const [f, sizes] of [['P3.lis.gz', [8192, 32768, 131072]], ['gli.lirs.gz', [500]], ['OLTP.lis.gz', [1000, 2000]]] as const) {
  const trace = await readTrace(join(TRACES, f))
  for (const size of sizes) {
    const m = new CortadoModel(size, trace, { tuning })
    simulate(trace, 'model', size, m)
    show(`${f} ${size}`, m)
  }
}
