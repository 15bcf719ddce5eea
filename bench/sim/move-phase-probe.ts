/**
 * Stop 51 (movingzipf) probe: where a moving sweep row (bench/arena/recency-sweep.ts) loses against LRU on the
 * model, one shard. Per period of the row (the hot set moves at each period's start) it prints the window
 * target at the move and at the period's end (× capacity), the capacities from the move until the window target
 * first reaches 0.5 (adaptation), the entries of the moved-away keys (key < the new offset) left in main at the
 * move, a quarter and half a period later, and the model − LRU points over the period's first quarter, second
 * quarter and second half. At the end: the same split summed over the periods after the first 10 capacities
 * (steady state), and the first 10 capacities' share of the whole run's loss. Deterministic.
 *
 *   npx tsx bench/sim/move-phase-probe.ts --only 's0.7 5/entry every 4C' [--size 10000] [--tune k=v,…]
 */
import { sweepRows } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const size = Number(args.opt('--size', '10000'))
const only = args.opt('--only', 's0.7 5/entry every 4C')
const quiet = args.has('--quiet')
const row = sweepRows().find((r) => r.name.includes(only))!
const mv = /every (\S+)C by (\S+)C/.exec(row.name)!
const every = Math.round(Number(mv[1]) * size)
const by = Math.round(Number(mv[2]) * size)
const trace = row.make(size, 1)
const m = new CortadoModel(size, trace, { tuning: parseTuningList(args.opt('--tune', '')) })
const lru = new LruPolicy(size, trace)
const sh = m.shards[0]! as unknown as Record<string, any>
const ks = sh.keyState as Uint8Array
const deadMain = (off: number): number => {
  let n = 0
  for (let k = Math.max(0, off - 6 * by); k < off; k++) if ((ks[k]! & 3) >= 2) n++
  return n
}
// Per quarter of a period: model hits − LRU hits, requests.
const steady = [0, 0, 0, 0]
let steadyN = 0
let early = 0
let total = 0
console.log(row.name)
console.log('| period | w at move | w at end | C to w ≥ 0.5 | dead in main at move / +¼ / +½ | Q1 | Q2 | H2 |')
console.log('|---:|---:|---:|---:|---|---:|---:|---:|')
const n = trace.keys.length
for (let p = 0; p * every < n; p++) {
  const from = p * every
  const off = p * by
  const w0 = sh.windowTarget / size
  const d = [deadMain(off), 0, 0]
  const q = [0, 0, 0, 0]
  let adapt = -1
  for (let i = from; i < Math.min(n, from + every); i++) {
    const k = trace.keys[i]!
    const a = m.access(k) ? 1 : 0
    const b = lru.access(k) ? 1 : 0
    const qi = Math.min(3, Math.floor((4 * (i - from)) / every))
    q[qi]! += a - b
    total += a - b
    if (i < 10 * size) early += a - b
    if (adapt < 0 && sh.windowTarget >= 0.5 * size) adapt = (i - from) / size
    if (i - from === Math.floor(every / 4)) d[1] = deadMain(off)
    if (i - from === Math.floor(every / 2)) d[2] = deadMain(off)
  }
  const len = Math.min(every, n - from)
  if (from >= 10 * size && len === every) {
    for (let j = 0; j < 4; j++) steady[j]! += q[j]!
    steadyN += every
  }
  const pts = (x: number, l: number): string => ((100 * x) / Math.max(1, l)).toFixed(2)
  if (!quiet) console.log(`| ${p} | ${w0.toFixed(2)} | ${(sh.windowTarget / size).toFixed(2)} | ${adapt < 0 ? '—' : adapt.toFixed(2)} | ${d.join(' / ')} | ${pts(q[0]!, len / 4)} | ${pts(q[1]!, len / 4)} | ${pts(q[2]! + q[3]!, len / 2)} |`)
}
const pts = (x: number, l: number): string => ((100 * x) / Math.max(1, l)).toFixed(2)
console.log(`steady (periods from 10C): Q1 ${pts(steady[0]!, steadyN / 4)} Q2 ${pts(steady[1]!, steadyN / 4)} H2 ${pts(steady[2]! + steady[3]!, steadyN / 2)}; whole run ${pts(total, n)} (first 10C ${pts(early, n)} of it)`)
