/**
 * The early ageing's bound (issue 18, stop 28): a loop a little larger than the cache, asked for
 * cache-aside (get, set on a miss), alone or beside a small hot set. Before the bound every swing of
 * the window halved the sketch, until the loop's keys all estimated 0. Prints, for the model (one
 * shard, with the bound and with it switched off: AGE_SPACING = 0) and for the real
 * cache (one shard, both engines, the constants as built), the hit ratios over the second half of 40
 * capacities of requests, the sketch's halvings there (model) and the mean estimate of the loop's keys
 * at the end. Run:
 *   npx tsx bench/sim/early-ageing.ts [--capacity 10000] [--real]
 */
import { Cache } from '../../src/index.js'
import { probeSketch } from '../../test/policy/probe.js'
import { Prng } from '../workloads/prng.js'
import { hashKey } from './hash.js'
import { CortadoModel } from './model/cortado.js'
import type { Tuning } from './model/tuning.js'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const CAP = arg('--capacity', 10_000)
const REAL = process.argv.includes('--real')
const SEED = 47

/** [loop size × capacity, share of requests to the hot set, hot keys] */
const CASES: [number, number, number][] = [
  [1.02, 0, 0], [1.07, 0, 0], [1.2, 0, 0], [1.5, 0, 0],
  [1.02, 0.1, Math.round(0.05 * CAP)], [1.07, 0.05, Math.round(0.01 * CAP)], [1.07, 0.1, Math.round(0.05 * CAP)],
  [1.2, 0.1, Math.round(0.05 * CAP)], [1.5, 0.1, Math.round(0.05 * CAP)],
]

interface Subject {
  /** Get, set on a miss; true on a hit. */
  access(key: number): boolean
  /** Sketch estimate of key. */
  estimate(key: number): number
  halvings(): number
  close(): void
}

function modelSubject(universe: number, tuning: Partial<Tuning>): Subject {
  const model = new CortadoModel(CAP, { name: 'loop', keys: new Int32Array(0), universe }, { seed: SEED, tuning })
  const shard = model.shards[0]!
  return {
    access: (k) => model.access(k),
    estimate: (k) => shard.sketch.estimate(hashKey(k, SEED)),
    halvings: () => shard.sketch.halvings,
    close: () => {},
  }
}

function realSubject(engine: 'wasm' | 'native'): Subject {
  const cache = new Cache<string>({ maxBytes: CAP * 512 + (16 << 20), maxEntries: CAP, codec: 'string', seed: SEED, engine, shards: 1 })
  return {
    access: (k) => {
      const key = String(k)
      if (cache.get(key) !== undefined) return true
      cache.set(key, '1')
      return false
    },
    estimate: (k) => probeSketch(cache as Cache<unknown>, String(k)).estimate,
    halvings: () => NaN,
    close: () => cache.close(),
  }
}

function run(subject: Subject, f: number, share: number, hot: number): string {
  const loop = Math.round(f * CAP)
  const rng = new Prng(7)
  let i = 0
  let lh = 0
  let la = 0
  let hh = 0
  let ha = 0
  let halvingsAt = 0
  const total = 40 * CAP
  for (let n = 0; n < total; n++) {
    let key: number
    let isHot = false
    if (hot > 0 && rng.nextU32() / 2 ** 32 < share) {
      key = loop + (rng.nextU32() % hot)
      isHot = true
    } else {
      key = i
      i = (i + 1) % loop
    }
    if (n === total / 2) halvingsAt = subject.halvings()
    const hit = subject.access(key)
    if (n < total / 2) continue
    if (isHot) {
      ha++
      if (hit) hh++
    } else {
      la++
      if (hit) lh++
    }
  }
  let est = 0
  const probes = Math.min(loop, 1000)
  for (let k = 0; k < probes; k++) est += subject.estimate(k)
  const halvings = subject.halvings() - halvingsAt
  subject.close()
  const hotText = ha === 0 ? '—' : ((100 * hh) / ha).toFixed(2)
  return `${((100 * lh) / la).toFixed(2)} | ${hotText} | ${Number.isNaN(halvings) ? '—' : halvings} | ${(est / probes).toFixed(2)}`
}

console.log(`Loop (get, set on a miss) over f × ${CAP} keys, one shard; a hot set of h keys takes share s of the requests.`)
console.log('Columns per subject: loop hit % | hot hit % | sketch halvings | mean estimate of the loop keys (second half of 40 capacities of requests).\n')
const subjects: [string, (universe: number) => Subject][] = [
  ['model, unbounded', (u) => modelSubject(u, { ageSpacing: 0 })],
  ['model', (u) => modelSubject(u, {})],
]
if (REAL) {
  subjects.push(['wasm', () => realSubject('wasm')])
  subjects.push(['native', () => realSubject('native')])
}
console.log(`| f | s | h | ${subjects.map(([name]) => `${name}: loop | hot | halvings | est`).join(' | ')} |`)
console.log(`|${'---:|'.repeat(3 + 4 * subjects.length)}`)
for (const [f, share, hot] of CASES) {
  const cells = subjects.map(([, make]) => run(make(Math.round(f * CAP) + hot), f, share, hot))
  console.log(`| ${f} | ${share} | ${hot} | ${cells.join(' | ')} |`)
}
