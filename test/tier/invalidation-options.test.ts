import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import { InvalidationBus } from '../../src/tier/index.js'

/** Just enough of an ioredis client for the bus to be built and closed without a server. */
function fakeClient() {
  const subscriber = Object.assign(new EventEmitter(), { connect: () => Promise.resolve(), disconnect: () => {} })
  return Object.assign(new EventEmitter(), { isCluster: false, duplicate: () => subscriber, publish: () => Promise.resolve(0) })
}

const build = (options: Record<string, unknown>) => new InvalidationBus({ client: fakeClient() as never, ...options })

describe('InvalidationBus options', () => {
  it.each([
    ['batchDelay', -1], ['batchDelay', Number.NaN], ['batchDelay', Infinity], ['batchDelay', '5'],
    ['retryDelay', -0.5], ['retryDelay', Infinity], ['maxBatch', -1], ['maxPending', Number.NaN], ['maxPending', -Infinity],
  ])('refuses %s = %s with ERR_INVALID_OPTION', (name, value) => {
    let caught: unknown
    try {
      build({ [name]: value })
    } catch (err) {
      caught = err
    }
    expect(isCortadoError(caught, 'ERR_INVALID_OPTION'), String(caught)).toBe(true)
    expect(String((caught as Error).message)).toContain(name)
  })

  it('takes Infinity for the counts (no bound) and zero delays', async () => {
    const bus = build({ maxPending: Infinity, maxBatch: Infinity, batchDelay: 0, retryDelay: 0 })
    await bus.close()
  })
})
