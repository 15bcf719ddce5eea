/**
 * docs/engines.md's node:cluster example lives in test/native/examples: this test checks the page shows the file
 * verbatim and runs it against the built package (two cluster workers sharing one /dev/shm cache).
 */
import { describe, it, expect } from 'vitest'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { nativeBuilt } from '../conformance/engines.js'

const run = promisify(execFile)
const example = fileURLToPath(new URL('./examples/cluster.mjs', import.meta.url))
const readme = readFileSync(new URL('../../docs/engines.md', import.meta.url), 'utf8')

describe('docs/engines.md: native engine', () => {
  it('shows the cluster example verbatim', () => {
    const section = /<!-- section:native -->([\s\S]*)<!-- \/section:native -->/.exec(readme)?.[1] ?? ''
    expect(section.includes(readFileSync(example, 'utf8').trim()), 'docs/engines.md must show test/native/examples/cluster.mjs verbatim').toBe(true)
  })

  it.runIf(nativeBuilt)('the cluster example runs: each worker reads the half the other process computed', async () => {
    const { stdout } = await run(process.execPath, [example], { timeout: 60_000 })
    expect(stdout).toMatch(/worker 1: read 100 squares, 50 of them computed by the other process/)
    expect(stdout).toMatch(/worker 2: read 100 squares, 50 of them computed by the other process/)
    expect(stdout).toMatch(/entries: 100, hits in both workers together: 200/)
  })
})
