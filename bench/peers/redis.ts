/**
 * Redis on loopback through ioredis: the usual way to share a cache between threads or processes today.
 * Not a `Peer` (every call is a network round trip, so it is asynchronous); the redis suite drives it
 * with many requests in flight, which ioredis pipelines onto the one connection.
 */
import { spawnSync } from 'node:child_process'
import { Redis } from 'ioredis'
import { packageVersion } from '../harness/project.js'
import { TestServer } from '../../test/helpers/servers.js'

export const REDIS_BINARY = 'redis-server'

export function redisServerOnPath(): boolean {
  return spawnSync('sh', ['-c', `command -v ${REDIS_BINARY}`], { stdio: 'ignore' }).status === 0
}

export function redisServerVersion(): string {
  const out = spawnSync(REDIS_BINARY, ['--version'], { encoding: 'utf8' }).stdout ?? ''
  return /v=(\S+)/.exec(out)?.[1] ?? 'unknown'
}

export interface RedisPeer {
  readonly id: 'redis'
  readonly name: string
  readonly client: Redis
  stop(): Promise<void>
}

/**
 * Starts a redis-server on a free loopback port with persistence off (`--save '' --appendonly no`) and
 * connects one client with auto-pipelining: concurrent commands issued in the same tick go out as one
 * write, which is Redis at its best for a single client.
 */
export async function startRedis(): Promise<RedisPeer> {
  const server = await TestServer.start('redis')
  const client = new Redis({ host: '127.0.0.1', port: server.port, enableAutoPipelining: true, maxRetriesPerRequest: 1 })
  try {
    await client.ping()
  } catch (err) {
    client.disconnect()
    await server.stop()
    throw err
  }
  return {
    id: 'redis',
    name: `Redis ${redisServerVersion()} (ioredis ${packageVersion('ioredis')})`,
    client,
    async stop() {
      client.disconnect()
      await server.stop()
    },
  }
}
