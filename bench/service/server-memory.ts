/**
 * The single service server's memory under the service's load, per peer in alternating rounds: RSS and
 * PSS with its split (probes.ts), V8 heap, entries held. The service suite's session without its
 * timing rows or the 60 s GC window: for before/after comparisons of memory, not a verdict.
 *
 *   npx tsx bench/service/server-memory.ts [entries=5000000] [peers=cortado] [rounds=1] [warmup=5] [measure=15]
 */
import { CONNECTIONS, PATHS_SEED, memoryNote } from '../suites/service.js'
import { LoadGenerator } from './load.js'
import { STREAM_LENGTH, keySpaceFor } from './keys.js'
import type { ServerReport, StartInput } from './server-child.js'
import { alternate, runSession } from './session.js'

const entries = Number(process.argv[2] ?? 5_000_000)
const peers = (process.argv[3] ?? 'cortado').split(',')
const rounds = Number(process.argv[4] ?? 1)
const warmupSeconds = Number(process.argv[5] ?? 5)
const measureSeconds = Number(process.argv[6] ?? 15)
const mib = (b: number) => (b / 2 ** 20).toFixed(1)

const keySpace = keySpaceFor(entries)
const load = await LoadGenerator.start({ keySpace, seed: PATHS_SEED, length: STREAM_LENGTH, connections: CONNECTIONS })
const t0 = new Date()
try {
  const progress = { tick: (s: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${s}`), log: (s: string) => console.error(s), step() {} }
  const { sessions, failed } = await alternate<ServerReport>(peers, rounds, progress as never, (peer) =>
    runSession<ServerReport>({
      module: new URL('./server-child.ts', import.meta.url),
      start: { peer, entries, keySpace } satisfies StartInput,
      load,
      warmupSeconds,
      measureSeconds,
      startTimeoutMs: 20 * 60_000,
    }),
  )
  console.log(`one server, ${entries} entries, ${warmupSeconds} s warm-up + ${measureSeconds} s window, ${t0.toISOString()} .. ${new Date().toISOString()} (MiB)`)
  for (const [peer, list] of sessions) {
    list.forEach((s, i) => {
      const r = s.server
      console.log(`${peer} round ${i + 1}: RSS ${mib(r.rssBytes)}; ${memoryNote(r.memory)}; V8 heap ${mib(r.heapUsedBytes)} of ${mib(r.heapTotalBytes)}; ` +
        `${r.size} entries; hit ratio ${((r.hits / Math.max(1, r.hits + r.misses)) * 100).toFixed(2)}%; fill ${(s.fillMs / 1000).toFixed(1)} s`)
    })
  }
  for (const [peer, reason] of failed) console.log(`${peer}: failed: ${reason}`)
} finally {
  await load.stop()
}
