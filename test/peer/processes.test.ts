/**
 * PeerGroup across real processes on loopback: three (then four) Node processes, each a peer with its
 * own Cortado cache and origin loader, talking the peer protocol over HTTP. The origin loads are
 * counted in each process and summed here, so "loaded once in the whole group" is measured, not assumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PeerProcess, loadsByKey, sleep, startGroup, type GetResult } from './helpers.js'

const valueOf = (r: GetResult) => {
  if ('error' in r) throw new Error(`get failed: ${r.error.code} ${r.error.message}`)
  return r.value
}

/** `count` keys (from `prefix`) owned by `owner`, as the group's ring says. */
async function keysOwnedBy(asker: PeerProcess, owner: string, prefix: string, count: number): Promise<string[]> {
  const candidates = Array.from({ length: 60 * count }, (_, i) => `${prefix}${i}`)
  const owners = await asker.owners(candidates)
  const mine = candidates.filter((_, i) => owners[i] === owner).slice(0, count)
  expect(mine.length).toBe(count)
  return mine
}

describe('a group of three processes', () => {
  let peers: PeerProcess[] = []

  beforeAll(async () => {
    // A generous timeoutMs: on a loaded 2-core host, 2,000 requests (a request's deadline includes its
    // wait for one of the 64 pooled connections) took over 15 s, and a fallback shows up (rightly) as a
    // second origin load. The failure tests below use a short one.
    peers = await startGroup(Array.from({ length: 3 }, () => ({ loadDelayMs: 150, timeoutMs: 45_000, hotCacheBytes: 1 << 20 })))
  })
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.kill()))
  })

  it('one key asked at all three peers at once is loaded by the origin exactly once', async () => {
    const key = 'one-key'
    const results = await Promise.all(peers.map((p) => p.get(Array.from({ length: 10 }, () => key))))
    for (const r of results.flat()) expect(valueOf(r)).toEqual({ key, body: `value of ${key}`.padEnd(64, '.') })
    const snapshots = await Promise.all(peers.map((p) => p.snapshot()))
    expect(loadsByKey(snapshots).get(key)).toBe(1)
    const owner = (await peers[0]!.owners([key]))[0]
    for (const [i, p] of peers.entries()) {
      const { stats } = snapshots[i]!
      if (p.address === owner) {
        expect(stats.originLoads).toBe(1)
        // Both other peers asked once each, whatever their ten callers did.
        expect(stats.served).toBe(2)
      } else {
        // Ten callers, one request: the other nine joined it.
        expect(stats.peerFetches).toBe(1)
        expect(stats.coalesced).toBe(9)
        expect(stats.peerErrors).toBe(0)
      }
    }
  })

  it('1,000 keys asked at every peer are each loaded once, and each peer owns about a third', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `key:${i}`)
    const before = await Promise.all(peers.map((p) => p.snapshot()))
    // Each peer asks 100 keys at a time (all three peers at once), as a service's concurrent requests
    // would: a request's deadline includes its wait for a pooled connection, and 1,000 at once on a
    // loaded host would spend it queueing. 2,000 loopback requests take seconds on a quiet machine.
    const results = await Promise.all(peers.map(async (p) => {
      const answers: GetResult[] = []
      for (let i = 0; i < keys.length; i += 100) answers.push(...await p.get(keys.slice(i, i + 100), 60_000))
      return answers
    }))
    for (const perPeer of results) perPeer.forEach((r, i) => expect(valueOf(r)!.key).toBe(keys[i]))
    const after = await Promise.all(peers.map((p) => p.snapshot()))
    const totals = loadsByKey(after)
    for (const key of keys) expect(totals.get(key), key).toBe(1)
    for (const [i, p] of peers.entries()) {
      const owned = keys.filter((k) => after[i]!.loads[k] === 1).length
      expect(owned, `${p.address} owns ${owned} of 1000`).toBeGreaterThanOrEqual(Math.floor((1000 / 3) * 0.8))
      expect(owned, `${p.address} owns ${owned} of 1000`).toBeLessThanOrEqual(Math.ceil((1000 / 3) * 1.2))
      expect(after[i]!.stats.fallbacks - before[i]!.stats.fallbacks).toBe(0)
    }
    // Every process routes every key to the process that loaded it.
    const owners = await Promise.all(peers.map((p) => p.owners(keys)))
    for (const [i, key] of keys.entries()) {
      const loader = peers.find((_, j) => after[j]!.loads[key] === 1)!.address
      for (const view of owners) expect(view[i]).toBe(loader)
    }
  }, 180_000)

  it('a hot key asked 10,000 times at a non-owner is served from the hot cache after warm-up', async () => {
    const key = 'hot-key'
    const owner = (await peers[0]!.owners([key]))[0]!
    const ownerPeer = peers.find((p) => p.address === owner)!
    const asker = peers.find((p) => p.address !== owner)!
    await asker.call('repeat', { key, times: 100 })
    const ownerBefore = (await ownerPeer.snapshot()).stats
    const askerBefore = (await asker.snapshot()).stats
    await asker.call('repeat', { key, times: 9_900 })
    const ownerAfter = (await ownerPeer.snapshot()).stats
    const askerAfter = (await asker.snapshot()).stats
    // The owner saw no request for it after warm-up; the asker answered every get from its copy.
    expect(ownerAfter.served).toBe(ownerBefore.served)
    expect(askerAfter.peerFetches).toBe(askerBefore.peerFetches)
    expect(askerAfter.hotHits - askerBefore.hotHits).toBe(9_900)
    expect(askerAfter.hotEntries).toBeGreaterThan(0)
    expect(loadsByKey(await Promise.all(peers.map((p) => p.snapshot()))).get(key)).toBe(1)
  })

  it('membership 3 → 4 moves at most a third of the keys, all of them to the newcomer', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `move:${i}`)
    const before = await peers[0]!.owners(keys)
    const newcomer = await PeerProcess.spawn({ loadDelayMs: 20, timeoutMs: 45_000 })
    try {
      const four = [...peers, newcomer].map((p) => p.address)
      await newcomer.start(four)
      await Promise.all(peers.map((p) => p.call('setPeers', { peers: four })))
      const views = await Promise.all([...peers, newcomer].map((p) => p.owners(keys)))
      for (const view of views) expect(view).toEqual(views[0])
      const after = views[0]!
      const moved = keys.filter((_, i) => after[i] !== before[i])
      expect(moved.length).toBeLessThanOrEqual(1000 / 3)
      expect(moved.length).toBeGreaterThan(0)
      for (const [i] of keys.entries()) if (after[i] !== before[i]) expect(after[i]).toBe(newcomer.address)
      // A moved key is now loaded by the newcomer, once, wherever it is asked.
      const key = moved[0]!
      await Promise.all([...peers, newcomer].map((p) => p.get([key])))
      expect((await newcomer.snapshot()).loads[key]).toBe(1)
    } finally {
      await Promise.all(peers.map((p) => p.call('setPeers', { peers: peers.map((q) => q.address) })))
      await newcomer.kill()
    }
  })
})

describe('an owner that dies or stalls', () => {
  const TIMEOUT_MS = 1500
  const UNHEALTHY_MS = 1000
  const config = { loadDelayMs: 20, slowMs: 20, timeoutMs: TIMEOUT_MS, unhealthyMs: UNHEALTHY_MS }
  let peers: PeerProcess[] = []

  beforeAll(async () => {
    // The first peer's 'slow:' loads take a minute (it is killed during one); the others' are quick.
    peers = await startGroup([{ ...config, slowMs: 60_000 }, config, config])
  })
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.kill()))
  })

  it('SIGKILL mid-load: askers load locally, nothing hangs, and the restarted owner takes its keys back', async () => {
    const [owner, a, b] = peers as [PeerProcess, PeerProcess, PeerProcess]
    const [slowKey] = await keysOwnedBy(a, owner.address, 'slow:', 1)
    const [laterKey, probeKey] = await keysOwnedBy(a, owner.address, 'back:', 2)
    // Both askers wait for the owner's (very slow) load; the deadline here is a hang detector only.
    const asked = Promise.all([a.get([slowKey!], TIMEOUT_MS + 15_000), b.get([slowKey!], TIMEOUT_MS + 15_000)])
    await owner.loadStarted(slowKey!)
    await owner.kill('SIGKILL')
    // The dead owner's load never finishes: the askers' values are their own local loads.
    for (const [r] of await asked) expect(valueOf(r!)).toEqual({ key: slowKey, body: `value of ${slowKey}`.padEnd(64, '.') })
    const [sa, sb] = await Promise.all([a.snapshot(), b.snapshot()])
    for (const s of [sa, sb]) {
      expect(s.stats.fallbacks).toBe(1)
      expect(s.stats.peerErrors).toBe(1)
      expect(s.loads[slowKey!]).toBe(1)
      expect(s.stats.unhealthyPeers).toBe(1)
    }
    // While the owner is marked unhealthy, its keys load locally at once, without asking it.
    valueOf((await a.get([laterKey!]))[0]!)
    const marked = await a.snapshot()
    expect(marked.stats.peerFetches).toBe(sa.stats.peerFetches)
    expect(marked.stats.fallbacks).toBe(2)

    // The owner comes back on the same address; after the unhealthy period its keys are its own again.
    const restarted = await PeerProcess.spawn({ ...config, port: owner.port })
    peers[0] = restarted
    await restarted.start(peers.map((p) => p.address))
    await sleep(UNHEALTHY_MS + 200)
    expect(valueOf((await a.get([probeKey!]))[0]!)!.key).toBe(probeKey)
    const [back, aBack] = await Promise.all([restarted.snapshot(), a.snapshot()])
    expect(back.loads[probeKey!]).toBe(1)
    expect(aBack.loads[probeKey!]).toBeUndefined()
    expect(aBack.stats.fallbacks).toBe(2)
    expect(aBack.stats.unhealthyPeers).toBe(0)
  })

  it('a stalled owner (SIGSTOP): the asker gives up after timeoutMs and loads locally', async () => {
    const [owner, a] = peers as [PeerProcess, PeerProcess]
    const [key] = await keysOwnedBy(a, owner.address, 'stall:', 1)
    const before = await a.snapshot()
    owner.child.kill('SIGSTOP')
    try {
      const [r] = await a.get([key!], TIMEOUT_MS + 15_000)
      expect(valueOf(r!)!.key).toBe(key)
    } finally {
      owner.child.kill('SIGCONT')
    }
    const after = await a.snapshot()
    expect(after.stats.peerErrors - before.stats.peerErrors).toBe(1)
    expect(after.stats.fallbacks - before.stats.fallbacks).toBe(1)
    expect(after.loads[key!]).toBe(1)
  })
})
