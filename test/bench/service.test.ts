/**
 * The service suite's moving parts on a small cache: a real server child per peer on loopback, real
 * autocannon load, and the rows and targets made from them. Nothing here asserts a speed.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { idOfRank, keySpaceFor, rankOfId, requestPaths } from '../../bench/service/keys.js'
import { FloorStore } from '../../bench/service/floor.js'
import { poolMemory } from '../../bench/suites/service-pool.js'
import { itemKey, recordBytes, recordJson } from '../../bench/service/record.js'
import { runSession, type Session } from '../../bench/service/session.js'
import { LoadGenerator } from '../../bench/service/load.js'
import type { WindowReport } from '../../bench/service/probes.js'
import type { ServerReport } from '../../bench/service/server-child.js'
import type { PoolReport } from '../../bench/service/pool-child.js'
import { handlerPercentiles } from '../../bench/service/probes.js'
import { serviceRows } from '../../bench/service/rows.js'
import { roundOrder } from '../../bench/service/session.js'
import { nativeBuilt } from '../conformance/engines.js'
import { Cache } from '../../src/index.js'
import { BUNDLE_DIR, bundledEntry } from '../../bench/harness/bundle.js'
import type { Runtime } from '../../bench/service/probes.js'

const SERVER = new URL('../../bench/service/server-child.ts', import.meta.url)
const POOL = new URL('../../bench/service/pool-child.ts', import.meta.url)

describe('service workload', () => {
  it('ranks map to ids one to one, so the fill stores `entries` distinct records', () => {
    const space = keySpaceFor(10_000)
    const ids = new Set(Array.from({ length: space }, (_, r) => idOfRank(r, space)))
    expect(ids.size).toBe(space)
    expect(Math.max(...ids)).toBe(space - 1)
  })

  it('records are ~110-byte JSON and the sizing covers the longest', () => {
    for (const id of [0, 7, 99_999, 9_999_999]) {
      const json = recordJson(id)
      expect(JSON.parse(json).id).toBe(id)
      expect(json.length).toBeGreaterThanOrEqual(95)
      expect(json.length).toBeLessThanOrEqual(120)
    }
    expect(recordBytes(10_000_000).valueBytes).toBe(recordJson(9_999_999).length)
  })

  it('the request stream is skewed: the hottest id is asked far more than a uniform stream would', () => {
    const space = keySpaceFor(1000)
    const paths = requestPaths(space, 1, 20_000)
    const counts = new Map<string, number>()
    for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1)
    expect(counts.get(`/item/${idOfRank(0, space)}`)! / paths.length).toBeGreaterThan(20 / space)
  })

  it('rankOfId undoes idOfRank over the whole key space', () => {
    const space = keySpaceFor(10_000)
    for (let r = 0; r < space; r++) expect(rankOfId(idOfRank(r, space), space)).toBe(r)
    // The service's largest key space stays exact in doubles.
    const big = keySpaceFor(5_000_000)
    for (const r of [0, 1, 4_999_999, big - 1]) expect(rankOfId(idOfRank(r, big), big)).toBe(r)
  })

  it("the floor holds the hottest records' bytes and nothing more, and serves each as a fresh string", () => {
    const entries = 3000
    const space = keySpaceFor(entries)
    const floor = new FloorStore(entries, space, true)
    let payload = 0
    for (let r = 0; r < space; r++) {
      const id = idOfRank(r, space)
      const got = floor.get(itemKey(id))
      if (r < entries) {
        expect(got).toBe(recordJson(id))
        payload += recordJson(id).length + itemKey(id).length
      } else expect(got).toBeUndefined()
    }
    expect(floor.payloadBytes).toBe(payload)
    expect(floor.indexBytes).toBe(4 * (entries + 1))
    expect(floor.size).toBe(entries)
    // set stores nothing: the floor's records are fixed.
    const outside = idOfRank(entries, space)
    floor.set()
    expect(floor.get(itemKey(outside))).toBeUndefined()
    // Without a store (nothing kept), hits come from the origin: same answers, no payload held.
    const bare = new FloorStore(entries, space, false)
    expect(bare.get(itemKey(idOfRank(5, space)))).toBe(recordJson(idOfRank(5, space)))
    expect(bare.get(itemKey(outside))).toBeUndefined()
    expect(bare.floorBytes()).toEqual({ payloadBytes: payload, indexBytes: 0 })
  })

  it("a pool's floor counts one copy of the records: each worker's copy but one and the offsets come off", () => {
    const s = { server: { pssBytes: 1000, floorExtraBytes: 300, floorPayloadBytes: 280 } } as unknown as Parameters<typeof poolMemory>[0]
    expect(poolMemory(s)).toBe(700)
    const peer = { server: { pssBytes: 1000 } } as unknown as Parameters<typeof poolMemory>[0]
    expect(poolMemory(peer)).toBe(1000)
  })

  it('rounds alternate which peer goes first', () => {
    expect(roundOrder(['a', 'b'], 0)).toEqual(['a', 'b'])
    expect(roundOrder(['a', 'b'], 1)).toEqual(['b', 'a'])
  })
})

describe('load generator', () => {
  it('each connection reads its own slice of the stream in order, and a session from the start replays it', async () => {
    const keySpace = keySpaceFor(1000)
    const connections = 3
    const length = 3 * 50
    const stream = requestPaths(keySpace, 5, length)
    const seen = new Map<number, string[]>()
    let sockets = 0
    const server = createServer((req, res) => {
      const id = (req.socket as { benchId?: number }).benchId ??= sockets++
      seen.set(id, [...(seen.get(id) ?? []), req.url ?? ''])
      res.end('{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const load = await LoadGenerator.start({ keySpace, seed: 5, length, connections })
    try {
      const slices = () => {
        const starts = [...seen.values()].map((paths) => {
          const start = [0, 50, 100].find((s) => stream[s] === paths[0])
          expect(start, `a connection began at ${paths[0]}, not at a slice's start`).toBeDefined()
          // In order through its slice, wrapping around at its end.
          paths.forEach((p, i) => expect(p).toBe(stream[start! + (i % 50)]))
          return start
        })
        expect(new Set(starts).size).toBe(starts.length)
      }
      const first = await load.run({ port, seconds: 1, fromStart: true })
      expect(first.requests).toBeGreaterThan(0)
      expect(seen.size).toBe(connections)
      slices()
      seen.clear()
      await load.run({ port, seconds: 1, fromStart: true })
      slices()
    } finally {
      await load.stop()
      server.closeAllConnections()
      server.close()
    }
  }, 60_000)
})

/** A child ran as a deployed service does: plain node on the bundle, no TypeScript loader. */
function expectPlainNode(runtimes: readonly Runtime[], count: number): void {
  expect(runtimes).toHaveLength(count)
  for (const r of runtimes) {
    expect(r.execArgv.join(' ')).not.toMatch(/tsx|--import|--loader/)
    expect(r.entry.startsWith(BUNDLE_DIR)).toBe(true)
    expect(r.entry).toMatch(/\.mjs$/)
  }
}

describe('children as plain JavaScript', () => {
  it('each child entry is bundled once per process, into one .mjs that imports no TypeScript', async () => {
    const [a, b] = await Promise.all([bundledEntry(SERVER), bundledEntry(SERVER)])
    expect(a.href).toBe(b.href)
    expect((await bundledEntry(SERVER)).href).toBe(a.href)
    const text = readFileSync(a, 'utf8')
    // Cortado's sources are inside (its Cache), not imported from src/*.ts at run time.
    expect(/\bCache = class\b|\bclass Cache\b/.test(text)).toBe(true)
    expect(/from\s+["'][^"']*\.ts["']|import\(["'][^"']*\.ts["']\)/.exec(text)?.[0]).toBeUndefined()
    // import.meta.url is each module's own source URL, so paths computed from it resolve as under tsx.
    expect(text.includes(new URL('../../bench/harness/project.ts', import.meta.url).href)).toBe(true)
  }, 60_000)
})

describe.concurrent('service server under autocannon', () => {
  /** One session on its own load generator (4 connections, a stream of 4096 requests), warm-up included. */
  const session = async <R extends WindowReport>(module: URL, start: unknown): Promise<Session<R>> => {
    const load = await LoadGenerator.start({ keySpace: keySpaceFor(2000), seed: 3, length: 4096, connections: 4 })
    try {
      return await runSession<R>({ module, start, load, warmupSeconds: 1, measureSeconds: 1, startTimeoutMs: 100_000 })
    } finally {
      await load.stop()
    }
  }

  for (const peer of ['lru-cache', 'cortado', 'floor']) {
    it(`${peer}: serves records, counts hits and misses, reports handler time, GC and memory`, async () => {
      const s = await session<ServerReport>(SERVER, { peer, entries: 2000, keySpace: keySpaceFor(2000) })
      expect(s.load.errors).toBe(0)
      expect(s.load.non2xx).toBe(0)
      expect(s.load.requests).toBeGreaterThan(0)
      // Every request of the window went through the handler (autocannon may count a few in flight at the end).
      expect(s.server.requests).toBeGreaterThanOrEqual(s.load.requests)
      expect(s.server.hits + s.server.misses).toBe(s.server.requests)
      expect(s.server.hits).toBeGreaterThan(0)
      expect(s.server.misses).toBeGreaterThan(0)
      expect(s.server.size).toBeLessThanOrEqual(2000)
      // The floor says what it holds, so its RSS row can read the process plus the records' bytes.
      if (peer === 'floor') expect(s.server.floor!.payloadBytes).toBeGreaterThan(2000 * 100)
      else expect(s.server.floor).toBeUndefined()
      expect(s.server.rssBytes).toBeGreaterThan(s.server.heapUsedBytes)
      const [p50, p99] = handlerPercentiles([s.server], [50, 99])
      expect(p50).toBeGreaterThan(0)
      expect(p99).toBeGreaterThanOrEqual(p50!)
      const rows = serviceRows({ suite: 'service', kase: '2k entries', params: { entries: 2000 }, method: 'test', skipped: [] }, new Map([[peer, [s]]]))
      // The load generator and the server both report their CPU, so a reader can see which one bound the run.
      expect(s.server.cpuUs).toBeGreaterThan(0)
      expect(s.load.cpuUsPerRequest).toBeGreaterThan(0)
      expect(rows.map((r) => r.params.measure)).toEqual(['throughput', 'cpu', 'latency', 'latency', 'latency', 'handler', 'handler', 'handler', 'gc', 'heap'])
      expect(rows[0]!.figures[0]!.hitRatio).toBeGreaterThan(0.5)
      expectPlainNode(s.runtimes, 1)
      expect(s.server.memory.pss).toBeGreaterThan(0)
      expect(s.server.memory.pssAnon + s.server.memory.pssFile + s.server.memory.pssShmem).toBeLessThanOrEqual(s.server.memory.pss + 4096)
    }, 150_000)
  }

  it("a pool's floor: each worker holds every record, and the figure keeps one copy of their bytes", async () => {
    const s = await session<PoolReport>(POOL, { peer: 'floor', entries: 2000, keySpace: keySpaceFor(2000), workers: 2 })
    expect(s.load.errors).toBe(0)
    expect(s.server.hits).toBeGreaterThan(0)
    expect(s.server.misses).toBeGreaterThan(0)
    const payload = s.server.floorPayloadBytes!
    expect(payload).toBeGreaterThan(2000 * 100)
    expect(s.server.floorExtraBytes).toBe(payload + 2 * 4 * 2001)
    expect(poolMemory(s)).toBe(s.server.pssBytes - s.server.floorExtraBytes!)
  }, 150_000)

  it.runIf(nativeBuilt)('a cluster pool shares one Cortado between its workers: both serve, one fill', async () => {
    const s = await session<PoolReport>(POOL, { peer: 'cortado', entries: 2000, keySpace: keySpaceFor(2000), workers: 2 })
    expect(s.load.errors).toBe(0)
    expect(s.server.requests).toBeGreaterThanOrEqual(s.load.requests)
    expect(s.server.hits).toBeGreaterThan(0)
    expect(s.server.pssBytes).toBeGreaterThan(0)
    expect(s.fillMs).toBeGreaterThan(0)
    // The primary and both cluster workers run the bundle under plain node.
    expectPlainNode(s.runtimes, 3)
    expect(s.server.processes.map((p) => p.role)).toEqual(['primary', 'worker', 'worker'])
    // The shared file's pages no process maps count too: the engine reserves the whole file when it
    // creates it, and the process that filled it has exited, unmapping what it touched.
    const unmapped = s.server.shmUnmappedBytes!
    expect(s.server.pssBytes).toBe(s.server.processes.reduce((a, p) => a + p.pss, 0) + unmapped)
    const { keyBytes, valueBytes } = recordBytes(keySpaceFor(2000))
    const arena = Cache.maxBytesFor(2000, 8 + keyBytes + valueBytes)
    expect(s.server.shmFileBytes).toBeGreaterThanOrEqual(arena)
    const mapped = s.server.processes.reduce((a, p) => a + p.regions.shm, 0)
    expect(mapped + unmapped).toBeGreaterThanOrEqual(s.server.shmFileBytes!)
    expect(mapped + unmapped).toBeLessThan(s.server.shmFileBytes! + 64 * 1024)
    // The workers map the shared /dev/shm file (shmem pages); each process's regions add up to its PSS.
    for (const p of s.server.processes.filter((x) => x.role === 'worker')) expect(p.pssShmem).toBeGreaterThan(0)
    for (const p of s.server.processes) {
      const r = p.regions
      expect(Math.abs(r.shm + r.anon + r.brk + r.files - p.pss)).toBeLessThan(1 << 20)
    }
  }, 150_000)
})
