/** Handles cross threads (postMessage, workerData) but are refused in another process. */
import { describe, it, expect } from 'vitest'
import { fork } from 'node:child_process'
import { Cache } from '../../src/index.js'
import { fixture, start, withDeadline } from './fixtures/run.js'

describe('handles', () => {
  it('a handle sent to another process is refused with ERR_INVALID_HANDLE', async () => {
    const cache = new Cache<string>({ maxBytes: 2 << 20 })
    const child = fork(fixture('attach-in-child.mjs'), { stdio: 'ignore' })
    const reply = await withDeadline('child attach', 30_000, new Promise<{ attached: boolean; code?: string }>((resolve) => {
      child.once('message', (m) => resolve(m as { attached: boolean; code?: string }))
      child.send(cache.handle)
    }), () => child.kill())
    child.kill()
    expect(reply.attached).toBe(false)
    expect(reply.code).toBe('ERR_INVALID_HANDLE')
    cache.close()
  })

  it('a worker attached through workerData sees and writes the same entries', async () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, codec: 'string' })
    cache.set('from-main', 'hello')
    const progress = new SharedArrayBuffer(4)
    const w = start<{ id: number; gets: number; hits: number; torn: number }>('stress-worker.mjs', { handle: cache.handle, id: 0, seed: 1, ops: 2000, keys: 50, progress })
    const result = await withDeadline('worker', 30_000, w.done, () => void w.worker.terminate())
    expect(result.torn).toBe(0)
    expect(cache.get('from-main')).toBe('hello')
    expect(cache.size).toBeGreaterThan(1)
    // Closing in the worker did not close the arena for the main thread.
    cache.set('still', 'works')
    expect(cache.get('still')).toBe('works')
    cache.close()
  })
})
