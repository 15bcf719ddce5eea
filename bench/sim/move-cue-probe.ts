/**
 * Stop 53 (moving3): the cues at each drift block's end, on a moving probe row or a trace (one shard's view, the
 * model with --tune): the block's miss ratio (inserts over the shard's gets), its ratio to a reference (the running
 * minimum, rising by a quarter of the gap per block; `***` marks a ratio ≥ --mark, 1.2), the drift signal (share
 * of inserts back from the ghost) against its decayed peak, the unasked share, HIT_GAIN's tail share, and the
 * block's ghost contests won. What jumpGate (bench/sim/model/tuning.ts) reads, to see where it would fire.
 *
 *   npx tsx bench/sim/move-cue-probe.ts [--c 9000 --s 0.7 --per 2 --every 5 --by 0.25] [--tune k=v,…] [--mark 1.2]
 *   npx tsx bench/sim/move-cue-probe.ts --trace OLTP.lis.gz --c 5000     (a file in ../shared/traces)
 *   (stop 56: each row ends with the stale test's share for the block, and →ON if the gate is open after it)
 *   npx tsx bench/sim/move-cue-probe.ts --phases scan,loop,scan,lag --each 8 --c 4400 [--seed 1]   (a phases row)
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { movingTrace, phasesTrace, type Phase } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from './model/cortado.js'
import { simulate } from './simulate.js'
import { readTrace } from './traces/read.js'
import { parseTuningList } from './tuning-args.js'
const args = toolArgs(); const opt = args.opt
const c = Number(opt('--c', '9000'))
const tf = opt('--trace', '')
const ph = opt('--phases', '')
const trace = ph !== '' ? phasesTrace(c, 1, ph.split(',') as Phase[], Number(opt('--each', '8')), Number(opt('--seed', '1')))
  : tf !== '' ? await readTrace(join(fileURLToPath(new URL('../../../shared/traces/', import.meta.url)), tf)) : movingTrace(c, 1, Number(opt('--s', '0.7')), Number(opt('--per', '2')), Number(opt('--every', '5')), Number(opt('--by', '0.25')), 1)
const m = new CortadoModel(c, trace, { tuning: parseTuningList(opt('--tune', '')) })
const sh = m.shards[0]! as any
const orig = sh.driftGate.bind(sh)
let g0 = 0, i0 = 0, ref = -1, gw0 = 0, gc0 = 0
const rows: string[] = []
sh.driftGate = (rate: number) => {
  const gets = sh.hits + sh.misses - g0, ins = sh.inserts - i0
  g0 = sh.hits + sh.misses; i0 = sh.inserts
  const mr = ins / Math.max(1, gets)
  const jump = ref > 0 ? mr / ref : 0
  const st = sh.stat
  const gw = st.ghostWins - gw0, gc = st.ghostContests - gc0
  gw0 = st.ghostWins; gc0 = st.ghostContests
  ref = ref < 0 ? mr : Math.min(mr, ref + (mr - ref) * 0.25)
  rows.push(`${(g0 / c).toFixed(2)} w${(sh.windowTarget / c).toFixed(3)} miss ${mr.toFixed(3)} ref ${ref.toFixed(3)} jump ${jump.toFixed(2)} gets ${gets} drift ${rate.toFixed(2)}/${sh.driftPeak.toFixed(2)} unasked ${sh.unaskedShare.toFixed(2)} tail ${sh.tailShare.toFixed(3)} gw ${gw}/${gc}${sh.driftOn ? ' ON' : ''}${jump >= Number(opt('--mark', '1.2')) ? ' ***' : ''}`)
  orig(rate)
  // Stop 56 (movingwhole): the stale test's share for the block just closed (STALE_GATE; staleFast reads it), and the
  // gate after the decision.
  rows[rows.length - 1] += ` stale ${sh.staleBlock.toFixed(2)}${sh.driftOn ? ' →ON' : ''}`
}
const shards = m.shards.length
if (tf !== '') simulate(trace, 'model', c, m)
else for (const k of trace.keys) m.access(k)
console.log(`shards ${shards}`)
console.log(rows.join('\n'))
