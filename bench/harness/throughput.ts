/**
 * Runs the operation suites: for each cache configuration, every peer's cache is created and filled
 * once, then each selected operation is timed in alternating rounds on those caches (read-only
 * operations first, since the writes replace the filled entries).
 */
import type { OpSuite, SuiteContext } from '../suites/types.js'
import type { BenchCache, CacheSpec, Peer } from '../peers/types.js'
import { compileKernel } from './kernels.js'
import { FRONT_FLOOR } from '../peers/types.js'
import { formatSi } from './format.js'
import { Pool, sameSpec, specLabel } from './pool.js'
import type { Figure, Row, Skip } from './results.js'
import { runRounds, type Contender, type RoundSample, type RoundsResult } from './rounds.js'
import { median, opsPerSecond, relativeSpread } from './stats.js'

/** Operations per chunk: a multiple of the batch size, and short enough to end a round on time. */
export const CHUNK = 1024

export function roundMs(quick: boolean): number {
  return quick ? 100 : 300
}

export interface Filled {
  peer: Peer
  cache: BenchCache
  stored: number
}

/** Cortado reports refusals and evictions; other peers have no stats() and get no note. */
interface WithStats {
  stats(): { rejections: number; evictions: number; sets: number }
}

function statsOf(cache: BenchCache): { rejections: number; evictions: number; sets: number } | undefined {
  const s = (cache as Partial<WithStats>).stats
  return typeof s === 'function' ? s.call(cache) : undefined
}

/** Every distinct configuration the selected suites need, smallest first. */
export function configsOf(suites: readonly OpSuite[], quick: boolean): CacheSpec[] {
  const out: CacheSpec[] = []
  for (const s of suites) for (const c of s.configs(quick)) if (!out.some((o) => sameSpec(o, c))) out.push(c)
  return out.sort((a, b) => a.entries - b.entries || a.valueBytes - b.valueBytes || a.valueKind.localeCompare(b.valueKind))
}

export function planOps(suites: readonly OpSuite[], ctx: Pick<SuiteContext, 'quick' | 'rounds' | 'peers'>): number {
  let units = 0
  for (const spec of configsOf(suites, ctx.quick)) {
    units += ctx.peers.length
    for (const s of suites) if (s.configs(ctx.quick).some((c) => sameSpec(c, spec))) units += (ctx.rounds + 1) * ctx.peers.length
  }
  return units
}

/** Every peer's cache filled from the pool (one progress tick each); a peer that throws is skipped. */
export function fillAll(pool: Pool, ctx: SuiteContext, suites: readonly OpSuite[] = []): { filled: Filled[]; failed: Skip[] } {
  const filled: Filled[] = []
  const failed: Skip[] = []
  const floor = wantsFrontFloor(suites, pool.spec, ctx.quick)
  for (const peer of ctx.peers) {
    if (peer.id === FRONT_FLOOR && !floor) continue
    try {
      filled.push(fill(peer, pool))
    } catch (err) {
      failed.push({ peer: peer.id, reason: `failed to fill: ${(err as Error).message}` })
      ctx.progress.log(`${peer.id}: ${failed.at(-1)!.reason}`)
    }
    ctx.progress.tick(peer.id)
  }
  return { filled, failed }
}

/** The suites' rounds: the run's round count and length, a warm-up round, a progress tick per round. */
export function timedRounds(contenders: readonly Contender[], ctx: SuiteContext, beforeRound?: (round: number, id: string) => void): RoundsResult {
  return runRounds(contenders, {
    rounds: ctx.rounds,
    roundMs: roundMs(ctx.quick),
    chunk: CHUNK,
    warmup: true,
    onRound: (round, id) => {
      beforeRound?.(round, id)
      ctx.progress.tick(round < 0 ? `warm-up ${id}` : `round ${round + 1}/${ctx.rounds} ${id}`)
    },
  })
}

/** A new cache of the pool's configuration holding keys[0 .. entries). */
export function fill(peer: Peer, pool: Pool): Filled {
  const cache = peer.create(pool.spec)
  const { keys, values } = pool
  const mask = values.length - 1
  for (let i = 0; i < pool.spec.entries; i++) cache.set(keys[i]!, values[i & mask]!)
  return { peer, cache, stored: cache.size }
}

function note(filled: Filled, spec: CacheSpec, before: ReturnType<typeof statsOf>, after: ReturnType<typeof statsOf>): string | undefined {
  const parts: string[] = []
  if (filled.stored < spec.entries) parts.push(`fill stored ${filled.stored} of ${spec.entries}`)
  if (filled.stored > spec.entries) parts.push(`holds ${filled.stored} after the fill`)
  if (before && after) {
    const sets = after.sets - before.sets
    const refused = after.rejections - before.rejections
    if (sets > 0 && refused > 0) parts.push(`${((refused / sets) * 100).toFixed(1)}% of sets refused by admission`)
  }
  return parts.length > 0 ? parts.join('; ') : undefined
}

/** How the hit ratios were counted, for a row's method line (RoundsResult.common). */
export function commonHitsMethod(common: RoundsResult['common']): string {
  return `hit ratios over the same first ${formatSi(common.ops)} operations for every peer (from the fill, the warm-up included)`
}

/** Hits ÷ gets over the operations every peer ran (RoundsResult.common), undefined if none or no gets. */
export function commonHitRatio(common: RoundsResult['common'], peer: string, getsPerOp: number): number | undefined {
  const hits = common.hits.get(peer)
  if (hits === undefined || common.ops === 0 || getsPerOp <= 0) return undefined
  return Math.min(1, hits / (common.ops * getsPerOp))
}

function figureFor(suite: OpSuite, filled: Filled, samples: RoundSample[], common: RoundsResult['common'], noteText: string | undefined): Figure {
  const perRound = samples.map((s) => opsPerSecond(s.ops, s.ns))
  const figure: Figure = { peer: filled.peer.id, value: median(perRound), samples: perRound, spread: relativeSpread(perRound) }
  const hitRatio = commonHitRatio(common, filled.peer.id, suite.getsPerOp)
  if (hitRatio !== undefined) figure.hitRatio = hitRatio
  if (noteText !== undefined) figure.note = noteText
  return figure
}

function checkExpectation(suite: OpSuite, figure: Figure, progress: SuiteContext['progress']): void {
  const h = figure.hitRatio
  if (h === undefined || suite.expect === undefined) return
  const broken = suite.expect === 'all-hit' ? h < 0.999 : h > 0.001
  if (broken) {
    const warning = `hit ratio ${(h * 100).toFixed(1)}% where ${suite.expect} was expected`
    figure.note = figure.note ? `${figure.note}; ${warning}` : warning
    progress.log(`warning: ${suite.id} ${figure.peer}: ${warning}`)
  }
}

/** Whether a configuration's suites time the front floor (OpSuite.frontFloor; string values only). */
function wantsFrontFloor(suites: readonly OpSuite[], spec: CacheSpec, quick: boolean): boolean {
  return spec.valueKind === 'string' && suites.some((s) => s.frontFloor === true && s.configs(quick).some((c) => sameSpec(c, spec)))
}

export async function runOps(suites: readonly OpSuite[], ctx: SuiteContext): Promise<void> {
  const ordered = [...suites].sort((a, b) => a.order - b.order)
  for (const spec of configsOf(ordered, ctx.quick)) {
    const label = specLabel(spec)
    ctx.progress.step(`fill · ${label}`)
    const pool = new Pool(spec)
    const { filled, failed } = fillAll(pool, ctx, ordered)
    try {
      for (const suite of ordered) {
        if (!suite.configs(ctx.quick).some((c) => sameSpec(c, spec))) continue
        ctx.progress.step(`${suite.id} · ${label}`)
        ctx.emit(measure(suite, pool, filled.filter((f) => f.peer.id !== FRONT_FLOOR || suite.frontFloor === true), failed, ctx))
      }
    } finally {
      for (const f of filled) f.cache.close()
    }
  }
}

function measure(suite: OpSuite, pool: Pool, filled: readonly Filled[], failed: readonly Skip[], ctx: SuiteContext): Row {
  const workload = suite.workload(pool)
  for (const f of filled) f.cache.prime?.(workload)
  const before = new Map(filled.map((f) => [f.peer.id, statsOf(f.cache)]))
  const contenders = filled.map((f) => {
    const kernel = compileKernel(suite.kernel(f.peer))
    return { id: f.peer.id, run: (from: number, count: number) => kernel(f.cache, workload, from, count) }
  })
  const ms = roundMs(ctx.quick)
  const { samples, failed: threw, common } = timedRounds(contenders, ctx)
  const figures = filled
    .filter((f) => samples.has(f.peer.id))
    .map((f) => {
      const figure = figureFor(suite, f, samples.get(f.peer.id)!, common, note(f, pool.spec, before.get(f.peer.id), statsOf(f.cache)))
      checkExpectation(suite, figure, ctx.progress)
      return figure
    })
  const errors = [...threw].map(([peer, err]): Skip => ({ peer, reason: `threw: ${err.message.split('\n')[0]!}` }))
  for (const e of errors) ctx.progress.log(`warning: ${suite.id} ${e.peer} ${e.reason}`)
  const perRound = [...samples.values()].map((ss) => median(ss.map((x) => x.ops)))
  const opsNote = perRound.length > 0 ? `, ${formatSi(Math.min(...perRound))}–${formatSi(Math.max(...perRound))} operations per round depending on the peer` : ''
  return {
    suite: suite.id,
    case: specLabel(pool.spec),
    params: { entries: pool.spec.entries, valueKind: pool.spec.valueKind, valueBytes: pool.spec.valueBytes },
    metric: 'ops/s',
    better: 'higher',
    method:
      `${suite.describe(pool.spec)}; median of ${ctx.rounds} alternating rounds of ${ms} ms per peer${opsNote} ` +
      `(after one warm-up round), all peers in one process, ${pool.spec.keyBytes}-byte keys` +
      (figures.some((f) => f.hitRatio !== undefined && f.hitRatio > 0.001 && f.hitRatio < 0.999) ? `; ${commonHitsMethod(common)}` : ''),
    figures,
    skipped: [...failed, ...errors],
  }
}
