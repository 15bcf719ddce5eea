/** Temp directories for store tests, removed after each test file. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made: string[] = []

export function tempDir(prefix = 'cortado-disk-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
}

/** The project's seeded PRNG, so a failing run can be replayed from its printed seed. */
export { mulberry32 as prng } from '../../helpers/mulberry32.mjs'
