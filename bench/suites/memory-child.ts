/**
 * One peer alone in a fresh process: fill it with N distinct entries, collect, and report what the
 * process grew by and how long one forced full GC takes. Keys and values are made on the fly and only
 * the cache keeps them, as in a service that caches what it reads.
 */
import { KEY_BYTES } from '../harness/data.js'
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
}

/** Distinct keys read after the fill: more than the default front (16 MiB) holds of 100-byte values. */
const HOT_KEYS = 200_000

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

  const before = usage(gc)
  const cache = peer.create(spec)
  const t0 = performance.now()
  for (let i = 0; i < input.entries; i++) {
    const id = i.toString(36).padStart(width, '0')
    template.write(id, 0, 'latin1')
    cache.set(`k${id}`, template.toString('latin1'))
  }
  const fillMs = performance.now() - t0
  // Then the hot part is read, as a service does: twice each, enough keys to fill a front (a per-thread
  // heap of hot values, `cortado-front`) whole; other peers keep nothing of these reads.
  const hot = Math.min(input.entries, HOT_KEYS)
  for (let round = 0; round < 2; round++)
    for (let i = 0; i < hot; i++) cache.get(`k${i.toString(36).padStart(width, '0')}`)
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
  }
}

childMain(measure)
