/**
 * Where the front changes decisions: replays one workload through the real Cache with and without the
 * front and prints the hit ratio of each block of `--block` capacities of requests for both, and their
 * difference (stop 44, issue 19: the front must change speed, not decisions). Deterministic.
 *
 *   npx tsx bench/sim/front-decisions.ts [--family 'phases scan→zipf→recency→zipf write-once' | --trace ../shared/traces/gli.lirs.gz]
 *     [--capacity 10000] [--block 5] [--seed N]
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { OP_READ, OP_WRITE, type Trace } from '../workloads/trace.js'
import { loadRealCache, RealCachePolicy } from './policies/cortado.js'
import { readTrace } from './traces/read.js'

const argv = process.argv.slice(2)
const opt = (n: string): string | undefined => { const i = argv.indexOf(n); return i < 0 ? undefined : argv[i + 1] }
const capacity = Number(opt('--capacity') ?? 10000)
const blockCaps = Number(opt('--block') ?? 5)
const seed = opt('--seed') === undefined ? 0x2545f491 : Number(opt('--seed'))
const traceFile = opt('--trace')
const fam = opt('--family') ?? 'phases scan→zipf→recency→zipf write-once'
const trace: Trace = traceFile !== undefined ? await readTrace(traceFile) : recencyWorkloads().find((w) => w.name === fam)!.make(capacity)
const Cache = await loadRealCache()

function run(front: boolean): { blocks: number[]; total: number } {
  const p = new RealCachePolicy(Cache, capacity, trace, seed, { front })
  const block = Math.max(1, Math.round(blockCaps * capacity))
  const blocks: number[] = []
  let h = 0, n = 0, H = 0, N = 0
  for (let i = 0; i < trace.keys.length; i++) {
    const op = trace.ops?.[i]
    const k = trace.keys[i]!
    if (op === OP_WRITE) p.write(k)
    else {
      n++
      if (op === OP_READ ? p.read(k) : p.access(k)) h++
    }
    if ((i + 1) % block === 0 || i + 1 === trace.keys.length) {
      blocks.push(n === 0 ? NaN : (100 * h) / n)
      H += h; N += n; h = 0; n = 0
    }
  }
  if (front) console.log('frontHits', (p as any).cache.stats().frontHits)
  p.close()
  return { blocks, total: (100 * H) / N }
}
const off = run(false)
const on = run(true)
console.log(`block (×${blockCaps} cap)  off     on      on−off`)
for (let i = 0; i < off.blocks.length; i++)
  console.log(`${String(i).padStart(3)}  ${off.blocks[i]!.toFixed(2).padStart(6)}  ${on.blocks[i]!.toFixed(2).padStart(6)}  ${(on.blocks[i]! - off.blocks[i]!).toFixed(2).padStart(6)}`)
console.log(`total  ${off.total.toFixed(2)}  ${on.total.toFixed(2)}  ${(on.total - off.total).toFixed(2)}`)
console.log(JSON.stringify((globalThis as any).__fd))
