/** PeerHealth against a model: random markDown / markUp / retain / clock steps (seeded), same answers. */
import { describe, expect, it } from 'vitest'
import { PeerHealth } from '../../src/peer/health.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'

describe('PeerHealth', () => {
  it('a peer marked down is not asked for unhealthyMs, then is asked again (model-based)', () => {
    const random = mulberry32(testSeed(1717))
    const unhealthyMs = 100
    let now = 0
    const health = new PeerHealth(unhealthyMs, () => now)
    const model = new Map<string, number>()
    const peers = ['a', 'b', 'c', 'd']
    const mismatches: string[] = []
    for (let step = 0; step < 2000; step++) {
      const peer = peers[Math.floor(random() * peers.length)]!
      const op = random()
      if (op < 0.25) {
        health.markDown(peer)
        model.set(peer, now + unhealthyMs)
      } else if (op < 0.3) {
        health.markUp(peer)
        model.delete(peer)
      } else if (op < 0.32) {
        const keep = peers.filter(() => random() < 0.5)
        health.retain(keep)
        for (const p of [...model.keys()]) if (!keep.includes(p)) model.delete(p)
      } else {
        now += Math.floor(random() * 40)
      }
      const expectedDown = peers.filter((p) => (model.get(p) ?? -1) > now)
      for (const p of peers) if (health.isUp(p) === expectedDown.includes(p)) mismatches.push(`step ${step}, peer ${p}, t=${now}`)
      if (health.down().sort().join() !== expectedDown.join()) mismatches.push(`step ${step}: down() ${health.down()} vs ${expectedDown}`)
    }
    expect(mismatches).toEqual([])
  })
})
