/**
 * The real cache's drift gate on one recency family (stop 41): at each end of a block of the gate's
 * signal, the window target, whether the block was a fall, and the window's leavers and the share of them hit there
 * (DRIFT_GROW's evidence), read from the shard's POLICY state. One shard. Deterministic.
 *
 *   npx tsx bench/sim/drift-probe.ts [--capacity 10000] [--family 'zipf(0.9) 20 keys/entry, moving every 2×cap'] [--engine wasm|native]
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'
import { Cache } from '../../src/index.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const capacity = Number(args.opt('--capacity', '10000'))
const fam = args.opt('--family', 'zipf(0.9) 20 keys/entry, moving every 2×cap')
const engine = args.opt('--engine', 'wasm') as 'wasm' | 'native'
const trace = recencyWorkloads(42, 1).find((w) => w.name === fam)!.make(capacity)
const cache = new Cache<string>({ engine, shards: 1, maxBytes: capacity * 512 + (16 << 20), maxEntries: capacity, codec: 'string', seed: 0x2545f491 })
const { views } = engineInternals(cache)
const s = cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET
const u32 = (f: number): number => views.u32[(s + f) >>> 2]!
let prevIns = 0, leaves = 0, hits = 0, n = 0, hit = 0
console.log('request/capacity | window | fell | on | leavers | hit share')
for (const key of trace.keys) {
  const k = `m${key}`
  n++
  if (cache.get(k) === undefined) cache.set(k, '1')
  else hit++
  const ins = u32(L.POLICY_DRIFT_INSERTS)
  if (ins < prevIns) console.log(`${(n / capacity).toFixed(2)} | ${(views.f64[(s + L.POLICY_WINDOW_TARGET) >>> 3]! / capacity).toFixed(3)} | ${u32(L.POLICY_DRIFT_FELL)} | ${u32(L.POLICY_DRIFT_ON)} | ${leaves} | ${(leaves === 0 ? 0 : hits / leaves).toFixed(3)}`)
  prevIns = ins
  leaves = u32(L.POLICY_DRIFT_LEAVES)
  hits = u32(L.POLICY_DRIFT_LEAVE_HITS)
}
console.log(`hit ratio ${(100 * hit / n).toFixed(2)}`)
cache.close()
