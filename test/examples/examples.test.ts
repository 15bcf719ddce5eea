/**
 * README's runnable examples live here as files: this test runs each one against the built package
 * and checks that README shows exactly the file's code, so the README can't drift from working code.
 */
import { describe, it, expect } from 'vitest'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url))
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

function inReadme(name: string): void {
  const code = readFileSync(here(name), 'utf8').trim()
  expect(readme.includes(code), `README must show ${name} verbatim`).toBe(true)
}

describe('README examples', () => {
  it('worker pool: one cache shared by a piscina pool', async () => {
    inReadme('worker-pool.mjs')
    inReadme('worker-pool-task.mjs')
    const { stdout } = await run(process.execPath, [here('worker-pool.mjs')], { timeout: 60_000 })
    const m = /requests: 200, computed: (\d+), served from the shared cache: (\d+)/.exec(stdout)
    expect(m, stdout).not.toBeNull()
    // Each product is computed once, give or take two workers racing for the same product.
    expect(Number(m![1])).toBeGreaterThanOrEqual(20)
    expect(Number(m![1])).toBeLessThan(40)
  })
})
