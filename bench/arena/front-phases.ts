/**
 * What the front serves over the bench's own sequence of suites on one cache (issue 19): the bench runs
 * get-hit (uniform), then get-zipf, then get-built-key on the same filled caches, so each suite's front
 * starts in the state the one before left it. This replays that order with the bench's pool, workloads
 * and kernels, counting instead of timing: per block of gets, the share the front served, the entries it
 * held, and the gets it still had to skip at the block's end (a step-aside under way).
 *
 *   npx tsx bench/arena/front-phases.ts [entries=1000000] [phases=get-hit:1048576,get-zipf:2097152] [block=262144] [timer=off|on]
 *
 * LIB=<dist>/src/index.js runs another build (a copy of an older dist/) instead of src/.
 * timer=off turns the front's self-timing off (a deterministic run: the counts are then exact and the same
 * every time); on keeps it (wall-clock windows: what a bench run does, counts vary).
 */
import { Pool } from '../harness/pool.js'
import { compileKernel } from '../harness/kernels.js'
import { fill } from '../harness/throughput.js'
import { spec } from '../suites/configs.js'
import { getHit } from '../suites/get-hit.js'
import { getZipf } from '../suites/get-zipf.js'
import { getBuiltKey } from '../suites/get-built-key.js'
import { cortadoFrontPeer, cortadoOptions, loadCortado } from '../peers/cortado.js'
import type { OpSuite } from '../suites/types.js'
import { coreOf } from '../../src/engine/access.js'

const [entriesArg = '1000000', phasesArg = 'get-hit:1048576,get-zipf:2097152', blockArg = String(1 << 18), timer = 'off'] = process.argv.slice(2)
const entries = Number(entriesArg)
const block = Number(blockArg)
const SUITES: Record<string, OpSuite> = { 'get-hit': getHit, 'get-zipf': getZipf, 'get-built-key': getBuiltKey }
const loaded = await loadCortado()
if (typeof loaded === 'string') throw new Error(loaded)
type FrontProbe = { size: number; skipping?: number; slowerThanArena: boolean; useTimer(t: undefined): void }
const pool = new Pool(spec(entries, 'string', 100))
// LIB=<dist>/src/index.js: another build's Cache (e.g. a copy of an older dist), made and filled as the bench's peer is.
const lib = process.env.LIB
let cache: unknown
let front: FrontProbe
if (lib === undefined) {
  cache = fill(cortadoFrontPeer, pool).cache
  front = (coreOf(cache as never) as unknown as { front: FrontProbe }).front
} else {
  const { Cache } = (await import(lib)) as { Cache: new (o: object) => { set(k: string, v: unknown): void } }
  const access = (await import(new URL('engine/access.js', new URL(lib, 'file:///')).href)) as { coreOf(c: unknown): { front: FrontProbe } }
  const c = new Cache({ ...cortadoOptions(pool.spec), front: true })
  for (let i = 0; i < entries; i++) c.set(pool.keys[i]!, pool.values[i & (pool.values.length - 1)]!)
  cache = c
  front = access.coreOf(c).front
}
if (timer === 'off') front.useTimer(undefined)
const stats = () => (cache as unknown as { stats(): { frontHits: number; hits: number } }).stats()
let from = 0
for (const phase of phasesArg.split(',')) {
  const [id, countArg] = phase.split(':') as [string, string]
  const suite = SUITES[id]
  if (!suite) throw new Error(`unknown suite ${id}`)
  const workload = suite.workload(pool)
  const kernel = compileKernel(suite.kernel(cortadoFrontPeer))
  const served: string[] = []
  let all = 0
  let allFront = 0
  for (let done = 0; done < Number(countArg); done += block) {
    const before = stats().frontHits
    kernel(cache as never, workload, from, block)
    from += block
    const hits = stats().frontHits - before
    all += block
    allFront += hits
    served.push(`${(hits / block).toFixed(2)}${(front.skipping ?? 0) > 0 ? `(skip ${front.skipping})` : ''}${front.slowerThanArena ? 'A' : ''}`)
  }
  console.log(`${id} ${entries}: served ${(allFront / all).toFixed(3)} of ${all} gets; per block of ${block}: ${served.join(' ')}; front holds ${front.size}`)
}
