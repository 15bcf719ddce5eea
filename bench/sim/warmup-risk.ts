/**
 * The risk of the cold-start window rule (issue 18, stop 38, COLD_WINDOW): a cache warmed by sets (a
 * bulk warm-up of keys nobody has asked for yet) and then serving cache-aside traffic. The fill is all
 * unasked inserts, so without its hit guard (COLD_HITS) the rule fires at the first read-through insert
 * after it; `noguard` shows what that costs, `off` the cache without the rule. Prints, per block
 * of `capacity` requests after the warm-up, the hit ratio of LRU, the model as built and each variant,
 * then the first `--head` blocks' mean and the whole run. Deterministic (seeded traces and caches).
 *
 *   npx tsx bench/sim/warmup-risk.ts [--variants 'off:coldWindow=0;noguard:coldHits=0'] [--warm never|own] [--warm-size 1] [--head 5] [--blocks 10]
 *
 * `--warm never`: the warm-up writes `capacity` keys the traffic never reads (a stale snapshot);
 * `--warm own`: it writes `capacity` keys drawn from the traffic's own universe (a snapshot of some of
 * the keys that will be read), in a seeded shuffle.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generatedWorkloads } from '../workloads/suite.js'
import { OP_WRITE, OP_READ_THROUGH, type Trace } from '../workloads/trace.js'
import { Prng } from '../workloads/prng.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { parseTuningList } from './tuning-args.js'
import { readTrace } from './traces/read.js'
import { replayByCapacity, type CapacityRun } from './replay-by-capacity.js'

const argv = process.argv.slice(2)
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i < 0 ? undefined : argv[i + 1]
}
const warm = opt('--warm') ?? 'never'
const head = Number(opt('--head') ?? 5)
/** The warm-up's length as a share of capacity (1: a full fill; 0.5: traffic fills the rest). */
const warmSize = Number(opt('--warm-size') ?? 1)
const blocksShown = Number(opt('--blocks') ?? 0)
const variants = (opt('--variants') ?? 'off:coldWindow=0;noguard:coldHits=0').split(';').filter((v) => v !== '').map((v) => {
  const [name, list] = v.split(':') as [string, string]
  return { name, tuning: parseTuningList(list) }
})

/** The base trace with `capacity` warm-up writes in front; returns the number of warm-up requests. */
function withWarmup(base: Trace, full: number, seed: number): Trace {
  const capacity = Math.round(full * warmSize)
  const n = base.keys.length
  const keys = new Int32Array(capacity + n)
  const ops = new Uint8Array(capacity + n)
  let universe = base.universe
  if (warm === 'never') {
    for (let i = 0; i < capacity; i++) keys[i] = base.universe + i
    universe += capacity
  } else {
    const rng = new Prng(seed)
    const perm = new Int32Array(base.universe)
    for (let i = 0; i < perm.length; i++) perm[i] = i
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1)
      const t = perm[i]!
      perm[i] = perm[j]!
      perm[j] = t
    }
    for (let i = 0; i < capacity; i++) keys[i] = perm[i % perm.length]!
  }
  ops.fill(OP_WRITE, 0, capacity)
  keys.set(base.keys, capacity)
  if (base.ops !== undefined) ops.set(base.ops, capacity)
  else ops.fill(OP_READ_THROUGH, capacity)
  return { name: base.name, keys, ops, universe }
}

type Run = CapacityRun
const replay = replayByCapacity

const cases: { name: string; make: () => Trace; size: number }[] = []
for (const w of generatedWorkloads()) for (const size of w.sizes) cases.push({ name: w.name, make: w.make, size })
const traceDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'traces')
const files: [string, number[]][] = [['OLTP.lis.gz', [1000, 5000]], ['P3.lis.gz', [8192, 131072]], ['gli.lirs.gz', [500, 1000]]]
for (const [file, sizes] of files) {
  const path = join(traceDir, file)
  if (!existsSync(path)) continue
  const t = await readTrace(path)
  for (const size of sizes) cases.push({ name: file.replace(/\..*/, ''), make: () => t, size })
}

const f = (x: number): string => x.toFixed(2)
console.log(`warm-up: ${warm}, ${warmSize} × capacity · head = first ${head} capacities after the warm-up · deltas vs model as built`)
console.log(`| workload | size | LRU head | model head | ${variants.map((v) => `${v.name} head Δ`).join(' | ')} | LRU whole | model whole | ${variants.map((v) => `${v.name} whole Δ`).join(' | ')} |`)
console.log(`|---|---:|${'---:|'.repeat(4 + 2 * variants.length)}`)
for (const c of cases) {
  const trace = withWarmup(c.make(), c.size, 7 + c.size)
  const fill = Math.round(c.size * warmSize)
  const runs = [replay(new LruPolicy(c.size, trace), trace, fill, c.size), replay(new CortadoModel(c.size, trace), trace, fill, c.size)]
  for (const v of variants) runs.push(replay(new CortadoModel(c.size, trace, { tuning: v.tuning }), trace, fill, c.size))
  const headOf = (r: Run): number => r.blocks.slice(0, head).reduce((a, b) => a + b, 0) / Math.min(head, r.blocks.length)
  const whole = (r: Run): number => (100 * r.hits) / r.reads
  const m = runs[1]!
  console.log(`| ${c.name} | ${c.size} | ${f(headOf(runs[0]!))} | ${f(headOf(m))} | ${runs.slice(2).map((r) => f(headOf(r) - headOf(m))).join(' | ')} | ${f(whole(runs[0]!))} | ${f(whole(m))} | ${runs.slice(2).map((r) => f(whole(r) - whole(m))).join(' | ')} |`)
  if (blocksShown > 0) for (let b = 0; b < Math.min(blocksShown, m.blocks.length); b++) console.log(`|  | block ${b + 1} | ${f(runs[0]!.blocks[b]!)} | ${f(m.blocks[b]!)} | ${runs.slice(2).map((r) => f(r.blocks[b]! - m.blocks[b]!)).join(' | ')} | | | |`)
}
