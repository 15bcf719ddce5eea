/**
 * Sets with eviction of several builds and policies side by side in one process (stop 60): ab-builds.ts's setEvict
 * workload (100k keys cycled through a 4 MiB cache that holds about a quarter of them) for each entry of `--builds`,
 * every round on caches made for it, the entries' order rotated from round to round so host drift and the
 * position in a round hit all alike. Prints each entry's median ns a set and its ratio to the first entry's.
 *
 *   npx tsx bench/arena/set-cost-builds.ts --builds 'main=dist/src/index.js,clock=dist/src/index.js@clock,pre=/work/wt-pre18/dist/src/index.js,preclock=/work/wt-pre18/dist/src/index.js@clock' [--rounds 21]
 *
 * An entry is name=path[@policy] (path relative to the working directory or absolute; policy: a Cache `policy`
 * option, the build's default without it). With a build and its own clock in one run, adaptive ÷ clock is read
 * per build (issue 18's set goal) and the builds against each other in the same minutes: two-build A/B runs
 * (ab-builds.ts) moved by ±3–5% between runs on this host, and a policy's ratio taken in separate runs by more.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { median } from '../harness/stats.js'
import { toolArgs } from '../harness/tool-args.js'

interface CacheLike { set(k: string, v: string): boolean; close?(): void }
type Module = { Cache: new (o: object) => CacheLike }

const args = toolArgs()
const rounds = Number(args.opt('--rounds', '21'))
const specs = args.opt('--builds', '').split(',').filter((s) => s !== '')
if (specs.length === 0 || !Number.isInteger(rounds) || rounds < 1) {
  console.error("usage: npx tsx bench/arena/set-cost-builds.ts --builds 'name=<dist>/src/index.js[@policy],...' [--rounds 21]")
  process.exit(2)
}
const entries = await Promise.all(specs.map(async (spec) => {
  const eq = spec.indexOf('=')
  if (eq <= 0) throw new Error(`--builds: '${spec}' is not name=path[@policy]`)
  const [path, policy] = spec.slice(eq + 1).split('@')
  const mod = (await import(pathToFileURL(resolve(path!)).href)) as Module
  return { name: spec.slice(0, eq), mod, policy, ns: [] as number[] }
}))
const N = 100_000
const keys = Array.from({ length: N }, (_, i) => `key:${i}`)
const value = 'v'.repeat(100)
const pass = (c: CacheLike): number => { let n = 0; for (let i = 0; i < N; i++) if (c.set(keys[i], value)) n++; return n }
for (let round = 0; round < rounds; round++) {
  const order = entries.map((_, i) => (i + round) % entries.length)
  // Every cache of the round is made and filled (one pass: full, evicting) before any is timed.
  const caches = order.map((i) => {
    const e = entries[i]!
    const c = new e.mod.Cache({ maxBytes: 4 << 20, codec: 'string', seed: 1, engine: 'wasm', ...(e.policy ? { policy: e.policy } : {}) })
    pass(c)
    return c
  })
  order.forEach((i, j) => {
    const t0 = process.hrtime.bigint()
    pass(caches[j]!)
    pass(caches[j]!)
    entries[i]!.ns.push(Number(process.hrtime.bigint() - t0) / (2 * N))
  })
  for (const c of caches) c.close?.()
}
const first = median(entries[0]!.ns)
for (const e of entries) {
  const m = median(e.ns)
  console.log(`${e.name.padEnd(12)} ${m.toFixed(0).padStart(5)} ns a set   ${(first / m).toFixed(3)}x of ${entries[0]!.name}   (rounds ${e.ns.map((x) => x.toFixed(0)).join(' ')})`)
}
