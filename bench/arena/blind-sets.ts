/**
 * Hit ratio when gets don't set on a miss (values arrive only through separate sets): Zipf(0.99)
 * over 200k keys, a 100k-entry cache filled with the first 100k keys, 90% get / 10% set, against
 * lru-cache on the same sequence. Run:  npx tsx bench/arena/blind-sets.ts
 */
import { Cache } from '../../src/index.js'
import { LRUCache } from 'lru-cache'
import { scatteredZipfIndices } from '../harness/data.js'
import { Prng } from '../workloads/prng.js'

const N = 100_000
const LENGTH = 3_000_000
const keys = Array.from({ length: 2 * N }, (_, i) => `key:${String(i).padStart(12, '0')}`)
const value = 'x'.repeat(100)
const cortado = new Cache<string>({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', seed: 1 })
const lru = new LRUCache<string, string>({ max: N })
for (let i = 0; i < N; i++) {
  cortado.set(keys[i], value)
  lru.set(keys[i], value)
}
const order = scatteredZipfIndices(2 * N, 0.99, LENGTH, 3)
const coin = new Prng(4)
let gets = 0
let cortadoHits = 0
let lruHits = 0
console.log('| requests | Cortado | lru-cache |')
console.log('|---:|---:|---:|')
for (let i = 0; i < LENGTH; i++) {
  const key = keys[order[i]]
  if (coin.nextFloat() < 0.1) {
    cortado.set(key, value)
    lru.set(key, value)
    continue
  }
  gets++
  if (cortado.get(key) !== undefined) cortadoHits++
  if (lru.get(key) !== undefined) lruHits++
  if ((i + 1) % 500_000 === 0) {
    console.log(`| ${i + 1} | ${((100 * cortadoHits) / gets).toFixed(1)}% | ${((100 * lruHits) / gets).toFixed(1)}% |`)
    gets = cortadoHits = lruHits = 0
  }
}
