/**
 * Values larger than a segment through a native window against the same values in a direct view
 * (docs/production.md, "Size limits"): set and get of 6 MiB and 40 MiB values in an 8 GiB cache (seen
 * through windows) and a 2 GiB one (seen whole), alternating rounds, medians, windowed ÷ direct.
 *
 *   npx tsx bench/native/window-ratio.ts [rounds=9]
 */
import { Cache } from '../../src/index.js'
const MiB = 2 ** 20
const rounds = Number(process.argv[2] ?? 9)
const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1] }
for (const mib of [6, 40]) {
  const value = Buffer.alloc(mib * MiB, 3)
  const direct = new Cache<Buffer>({ engine: 'native', maxBytes: 2048 * MiB, codec: 'buffer' })
  const windowed = new Cache<Buffer>({ engine: 'native', maxBytes: 8192 * MiB, codec: 'buffer' })
  const r: Record<string, number[]> = { ds: [], ws: [], dg: [], wg: [] }
  const n = Math.max(4, Math.floor(2000 / mib))
  const round = (c: Cache<Buffer>, s: string, g: string) => {
    let t = performance.now()
    for (let i = 0; i < n; i++) c.set('k' + (i % 8), value)
    r[s].push((performance.now() - t) / n)
    t = performance.now()
    for (let i = 0; i < n; i++) c.get('k' + (i % 8))
    r[g].push((performance.now() - t) / n)
  }
  for (let k = 0; k < rounds; k++) { if (k % 2) { round(direct, 'ds', 'dg'); round(windowed, 'ws', 'wg') } else { round(windowed, 'ws', 'wg'); round(direct, 'ds', 'dg') } }
  console.log(`${mib} MiB: set direct ${median(r.ds).toFixed(2)} ms, windowed ${median(r.ws).toFixed(2)} ms, windowed÷direct speed ${(median(r.ds) / median(r.ws)).toFixed(2)}; get direct ${median(r.dg).toFixed(2)} ms, windowed ${median(r.wg).toFixed(2)} ms, ratio ${(median(r.dg) / median(r.wg)).toFixed(2)}`)
  direct.close(); windowed.close()
}
