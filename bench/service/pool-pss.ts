/**
 * Where the service pool's PSS goes, process by process and region by region: the pool suite's servers
 * (pool-child.ts) under the same load, for each peer in alternating rounds, each process's PSS split by
 * its mappings (probes.ts pssRegions) with its V8 heap and young generation. Counts of bytes, not times.
 *
 *   npx tsx bench/service/pool-pss.ts [entries=1000000] [peers=lru-cache,cortado,floor] [rounds=1] [warmup=5] [measure=15]
 */
import { CONNECTIONS } from '../suites/service.js'
import { POOL_PATHS_SEED, POOL_WORKERS } from '../suites/service-pool.js'
import { LoadGenerator } from './load.js'
import { STREAM_LENGTH, keySpaceFor } from './keys.js'
import type { PoolInput, PoolProcess, PoolReport } from './pool-child.js'
import { alternate, runSession } from './session.js'

const entries = Number(process.argv[2] ?? 1_000_000)
const peers = (process.argv[3] ?? 'lru-cache,cortado,floor').split(',')
const rounds = Number(process.argv[4] ?? 1)
const warmupSeconds = Number(process.argv[5] ?? 5)
const measureSeconds = Number(process.argv[6] ?? 15)
const mib = (b: number) => (b / 2 ** 20).toFixed(1)

function processLine(p: PoolProcess): string {
  const r = p.regions
  return `  ${p.role.padEnd(7)} PSS ${mib(p.pss).padStart(6)} = shm ${mib(r.shm)} + anon ${mib(r.anon)} + brk ${mib(r.brk)} + files ${mib(r.files)}; ` +
    `V8 heap ${mib(p.heapUsedBytes)} used of ${mib(p.heapTotalBytes)} (young ${mib(p.newSpaceBytes)}); RSS ${mib(p.rss)}`
}

const keySpace = keySpaceFor(entries)
const load = await LoadGenerator.start({ keySpace, seed: POOL_PATHS_SEED, length: STREAM_LENGTH, connections: CONNECTIONS })
const t0 = new Date()
try {
  const progress = { tick: (s: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${s}`), log: (s: string) => console.error(s), step() {} }
  const { sessions, failed } = await alternate<PoolReport>(peers, rounds, progress as never, (peer) =>
    runSession<PoolReport>({
      module: new URL('./pool-child.ts', import.meta.url),
      start: { peer, entries, keySpace, workers: POOL_WORKERS } satisfies PoolInput,
      load,
      warmupSeconds,
      measureSeconds,
      startTimeoutMs: 10 * 60_000,
    }),
  )
  console.log(`pool of ${POOL_WORKERS}, ${entries} entries, ${warmupSeconds} s warm-up + ${measureSeconds} s window, ${t0.toISOString()} .. ${new Date().toISOString()} (MiB)`)
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
  for (const [peer, reason] of failed) console.log(`${peer}: failed: ${reason}`)
} finally {
  await load.stop()
}
