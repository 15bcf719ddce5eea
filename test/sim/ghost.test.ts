import { describe, expect, it } from 'vitest'
import { hashKey } from '../../bench/sim/hash.js'
import { GhostTable } from '../../bench/sim/model/ghost.js'
import { Prng } from '../../bench/workloads/prng.js'

const SEED = 11
const h = (k: number): number => hashKey(k, SEED)

describe('ghost table', () => {
  it('holds exactly the last G additions, with their age and tag', () => {
    const g = new GhostTable(100)
    for (let k = 0; k < 1000; k++) g.add(h(k), k & 1)
    for (let k = 0; k < 1000; k++) {
      const age = g.lookup(h(k))
      if (k < 900) expect(age, `key ${k}`).toBe(-1)
      else {
        expect(age, `key ${k}`).toBe(999 - k)
        expect(g.lastTag).toBe(k & 1)
      }
    }
    expect(g.tagCounts[0]! + g.tagCounts[1]!).toBe(100)
    expect(g.tagCounts[1]).toBe(50)
  })

  it('a re-added key is young again and its older copy does not unlink it when it ages out', () => {
    const g = new GhostTable(10)
    g.add(h(1), 0)
    for (let k = 100; k < 105; k++) g.add(h(k), 0)
    g.add(h(1), 1)
    for (let k = 200; k < 208; k++) g.add(h(k), 0) // the first copy of 1 leaves the ring here
    expect(g.lookup(h(1))).toBe(8)
    expect(g.lastTag).toBe(1)
  })

  it('matches a reference model under random re-additions', () => {
    const rng = new Prng(SEED)
    const cap = 64
    const g = new GhostTable(cap)
    const lastAdd = new Map<number, number>()
    let n = 0
    for (let i = 0; i < 20_000; i++) {
      const k = rng.nextInt(300)
      if (rng.nextFloat() < 0.5) {
        g.add(h(k), 0)
        lastAdd.set(k, n++)
      } else {
        const at = lastAdd.get(k)
        const expected = at !== undefined && n - 1 - at < cap ? n - 1 - at : -1
        expect(g.lookup(h(k)), `step ${i} key ${k} seed ${SEED}`).toBe(expected)
      }
    }
  })
})
