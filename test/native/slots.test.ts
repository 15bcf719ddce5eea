/**
 * Thread slots across processes: processes that share a /dev/shm cache and end without close()
 * (SIGKILLed, or exiting) give their slots back to the next process that needs one, with their counters
 * kept in stats(), so maxThreads bounds the threads attached at once, not how many ever attached.
 */
import { describe, it, expect, afterEach } from 'vitest'
import type { ChildProcess } from 'node:child_process'
import { Cache } from '../../src/index.js'
import { nativeBuilt } from '../conformance/engines.js'
import { spawnChild, nextMessage, exited, shmPath } from './helpers.js'

interface Report { hits: number; misses: number; sets: number }

describe.runIf(nativeBuilt)('thread slots across processes', () => {
  const children: ChildProcess[] = []
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL')
    for (const f of cleanups.splice(0)) f()
  })

  it('4 processes attach one after another to a maxThreads: 2 file cache, each ending without close(); totals exact', async () => {
    const { path, cleanup } = shmPath('slots')
    cleanups.push(cleanup)
    const options = { path, maxBytes: 8 << 20, maxThreads: 2 }
    const cache = new Cache<string>({ engine: 'native', ...options, codec: 'string' })
    let hits = 0, misses = 0, sets = 0
    for (let id = 0; id < 4; id++) {
      const exit = id % 2 === 0 ? 'kill' : 'exit'
      const child = spawnChild('slot-process.ts', [{ ...options, id, ops: 20, exit }])
      children.push(child)
      const r = await nextMessage<Report>(child, (m) => typeof m.hits === 'number')
      hits += r.hits
      misses += r.misses
      sets += r.sets
      if (exit === 'kill') child.kill('SIGKILL')
      await exited(child)
    }
    expect(hits).toBe(4 * 20)
    const s = cache.stats()
    expect({ hits: s.hits, misses: s.misses, sets: s.sets }).toEqual({ hits, misses, sets })
    expect(cache.verify()).toEqual([])
    cache.close()
  }, 120_000)
})
