/**
 * Stop 40: Zipf(0.9) over 20 keys per entry whose popular keys move a few times, then stand still
 * (cache-aside, as the moving families). A drift gate that opens on a move must close again: standing
 * Zipf's lead over LRU should come back after the last move. Prints model − LRU per variant over the
 * whole run and over the last `--tail` capacities. Deterministic.
 *
 *   npx tsx bench/sim/move-once.ts [--sizes 10000] [--moves 10] [--every 2] [--length 40] [--tail 20] \
 *     --variants 'base:;off:driftSweep=0'
 */
import { shiftingTrace } from '../workloads/shifting-trace.js'
import type { Trace } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { LruPolicy } from './policies/lru.js'
import type { Policy } from './policy.js'
import { parseTuningList } from './tuning-args.js'

const argv = process.argv.slice(2)
const opt = (n: string): string | undefined => { const i = argv.indexOf(n); return i < 0 ? undefined : argv[i + 1] }
const sizes = (opt('--sizes') ?? '10000').split(',').map(Number)
const movesList = (opt('--moves') ?? '1,5').split(',').map(Number)
const every = Number(opt('--every') ?? 2)
const lengthCaps = Number(opt('--length') ?? 40)
const tailCaps = Number(opt('--tail') ?? 20)
const variants = (opt('--variants') ?? 'base:').split(';').filter((s) => s !== '').map((v) => {
  const i = v.indexOf(':')
  return { name: v.slice(0, i), tuning: parseTuningList(v.slice(i + 1)) }
})

/** Moves `moves` times, `every` capacities apart, from 10 capacities on; then the keys stand still. */
function trace(capacity: number, moves: number): Trace {
  const length = lengthCaps * capacity
  const phase = Math.round(every * capacity)
  // One long shifting trace supplies the moving part; its keys after the last move repeat that phase's offset.
  const src = shiftingTrace({ keys: 20 * capacity, s: 0.9, length, phase, shift: 10 * capacity, seed: 42 + 70 })
  const keys = new Int32Array(length)
  const start = 10 * capacity
  let universe = 0
  for (let i = 0; i < length; i++) {
    // Standing before `start`, moving for `moves` phases, standing after: the rank within a phase is
    // the key minus its phase's offset.
    const p = Math.floor(i / phase)
    const rank = src.keys[i]! - p * 10 * capacity
    const k = i < start ? 0 : Math.min(moves, Math.floor((i - start) / phase) + 1)
    keys[i] = k * 10 * capacity + rank
    universe = Math.max(universe, keys[i]! + 1)
  }
  return { name: `zipf(0.9) 20 keys/entry, ${moves} moves every ${every}×cap from 10×cap`, keys, universe }
}

function run(p: Policy, t: Trace, from: number): [number, number] {
  let hits = 0
  let tail = 0
  for (let i = 0; i < t.keys.length; i++) {
    const hit = p.access(t.keys[i]!)
    if (hit) {
      hits++
      if (i >= from) tail++
    }
  }
  return [100 * hits / t.keys.length, 100 * tail / (t.keys.length - from)]
}

const out = (s: string): void => { process.stdout.write(s + '\n') }
out(`| row | lru whole / last ${tailCaps}×cap | ${variants.map((v) => v.name).join(' | ')} |`)
out(`|---|---:|${variants.map(() => '---:').join('|')}|`)
for (const size of sizes) {
  for (const moves of movesList) {
    const t = trace(size, moves)
    const from = t.keys.length - tailCaps * size
    const [lw, lt] = run(new LruPolicy(size, t), t, from)
    const cells = variants.map((v) => {
      const [w, tl] = run(new CortadoModel(size, t, { shards: 1, seed: 0x2545f491, tuning: v.tuning }), t, from)
      return `${(w - lw).toFixed(2)} / ${(tl - lt).toFixed(2)}`
    })
    out(`| ${t.name} ${size} | ${lw.toFixed(2)} / ${lt.toFixed(2)} | ${cells.join(' | ')} |`)
  }
}
