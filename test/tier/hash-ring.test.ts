import { describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import { HashRing } from '../../src/tier/index.js'

const KEYS = Array.from({ length: 100_000 }, (_, i) => `user:${i}`)
const TEN = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}:11211`)

function route(ring: HashRing): string[] {
  return KEYS.map((key) => ring.locate(key)!)
}

describe('HashRing', () => {
  it('spreads 100k keys over 10 nodes (100 virtual nodes each) within ±10% of even', () => {
    const ring = new HashRing(TEN, { vnodes: 100 })
    const counts = new Map<string, number>()
    for (const node of route(ring)) counts.set(node, (counts.get(node) ?? 0) + 1)
    expect([...counts.keys()].sort()).toEqual([...TEN].sort())
    const even = KEYS.length / TEN.length
    for (const count of counts.values()) {
      expect(Math.abs(count / even - 1)).toBeLessThanOrEqual(0.1)
    }
  })

  it('adding an 11th node moves 1/11 ± 2% of the keys, all of them to the new node', () => {
    const ring = new HashRing(TEN)
    const before = route(ring)
    ring.add('10.0.0.11:11211')
    const after = route(ring)
    let moved = 0
    let movedElsewhere = 0
    for (let i = 0; i < KEYS.length; i++) {
      if (after[i] === before[i]) continue
      moved++
      if (after[i] !== '10.0.0.11:11211') movedElsewhere++
    }
    expect(movedElsewhere).toBe(0)
    expect(Math.abs(moved / KEYS.length - 1 / 11)).toBeLessThanOrEqual(0.02)
  })

  it("removing a node moves exactly that node's keys", () => {
    const ring = new HashRing(TEN)
    const before = route(ring)
    const gone = TEN[3]!
    expect(ring.remove(gone)).toBe(true)
    expect(ring.remove(gone)).toBe(false)
    const after = route(ring)
    let wrong = 0
    let theirs = 0
    for (let i = 0; i < KEYS.length; i++) {
      if (before[i] === gone) theirs++
      if (before[i] === gone ? after[i] === gone : after[i] !== before[i]) wrong++
    }
    expect(theirs).toBeGreaterThan(0)
    expect(wrong).toBe(0)
  })

  it('routes the same way whatever order the nodes were added in', () => {
    const a = new HashRing(TEN)
    const b = new HashRing()
    for (const node of [...TEN].reverse()) b.add(node)
    expect(route(b)).toEqual(route(a))
    expect(route(new HashRing(TEN, { seed: 7 }))).not.toEqual(route(a))
  })

  it('gives a node of weight 2 about twice the keys of the others', () => {
    const ring = new HashRing(['a', 'b', 'c'])
    ring.add('heavy', 2)
    const counts = new Map<string, number>()
    for (const node of route(ring)) counts.set(node, (counts.get(node) ?? 0) + 1)
    const share = counts.get('heavy')! / KEYS.length
    expect(share).toBeGreaterThan(0.35)
    expect(share).toBeLessThan(0.45)
  })

  it('answers undefined when empty and rejects bad options', () => {
    expect(new HashRing().locate('k')).toBeUndefined()
    for (const bad of [() => new HashRing([], { vnodes: 0 }), () => new HashRing([], { probes: 1.5 }), () => new HashRing().add('')]) {
      expect(bad).toThrow()
      try {
        bad()
      } catch (err) {
        expect(isCortadoError(err, 'ERR_INVALID_OPTION')).toBe(true)
      }
    }
  })
})
