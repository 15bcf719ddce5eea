import { describe, expect, it } from 'vitest'
import { PEERS, UnknownPeerError, displayName, selectPeers } from '../../bench/peers/index.js'
import { cortadoMaxBytes, loadCortado } from '../../bench/peers/cortado.js'
import { BASELINE } from '../../bench/peers/types.js'

const spec = { entries: 100, valueKind: 'string' as const, keyBytes: 16, valueBytes: 100 }

describe('peers', () => {
  it('every peer behaves as a bounded cache through the one interface', async () => {
    const { runnable } = await selectPeers([])
    expect(runnable[0]!.id).toBe(BASELINE)
    for (const peer of runnable) {
      const cache = peer.create(spec)
      cache.setMany([['a', 'A'], ['b', 'B']])
      expect(cache.getMany(['a', 'b', 'nope']), peer.id).toEqual(['A', 'B', undefined])
      for (let i = 0; i < 1000; i++) cache.set(`key${i}`, `value${i}`)
      // quick-lru keeps up to twice its maxSize; everything else holds at most `entries`.
      expect(cache.size, peer.id).toBeLessThanOrEqual(peer.id === 'quick-lru' ? 200 : 100)
      expect(cache.size, peer.id).toBeGreaterThan(0)
      // Cortado's admission may refuse a newcomer on a full cache; the others always keep the last set.
      if (peer.id !== 'cortado') expect(cache.get('key999'), peer.id).toBe('value999')
      expect(cache.get('missing'), peer.id).toBeUndefined()
      cache.close()
    }
  })

  it('the bounded Map evicts in insertion order, also after many evictions', () => {
    const map = PEERS.find((p) => p.id === 'map')!.create({ ...spec, entries: 3 })
    for (let i = 0; i < 10_000; i++) map.set(`k${i}`, 'v')
    expect(map.size).toBe(3)
    expect(['k9997', 'k9998', 'k9999'].map((k) => map.get(k))).toEqual(['v', 'v', 'v'])
    expect(map.get('k9996')).toBeUndefined()
    map.set('k9998', 'w')
    expect(map.size).toBe(3)
  })

  it('--peers keeps the baseline, and names unknown peers', async () => {
    const { runnable, unavailable } = await selectPeers(['map'])
    expect([...runnable, ...unavailable].map((p) => ('id' in p ? p.id : p.peer))).toEqual([BASELINE, 'map'])
    await expect(selectPeers(['nope'])).rejects.toThrow(UnknownPeerError)
  })

  it('Cortado is sized from one function: room for the entries plus fixed metadata', async () => {
    expect(typeof (await loadCortado())).not.toBe('string')
    const small = cortadoMaxBytes({ entries: 1000, keyBytes: 16, valueBytes: 100 })
    const large = cortadoMaxBytes({ entries: 1_000_000, keyBytes: 16, valueBytes: 100 })
    expect(large).toBeGreaterThan(1_000_000 * 124)
    expect(large - small).toBeGreaterThan(999_000 * 124)
  })

  it('display names for peers, Redis and simulated policies', () => {
    expect(displayName('lru-cache')).toBe('lru-cache')
    expect(displayName('redis')).toBe('Redis')
    expect(displayName('sim:arc')).toBe('arc (sim)')
  })
})
