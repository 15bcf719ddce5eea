import { loopTrace } from './loop-trace.js'
import { scanMixTrace } from './scan-trace.js'
import { shiftingTrace } from './shifting-trace.js'
import type { Trace } from './trace.js'
import { zipfTrace } from './zipf-trace.js'

export interface GeneratedWorkload {
  name: string
  /** Builds the trace (deterministic: seeded). */
  make: () => Trace
  /** Cache sizes in entries. */
  sizes: number[]
}

/**
 * The generated workloads every policy report runs besides the real traces: Zipf from flat to steep,
 * a loop larger than the cache (alone and under Zipf noise), scans mixed into Zipf, and a hot set that
 * moves. They exercise frequency, recency, scan resistance and adaptation to change, and need no files.
 * `scale` shrinks request counts for quick runs (tests use 0.1).
 */
export function generatedWorkloads(seed = 42, scale = 1): GeneratedWorkload[] {
  const n = (x: number): number => Math.max(1000, Math.round(x * scale))
  const out: GeneratedWorkload[] = []
  for (const s of [0.6, 0.8, 1.0, 1.2]) {
    out.push({
      name: `zipf(${s}) 100k keys`,
      make: () => zipfTrace({ keys: 100_000, s, length: n(1_000_000), seed: seed + Math.round(s * 10) }),
      sizes: [1000, 10_000],
    })
  }
  out.push({
    name: 'zipf(0.9) 1M keys',
    make: () => zipfTrace({ keys: 1_000_000, s: 0.9, length: n(5_000_000), seed: seed + 9 }),
    sizes: [10_000, 100_000],
  })
  out.push({
    name: 'loop 12k keys',
    make: () => loopTrace({ loopKeys: 12_000, length: n(300_000), seed: seed + 20 }),
    sizes: [10_000],
  })
  out.push({
    name: 'loop 12k + zipf noise 50%',
    make: () => loopTrace({ loopKeys: 12_000, length: n(600_000), noise: 0.5, noiseKeys: 100_000, seed: seed + 21 }),
    sizes: [5000, 10_000],
  })
  out.push({
    name: 'zipf(0.9) + scans',
    make: () => scanMixTrace({ keys: 100_000, s: 0.9, length: n(1_000_000), every: 50_000, scanLength: 20_000, seed: seed + 30 }),
    sizes: [1000, 10_000],
  })
  out.push({
    name: 'shifting hot set',
    make: () => shiftingTrace({ keys: 100_000, s: 0.9, length: n(1_000_000), phase: 200_000, shift: 100_000, seed: seed + 40 }),
    sizes: [1000, 10_000],
  })
  return out
}
