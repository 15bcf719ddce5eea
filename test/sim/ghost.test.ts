import { describe, expect, it } from 'vitest'
import { hashKey } from '../../bench/sim/hash.js'
import { BucketGhost, GhostTable } from '../../bench/sim/model/ghost.js'
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

// The engines' ghost in the model (ghostBuckets = 1, stop 43): never older than G additions, a key leaves
// early only when its bucket of 8 is full, and the tag counts are the engines' per-epoch estimate.
describe('bucketed ghost (the engines\')', () => {
  it('holds keys younger than G, loses some early to full buckets, none older', () => {
    const g = new BucketGhost(1000)
    for (let k = 0; k < 5000; k++) g.add(h(k), k & 1)
    let kept = 0
    for (let k = 0; k < 5000; k++) {
      const age = g.lookup(h(k))
      if (k < 4000) expect(age, `key ${k}`).toBe(-1)
      else if (age >= 0) {
        expect(age, `key ${k}`).toBe(4999 - k)
        expect(g.lastTag).toBe(k & 1)
        kept++
      }
    }
    // 125 buckets of 8 for the last 1000 keys: the ones whose bucket took more than 8 lost their oldest.
    expect(kept).toBeGreaterThan(700)
    expect(kept).toBeLessThan(1000)
    // An epoch has just begun (addition 5000 opened it): the estimate is the last epoch's 1000 (500 of
    // each tag) plus this one's single addition (key 4999, tag 1).
    expect(g.tagCount(0) + g.tagCount(1)).toBe(1001)
    expect(g.tagCount(1)).toBe(501)
  })
})

