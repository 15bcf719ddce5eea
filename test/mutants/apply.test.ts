/**
 * Every planted bug of mutants.ts must still apply to the tree: its `find` text occurs exactly once in its file
 * and the tests meant to kill it exist. A refactor that rewrites a mutated line leaves the mutant "not
 * applicable", which only a full `npm run test:mutants` run (hours) would report; five drifted that way in
 * stop 55 unnoticed. This check takes milliseconds, so the suite catches the drift at once.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { MUTANTS, applyMutant } from './mutants.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

describe('planted bugs (test/mutants/mutants.ts)', () => {
  it('have unique ids', () => {
    const seen = new Set<string>()
    const repeated = MUTANTS.map((m) => m.id).filter((id) => (seen.has(id) ? true : (seen.add(id), false)))
    expect(repeated).toEqual([])
  })

  it('each find text occurs exactly once in its file, and each names existing tests', () => {
    const problems: string[] = []
    for (const m of MUTANTS) {
      const file = resolve(ROOT, m.file)
      if (!existsSync(file)) {
        problems.push(`${m.id}: no file ${m.file}`)
        continue
      }
      const applied = applyMutant(m, readFileSync(file, 'utf8'))
      if ('reason' in applied) problems.push(`${m.id}: ${applied.reason} (${m.file})`)
      if (m.find === m.replace) problems.push(`${m.id}: replace equals find`)
      if (m.tests.length === 0) problems.push(`${m.id}: names no test`)
      for (const t of m.tests) if (!existsSync(resolve(ROOT, t))) problems.push(`${m.id}: no test file ${t}`)
    }
    expect(problems).toEqual([])
  })
})
