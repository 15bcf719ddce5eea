import { describe, expect, it } from 'vitest'
import { FrontFloor, frontFloorPeer } from '../../bench/peers/front-floor.js'
import { createCortado } from '../../bench/peers/cortado.js'
import { selectPeers } from '../../bench/peers/index.js'
import { defaultFrontBytes, ENTRY_OVERHEAD } from '../../src/engine/front.js'

const spec = { entries: 1000, valueKind: 'string' as const, keyBytes: 16, valueBytes: 100 }
const keys = Array.from({ length: 1024 }, (_, i) => `key${String(i).padStart(13, '0')}`)
const valueOf = (i: number) => `v${i}`.padEnd(100, '.')
const ENTRY = 2 * (16 + 100) + ENTRY_OVERHEAD

/** A floor over a filled arena, with room for `room` entries by the front's estimate. */
async function floorOf(room: number): Promise<{ floor: FrontFloor; hits: () => number }> {
  await selectPeers(['front-floor'])
  const arena = createCortado(spec)
  for (let i = 0; i < spec.entries; i++) arena.set(keys[i]!, valueOf(i))
  return { floor: new FrontFloor(arena, room * ENTRY, ENTRY_OVERHEAD), hits: () => arena.stats().hits }
}

/** A get sequence in which key k is read reads[k] times. */
function sequence(reads: Record<number, number>): Uint32Array {
  const out: number[] = []
  for (const [k, n] of Object.entries(reads)) for (let j = 0; j < n; j++) out.push(Number(k))
  return Uint32Array.from(out)
}

describe('bench/peers/front-floor: the cheapest front of the front budget', () => {
  it('holds the keys the sequence reads most, as many as the budget holds, ties to the lower key', async () => {
    const { floor, hits } = await floorOf(2)
    floor.prime({ keys, idx: sequence({ 7: 5, 3: 1, 9: 4, 2: 4, 500: 2 }) })
    expect(floor.held).toBe(2)
    const before = hits()
    for (const k of [7, 2]) expect(floor.get(keys[k]!)).toBe(valueOf(k))
    expect(hits()).toBe(before)
    // 9, read as often as 2, lost the tie: the arena serves it.
    expect(floor.get(keys[9]!)).toBe(valueOf(9))
    expect(hits()).toBe(before + 1)
    // Priming again replaces the set: now 500 is the hottest.
    floor.prime({ keys, idx: sequence({ 500: 9 }) })
    expect(floor.held).toBe(1)
  })

  it('a hit is the Map alone; a key it does not hold is a Cortado get', async () => {
    const { floor, hits } = await floorOf(2)
    floor.prime({ keys, idx: sequence({ 1: 3, 4: 2, 8: 1 }) })
    const before = hits()
    expect(floor.get(keys[1]!)).toBe(valueOf(1))
    expect(floor.get(keys[4]!)).toBe(valueOf(4))
    expect(hits()).toBe(before)
    expect(floor.get(keys[8]!)).toBe(valueOf(8))
    expect(hits()).toBe(before + 1)
    expect(floor.get('absent')).toBeUndefined()
  })

  it('never serves a value its own writes replaced, and frees the room of what they dropped', async () => {
    const { floor } = await floorOf(2)
    floor.prime({ keys, idx: sequence({ 1: 3, 4: 2 }) })
    floor.set(keys[1]!, 'new')
    expect(floor.get(keys[1]!)).toBe('new')
    expect(floor.held).toBe(1)
    floor.setMany([[keys[4]!, 'newer']])
    expect(floor.get(keys[4]!)).toBe('newer')
    expect(floor.held).toBe(0)
  })

  it("takes the front's default budget for the cache it fronts, and leaves keys the arena lacks to it", async () => {
    await selectPeers(['front-floor'])
    const floor = frontFloorPeer.create(spec) as FrontFloor
    const arena = createCortado(spec)
    expect(floor.maxBytes).toBe(defaultFrontBytes(arena.geometry as Parameters<typeof defaultFrontBytes>[0]))
    arena.close()
    for (let i = 0; i < spec.entries; i++) floor.set(keys[i]!, valueOf(i))
    // Keys 1000..1023 were never stored: not held, and their gets miss.
    floor.prime({ keys, idx: Uint32Array.from({ length: 1024 }, (_, i) => i) })
    expect(floor.held).toBe(spec.entries)
    expect(floor.get(keys[1010]!)).toBeUndefined()
    floor.close()
  })
})

describe('the bench times the front floor only where issue 19 reads it', () => {
  it('get suites that name it get a front-floor figure; other suites and Buffer configurations do not', async () => {
    const { runOps } = await import('../../bench/harness/throughput.js')
    const { getZipf } = await import('../../bench/suites/get-zipf.js')
    const { setEvict } = await import('../../bench/suites/set-evict.js')
    const { spec: specOf } = await import('../../bench/suites/configs.js')
    const { runnable } = await selectPeers(['cortado-front', 'front-floor'])
    const small = [specOf(2000, 'string', 100), specOf(2000, 'buffer', 100)]
    const suites = [{ ...getZipf, configs: () => small }, { ...setEvict, configs: () => small }]
    const rows: { suite: string; params: Record<string, unknown>; figures: { peer: string; hitRatio?: number }[] }[] = []
    const progress = { step: () => {}, tick: () => {}, log: () => {} }
    await runOps(suites, { quick: true, rounds: 1, peers: runnable, progress: progress as never, emit: (row) => rows.push(row) })
    const peersOf = (suite: string, kind: string) => rows.find((r) => r.suite === suite && r.params.valueKind === kind)!.figures.map((f) => f.peer).sort()
    expect(peersOf('get-zipf', 'string')).toEqual(['cortado-front', 'front-floor', 'lru-cache'])
    expect(peersOf('get-zipf', 'buffer')).toEqual(['cortado-front', 'lru-cache'])
    expect(peersOf('set-evict', 'string')).toEqual(['cortado-front', 'lru-cache'])
    // Every key is stored: the floor (Map or arena) answers every get.
    expect(rows.find((r) => r.suite === 'get-zipf' && r.params.valueKind === 'string')!.figures.find((f) => f.peer === 'front-floor')!.hitRatio).toBe(1)
  }, 120_000)
})
