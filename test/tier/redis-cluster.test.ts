import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidationBus, RedisStore, TieredCache } from '../../src/tier/index.js'
import { TestCluster, hasServer } from '../helpers/servers.js'
import { makeL1 } from './l1.js'
import { until } from './setup.js'

const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : Buffer.from(value).toString())

describe.skipIf(!hasServer('redis'))('RedisStore and InvalidationBus on a real 3-node Redis Cluster', () => {
  let cluster: TestCluster
  const stores: RedisStore[] = []

  const connect = async () => {
    const seed = cluster.servers[0]!
    const store = await RedisStore.connect({ cluster: [{ host: '127.0.0.1', port: seed.port }] })
    stores.push(store)
    return store
  }

  beforeAll(async () => {
    cluster = await TestCluster.start(3)
  })

  afterAll(async () => {
    for (const store of stores) await store.close()
    await cluster?.stop()
  })

  it('reads and writes batches whose keys span every node', async () => {
    const store = await connect()
    expect(store.client.isCluster).toBe(true)
    const entries = Array.from({ length: 100 }, (_, i) => ({ key: `c:${i}`, value: Buffer.from(`v${i}`), ttl: i % 2 ? 60_000 : 0 }))
    await store.setMany(entries)
    const keys = [...entries.map((e) => e.key), 'c:absent']
    const found = await store.getMany(keys)
    expect(found.map((e) => text(e?.value))).toEqual([...entries.map((e) => `v${e.key.slice(2)}`), undefined])
    expect(found[1]!.ttl).toBeLessThanOrEqual(60_000)
    expect(found[0]!.ttl).toBe(Infinity)
    expect(await store.delete('c:5')).toBe(true)
    expect(await store.get('c:5')).toBeUndefined()
  })

  it('broadcasts invalidations between two instances on cluster clients', async () => {
    const [sa, sb] = [await connect(), await connect()]
    const [busA, busB] = [new InvalidationBus({ client: sa.client }), new InvalidationBus({ client: sb.client })]
    await Promise.all([busA.ready(), busB.ready()])
    const [l1a, l1b] = [makeL1<string>(), makeL1<string>()]
    const a = new TieredCache<string>({ l1: l1a, l2: sa, bus: busA })
    const b = new TieredCache<string>({ l1: l1b, l2: sb, bus: busB })
    try {
      await a.set('shared', 'one')
      expect(await b.get('shared')).toBe('one')
      await a.set('shared', 'two')
      await until(() => !b.l1.has('shared'), 2000)
      expect(await b.get('shared')).toBe('two')
    } finally {
      await a.close()
      await b.close()
      await busA.close()
      await busB.close()
      l1a.close()
      l1b.close()
    }
  })
})
