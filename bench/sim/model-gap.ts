/**
 * The model against the real cache on one recency family (issue #18, stop 43's gap): hit ratio − LRU
 * of each, per seed and on average, with the real cache's shard count and engine and the model's shard
 * count and tuning set from the command line. Deterministic.
 *
 *   npx tsx bench/sim/model-gap.ts [--sizes 10000] [--family 'moving every 2×'] [--seeds d,1,2,3]
 *     [--real-shards N] [--engine wasm|native] [--model-shards N] [--tune NAME=VALUE,…]
 *
 * --seeds: the cache's hash seed for both ('d' the sim's default, 0x2545f491); the trace is the suite's.
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { CortadoModel } from './model/cortado.js'
import { loadRealCache, RealCachePolicy } from './policies/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { simulate } from './simulate.js'
import { parseTuningList } from './tuning-args.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const DEFAULT_SEED = 0x2545f491
const sizes = args.numbers('--sizes', '10000')
const family = args.opt('--family', 'moving every 2×')
const seeds = args.opt('--seeds', 'd').split(',').map((x) => (x === 'd' ? DEFAULT_SEED : Number(x)))
const realShards = args.has('--real-shards') ? Number(args.opt('--real-shards', '')) : undefined
const engine = args.opt('--engine', 'wasm') as 'wasm' | 'native'
const modelShards = Number(args.opt('--model-shards', '1'))
const tune = args.opt('--tune', '')
const tuning = parseTuningList(tune)
const noReal = args.has('--no-real')
const Cache = await loadRealCache()
const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length
const out = (s: string): void => {
  process.stdout.write(s + '\n')
}
for (const w of recencyWorkloads(42, 1)) {
  if (!w.name.includes(family)) continue
  for (const size of sizes) {
    const trace = w.make(size)
    const lru = simulate(trace, 'lru', size, new LruPolicy(size, trace)).hitRatio * 100
    const reals: number[] = []
    const models: number[] = []
    const ageings: string[] = []
    for (const seed of seeds) {
      if (!noReal) {
        const real = new RealCachePolicy(Cache, size, trace, seed, { engine, ...(realShards === undefined ? {} : { shards: realShards }) })
        reals.push(simulate(trace, 'cortado', size, real).hitRatio * 100 - lru)
        real.close()
      }
      const model = new CortadoModel(size, trace, { seed, shards: modelShards, tuning })
      models.push(simulate(trace, 'model', size, model).hitRatio * 100 - lru)
      // The sketch's halvings, all and early (AGE_ON_GROWTH), summed over the shards.
      ageings.push(`${model.shards.reduce((a, s) => a + s.sketch.halvings, 0)}/${model.shards.reduce((a, s) => a + s.earlyAgeings, 0)}`)
    }
    const f = (a: number[]): string => a.map((x) => x.toFixed(2)).join(' ')
    out(`${w.name} ${size}: lru ${lru.toFixed(2)}`)
    if (!noReal) out(`  real (${engine}, shards ${realShards ?? 'default'}) − lru: mean ${mean(reals).toFixed(2)}  [${f(reals)}]`)
    out(`  model (shards ${modelShards}${tune ? `, ${tune}` : ''}) − lru: mean ${mean(models).toFixed(2)}  [${f(models)}]`)
    out(`  model sketch halvings / of them early: [${ageings.join(' ')}]`)
    if (!noReal) out(`  gap real − model: mean ${(mean(reals) - mean(models)).toFixed(2)}  [${f(reals.map((r, i) => r - models[i]!))}]`)
  }
}
