import { describe, expect, it } from 'vitest'
import { runChild } from '../../bench/harness/child.js'
import { spec } from '../../bench/suites/configs.js'
import type { ForkInput, ForkOutput } from '../../bench/arena/fork-child.js'

const CHILD = new URL('../../bench/arena/fork-child.ts', import.meta.url)
const run = (input: ForkInput) => runChild<ForkInput, ForkOutput>(CHILD, input, { timeoutMs: 60_000 })

describe('bench/arena/forks: one fork', () => {
  it.each(['get-hit', 'set-evict'])('times %s for lru-cache and Cortado in a fresh process', async (suite) => {
    const ns = await run({ suite, spec: spec(2000, 'string', 100), rounds: 1 })
    expect(Object.keys(ns).sort()).toEqual(['cortado', 'lru-cache'])
    for (const v of Object.values(ns)) {
      expect(Number.isFinite(v)).toBe(true)
      expect(v).toBeGreaterThan(0)
    }
  }, 60_000)

  it('times the peers it is given (issue 19: the front against Cortado) on get-zipf', async () => {
    const ops = await run({ suite: 'get-zipf', spec: spec(2000, 'string', 100), rounds: 1, peers: ['cortado', 'cortado-front'] })
    expect(Object.keys(ops).sort()).toEqual(['cortado', 'cortado-front', 'lru-cache'])
    for (const v of Object.values(ops)) expect(v).toBeGreaterThan(0)
  }, 60_000)

  it('times the front floor beside the front (issue 19 targets name it)', async () => {
    const ops = await run({ suite: 'get-hit', spec: spec(2000, 'string', 100), rounds: 1, peers: ['cortado-front', 'front-floor'] })
    expect(Object.keys(ops).sort()).toEqual(['cortado-front', 'front-floor', 'lru-cache'])
    for (const v of Object.values(ops)) expect(v).toBeGreaterThan(0)
  }, 60_000)

  it('runs Cortado with another policy when asked', async () => {
    const ops = await run({ suite: 'set-evict', spec: spec(2000, 'string', 100), rounds: 1, policy: 'clock' })
    expect(Object.keys(ops).sort()).toEqual(['cortado', 'lru-cache'])
    await expect(run({ suite: 'set-evict', spec: spec(2000, 'string', 100), rounds: 1, policy: 'lfu' as never })).rejects.toThrow(/policy/)
  }, 60_000)

  it('refuses a suite that the targets do not use', async () => {
    await expect(run({ suite: 'memory', spec: spec(2000, 'string', 100), rounds: 1 })).rejects.toThrow(/no suite "memory" among get-hit, get-zipf, get-built-key, set-evict/)
  }, 60_000)
})
