/**
 * One fork of bench/arena/forks.ts: one operation suite on one cache configuration, lru-cache and
 * Cortado only, in this fresh process, with the bench's own pool, fill, loop and alternating rounds.
 * Sends back each peer's median ops/s over the rounds, as the bench's figures are taken.
 */
import { childMain } from '../harness/child.js'
import { compileKernel } from '../harness/kernels.js'
import { Pool } from '../harness/pool.js'
import { runRounds } from '../harness/rounds.js'
import { median, opsPerSecond } from '../harness/stats.js'
import { CHUNK, fill, roundMs } from '../harness/throughput.js'
import { selectPeers } from '../peers/index.js'
import { cortadoPeerWith, type CortadoOptions } from '../peers/cortado.js'
import { FORK_SUITES } from './fork-suites.js'
import type { CacheSpec } from '../peers/types.js'

export interface ForkInput {
  suite: string
  spec: CacheSpec
  rounds: number
  /** Cortado's replacement policy (its default, 'adaptive', when absent). */
  policy?: CortadoOptions['policy']
  /** The peers besides lru-cache (default: cortado). */
  peers?: string[]
}

export type ForkOutput = Record<string, number>

childMain<ForkInput, ForkOutput>(async ({ suite: id, spec, rounds, policy, peers }) => {
  const suite = FORK_SUITES.find((s) => s.id === id)
  if (!suite) throw new Error(`no suite "${id}" among ${FORK_SUITES.map((s) => s.id).join(', ')}`)
  const { runnable, unavailable } = await selectPeers(peers ?? ['cortado'])
  if (unavailable.length > 0) throw new Error(unavailable.map((u) => `${u.peer}: ${u.reason}`).join('; '))
  const pool = new Pool(spec)
  const workload = suite.workload(pool)
  const contenders = runnable.map((listed) => {
    const peer = policy !== undefined && listed.id === 'cortado' ? cortadoPeerWith({ policy }) : listed
    const { cache } = fill(peer, pool)
    cache.prime?.(workload)
    const kernel = compileKernel(suite.kernel(peer))
    return { id: peer.id, run: (from: number, count: number) => kernel(cache, workload, from, count) }
  })
  const { samples, failed } = runRounds(contenders, { rounds, roundMs: roundMs(false), chunk: CHUNK, warmup: true })
  for (const [peer, err] of failed) throw new Error(`${peer}: ${err.message}`)
  return Object.fromEntries([...samples].map(([peer, s]) => [peer, median(s.map((r) => opsPerSecond(r.ops, r.ns)))]))
})
