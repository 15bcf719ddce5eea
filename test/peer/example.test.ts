/** docs/peers.md's example runs as written: three peer processes, one origin load per key. */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe('examples/peers', () => {
  it('docs/peers.md shows peer.mjs verbatim', () => {
    const docs = readFileSync(new URL('../../docs/peers.md', import.meta.url), 'utf8')
    const code = readFileSync(new URL('../../examples/peers/peer.mjs', import.meta.url), 'utf8').trim()
    expect(docs.includes(code), 'docs/peers.md must show examples/peers/peer.mjs verbatim').toBe(true)
  })

  it('run-three.mjs starts three peers and each key is loaded once in the group', () => {
    const script = new URL('../../examples/peers/run-three.mjs', import.meta.url)
    const run = spawnSync(process.execPath, [script.pathname], { encoding: 'utf8', timeout: 50_000 })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^page:home asked at all three peers at once; every answer: \{"key":"page:home","loadedBy":"http:\/\/127\.0\.0\.1:\d+"\}$/m)
    expect(run.stdout).toMatch(/^origin loads in the group: 3 for 3 keys/m)
  })
})
