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
 *
 * The probe's rows carry their own trace seed (drawn); --seed here is the generator's seed, so figures are
 * close to, not equal to, the probe's.
 */
import { burstTrace, delayTrace, movingTrace } from '../arena/recency-sweep.js'
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
const trace: Trace = gen === 'burst' ? burstTrace(c, 1, Number(opt('--b', '1.2')), Number(opt('--r', '2')), back, seed)
  : gen === 'delay' ? delayTrace(c, 1, Number(opt('--d', '1.2')), back, seed)
  : movingTrace(c, 1, Number(opt('--s', '0.7')), Number(opt('--per', '2')), Number(opt('--every', '5')), Number(opt('--by', '0.25')), seed)
const block = Math.round(Number(opt('--block', '1')) * c)
const variants = opt('--variants', 'base:').split(';').filter((v) => v !== '').map((v) => {
  const i = v.indexOf(':')
  return { name: v.slice(0, i), tuning: parseTuningList(v.slice(i + 1)) }
})
const show = opt('--trace', variants[variants.length - 1]!.name)
type Diag = { windowTarget: number; unaskedShare: number; earlyAgeings: number; staleBlock: number; stat: Record<string, number> }
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
const [la, ll] = run(new LruPolicy(c, trace), (i, hit) => {
  if (hit !== undefined) { br++; if (hit) bh++ }
  if ((i + 1) % block === 0) { lruBlocks.push(br === 0 ? NaN : (100 * bh) / br); bh = 0; br = 0 }
})
console.log(`${trace.name} at ${c}, ${n} requests, LRU ${la.toFixed(2)} / ${ll.toFixed(2)}`)
const sg = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)
for (const v of variants) {
  const model = new CortadoModel(c, trace, { tuning: v.tuning })
  const shard = model.shards[0]! as unknown as Diag
  const lines: string[] = []
  bh = 0; br = 0
  const [a, l] = run(model, (i, hit) => {
    if (hit !== undefined) { br++; if (hit) bh++ }
    if (v.name === show && (i + 1) % block === 0) {
      const b = lines.length
      lines.push(`| ${((i + 1) / c).toFixed(1)} | ${(shard.windowTarget / c).toFixed(3)} | ${shard.unaskedShare.toFixed(2)} | ${shard.earlyAgeings} | ${shard.staleBlock.toFixed(2)} | ${(br === 0 ? NaN : (100 * bh) / br).toFixed(1)} / ${lruBlocks[b]!.toFixed(1)} |`)
      bh = 0; br = 0
    }
  })
  if (lines.length > 0) {
    console.log(`| capacities | window | unasked | ageings | stale share (last block) | ${v.name} / lru |\n|---:|---:|---:|---:|---:|---:|\n${lines.join('\n')}`)
  }
  console.log(`${v.name}: ${sg(a - la)} / ${sg(l - ll)}${args.has('--stat') ? ` ${JSON.stringify(shard.stat)}` : ''}`)
}
