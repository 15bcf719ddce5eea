/** Command-line flags of `npm run bench`. Parsing is pure so the tests can cover it. */

export interface BenchFlags {
  /** The short run CI does: fewer rounds, shorter rounds, fewer sizes (< 2 minutes on a slow machine). */
  quick: boolean
  /** Suite ids (or prefixes of them) to run; empty = every suite. */
  filter: string[]
  /** Peer ids to run besides lru-cache (always kept: it is the baseline); empty = every peer. */
  peers: string[]
  /** Where to write the machine-readable results, if anywhere. */
  json: string | undefined
  /** Directory for the markdown report and charts; default depends on the kind of run. */
  out: string | undefined
  /** Rounds per measurement, overriding the mode's default (at least 3). */
  rounds: number | undefined
  help: boolean
}

export class FlagError extends Error {
  override name = 'FlagError'
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick            short run (what CI runs): 3 rounds, smaller sizes, under 2 minutes
  --filter <suites>  run only these suites (comma-separated ids or prefixes; repeatable)
  --peers <peers>    run only these peers besides lru-cache, the baseline (comma-separated ids)
  --json <file>      also write machine-readable results to <file>
  --out <dir>        directory for REPORT.md and the SVG charts
                     (default: bench/results for a full run, bench/results/partial otherwise)
  --rounds <n>       rounds per measurement (default 5, or 3 with --quick; at least 3)
  --help             this text`

const VALUED = new Set(['--filter', '--peers', '--json', '--out', '--rounds'])

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function parseFlags(argv: readonly string[]): BenchFlags {
  const flags: BenchFlags = {
    quick: false,
    filter: [],
    peers: [],
    json: undefined,
    out: undefined,
    rounds: undefined,
    help: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    let value: string | undefined
    if (VALUED.has(name)) {
      value = eq > 0 && name !== arg ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined || value === '' || (value.startsWith('--') && name === arg)) {
        throw new FlagError(`${name} needs a value`)
      }
    } else if (name !== arg) {
      throw new FlagError(`${name} takes no value`)
    }
    switch (name) {
      case '--quick':
        flags.quick = true
        break
      case '--help':
      case '-h':
        flags.help = true
        break
      case '--filter':
        flags.filter.push(...splitList(value!))
        break
      case '--peers':
        flags.peers.push(...splitList(value!))
        break
      case '--json':
        flags.json = value
        break
      case '--out':
        flags.out = value
        break
      case '--rounds': {
        const n = Number(value)
        if (!Number.isInteger(n) || n < 3) throw new FlagError(`--rounds must be an integer ≥ 3, got ${value}`)
        flags.rounds = n
        break
      }
      default:
        throw new FlagError(`unknown option ${arg}`)
    }
  }
  return flags
}

/** Whether a suite id is selected by the --filter list (exact id or prefix, e.g. `get` → get-hit, get-miss). */
export function selects(filter: readonly string[], id: string): boolean {
  return filter.length === 0 || filter.some((f) => id === f || id.startsWith(f))
}
