/**
 * The policy's constants, in one place so the port to AssemblyScript can mirror them and research
 * runs can vary one at a time (`CortadoModel` accepts overrides). POLICY.md gives the reason for each.
 */
export interface Tuning {
  /** Initial window (S) target as a fraction of capacity; the adaptation moves it from there. */
  initialWindow: number
  /** Bounds of the window target as fractions of capacity. */
  minWindow: number
  maxWindow: number
  /** Protected (M) target as a fraction of the main space (capacity - window). */
  protectedFraction: number
  /** Ghost capacity in entries, as a multiple of the shard's entry capacity. */
  ghostFactor: number
  /** A window-tagged ghost hit counts only if younger than this × the window's entry count. */
  windowHorizon: number
  /** Sketch counters per row = nextPow2(capacity) × sketchWidth. */
  sketchWidth: number
  /** Sketch halves after sketchSample × capacity increments. */
  sketchSample: number
  /** A doorkeeper Bloom filter in front of the sketch (measured: no gain; off). */
  doorkeeper: boolean
  /** Candidates at least this frequent that lose a contest are admitted with probability 1/warmOdds. */
  warmFrequency: number
  warmOdds: number
  /** Most queue-tail operations one victim search may do before it takes the tail as it is. */
  maxTailOps: number
}

export const TUNING: Tuning = {
  initialWindow: 0.01,
  minWindow: 0.01,
  maxWindow: 0.9,
  protectedFraction: 0.8,
  ghostFactor: 1,
  windowHorizon: 16,
  sketchWidth: 4,
  sketchSample: 10,
  doorkeeper: false,
  warmFrequency: 6,
  warmOdds: 512,
  maxTailOps: 64,
}
