/**
 * The risk of the cold-start window rule (issue 18, stop 38, COLD_WINDOW): a cache warmed by sets (a
 * bulk warm-up of keys nobody has asked for yet) and then serving cache-aside traffic. The fill is all
 * unasked inserts, so without its hit guard (COLD_HITS) the rule fires at the first read-through insert
 * after it; `noguard` shows what that costs, `off` the cache without the rule. Prints, per block
 * of `capacity` requests after the warm-up, the hit ratio of LRU, the model as built and each variant,
 * then the first `--head` blocks' mean and the whole run. Deterministic (seeded traces and caches).
 *
 *   npx tsx bench/sim/warmup-risk.ts [--variants 'off:coldWindow=0;noguard:coldHits=0'] [--warm never|own] [--warm-size 1] [--head 5] [--blocks 10] \
 *     [--concurrent R] [--lead L] [--hot-lead L] [--cases NAME,…] [--real wasm|native] [--cortado <dist>/src/index.js]
 *
 * `--warm never`: the warm-up writes `capacity` keys the traffic never reads (a stale snapshot);
 * `--warm own`: it writes `capacity` keys drawn from the traffic's own universe (a snapshot of some of
 * the keys that will be read), in a seeded shuffle.
 *
 * `--concurrent R` (stop 39): the warm-up runs *while* the traffic is served, R traffic requests after
 * each warm-up set (R may be fractional), as a service that starts answering reads before its background
 * warm-up job has finished. The traffic's reads then hit (its own loads, and with `--warm own` the
 * warm-up's keys) while the inserts are mostly unasked, which is what the rule's guard looks for; the
 * blocks, head and whole run count from the end of the warm-up. `fired` is how many of the model's runs
 * (as built) had the rule fire. `--real wasm|native` adds the real cache (one shard) as built, and
 * `--cortado <dist>/src/index.js` takes the real cache from another build (one with COLD_WINDOW 0, say).
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generatedWorkloads } from '../workloads/suite.js'
import { OP_WRITE, OP_READ_THROUGH, type Trace } from '../workloads/trace.js'
import { Prng } from '../workloads/prng.js'
import { zipfTrace } from '../workloads/zipf-trace.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { RealCachePolicy } from './policies/cortado.js'
import type { Policy } from './policy.js'
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
/** Traffic requests served after each warm-up set while the warm-up runs (0: the warm-up comes first). */
const concurrent = Number(opt('--concurrent') ?? 0)
/** Traffic requests (× capacity) served before the warm-up starts (the warm-up then runs as --concurrent says). */
const lead = Number(opt('--lead') ?? 0)
const real = (opt('--real') ?? '') as '' | 'wasm' | 'native'
const cortadoPath = opt('--cortado') ?? '../../src/index.js'
/**
 * `--hot-lead L`: before the warm-up, L × capacity cache-aside requests of Zipf(1) over 0.25 × capacity
 * keys of their own (a small hot set, served while the cache is far from full: its reads hit early, so
 * with the warm-up's unasked sets the rule's conditions hold at the first fill); then the warm-up, then
 * each workload. The adversarial case for COLD_WINDOW: what the later traffic pays when the rule fires.
 */
const hotLead = Number(opt('--hot-lead') ?? 0)
/** `--cases 'zipf(1.2),gli'`: only the workloads whose name contains one of these (the real cache is slow on the long traces). */
const only = (opt('--cases') ?? '').split(',').filter((x) => x !== '')
const variants = (opt('--variants') ?? 'off:coldWindow=0;noguard:coldHits=0').split(';').filter((v) => v !== '').map((v) => {
  const [name, list] = v.split(':') as [string, string]
  return { name, tuning: parseTuningList(list) }
})

/**
 * The base trace with `capacity` warm-up writes in front (or, with --concurrent, interleaved with its
 * first requests); returns the trace and the index of the first request after the warm-up.
 */
function withWarmup(base: Trace, full: number, seed: number): { trace: Trace; fill: number } {
  const capacity = Math.round(full * warmSize)
  const n = base.keys.length
  const hot = hotLead > 0 ? zipfTrace({ keys: Math.max(1, Math.round(0.25 * full)), s: 1, length: Math.round(hotLead * full), seed }) : undefined
  const hotN = hot === undefined ? 0 : hot.keys.length
  const keys = new Int32Array(hotN + capacity + n)
  const ops = new Uint8Array(hotN + capacity + n)
  let universe = base.universe
  const warmKeys = new Int32Array(capacity)
  if (warm === 'never') {
    for (let i = 0; i < capacity; i++) warmKeys[i] = base.universe + i
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
    for (let i = 0; i < capacity; i++) warmKeys[i] = perm[i % perm.length]!
  }
  const baseOp = (i: number): number => (base.ops !== undefined ? base.ops[i]! : OP_READ_THROUGH)
  let out = 0
  let next = 0
  let owed = 0
  if (hot !== undefined) {
    // The hot set's keys come after the base universe and the never-read warm-up keys.
    for (let i = 0; i < hotN; i++) {
      keys[out] = universe + hot.keys[i]!
      ops[out++] = OP_READ_THROUGH
    }
    universe += hot.universe
  }
  for (const end = Math.min(n, Math.round(lead * full)); next < end; next++) {
    keys[out] = base.keys[next]!
    ops[out++] = baseOp(next)
  }
  for (let w = 0; w < capacity; w++) {
    keys[out] = warmKeys[w]!
    ops[out++] = OP_WRITE
    owed += concurrent
    for (; owed >= 1 && next < n; owed--) {
      keys[out] = base.keys[next]!
      ops[out++] = baseOp(next++)
    }
  }
  const fill = out
  for (; next < n; next++) {
    keys[out] = base.keys[next]!
    ops[out++] = baseOp(next)
  }
  return { trace: { name: base.name, keys, ops, universe }, fill }
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

const RealCache = real === '' ? undefined : ((await import(cortadoPath)) as { Cache: ConstructorParameters<typeof RealCachePolicy>[0] }).Cache
const f = (x: number): string => x.toFixed(2)
const realCols = real === '' ? [] : [`real ${real}`]
console.log(`warm-up: ${warm}, ${warmSize} × capacity${hotLead > 0 ? `, after ${hotLead} × capacity requests of a small hot set` : ''}${lead > 0 ? `, after ${lead} × capacity traffic requests` : ''}${concurrent > 0 ? `, ${concurrent} traffic requests per warm-up set` : lead > 0 ? '' : ', before the traffic'} · head = first ${head} capacities after the warm-up · deltas vs model as built${real === '' ? '' : `; real: ${cortadoPath}`}`)
console.log(`| workload | size | fired | LRU head | model head | ${[...variants.map((v) => `${v.name} head Δ`), ...realCols.map((r) => `${r} head`)].join(' | ')} | LRU whole | model whole | ${[...variants.map((v) => `${v.name} whole Δ`), ...realCols.map((r) => `${r} whole`)].join(' | ')} |`)
console.log(`|---|---:|---:|${'---:|'.repeat(4 + 2 * (variants.length + realCols.length))}`)
for (const c of cases) {
  if (only.length > 0 && !only.some((x) => c.name.includes(x))) continue
  const { trace, fill } = withWarmup(c.make(), c.size, 7 + c.size)
  const model = new CortadoModel(c.size, trace)
  const runs = [replay(new LruPolicy(c.size, trace), trace, fill, c.size), replay(model, trace, fill, c.size)]
  for (const v of variants) runs.push(replay(new CortadoModel(c.size, trace, { tuning: v.tuning }), trace, fill, c.size))
  let realRun: Run | undefined
  if (RealCache !== undefined) {
    const p: Policy & { close(): void } = new RealCachePolicy(RealCache, c.size, trace, 0x2545f491, { engine: real as 'wasm' | 'native', shards: 1 })
    realRun = replay(p, trace, fill, c.size)
    p.close()
  }
  const fired = model.shards.reduce((a, s) => a + s.stat.coldFired, 0)
  const headOf = (r: Run): number => r.blocks.slice(0, head).reduce((a, b) => a + b, 0) / Math.min(head, r.blocks.length)
  const whole = (r: Run): number => (100 * r.hits) / r.reads
  const m = runs[1]!
  const realHead = realRun === undefined ? [] : [f(headOf(realRun))]
  const realWhole = realRun === undefined ? [] : [f(whole(realRun))]
  console.log(`| ${c.name} | ${c.size} | ${fired} | ${f(headOf(runs[0]!))} | ${f(headOf(m))} | ${[...runs.slice(2).map((r) => f(headOf(r) - headOf(m))), ...realHead].join(' | ')} | ${f(whole(runs[0]!))} | ${f(whole(m))} | ${[...runs.slice(2).map((r) => f(whole(r) - whole(m))), ...realWhole].join(' | ')} |`)
  if (blocksShown > 0) for (let b = 0; b < Math.min(blocksShown, m.blocks.length); b++) console.log(`|  | block ${b + 1} | | ${f(runs[0]!.blocks[b]!)} | ${f(m.blocks[b]!)} | ${[...runs.slice(2).map((r) => f(r.blocks[b]! - m.blocks[b]!)), ...(realRun === undefined ? [] : [f(realRun.blocks[b]!)])].join(' | ')} | | | |`)
}
