/**
 * Where a service server's CPU goes, per request: one session of the service suite (same server, same
 * load, same warm-up and window) with the server under `node --cpu-prof`, for each peer named, one after
 * the other; then the profile's samples inside the request handler (serveRecord) split by what the
 * handler calls: the cache's get, the cache-aside set and the origin on a miss, JSON, the response.
 * The handler's own share of the server's samples says how much any change to the cache can move
 * requests/s; `floor` (floor.ts) is the same handler over a store that costs nothing.
 *
 *   npx tsx bench/service/profile.ts [peers=cortado,floor] [entries=1000000] [seconds=15]
 *
 * The sampling profiler slows the server (~10-20%) and a loaded host moves the split: read shares and
 * differences between peers of one run, not absolute microseconds.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ServerProcess } from './ipc.js'
import { STREAM_LENGTH, keySpaceFor } from './keys.js'
import { LoadGenerator } from './load.js'
import type { ServerReport, StartInput } from './server-child.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** What the handler's callees are grouped into; the first match on the path from the handler down wins. */
const GROUPS: readonly [string, RegExp][] = [
  ['cache get', /^(get|getArena|getSlow|decode.*|read.*String.*)$/],
  ['origin (miss)', /^recordJson$/],
  ['cache set (miss)', /^(set|setArena|encode.*)$/],
  ['JSON.parse', /^parse$/],
  ['JSON.stringify', /^stringify$/],
  ['response (writeHead, end)', /^(writeHead|end|_implicitHeader|write_|_send|_writeRaw|_storeHeader)$/],
  ['probe (histogram)', /^record$/],
]

export interface HandlerSplit {
  /** Server samples in the profile, and those inside the handler. */
  samples: number
  handler: number
  /** Samples per group (the handler's direct callees and below), and the handler's own code. */
  groups: Map<string, number>
  /** The heaviest functions by self samples inside the handler. */
  topSelf: [string, number][]
  intervalUs: number
}

export function splitHandler(profile: CpuProfile): HandlerSplit {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const groups = new Map<string, number>()
  const self = new Map<string, number>()
  let handler = 0
  // The group of each sampled node: walk up to the handler, remembering the group of the node just
  // below it chain-wise (the outermost match wins, so get's own callees count as get).
  const memo = new Map<number, string | null>()
  const groupOf = (id: number): string | null => {
    if (memo.has(id)) return memo.get(id)!
    let group: string | null = null
    let found = false
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName
      if (name === 'serveRecord') {
        found = true
        group ??= 'handler itself and other'
        break
      }
      const match = GROUPS.find(([, re]) => re.test(name))
      if (match) group = match[0]
    }
    const out = found ? group : null
    memo.set(id, out)
    return out
  }
  for (const id of profile.samples) {
    const g = groupOf(id)
    if (g === null) continue
    handler++
    groups.set(g, (groups.get(g) ?? 0) + 1)
    const f = byId.get(id)!.callFrame
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
    self.set(name, (self.get(name) ?? 0) + 1)
  }
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0)
  return {
    samples: profile.samples.length,
    handler,
    groups,
    topSelf: [...self].sort((a, b) => b[1] - a[1]).slice(0, 15),
    intervalUs: total / Math.max(1, profile.samples.length),
  }
}

async function profileOne(peer: string, entries: number, seconds: number, load: LoadGenerator): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `cortado-prof-${peer}-`))
  const server = await ServerProcess.spawn(new URL('./server-child.ts', import.meta.url), ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${dir}`])
  let report: ServerReport
  try {
    const started = await server.call<{ port: number }>('start', { peer, entries, keySpace: keySpaceFor(entries) } satisfies StartInput, 10 * 60_000)
    await load.run({ port: started.port, seconds: 5, fromStart: true })
    await server.call('window', undefined, 10_000)
    await load.run({ port: started.port, seconds, fromStart: false })
    report = await server.call<ServerReport>('report', undefined, 30_000)
  } finally {
    await server.stop(60_000)
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error(`no profile written in ${dir}`)
  const split = splitHandler(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile)
  // The profile covers the whole process (fill, warm-up, window): read shares, not times per request.
  const secondsOf = (n: number) => (n * split.intervalUs) / 1e6
  console.log(`\n${peer}, ${entries} entries: profile ${join(dir, file)}; ${split.samples} samples of ${split.intervalUs.toFixed(0)} µs, ${split.handler} in the handler (${((split.handler / split.samples) * 100).toFixed(1)}%); window: ${report.requests} requests, server CPU ${(report.cpuUs / report.requests).toFixed(1)} µs/request`)
  for (const [g, n] of [...split.groups].sort((a, b) => b[1] - a[1]))
    console.log(`  ${g.padEnd(28)} ${((n / split.handler) * 100).toFixed(1).padStart(5)}% of the handler, ${((n / split.samples) * 100).toFixed(1).padStart(5)}% of the server (${secondsOf(n).toFixed(2)} s)`)
  console.log('  heaviest functions in the handler (self samples):')
  for (const [name, n] of split.topSelf) console.log(`    ${String(n).padStart(6)}  ${name}`)
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const peers = (process.argv[2] ?? 'cortado,floor').split(',')
  const entries = Number(process.argv[3] ?? 1_000_000)
  const seconds = Number(process.argv[4] ?? 15)
  const load = await LoadGenerator.start({ keySpace: keySpaceFor(entries), seed: 20, length: STREAM_LENGTH, connections: 32 })
  try {
    for (const peer of peers) await profileOne(peer, entries, seconds, load)
  } finally {
    await load.stop()
  }
}
