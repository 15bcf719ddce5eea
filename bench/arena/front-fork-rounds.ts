/**
 * One fork of `forks.ts --issue 19`'s get-zipf case in this process (the bench's pool, fill, kernel and
 * alternating rounds: fork-child.ts's), printing per round each peer's ops/s ÷ lru-cache's and, for the
 * front, the share of that round's gets it served and the gets it still had to skip at the round's end (issue 19,
 * stop 48: what the front does inside the rounds the forks time). Timed: a shared host makes it one draw.
 *
 *   npx tsx bench/arena/front-fork-rounds.ts [entries=1000000] [rounds=9] [suite=get-zipf]
 */
import { compileKernel } from '../harness/kernels.js'
import { Pool } from '../harness/pool.js'
import { runRounds } from '../harness/rounds.js'
import { median, opsPerSecond } from '../harness/stats.js'
import { CHUNK, fill, roundMs } from '../harness/throughput.js'
import { selectPeers } from '../peers/index.js'
import { spec } from '../suites/configs.js'
import { FORK_SUITES } from './fork-suites.js'
import { FRONT_FLOOR } from '../peers/types.js'

const [entriesArg = '1000000', roundsArg = '9', suiteId = 'get-zipf'] = process.argv.slice(2)
const suite = FORK_SUITES.find((s) => s.id === suiteId)!
const { runnable } = await selectPeers(['lru-cache', 'cortado-front', FRONT_FLOOR])
const pool = new Pool(spec(Number(entriesArg), 'string', 100))
const workload = suite.workload(pool)
interface Stats { frontHits: number; hits: number; misses: number }
const frontCache: { stats(): Stats } [] = []
const contenders = runnable.map((peer) => {
  const { cache } = fill(peer, pool)
  cache.prime?.(workload)
  if (peer.id === 'cortado-front') frontCache.push(cache as unknown as { stats(): Stats })
  const kernel = compileKernel(suite.kernel(peer))
  return { id: peer.id, run: (from: number, count: number) => kernel(cache, workload, from, count) }
})
const { coreOf } = await import('../../src/engine/access.js')
const front = (coreOf(frontCache[0] as never) as unknown as { front: { size: number; skipping: number; slowerThanArena: boolean } }).front
const shares: string[] = []
const share = (a: Stats, b: Stats): string => `${((b.frontHits - a.frontHits) / (b.hits + b.misses - a.hits - a.misses)).toFixed(3)}${front.skipping > 0 ? `(skip ${front.skipping})` : ''}`
let last = frontCache[0]!.stats()
const { samples } = runRounds(contenders, {
  rounds: Number(roundsArg), roundMs: roundMs(false), chunk: CHUNK, warmup: true,
  onRound: (round, id) => {
    if (id !== 'cortado-front') return
    // Called before the front's round: the previous one's share is known now.
    const now = frontCache[0]!.stats()
    if (round >= 0) shares.push(share(last, now))
    last = now
  },
})
shares.push(share(last, frontCache[0]!.stats()))
console.log(`front served per round: ${shares.join(' ')}`)
const lru = samples.get('lru-cache')!
for (const [id, s] of samples) {
  console.log(`${id.padEnd(14)} ${s.map((r, i) => (opsPerSecond(r.ops, r.ns) / opsPerSecond(lru[i]!.ops, lru[i]!.ns)).toFixed(2)).join(' ')}  median ${(median(s.map((r) => opsPerSecond(r.ops, r.ns))) / median(lru.map((r) => opsPerSecond(r.ops, r.ns)))).toFixed(2)}  ops ${s.map((r) => (r.ops / 1e6).toFixed(2)).join(' ')}M`)
}
const st = frontCache[0]!.stats()
console.log(`front: frontHits ${st.frontHits} of ${st.hits + st.misses} gets (${(st.frontHits / (st.hits + st.misses)).toFixed(3)}), held ${front.size}, slower ${front.slowerThanArena}`)
