/**
 * Issue 18's class between the sweep's grid points (stop 51): rows of bench/arena/recency-sweep.ts's
 * generators (mix, delay, burst, moving, phases) with parameters DRAWN at random — write share, read
 * distance and its distribution, delay, burst size and repeats, skew, keys per entry, period and shift
 * of a moving hot set, phase order and length — at random capacities (one shard, as the sweep's 10k
 * rows), model − LRU over the whole run and the second half. The sweep pins a grid; an independent
 * check draws its own points, and a class that holds only on the grid does not hold. Seeded and
 * deterministic: a row prints its draw, so `--only` on the sweep or a one-off trace reproduces it.
 *
 *   npx tsx bench/sim/recency-probe.ts [--rows 60] [--seed 1] [--min-size 2000] [--max-size 30000]
 *     [--variants 'base:;x:k=v'] [--all]     (--all: print every row, not only those under LRU − 1)
 *     [--real [--engine wasm|native] [--cortado <dist>/src/index.js]]
 *     [--lagx]            (stop 53, lagreal: every drawn phases row's `lag` phases as `lagx`, same draws)
 *     [--match <regex>]   (replay only the drawn rows whose "name size" matches; every row is still drawn, so the
 *                          rows and their seeds are the full run's: a quick look at a few rows; each row
 *                          printed names its trace seed, mild-diag.ts's --seed)
 *
 * --real adds the real cache as a user makes it (bench/arena/recency-sweep.ts's way: `maxEntries`,
 * default shards, 'string' values) against lru-cache, over the reads (its "second half" is the last
 * half of the reads, the model's the last half of the requests).
 *
 * --only (stop 53): replay only the drawn rows named (row name and capacity, as printed; every row is still drawn,
 * so the draws are the same); the count then covers those rows only.
 */
import { LRUCache } from 'lru-cache'
import { mixTrace, delayTrace, burstTrace, movingTrace, phasesTrace, replay, type Distance, type Phase } from '../arena/recency-sweep.js'
import { Prng } from '../workloads/prng.js'
import type { Trace } from '../workloads/trace.js'
import { toolArgs } from '../harness/tool-args.js'
import { gapCell, lruRatios, modelGap, signed } from './model-vs-lru.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const rows = Number(args.opt('--rows', '60'))
const seed = Number(args.opt('--seed', '1'))
const minSize = Number(args.opt('--min-size', '2000'))
const maxSize = Number(args.opt('--max-size', '30000'))
const printAll = args.has('--all')
const match = args.opt('--match', '')
/** Stop 53 (lagreal): every drawn `lag` phase replayed as `lagx` (the draws, names' order and seeds unchanged). */
const lagx = args.has('--lagx')
const matchRe = match === '' ? undefined : new RegExp(match)
const real = args.has('--real')
const engine = args.opt('--engine', 'wasm')
type RealCache = { get(k: string): unknown; set(k: string, v: string): unknown; close(): void }
type CortadoModule = { Cache: (new (o: object) => RealCache) & { maxBytesFor(entries: number, entryBytes: number): number } }
const { Cache } = real ? (await import(args.opt('--cortado', '../../src/index.js'))) as CortadoModule : { Cache: undefined }
const variants = args.opt('--variants', 'base:').split(';').filter((v) => v !== '').map((v) => {
  const i = v.indexOf(':')
  return { name: v.slice(0, i), tuning: parseTuningList(v.slice(i + 1)) }
})

const rng = new Prng(seed)
const pick = <T>(xs: readonly T[]): T => xs[rng.nextInt(xs.length)]!
/** Uniform in [lo, hi), rounded to `step`. */
const draw = (lo: number, hi: number, step: number): number => Number((Math.round((lo + rng.nextFloat() * (hi - lo)) / step) * step).toFixed(2))
/** Log-uniform capacity, rounded to 100. */
const capacity = (): number => Math.max(100, Math.round(Math.exp(Math.log(minSize) + rng.nextFloat() * (Math.log(maxSize) - Math.log(minSize))) / 100) * 100)

/** One drawn row: its trace at capacity c (a seed of its own, drawn too). */
let rowSeed = 0
function drawRow(c: number): Trace {
  const s = rng.nextInt(1 << 30)
  rowSeed = s
  const back = rng.nextFloat() < 0.5
  switch (rng.nextInt(5)) {
    case 0: return mixTrace(c, 1, pick([0.02, 0.05, 0.1, 0.2, 0.3, 0.5]), pick<Distance>(['uniform', 'exp', 'zipf', 'lag']), draw(0.1, 2, 0.05), back, s)
    case 1: return delayTrace(c, 1, draw(0.1, 1.5, 0.05), back, s)
    case 2: return burstTrace(c, 1, draw(0.1, 1.5, 0.05), 1 + rng.nextInt(4), back, s)
    case 3: return movingTrace(c, 1, pick([0.6, 0.7, 0.8, 0.9, 0.99, 1.1]), pick([2, 5, 10, 20, 50]), draw(1, 20, 0.5), draw(0.05, 10, 0.05), s)
    default: {
      const kinds: Phase[] = ['scan', 'zipf', 'zipf2', 'once', 'back', 'loop', 'lag']
      const phases = Array.from({ length: 2 + rng.nextInt(4) }, () => pick(kinds))
      return phasesTrace(c, 1, lagx ? phases.map((p) => (p === 'lag' ? 'lagx' : p)) : phases, draw(2, 15, 1), s)
    }
  }
}

console.log(`recency probe: ${rows} rows drawn with seed ${seed}, capacities ${minSize}–${maxSize}, one shard; model − LRU, whole run / second half`)
console.log(`| row | size | lru | ${variants.map((v) => v.name).join(' | ')} |${real ? ` real (${engine}) |` : ''}`)
console.log(`|---|---:|---:|${variants.map(() => '---:').join('|')}|${real ? '---:|' : ''}`)
const under = variants.map(() => 0)
let realUnder = 0
for (let i = 0; i < rows; i++) {
  const c = capacity()
  const trace = drawRow(c)
  if (matchRe !== undefined && !matchRe.test(`${trace.name} ${c}`)) continue
  const lru = lruRatios(trace, c)
  let bad = false
  const cells = variants.map((v, j) => {
    const g = modelGap(trace, c, v.tuning, lru)
    const fails = g.all < -1 || g.late < -0.5
    if (fails) { under[j]!++; bad = true }
    return `${gapCell(g)}${fails ? ' ✗' : ''}`
  })
  if (Cache !== undefined) {
    const one = (): string => 'v'
    const [la, ll] = replay(trace, new LRUCache<string, string>({ max: c }), one)
    const cache = new Cache({ maxEntries: c, maxBytes: Cache.maxBytesFor(c, 64), codec: 'string', seed: 1, engine })
    const [ca, cl] = replay(trace, cache, one)
    cache.close()
    const fails = ca - la < -1 || cl - ll < -0.5
    if (fails) { realUnder++; bad = true }
    cells.push(`${signed(ca - la)} / ${signed(cl - ll)}${fails ? ' ✗' : ''}`)
  }
  if (bad || printAll) console.log(`| ${trace.name}${matchRe !== undefined ? ` (trace seed ${rowSeed})` : ''} | ${c} | ${lru.all.toFixed(2)} | ${cells.join(' | ')} |`)
}
console.log(`under LRU − 1 (or − 0.5 over the second half): ${variants.map((v, j) => `${v.name} ${under[j]} of ${rows}`).join(', ')}${real ? `, real ${realUnder} of ${rows}` : ''}`)
