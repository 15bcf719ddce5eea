/**
 * Hit ratio per capacity of requests on one recency family (issue 18, stop 31): where a whole-run
 * figure comes from, the start-up after the fill or the steady state. `npm run sim -- --recency`
 * replays each family for a fixed length (20 capacities after the fill for write-then-read), so a
 * policy that adapts late, or that keeps the fill longer, shows in the whole-run figure as a gain or
 * a loss that a longer run would not show. Prints, per block of `capacity` requests after the fill,
 * the hit ratio of LRU and of each subject (the model with its constants as built, the model with
 * `--tune` overrides, the real cache on one shard, either engine), then the whole run and its
 * second half. Deterministic (seeded traces, seeded caches); the host's load does not change it.
 *
 *   npx tsx bench/sim/per-capacity.ts --family 'write-then-read 0.9×cap write-back' \
 *     [--capacity 10000] [--capacities 40] [--tune tieUnasked=3] [--real wasm|native] [--every 1]
 *
 * `--family` takes a family name as `npm run sim -- --recency` prints it; `--capacities` the length
 * after the fill (the families' own length when absent); `--every N` prints every Nth block. For a
 * write-then-read family, `--share W` writes a new key in a share W of the requests (the suite's 0.1)
 * and `--cold` starts it empty, reads beginning with the first write (no fill of writes alone).
 */
import { recencyWorkloads } from '../workloads/recency-suite.js'
import type { Trace } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { parseTuningList } from './tuning-args.js'
import { LruPolicy } from './policies/lru.js'
import { loadRealCache, RealCachePolicy } from './policies/cortado.js'
import type { Policy } from './policy.js'
import { replayByCapacity, type CapacityRun } from './replay-by-capacity.js'
import { writeThenReadTrace } from '../workloads/recency-trace.js'

const argv = process.argv.slice(2)
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i < 0 ? undefined : argv[i + 1]
}
const capacity = Number(opt('--capacity') ?? 10_000)
const familyName = opt('--family') ?? 'write-then-read 0.5×cap write-once'
const capacities = opt('--capacities')
const every = Number(opt('--every') ?? 1)
const real = opt('--real') as 'wasm' | 'native' | undefined
const tuning = parseTuningList(opt('--tune') ?? '')
const cold = argv.includes('--cold')
const share = opt('--share')

/** The family's trace; a write-then-read family can be made longer than the suite's 20 capacities. */
function makeTrace(): { trace: Trace; fill: number } {
  const wtr = /^write-then-read ([\d.]+)×cap (write-once|write-back)$/.exec(familyName)
  if (wtr !== null && (capacities !== undefined || cold || share !== undefined)) {
    const distance = Number(wtr[1])
    const trace = writeThenReadTrace({
      capacity, distance, length: capacity * Number(capacities ?? 20), writeBack: wtr[2] === 'write-back', seed: 42 + Math.round(distance * 10),
      writeShare: share === undefined ? undefined : Number(share), fill: !cold,
    })
    return { trace, fill: cold ? 0 : capacity }
  }
  if (cold || share !== undefined) throw new Error('--cold, --share: only for write-then-read families')
  const family = recencyWorkloads().find((w) => w.name === familyName)
  if (family === undefined) throw new Error(`--family ${familyName}: not a recency family (${recencyWorkloads().map((w) => w.name).join('; ')})`)
  if (capacities !== undefined) throw new Error('--capacities: only write-then-read families can be lengthened')
  return { trace: family.make(capacity), fill: wtr !== null ? capacity : 0 }
}

interface Run extends CapacityRun { name: string }

function replay(name: string, p: Policy, trace: Trace, fill: number): Run {
  return { name, ...replayByCapacity(p, trace, fill, capacity) }
}

const { trace, fill } = makeTrace()
const runs: Run[] = [replay('lru', new LruPolicy(capacity, trace), trace, fill)]
const tuned = Object.keys(tuning).length > 0
runs.push(replay('model', new CortadoModel(capacity, trace), trace, fill))
if (tuned) runs.push(replay(`model ${opt('--tune')}`, new CortadoModel(capacity, trace, { tuning }), trace, fill))
if (real !== undefined) {
  const Cache = await loadRealCache()
  const cache = new RealCachePolicy(Cache, capacity, trace, 0x2545f491, { engine: real, shards: 1 })
  runs.push(replay(`real (${real}, 1 shard)`, cache, trace, fill))
  cache.close()
}

const pct = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(2))
console.log(`${familyName}${share !== undefined ? `, write share ${share}` : ''} · ${capacity} entries · ${runs[0]!.blocks.length} capacities of requests ${cold ? 'from empty' : 'after the fill'}`)
console.log(`| capacity | ${runs.map((r) => r.name).join(' | ')} |`)
console.log(`|---:|${runs.map(() => '---:').join('|')}|`)
for (let b = 0; b < runs[0]!.blocks.length; b++) {
  if ((b + 1) % every !== 0 && b !== 0) continue
  console.log(`| ${b + 1} | ${runs.map((r) => pct(r.blocks[b]!)).join(' | ')} |`)
}
console.log(`| **whole run** | ${runs.map((r) => pct((100 * r.hits) / r.reads)).join(' | ')} |`)
console.log(`| **second half** | ${runs.map((r) => pct((100 * r.lateHits) / r.lateReads)).join(' | ')} |`)
