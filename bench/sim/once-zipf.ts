/**
 * Write-once traffic mixed with a Zipf hot set on the model (issue #18 after stop 37): the request
 * stream of `bench/arena/recency-mix.ts` (bench/workloads/once-zipf-trace.ts) for LRU, the model as
 * built and model variants, over write shares, recent-read shares, read spans, distance shapes and
 * Zipf skews. The cache starts empty and every read counts, as in recency-mix; cells are model − LRU,
 * "whole run / second half", ✗ where the whole run is under LRU − 1 or the second half under LRU − 0.5.
 * `--detail` adds the model's hit ratio on the Zipf reads and on the recent reads (whole run) beside
 * LRU's. Deterministic (seeded).
 *
 *   npx tsx bench/sim/once-zipf.ts [--capacity 10000] [--capacities 40] [--w 0.1,0.3,0.5] [--r 0.2,0.3]
 *     [--k 1,1.5] [--shapes uni,exp] [--skews 0.9] [--modes once,back] [--variants 'name:k=v,k=v;…']
 *     [--detail] [--shards 1]
 */
import { onceZipfTrace } from '../workloads/once-zipf-trace.js'
import { OP_READ, OP_WRITE, type Trace } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import type { Tuning } from './model/tuning.js'
import { parseTuningList } from './tuning-args.js'
import { LruPolicy } from './policies/lru.js'
import type { Policy } from './policy.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const opt = args.opt
const nums = args.numbers
const capacity = Number(opt('--capacity', '10000'))
const capacities = Number(opt('--capacities', '40'))
const shards = Number(opt('--shards', '1'))
const detail = args.has('--detail')

const variants: Array<[string, Partial<Tuning>]> = [['model', {}]]
for (const v of opt('--variants', '').split(';').filter((s) => s !== '')) {
  const [name, tune] = v.split(':') as [string, string | undefined]
  variants.push([name, parseTuningList(tune ?? '', '--variants')])
}

interface Result { whole: number; half: number; zipf: number; recent: number }

/** Hit ratios (%): every read, the second half's reads, the Zipf reads and the recent reads. */
function run(p: Policy, trace: Trace, zipfKeys: number): Result {
  const n = trace.keys.length
  const half = Math.floor(n / 2)
  let h = 0, r = 0, hh = 0, hr = 0, zh = 0, zr = 0
  for (let i = 0; i < n; i++) {
    const op = trace.ops![i]!
    const k = trace.keys[i]!
    if (op === OP_WRITE) {
      p.write!(k)
      continue
    }
    const hit = op === OP_READ ? p.read!(k) : p.access(k)
    r++
    if (hit) h++
    if (k < zipfKeys) {
      zr++
      if (hit) zh++
    }
    if (i >= half) {
      hr++
      if (hit) hh++
    }
  }
  return { whole: (100 * h) / r, half: (100 * hh) / hr, zipf: (100 * zh) / Math.max(1, zr), recent: (100 * (h - zh)) / Math.max(1, r - zr) }
}

const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)
console.log(`${capacity} entries, ${capacities} capacities of requests from empty; cells: model − lru, whole run / second half`)
console.log(`| row | lru whole / 2nd half | ${variants.map((v) => v[0]).join(' | ')} |`)
console.log(`|---|---:|${variants.map(() => '---:').join('|')}|`)
const sums = variants.map(() => ({ under: 0, worst: Infinity, worstHalf: Infinity }))
for (const skew of nums('--skews', '0.9')) {
  for (const w of nums('--w', '0.1,0.3,0.5')) {
    for (const shape of opt('--shapes', 'uni,exp').split(',')) {
      for (const k of nums('--k', '1,1.5')) {
        for (const r of nums('--r', '0.2,0.3')) {
          for (const mode of opt('--modes', 'once,back').split(',')) {
            const trace = onceZipfTrace({ capacity, length: capacities * capacity, w, r, k, exponential: shape === 'exp', writeBack: mode === 'back', skew })
            const zipfKeys = 5 * capacity
            const lru = run(new LruPolicy(capacity, trace), trace, zipfKeys)
            const cells = variants.map(([, tuning], i) => {
              const m = run(new CortadoModel(capacity, trace, { tuning, shards }), trace, zipfKeys)
              const dw = m.whole - lru.whole
              const dh = m.half - lru.half
              const s = sums[i]!
              if (dw < -1) s.under++
              s.worst = Math.min(s.worst, dw)
              s.worstHalf = Math.min(s.worstHalf, dh)
              const more = detail ? ` (z ${m.zipf.toFixed(1)}/${lru.zipf.toFixed(1)} rec ${m.recent.toFixed(1)}/${lru.recent.toFixed(1)})` : ''
              return `${signed(dw)} / ${signed(dh)}${dw < -1 || dh < -0.5 ? ' ✗' : ''}${more}`
            })
            console.log(`| ${trace.name} | ${lru.whole.toFixed(2)} / ${lru.half.toFixed(2)} | ${cells.join(' | ')} |`)
          }
        }
      }
    }
  }
}
console.log(`| rows under LRU − 1 (whole); worst whole; worst 2nd half | | ${sums.map((s) => `${s.under}; ${signed(s.worst)}; ${signed(s.worstHalf)}`).join(' | ')} |`)
