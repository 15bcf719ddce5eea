/**
 * The real cache's adaptation to a moving hot set (stop 41's probe, revived at stop 43): one shard of the
 * real cache (`--engine wasm|native`) beside LRU on one recency family. Per drift block (the POLICY state
 * read after each request): the window target, whether the block was a fall, the gate, the window's leavers
 * and the share hit there (DRIFT_GROW's evidence), the block's share of inserts back from the ghost and its
 * peak. Then, per move of the hot set (every `--every` capacities): the requests from the move to the end of
 * the first block that fell, and the hit ratio minus LRU's per quarter capacity of requests after the move
 * (mean over the moves from the 10th capacity on). Deterministic.
 *
 *   npx tsx bench/sim/drift-probe.ts [--capacity 10000] [--family 'zipf(0.9) 20 keys/entry, moving every 2×cap']
 *     [--every 2] [--engine wasm|native] [--blocks]
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'
import { Cache } from '../../src/index.js'
import { LruPolicy } from './policies/lru.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const capacity = Number(args.opt('--capacity', '10000'))
const fam = args.opt('--family', 'zipf(0.9) 20 keys/entry, moving every 2×cap')
const every = Number(args.opt('--every', '2'))
const engine = args.opt('--engine', 'wasm') as 'wasm' | 'native'
const blocks = process.argv.includes('--blocks')
const trace = recencyWorkloads(42, 1).find((w) => w.name === fam)!.make(capacity)
const cache = new Cache<string>({ engine, shards: 1, maxBytes: capacity * 512 + (16 << 20), maxEntries: capacity, codec: 'string', seed: 0x2545f491 })
const lru = new LruPolicy(capacity, trace)
const { views } = engineInternals(cache)
const s = cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET
const u32 = (f: number): number => views.u32[(s + f) >>> 2]!
const phase = every * capacity
const quarter = capacity / 4
const quarters = Math.max(1, Math.round(every * 4))
const diff = new Float64Array(quarters)
const seen = new Float64Array(quarters)
const lags: number[] = []
let moveAt = -1, detected = true, moves = 0
let prevIns = 0, prevRet = 0, leaves = 0, hits = 0, n = 0, hit = 0, lruHit = 0
if (blocks) console.log('request/capacity | window | fell | on | leavers | hit share | returns share | peak')
for (const key of trace.keys) {
  if (n > 0 && n % phase === 0) {
    if (!detected) lags.push(Infinity)
    moveAt = n
    detected = false
    moves++
  }
  const k = `m${key}`
  const a = cache.get(k) !== undefined
  if (!a) cache.set(k, '1')
  const b = lru.access(key)
  if (a) hit++
  if (b) lruHit++
  if (moveAt >= 0 && n >= 10 * capacity) {
    const q = Math.floor((n - moveAt) / quarter)
    if (q < quarters) {
      diff[q]! += (a ? 1 : 0) - (b ? 1 : 0)
      seen[q]!++
    }
  }
  n++
  const ins = u32(L.POLICY_DRIFT_INSERTS)
  if (ins < prevIns) {
    const fell = u32(L.POLICY_DRIFT_FELL)
    if (fell !== 0 && !detected && moveAt >= 0) {
      detected = true
      lags.push(n - moveAt)
    }
    if (blocks) console.log(`${(n / capacity).toFixed(2)} | ${(views.f64[(s + L.POLICY_WINDOW_TARGET) >>> 3]! / capacity).toFixed(3)} | ${fell} | ${u32(L.POLICY_DRIFT_ON)} | ${leaves} | ${(leaves === 0 ? 0 : hits / leaves).toFixed(3)} | ${(prevRet / Math.max(1, prevIns)).toFixed(3)} | ${views.f64[(s + L.POLICY_DRIFT_PEAK) >>> 3]!.toFixed(3)}`)
  }
  prevIns = ins
  prevRet = u32(L.POLICY_DRIFT_RETURNS)
  leaves = u32(L.POLICY_DRIFT_LEAVES)
  hits = u32(L.POLICY_DRIFT_LEAVE_HITS)
}
if (!detected) lags.push(Infinity)
const found = lags.filter(Number.isFinite).sort((x, y) => x - y)
const c = (x: number): string => (x / capacity).toFixed(2)
console.log(`${fam}, ${capacity} entries, ${engine}: hit ratio ${(100 * hit / n).toFixed(2)}, LRU ${(100 * lruHit / n).toFixed(2)}`)
console.log(`moves ${moves}, seen by a fall ${found.length}; requests from the move to the fall's first block's end (× capacity): min ${c(found[0] ?? NaN)}, median ${c(found[found.length >> 1] ?? NaN)}, max ${c(found[found.length - 1] ?? NaN)}`)
console.log(`hit ratio − LRU's per quarter capacity after a move (moves from 10 capacities on): ${Array.from(diff, (d, i) => (100 * d / Math.max(1, seen[i]!)).toFixed(2)).join(' ')}`)
cache.close()
