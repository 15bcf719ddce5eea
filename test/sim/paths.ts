import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** ../shared next to the project: the traces and the anchors live there, never in the repo. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const TRACE_DIR = join(ROOT, '..', 'shared', 'traces')
export const ANCHORS_FILE = join(ROOT, '..', 'shared', 'design', 'hit-ratio-anchors.md')

export function tracePath(file: string): string | undefined {
  const p = join(TRACE_DIR, file)
  return existsSync(p) ? p : undefined
}
