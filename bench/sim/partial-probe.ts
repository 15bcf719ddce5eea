/**
 * Stop 50 (partialmove) probe: a sweep row (bench/arena/recency-sweep.ts), a standing Zipf(0.9) over 20 keys
 * per entry (`--only standing`) or a trace file (`--trace`), on the model, one shard, per drift block: the
 * window target (× capacity), the share of inserts back from the ghost (the drift signal), its peak and the
 * gate, HIT_GAIN's tail share / ratio / run, protected's stale share (research average) and the block's share
 * of hand steps that found an unhit entry (STALE_GATE's; counted only with staleGate > 0: `--tune
 * staleGate=0.9` counts without opening), the sketch's halvings (all / early), demotions, lost contests and
 * their victims' mean estimate, the dead keys left per queue (a moving row: key < the running offset), and the
 * block's hit ratio against LRU's. At the end: quantiles over the blocks after 10 capacities. Deterministic.
 *
 *   npx tsx bench/sim/partial-probe.ts --only 'every 4C by 0.25C' [--size 10000] [--tune k=v,…] [--every-block N]
 *   npx tsx bench/sim/partial-probe.ts --trace /work/shared/traces/OLTP.lis.gz --size 1000 --every-block 100000
 */
import { sweepRows, movingTrace } from '../arena/recency-sweep.js'
import { readTrace } from './traces/read.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const size = Number(args.opt('--size', '10000'))
const only = args.opt('--only', 'every 4C by 0.25C')
const stride = Number(args.opt('--every-block', '1'))
const tracePath = args.opt('--trace', '')
const row = only === 'standing' ? { name: 'standing s0.9 20/entry', make: (c: number) => movingTrace(c, 1, 0.9, 20, 1000, 0, 7) } : sweepRows().find((r) => r.name.includes(only))!
const trace = tracePath !== '' ? await readTrace(tracePath) : row.make(size, 1)
const m = new CortadoModel(size, trace, { tuning: parseTuningList(args.opt('--tune', '')) })
const lru = new LruPolicy(size, trace)
const sh = m.shards[0]! as unknown as Record<string, any>
let bh = 0, bl = 0, bn = 0, blocks = 0
const sSb: number[] = [], sBack: number[] = [], sRatio: number[] = [], sTail: number[] = [], sHr: number[] = [], sW: number[] = []
let stN = 0, stSum = 0, st35 = 0, st40 = 0, st45 = 0
let d0 = 0, l0 = 0, lv = 0
let last = sh.handRate
let lastT = sh.tailShare, lastR = sh.retRatio
console.log(tracePath || row.name)
for (let i = 0; i < trace.keys.length; i++) {
  const k = trace.keys[i]!
  if (m.access(k)) bh++
  if (lru.access(k)) bl++
  bn++
  if (sh.handRate !== last || sh.tailShare !== lastT || sh.retRatio !== lastR) {
    blocks++
    // Dead keys (a sweep moving row: key < the running offset) still in the cache, by queue.
    const mv = /every (\S+)C by (\S+)C/.exec(row.name)
    let dead = ''
    if (mv !== null && tracePath === '') {
      const off = Math.floor(i / Math.round(Number(mv[1]) * size)) * Math.round(Number(mv[2]) * size)
      const q = [0, 0, 0, 0]
      const ks = sh.keyState as Uint8Array
      for (let k = 0; k < off; k++) q[ks[k]! & 3]!++
      dead = ` dead W ${q[1]} P ${q[2]} M ${q[3]}`
    }
    if (blocks % stride === 0) console.log(`${(i / size).toFixed(2)}C w ${(sh.windowTarget / size).toFixed(3)} back ${sh.handRate.toFixed(3)} peak ${sh.driftPeak.toFixed(3)}${sh.driftOn ? ' OPEN' : ''} tail ${sh.tailShare.toFixed(3)} ratio ${sh.retRatio.toFixed(2)} run ${sh.hitRun} stale ${sh.staleShare.toFixed(3)} sb ${sh.staleBlock.toFixed(3)} halv ${sh.sketch.halvings}/${sh.earlyAgeings} dem ${sh.stat.demotions - d0} loss ${sh.stat.losses - l0} v̄ ${((sh.stat.lossVictimSum - lv) / Math.max(1, sh.stat.losses - l0)).toFixed(1)}${dead} hr ${(100 * bh / bn).toFixed(1)} lru ${(100 * bl / bn).toFixed(1)}`)
    const bh0 = bh, bn0 = bn
    bh = 0; bl = 0; bn = 0
    if (i > 10 * size) { stN++; stSum += sh.staleShare; if (sh.staleShare >= 0.35) st35++; if (sh.staleShare >= 0.4) st40++; if (sh.staleShare >= 0.45) st45++; sBack.push(sh.handRate); sSb.push(sh.staleBlock); sRatio.push(sh.retRatio); sTail.push(sh.tailShare); sHr.push(100 * bh0 / bn0); sW.push(sh.windowTarget / sh.capacity) }
    d0 = sh.stat.demotions; l0 = sh.stat.losses; lv = sh.stat.lossVictimSum
    last = sh.handRate; lastT = sh.tailShare; lastR = sh.retRatio
  }
}
console.log(`stale mean ${(stSum / stN).toFixed(3)} blocks ${stN} ≥0.35 ${(st35 / stN).toFixed(2)} ≥0.4 ${(st40 / stN).toFixed(2)} ≥0.45 ${(st45 / stN).toFixed(2)}`)
const q = (a: number[]): string => { const b = [...a].sort((x, y) => x - y); return [0.1, 0.5, 0.75, 0.9].map((f) => b[Math.floor(f * (b.length - 1))]!.toFixed(3)).join('/') }
console.log(`q10/50/75/90: sb ${q(sSb)} back ${q(sBack)} ratio ${q(sRatio)} tail ${q(sTail)} w ${q(sW)}`)
