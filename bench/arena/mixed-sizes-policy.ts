/**
 * The default policy against 'clock' with values of two sizes in one cache (stop 36): most values small,
 * a share of them 20–500 × larger (bench/workloads/mixed-sizes.ts). Hit ratios over every read, and
 * of the big and the small values apart: a policy can win on all reads by refusing the big values. Exact
 * (seeded): one run per build; give another build's dist/src/index.js to compare.
 *
 *   npx tsx bench/arena/mixed-sizes-policy.ts [<dist>/src/index.js] [engine=wasm]
 */
import { collectBetweenRows } from '../harness/gc.js'
import { perPolicy } from '../harness/per-policy.js'
import type { BufferCache } from '../workloads/value-replay.js'
import { mixedWriteThenRead, mixedZipf, type MixedResult, type SizeMix } from '../workloads/mixed-sizes.js'

const [path = '../../src/index.js', engine = 'wasm'] = process.argv.slice(2)
type Module = { Cache: new (o: object) => BufferCache }
const { Cache } = (await import(path.startsWith('/') || path.startsWith('.') ? path : `./${path}`)) as Module
const KiB = 1024
const MiB = 1024 * KiB
const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6)
const show = (r: MixedResult) => `${pct(r.all)} ${pct(r.big)} ${pct(r.small)}`

const MIXES: SizeMix[] = [
  { small: 2 * KiB, big: 200 * KiB, bigShare: 0.05 },
  { small: 2 * KiB, big: MiB, bigShare: 0.02 },
  { small: 4 * KiB, big: 40 * KiB, bigShare: 0.2 },
  { small: 500, big: 100 * KiB, bigShare: 0.01 },
]

console.log(`${'workload'.padEnd(36)} ${'mix'.padEnd(22)} cache   | adaptive: all    big  small | clock: all    big  small | all diff`)
for (const mix of MIXES) {
  for (const maxBytes of [64 * MiB, 256 * MiB]) {
    const row = async (name: string, run: (c: BufferCache) => MixedResult): Promise<void> => {
      const [a, c] = perPolicy((policy) => new Cache({ maxBytes, codec: 'buffer', policy, seed: 1, engine }), run)
      await collectBetweenRows()
      const label = `${mix.bigShare * 100}% of ${mix.big / KiB} KiB, ${mix.small} B`
      console.log(`${name.padEnd(36)} ${label.padEnd(22)} ${`${maxBytes / MiB} MiB`.padStart(7)} | ${show(a)} | ${show(c)} | ${((a.all - c.all) * 100).toFixed(1).padStart(6)}`)
    }
    for (const distance of [0.2, 0.5, 0.9]) {
      for (const writeBack of [false, true]) {
        await row(`write-then-read ${distance}×cap ${writeBack ? 'write-back' : 'write-once'}`, (c) => mixedWriteThenRead(c, { maxBytes, mix, distance, writeBack, seed: 1 }))
      }
    }
    for (const every of [10, 0]) {
      await row(every === 0 ? 'zipf(0.9) 20 keys/entry, standing' : `zipf(0.9) moving every ${every}×cap`, (c) => mixedZipf(c, { maxBytes, mix, every, seed: 1 }))
    }
  }
}
