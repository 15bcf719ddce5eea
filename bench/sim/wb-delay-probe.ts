/**
 * Stop 52 (wbdelay, issue #18): written-back reads that start d × capacity after the write
 * (bench/arena/recency-sweep.ts's `delayTrace(c, 1, d, true, seed)`), model, one shard.
 *
 *   npx tsx bench/sim/wb-delay-probe.ts [--sizes 2500,5000,15000] [--ds 0.5,0.6,…] [--seed 12345]
 *     [--variants 'base:;x:k=v']         model − LRU, whole run / second half, per d and size
 *   npx tsx bench/sim/wb-delay-probe.ts --detail --sizes 5000 --ds 0.7 [--tune k=v] [--block 1]
 *     per block: hit % (model, LRU), window target, RETURN_TO on, RETURN_TEST's means, placements, and
 *     the window's first hits by age (tenths of the window's count; new keys | write-backs 'missed')
 */
import { delayTrace, sweepRows } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { OP_READ, OP_WRITE } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import { replayByCapacity } from './replay-by-capacity.js'
import { gapCell, lruRatios, modelGap, signed } from './model-vs-lru.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const sizes = args.opt('--sizes', '2500,5000,15000').split(',').map(Number)
const ds = args.opt('--ds', '0.5,0.6,0.65,0.7,0.75,0.8,0.9,1,1.1,1.2,1.3,1.4,1.5').split(',').map(Number)
const seed = Number(args.opt('--seed', '12345'))
const block = Number(args.opt('--block', '1'))
const pct = (hits: number, reads: number): number => (100 * hits) / Math.max(1, reads)

if (args.has('--detail')) {
  const tuning = parseTuningList(args.opt('--tune', ''))
  const rowName = args.opt('--row', '')
  for (const size of sizes) for (const d of ds) {
    const trace = rowName === '' ? delayTrace(size, 1, d, true, seed) : sweepRows().find((r) => r.name === rowName)!.make(size, 1)
    const lru = replayByCapacity(new LruPolicy(size, trace), trace, 0, size * block)
    const m = new CortadoModel(size, trace, { tuning })
    const s = m.shards[0]!
    s.winStamp = new Int32Array(trace.universe)
    s.winAgeHits = new Float64Array(20)
    console.log(`## ${trace.name}, ${size}`)
    console.log('| req/C | hit% | lru% | window | rtOn | wb mean | new mean | young | placed | new first hits by age (tenths) | wb first hits by age |')
    let h = 0, r = 0, b = 0, prevPlaced = 0
    const n = trace.keys.length
    for (let i = 0; i < n; i++) {
      const op = trace.ops === undefined ? 0 : trace.ops[i]!
      const k = trace.keys[i]!
      if (op === OP_WRITE) m.write(k)
      else { r++; if (op === OP_READ ? m.read(k) : m.access(k)) h++ }
      if ((i + 1) % (block * size) === 0) {
        const a = s as unknown as { backMean: number; newMean: number; returnOn: boolean }
        const w = s.winAgeHits
        const row = (o: number): string => Array.from(w.slice(o, o + 10)).join(' ')
        console.log(`| ${((i + 1) / size).toFixed(0)} | ${pct(h, r).toFixed(1)} | ${(lru.blocks[b++] ?? NaN).toFixed(1)} | ${(s.windowTarget / size).toFixed(3)} | ${a.returnOn ? 1 : 0} | ${a.backMean.toFixed(2)} | ${a.newMean.toFixed(2)} | ${s.youngShare.toFixed(2)} | ${s.stat.rtPlaced - prevPlaced} | ${row(0)} | ${row(10)} |`)
        prevPlaced = s.stat.rtPlaced
        s.winAgeHits.fill(0)
        h = 0; r = 0
      }
    }
  }
} else {
  const variants = args.opt('--variants', 'base:').split(';').filter((v) => v !== '').map((v) => {
    const i = v.indexOf(':')
    return { name: v.slice(0, i), tuning: parseTuningList(v.slice(i + 1)) }
  })
  console.log(`delay d·C+0.5C back, trace seed ${seed}, one shard: model − LRU, whole run / second half`)
  console.log(`| size | d | lru | ${variants.map((v) => v.name).join(' | ')} |`)
  console.log(`|---:|---:|---:|${variants.map(() => '---:').join('|')}|`)
  for (const size of sizes) for (const d of ds) {
    const trace = delayTrace(size, 1, d, true, seed)
    const lru = lruRatios(trace, size)
    const cells = variants.map((v) => gapCell(modelGap(trace, size, v.tuning, lru)))
    console.log(`| ${size} | ${d} | ${lru.all.toFixed(2)} | ${cells.join(' | ')} |`)
  }
}
