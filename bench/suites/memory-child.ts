/**
 * One peer alone in a fresh process: fill it with N distinct entries, collect, and report what the
 * process grew by and how long one forced full GC takes. Keys and values are made on the fly and only
 * the cache keeps them, as in a service that caches what it reads.
 */
import { KEY_BYTES, scatteredZipfIndices } from '../harness/data.js'
import { childMain } from '../harness/child.js'
import { fullGc } from '../harness/gc.js'
import { selectPeers } from '../peers/index.js'

export interface MemoryInput {
  peer: string
  entries: number
  valueBytes: number
  /** Forced collections timed after the fill (the figure is their median). */
  gcRuns: number
}

export interface MemoryOutput {
  size: number
  rssBytes: number
  heapBytes: number
  externalBytes: number
  gcMs: number[]
  fillMs: number
  /** Keys read back after the fill that were missing (a sanity check of the fill). */
  missingOfSample: number
  /** Gets after the fill (HOT_GETS), and those a front served (a peer with `stats().frontHits`, else 0). */
  hotGets: number
  frontHits: number
}

/**
 * Reads after the fill, Zipf(0.99) over all the keys (hot keys scattered), as a service reads: enough to
 * fill a front (a per-thread heap of hot values, `cortado-front`) to its budget and keep it paying, so the
 * figures are those of a full front (issue 19's heap and GC rows). Until stop 45 the first 200k keys were
 * read twice: more than a 16 MiB front holds, read in a cycle, so it stood aside after ~25k fills.
 */
const HOT_GETS = 2_000_000

/** The key of each read: one string per distinct key, shared by its reads. */
function hotKeyNames(hot: Uint32Array, width: number): string[] {
  const made = new Map<number, string>()
  const names = new Array<string>(hot.length)
  for (let i = 0; i < hot.length; i++) {
    const at = hot[i]!
    let key = made.get(at)
    if (key === undefined) made.set(at, (key = `k${at.toString(36).padStart(width, '0')}`))
    names[i] = key
  }
  return names
}

function usage(gc: () => void): NodeJS.MemoryUsage {
  gc()
  gc()
  return process.memoryUsage()
}

async function measure(input: MemoryInput): Promise<MemoryOutput> {
  const { runnable, unavailable } = await selectPeers([input.peer])
  const peer = runnable.find((p) => p.id === input.peer)
  if (!peer) throw new Error(unavailable.find((u) => u.peer === input.peer)?.reason ?? `peer ${input.peer} unavailable`)
  const gc = fullGc()
  const spec = { entries: input.entries, valueKind: 'string' as const, keyBytes: KEY_BYTES, valueBytes: input.valueBytes }
  const template = Buffer.alloc(input.valueBytes, 'abcdefghijklmnopqrstuvwxyz0123456789')
  const width = KEY_BYTES - 1

  const hot = scatteredZipfIndices(input.entries, 0.99, HOT_GETS, 0x5eed)
  const before = usage(gc)
  const cache = peer.create(spec)
  const t0 = performance.now()
  for (let i = 0; i < input.entries; i++) {
    const id = i.toString(36).padStart(width, '0')
    template.write(id, 0, 'latin1')
    cache.set(`k${id}`, template.toString('latin1'))
  }
  const fillMs = performance.now() - t0
  // Then the hot part is read. Each key string is made once, before the reads (a front is keyed by its
  // string, and the Map of names growing or a scavenge of fresh keys inside its timed windows would leave
  // it to its self-timing), and the strings go before the heap is measured: what a cache kept of them is
  // its own.
  let names: string[] | undefined = hotKeyNames(hot, width)
  for (let i = 0; i < names.length; i++) cache.get(names[i]!)
  names = undefined
  const frontHits = (cache as Partial<{ stats(): { frontHits?: number } }>).stats?.().frontHits ?? 0
  const after = usage(gc)

  const gcMs: number[] = []
  for (let r = 0; r < input.gcRuns; r++) {
    const start = process.hrtime.bigint()
    gc()
    gcMs.push(Number(process.hrtime.bigint() - start) / 1e6)
  }

  let missingOfSample = 0
  const step = Math.max(1, Math.floor(input.entries / 1000))
  for (let i = input.entries - 1; i >= 0; i -= step) {
    if (cache.get(`k${i.toString(36).padStart(width, '0')}`) === undefined) missingOfSample++
  }
  const size = cache.size
  // Keep the cache alive through the measurements above.
  cache.close()
  return {
    size,
    rssBytes: after.rss - before.rss,
    heapBytes: after.heapUsed - before.heapUsed,
    externalBytes: after.external - before.external,
    gcMs,
    fillMs,
    missingOfSample,
    hotGets: hot.length,
    frontHits,
  }
}

childMain(measure)
