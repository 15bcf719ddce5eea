import type { RunResults } from '../harness/results.js'
export function writeReport(_results: RunResults, _dir: string, _nameOf: (id: string) => string): string[] {
  return []
}
