/**
 * How tight can Cortado's arena be for the service's records without costing hit ratio? For each
 * fraction of `Cache.maxBytesFor(entries, longest entry)`, a fresh process fills a cache as the service
 * does (the `entries` most popular records), then replays the service's request stream (get; on a miss
 * set: cache-aside) and reports the entries held, the hit ratio, and its RSS; lru-cache (max = entries)
 * replays the same stream for reference. No HTTP: this is about bytes and hits, not time.
 *
 *   npx tsx bench/service/sizing.ts [entries=1000000] [requests=2000000] [fractions=1,0.9,0.85,0.8]
 */
import { childMain, runChild } from '../harness/child.js'
import { fullGc } from '../harness/gc.js'
import { cortadoMaxBytes, loadCortado } from '../peers/cortado.js'
import { createPeerCache, fillHottest } from './caches.js'
import { keySpaceFor, requestPaths } from './keys.js'
import { ITEM_PATH, itemKey, recordBytes, recordJson } from './record.js'

interface Input {
  peer: string
  entries: number
  requests: number
  /** Cortado's maxBytes as a fraction of maxBytesFor's. */
  fraction: number
}

interface Output {
  maxBytes: number
  sizeAfterFill: number
  sizeAfterReplay: number
  hitRatio: number
  rssBytes: number
  baseRssBytes: number
}

async function measure(input: Input): Promise<Output> {
  const keySpace = keySpaceFor(input.entries)
  const paths = requestPaths(keySpace, 20, input.requests)
  const gc = fullGc()
  gc()
  const baseRssBytes = process.memoryUsage().rss
  let maxBytes = 0
  let cache
  if (input.peer === 'cortado') {
    const mod = await loadCortado()
    if (typeof mod === 'string') throw new Error(mod)
    const spec = { entries: input.entries, valueKind: 'string' as const, ...recordBytes(keySpace) }
    maxBytes = Math.floor((cortadoMaxBytes(spec) * input.fraction) / 65536) * 65536
    cache = new mod.Cache({ maxBytes, maxEntries: input.entries, codec: 'string' }) as unknown as {
      get(k: string): string | undefined
      set(k: string, v: string): unknown
      size: number
    }
  } else cache = await createPeerCache(input.peer, input.entries, keySpace)
  fillHottest(cache, input.entries, keySpace)
  const sizeAfterFill = cache.size
  let hits = 0
  for (const p of paths) {
    const id = p.slice(ITEM_PATH.length)
    const key = itemKey(id)
    if (cache.get(key) !== undefined) hits++
    else cache.set(key, recordJson(Number(id)))
  }
  gc()
  return { maxBytes, sizeAfterFill, sizeAfterReplay: cache.size, hitRatio: hits / paths.length, rssBytes: process.memoryUsage().rss, baseRssBytes }
}

// The driver marks its children (they inherit its environment): a child measures, the driver forks.
const CHILD = 'CORTADO_BENCH_SIZING_CHILD'
if (process.env[CHILD] === '1') childMain(measure)
else {
  process.env[CHILD] = '1'
  const entries = Number(process.argv[2] ?? 1_000_000)
  const requests = Number(process.argv[3] ?? 2_000_000)
  const fractions = (process.argv[4] ?? '1,0.9,0.85,0.8').split(',').map(Number)
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`
  const runs: Input[] = [{ peer: 'lru-cache', entries, requests, fraction: 1 }, ...fractions.map((fraction) => ({ peer: 'cortado', entries, requests, fraction }))]
  for (const input of runs) {
    const o = await runChild<Input, Output>(new URL(import.meta.url), input, { nodeFlags: ['--expose-gc'], timeoutMs: 30 * 60_000 })
    const label = input.peer === 'cortado' ? `cortado ×${input.fraction} (maxBytes ${mib(o.maxBytes)}, ${(o.maxBytes / entries).toFixed(0)} B/entry)` : 'lru-cache'
    console.log(
      `${label}: held ${o.sizeAfterFill} after the fill, ${o.sizeAfterReplay} after ${requests} requests; hit ratio ${(o.hitRatio * 100).toFixed(2)}%; ` +
        `RSS ${mib(o.rssBytes)} (${mib(o.rssBytes - o.baseRssBytes)} over the process before the cache, ${((o.rssBytes - o.baseRssBytes) / entries).toFixed(0)} B/entry)`,
    )
  }
}
