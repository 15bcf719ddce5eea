/** PeerGroup counters through stats() and the Prometheus exporter, after real traffic on loopback. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { Cache, PeerGroup, isCortadoError } from '../../src/index.js'
import { registerPeerMetrics } from '../../src/metrics/prometheus.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function pair(): Promise<[PeerGroup<string>, PeerGroup<string>]> {
  const groups: PeerGroup<string>[] = []
  const servers: Server[] = await Promise.all([0, 1].map((i) => new Promise<Server>((resolve) => {
    const srv = createServer((req, res) => void groups[i]!.handle(req, res))
    srv.listen(0, '127.0.0.1', () => resolve(srv))
  })))
  const addresses = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`)
  for (const [i, self] of addresses.entries()) {
    const cache = new Cache<string>({ maxBytes: 4 << 20 })
    const group = new PeerGroup<string>({
      self, peers: addresses, cache, name: `g${i}`, hotCache: { maxBytes: 1 << 20 }, load: (key) => `v:${key}`,
    })
    groups.push(group)
    cleanups.push(() => new Promise((r) => { servers[i]!.closeAllConnections(); servers[i]!.close(r) }), () => group.close(), () => cache.close())
  }
  return groups as [PeerGroup<string>, PeerGroup<string>]
}

function sample(text: string, name: string, group: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{group="${group}"} `))
  return line === undefined ? undefined : Number(line.split(' ')[1])
}

describe('peer metrics', () => {
  it('stats() counts every path of a get, and Prometheus reports the same numbers per group', async () => {
    const [a, b] = await pair()
    const owned = Array.from({ length: 40 }, (_, i) => `k${i}`).filter((k) => a.ownerOf(k) === a.self).slice(0, 5)
    for (const key of owned) {
      await a.get(key) // origin load at the owner
      await a.get(key) // local hit
      await b.get(key) // peer fetch, copy kept
      await b.get(key) // hot hit
    }
    expect(a.stats()).toMatchObject({ originLoads: 5, localHits: 5, served: 5, peerFetches: 0, peers: 2 })
    expect(b.stats()).toMatchObject({ originLoads: 0, peerFetches: 5, hotHits: 5, peerErrors: 0, fallbacks: 0, hotEntries: 5 })
    expect(b.stats().hotBytes).toBeGreaterThan(0)

    const registry = new Registry()
    const ra = registerPeerMetrics(a, { registry })
    registerPeerMetrics(b, { registry })
    let text = await registry.metrics()
    expect(sample(text, 'cortado_peer_origin_loads_total', 'g0')).toBe(5)
    expect(sample(text, 'cortado_peer_local_hits_total', 'g0')).toBe(5)
    expect(sample(text, 'cortado_peer_served_total', 'g0')).toBe(5)
    expect(sample(text, 'cortado_peer_fetches_total', 'g1')).toBe(5)
    expect(sample(text, 'cortado_peer_hot_hits_total', 'g1')).toBe(5)
    expect(sample(text, 'cortado_peer_errors_total', 'g1')).toBe(0)
    expect(sample(text, 'cortado_peer_members', 'g1')).toBe(2)
    expect(text).toMatch(/# TYPE cortado_peer_fallbacks_total counter/)

    // A scrape reads afresh: new traffic shows up.
    await b.get(owned[0]!)
    text = await registry.metrics()
    expect(sample(text, 'cortado_peer_hot_hits_total', 'g1')).toBe(6)

    expect(() => registerPeerMetrics(a, { registry })).toThrow(/already registered/)
    ra.unregister()
    text = await registry.metrics()
    expect(sample(text, 'cortado_peer_origin_loads_total', 'g0')).toBeUndefined()
    expect(sample(text, 'cortado_peer_origin_loads_total', 'g1')).toBe(0)
  })

  it('refusals and fallbacks are counted, and the exporter drops a closed group', async () => {
    const [a, b] = await pair()
    const key = Array.from({ length: 40 }, (_, i) => `x${i}`).find((k) => b.ownerOf(k) === a.self)!
    await a.close()
    // The owner is gone: the asker loads the key itself.
    expect(await b.get(key)).toBe(`v:${key}`)
    expect(b.stats()).toMatchObject({ peerErrors: 1, fallbacks: 1, originLoads: 1, unhealthyPeers: 1 })
    const registry = new Registry()
    registerPeerMetrics(b, { registry })
    registerPeerMetrics(a, { registry })
    const text = await registry.metrics()
    expect(sample(text, 'cortado_peer_fallbacks_total', 'g1')).toBe(1)
    expect(sample(text, 'cortado_peer_unhealthy_members', 'g1')).toBe(1)
    expect(sample(text, 'cortado_peer_served_total', 'g0')).toBeUndefined()
    let error: unknown
    try {
      registerPeerMetrics({} as PeerGroup, { registry })
    } catch (e) {
      error = e
    }
    expect(isCortadoError(error, 'ERR_INVALID_OPTION')).toBe(true)
  })
})
