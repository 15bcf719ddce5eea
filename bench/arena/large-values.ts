/**
 * Values larger than the default segment, stored by default (a chain of segments) against the same
 * values in segments made large enough for them (maxEntrySize), in one process, alternating rounds:
 * gets and same-size overwrites of 8 keys, 64 MiB caches, Buffer values.
 *
 *   npx tsx bench/arena/large-values.ts [rounds=9]
 */
import { Cache } from '../../src/index.js'

const rounds = Number(process.argv[2] ?? 9)
const KiB = 1024
const MiB = 1024 * KiB
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
for (const engine of ['wasm', 'native'] as const) {
  for (const size of [40 * KiB, 256 * KiB, MiB]) {
    let chained: Cache<Buffer>, flat: Cache<Buffer>
    try {
      chained = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer' })
      flat = new Cache<Buffer>({ engine, maxBytes: 64 * MiB, codec: 'buffer', maxEntrySize: MiB + 4 * KiB })
    } catch (err) {
      console.log(`${engine}: ${(err as Error).message}`)
      break
    }
    const value = Buffer.alloc(size, 3)
    for (const c of [chained, flat]) for (let i = 0; i < 8; i++) c.set(`k${i}`, value)
    const n = Math.max(20, Math.floor((64 * MiB) / size))
    const gets: number[] = []
    const sets: number[] = []
    for (let round = 0; round < rounds; round++) {
      const g = [0, 0]
      const s = [0, 0]
      for (const who of round % 2 ? [1, 0] : [0, 1]) {
        const c = who === 0 ? chained : flat
        let t0 = performance.now()
        for (let i = 0; i < n; i++) c.get(`k${i & 7}`)
        g[who] = performance.now() - t0
        t0 = performance.now()
        for (let i = 0; i < n / 4; i++) c.set(`k${i & 7}`, value)
        s[who] = performance.now() - t0
      }
      gets.push(g[1]! / g[0]!)
      sets.push(s[1]! / s[0]!)
    }
    console.log(`${engine} ${size / KiB} KiB: chained ÷ one segment (ops/s), median of ${rounds}: get ${median(gets).toFixed(2)}, set ${median(sets).toFixed(2)} ` +
      `(segments ${chained.geometry.segBytes / KiB} KiB × ${chained.geometry.shardCount} shards vs ${flat.geometry.segBytes / KiB} KiB × ${flat.geometry.shardCount})`)
    chained.close()
    flat.close()
  }
}
