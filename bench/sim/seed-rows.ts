/**
 * Stop 51 (delayrows): sweep rows (bench/arena/recency-sweep.ts, by exact name) on the real cache, one shard,
 * over several cache seeds (the hash seed: RETURN_TEST's sample, the sketch's and the filter's collisions),
 * as test/policy/recency-sweep.test.ts runs them (RealCachePolicy), against LRU. For picking a test bound
 * that holds on every seed. Deterministic.
 *
 *   npx tsx bench/sim/seed-rows.ts --rows 'delay 0.8C+0.5C back' [--size 4000] [--seeds 1,2,3,4,5]
 *     [--engine wasm|native] [--cortado <dist>/src/index.js]
 */
import { sweepRows } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { LruPolicy } from './policies/lru.js'
import { RealCachePolicy } from './policies/cortado.js'
import { simulate } from './simulate.js'

const args = toolArgs()
const size = Number(args.opt('--size', '4000'))
const seeds = args.opt('--seeds', '1,2,3,4,5').split(',').map(Number)
const engine = args.opt('--engine', 'wasm') as 'wasm' | 'native'
const names = args.opt('--rows', 'delay 0.8C+0.5C back').split(';')
const { Cache } = (await import(args.opt('--cortado', '../../src/index.js'))) as { Cache: unknown }
console.log(`| row | size | lru | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`)
console.log(`|---|---:|---:|${seeds.map(() => '---:').join('|')}|`)
for (const name of names) {
  const row = sweepRows().find((r) => r.name === name)
  if (row === undefined) throw new Error(`--rows: no row ${name}`)
  const trace = row.make(size, 1)
  const lru = simulate(trace, 'lru', size, new LruPolicy(size, trace)).hitRatio * 100
  const cells: string[] = []
  for (const seed of seeds) {
    const cache = new RealCachePolicy(Cache as never, size, trace, seed, { engine, shards: 1 })
    const got = simulate(trace, 'cortado', size, cache).hitRatio * 100
    cache.close()
    cells.push((got - lru >= 0 ? '+' : '') + (got - lru).toFixed(2))
  }
  console.log(`| ${name} | ${size} | ${lru.toFixed(2)} | ${cells.join(' | ')} |`)
}
