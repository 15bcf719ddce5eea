/**
 * The model in byte mode on a write-then-read mix of bench/arena/recency-sweep.ts with its values of 64 B–4 KiB
 * (stop 49): model − a byte-bounded LRU of the same bytes (key + value + 48 B an entry, capacity = entries ×
 * the mean), whole run and second half, and the hit ratio per capacity of requests. `--equal` gives every
 * entry the same size (the count-mode behaviour in byte units). Deterministic.
 *
 *   npx tsx bench/sim/sweep-bytes-probe.ts [--dist lag|uniform] [--k 0.5] [--back] [--shards 1,4] \
 *     [--equal] [--tune freeTag=1] [--entries 10000]
 */
import { mixTrace, valueLength, type Distance } from '../arena/recency-sweep.js'
import { toolArgs } from '../harness/tool-args.js'
import { OP_READ_THROUGH, OP_WRITE } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { replayByCapacity } from './replay-by-capacity.js'
import { parseTuningList } from './tuning-args.js'

const args = toolArgs()
const entries = Number(args.opt('--entries', '10000'))
const trace = mixTrace(entries, 1, 0.1, args.opt('--dist', 'lag') as Distance, Number(args.opt('--k', '0.5')), args.has('--back'), 7)
const sizes = new Uint32Array(trace.universe)
let sum = 0
for (let i = 0; i < trace.universe; i++) {
  sizes[i] = args.has('--equal') ? 1000 : valueLength(i) + String(i).length + 48
  sum += sizes[i]!
}
const capacity = Math.round((entries * sum) / trace.universe)

/** Exact LRU bounded by bytes: whole-run and second-half hit ratios (%). */
function lruBytes(): [number, number] {
  const m = new Map<number, true>()
  let used = 0
  let hits = 0
  let reads = 0
  let lateHits = 0
  let lateReads = 0
  const half = trace.keys.length / 2
  const put = (key: number): void => {
    if (m.delete(key)) {
      m.set(key, true)
      return
    }
    m.set(key, true)
    used += sizes[key]!
    while (used > capacity) {
      const old = m.keys().next().value as number
      m.delete(old)
      used -= sizes[old]!
    }
  }
  for (let i = 0; i < trace.keys.length; i++) {
    const op = trace.ops![i]!
    const key = trace.keys[i]!
    if (op === OP_WRITE) {
      put(key)
      continue
    }
    reads++
    if (i >= half) lateReads++
    if (m.has(key)) {
      hits++
      if (i >= half) lateHits++
      m.delete(key)
      m.set(key, true)
    } else if (op === OP_READ_THROUGH) put(key)
  }
  return [(100 * hits) / reads, (100 * lateHits) / lateReads]
}

const [lruAll, lruLate] = lruBytes()
const tuning = parseTuningList(args.opt('--tune', ''))
for (const shards of args.numbers('--shards', '1,4')) {
  const r = replayByCapacity(new CortadoModel(capacity, trace, { sizes, shards, tuning }), trace, 0, entries)
  const all = (100 * r.hits) / r.reads - lruAll
  const late = (100 * r.lateHits) / r.lateReads - lruLate
  console.log(`${trace.name}, ${shards} shard(s), ${capacity} bytes: LRU ${lruAll.toFixed(2)}, model − LRU ${all.toFixed(2)} whole, ${late.toFixed(2)} second half (approx.)`)
  console.log('  per capacity: ' + r.blocks.map((x, i) => `${i + 1}:${x.toFixed(0)}`).join(' '))
}
