/**
 * One filter, many threads. The workers (fixtures/add-keys.mjs) register tsx themselves and import the
 * TypeScript sources, so this runs without a build; see the fixture for why `execArgv` is not enough.
 */
import { Worker } from 'node:worker_threads'
import { describe, expect, it, vi } from 'vitest'
import { BloomFilter, type BloomFilterHandle } from '../../src/bloom/filter.js'

const fixture = new URL('./fixtures/add-keys.mjs', import.meta.url)

describe('BloomFilter shared memory', () => {
  it('attach gives a filter over the same bits and counters, also after a structured clone', () => {
    const filter = new BloomFilter({ expectedItems: 1_000, falsePositiveRate: 0.01, seed: 11 })
    const other = BloomFilter.attach(structuredClone(filter.handle))
    filter.add('from the first')
    other.add('from the second')
    expect(other.has('from the first')).toBe(true)
    expect(filter.has('from the second')).toBe(true)
    expect(filter.count).toBe(2)
    expect(other.count).toBe(2)
    expect({ bits: other.bits, hashes: other.hashes, seed: other.seed, n: other.expectedItems, p: other.falsePositiveRate }).toEqual({
      bits: filter.bits,
      hashes: filter.hashes,
      seed: filter.seed,
      n: filter.expectedItems,
      p: filter.falsePositiveRate,
    })
    other.clear()
    expect(filter.has('from the first')).toBe(false)
  })

  it('rejects what is not a handle with ERR_INVALID_HANDLE', () => {
    const good = new BloomFilter({ expectedItems: 100, falsePositiveRate: 0.01 }).handle
    const garbage = new SharedArrayBuffer(good.buffer.byteLength)
    const resized = new SharedArrayBuffer(good.buffer.byteLength + 4)
    new Uint8Array(resized).set(new Uint8Array(good.buffer))
    const bad: unknown[] = [
      null,
      'handle',
      {},
      { ...good, kind: 'cortado-cache' },
      { ...good, version: 2 },
      { ...good, buffer: new ArrayBuffer(good.buffer.byteLength) },
      { ...good, buffer: garbage },
      { ...good, buffer: resized },
    ]
    for (const handle of bad) {
      expect(() => BloomFilter.attach(handle as BloomFilterHandle)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HANDLE' }))
    }
  })

  it('every new bit is set with Atomics.or, the one write that can not lose a racing update', () => {
    // Races are rare on two cores: with a plain |= in its place, the worker test below loses a bit in
    // some runs only. This deterministic check is what reliably guards against that regression.
    const filter = new BloomFilter({ expectedItems: 5_000, falsePositiveRate: 0.01, seed: 5 })
    const or = vi.spyOn(Atomics, 'or')
    try {
      for (let i = 0; i < 5_000; i++) filter.add(`k${i}`)
      for (let i = 0; i < 5_000; i++) filter.add(`k${i}`)
      expect(or.mock.calls.length).toBe(filter.setBits())
    } finally {
      or.mockRestore()
    }
  })

  it('workers adding disjoint keys at the same moment lose no bit', async () => {
    const workers = 4
    const rounds = 30
    const keysPerRound = 5_000
    const options = { expectedItems: keysPerRound, falsePositiveRate: 0.01, seed: 1234 }
    // One filter per round, each round behind a barrier: the workers write the same words at once.
    const filters = Array.from({ length: rounds }, () => new BloomFilter(options))
    const gate = new SharedArrayBuffer(4 * rounds)
    const handles = filters.map((filter) => filter.handle)
    const reports = await Promise.all(
      Array.from({ length: workers }, (_, worker) => {
        const thread = new Worker(fixture, { workerData: { handles, gate, worker, workers, keysPerRound } })
        return new Promise<{ fresh: number }>((resolve, reject) => {
          thread.once('message', resolve)
          thread.once('error', reject)
          thread.once('exit', (code) => reject(new Error(`worker ${worker} exited with ${code} before reporting`)))
        }).finally(() => thread.terminate())
      }),
    )

    let fresh = 0
    for (let round = 0; round < rounds; round++) {
      const shared = filters[round]!
      for (let i = 0; i < keysPerRound; i++) if (!shared.has(`r${round}:${i}`)) expect.fail(`round ${round}: key ${i} is missing, a bit was lost`)
      // The same keys added by one thread set exactly the same bits: none lost, none extra.
      const reference = new BloomFilter(options)
      for (let i = 0; i < keysPerRound; i++) reference.add(`r${round}:${i}`)
      expect(shared.setBits(), `round ${round}`).toBe(reference.setBits())
      fresh += shared.count
    }
    // The shared counters saw every worker's fresh adds.
    expect(fresh).toBe(reports.reduce((sum, report) => sum + report.fresh, 0))
  })
})
