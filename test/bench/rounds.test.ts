import { describe, expect, it } from 'vitest'
import { roundOrder, runRounds, type Contender } from '../../bench/harness/rounds.js'

/** A clock that advances by `step` ns on every read, so rounds end after a known number of chunks. */
function fakeClock(step: bigint): () => bigint {
  let t = 0n
  return () => (t += step)
}

function recorder(ids: string[]) {
  const calls: { id: string; from: number; count: number }[] = []
  const contenders: Contender[] = ids.map((id) => ({
    id,
    run: (from, count) => {
      calls.push({ id, from, count })
      return count / 2
    },
  }))
  return { calls, contenders }
}

describe('roundOrder', () => {
  it('rotates the starting contender every round', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c'])
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a'])
    expect(roundOrder(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c'])
  })
})

describe('runRounds', () => {
  it('alternates contenders round by round and records one sample per round', () => {
    const { calls, contenders } = recorder(['a', 'b'])
    // Each chunk reads the clock once after running: 1 ms per read and 3 ms rounds make 3 chunks.
    const { samples } = runRounds(contenders, { rounds: 3, roundMs: 3, chunk: 10, warmup: false, now: fakeClock(1_000_000n) })
    const order = calls.filter((_, i) => i % 3 === 0).map((c) => c.id)
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b'])
    expect(samples.get('a')).toHaveLength(3)
    for (const s of samples.get('a')!) {
      expect(s.ops).toBe(30)
      expect(s.hits).toBe(15)
      expect(s.ns).toBe(3_000_000)
    }
  })

  it('continues each contender where it stopped, so all walk the same sequence', () => {
    const { calls, contenders } = recorder(['a', 'b'])
    runRounds(contenders, { rounds: 2, roundMs: 2, chunk: 8, warmup: true, now: fakeClock(1_000_000n) })
    const froms = (id: string) => calls.filter((c) => c.id === id).map((c) => c.from)
    expect(froms('a')).toEqual([0, 8, 16, 24, 32, 40])
    expect(froms('b')).toEqual(froms('a'))
  })

  it('does not count the warm-up round, and reports it as round -1', () => {
    const { contenders } = recorder(['a'])
    const seen: number[] = []
    const { samples } = runRounds(contenders, { rounds: 3, roundMs: 1, chunk: 4, warmup: true, now: fakeClock(1_000_000n), onRound: (r) => seen.push(r) })
    expect(samples.get('a')).toHaveLength(3)
    expect(seen).toEqual([-1, 0, 1, 2])
  })

  it('drops a contender that throws and lets the others finish', () => {
    let calls = 0
    const contenders: Contender[] = [
      { id: 'ok', run: (_f, count) => count },
      {
        id: 'bad',
        run: () => {
          if (++calls === 2) throw new Error('boom')
          return 0
        },
      },
    ]
    const { samples, failed } = runRounds(contenders, { rounds: 3, roundMs: 1, chunk: 1, warmup: true, now: fakeClock(1_000_000n) })
    expect(samples.get('ok')).toHaveLength(3)
    expect(samples.has('bad')).toBe(false)
    expect(failed.get('bad')?.message).toBe('boom')
    expect(calls).toBe(2)
  })

  it('reports hits over the same first operations for every contender, however far each one ran', () => {
    // A fast and a slow contender on one clock; the sequence hits only from operation 32 on (a cache
    // warming up from its fill), so each one's own rounds would give the fast one more hits per op.
    let t = 0n
    const contender = (id: string, nsPerChunk: bigint): Contender => ({
      id,
      run: (from, count) => {
        t += nsPerChunk
        let hits = 0
        for (let op = from; op < from + count; op++) if (op >= 32) hits++
        return hits
      },
    })
    const contenders = [contender('fast', 1_000_000n), contender('slow', 4_000_000n)]
    const { samples, common } = runRounds(contenders, { rounds: 2, roundMs: 8, chunk: 8, warmup: true, now: () => t })
    const own = (id: string) => samples.get(id)!.reduce((a, s) => a + s.hits, 0) / samples.get(id)!.reduce((a, s) => a + s.ops, 0)
    expect(own('fast')).toBeGreaterThan(own('slow'))
    // The slow one ran 2 chunks a round over 3 rounds (the warm-up included): 48 operations, 16 of them hits.
    expect(common.ops).toBe(48)
    expect(common.hits.get('fast')).toBe(16)
    expect(common.hits.get('slow')).toBe(16)
  })
})
