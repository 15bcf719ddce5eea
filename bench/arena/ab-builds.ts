/**
 * Two builds of Cortado side by side in one process (e.g. a branch and its base, each built into its
 * own dist/), alternating rounds so host drift hits both: get and set of 100-byte values over 100k
 * keys, and sets that evict (100k keys cycled through a cache that holds about a quarter of them). Prints B's ops/s ÷ A's per round and their median. Run it in both orders (swap A and B): on a
 * loaded host the one measured first in a round can be favoured.
 *
 *   npx tsx bench/arena/ab-builds.ts <A>/dist/src/index.js <B>/dist/src/index.js [rounds=11] [engine=auto]
 *
 * engine: wasm, native or auto (native when each build finds its addon; the Cache's own default is wasm).
 * POLICY=clock (environment): both builds' caches with that replacement policy instead of their default.
 */
import { median } from '../harness/stats.js'

const [pathA, pathB, roundsArg, engineArg] = process.argv.slice(2)
if (!pathA || !pathB) {
  console.error('usage: npx tsx bench/arena/ab-builds.ts <A>/dist/src/index.js <B>/dist/src/index.js [rounds]')
  process.exit(2)
}
const rounds = Number(roundsArg ?? 11)
const engine = engineArg ?? 'auto'
interface CacheLike { get(k: string): unknown; set(k: string, v: string): boolean }
type Module = { Cache: new (o: object) => CacheLike }
const [a, b] = await Promise.all([import(pathA) as Promise<Module>, import(pathB) as Promise<Module>])
const N = 100_000
const keys = Array.from({ length: N }, (_, i) => `key:${i}`)
const value = 'v'.repeat(100)
const policy = process.env.POLICY ? { policy: process.env.POLICY } : {}
function filled(mod: Module): CacheLike {
  const c = new mod.Cache({ maxBytes: 64 << 20, codec: 'string', seed: 1, engine, ...policy })
  for (const k of keys) c.set(k, value)
  return c
}
/** A cache holding about a quarter of the keys: every set of the cycle evicts. */
const small = (mod: Module): CacheLike => new mod.Cache({ maxBytes: 4 << 20, codec: 'string', seed: 1, engine, ...policy })
const loops = {
  get: (c: CacheLike) => { let n = 0; for (let r = 0; r < 5; r++) for (let i = 0; i < N; i++) if (c.get(keys[i]) !== undefined) n++; return n },
  set: (c: CacheLike) => { let n = 0; for (let r = 0; r < 2; r++) for (let i = 0; i < N; i++) if (c.set(keys[i], value)) n++; return n },
  setEvict: (c: CacheLike) => { let n = 0; for (let i = 0; i < N; i++) if (c.set(keys[i], value)) n++; return n },
}
const ratios: Record<keyof typeof loops, number[]> = { get: [], set: [], setEvict: [] }
const mods = [a, b]
for (let round = 0; round < rounds; round++) {
  // A first in even rounds, B first in odd ones. Each round measures caches made for it (created in
  // the same order): an arena's placement in memory moves its speed by a few percent, and one pair of
  // caches kept for every round made identical builds differ by 3-5% (A/A runs).
  const order = round % 2 === 0 ? [0, 1] : [1, 0]
  const made: CacheLike[][] = [[], []]
  for (const who of order) {
    const evicting = small(mods[who]!)
    loops.setEvict(evicting) // full before it is measured
    made[who] = [filled(mods[who]!), evicting]
  }
  for (const name of ['get', 'set', 'setEvict'] as const) {
    const ms = [0, 0]
    for (const who of order) {
      const c = made[who]![name === 'setEvict' ? 1 : 0]!
      const t0 = performance.now()
      loops[name](c)
      ms[who] = performance.now() - t0
    }
    ratios[name].push(ms[0] / ms[1])
  }
  for (const pair of made) for (const c of pair) (c as { close?: () => void }).close?.()
}
for (const name of ['get', 'set', 'setEvict'] as const)
  console.log(`${name}: B ops/s ÷ A ops/s, median of ${rounds} alternating rounds: ${median(ratios[name]).toFixed(3)} (rounds ${ratios[name].map((r) => r.toFixed(2)).join(' ')})`)
