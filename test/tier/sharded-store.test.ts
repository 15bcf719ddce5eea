import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemcachedStore, RemotePartialError, ShardedStore } from '../../src/tier/index.js'
import { TestServer, hasServer } from '../helpers/servers.js'

const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : Buffer.from(value).toString())

describe.skipIf(!hasServer('memcached'))('ShardedStore over three real memcached nodes', () => {
  const servers: TestServer[] = []
  const nodes = new Map<string, MemcachedStore>()
  let sharded: ShardedStore

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const server = await TestServer.start('memcached')
      servers.push(server)
      nodes.set(`node-${i}`, await MemcachedStore.connect(server.address, { retryDelay: 60_000 }))
    }
    sharded = new ShardedStore({ nodes })
  })

  afterAll(async () => {
    await sharded?.close()
    for (const server of servers) await server.stop()
  })

  it('puts each key on the node the ring picks, and spreads keys over every node', async () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({ key: `s:${i}`, value: Buffer.from(`v${i}`) }))
    await sharded.setMany(entries)
    const perNode = new Map<string, number>()
    for (const { key } of entries) {
      const owner = sharded.ring.locate(key)!
      perNode.set(owner, (perNode.get(owner) ?? 0) + 1)
      for (const [name, node] of nodes) {
        const entry = await node.get(key)
        expect(entry !== undefined, `${key} on ${name}`).toBe(name === owner)
      }
    }
    expect(perNode.size).toBe(3)
    for (const count of perNode.values()) expect(count).toBeGreaterThan(50)
    const back = await sharded.getMany(entries.map((e) => e.key))
    expect(back.map((e) => text(e?.value))).toEqual(entries.map((e) => String(e.value)))
    expect(text((await sharded.get('s:7'))?.value)).toBe('v7')
    expect(await sharded.delete('s:7')).toBe(true)
    expect(await sharded.get('s:7')).toBeUndefined()
  })

  it('keeps the healthy nodes\' answers when one node is down', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `p:${i}`)
    await sharded.setMany(keys.map((key) => ({ key, value: Buffer.from(key) })))
    const downName = 'node-1'
    await servers[1]!.kill()
    const error = await sharded.getMany(keys).then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).toBeInstanceOf(RemotePartialError)
    const partial = error as RemotePartialError
    const lost = keys.filter((key) => sharded.ring.locate(key) === downName)
    expect(lost.length).toBeGreaterThan(0)
    expect(partial.failedKeys.sort()).toEqual(lost.sort())
    keys.forEach((key, i) => {
      expect(text(partial.values[i]?.value)).toBe(lost.includes(key) ? undefined : key)
    })
    expect(sharded.available).toBe(true)
    expect(nodes.get(downName)!.available).toBe(false)
  })
})
