/**
 * Hit ratio vs cache size. Two kinds of columns: the real caches (each peer driven request by request:
 * get, and set on a miss), and the simulator's reference policies (bench/sim), including Bélády's
 * optimum as the upper bound. Runs on the traces in ../shared/traces when that folder exists (ARC paper
 * and LIRS traces: cite Megiddo & Modha, FAST 2003, wherever these results are shown), and on a
 * generated Zipf(0.99) workload always, so every machine has at least one chart. The `recency` cases
 * (issue 18) replay the recency families (bench/workloads/recency-suite.ts: write-then-read-soon with
 * and without write-back, phases, moving Zipf), each built for its cache size, with writes and reads.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { KEY_BYTES, makeKeys } from '../harness/data.js'
import { formatCount } from '../harness/format.js'
import { PROJECT_ROOT } from '../harness/project.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import { readAnchors } from '../sim/anchors.js'
import { SIMULATED, type SimOptions } from '../sim/registry.js'
import { simulate } from '../sim/simulate.js'
import { formatOf, readTrace, traceName } from '../sim/traces/read.js'
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { OP_READ, OP_READ_THROUGH, OP_WRITE, type Trace } from '../workloads/trace.js'
import { handlesOps } from '../sim/policy.js'
import { zipfTrace } from '../workloads/zipf-trace.js'
import { BASELINE, type Peer } from '../peers/types.js'
import type { Suite, SuiteContext } from './types.js'

export const TRACE_DIR = join(PROJECT_ROOT, '..', 'shared', 'traces')
export const ANCHORS = join(PROJECT_ROOT, '..', 'shared', 'design', 'hit-ratio-anchors.md')
/** Prefix of the figures that come from the simulator rather than from a real cache. */
export const SIM_PREFIX = 'sim:'

/** The simulator's policies (its registry), in the order of the columns; opt, the upper bound, last. */
const POLICIES = [...Object.keys(SIMULATED).filter((p) => p !== 'opt'), 'opt'].map((name) => [name, SIMULATED[name]!] as const)
/** The simulator's defaults: one shard (the model of a single policy instance) and its default seed. */
const SIM_OPTIONS: SimOptions = { shards: 1, seed: 0x2545f491 }

interface Source {
  name: string
  /** 'trace' (a file) or 'generated'. */
  kind: 'trace' | 'generated'
  load(): Promise<Trace>
  /** Sizes in entries; computed from the trace when no anchor sizes are known. */
  sizes(trace: Trace): number[]
  /** How many sizes there will be, known before the trace is read (for the progress bar). */
  sizeCount: number
  /** Cheap enough to replay through every real peer in a --quick run. */
  small: boolean
}

const ZIPF = { keys: 100_000, s: 0.99, length: 1_000_000, seed: 7 }
const ZIPF_QUICK = { keys: 20_000, s: 0.99, length: 200_000, seed: 7 }
const ZIPF_FRACTIONS = [0.01, 0.05, 0.1, 0.25, 0.5]
/** Files above this size are left out of --quick runs (P3 and OLTP take minutes through every peer). */
const QUICK_TRACE_BYTES = 64 * 1024

function traceFiles(): string[] {
  if (!existsSync(TRACE_DIR)) return []
  return readdirSync(TRACE_DIR)
    .filter((f) => formatOf(f) !== undefined)
    .sort()
    .map((f) => join(TRACE_DIR, f))
}

function sources(quick: boolean): Source[] {
  const anchors = readAnchors(ANCHORS)
  const out: Source[] = []
  for (const path of traceFiles()) {
    const name = traceName(path)
    const anchorSizes = [...(anchors.get(name)?.keys() ?? [])]
    out.push({
      name,
      kind: 'trace',
      load: () => readTrace(path),
      sizes: (t) => (anchorSizes.length > 0 ? anchorSizes : fractions(t.universe)),
      sizeCount: anchorSizes.length > 0 ? anchorSizes.length : ZIPF_FRACTIONS.length,
      small: statSync(path).size <= QUICK_TRACE_BYTES,
    })
  }
  const z = quick ? ZIPF_QUICK : ZIPF
  out.push({
    name: `zipf-${z.s}`,
    kind: 'generated',
    load: async () => zipfTrace(z),
    sizes: (t) => fractions(t.universe),
    sizeCount: ZIPF_FRACTIONS.length,
    small: true,
  })
  return quick ? out.filter((s) => s.small) : out
}

/** Sizes as fractions of the distinct keys, rounded to whole entries. */
function fractions(universe: number): number[] {
  return [...new Set(ZIPF_FRACTIONS.map((f) => Math.max(1, Math.round(universe * f))))]
}

/** Replays the trace through a real cache: get, and on a miss set (a cache-aside service). */
function replay(peer: Peer, trace: Trace, keys: readonly string[], size: number): number {
  const cache = peer.create({ entries: size, valueKind: 'string', keyBytes: KEY_BYTES, valueBytes: VALUE.length })
  try {
    const ids = trace.keys
    let hits = 0
    for (let i = 0; i < ids.length; i++) {
      const key = keys[ids[i]!]!
      if (cache.get(key) !== undefined) hits++
      else cache.set(key, VALUE)
    }
    return hits / ids.length
  } finally {
    cache.close()
  }
}

const VALUE = 'v'.repeat(100)

/** Replays a trace with ops: writes set, reads get (and set on a miss when they read through). */
function replayOps(peer: Peer, trace: Trace, keys: readonly string[], size: number): number {
  const cache = peer.create({ entries: size, valueKind: 'string', keyBytes: KEY_BYTES, valueBytes: VALUE.length })
  try {
    const ids = trace.keys
    const ops = trace.ops
    let hits = 0
    let reads = 0
    for (let i = 0; i < ids.length; i++) {
      const key = keys[ids[i]!]!
      const op = ops === undefined ? OP_READ_THROUGH : ops[i]!
      if (op === OP_WRITE) {
        cache.set(key, VALUE)
        continue
      }
      reads++
      if (cache.get(key) !== undefined) hits++
      else if (op !== OP_READ) cache.set(key, VALUE)
    }
    return hits / reads
  } finally {
    cache.close()
  }
}

/** The recency families the suite replays: all of them in a full run, three at one small size in --quick. */
const RECENCY_QUICK = ['write-then-read 0.5×cap write-once', 'write-then-read 1.5×cap write-back', 'zipf(0.9) 20 keys/entry, moving every 2×cap']
function recencyCases(quick: boolean): { name: string; size: number; make: () => Trace }[] {
  const families = recencyWorkloads(42, 1).filter((w) => !quick || RECENCY_QUICK.includes(w.name))
  const sizes = quick ? [2000] : [10_000, 100_000]
  return families.flatMap((w) => sizes.map((size) => ({ name: w.name, size, make: () => w.make(size) })))
}

/**
 * @isaacs/ttlcache evicts in insertion order like the Map (FIFO), so its column would repeat that one,
 * and each of its evictions costs ~0.1 ms here (see set-evict): replaying a trace's millions of misses
 * through it takes tens of minutes.
 */
const NOT_REPLAYED = new Map([['ttlcache', 'same eviction order as Map (FIFO); its evictions are too slow to replay millions of misses']])

function realPeers(ctx: Pick<SuiteContext, 'peers'>): readonly Peer[] {
  return ctx.peers.filter((p) => !NOT_REPLAYED.has(p.id))
}

export const hitRatio: Suite = {
  kind: 'suite',
  id: 'hit-ratio',
  title: 'hit ratio',
  plan: (ctx) =>
    sources(ctx.quick).reduce((n, s) => n + 1 + s.sizeCount * (realPeers(ctx).length + POLICIES.length), 0) +
    recencyCases(ctx.quick).length * (realPeers(ctx).length + POLICIES.length),
  async run(ctx) {
    for (const source of sources(ctx.quick)) {
      ctx.progress.step(`hit-ratio · loading ${source.name}`)
      const trace = await source.load()
      const sizes = source.sizes(trace)
      const peers = realPeers(ctx)
      // Tiny universes can round two fractions to the same size.
      ctx.progress.grow((sizes.length - source.sizeCount) * (peers.length + POLICIES.length))
      ctx.progress.tick(source.name)
      const keys = makeKeys(trace.universe)
      for (const size of sizes) {
        ctx.progress.step(`hit-ratio · ${source.name} · ${formatCount(size)} entries`)
        const figures: Figure[] = []
        for (const peer of peers) {
          ctx.progress.tick(peer.id)
          const f: Figure = { peer: peer.id, value: replay(peer, trace, keys, size) * 100 }
          if (peer.id === 'quick-lru') f.note = 'holds up to 2 × the size'
          figures.push(f)
        }
        for (const [name, factory] of POLICIES) {
          ctx.progress.tick(`simulating ${name}`)
          figures.push({ peer: `${SIM_PREFIX}${name}`, value: simulate(trace, name, size, factory(size, trace, SIM_OPTIONS)).hitRatio * 100 })
        }
        const skipped = ctx.peers.filter((p) => NOT_REPLAYED.has(p.id)).map((p) => ({ peer: p.id, reason: NOT_REPLAYED.get(p.id)! }))
        ctx.emit(hitRatioRow(source, trace, size, figures, skipped))
      }
    }
    for (const c of recencyCases(ctx.quick)) {
      ctx.progress.step(`hit-ratio · recency · ${c.name} · ${formatCount(c.size)} entries`)
      const trace = c.make()
      const keys = makeKeys(trace.universe)
      const figures: Figure[] = []
      for (const peer of realPeers(ctx)) {
        ctx.progress.tick(peer.id)
        figures.push({ peer: peer.id, value: replayOps(peer, trace, keys, c.size) * 100 })
      }
      for (const [name, factory] of POLICIES) {
        ctx.progress.tick(`simulating ${name}`)
        const policy = factory(c.size, trace, SIM_OPTIONS)
        // Only the policies that model a get apart from a set can replay writes (LRU and the model).
        if (handlesOps(policy)) figures.push({ peer: `${SIM_PREFIX}${name}`, value: simulate(trace, name, c.size, policy).hitRatio * 100 })
      }
      const skipped = ctx.peers.filter((p) => NOT_REPLAYED.has(p.id)).map((p) => ({ peer: p.id, reason: NOT_REPLAYED.get(p.id)! }))
      ctx.emit(recencyRow(c.name, trace, c.size, figures, skipped))
    }
  },
}

function recencyRow(family: string, trace: Trace, size: number, figures: Figure[], skipped: Skip[]): Row {
  let writes = 0
  for (const op of trace.ops ?? []) if (op === OP_WRITE) writes++
  return {
    suite: 'hit-ratio',
    case: `recency · ${family} · ${formatCount(size)} entries`,
    params: { measure: 'recency', trace: family, size, source: 'generated' },
    metric: '%',
    better: 'higher',
    method:
      `generated ${family} (issue 18; bench/workloads/recency-suite.ts): ${trace.keys.length} requests of which ${writes} sets, ` +
      `hit ratio over the reads; real caches: set on a write, get on a read (and set on its miss only with write-back), ` +
      `bounded to the size in entries; ${SIM_PREFIX}* columns: the simulator's policies that model reads apart from writes`,
    figures,
    skipped,
  }
}

function hitRatioRow(source: Source, trace: Trace, size: number, figures: Figure[], skipped: Skip[]): Row {
  const origin =
    source.kind === 'trace'
      ? `trace ${source.name} from ../shared/traces (${trace.keys.length} requests, ${trace.universe} distinct keys)`
      : `generated Zipf(${source.name.split('-')[1]}) requests (${trace.keys.length} requests over ${trace.universe} keys)`
  return {
    suite: 'hit-ratio',
    case: `${source.name} · ${formatCount(size)} entries`,
    params: { measure: source.name, trace: source.name, size, source: source.kind },
    metric: '%',
    better: 'higher',
    method:
      `${origin}, cold start, every request counted; real caches: get, then set on a miss, bounded to the size in entries ` +
      `(${BASELINE} and the other peers as configured for the other suites); ${SIM_PREFIX}* columns: the simulator's ` +
      `reference policies (bench/sim), opt = Bélády's optimum`,
    figures,
    skipped,
  }
}
