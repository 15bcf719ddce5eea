/** The recency families' generators and the simulator's replay of writes and reads (issue 18). */
import { describe, expect, it } from 'vitest'
import { CortadoModel } from '../../bench/sim/model/cortado.js'
import { LruPolicy } from '../../bench/sim/policies/lru.js'
import { simulate } from '../../bench/sim/simulate.js'
import { hotThenWritesTrace, phasesTrace, writeThenReadTrace } from '../../bench/workloads/recency-trace.js'
import { OP_READ, OP_READ_THROUGH, OP_WRITE } from '../../bench/workloads/trace.js'
import { testSeed } from '../helpers/seed.js'

describe('write-then-read-soon', () => {
  it('fills, then writes new keys one request in ten and reads only among the last k × capacity written', () => {
    const seed = testSeed(3)
    const capacity = 1000
    const t = writeThenReadTrace({ capacity, distance: 0.5, length: 20_000, writeBack: false, seed })
    expect(t.keys.length).toBe(capacity + 20_000)
    let written = 0
    let writes = 0
    const bad: string[] = []
    for (let i = 0; i < t.keys.length; i++) {
      const key = t.keys[i]!
      if (t.ops![i] === OP_WRITE) {
        if (key !== written++) bad.push(`write ${i} of ${key}`)
        if (i >= capacity) writes++
      } else if (i < capacity || t.ops![i] !== OP_READ || key >= written || key < written - 500) bad.push(`read ${i} of ${key}`)
    }
    expect(bad.slice(0, 5)).toEqual([])
    expect(writes / 20_000).toBeGreaterThan(0.09)
    expect(writes / 20_000).toBeLessThan(0.11)
    expect(t.universe).toBe(written)
    // Seeded: the same seed gives the same trace; write-back only changes the reads' op.
    const again = writeThenReadTrace({ capacity, distance: 0.5, length: 20_000, writeBack: true, seed })
    expect(again.keys).toEqual(t.keys)
    expect(again.ops!.every((op, i) => op === (t.ops![i] === OP_WRITE ? OP_WRITE : OP_READ_THROUGH))).toBe(true)
  })

  it('from empty (fill: false): reads begin after the first write and only ever go to written keys', () => {
    const capacity = 1000
    const t = writeThenReadTrace({ capacity, distance: 0.5, length: 20_000, writeBack: false, fill: false, seed: testSeed(5) })
    expect(t.keys.length).toBe(20_000)
    expect(t.name).toMatch(/from empty$/)
    expect(t.ops![0]).toBe(OP_WRITE)
    let written = 0
    let readsBeforeCapacity = 0
    const bad: string[] = []
    for (let i = 0; i < t.keys.length; i++) {
      const key = t.keys[i]!
      if (t.ops![i] === OP_WRITE) {
        if (key !== written++) bad.push(`write ${i} of ${key}`)
      } else {
        if (key >= written || key < written - 500) bad.push(`read ${i} of ${key}`)
        if (written < capacity) readsBeforeCapacity++
      }
    }
    expect(bad.slice(0, 5)).toEqual([])
    // About nine reads per write while the cache fills: what the default fill leaves out.
    expect(readsBeforeCapacity).toBeGreaterThan(8 * capacity)
  })

  it('phases: a scan of new keys, Zipf, recency, the same Zipf again', () => {
    const capacity = 500
    const phase = 5000
    const t = phasesTrace({ capacity, phase, zipfKeys: 10_000, writeBack: false, seed: testSeed(4) })
    expect(t.keys.length).toBe(4 * phase + capacity)
    const zipfKey = (k: number) => k >= phase && k < phase + 10_000
    const bad: number[] = []
    for (let i = 0; i < t.keys.length; i++) {
      const k = t.keys[i]!
      const ok = i < phase ? k === i : i < 2 * phase ? zipfKey(k) : i < 3 * phase + capacity ? k >= phase + 10_000 : zipfKey(k)
      if (!ok) bad.push(i)
    }
    expect(bad.slice(0, 5)).toEqual([])
  })
})

describe('a hot set, then write-then-read alone', () => {
  it('reads Zipf keys cache-aside, then writes new keys and reads only among the last k × capacity written', () => {
    const capacity = 500
    const t = hotThenWritesTrace({ capacity, hot: 5000, zipfKeys: 10_000, length: 10_000, distance: 0.5, writeBack: false, seed: testSeed(6) })
    expect(t.keys.length).toBe(15_000)
    let written = 0
    const bad: string[] = []
    for (let i = 0; i < t.keys.length; i++) {
      const k = t.keys[i]!
      const op = t.ops![i]!
      if (i < 5000) {
        if (op !== OP_READ_THROUGH || k < 0 || k >= 10_000) bad.push(`hot ${i}: ${op} ${k}`)
      } else if (op === OP_WRITE) {
        if (k !== 10_000 + written++) bad.push(`write ${i} of ${k}`)
      } else if (op !== OP_READ || k >= 10_000 + written || k < 10_000 + written - 250) bad.push(`read ${i} of ${k}`)
    }
    expect(bad.slice(0, 5)).toEqual([])
    expect(t.ops![5000]).toBe(OP_WRITE)
    expect(t.universe).toBe(10_000 + written)
  })
})

describe('replaying writes and reads', () => {
  it('a read that misses stores nothing, a write stores, only reads count', () => {
    const trace = { name: 't', universe: 3, keys: Int32Array.from([0, 0, 1, 1, 2, 2]), ops: Uint8Array.from([OP_READ, OP_READ, OP_WRITE, OP_READ, OP_READ_THROUGH, OP_READ]) }
    for (const p of [new LruPolicy(10, trace), new CortadoModel(10, trace)]) {
      const r = simulate(trace, '', 10, p)
      // reads: 0 miss, 0 miss (not written back), 1 hit, 2 miss (written back), 2 hit
      expect(r.requests).toBe(5)
      expect(r.hits).toBe(2)
    }
  })

  it('the model keeps a write-once working set once its window has adapted', () => {
    const seed = testSeed(5)
    const capacity = 2000
    const t = writeThenReadTrace({ capacity, distance: 0.2, length: 20 * capacity, writeBack: false, seed })
    const lru = simulate(t, 'lru', capacity, new LruPolicy(capacity, t)).hitRatio
    const model = simulate(t, 'model', capacity, new CortadoModel(capacity, t, { seed })).hitRatio
    expect(lru).toBe(1)
    expect(model).toBeGreaterThan(0.98)
  })
})
