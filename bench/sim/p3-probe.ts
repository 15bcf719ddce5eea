/**
 * Stop 45 probe: one anchored trace (default P3 at 131072 entries) on the model with the engines'
 * structures beside LRU, per variant: the whole run's hit ratio, then per twentieth of the trace the
 * hit ratio − LRU's @ the window target (× capacity) at its end. Shows where a window rule gains or
 * loses against LRU on a trace. Deterministic.
 *
 *   npx tsx bench/sim/p3-probe.ts [--trace P3.lis.gz] [--capacity 131072] --variants 'base:;clock:windowClockAsked=2'
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CortadoModel } from './model/cortado.js'
import { ENGINE_STRUCTURES } from './model/tuning.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'
import { readTrace } from './traces/read.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const cap = Number(args.opt('--capacity', '131072'))
const file = args.opt('--trace', 'P3.lis.gz')
const trace = await readTrace(join(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared', 'traces', file))
const variants = args.opt('--variants', 'base:').split(';').filter((s) => s !== '')
const N = trace.keys.length
const B = Math.round(N / 20)
const lru = new LruPolicy(cap, trace)
const lruSeg: number[] = []
let lruHits = 0
let c = 0
for (let i = 0; i < N; i++) {
  if (lru.access(trace.keys[i]!)) { lruHits++; c++ }
  if ((i + 1) % B === 0) { lruSeg.push(c); c = 0 }
}
console.log(`lru ${(100 * lruHits / N).toFixed(2)} (${N} requests)`)
for (const v of variants) {
  const j = v.indexOf(':')
  const m = new CortadoModel(cap, trace, { tuning: { ...ENGINE_STRUCTURES, ...parseTuningList(v.slice(j + 1)) } })
  const sh = m.shards[0] as unknown as Record<string, number>
  let hits = 0
  c = 0
  const segs: string[] = []
  for (let i = 0; i < N; i++) {
    if (m.access(trace.keys[i]!)) { hits++; c++ }
    if ((i + 1) % B === 0) { segs.push(`${(100 * (c - lruSeg[segs.length]!) / B).toFixed(1)}@${(sh.windowTarget! / cap).toFixed(2)}`); c = 0 }
  }
  console.log(`${v.slice(0, j)} ${(100 * hits / N).toFixed(2)}: ${segs.join(' ')}`)
}
