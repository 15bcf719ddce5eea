/**
 * MemcachedStore's backoff options are checked when the store is made (no server needed): a delay that
 * is not a finite number >= 0 made the backoff time NaN, so an unanswering server was never backed off.
 */
import { describe, expect, it } from 'vitest'
import { MemcachedStore } from '../../src/tier/index.js'

// What the constructor reads of a memjs client before any request: its one server.
const fakeClient = { servers: [{}] } as never

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
    return undefined
  } catch (e) {
    return (e as { code?: string }).code
  }
}

describe('MemcachedStore: retryDelay and clock', () => {
  for (const retryDelay of [Number.NaN, -1, '1000', Infinity]) {
    it(`refuses retryDelay ${String(retryDelay)} in new MemcachedStore and connect()`, async () => {
      expect(codeOf(() => new MemcachedStore({ client: fakeClient, retryDelay: retryDelay as number }))).toBe('ERR_INVALID_OPTION')
      // Refused before any client is made: nothing listens on port 1.
      await expect(MemcachedStore.connect('127.0.0.1:1', { retryDelay: retryDelay as number })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    })
  }

  it('refuses a clock that is not a function returning milliseconds', () => {
    expect(codeOf(() => new MemcachedStore({ client: fakeClient, clock: 5 as never }))).toBe('ERR_INVALID_OPTION')
    expect(codeOf(() => new MemcachedStore({ client: fakeClient, clock: () => Number.NaN }))).toBe('ERR_INVALID_OPTION')
  })

  it('takes a valid delay and clock', () => {
    expect(codeOf(() => new MemcachedStore({ client: fakeClient, retryDelay: 0, clock: () => 1 }))).toBeUndefined()
  })
})
