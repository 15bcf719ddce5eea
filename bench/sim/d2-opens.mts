import { join } from 'node:path'
import { recencyWorkloads } from '/work/wt-drift2/bench/workloads/recency-suite.js'
import { CortadoModel } from '/work/wt-drift2/bench/sim/model/cortado.js'
import { simulate } from '/work/wt-drift2/bench/sim/simulate.js'
import { readTrace } from '/work/wt-drift2/bench/sim/traces/read.js'
import { parseTuningList } from '/work/wt-drift2/bench/sim/tuning-args.js'
const tuning = parseTuningList(process.argv[2] ?? '')
const show = (name: string, m: any) => {
  const log: number[] = m.shards.flatMap((s: any) => s.driftOpenLog)
  const q = [...log].sort((a, b) => a - b)
  console.log(name, 'opens', log.length, 'rate/peak min/med/max', q[0]?.toFixed(2), q[q.length >> 1]?.toFixed(2), q[q.length - 1]?.toFixed(2), 'hist<0.1,<0.2,<0.3:', [0.1, 0.2, 0.3].map((t) => log.filter((x) => x < t).length).join('/'))
}
for (const w of recencyWorkloads(42, 1)) {
  if (!w.name.includes('moving') && !w.name.includes('standing')) continue
  const trace = w.make(10000)
  const m = new CortadoModel(10000, trace, { tuning })
  simulate(trace, 'model', 10000, m)
  show(w.name, m)
}
for (const [f, sizes] of [['P3.lis.gz', [8192, 32768, 131072]], ['gli.lirs.gz', [500]], ['OLTP.lis.gz', [1000, 2000]]] as const) {
  const trace = await readTrace(join('/work/shared/traces', f))
  for (const size of sizes) {
    const m = new CortadoModel(size, trace, { tuning })
    simulate(trace, 'model', size, m)
    show(`${f} ${size}`, m)
  }
}
