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

export interface RoundsResult {
  samples: Map<string, RoundSample[]>
  /** Contenders that threw, with the error: they are dropped from later rounds, the others go on. */
  failed: Map<string, Error>
  /**
   * Hits over the same first `ops` operations of the sequence for every contender that finished (the
   * warm-up included): the slowest contender's whole run. A faster contender runs further into the
   * sequence in the same time, so the hits of each one's own rounds cover different operations (from a
   * fill, the later ones hit more): only this prefix compares policies.
   */
  common: { ops: number; hits: Map<string, number> }
}

export function runRounds(contenders: readonly Contender[], options: RoundsOptions): RoundsResult {
  const now = options.now ?? process.hrtime.bigint
  const budget = BigInt(Math.round(options.roundMs * 1e6))
  const cursor = new Map<string, number>(contenders.map((c) => [c.id, 0]))
  const samples = new Map<string, RoundSample[]>(contenders.map((c) => [c.id, []]))
  const failed = new Map<string, Error>()
  // Hits so far after each chunk a contender ran (the warm-up's too), for the common prefix.
  const hitsAfterChunk = new Map<string, number[]>(contenders.map((c) => [c.id, []]))

  const runOne = (c: Contender): RoundSample => {
    let ops = 0
    let hits = 0
    let from = cursor.get(c.id)!
    const cumulative = hitsAfterChunk.get(c.id)!
    let total = cumulative.length > 0 ? cumulative[cumulative.length - 1]! : 0
    const start = now()
    let elapsed = 0n
    do {
      const chunkHits = c.run(from, options.chunk)
      hits += chunkHits
      cumulative.push((total += chunkHits))
      from += options.chunk
      ops += options.chunk
      elapsed = now() - start
    } while (elapsed < budget)
    cursor.set(c.id, from)
    return { ops, ns: Number(elapsed), hits }
  }

  const attempt = (c: Contender, round: number): void => {
    if (failed.has(c.id)) return
    options.onRound?.(round, c.id)
    try {
      const sample = runOne(c)
      if (round >= 0) samples.get(c.id)!.push(sample)
    } catch (err) {
      failed.set(c.id, err instanceof Error ? err : new Error(String(err)))
      samples.delete(c.id)
    }
  }

  if (options.warmup) for (const c of contenders) attempt(c, -1)
  for (let round = 0; round < options.rounds; round++) {
    for (const c of roundOrder(contenders, round)) attempt(c, round)
  }
  return { samples, failed, common: commonPrefix(hitsAfterChunk, samples, options.chunk) }
}

function commonPrefix(hitsAfterChunk: Map<string, number[]>, finished: Map<string, RoundSample[]>, chunk: number): RoundsResult['common'] {
  const ids = [...finished.keys()]
  const chunks = ids.length === 0 ? 0 : Math.min(...ids.map((id) => hitsAfterChunk.get(id)!.length))
  const hits = new Map(ids.map((id) => [id, chunks === 0 ? 0 : hitsAfterChunk.get(id)![chunks - 1]!]))
  return { ops: chunks * chunk, hits }
}
