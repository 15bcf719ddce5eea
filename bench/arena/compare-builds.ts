/**
 * One trace on several builds of the cache and several hash seeds (stop 58, mutants58): the real cache − lru-cache,
 * whole run / last half of the reads (recency-sweep.ts's replay), a line per build. For a planted bug's build
 * (`KEEP=1 bash test/mutants/sweep-one.sh ID --build` prints its dist) against the tree's, on a sweep row or on any
 * generator call: deterministic, a few seconds a row.
 *
 *   npx tsx bench/arena/compare-builds.ts --row 'delay 0.5C+0.5C back' --c 8000 --seeds 1,2,3 \
 *     --builds main=../../src/index.js,mutant=/tmp/x/mutant-ID.abcd/dist/src/index.js
 *   npx tsx bench/arena/compare-builds.ts --expr "phasesTrace(c, 1, ['once', 'loop', 'once'], 3, 1)" --c 4000 …
 *
 * --expr: a call of recency-sweep.ts's generators or onceZipfTrace (bench/workloads/once-zipf-trace.ts) with `c`
 * the capacity. --shards: a count (default 1) or `d` for the cache's default. --builds: name=path, comma-separated
 * (default: the tree's ../../src/index.js only).
 */
import { LRUCache } from 'lru-cache'
import * as sweep from './recency-sweep.js'
import * as onceZipf from '../workloads/once-zipf-trace.js'
import type { Trace } from '../workloads/trace.js'
import { toolArgs } from '../harness/tool-args.js'

type KV = { get(k: string): unknown; set(k: string, v: string): unknown; close(): void }
type CortadoModule = { Cache: (new (o: object) => KV) & { maxBytesFor(entries: number, entryBytes: number): number } }

const args = toolArgs()
const c = Number(args.opt('--c', '4000'))
const seeds = args.numbers('--seeds', '1,2,3')
const shards = args.opt('--shards', '1')
const engine = args.opt('--engine', 'wasm')
const row = args.opt('--row', '')
const expr = args.opt('--expr', '')
const builds = args.opt('--builds', 'main=../../src/index.js').split(',').map((b) => {
  const i = b.indexOf('=')
  return { name: b.slice(0, i), path: b.slice(i + 1) }
})
const scope = { ...sweep, ...onceZipf }
let trace: Trace
if (row !== '') {
  const r = sweep.sweepRows().find((x) => x.name === row)
  if (r === undefined) throw new Error(`no sweep row '${row}'`)
  trace = r.make(c, 1)
} else {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  trace = new Function(...Object.keys(scope), 'c', `return ${expr}`)(...Object.values(scope), c) as Trace
}
const one = (): string => 'v'
const [la, ll] = sweep.replay(trace, new LRUCache<string, string>({ max: c }), one)
const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)
console.log(`${row !== '' ? row : expr} @${c}, ${shards === 'd' ? 'default shards' : `${shards} shard(s)`}, ${engine}: LRU ${la.toFixed(2)}% / ${ll.toFixed(2)}% (whole / last half); hash seeds ${seeds.join(', ')}`)
for (const b of builds) {
  const { Cache } = (await import(b.path)) as CortadoModule
  const cells: string[] = []
  for (const seed of seeds) {
    const cache = new Cache({ maxEntries: c, maxBytes: Cache.maxBytesFor(c, 64), codec: 'string', seed, engine, ...(shards === 'd' ? {} : { shards: Number(shards) }) })
    const [ca, cl] = sweep.replay(trace, cache, one)
    cache.close()
    cells.push(`${signed(ca - la)} / ${signed(cl - ll)}`)
  }
  console.log(`  ${b.name.padEnd(24)} ${cells.join('   ')}`)
}
