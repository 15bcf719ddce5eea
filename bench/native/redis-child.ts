/**
 * One process with one ioredis client on the Redis under test, at its best with 64 requests in flight:
 * one pipeline() of 64 commands at a time (measured here: ~25% more ops/s than 64 concurrent awaits
 * with auto-pipelining), on the shared-cache workload (Zipf 0.99, 10% sets, 100-byte values).
 * argv[2]: JSON { port, prefill }.
 */
import { Redis } from 'ioredis'
import { IN_FLIGHT, SEQUENCE, makeWorkload } from './workload.js'
import { serveRounds } from './rounds.js'

const args = JSON.parse(process.argv[2]) as { port: number; prefill: boolean }

await serveRounds(async () => {
  const { keys, values, zipf, ops } = makeWorkload()
  const mask = SEQUENCE - 1
  const client = new Redis({ host: '127.0.0.1', port: args.port, maxRetriesPerRequest: 1 })
  await client.ping()
  if (args.prefill) {
    for (let i = 0; i < keys.length; i += 1000) {
      const p = client.pipeline()
      for (let j = i; j < Math.min(keys.length, i + 1000); j++) p.set(keys[j]!, values[j]!)
      await p.exec()
    }
  }
  let cursor = 0
  return {
    async mixed(req) {
      const start = process.hrtime.bigint()
      const deadline = start + BigInt(req.ms * 1e6)
      const from = cursor
      while (process.hrtime.bigint() < deadline) {
        const p = client.pipeline()
        for (let j = 0; j < IN_FLIGHT; j++) {
          const n = cursor++ & mask
          const key = keys[zipf[n]!]!
          if (ops[n] === 1) p.set(key, values[n % values.length]!)
          else p.get(key)
        }
        await p.exec()
      }
      return { ops: cursor - from, ns: Number(process.hrtime.bigint() - start) }
    },
  }
})
