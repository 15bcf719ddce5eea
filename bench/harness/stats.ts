/**
 * The few statistics the report relies on. Medians rather than means: on a shared, noisy machine one
 * round stalled by a neighbour must not move the figure.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Spread of the rounds as (max - min) / median, so a reader can tell a 1.1x ratio from noise: when two
 * peers' spreads are wider than the gap between them, the ratio is not significant.
 */
export function relativeSpread(values: readonly number[]): number {
  if (values.length < 2) return 0
  const m = median(values)
  if (m === 0) return 0
  return (Math.max(...values) - Math.min(...values)) / Math.abs(m)
}

/** peer ÷ baseline, or undefined when either side is missing or the baseline is zero. */
export function ratio(value: number | undefined, baseline: number | undefined): number | undefined {
  if (value === undefined || baseline === undefined) return undefined
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return undefined
  return value / baseline
}

/** Operations per second from a count and a duration in nanoseconds. */
export function opsPerSecond(ops: number, ns: number): number {
  return ns > 0 ? (ops * 1e9) / ns : 0
}
