/**
 * Stop 47 (tracegate) probe: HIT_GAIN's gate per drift block, on an anchored trace or on a Zipf moving every
 * `--every` capacities: the window target (× capacity), the block's tail keys and those hit, the rejected
 * candidates' counted returns and main's, whether the block met the gate and the run, and the block's hit
 * ratio, and the window growth HIT_GAIN made in the block (× capacity, before HIT_GAIN_UNDO). Model with the engines' structures; `--shards` as the real cache at that capacity unless given.
 * Deterministic.
 *
 *   npx tsx bench/sim/gate-blocks.ts [--trace P3.lis.gz | --every 4] [--capacity 32768] [--shards N] [--all] [--tune k=v,…]
 * (--all: every block; otherwise only the blocks with the gain on, the run's first ones, and a summary)
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CortadoModel } from './model/cortado.js'
import { ENGINE_STRUCTURES, TUNING } from './model/tuning.js'
import { parseTuningList } from './tuning-args.js'
import { readTrace } from './traces/read.js'
import { shiftingTrace } from '../workloads/shifting-trace.js'
import { realShardCount } from './policies/cortado.js'
import { toolArgs } from '../harness/tool-args.js'
import type { Trace } from '../workloads/trace.js'

const args = toolArgs()
const cap = Number(args.opt('--capacity', '10000'))
const every = Number(args.opt('--every', '0'))
const tuning = { ...ENGINE_STRUCTURES, ...parseTuningList(args.opt('--tune', '')) }
const trace: Trace = every > 0
  ? shiftingTrace({ keys: 20 * cap, s: 0.9, length: 40 * cap, phase: Math.round(every * cap), shift: 10 * cap, seed: Number(args.opt('--seed', String(42 + 60 + every))) })
  : await readTrace(join(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared', 'traces', args.opt('--trace', 'P3.lis.gz')))
const shards = Number(args.opt('--shards', String(every > 0 ? 1 : realShardCount(cap))))
const m = new CortadoModel(cap, trace, { shards, tuning })
const sh = m.shards[0]! as unknown as Record<string, number>
const t = { ...TUNING, ...tuning }
const N = trace.keys.length
let blockHits = 0, blockN = 0, blocks = 0, on = 0, met = 0
let prev = { tailN: 0, tailHit: 0, retW: 0, retM: 0, boost: 0 }
let lastShare = sh.tailShare, lastRatio = sh.retRatio
const onStats: string[] = []
for (let i = 0; i < N; i++) {
  const k = trace.keys[i]!
  // Only shard 0's blocks are followed; its requests are the ones counted.
  const before = sh.hits! + sh.misses!
  const hit = m.access(k)
  const mine = sh.hits! + sh.misses! !== before
  if (mine) { blockN++; if (hit) blockHits++ }
  const ended = sh.tailN! < prev.tailN || sh.retW! < prev.retW || sh.tailShare !== lastShare || sh.retRatio !== lastRatio
  if (ended) {
    blocks++
    const isMet = sh.tailShare! >= t.hitGainShare && sh.retRatio! <= t.hitGainMain
    if (isMet) met++
    const gainOn = sh.hitRun! >= t.hitGainRuns
    if (gainOn) on++
    const row = `${(i / N).toFixed(3)} blk ${blocks} w ${(sh.windowTarget! / sh.capacity!).toFixed(3)} tail ${prev.tailHit}/${prev.tailN} (${sh.tailShare!.toFixed(3)}) ret W ${prev.retW} M ${prev.retM} (${sh.retRatio!.toFixed(2)}) len ${sh.driftBlockLen} boost ${(prev.boost / sh.capacity!).toFixed(3)} run ${sh.hitRun}${gainOn ? ' ON' : ''} hr ${(100 * blockHits / Math.max(1, blockN)).toFixed(2)}`
    if (args.has('--all') || isMet) console.log(row)
    if (gainOn) onStats.push(row)
    blockHits = 0; blockN = 0
  }
  prev = { tailN: sh.tailN!, tailHit: sh.tailHit!, retW: sh.retW!, retM: sh.retM!, boost: sh.blockBoost! }
  lastShare = sh.tailShare; lastRatio = sh.retRatio
}
console.log(`shards ${shards}, shard 0: blocks ${blocks}, met ${met}, gain on ${on}; hit ratio (all shards) ${(100 * m.shards.reduce((a, s) => a + s.hits, 0) / N).toFixed(2)}`)
