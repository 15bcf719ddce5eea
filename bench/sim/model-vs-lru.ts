/**
 * The figure the recency research tools print: the model with some tuning against LRU on one trace, in
 * points, over the whole run and over the second half (replayByCapacity's late reads), one shard.
 * Used by recency-probe.ts, sweep-variants.ts and wb-delay-probe.ts.
 */
import type { Trace } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import type { Tuning } from './model/tuning.js'
import { LruPolicy } from './policies/lru.js'
import { replayByCapacity } from './replay-by-capacity.js'

/** Hit ratios in %, whole run and second half. */
export interface Ratios { all: number; late: number }

const pct = (hits: number, reads: number): number => (100 * hits) / Math.max(1, reads)

/** LRU's hit ratios on the trace at `size` entries. */
export function lruRatios(trace: Trace, size: number): Ratios {
  const r = replayByCapacity(new LruPolicy(size, trace), trace, 0, size)
  return { all: pct(r.hits, r.reads), late: pct(r.lateHits, r.lateReads) }
}

/** The model's hit ratios minus `lru`'s, in points. */
export function modelGap(trace: Trace, size: number, tuning: Partial<Tuning>, lru: Ratios): Ratios {
  const r = replayByCapacity(new CortadoModel(size, trace, { tuning }), trace, 0, size)
  return { all: pct(r.hits, r.reads) - lru.all, late: pct(r.lateHits, r.lateReads) - lru.late }
}

/** A signed figure with two decimals (+0.00). */
export const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)

/** "whole / second half", signed. */
export const gapCell = (g: Ratios): string => `${signed(g.all)} / ${signed(g.late)}`
