/**
 * Stop 45 (shadow2) probe: hitGain's gate on one anchored trace, per twentieth of the trace: the window target
 * (× capacity), the last drift block's tail share and return ratio, and how many drift blocks met
 * tail share ≥ SHARE and return ratio ≤ MAIN (one block, not hitGainRuns). Model with the engines' structures,
 * one shard. Deterministic.
 *
 *   npx tsx bench/sim/gate-probe.ts [--trace P3.lis.gz] [--capacity 32768] [--share 0.02] [--main 0.05] [--tune k=v,…]
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CortadoModel } from './model/cortado.js'
import { ENGINE_STRUCTURES } from './model/tuning.js'
import { parseTuningList } from './tuning-args.js'
import { readTrace } from './traces/read.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const cap = Number(args.opt('--capacity', '32768'))
const share = Number(args.opt('--share', '0.02'))
const main = Number(args.opt('--main', '0.05'))
const trace = await readTrace(join(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared', 'traces', args.opt('--trace', 'P3.lis.gz')))
const m = new CortadoModel(cap, trace, { shards: 1, tuning: { ...ENGINE_STRUCTURES, ...parseTuningList(args.opt('--tune', 'windowClockAsked=2')) } })
const sh = m.shards[0]! as unknown as Record<string, number>
const N = trace.keys.length
const B = Math.round(N / 20)
let open = 0, blocks = 0, last = -1
const rows: string[] = []
for (let i = 0; i < N; i++) {
  m.access(trace.keys[i]!)
  // A new block's figures: the tail share changes at each block's end (a repeat is missed; a probe).
  if (sh.tailShare !== last) {
    last = sh.tailShare!
    blocks++
    if (sh.tailShare! >= share && sh.retRatio! <= main) open++
  }
  if ((i + 1) % B === 0) {
    rows.push(`${(i + 1) / B}: w ${(sh.windowTarget! / cap).toFixed(3)} tail ${sh.tailShare!.toFixed(3)} ratio ${sh.retRatio!.toFixed(2)} met ${open}/${blocks}`)
    open = 0
    blocks = 0
  }
}
console.log(rows.join('\n'))
