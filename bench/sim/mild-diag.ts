/**
 * One drawn probe row (bench/sim/recency-probe.ts: the sweep's burst, delay and moving generators at one
 * capacity) on the model against LRU, per block of requests (stop 52, mildclass): window target (fraction of
 * capacity), unasked share, early ageings so far, model / LRU hit ratio in the block, and per variant
 * whole run / second half − LRU. For finding why the mild rows (−1 to −3.5) lose. One shard.
 *
 *   npx tsx bench/sim/mild-diag.ts --gen burst --c 15800 --b 1.2 --r 2 [--back] [--seed 1] [--block 1]
 *   npx tsx bench/sim/mild-diag.ts --gen delay --c 4200 --d 1.2 [--back]
 *   npx tsx bench/sim/mild-diag.ts --gen moving --c 9000 --s 0.7 --per 2 --every 5 --by 0.25
 *     [--variants 'base:;x:k=v'] [--trace x] [--stat]   (--trace: the variant whose blocks are printed; default
 *     the last; --stat: the shard's counters at the end)
 *   npx tsx bench/sim/mild-diag.ts --gen movingw --c 10000 --s 0.9 --per 5 --every 4 --w 0.1   (stop 54, movewrites:
 *     the sweep's 'moving+writes' rows, a cache-aside hot set moving wholesale beside writes of new keys never read;
 *     w 0 is the same hot set without the writes)
 *     [--recover] (moving only, stop 53: per move, the capacities until the model's blocks read within 0.5 of LRU's
 *     for the rest of the period, with --block 0.5 say; printed per variant, the moves in order, and their mean)
 *     [--dead] (moving only, stop 53: per block also the moved-away keys resident in window / probation /
 *     protected at the block's end) [--oracle M] (moving only: the model's diagnostic oracleMode M, told the
 *     current period's first key: 1 a moved-away victim's estimate is 0, 2 they leave main at each move)
 *
 *   npx tsx bench/sim/mild-diag.ts --gen phases --phases back,loop,scan,lag --each 14 --c 4600 --seed S   (stop 55: a phases row;
 *     the probe's --match prints a row's trace seed)
 *     [--q 0.2 --hot 10|0.05C|0] (stop 56, dryrobust: a `lagh` phase's opening sends a share q of its reads to a hot set
 *     of that many keys, or to random earlier keys with 0; recency-sweep.ts phasesTrace)
 *   npx tsx bench/sim/mild-diag.ts --gen suite --row 'zipf→write-then-read write-once 1.5×cap' --c 10000   (stop 55: a row of
 *     the suite, bench/sim/variants.ts's recency rows)
 *     [--why] (stop 55, delaysteady: per block the reads LRU hit and the model missed, by the key's last way out of the
 *     model (window leaver hit there / unhit, probation's victim unhit that RETURN_TO placed / admitted unhit / hit, protected's victim), the lost reads' mean
 *     ordinal (reads of the key before this one, its write-back's read is 0), sketch halvings, RETURN_TO and the
 *     young share; at the end the same totals and the lost reads by ordinal)
 *
 * The probe's rows carry their own trace seed (drawn); --seed here is the generator's seed, so figures are
 * close to, not equal to, the probe's.
 */
import { burstTrace, delayTrace, laghOptions, movingTrace, movingWritesTrace, phasesTrace, type Phase } from '../arena/recency-sweep.js'
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { toolArgs } from '../harness/tool-args.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { replayOne } from './replay-by-capacity.js'
import { parseTuningList } from './tuning-args.js'
import type { Trace } from '../workloads/trace.js'

const args = toolArgs()
const opt = args.opt
const c = Number(opt('--c', '10000'))
const seed = Number(opt('--seed', '1'))
const back = args.has('--back')
const gen = opt('--gen', 'burst')
// Stop 56 (dryrobust): `lagh` phases' opening: --q (share of the opening's reads sent elsewhere), --hot (hot set's keys;
// '0.05C' a share of capacity; 0 random earlier keys).
const laghOpts = laghOptions(opt('--q', '0.2'), opt('--hot', '10'), c)
const trace: Trace = gen === 'phases' ? phasesTrace(c, 1, opt('--phases', 'back,loop,scan,lag').split(',') as Phase[], Number(opt('--each', '14')), seed, 20, laghOpts)
  : gen === 'suite' ? recencyWorkloads(42, 1).find((w) => w.name === opt('--row', ''))!.make(c)
  : gen === 'burst' ? burstTrace(c, 1, Number(opt('--b', '1.2')), Number(opt('--r', '2')), back, seed)
  : gen === 'delay' ? delayTrace(c, 1, Number(opt('--d', '1.2')), back, seed)
  : gen === 'movingw' ? movingWritesTrace(c, 1, Number(opt('--s', '0.9')), Number(opt('--per', '5')), Number(opt('--every', '4')), Number(opt('--w', '0.1')), seed)
  : movingTrace(c, 1, Number(opt('--s', '0.7')), Number(opt('--per', '2')), Number(opt('--every', '5')), Number(opt('--by', '0.25')), seed)
const block = Math.round(Number(opt('--block', '1')) * c)
const variants = opt('--variants', 'base:').split(';').filter((v) => v !== '').map((v) => {
  const i = v.indexOf(':')
  return { name: v.slice(0, i), tuning: parseTuningList(v.slice(i + 1)) }
})
const show = opt('--trace', variants[variants.length - 1]!.name)
type Diag = { windowTarget: number; unaskedShare: number; earlyAgeings: number; staleBlock: number; stat: Record<string, number>
  keyState: Uint16Array; oracleMode: number; oracleOffset: number; oracleFlush(): void }
// The moving generator's period and shift (movingTrace's own arithmetic): keys under the current offset are dead.
const period = gen === 'moving' ? Math.max(1, Math.round(Number(opt('--every', '5')) * c)) : 0
const shift = gen === 'moving' ? Math.max(1, Math.round(Number(opt('--by', '0.25')) * c)) : 0
const dead = gen === 'moving' && args.has('--dead')
const oracle = gen === 'moving' ? Number(opt('--oracle', '0')) : 0
function deadCounts(sh: Diag, offset: number): string {
  const q = [0, 0, 0, 0]
  for (let k = Math.max(0, offset - 40 * shift); k < offset; k++) q[sh.keyState[k]! & 3]!++
  return ` ${q[1]} / ${q[2]} / ${q[3]} |`
}
const n = trace.keys.length
const half = Math.floor(n / 2)
function run(p: { read?: (k: number) => boolean; access(k: number): boolean }, each?: (i: number, hit: boolean | undefined) => void): [number, number] {
  let h = 0, r = 0, lh = 0, lr = 0
  for (let i = 0; i < n; i++) {
    const hit = replayOne(p as never, trace.ops === undefined ? 0 : trace.ops[i]!, trace.keys[i]!)
    if (hit !== undefined) { r++; if (hit) h++; if (i >= half) { lr++; if (hit) lh++ } }
    each?.(i, hit)
  }
  return [(100 * h) / Math.max(1, r), (100 * lh) / Math.max(1, lr)]
}
const lruBlocks: number[] = []
let bh = 0, br = 0
const why = args.has('--why')
const lruHit = new Uint8Array(why ? n : 0)
const [la, ll] = run(new LruPolicy(c, trace), (i, hit) => {
  if (hit !== undefined) { br++; if (hit) bh++ }
  if (why && hit === true) lruHit[i] = 1
  if ((i + 1) % block === 0) { lruBlocks.push(br === 0 ? NaN : (100 * bh) / br); bh = 0; br = 0 }
})
console.log(`${trace.name} at ${c}, ${n} requests, LRU ${la.toFixed(2)} / ${ll.toFixed(2)}`)
const sg = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)
for (const v of variants) {
  const model = new CortadoModel(c, trace, { tuning: v.tuning })
  const shard = model.shards[0]! as unknown as Diag
  shard.oracleMode = oracle
  const wr = shard as unknown as { exitRoute: Uint8Array | undefined; sketch: { halvings: number }; returnOn: boolean; youngShare: number; sizeW: number; sizeP: number; sizeM: number }
  // --why: lost reads (LRU hit, model missed) by route [0 never left, 1 window hit, 2 window unhit, 4 probation unhit,
  // 5 probation hit, 6 protected], per block and in all; and by the key's read ordinal.
  const reads = new Uint16Array(why ? trace.universe : 0)
  if (why) wr.exitRoute = new Uint8Array(trace.universe)
  const lostB = new Array<number>(7).fill(0), lostAll = new Array<number>(7).fill(0), byOrd = new Array<number>(12).fill(0), readsByOrd = new Array<number>(12).fill(0)
  let ordSum = 0, lostN = 0, prevHL = 0, prevFc = 0, prevFv = 0, prevPV = 0
  const whyLines: string[] = []
  const lines: string[] = []
  const mine: number[] = []
  bh = 0; br = 0
  const [a, l] = run(model, (i, hit) => {
    if (hit !== undefined) { br++; if (hit) bh++ }
    if (why && hit !== undefined) {
      const k = trace.keys[i]!
      const o = reads[k]!
      reads[k] = o + 1
      readsByOrd[Math.min(11, o)]!++
      if (!hit && lruHit[i] === 1) {
        const r = wr.exitRoute![k]!
        lostB[r]!++
        lostAll[r]!++
        byOrd[Math.min(11, o)]!++
        ordSum += o
        lostN++
      }
    }
    const st = shard.stat
    if (why && v.name === show && (i + 1) % block === 0) {
      whyLines.push(`| ${((i + 1) / c).toFixed(1)} | ${(wr.sizeW / c).toFixed(2)} / ${(wr.sizeP / c).toFixed(2)} / ${(wr.sizeM / c).toFixed(2)} | ${wr.sketch.halvings} | ${wr.returnOn ? 1 : 0} | ${wr.youngShare.toFixed(2)} | ${lostB[0]} | ${lostB[1]} | ${lostB[2]} | ${lostB[3]} | ${lostB[4]} | ${lostB[5]} | ${lostB[6]} | ${st.hitLeaverLosses - prevHL} | ${((st.hitLeaverFc - prevFc) / Math.max(1, st.hitLeaverLosses - prevHL)).toFixed(1)} / ${((st.hitLeaverFv - prevFv) / Math.max(1, st.hitLeaverLosses - prevHL)).toFixed(1)} | ${st.hitLeaverProtVictims - prevPV} |`)
      prevHL = st.hitLeaverLosses; prevFc = st.hitLeaverFc; prevFv = st.hitLeaverFv; prevPV = st.hitLeaverProtVictims
      lostB.fill(0)
    }
    if (oracle > 0) {
      // Told before the next request, as bench/sim/moving-oracle.ts does (this request is i; the next i + 1).
      shard.oracleOffset = Math.floor((i + 1) / period) * shift
      if (oracle === 2 && (i + 1) % period === 0) shard.oracleFlush()
    }
    if ((i + 1) % block === 0) mine.push(br === 0 ? NaN : (100 * bh) / br)
    if (v.name === show && (i + 1) % block === 0) {
      const b = lines.length
      lines.push(`| ${((i + 1) / c).toFixed(1)} | ${(shard.windowTarget / c).toFixed(3)} | ${shard.unaskedShare.toFixed(2)} | ${shard.earlyAgeings} | ${shard.staleBlock.toFixed(2)} | ${(br === 0 ? NaN : (100 * bh) / br).toFixed(1)} / ${lruBlocks[b]!.toFixed(1)} |${dead ? deadCounts(shard, Math.floor(i / period) * shift) : ''}`)
    }
    if ((i + 1) % block === 0) { bh = 0; br = 0 }
  })
  if (lines.length > 0) {
    console.log(`| capacities | window | unasked | ageings | stale share (last block) | ${v.name} / lru |${dead ? ' dead W / P / M |' : ''}\n|---:|---:|---:|---:|---:|---:|${dead ? '---:|' : ''}\n${lines.join('\n')}`)
  }
  if (why) {
    if (v.name === show) console.log(`| capacities | W / P / M (C) | halvings | rtOn | young | lost: resident | window hit | window unhit | placed, unhit | prob unhit | prob hit | protected | hit leavers lost | their fc / fv | victim protected |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n${whyLines.join('\n')}`)
    console.log(`${v.name} lost reads (LRU hit, model missed) ${lostN}, mean ordinal ${(ordSum / Math.max(1, lostN)).toFixed(2)}; by route resident ${lostAll[0]}, window hit ${lostAll[1]}, window unhit ${lostAll[2]}, RETURN_TO's placements unhit ${lostAll[3]}, probation unhit ${lostAll[4]}, probation hit ${lostAll[5]}, protected ${lostAll[6]}`)
    console.log(`${v.name} lost by ordinal 0..11+: ${byOrd.join(' ')} (reads by ordinal: ${readsByOrd.join(' ')})`)
  }
  if (gen === 'moving' && args.has('--recover')) {
    // Block b covers requests [b·block, (b+1)·block); a move at request m·period. The capacities from the move to the
    // end of the period's last block more than 0.5 under LRU's (from there on the model stays within 0.5 until the
    // next move; 0 when no block of the period is), the period's length when its last block still is.
    const rec: number[] = []
    const gap: number[] = []
    for (let m = period; m < n; m += period) {
      let got = 0, sum = 0, k = 0
      for (let b = Math.floor(m / block); b < mine.length && b * block < m + period; b++) {
        if (mine[b]! < lruBlocks[b]! - 0.5) got = Math.min((b + 1) * block, m + period, n) - m
        sum += mine[b]! - lruBlocks[b]!
        k++
      }
      rec.push(got / c)
      gap.push(sum / Math.max(1, k))
    }
    console.log(`${v.name} mean model − LRU over each period after a move: ${gap.map(sg).join(' ')}`)
    console.log(`${v.name} capacities after each move until within 0.5 of LRU for the rest of the period: ${rec.map((x) => x.toFixed(2)).join(' ')}; mean ${(rec.reduce((x, y) => x + y, 0) / Math.max(1, rec.length)).toFixed(2)}`)
  }
  console.log(`${v.name}: ${sg(a - la)} / ${sg(l - ll)}${args.has('--stat') ? ` ${JSON.stringify(shard.stat)}` : ''}`)
}
