/**
 * How full the log-structured arena runs under churn: live entry bytes as a share of the bytes the
 * arena gives to entries, at steady state, for several size distributions. Run:
 *   npx tsx bench/arena/occupancy.ts
 */
import { Cache, type PolicyName } from '../../src/index.js'
import { Prng } from '../workloads/prng.js'

const distributions: [string, (r: Prng, i: number) => number][] = [
  ['mixed 20 B..8 KiB (log-uniform)', (r) => Math.floor(Math.exp(Math.log(20) + r.nextFloat() * (Math.log(8192) - Math.log(20))))],
  ['bimodal 80% 64 B / 20% 4 KiB', (r) => (r.nextFloat() < 0.8 ? 64 : 4096)],
  ['shift: 80 B then 3 KiB', (_r, i) => (i < 300_000 ? 80 : 3000)],
]

const SETS = 600_000
const KEYS = 400_000
const filler = 'x'.repeat(9000)
console.log('| sizes | policy | live / entry area (mean) | (min after warm-up) | entries |')
console.log('|---|---|---:|---:|---:|')
for (const [label, size] of distributions) {
  for (const policy of ['adaptive', 'clock'] as PolicyName[]) {
    const cache = new Cache<string>({ maxBytes: 64 << 20, codec: 'string', policy, expectedEntrySize: 200, seed: 1 })
    const rng = new Prng(1)
    let min = 1
    let sum = 0
    let samples = 0
    for (let i = 0; i < SETS; i++) {
      cache.set(`k${rng.nextInt(KEYS)}`, filler.slice(0, size(rng, i)))
      if (i > SETS / 3 && i % 10_000 === 0) {
        const s = cache.stats()
        const fill = s.bytesUsed / s.bytesTotal
        min = Math.min(min, fill)
        sum += fill
        samples++
      }
    }
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`
    console.log(`| ${label} | ${policy} | ${pct(sum / samples)} | ${pct(min)} | ${cache.size} |`)
    cache.close()
  }
}
