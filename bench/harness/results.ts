/** The shape of a run's results: what the JSON holds and what the table, report and charts are made from. */
import type { Machine } from './machine.js'

export interface Figure {
  /** Peer id (or policy name, for simulated hit ratios). */
  peer: string
  /** The figure itself: the median of `samples` when there are rounds. */
  value: number
  /** Per-round values, when the figure is a median of rounds. */
  samples?: number[]
  /** (max - min) / median of the samples. */
  spread?: number
  /** Fraction of gets that hit, where the operation has gets. */
  hitRatio?: number
  /** Anything a reader needs to interpret this figure (e.g. "held 2 × entries", "3% of sets refused"). */
  note?: string
  /** Further numbers of this figure (e.g. p50/p99/p99.9 for latency rows), by name. */
  extra?: Record<string, number>
}

export interface Skip {
  peer: string
  reason: string
}

export interface Row {
  suite: string
  /** Human-readable case, unique within the suite, e.g. "100k entries · string 100 B". */
  case: string
  params: Record<string, string | number>
  /** Unit of `Figure.value`: 'ops/s', 'bytes/entry', 'ms', 'ns', '%'. */
  metric: string
  better: 'higher' | 'lower'
  /** How the figure was measured: rounds, operations, what was timed. Shown next to every figure. */
  method: string
  figures: Figure[]
  skipped: Skip[]
}

export interface PeerInfo {
  id: string
  name: string
  version: string
  bound: string
  batch: 'native' | 'loop'
}

export interface RunResults {
  schema: 1
  machine: Machine
  mode: 'quick' | 'full'
  /** Suites run (after --filter). */
  suites: string[]
  flags: string[]
  startedAt: string
  durationMs: number
  peers: PeerInfo[]
  /** Peers that could not run at all, with why. */
  unavailable: Skip[]
  /** Suites that stopped with an error: their rows are missing from this run. */
  failures: { suite: string; error: string }[]
  rows: Row[]
}

/** A row's figure for one peer. */
export function figureOf(row: Row, peer: string): Figure | undefined {
  return row.figures.find((f) => f.peer === peer)
}
