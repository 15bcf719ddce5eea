/**
 * The single service server's memory under the service's load, per peer in alternating rounds: RSS and
 * PSS with its split (probes.ts), V8 heap, entries held. The service suite's session without its
 * timing rows or the 60 s GC window: for before/after comparisons of memory, not a verdict.
 *
 *   npx tsx bench/service/server-memory.ts [entries=5000000] [peers=cortado] [rounds=1] [warmup=5] [measure=15]
 */
import { PATHS_SEED, memoryNote } from '../suites/service.js'
import type { ServerReport, StartInput } from './server-child.js'
import { memoryToolArgs, mib, runMemoryTool } from './memory-tool.js'

const args = memoryToolArgs(5_000_000, 'cortado')
const { entries, warmupSeconds, measureSeconds } = args

await runMemoryTool<ServerReport>(args, {
  module: new URL('./server-child.ts', import.meta.url),
  seed: PATHS_SEED,
  startTimeoutMs: 20 * 60_000,
  start: (peer, keySpace) => ({ peer, entries, keySpace }) satisfies StartInput,
  print(sessions, since) {
    console.log(`one server, ${entries} entries, ${warmupSeconds} s warm-up + ${measureSeconds} s window, ${since.toISOString()} .. ${new Date().toISOString()} (MiB)`)
    for (const [peer, list] of sessions) {
      list.forEach((s, i) => {
        const r = s.server
        console.log(`${peer} round ${i + 1}: RSS ${mib(r.rssBytes)}; ${memoryNote(r.memory)}; V8 heap ${mib(r.heapUsedBytes)} of ${mib(r.heapTotalBytes)}; ` +
          `${r.size} entries; hit ratio ${((r.hits / Math.max(1, r.hits + r.misses)) * 100).toFixed(2)}%; fill ${(s.fillMs / 1000).toFixed(1)} s`)
      })
    }
  },
})
