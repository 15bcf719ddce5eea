/**
 * `--name value` options of the research tools (bench/sim, bench/arena), which take a few numbers and
 * lists each; `npm run bench` and `npm run sim` have parsers of their own (flags.ts, sim/cli.ts).
 */
export interface ToolArgs {
  /** The value after `name`, or `fallback` when the option is absent. */
  opt(name: string, fallback: string): string
  /** A comma-separated list of numbers. */
  numbers(name: string, fallback: string): number[]
  /** Whether a bare flag is present. */
  has(name: string): boolean
}

export function toolArgs(argv: readonly string[] = process.argv.slice(2)): ToolArgs {
  const opt = (name: string, fallback: string): string => {
    const i = argv.indexOf(name)
    return i < 0 ? fallback : argv[i + 1]!
  }
  return { opt, numbers: (name, fallback) => opt(name, fallback).split(',').map(Number), has: (name) => argv.includes(name) }
}
