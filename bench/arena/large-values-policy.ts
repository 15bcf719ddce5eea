/**
 * The default policy against 'clock' with values of 40 KiB–1 MiB (stop 35): write-then-read (reads
 * over the last 0.2 / 0.5 / 0.9 × capacity written, written once or written back on a miss) and
 * cache-aside Zipf moving every 2 / 10 capacities or standing, for each value size and cache size.
 * Hit ratios are exact (seeded), so one run per build is enough; give another build's
 * dist/src/index.js to compare (e.g. a worktree of the commit before).
 *
 *   npx tsx bench/arena/large-values-policy.ts [<dist>/src/index.js] [engine=wasm] [sized|counted]
 *
 * sized: each cache gets expectedEntrySize = the values' size (fewer, larger shards: what the
 * CORTADO_SHARDS warning advises), instead of the default 128 B. counted: maxEntries = the values
 * that fit (capacityFor), a count bound instead of bytes.
 */
import { collectBetweenRows } from '../harness/gc.js'
import { perPolicy } from '../harness/per-policy.js'
import { capacityFor, movingZipf, writeThenRead, type BufferCache } from '../workloads/large-values.js'

const [path = '../../src/index.js', engine = 'wasm', mode] = process.argv.slice(2)
type Module = { Cache: new (o: object) => BufferCache }
const { Cache } = (await import(path.startsWith('/') || path.startsWith('.') ? path : `./${path}`)) as Module
const KiB = 1024
const MiB = 1024 * KiB
const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6)
const make = (policy: string, maxBytes: number, size: number) =>
  new Cache({
    maxBytes, codec: 'buffer', policy, seed: 1, engine,
    ...(mode === 'sized' ? { expectedEntrySize: size } : mode === 'counted' ? { maxEntries: capacityFor(maxBytes, size) } : {}),
  })

console.log('workload                                       values   cache  adaptive   clock    diff')
for (const size of [40 * KiB, 100 * KiB, 256 * KiB, MiB]) {
  for (const maxBytes of [16 * MiB, 64 * MiB, 256 * MiB]) {
    if (capacityFor(maxBytes, size) < 8) continue
    const row = async (name: string, run: (c: BufferCache) => number): Promise<void> => {
      const [a, c] = perPolicy((policy) => make(policy, maxBytes, size), run)
      await collectBetweenRows()
      console.log(`${name.padEnd(45)} ${`${size / KiB} KiB`.padStart(8)} ${`${maxBytes / MiB} MiB`.padStart(7)}  ${pct(a)}  ${pct(c)}  ${((a - c) * 100).toFixed(1).padStart(6)}`)
    }
    for (const distance of [0.2, 0.5, 0.9]) {
      for (const writeBack of [false, true]) {
        await row(`write-then-read ${distance}×cap ${writeBack ? 'write-back' : 'write-once'}`, (c) => writeThenRead(c, { maxBytes, size, distance, writeBack, seed: 1 }))
      }
    }
    for (const every of [2, 10, 0]) {
      await row(every === 0 ? 'zipf(0.9) 20 keys/entry, standing' : `zipf(0.9) 20 keys/entry, moving every ${every}×cap`, (c) => movingZipf(c, { maxBytes, size, every, seed: 1 }))
    }
  }
}
