/**
 * PeerGroup (issue 17): three local peers against three independent caches, fed the same skewed request
 * stream. What a group buys is origin loads (each key loaded once in the group instead of once per
 * instance); what it costs is a network hop for keys owned elsewhere until they are hot. So the suite
 * measures both: origin loads and requests/s of the whole stream, then the latency of `get` by class
 * of key — owned (a local hit), hot (a copy in the hot cache), remote (a request to an owner that has
 * the key) — beside an independent cache's hit.
 *
 * All peers run in this one process on loopback HTTP (each with its own node:http server, Cortado cache
 * and hot cache): a real protocol round trip, but sharing one event loop, so remote latency here
 * includes the owner's handler running on the same thread.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import hdr from 'hdr-histogram-js'
import { Cache, PeerGroup } from '../../src/index.js'
import { makeKeys, makeValues, scatteredZipfIndices } from '../harness/data.js'
import { formatCount } from '../harness/format.js'
import type { Figure, Row } from '../harness/results.js'
import { median } from '../harness/stats.js'
import type { Suite, SuiteContext } from './types.js'

type Histogram = ReturnType<typeof hdr.build>

const INSTANCES = 3
const ZIPF_S = 0.99
const VALUE_BYTES = 100
/** Requests in flight per instance, as a service handling that many requests at once. */
const LANES = 16
/** What an origin load costs (a database query, a render): a timer of this many ms. */
const ORIGIN_MS = 2
const HOT_CACHE_BYTES = 4 << 20
const GROUP = 'peer-group'
const INDEPENDENT = 'independent'

interface Sizes {
  keys: number
  requestsPerInstance: number
  streamRounds: number
  classRounds: number
  classMs: number
}

function sizes(ctx: Pick<SuiteContext, 'quick' | 'rounds'>): Sizes {
  return ctx.quick
    ? { keys: 300, requestsPerInstance: 2500, streamRounds: 1, classRounds: 1, classMs: 300 }
    : { keys: 2000, requestsPerInstance: 20_000, streamRounds: Math.min(ctx.rounds, 3), classRounds: ctx.rounds, classMs: 500 }
}

function histogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e11, numberOfSignificantValueDigits: 3, autoResize: true })
}

/** What each contender does per request: an instance's `get`. */
interface Instance {
  id: string
  get(key: string): Promise<unknown>
}

interface Setup {
  instances: Instance[]
  originLoads(): number
  close(): Promise<void>
  groups: PeerGroup<string>[]
}

function originLoader(values: readonly string[], counter: { loads: number }) {
  return async (key: string): Promise<string> => {
    counter.loads++
    await new Promise((resolve) => setTimeout(resolve, ORIGIN_MS))
    return values[parseInt(key.slice(1), 36) % values.length]!
  }
}

function newCache(): Cache<string> {
  return new Cache<string>({ maxBytes: 16 << 20 })
}

async function independentSetup(values: readonly string[]): Promise<Setup> {
  const counter = { loads: 0 }
  const load = originLoader(values, counter)
  const caches = Array.from({ length: INSTANCES }, newCache)
  return {
    instances: caches.map((cache, i) => ({ id: `cache ${i}`, get: (key: string) => cache.getOrLoad(key, load) })),
    originLoads: () => counter.loads,
    close: async () => caches.forEach((c) => c.close()),
    groups: [],
  }
}

async function groupSetup(values: readonly string[], hot: boolean): Promise<Setup> {
  const counter = { loads: 0 }
  const load = originLoader(values, counter)
  const groups: PeerGroup<string>[] = []
  const servers = await Promise.all(Array.from({ length: INSTANCES }, (_, i) => new Promise<Server>((resolve) => {
    const server = createServer((req, res) => void groups[i]!.handle(req, res))
    server.listen(0, '127.0.0.1', () => resolve(server))
  })))
  const peers = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`)
  const caches = peers.map(newCache)
  for (const [i, self] of peers.entries()) {
    groups.push(new PeerGroup<string>({ self, peers, cache: caches[i]!, load, hotCache: hot ? { maxBytes: HOT_CACHE_BYTES } : undefined, timeoutMs: 30_000 }))
  }
  return {
    instances: groups.map((g) => ({ id: g.self, get: (key: string) => g.get(key) })),
    originLoads: () => counter.loads,
    close: async () => {
      await Promise.all(groups.map((g) => g.close()))
      await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r) })))
      caches.forEach((c) => c.close())
    },
    groups,
  }
}

/** `LANES` loops per instance, each taking the instance's next request from the shared stream. */
async function runStream(setup: Setup, keys: readonly string[], stream: Uint32Array, hist: Histogram): Promise<{ requests: number; ns: number }> {
  const start = process.hrtime.bigint()
  await Promise.all(setup.instances.map(async (instance, i) => {
    // Request n of the stream goes to instance n mod INSTANCES, as a round-robin load balancer sends it.
    let next = i
    const lane = async () => {
      while (next < stream.length) {
        const n = next
        next += INSTANCES
        const t0 = process.hrtime.bigint()
        await instance.get(keys[stream[n]!]!)
        hist.recordValue(Number(process.hrtime.bigint() - t0))
      }
    }
    await Promise.all(Array.from({ length: LANES }, lane))
  }))
  return { requests: stream.length, ns: Number(process.hrtime.bigint() - start) }
}

/** Gets of `keysOf(instance)` for `ms` with `lanes` in flight per instance: requests/s, latencies into `hist`. */
async function runClass(setup: Setup, keysOf: (i: number) => readonly string[], ms: number, lanes: number, hist: Histogram): Promise<number> {
  const deadline = process.hrtime.bigint() + BigInt(ms * 1e6)
  let done = 0
  const start = process.hrtime.bigint()
  await Promise.all(setup.instances.map(async (instance, i) => {
    const keys = keysOf(i)
    let next = 0
    const lane = async () => {
      while (process.hrtime.bigint() < deadline) {
        const key = keys[next++ % keys.length]!
        const t0 = process.hrtime.bigint()
        await instance.get(key)
        hist.recordValue(Number(process.hrtime.bigint() - t0))
        done++
      }
    }
    await Promise.all(Array.from({ length: lanes }, lane))
  }))
  return done / (Number(process.hrtime.bigint() - start) / 1e9)
}

interface ClassFigures {
  name: string
  id: string
  /** Requests/s with LANES in flight per instance, one per round. */
  rps: number[]
  /** Latency of one get at a time per instance (no queueing behind other gets of this process), all rounds. */
  alone: Histogram
}

async function measureClass(setup: Setup, keysOf: (i: number) => readonly string[], ms: number, into: ClassFigures): Promise<void> {
  // One at a time first: after the loaded run, the event loop still settles (sockets, GC) for a while.
  await runClass(setup, keysOf, ms, 1, into.alone)
  into.rps.push(await runClass(setup, keysOf, ms, LANES, histogram()))
}

export const peers: Suite = {
  kind: 'suite',
  id: 'peers',
  title: 'PeerGroup: 3 peers vs 3 independent caches',
  plan: (ctx) => sizes(ctx).streamRounds * 2 + sizes(ctx).classRounds * 4,
  async run(ctx) {
    const s = sizes(ctx)
    const keys = makeKeys(s.keys)
    const values = makeValues(1024, 'string', VALUE_BYTES) as string[]
    const stream = scatteredZipfIndices(s.keys, ZIPF_S, s.requestsPerInstance * INSTANCES, 17)
    const kase = `${INSTANCES} instances · Zipf(${ZIPF_S}) over ${formatCount(s.keys)} keys · ${formatCount(stream.length)} requests`
    const streamMethod =
      `the same stream of ${formatCount(stream.length)} gets (Zipf ${ZIPF_S} over ${formatCount(s.keys)} keys, ${VALUE_BYTES}-byte string values) ` +
      `sent round-robin to ${INSTANCES} instances with ${LANES} gets in flight each, from cold caches; an origin load is a ${ORIGIN_MS} ms timer; ` +
      `${GROUP}: ${INSTANCES} PeerGroups in this process on loopback HTTP, each with a 16 MiB cache and a ${HOT_CACHE_BYTES >> 20} MiB hot cache; ` +
      `${INDEPENDENT}: ${INSTANCES} 16 MiB caches with getOrLoad; median of ${s.streamRounds} alternating round(s) with fresh caches`

    const loads = new Map<string, number[]>([[GROUP, []], [INDEPENDENT, []]])
    const rps = new Map<string, number[]>([[GROUP, []], [INDEPENDENT, []]])
    const streamHists = new Map<string, Histogram>([[GROUP, histogram()], [INDEPENDENT, histogram()]])
    for (let round = 0; round < s.streamRounds; round++) {
      const order = round % 2 === 0 ? [GROUP, INDEPENDENT] : [INDEPENDENT, GROUP]
      for (const id of order) {
        ctx.progress.tick(`stream round ${round + 1}/${s.streamRounds} ${id}`)
        const setup = id === GROUP ? await groupSetup(values, true) : await independentSetup(values)
        try {
          const r = await runStream(setup, keys, stream, streamHists.get(id)!)
          loads.get(id)!.push(setup.originLoads())
          rps.get(id)!.push(r.requests / (r.ns / 1e9))
        } finally {
          await setup.close()
        }
      }
    }
    const groupLoads = median(loads.get(GROUP)!)
    const independentLoads = median(loads.get(INDEPENDENT)!)
    // The best a group can do: each distinct key once; independent caches: once per instance that sees it.
    const distinct = new Set(stream).size
    const perInstance = Array.from({ length: INSTANCES }, (_, i) => new Set(stream.filter((_, n) => n % INSTANCES === i)).size)
    const ideal = perInstance.reduce((a, b) => a + b, 0) / distinct
    ctx.emit({
      suite: 'peers', case: kase, params: { measure: 'origin-loads', keys: s.keys }, metric: 'loads', better: 'lower', method: streamMethod,
      figures: [
        { peer: GROUP, value: groupLoads, samples: loads.get(GROUP), note:
            `${(independentLoads / groupLoads).toFixed(2)}× fewer origin loads than ${INSTANCES} independent caches; the stream has ` +
            `${distinct} distinct keys and ${perInstance.join(' + ')} distinct per instance, so loading each key once in the group ` +
            `is ${ideal.toFixed(2)}× fewer (the ratio tends to ${INSTANCES}× as each instance sees the whole key set)`,
        },
        { peer: INDEPENDENT, value: independentLoads, samples: loads.get(INDEPENDENT) },
      ],
      skipped: [],
    })
    ctx.emit({
      suite: 'peers', case: kase, params: { measure: 'stream', keys: s.keys }, metric: 'ops/s', better: 'higher', method: streamMethod,
      figures: [GROUP, INDEPENDENT].map((id): Figure => {
        const h = streamHists.get(id)!
        return { peer: id, value: median(rps.get(id)!), samples: rps.get(id), extra: { p50ns: h.getValueAtPercentile(50), p99ns: h.getValueAtPercentile(99) } }
      }),
      skipped: [],
    })

    // Requests/s and latency by class of key, on warm caches.
    const classMethod =
      `per class and round, gets for ${s.classMs} ms one at a time per instance, each timed with process.hrtime.bigint() into an HDR ` +
      `histogram (latency, all rounds), then for ${s.classMs} ms with ${LANES} in flight per instance (requests/s, median of ` +
      `${s.classRounds} round(s), classes in rotated order); ${INSTANCES} instances in one process; ` +
      `owned: keys each peer owns, already loaded; hot: keys owned elsewhere, after one fetch put them in the hot cache; ` +
      `remote: keys owned elsewhere through PeerGroups without a hot cache, the owner holding the key (one loopback HTTP request each); ` +
      `independent hit: the same gets on an independent cache that holds the key`
    // Three warm setups side by side; each round measures every class, in a rotated order.
    const hotSetup = await groupSetup(values, true)
    const remoteSetup = await groupSetup(values, false)
    const plain = await independentSetup(values)
    const classes: ClassFigures[] = []
    try {
      const split = (setup: Setup) => ({
        owned: setup.groups.map((g) => keys.filter((k) => g.ownerOf(k) === g.self)),
        others: setup.groups.map((g) => keys.filter((k) => g.ownerOf(k) !== g.self)),
      })
      const hot = split(hotSetup)
      const remote = split(remoteSetup)
      // Warm: every key once at every hot-cache peer (owned keys load, the others become hot copies);
      // owned keys at the peers without a hot cache; every key in the independent caches.
      await Promise.all(hotSetup.groups.map((g) => Promise.all(keys.map((k) => g.get(k)))))
      await Promise.all(remoteSetup.groups.map((g, i) => Promise.all(remote.owned[i]!.map((k) => g.get(k)))))
      await Promise.all(plain.instances.map((inst) => Promise.all(keys.map((k) => inst.get(k)))))
      const plan: { name: string; id: string; setup: Setup; keysOf: (i: number) => readonly string[] }[] = [
        { name: 'owned (local hit)', id: GROUP, setup: hotSetup, keysOf: (i) => hot.owned[i]! },
        { name: 'hot copy', id: GROUP, setup: hotSetup, keysOf: (i) => hot.others[i]! },
        { name: 'remote (owner has it)', id: GROUP, setup: remoteSetup, keysOf: (i) => remote.others[i]! },
        { name: 'independent cache hit', id: INDEPENDENT, setup: plain, keysOf: () => keys },
      ]
      for (const c of plan) classes.push({ name: c.name, id: c.id, rps: [], alone: histogram() })
      for (let round = 0; round < s.classRounds; round++) {
        for (let j = 0; j < plan.length; j++) {
          const at = (j + round) % plan.length
          const c = plan[at]!
          ctx.progress.tick(`class round ${round + 1}/${s.classRounds} ${c.name}`)
          const before = c.setup.groups.map((g) => g.stats().peerFetches)
          await measureClass(c.setup, c.keysOf, s.classMs, classes[at]!)
          const fetched = c.setup.groups.reduce((n, g, i) => n + g.stats().peerFetches - before[i]!, 0)
          if (c.name !== 'remote (owner has it)' && fetched > 0) ctx.progress.log(`peers: ${fetched} gets of the '${c.name}' class went to an owner`)
        }
      }
    } finally {
      await Promise.all([hotSetup.close(), remoteSetup.close(), plain.close()])
    }
    for (const c of classes) {
      const extra = { p50ns: c.alone.getValueAtPercentile(50), p99ns: c.alone.getValueAtPercentile(99), gets: c.alone.totalCount }
      const row = (metric: string, better: 'higher' | 'lower', measure: string, value: number): Row => ({
        suite: 'peers', case: `get · ${c.name}`, params: { measure, keyClass: c.name }, metric, better, method: classMethod,
        figures: [{ peer: c.id, value, extra, ...(measure === 'class-rps' ? { samples: c.rps } : {}) }],
        skipped: [],
      })
      ctx.emit(row('ops/s', 'higher', 'class-rps', median(c.rps)))
      ctx.emit(row('ns', 'lower', 'class-p50', extra.p50ns))
      ctx.emit(row('ns', 'lower', 'class-p99', extra.p99ns))
    }
  },
}
