/** docs/peers.md's example runs as written: three peer processes, one origin load per key. */
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
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

  it('a malformed URL (GET /%ZZ) is a 400; the peer keeps serving (it used to end the process)', async () => {
    const free = () => new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port
        srv.close(() => resolve(port))
      })
    })
    const [peerPort, appPort] = [await free(), await free()]
    const script = new URL('../../examples/peers/peer.mjs', import.meta.url)
    const child = spawn(process.execPath, [script.pathname, String(peerPort), String(appPort), String(peerPort)], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve() })
        child.once('exit', (code) => reject(new Error(`peer exited (${code})`)))
      })
      const app = `http://127.0.0.1:${appPort}`
      const bad = await fetch(`${app}/%ZZ`)
      expect(bad.status).toBe(400)
      expect(await bad.text()).toMatch(/^URIError/)
      const good = await fetch(`${app}/page:home`)
      expect(good.status).toBe(200)
      expect(await good.json()).toMatchObject({ key: 'page:home' })
      expect(child.exitCode).toBeNull()
    } finally {
      child.kill('SIGTERM')
    }
  })
})
