import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import { InvalidationBus } from '../../src/tier/index.js'

/** Just enough of an ioredis client for the bus to be built and closed without a server. */
function fakeClient(sent: string[] = []) {
  const subscriber = Object.assign(new EventEmitter(), { connect: () => Promise.resolve(), disconnect: () => {} })
  const publish = (_channel: string, text: string) => {
    sent.push(text)
    return Promise.resolve(0)
  }
  return Object.assign(new EventEmitter(), { isCluster: false, duplicate: () => subscriber, publish })
}

const build = (options: Record<string, unknown>, sent?: string[]) => new InvalidationBus({ client: fakeClient(sent) as never, ...options })

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

  it('takes Infinity for the counts (no bound) and zero delays: 5,000 keys leave in one message', async () => {
    const sent: string[] = []
    const bus = build({ maxPending: Infinity, maxBatch: Infinity, batchDelay: 0, retryDelay: 0 }, sent)
    for (let i = 0; i < 5000; i++) bus.publish(`k${i}`)
    await bus.flush()
    expect(sent).toHaveLength(1)
    expect((JSON.parse(sent[0]!) as { keys: string[] }).keys).toHaveLength(5000)
    expect(bus.stats()).toMatchObject({ keysPublished: 5000, messagesSent: 1 })
    await bus.close()
  })

  it('a finite maxBatch splits the keys into messages of at most that many', async () => {
    const sent: string[] = []
    const bus = build({ maxBatch: 300 }, sent)
    for (let i = 0; i < 1000; i++) bus.publish(`k${i}`)
    await bus.flush()
    expect(sent.map((t) => (JSON.parse(t) as { keys: string[] }).keys.length)).toEqual([300, 300, 300, 100])
    await bus.close()
  })
})
