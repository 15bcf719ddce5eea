/**
 * The service suite's moving parts on a small cache: a real server child per peer on loopback, real
 * autocannon load, and the rows and targets made from them. Nothing here asserts a speed.
 */
import { describe, expect, it } from 'vitest'
import { idOfRank, keySpaceFor, requestPaths } from '../../bench/service/keys.js'
import { recordBytes, recordJson } from '../../bench/service/record.js'
import { runSession } from '../../bench/service/session.js'
import type { ServerReport } from '../../bench/service/server-child.js'
import type { PoolReport } from '../../bench/service/pool-child.js'
import { handlerPercentiles } from '../../bench/service/probes.js'
import { serviceRows } from '../../bench/service/rows.js'
import { roundOrder } from '../../bench/service/session.js'
import { nativeBuilt } from '../conformance/engines.js'

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

  it('rounds alternate which peer goes first', () => {
    expect(roundOrder(['a', 'b'], 0)).toEqual(['a', 'b'])
    expect(roundOrder(['a', 'b'], 1)).toEqual(['b', 'a'])
  })
})

describe.concurrent('service server under autocannon', () => {
  const plan = (module: URL, start: unknown) => {
    const keySpace = keySpaceFor(2000)
    return { module, start, paths: requestPaths(keySpace, 3, 4096), connections: 4, warmupSeconds: 0, measureSeconds: 1, startTimeoutMs: 100_000 }
  }

  for (const peer of ['lru-cache', 'cortado']) {
    it(`${peer}: serves records, counts hits and misses, reports handler time, GC and memory`, async () => {
      const s = await runSession<ServerReport>(plan(SERVER, { peer, entries: 2000, keySpace: keySpaceFor(2000) }))
      expect(s.load.errors).toBe(0)
      expect(s.load.non2xx).toBe(0)
      expect(s.load.requests).toBeGreaterThan(0)
      // Every request of the window went through the handler (autocannon may count a few in flight at the end).
      expect(s.server.requests).toBeGreaterThanOrEqual(s.load.requests)
      expect(s.server.hits + s.server.misses).toBe(s.server.requests)
      expect(s.server.hits).toBeGreaterThan(0)
      expect(s.server.misses).toBeGreaterThan(0)
      expect(s.server.size).toBeLessThanOrEqual(2000)
      expect(s.server.rssBytes).toBeGreaterThan(s.server.heapUsedBytes)
      const [p50, p99] = handlerPercentiles([s.server], [50, 99])
      expect(p50).toBeGreaterThan(0)
      expect(p99).toBeGreaterThanOrEqual(p50!)
      const rows = serviceRows({ suite: 'service', kase: '2k entries', params: { entries: 2000 }, method: 'test', skipped: [] }, new Map([[peer, [s]]]))
      expect(rows.map((r) => r.params.measure)).toEqual(['throughput', 'latency', 'latency', 'latency', 'handler', 'handler', 'handler', 'gc', 'heap'])
      expect(rows[0]!.figures[0]!.hitRatio).toBeGreaterThan(0.5)
    }, 150_000)
  }

  it.runIf(nativeBuilt)('a cluster pool shares one Cortado between its workers: both serve, one fill', async () => {
    const s = await runSession<PoolReport>(plan(POOL, { peer: 'cortado', entries: 2000, keySpace: keySpaceFor(2000), workers: 2 }))
    expect(s.load.errors).toBe(0)
    expect(s.server.requests).toBeGreaterThanOrEqual(s.load.requests)
    expect(s.server.hits).toBeGreaterThan(0)
    expect(s.server.pssBytes).toBeGreaterThan(0)
    expect(s.fillMs).toBeGreaterThan(0)
  }, 150_000)
})
