/**
 * Every recency family at once, whole run and second half, for LRU, the model as built and model
 * variants (issue 18, stop 32): the classes a rule must hold on, not one row. Without `--sweep` the
 * families of `npm run sim -- --recency` (write-then-read lengthened to `--capacities`, 40 by default,
 * so that the second half is the adapted state; phases and moving Zipf at the suite's length); with
 * `--sweep` write-then-read at more read distances (`--dists`) and write shares (`--shares`, the share
 * of requests that write a new key; the suite's is 0.1), `--modes once,back`. Prints model − LRU as
 * "whole / second half", ✗ where the second half is under LRU − 0.5. Deterministic (seeded traces).
 *
 * With `--cold` write-then-read starts empty, its reads beginning with the first write (no fill of
 * writes alone), and every read counts. `--real wasm|native` adds the real cache (one shard, as the
 * model) as a last column; `--no-model` leaves the model as built out (its `--variants` stay).
 *
 *   npx tsx bench/sim/recency-classes.ts [--capacity 10000] [--capacities 40] [--sweep] [--cold]
 *     [--dists 0.9,1,1.5] [--shares 0.05,0.1,0.2] [--modes once,back] [--only 'back|phases']
 *     [--variants 'name:k=v,k=v;name2:k=v'] [--shards 1] [--real wasm] [--no-model]
 */
import { writeThenReadTrace } from '../workloads/recency-trace.js'
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { OP_READ, OP_WRITE, type Trace } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import type { Tuning } from './model/tuning.js'
import { parseTuningList } from './tuning-args.js'
import { LruPolicy } from './policies/lru.js'
import { loadRealCache, RealCachePolicy } from './policies/cortado.js'
import type { Policy } from './policy.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const opt = args.opt
const capacity = Number(opt('--capacity', '10000'))
const capacities = Number(opt('--capacities', '40'))
const only = opt('--only', '')
const sweep = args.has('--sweep')
const shards = Number(opt('--shards', '1'))
const cold = args.has('--cold')

const real = opt('--real', '') as '' | 'wasm' | 'native'
const variants: Array<[string, Partial<Tuning>]> = args.has('--no-model') ? [] : [['model', {}]]
for (const v of opt('--variants', '').split(';').filter((s) => s !== '')) {
  const [name, tune] = v.split(':') as [string, string | undefined]
  variants.push([name, parseTuningList(tune ?? '', '--variants')])
}

interface Family { name: string; trace: Trace; fill: number }
const families: Family[] = []
const distances = sweep ? opt('--dists', '0.6,0.8,0.85,0.9,0.95,1.0,1.1,1.2,1.5,2.0').split(',').map(Number) : [0.1, 0.2, 0.5, 0.9, 1.5]
const shares = sweep ? opt('--shares', '0.05,0.1,0.2').split(',').map(Number) : [0.1]
for (const mode of opt('--modes', 'once,back').split(',')) {
  for (const distance of distances) {
    for (const writeShare of shares) {
      const writeBack = mode === 'back'
      // Seeds as bench/sim/per-capacity.ts for the suite's share (0.1), so the rows agree with it.
      const seed = 42 + Math.round(distance * 10) + Math.round(writeShare * 100) - 10
      const name = `wtr ${distance} ${writeBack ? 'back' : 'once'}${writeShare !== 0.1 ? ` w${writeShare}` : ''}${cold ? ' cold' : ''}`
      const trace = writeThenReadTrace({ capacity, distance, length: capacity * capacities, writeBack, writeShare, fill: !cold, seed })
      families.push({ name, fill: cold ? 0 : capacity, trace })
    }
  }
}
if (!sweep) {
  for (const w of recencyWorkloads()) {
    if (w.name.startsWith('write-then-read')) continue
    const name = w.name.replace('phases scan→zipf→recency→zipf', 'phases').replace('zipf(0.9) 20 keys/entry, ', 'zipf ')
    families.push({ name, fill: 0, trace: w.make(capacity) })
  }
}

/** Hit ratio (%) over the run after the fill, and over its second half. */
function run(p: Policy, trace: Trace, fill: number): [number, number] {
  const n = trace.keys.length
  const half = fill + Math.floor((n - fill) / 2)
  let h = 0
  let r = 0
  let lh = 0
  let lr = 0
  for (let i = 0; i < n; i++) {
    const op = trace.ops === undefined ? 0 : trace.ops[i]!
    const k = trace.keys[i]!
    if (op === OP_WRITE) {
      p.write!(k)
      continue
    }
    const hit = op === OP_READ ? p.read!(k) : p.access(k)
    if (i < fill) continue
    r++
    if (hit) h++
    if (i >= half) {
      lr++
      if (hit) lh++
    }
  }
  return [(100 * h) / r, (100 * lh) / lr]
}

const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)
console.log(`${capacity} entries; write-then-read over ${capacities} capacities ${cold ? 'from empty (every read counted)' : 'after the fill'}; cells: model − lru, whole run / second half`)
const Cache = real === '' ? undefined : await loadRealCache()
const columns = [...variants.map((v) => v[0]), ...(real === '' ? [] : [`real (${real}, 1 shard)`])]
console.log(`| family | lru whole / 2nd half | ${columns.join(' | ')} |`)
console.log(`|---|---:|${columns.map(() => '---:').join('|')}|`)
for (const f of families) {
  if (only !== '' && !only.split('|').some((o) => f.name.includes(o))) continue
  const [lw, lh] = run(new LruPolicy(capacity, f.trace), f.trace, f.fill)
  const cell = ([w, h]: [number, number]): string => `${signed(w - lw)} / ${signed(h - lh)}${h - lh < -0.5 ? ' ✗' : ''}`
  const cells = variants.map(([, tuning]) => cell(run(new CortadoModel(capacity, f.trace, { tuning, shards }), f.trace, f.fill)))
  if (Cache !== undefined) {
    const cache = new RealCachePolicy(Cache, capacity, f.trace, 0x2545f491, { engine: real as 'wasm' | 'native', shards: 1 })
    cells.push(cell(run(cache, f.trace, f.fill)))
    cache.close()
  }
  console.log(`| ${f.name} | ${lw.toFixed(2)} / ${lh.toFixed(2)} | ${cells.join(' | ')} |`)
}
