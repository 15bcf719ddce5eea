/**
 * What the model's queues hold on a write-then-read family, capacity by capacity (issue 18, stop 32):
 * the hit ratio (and the share of reads hit in the window and in main), the window target, each queue's
 * length, how many of its keys are still live (among the last distance × capacity written: the only
 * keys the trace reads), their mean age in capacities of writes, their mean sketch estimate, the
 * window candidates evicted (rejected) and main's victims evicted with their mean age, the ghost
 * evidence (returning candidates, returning main entries) and the sketch's halvings. Keys are numbered
 * in the order they are written, so a key's age is known exactly here (the policy does not know it).
 * Deterministic (seeded trace, seeded model).
 *
 *   npx tsx bench/sim/steady-state.ts [--capacity 10000] [--distance 0.9] [--mode write-back|write-once]
 *     [--share 0.1] [--capacities 40] [--every 1] [--tune returnTo=3]
 */
import { writeThenReadTrace } from '../workloads/recency-trace.js'
import { OP_READ, OP_WRITE } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { parseTuningList } from './tuning-args.js'
import { hashKey } from './hash.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const opt = args.opt
const capacity = Number(opt('--capacity', '10000'))
const distance = Number(opt('--distance', '0.9'))
const writeBack = opt('--mode', 'write-back') === 'write-back'
const writeShare = Number(opt('--share', '0.1'))
const capacities = Number(opt('--capacities', '40'))
const every = Number(opt('--every', '1'))
const tuning = parseTuningList(opt('--tune', ''))
const seed = 42 + Math.round(distance * 10) + Math.round(writeShare * 100) - 10
const trace = writeThenReadTrace({ capacity, distance, length: capacity * capacities, writeBack, writeShare, seed })
const model = new CortadoModel(capacity, trace, { tuning })
// The shard's internals, read for the diagnosis only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const s: any = model.shards[0]
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const keysOf = (q: any): number[] => {
  const out: number[] = []
  for (let p = q.tailPos; p < q.headPos; p++) out.push(q.buf[p & q.mask])
  return out
}
let written = 0
let rejected = 0
let rejectedAge = 0
let mainEvicted = 0
let mainEvictedAge = 0
const remove = s.remove.bind(s)
s.remove = (key: number, from: number): void => {
  if (from === 0) {
    rejected++
    rejectedAge += written - key
  } else {
    mainEvicted++
    mainEvictedAge += written - key
  }
  remove(key, from)
}
let grow = 0
let shrink = 0
const noteGhost = s.noteGhost.bind(s)
s.noteGhost = (h: number): void => {
  const g = s.pendingGrow
  const k = s.pendingShrink
  noteGhost(h)
  grow += s.pendingGrow - g
  shrink += s.pendingShrink - k
}
const keyState: Uint16Array = s.keyState
const span = Math.round(distance * capacity)
const f = (x: number, d = 2): string => x.toFixed(d)
console.log(`write-then-read ${distance}×cap ${writeBack ? 'write-back' : 'write-once'}, write share ${writeShare} · ${capacity} entries · model ${opt('--tune', '(as built)')}`)
console.log('| capacity | hit % (window / main) | window target | W / P / M entries | live W / P / M | mean age W / P / M (capacities of writes) | mean estimate W / P / M | rejected (age) | main evicted (age) | ghost: grow / shrink | halvings |')
console.log('|---:|---|---:|---|---|---|---|---|---|---|---:|')
let hits = 0
let reads = 0
let hitW = 0
let hitM = 0
for (let i = 0; i < trace.keys.length; i++) {
  const op = trace.ops![i]!
  const k = trace.keys[i]!
  if (op === OP_WRITE) {
    model.write(k)
    written = Math.max(written, k + 1)
  } else {
    const queue = keyState[k]! & 3
    const hit = op === OP_READ ? model.read(k) : model.access(k)
    if (i >= capacity) {
      reads++
      if (hit) {
        hits++
        if (queue === 1) hitW++
        else hitM++
      }
    }
  }
  if (i < capacity || (i - capacity + 1) % capacity !== 0) continue
  const block = (i - capacity + 1) / capacity
  if (block % every === 0 || block === 1) {
    const qs = [keysOf(s.window), keysOf(s.probation), keysOf(s.prot)]
    const live = qs.map((q) => q.filter((x) => x >= written - span).length)
    const age = qs.map((q) => q.reduce((a, x) => a + (written - x), 0) / Math.max(1, q.length) / capacity)
    const est = qs.map((q) => q.reduce((a, x) => a + s.sketch.estimate(hashKey(x, 0x2545f491)), 0) / Math.max(1, q.length))
    console.log(
      `| ${block} | ${f((100 * hits) / reads)} (${f((100 * hitW) / reads, 1)} / ${f((100 * hitM) / reads, 1)}) | ${f(s.windowTarget / capacity, 3)} | ${qs.map((q) => q.length).join(' / ')} | ${live.join(' / ')} | ${age.map((a) => f(a)).join(' / ')} | ${est.map((e) => f(e)).join(' / ')} | ${rejected} (${f(rejectedAge / Math.max(1, rejected) / capacity)}) | ${mainEvicted} (${f(mainEvictedAge / Math.max(1, mainEvicted) / capacity)}) | ${grow} / ${shrink} | ${s.sketch.halvings} |`,
    )
  }
  hits = reads = hitW = hitM = 0
  rejected = rejectedAge = mainEvicted = mainEvictedAge = grow = shrink = 0
}
