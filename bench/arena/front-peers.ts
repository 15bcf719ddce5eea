/**
 * The front against lru-cache and against no front, in one process (issue 19's ratios without the
 * bench's short rounds): N stored 100-byte strings, each contender filled once, warmed up, then timed in
 * alternating rounds of 2^19 gets (process CPU time). Prints ops/s ÷ lru-cache's (median of the rounds),
 * the share of gets the front served in the timed rounds and the entries it holds.
 *
 *   npx tsx bench/arena/front-peers.ts <dist>/src/index.js [rounds=5] [case=zipf-1m] [budgets=default]
 *
 * case: {uniform|zipf|built|builtzipf}-{100k|1m}[-after-uniform] (built: the key built per get as
 * get-built-key builds it; -after-uniform: every Cortado cache first serves 2^21 uniform gets of stored
 * keys, as the bench's get-hit runs before get-zipf on the same caches).
 * budgets: comma-separated front budgets in MiB, or `default` (front: true); `0` = no front contender
 * is always there.
 */
import { LRUCache } from 'lru-cache'
import { keyOf, makeKeys, makeValues } from '../harness/data.js'
import { median } from '../harness/stats.js'
import { getSequence, SEQUENCE_LENGTH as SEQ } from './get-sequence.js'

const [lib, roundsArg, caseArg = 'zipf-1m', budgetsArg = 'default'] = process.argv.slice(2)
if (!lib) {
  console.error('usage: npx tsx bench/arena/front-peers.ts <dist>/src/index.js [rounds] [case] [budgets]')
  process.exit(2)
}
const rounds = Number(roundsArg ?? 5)
interface CacheLike { get(k: string): unknown; set(k: string, v: string): unknown; close?(): void; stats?(): { frontHits: number; hits: number } }
const { Cache } = (await import(lib)) as { Cache: (new (o: object) => CacheLike) & { maxBytesFor(entries: number, bytes: number): number } }
const { coreOf } = (await import(new URL('engine/access.js', new URL(lib, 'file:///')).href)) as { coreOf(c: unknown): { front?: { size: number; slowerThanArena?: boolean } } }

const m = /^(uniform|zipf|built|builtzipf)-(100k|1m)(-after-uniform)?$/.exec(caseArg)
if (!m) throw new Error(`unknown case ${caseArg}`)
const entries = m[2] === '1m' ? 1_000_000 : 100_000
const zipf = m[1] === 'zipf' || m[1] === 'builtzipf'
const built = m[1]!.startsWith('built')
const afterUniform = m[3] !== undefined


const keys = makeKeys(entries)
const values = makeValues(entries, 'string', 100) as string[]
const idx = getSequence(entries, zipf, 11)
const uniformIdx = getSequence(entries, false, 12)
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const loopOf = (keyExpr: string, seq: Uint32Array) => new Function('keys', 'idx', 'keyOf',
  `return (cache) => { let n = 0; for (let i = 0; i < ${SEQ}; i++) if (cache.get(${keyExpr}) !== undefined) n++; return n }`)(keys, seq, keyOf) as (c: CacheLike) => number

interface Contender { name: string; cache: CacheLike; loop: (c: CacheLike) => number; ms: number[]; front: number[] }
const contenders: Contender[] = []
const lru = new LRUCache<string, string>({ max: entries })
for (let i = 0; i < entries; i++) lru.set(keys[i]!, values[i]!)
contenders.push({ name: 'lru-cache', cache: lru, loop: loopOf(built ? 'keyOf(idx[i])' : 'keys[idx[i]]', idx), ms: [], front: [] })
const budgets: (number | 'default' | 0)[] = [0, ...budgetsArg.split(',').map((b) => (b === 'default' ? 'default' as const : Number(b)))]
for (const b of budgets) {
  const front = b === 0 ? {} : { front: b === 'default' ? true : { maxBytes: b * 1024 * 1024 } }
  const cache = new Cache({ maxBytes: Cache.maxBytesFor(entries, 8 + 16 + 100), maxEntries: entries, codec: 'string', seed: 1, engine: 'wasm', ...front })
  for (let i = 0; i < entries; i++) cache.set(keys[i]!, values[i]!)
  if (afterUniform) { const u = loopOf('keys[idx[i]]', uniformIdx); for (let r = 0; r < 4; r++) u(cache) }
  contenders.push({ name: b === 0 ? 'cortado' : `front ${b === 'default' ? 'default' : b + ' MiB'}`, cache, loop: loopOf(built ? 'keyOf(idx[i])' : 'keys[idx[i]]', idx), ms: [], front: [] })
}
// Warm-up: two passes each (the JIT settles, a front fills).
for (const c of contenders) { c.loop(c.cache); c.loop(c.cache) }
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? contenders : [...contenders].reverse()
  for (const c of order) {
    const before = c.cache.stats?.().frontHits ?? 0
    const t0 = cpu()
    const hits = c.loop(c.cache)
    c.ms.push(cpu() - t0)
    c.front.push(((c.cache.stats?.().frontHits ?? 0) - before) / SEQ)
    if (hits !== SEQ) throw new Error(`${c.name}: ${SEQ - hits} misses`)
  }
}
const base = contenders[0]!
console.log(`${caseArg}, ${rounds} rounds of ${SEQ} gets; ops/s ÷ lru-cache (median of per-round ratios), front share served`)
for (const c of contenders) {
  const ratios = c.ms.map((ms, i) => base.ms[i]! / ms)
  const size = c === base ? 0 : coreOf(c.cache).front?.size ?? 0
  const slow = c === base ? false : (coreOf(c.cache).front as { slowerThanArena?: boolean } | undefined)?.slowerThanArena === true
  console.log(`  ${c.name.padEnd(16)} ${median(ratios).toFixed(3)}  (rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})` +
    (c === base ? `  ${(SEQ / median(c.ms)).toFixed(0)}k ops/s` : `  served ${median(c.front).toFixed(3)}, holds ${size}${slow ? ", aside: slower than the arena" : ""}`))
}
for (const c of contenders) c.cache.close?.()
