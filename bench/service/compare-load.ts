/**
 * The old load generator against the new, alternated against one server: autocannon in this process
 * taking each path from a `setupRequest` callback (the service suite's harness until 2026-12-02) and
 * the load process of load-child.ts (prebuilt request bytes, a slice of the stream per connection).
 * Prints requests/s and the CPU time per request of each side, from /proc/<pid>/stat for the server and
 * process.cpuUsage for the load generator.
 *
 *   npx tsx bench/service/compare-load.ts [peer=lru-cache] [entries=1000000] [seconds=5] [rounds=3]
 */
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { ServerProcess } from './ipc.js'
import { keySpaceFor, requestPaths, STREAM_LENGTH } from './keys.js'
import { LoadGenerator } from './load.js'
import type { StartInput } from './server-child.js'

const CONNECTIONS = 32
const SEED = 20

/** CPU time (user + system) of a process so far, µs. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100)
}

/** Where the old load generator's stream goes on from: every run asks for requests not asked before. */
let cursor = 0

async function oldLoad(port: number, paths: readonly string[], seconds: number): Promise<{ requests: number; cpuUs: number }> {
  const cpu0 = process.cpuUsage()
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          req.path = paths[cursor++ % paths.length]!
          return req
        },
      },
    ],
  })
  const cpu = process.cpuUsage(cpu0)
  return { requests: result['2xx'], cpuUs: cpu.user + cpu.system }
}

const peer = process.argv[2] ?? 'lru-cache'
const entries = Number(process.argv[3] ?? 1_000_000)
const seconds = Number(process.argv[4] ?? 5)
const rounds = Number(process.argv[5] ?? 3)
const keySpace = keySpaceFor(entries)
// Another seed than the load process's stream: neither load generator replays requests the other made
// (a replayed miss would be a hit, and a cheaper request); both go on through their streams.
const paths = requestPaths(keySpace, SEED + 1, STREAM_LENGTH)
const server = await ServerProcess.spawn(new URL('./server-child.ts', import.meta.url), ['--expose-gc'])
const load = await LoadGenerator.start({ keySpace, seed: SEED, length: STREAM_LENGTH, connections: CONNECTIONS })
try {
  const { port } = await server.call<{ port: number }>('start', { peer, entries, keySpace } satisfies StartInput, 10 * 60_000)
  const pid = server.pid!
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['setupRequest', 'prebuilt'] : ['prebuilt', 'setupRequest']
    for (const kind of order) {
      await server.call('window', undefined, 10_000)
      const s0 = cpuOf(pid)
      let requests: number
      let clientUs: number
      if (kind === 'prebuilt') {
        const r = await load.run({ port, seconds, fromStart: round === 0 })
        requests = r.requests
        clientUs = r.cpuUsPerRequest * r.requests
      } else ({ requests, cpuUs: clientUs } = await oldLoad(port, paths, seconds))
      const serverUs = cpuOf(pid) - s0
      const { hits, misses } = await server.call<{ hits: number; misses: number }>('report', undefined, 30_000)
      console.log(
        `${peer} ${entries} round ${round + 1} ${kind.padEnd(12)} ${(requests / seconds / 1000).toFixed(1)}k req/s; ` +
          `CPU per request: load generator ${(clientUs / requests).toFixed(1)} µs, server ${(serverUs / requests).toFixed(1)} µs; ` +
          `hit ratio ${((hits / (hits + misses)) * 100).toFixed(1)}%`,
      )
    }
  }
} finally {
  await load.stop()
  await server.stop()
}
