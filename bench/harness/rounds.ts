/**
 * Alternating rounds: every contender runs one round, then every contender runs the next, with the
 * starting contender rotated each round. A neighbour's burst of load, a major GC or a CPU frequency
 * change then hits all contenders alike instead of whichever happened to run during it.
 */

export interface Contender {
  readonly id: string
  /**
   * Runs operations `from .. from + count - 1` of the workload and returns how many of them hit (or 0
   * when the notion does not apply). Each contender has its own cursor, so all walk the same sequence.
   */
  run(from: number, count: number): number
}

export interface RoundSample {
  ops: number
  ns: number
  hits: number
}

export interface RoundsOptions {
  rounds: number
  /** Each contender runs whole chunks until this much time has passed in the round. */
  roundMs: number
  /** Operations per chunk: a multiple of every batch size in use, small enough to stop on time. */
  chunk: number
  /** A first round per contender that is not counted (lets the JIT settle). */
  warmup: boolean
  /** Called before each round of each contender, with round -1 for the warm-up (drives the progress bar). */
  onRound?: (round: number, contender: string) => void
  now?: () => bigint
}

/** Rotates the order so that no contender always runs right after the same one. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length
  return items.map((_, i) => items[(i + round) % n]!)
}

export function runRounds(contenders: readonly Contender[], options: RoundsOptions): Map<string, RoundSample[]> {
  const now = options.now ?? process.hrtime.bigint
  const budget = BigInt(Math.round(options.roundMs * 1e6))
  const cursor = new Map<string, number>(contenders.map((c) => [c.id, 0]))
  const samples = new Map<string, RoundSample[]>(contenders.map((c) => [c.id, []]))

  const runOne = (c: Contender): RoundSample => {
    let ops = 0
    let hits = 0
    let from = cursor.get(c.id)!
    const start = now()
    let elapsed = 0n
    do {
      hits += c.run(from, options.chunk)
      from += options.chunk
      ops += options.chunk
      elapsed = now() - start
    } while (elapsed < budget)
    cursor.set(c.id, from)
    return { ops, ns: Number(elapsed), hits }
  }

  if (options.warmup) {
    for (const c of contenders) {
      options.onRound?.(-1, c.id)
      runOne(c)
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const c of roundOrder(contenders, round)) {
      options.onRound?.(round, c.id)
      samples.get(c.id)!.push(runOne(c))
    }
  }
  return samples
}
