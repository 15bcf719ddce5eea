/**
 * The runnable examples of docs/production.md and docs/migrating-from-lru-cache.md live here as files:
 * this test runs them against the built package and checks that the pages show exactly their code.
 */
import { it, expect } from 'vitest'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url))
const page = readFileSync(new URL('../../docs/production.md', import.meta.url), 'utf8')

it('docs/production.md: a piscina pool that recycles its workers through 3 thread slots', async () => {
  for (const name of ['production-pool.mjs', 'production-pool-task.mjs'])
    expect(page.includes(readFileSync(here(name), 'utf8').trim()), `docs/production.md must show ${name} verbatim`).toBe(true)
  const { stdout } = await run(process.execPath, [here('production-pool.mjs')], { timeout: 120_000 })
  const m = /worker threads that ran: (\d+), thread slots: 3\nhits: (\d+), misses: (\d+)/.exec(stdout)
  expect(m, stdout).not.toBeNull()
  // More threads ran than there are slots: slots of retired workers were reclaimed.
  expect(Number(m![1])).toBeGreaterThan(3)
  expect(Number(m![2]) + Number(m![3])).toBe(100)
}, 150_000)

it('docs/migrating-from-lru-cache.md: the side-by-side example runs and prints what the page says', async () => {
  const guide = readFileSync(new URL('../../docs/migrating-from-lru-cache.md', import.meta.url), 'utf8')
  const code = readFileSync(here('migrate-from-lru-cache.mjs'), 'utf8').trim()
  expect(guide.includes(code), 'the guide must show migrate-from-lru-cache.mjs verbatim').toBe(true)
  const { stdout } = await run(process.execPath, [here('migrate-from-lru-cache.mjs')], { timeout: 60_000 })
  expect(guide.includes(stdout.trim()), `the guide must show the output:\n${stdout}`).toBe(true)
}, 90_000)
