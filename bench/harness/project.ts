/** Where things are, resolved from this file so the bench runs from any working directory. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export const RESULTS_DIR = join(PROJECT_ROOT, 'bench', 'results')

/** The installed version of a dependency, for the report's peer table. */
export function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: unknown
    }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'not installed'
  }
}

/** This project's version and commit (with `+dirty` for uncommitted changes), stamped on every report. */
export function projectVersion(): string {
  let version = 'unknown'
  try {
    version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    // Keep 'unknown': the report still says which commit it came from.
  }
  const commit = gitCommit()
  return commit ? `${version} (${commit})` : version
}

export function gitCommit(): string | undefined {
  try {
    const opts = { cwd: PROJECT_ROOT, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ('ignore' | 'pipe')[] }
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], opts).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'assembly', 'native'], opts).trim()
    return dirty ? `${head}+dirty` : head
  } catch {
    return undefined
  }
}
