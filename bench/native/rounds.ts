/**
 * The measuring protocol shared by the children: the coordinator sends `{ round, suite, ms }`, the
 * child runs that suite for `ms` and answers `{ ops, ns }`; `{ stop: true }` ends it. A child prepares
 * (creates or opens its cache, prefills) before it says `{ ready: true }`.
 */
export interface RoundRequest {
  suite: string
  ms: number
}

export interface RoundReply {
  ops: number
  ns: number
}

export type Suite = (from: number, count: number) => void

/** Runs `suite` in chunks until `ms` have passed; `from` is the child's cursor into the sequences. */
export function timeSuite(suite: Suite, from: number, ms: number, chunk: number): RoundReply & { next: number } {
  const budget = BigInt(Math.round(ms * 1e6))
  const start = process.hrtime.bigint()
  let ops = 0
  let elapsed = 0n
  do {
    suite(from, chunk)
    from += chunk
    ops += chunk
    elapsed = process.hrtime.bigint() - start
  } while (elapsed < budget)
  return { ops, ns: Number(elapsed), next: from }
}

/** The child's side: prepare, say ready, then answer rounds until told to stop. */
export async function serveRounds(prepare: () => Promise<Record<string, (req: RoundRequest) => Promise<RoundReply> | RoundReply>>): Promise<void> {
  const suites = await prepare()
  process.on('message', async (m: RoundRequest | { stop: true }) => {
    if ('stop' in m) {
      process.send!({ stopped: true }, () => process.exit(0))
      return
    }
    const run = suites[m.suite]
    if (!run) throw new Error(`unknown suite ${m.suite}`)
    process.send!(await run(m))
  })
  process.send!({ ready: true })
}
