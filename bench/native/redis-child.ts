/**
 * One process with one ioredis client on the Redis under test, at its best: auto-pipelining and 64
 * requests in flight, on the shared-cache workload (Zipf 0.99, 10% sets, 100-byte values).
 * argv[2]: JSON { port, prefill }.
 */
import { Redis } from 'ioredis'
import { IN_FLIGHT, SEQUENCE, makeWorkload } from './workload.js'
import { serveRounds } from './rounds.js'

const args = JSON.parse(process.argv[2]) as { port: number; prefill: boolean }

await serveRounds(async () => {
  const { keys, values, zipf, ops } = makeWorkload()
  const mask = SEQUENCE - 1
  const client = new Redis({ host: '127.0.0.1', port: args.port, enableAutoPipelining: true, maxRetriesPerRequest: 1 })
  await client.ping()
  if (args.prefill) {
    for (let i = 0; i < keys.length; i += 1000) {
      const p = client.pipeline()
      for (let j = i; j < Math.min(keys.length, i + 1000); j++) p.set(keys[j]!, values[j]!)
      await p.exec()
    }
  }
  let cursor = 0
  let hits = 0
  return {
    async mixed(req) {
      const start = process.hrtime.bigint()
      const deadline = start + BigInt(req.ms * 1e6)
      const from = cursor
      const lane = async (): Promise<void> => {
        while (process.hrtime.bigint() < deadline) {
          const n = cursor++ & mask
          const key = keys[zipf[n]!]!
          if (ops[n] === 1) await client.set(key, values[n % values.length]!)
          else if ((await client.get(key)) !== null) hits++
        }
      }
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
      return { ops: cursor - from, ns: Number(process.hrtime.bigint() - start) }
    },
  }
})
