/**
 * One process holding one Cortado cache: the WebAssembly engine, or the native engine (anonymous, or
 * the shared file given as `path`). Suites: single get and set, getMany and setMany of 64 keys, and the
 * shared-cache workload (Zipf 0.99, 10% sets) for the comparison with Redis.
 * argv[2]: JSON { engine, path?, prefill }.
 */
import { Cache } from '../../src/index.js'
import { BATCH, SEQUENCE, makeWorkload } from './workload.js'
import { serveRounds, timeSuite, type RoundRequest, type Suite } from './rounds.js'

interface Args { engine: 'wasm' | 'native'; path?: string; prefill: boolean }
const args = JSON.parse(process.argv[2]) as Args

await serveRounds(async () => {
  const w = makeWorkload()
  const { keys, values, uniform, zipf, ops } = w
  const mask = SEQUENCE - 1
  const cache = new Cache<string>({ engine: args.engine, path: args.path, maxBytes: 64 << 20, codec: 'string', seed: 7 })
  if (args.prefill) for (let i = 0; i < keys.length; i++) cache.set(keys[i]!, values[i]!)
  const batchKeys = Array.from({ length: BATCH }, () => '')
  const batchEntries = Array.from({ length: BATCH }, () => ['', ''] as [string, string])
  let sink = 0

  const suites: Record<string, Suite> = {
    get(from, count) {
      for (let i = from; i < from + count; i++) if (cache.get(keys[uniform[i & mask]!]!) !== undefined) sink++
    },
    set(from, count) {
      for (let i = from; i < from + count; i++) {
        const k = uniform[i & mask]!
        cache.set(keys[k]!, values[(k + i) % values.length]!)
      }
    },
    getMany(from, count) {
      for (let i = from; i < from + count; i += BATCH) {
        for (let j = 0; j < BATCH; j++) batchKeys[j] = keys[uniform[(i + j) & mask]!]!
        sink += cache.getMany(batchKeys).length
      }
    },
    setMany(from, count) {
      for (let i = from; i < from + count; i += BATCH) {
        for (let j = 0; j < BATCH; j++) {
          const k = uniform[(i + j) & mask]!
          const e = batchEntries[j]!
          e[0] = keys[k]!
          e[1] = values[(k + i) % values.length]!
        }
        cache.setMany(batchEntries)
      }
    },
    // The same operations 64 at a time, as Redis gets them: each window's gets in one getMany, its
    // sets in one setMany.
    mixedMany(from, count) {
      for (let i = from; i < from + count; i += BATCH) {
        let g = 0
        let st = 0
        for (let j = 0; j < BATCH; j++) {
          const n = (i + j) & mask
          const key = keys[zipf[n]!]!
          if (ops[n] === 1) {
            const e = batchEntries[st++]!
            e[0] = key
            e[1] = values[n % values.length]!
          } else batchKeys[g++] = key
        }
        batchKeys.length = g
        batchEntries.length = st
        if (st > 0) cache.setMany(batchEntries)
        sink += cache.getMany(batchKeys).length
        batchKeys.length = BATCH
        for (let j = batchEntries.length; j < BATCH; j++) batchEntries[j] = ['', '']
      }
    },
    mixed(from, count) {
      for (let i = from; i < from + count; i++) {
        const n = i & mask
        const key = keys[zipf[n]!]!
        if (ops[n] === 1) cache.set(key, values[n % values.length]!)
        else if (cache.get(key) !== undefined) sink++
      }
    },
  }
  let cursor = 0
  const handlers: Record<string, (req: RoundRequest) => { ops: number; ns: number }> = {}
  for (const [name, suite] of Object.entries(suites)) {
    handlers[name] = (req) => {
      const r = timeSuite(suite, cursor, req.ms, BATCH * 16)
      cursor = r.next
      return { ops: r.ops, ns: r.ns }
    }
  }
  process.on('exit', () => { if (sink < 0) console.log(sink) })
  return handlers
})
