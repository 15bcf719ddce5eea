import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readAnchors } from '../../bench/sim/anchors.js'
import { AdaptiveWTinyLfuPolicy } from '../../bench/sim/policies/adaptive-wtinylfu.js'
import { ArcPolicy } from '../../bench/sim/policies/arc.js'
import { LruPolicy } from '../../bench/sim/policies/lru.js'
import { OptPolicy } from '../../bench/sim/policies/opt.js'
import { S3FifoPolicy } from '../../bench/sim/policies/s3fifo.js'
import { WTinyLfuPolicy } from '../../bench/sim/policies/wtinylfu.js'
import type { PolicyFactory } from '../../bench/sim/policy.js'
import { simulate } from '../../bench/sim/simulate.js'
import { readTrace } from '../../bench/sim/traces/read.js'
import { ANCHORS_FILE, tracePath } from './paths.js'

const pct = (factory: PolicyFactory, trace: Awaited<ReturnType<typeof readTrace>>, size: number): number =>
  Math.round(simulate(trace, '', size, factory(size, trace)).hitRatio * 10_000) / 100

const oltp = tracePath('OLTP.lis.gz')

describe('reference policies against published numbers', () => {
  // Megiddo & Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache", FAST 2003, Table VIII (OLTP).
  it.skipIf(oltp === undefined)('LRU reproduces the ARC paper on OLTP exactly', async () => {
    const t = await readTrace(oltp!)
    expect(t.keys.length).toBe(914_145)
    const paper: [number, number][] = [
      [1000, 32.83],
      [2000, 42.47],
      [5000, 53.65],
      [10000, 60.7],
      [15000, 64.63],
    ]
    for (const [size, lru] of paper) expect(pct((c, tr) => new LruPolicy(c, tr), t, size), `LRU at ${size}`).toBe(lru)
  })
  if (oltp === undefined) it.skip('LRU vs the ARC paper: ../shared/traces/OLTP.lis.gz is absent', () => {})

  // The other columns of the anchors file, measured on the same traces with the methods it describes.
  // Tolerances in points: exact methods (LRU, ARC, OPT) to the hundredth; S3-FIFO's description leaves
  // small choices open; W-TinyLFU differs only by its sketch's hash functions, which matter on the
  // 6,015-request gli trace (±2 points across seeds) and by up to 0.7 on OLTP; the adaptive column is "an
  // approximation of Caffeine" in the anchors and here, so it is printed, not asserted.
  const columns: [string, PolicyFactory, Record<string, number>][] = [
    ['lru', (c, t) => new LruPolicy(c, t), { OLTP: 0.005, P3: 0.005, gli: 0.005 }],
    ['arc', (c, t) => new ArcPolicy(c, t), { OLTP: 0.02, P3: 0.02, gli: 0.02 }],
    ['opt', (c, t) => new OptPolicy(c, t), { OLTP: 0.02, P3: 0.02, gli: 0.02 }],
    ['s3fifo', (c, t) => new S3FifoPolicy(c, t), { OLTP: 0.1, P3: 0.5, gli: 0.1 }],
    ['wtinylfu', (c, t) => new WTinyLfuPolicy(c, t), { OLTP: 0.75, gli: 2.5 }],
    ['adaptive', (c, t) => new AdaptiveWTinyLfuPolicy(c, t), {}],
  ]
  const anchors = existsSync(ANCHORS_FILE) ? readAnchors(ANCHORS_FILE) : new Map()
  for (const [name, file] of [
    ['OLTP', 'OLTP.lis.gz'],
    ['P3', 'P3.lis.gz'],
    ['gli', 'gli.lirs.gz'],
  ] as const) {
    const path = tracePath(file)
    const rows = anchors.get(name)
    it.skipIf(path === undefined || rows === undefined)(`reproduces the anchors' columns on ${name}`, async () => {
      const t = await readTrace(path!)
      const report: string[] = []
      // P3's 3.9M requests make the sketch policies slow here: the CLI shows them (npm run sim -- --policy all).
      for (const [col, factory, tolerance] of columns) {
        if (name === 'P3' && (col === 'wtinylfu' || col === 'adaptive')) continue
        for (const [size, row] of rows!) {
          const got = pct(factory, t, size)
          report.push(`${col}@${size}: ${got} vs ${row[col]}`)
          const tol = tolerance[name]
          if (tol !== undefined) expect(Math.abs(got - row[col]!), `${name} ${col} at ${size}: ${got} vs ${row[col]}`).toBeLessThanOrEqual(tol)
        }
      }
      console.log(`${name}: ${report.join(', ')}`)
    })
  }
})
