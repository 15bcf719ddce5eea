/**
 * Where the service pool's PSS goes, process by process and region by region: the pool suite's servers
 * (pool-child.ts) under the same load, for each peer in alternating rounds, each process's PSS split by
 * its mappings (probes.ts pssRegions) with its V8 heap and young generation. Counts of bytes, not times.
 *
 *   npx tsx bench/service/pool-pss.ts [entries=1000000] [peers=lru-cache,cortado,floor] [rounds=1] [warmup=5] [measure=15]
 */
import { POOL_PATHS_SEED, POOL_WORKERS } from '../suites/service-pool.js'
import type { PoolInput, PoolProcess, PoolReport } from './pool-child.js'
import { memoryToolArgs, mib, runMemoryTool } from './memory-tool.js'

const args = memoryToolArgs(1_000_000, 'lru-cache,cortado,floor')
const { entries, warmupSeconds, measureSeconds } = args

function processLine(p: PoolProcess): string {
  const r = p.regions
  return `  ${p.role.padEnd(7)} PSS ${mib(p.pss).padStart(6)} = shm ${mib(r.shm)} + anon ${mib(r.anon)} + brk ${mib(r.brk)} + files ${mib(r.files)}; ` +
    `V8 heap ${mib(p.heapUsedBytes)} used of ${mib(p.heapTotalBytes)} (young ${mib(p.newSpaceBytes)}); RSS ${mib(p.rss)}`
}

await runMemoryTool<PoolReport>(args, {
  module: new URL('./pool-child.ts', import.meta.url),
  seed: POOL_PATHS_SEED,
  startTimeoutMs: 10 * 60_000,
  start: (peer, keySpace) => ({ peer, entries, keySpace, workers: POOL_WORKERS }) satisfies PoolInput,
  print(sessions, since) {
    console.log(`pool of ${POOL_WORKERS}, ${entries} entries, ${warmupSeconds} s warm-up + ${measureSeconds} s window, ${since.toISOString()} .. ${new Date().toISOString()} (MiB)`)
    for (const [peer, list] of sessions) {
      list.forEach((s, i) => {
        const r = s.server
        const hit = r.hits / Math.max(1, r.hits + r.misses)
        const extra = r.floorExtraBytes ? `; less copies but one and offsets ${mib(r.floorExtraBytes)} = ${mib(r.pssBytes - r.floorExtraBytes)}` : ''
        console.log(`${peer} round ${i + 1}: pool PSS ${mib(r.pssBytes)}${r.shmUnmappedBytes !== undefined ? ` (of which shm pages no process maps ${mib(r.shmUnmappedBytes)})` : ''}${extra}; ` +
          `hit ratio ${(hit * 100).toFixed(1)}%, ${(r.requests / (r.windowMs / 1000)).toFixed(0)} req/s, fill ${(s.fillMs / 1000).toFixed(1)} s`)
        for (const p of r.processes) console.log(processLine(p))
      })
    }
  },
})
