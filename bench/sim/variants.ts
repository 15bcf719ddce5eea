/**
 * Many model variants in one process (stop 37): the recency families (model − LRU per variant) and the
 * anchored traces (hit ratio per variant, then the mean gap to the best anchor and the worst gap to
 * LRU), LRU computed once per row. Same traces, seeds and model as `npm run sim -- --policy model`
 * (`--tune` there gives the same figures for one variant). Deterministic.
 *
 *   npx tsx bench/sim/variants.ts [--sizes 10000[,100000]] [--family TEXT[,TEXT]] [--traces] [--no-recency] \
 *     [--seeds d,1,2] --variants 'base:;sweep:returnSweep=4,returnSweepYoung=1'
 *
 * --seeds: the recency rows give the mean (min…max) over these model hash seeds ('d' the default); the
 * traces one hit ratio per seed (a/b/…) and mean − best and worst − LRU per seed.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { bestAnchor, readAnchors } from './anchors.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { simulate } from './simulate.js'
import { formatOf, readTrace, traceName } from './traces/read.js'
import { parseTuningList } from './tuning-args.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const argv = process.argv.slice(2)
const opt = (n: string): string | undefined => { const i = argv.indexOf(n); return i < 0 ? undefined : argv[i + 1] }
const sizes = (opt('--sizes') ?? '10000').split(',').map(Number)
const fams = (opt('--family') ?? '').split(',').filter((s) => s !== '')
const variants = (opt('--variants') ?? 'base:').split(';').filter((s) => s !== '').map((v) => {
  const i = v.indexOf(':')
  return { name: v.slice(0, i), tuning: parseTuningList(v.slice(i + 1)) }
})
const seeds = (opt('--seeds') ?? 'd').split(',').map((x) => (x === 'd' ? undefined : Number(x)))
const out = (s: string): void => { process.stdout.write(s + '\n') }
out(`| row | lru | ${variants.map((v) => v.name).join(' | ')} |`)
if (!argv.includes('--no-recency')) {
  for (const w of recencyWorkloads(42, 1)) {
    if (fams.length > 0 && !fams.some((f) => w.name.includes(f))) continue
    for (const size of sizes) {
      const trace = w.make(size)
      const lru = simulate(trace, 'lru', size, new LruPolicy(size, trace)).hitRatio * 100
      // --seeds: the mean over these hash seeds (the default's included only if listed as 'd').
      const cells = variants.map((v) => {
        const runs = seeds.map((seed) => simulate(trace, 'model', size, new CortadoModel(size, trace, { tuning: v.tuning, seed })).hitRatio * 100 - lru)
        return (runs.reduce((a, b) => a + b, 0) / runs.length).toFixed(2) + (runs.length > 1 ? ` (${Math.min(...runs).toFixed(2)}…${Math.max(...runs).toFixed(2)})` : '')
      })
      out(`| ${w.name} ${size} | ${lru.toFixed(2)} | ${cells.join(' | ')} |`)
    }
  }
}
if (argv.includes('--traces')) {
  const dir = join(ROOT, '..', 'shared', 'traces')
  const anchors = readAnchors(join(ROOT, '..', 'shared', 'design', 'hit-ratio-anchors.md'))
  // --seeds: each trace row is replayed per model hash seed; cells list the seeds' hit ratios (a/b/…), and
  // the summary gives mean − best and worst − LRU per seed.
  const gaps = variants.map(() => seeds.map(() => [] as number[]))
  const worstLru = variants.map(() => seeds.map(() => Infinity))
  for (const f of readdirSync(dir).filter((x) => formatOf(x) !== undefined).sort()) {
    const known = anchors.get(traceName(f))
    if (known === undefined) continue
    const trace = await readTrace(join(dir, f))
    for (const [size, row] of known) {
      const best = bestAnchor(row).hitRatio
      const cells = variants.map((v, i) => seeds.map((seed, j) => {
        const hr = simulate(trace, 'model', size, new CortadoModel(size, trace, { tuning: v.tuning, seed })).hitRatio * 100
        gaps[i]![j]!.push(hr - best)
        worstLru[i]![j] = Math.min(worstLru[i]![j]!, hr - row.lru!)
        return hr.toFixed(2)
      }).join('/'))
      out(`| ${traceName(f)} ${size} | ${row.lru!.toFixed(2)} (best ${best.toFixed(2)}) | ${cells.join(' | ')} |`)
    }
  }
  out(`| mean − best | | ${gaps.map((gs) => gs.map((g) => (g.reduce((a, b) => a + b, 0) / g.length).toFixed(3)).join('/')).join(' | ')} |`)
  out(`| worst − lru | | ${worstLru.map((xs) => xs.map((x) => x.toFixed(2)).join('/')).join(' | ')} |`)
}
