/**
 * One worker of the scaling suite: attaches to the shared Cortado cache, or builds its own lru-cache,
 * then runs the Zipf 90/10 workload for as long as each `run` message asks. Every set stores a freshly
 * made value (as a service caching what it just read would), so both kinds of cache pay for the value
 * and the lru-cache's heap really holds it; the key is a fresh copy too.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { LRUCache } from 'lru-cache'
import { makeKeys, opMix, scatteredZipfIndices } from '../harness/data.js'
import { fullGc } from '../harness/gc.js'
import { attachCortado, cortadoMaxBytes, createCortado, loadCortado, type CortadoCache } from '../peers/cortado.js'

/** Shards of the cache shared by the worker threads. */
export const POOL_SHARDS = 16
import type { CacheSpec, Value } from '../peers/types.js'

export interface ThreadConfig {
  mode: 'cortado' | 'lru-cache'
  /**
   * In 'cortado' mode, the first thread creates the shared cache from this spec and answers 'ready' with
   * its handle; the others attach to `handle`. Creating it in a worker rather than the main thread means
   * every thread compiles the WebAssembly core from disk within seconds of each other, so a rebuild of
   * the core during a long run cannot leave them on different builds (which Cache.attach refuses).
   */
  create: CacheSpec | undefined
  handle: unknown
  keys: number
  capacity: number
  zipfS: number
  setFraction: number
  valueBytes: number
  seed: number
}

export type ThreadRequest = { cmd: 'fill' } | { cmd: 'run'; ms: number } | { cmd: 'memory' } | { cmd: 'close' }
export interface RunReply {
  ops: number
  ns: number
  hits: number
  gets: number
}
export interface MemoryReply {
  entries: number
  /** Growth of this thread's V8 heap since before the cache existed (after two full GCs). */
  heapBytes: number
  /** For the shared Cortado cache: bytes of live entries plus the arena's index and metadata. */
  arenaBytes: number
}

export interface ReadyReply {
  /** The shared cache's handle, from the thread that created it. */
  handle: unknown
}

interface Store {
  get(key: string): Value | undefined
  set(key: string, value: Value): unknown
}

const SEQUENCE = 1 << 20
const CHUNK = 1024
const config = workerData as ThreadConfig
const port = parentPort!

async function main(): Promise<void> {
  const keys = makeKeys(config.keys)
  const idx = scatteredZipfIndices(config.keys, config.zipfS, SEQUENCE, config.seed)
  const ops = opMix(SEQUENCE, config.setFraction, config.seed + 1)
  const template = Buffer.alloc(config.valueBytes, 'abcdefghijklmnopqrstuvwxyz0123456789')
  const gc = fullGc()
  gc()
  const heapBefore = process.memoryUsage().heapUsed

  // The loop calls the cache's own get/set (no wrapper), as the single-thread suites do.
  let store: Store
  let entries: () => number
  let arenaBytes = (): number => 0
  let close: () => void
  let handle: unknown
  if (config.mode === 'cortado') {
    const loaded = await loadCortado()
    if (typeof loaded === 'string') throw new Error(loaded)
    // A cache for a thread pool gets enough shards that threads rarely meet on a lock (docs/api.md: shards).
    const shared: CortadoCache = config.create ? createCortado(config.create, { shards: POOL_SHARDS }) : attachCortado(config.handle)
    handle = shared.handle
    store = shared
    entries = () => shared.stats().entries
    arenaBytes = () => {
      const s = shared.stats()
      const arena = shared.geometry?.memBytes ?? cortadoMaxBytes(config.create!)
      return s.bytesUsed + (arena - s.bytesTotal)
    }
    close = () => shared.close()
  } else {
    const own = new LRUCache<string, Value>({ max: config.capacity })
    store = own
    entries = () => own.size
    close = () => own.clear()
  }

  let cursor = 0
  const run = (ms: number): RunReply => {
    let hits = 0
    let gets = 0
    let n = cursor
    const start = process.hrtime.bigint()
    const budget = BigInt(Math.round(ms * 1e6))
    let elapsed = 0n
    do {
      for (let i = 0; i < CHUNK; i++, n++) {
        const j = n & (SEQUENCE - 1)
        const key = keys[idx[j]!]!
        if (ops[j] === 1) {
          template.write(key, 0, 'latin1')
          store.set(template.toString('latin1', 0, key.length), template.toString('latin1'))
        } else {
          gets++
          if (store.get(key) !== undefined) hits++
        }
      }
      elapsed = process.hrtime.bigint() - start
    } while (elapsed < budget)
    const reply = { ops: n - cursor, ns: Number(elapsed), hits, gets }
    cursor = n
    return reply
  }

  // Every key once, so the rounds start from a full cache in its steady state rather than filling up.
  const fill = (): void => {
    for (let i = 0; i < keys.length; i++) {
      template.write(keys[i]!, 0, 'latin1')
      store.set(template.toString('latin1', 0, keys[i]!.length), template.toString('latin1'))
    }
  }

  port.on('message', (m: ThreadRequest) => {
    if (m.cmd === 'fill') {
      fill()
      port.postMessage('filled')
    } else if (m.cmd === 'run') port.postMessage(run(m.ms))
    else if (m.cmd === 'memory') {
      gc()
      gc()
      port.postMessage({ entries: entries(), heapBytes: process.memoryUsage().heapUsed - heapBefore, arenaBytes: arenaBytes() } satisfies MemoryReply)
    } else {
      close()
      port.close()
    }
  })
  port.postMessage({ handle } satisfies ReadyReply)
}

void main()
