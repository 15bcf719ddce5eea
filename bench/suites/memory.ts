/**
 * Resident bytes per entry and the pause of a full GC, each peer alone in its own child process, so the
 * resident set holds nothing but that peer's entries (and Cortado's arena, which is off the JS heap and
 * whose pages the OS maps only as they are touched: its resident size is its RSS too).
 */
import { runChild } from '../harness/child.js'
import { formatCount } from '../harness/format.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import { median } from '../harness/stats.js'
import { BASELINE, type Peer } from '../peers/types.js'
import type { MemoryInput, MemoryOutput } from './memory-child.js'
import type { Suite, SuiteContext } from './types.js'

const VALUE_BYTES = 100
const GC_RUNS = 3
const CHILD = new URL('./memory-child.ts', import.meta.url)

function sizes(quick: boolean): number[] {
  return quick ? [1_000_000] : [1_000_000, 5_000_000]
}

/** In --quick, only the two peers issue 2's ratios need: a child per peer costs seconds. */
function peersFor(ctx: Pick<SuiteContext, 'quick' | 'peers'>): Peer[] {
  return ctx.peers.filter((p) => !ctx.quick || p.id === BASELINE || p.id === 'cortado')
}

const METHOD_COMMON =
  `each peer alone in a fresh child process (node --expose-gc); filled with N distinct 16-byte keys ` +
  `and distinct ${VALUE_BYTES}-byte string values made on the fly, then 2M Zipf(0.99) gets over all the keys (what fills a front to its budget)`

export const memory: Suite = {
  kind: 'suite',
  id: 'memory',
  title: 'memory and GC',
  plan: (ctx) => sizes(ctx.quick).length * peersFor(ctx).length,
  async run(ctx) {
    for (const entries of sizes(ctx.quick)) {
      ctx.progress.step(`memory · ${formatCount(entries)} entries (one child process per peer)`)
      const outputs: { peer: string; out: MemoryOutput }[] = []
      const skipped: Skip[] = []
      for (const peer of peersFor(ctx)) {
        ctx.progress.tick(peer.id)
        const input: MemoryInput = { peer: peer.id, entries, valueBytes: VALUE_BYTES, gcRuns: GC_RUNS }
        try {
          const out = await runChild<MemoryInput, MemoryOutput>(CHILD, input, { nodeFlags: ['--expose-gc'], timeoutMs: 15 * 60_000 })
          outputs.push({ peer: peer.id, out })
        } catch (err) {
          skipped.push({ peer: peer.id, reason: `child failed: ${(err as Error).message.split('\n')[0]}` })
          ctx.progress.log(`memory ${peer.id} ${formatCount(entries)}: ${skipped.at(-1)!.reason}`)
        }
      }
      for (const row of memoryRows(entries, outputs, skipped)) ctx.emit(row)
    }
  },
}

function noteOf(entries: number, out: MemoryOutput): string | undefined {
  const parts: string[] = []
  if (out.size !== entries) parts.push(`holds ${out.size} of ${entries} entries; per-entry figures divide by ${out.size}`)
  if (out.missingOfSample > 0) parts.push(`${out.missingOfSample} of 1000 sampled keys missing after the fill`)
  if (out.frontHits > 0) parts.push(`its front served ${((100 * out.frontHits) / out.hotGets).toFixed(1)}% of the ${formatCount(out.hotGets)} reads after the fill`)
  return parts.length > 0 ? parts.join('; ') : undefined
}

/** Below this share of the entries asked for, per-entry figures would describe a different cache. */
const MIN_HELD = 0.5

export function memoryRows(entries: number, outputs: readonly { peer: string; out: MemoryOutput }[], skipped: Skip[]): Row[] {
  const held = outputs.filter(({ out }) => out.size >= entries * MIN_HELD)
  const short: Skip[] = outputs
    .filter(({ out }) => out.size < entries * MIN_HELD)
    .map(({ peer, out }) => ({ peer, reason: `held only ${out.size} of ${entries} entries after the fill` }))
  skipped = [...skipped, ...short]
  const perEntry = (pick: (o: MemoryOutput) => number) =>
    held.map(({ peer, out }): Figure => {
      const f: Figure = { peer, value: pick(out) / out.size }
      const note = noteOf(entries, out)
      if (note) f.note = note
      return f
    })
  const row = (measure: string, metric: string, method: string, figures: Figure[]): Row => ({
    suite: 'memory',
    case: `${formatCount(entries)} entries · string ${VALUE_BYTES} B`,
    params: { measure, entries },
    metric,
    better: 'lower',
    method: `${METHOD_COMMON}; ${method}`,
    figures,
    skipped,
  })
  return [
    row('rss', 'bytes/entry', "growth of the process's resident set (RSS) from before the cache was created to after the fill, two full GCs before each reading, divided by the entries held", perEntry((o) => o.rssBytes)),
    row('heap', 'bytes/entry', "growth of V8's used heap over the same span, divided by the entries held", perEntry((o) => o.heapBytes)),
    row('gc', 'ms', `duration of a forced full GC (global.gc()) with the cache filled, median of ${GC_RUNS} in a row`,
      held.map(({ peer, out }) => ({ peer, value: median(out.gcMs), samples: out.gcMs }))),
  ]
}
