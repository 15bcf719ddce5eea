/**
 * Stop 50 (delayback): RETURN_TO's placements per block of requests on the sweep rows (model, one shard):
 * write-backs placed in probation, how many of them were hit there before leaving, how many were evicted
 * unhit; probation's first hits and unhit evictions overall; the window target and probation's size;
 * RETURN_TEST's two means (sampled write-backs, new keys); the ghost's returns of keys the rule placed.
 *
 *   npx tsx bench/sim/return-probe.ts --size 10000 --only 'delay 0.8C+0.5C back' [--block 2] [--tune k=v,…] [--seed N]
 */
import { sweepRows } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { OP_READ, OP_WRITE } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const size = Number(args.opt('--size', '10000'))
const block = Number(args.opt('--block', '2'))
const only = args.opt('--only', '').split(',').filter((x) => x !== '')
const tuning = parseTuningList(args.opt('--tune', ''))
// --seed: the model's hash seed (stop 51: the row reads −21.97 on seed 1, +0.34 on the default).
const seed = args.opt('--seed', '') === '' ? undefined : Number(args.opt('--seed', ''))
for (const row of sweepRows()) {
  if (row.bytes === true || (only.length > 0 && !only.some((f) => row.name.includes(f)))) continue
  const trace = row.make(size, 1)
  const m = new CortadoModel(size, trace, { tuning, seed })
  const s = m.shards[0]!
  s.rtGone = new Uint8Array(trace.universe)
  console.log(`## ${row.name}`)
  console.log('| req/C | hit% | placed | hit in P | lost | hit/(hit+lost) | P first hits | P lost | window | P size | unasked | wb mean | new mean | W back | M back | quiet | rt back | <window | <window/4 |')
  let prev = { ...s.stat }
  let h = 0
  let r = 0
  const n = trace.keys.length
  for (let i = 0; i < n; i++) {
    const op = trace.ops === undefined ? 0 : trace.ops[i]!
    const k = trace.keys[i]!
    if (op === OP_WRITE) m.write(k)
    else {
      r++
      if (op === OP_READ ? m.read(k) : m.access(k)) h++
    }
    if ((i + 1) % (block * size) === 0 || i === n - 1) {
      const d = (f: keyof typeof prev): number => s.stat[f] - prev[f]
      const hit = d('rtHit')
      const lost = d('rtLost')
      const a = s as unknown as { unaskedShare: number; sizeP: number; backMean: number; newMean: number; quietOn: boolean }
      console.log(`| ${((i + 1) / size).toFixed(0)} | ${(100 * h / Math.max(1, r)).toFixed(1)} | ${d('rtPlaced')} | ${hit} | ${lost} | ${(hit / Math.max(1, hit + lost)).toFixed(2)} | ${d('probHit')} | ${d('probLost')} | ${(s.windowTarget / size).toFixed(3)} | ${(a.sizeP / size).toFixed(3)} | ${a.unaskedShare.toFixed(2)} | ${a.backMean.toFixed(2)} | ${a.newMean.toFixed(2)} | ${d('windowBack')} | ${d('mainBack')} | ${a.quietOn ? 1 : 0} | ${d('rtBack')} | ${d('rtBackYoung')} | ${d('rtBackVeryYoung')} |`)
      prev = { ...s.stat }
      h = 0
      r = 0
    }
  }
}
