/**
 * One burst row (bench/arena/recency-sweep.ts's burstTrace: write b·C new keys, read each r times in a
 * shuffled order, repeat) on the model against LRU, per block of requests (stop 51, burstclass): the
 * window target (fraction of capacity), the queues' sizes, how many of the cache's entries belong to the
 * current burst, the share of inserts written unasked, early ageings, ghost returns by tag, and model / LRU
 * hit ratio in the block. For finding why a burst size loses. One shard.
 *
 *   npx tsx bench/sim/burst-diag.ts [--capacity 10000] [--b 1.25] [--r 4] [--mode once|back] [--seed 1]
 *     [--block 1] [--tune k=v,…]
 */
import { burstTrace } from '../arena/recency-sweep.js'
import { replayOne } from './replay-by-capacity.js'
import { CortadoModel } from './model/cortado.js'
import { parseTuningList } from './tuning-args.js'
import { LruPolicy } from './policies/lru.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const opt = args.opt
const capacity = Number(opt('--capacity', '10000'))
const b = Number(opt('--b', '1.25'))
const r = Number(opt('--r', '4'))
const back = opt('--mode', 'once') === 'back'
const block = Math.round(Number(opt('--block', '1')) * capacity)
const trace = burstTrace(capacity, 1, b, r, back, Number(opt('--seed', '1')))
const batch = Math.max(1, Math.round(b * capacity))
const model = new CortadoModel(capacity, trace, { tuning: parseTuningList(opt('--tune', '')) })
const lru = new LruPolicy(capacity, trace)
// Diagnostics read the shard's private state; no decision depends on them.
const shard = model.shards[0]! as unknown as {
  windowTarget: number; unaskedShare: number; earlyAgeings: number; stat: Record<string, number>
  window: { length: number }; probation: { length: number }; prot: { length: number }; returnOn: boolean
}
const statKeys = ['windowBack', 'mainBack', 'windowContests', 'windowWins', 'ghostContests', 'ghostWins', 'rtPlaced']
let prevStat = statKeys.map(() => 0)
const keyState = (shard as unknown as { keyState: Uint16Array }).keyState
console.log(`${trace.name}, ${capacity} entries, batch ${batch}, blocks of ${block / capacity} capacities`)
console.log(`| block | window | W / P / M | current burst resident | unasked | ageings | rt on | model / lru | ${statKeys.join(' | ')} |`)
console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|${statKeys.map(() => '---:').join('|')}|`)
let hm = 0, hl = 0, n = 0, tm = 0, tl = 0, tn = 0
let lastWrite = 0
for (let i = 0; i < trace.keys.length; i++) {
  const op = trace.ops![i]!
  const k = trace.keys[i]!
  const a = replayOne(model, op, k)
  const c = replayOne(lru, op, k)
  if (a === undefined) lastWrite = k
  else {
    n++; if (a) hm++; if (c) hl++
    tn++; if (a) tm++; if (c) tl++
  }
  if ((i + 1) % block === 0 || i === trace.keys.length - 1) {
    // The current burst: the batch ending at the last write (ids are consecutive per batch).
    const first = Math.floor(lastWrite / batch) * batch
    let cur = 0
    for (let key = first; key < first + batch; key++) if ((keyState[key]! & 3) !== 0) cur++
    const p = (x: number, m: number): string => ((100 * x) / Math.max(1, m)).toFixed(1)
    console.log(`| ${((i + 1) / capacity).toFixed(1)} | ${(shard.windowTarget / capacity).toFixed(3)} | ${shard.window.length} / ${shard.probation.length} / ${shard.prot.length} | ${cur} | ${shard.unaskedShare.toFixed(2)} | ${shard.earlyAgeings} | ${shard.returnOn ? 1 : 0} | ${p(hm, n)} / ${p(hl, n)} | ${statKeys.map((key, j) => shard.stat[key]! - prevStat[j]!).join(' | ')} |`)
    prevStat = statKeys.map((key) => shard.stat[key]!)
    hm = hl = n = 0
  }
}
const d = (100 * (tm - tl)) / Math.max(1, tn)
console.log(`whole run: model ${(100 * tm / tn).toFixed(2)}, lru ${(100 * tl / tn).toFixed(2)}, model − lru ${d >= 0 ? '+' : ''}${d.toFixed(2)}`)
