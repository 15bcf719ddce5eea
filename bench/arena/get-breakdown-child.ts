/**
 * One process of bench/arena/get-breakdown.ts: the steps of a get for one cache size and one key form,
 * timed on the bench's alternating rounds; sends back the median ns per operation of each step.
 */
import { LRUCache } from 'lru-cache'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { writeUtf8 } from '../../src/text.js'
import { childMain } from '../harness/child.js'
import { makeKeys, makeValues } from '../harness/data.js'
import { Prng } from '../workloads/prng.js'
import { runRounds, type Contender } from '../harness/rounds.js'
import { median } from '../harness/stats.js'
import { engineInternals } from '../../src/engine/access.js'

export type KeyForm = 'cons' | 'flat'
export interface BreakdownInput {
  entries: number
  form: KeyForm
  rounds: number
  roundMs: number
}
/** [step, median ns per operation], in the steps' order. */
export type BreakdownOutput = [string, number][]

/** Key indices per step: a power of two, so the loops wrap with a mask. */
const SEQUENCE = 1 << 18

function steps(entries: number, keys: string[]): Contender[] {
  const values = makeValues(entries, 'string', 100) as string[]
  const lru = new LRUCache<string, string>({ max: entries })
  const map = new Map<string, string>()
  const cache = new Cache<string>({ maxBytes: Cache.maxBytesFor(entries, 8 + 16 + 100), maxEntries: entries })
  for (let i = 0; i < entries; i++) {
    lru.set(keys[i], values[i])
    map.set(keys[i], values[i])
    cache.set(keys[i], values[i])
  }
  const rng = new Prng(7)
  const idx = Uint32Array.from({ length: SEQUENCE }, () => rng.nextInt(entries))
  const { exports: ex, views, scratch } = engineInternals(cache)
  const keyAt = scratch + L.RESULT_SIZE
  const room = L.MAX_KEY_BYTES + 1
  const valueAt = views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2] // any stored value's bytes will do
  // One compiled loop per step, so each call site sees one callee (as bench/harness/kernels.ts does).
  const step = (id: string, body: string, env: Record<string, unknown>): Contender => ({
    id,
    run: new Function(...Object.keys(env),
      `return (from, count) => { let s = 0; for (let i = from; i < from + count; i++) { const k = keys[idx[i & ${SEQUENCE - 1}]]; ${body} } return s }`)(
      ...Object.values(env)) as Contender['run'],
  })
  const key = { keys, idx }
  const engine = { ...key, w: writeUtf8, v: views, at: keyAt, room, ex }
  return [
    step('lru-cache get', 'if (c.get(k) !== undefined) s++', { ...key, c: lru }),
    step('Map get', 'if (c.get(k) !== undefined) s++', { ...key, c: map }),
    step('Cortado get', 'if (c.get(k) !== undefined) s++', { ...key, c: cache }),
    step('1. key bytes into the arena', 's += w(v, k, at, room)', engine),
    step('1+2. + engine lookup (hit counted)', 'if (ex.get(w(v, k, at, room), -1, 0) === 1) s++', engine),
    step('1+2. + engine lookup, peek (not counted)', `if (ex.get(w(v, k, at, room), -1, ${L.GET_PEEK}) === 1) s++`, engine),
    // Reads no key: only the copy of a 100-byte value into a new string.
    step('3. value out: latin1Slice of 100 B', 's += buf.latin1Slice(at + (i & 1023), at + (i & 1023) + 100).length',
      { keys: [''], idx: [0], buf: views.buf, at: valueAt - (valueAt & 1023) }),
  ]
}

/** Median ns per operation of each step, over alternating rounds (bench/harness/rounds.ts). */
function measure(contenders: Contender[], rounds: number, roundMs: number): Map<string, number> {
  const { samples, failed } = runRounds(contenders, { rounds, roundMs, chunk: 4096, warmup: true })
  for (const [id, err] of failed) throw new Error(`${id}: ${err.message}`)
  return new Map([...samples].map(([id, s]) => [id, median(s.map((r) => r.ns / r.ops))]))
}

childMain<BreakdownInput, BreakdownOutput>(({ entries, form, rounds, roundMs }) => {
  const cons = makeKeys(entries)
  const keys = form === 'cons' ? cons : (JSON.parse(JSON.stringify(cons)) as string[])
  return [...measure(steps(entries, keys), rounds, roundMs)]
})
