/**
 * Every program in examples/ runs here as a user would run it (`node examples/<name>/...`), against the
 * built package, and is checked through its own HTTP interface; docs pages that show an example must
 * show the file verbatim, so the docs can't drift from working code.
 */
import { describe, it, expect } from 'vitest'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { nativeBuilt } from '../conformance/engines.js'

const run = promisify(execFile)
const example = (path: string) => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url))
const doc = (page: string) => readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8')

function shownVerbatim(page: string, path: string): void {
  const code = readFileSync(example(path), 'utf8').trim()
  expect(doc(page).includes(code), `docs/${page} must show examples/${path} verbatim`).toBe(true)
}

interface Running {
  child: ChildProcess
  /** Base URL, or undefined when the example said it skipped. */
  url: string | undefined
  output: string
}

/** Starts an example server on a free port (PORT=0) and waits for its "listening on" line. */
async function start(path: string, timeoutMs = 60_000): Promise<Running> {
  const child = spawn(process.execPath, [example(path)], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const url = await new Promise<string | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(output)
      if (m || /^skipped:/m.test(output)) {
        clearTimeout(timer)
        resolve(m?.[1])
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (/^skipped:/m.test(output)) resolve(undefined)
      else reject(new Error(`${path} exited (code ${code}) before listening:\n${output}`))
    })
  })
  return { child, url, output }
}

/** SIGTERM, as a process manager stops a service: the example must shut down on its own. */
async function stop(r: Running, timeoutMs = 20_000): Promise<number | null> {
  if (r.child.exitCode !== null) return r.child.exitCode
  const exited = once(r.child, 'exit')
  r.child.kill('SIGTERM')
  const timer = setTimeout(() => r.child.kill('SIGKILL'), timeoutMs)
  const [code, signal] = (await exited) as [number | null, string | null]
  clearTimeout(timer)
  expect(signal, 'the example ignored SIGTERM and had to be killed').toBeNull()
  return code
}

/** A GET on a fresh connection (no keep-alive: a cluster spreads new connections over its workers). */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, timeout: 30_000 }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      })
      .on('error', reject)
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`GET ${url} timed out`))
      })
  })
}

describe.concurrent('examples/', () => {
  it('piscina-pool: one cache shared by a piscina pool', async () => {
    shownVerbatim('worker-pools.md', 'piscina-pool/main.mjs')
    shownVerbatim('worker-pools.md', 'piscina-pool/task.mjs')
    const { stdout } = await run(process.execPath, [example('piscina-pool/main.mjs')], { timeout: 60_000 })
    const m = /requests: 200, computed: (\d+), served from the shared cache: (\d+)/.exec(stdout)
    expect(m, stdout).not.toBeNull()
    // Each product is computed once, give or take two workers racing for the same product.
    expect(Number(m![1])).toBeGreaterThanOrEqual(20)
    expect(Number(m![1])).toBeLessThan(40)
  }, 90_000)

  it('http-service: cache-aside answers every concurrent request with one record, 404s unknown ids, exports /metrics', async () => {
    const r = await start('http-service/server.mjs')
    try {
      const burst = await Promise.all(Array.from({ length: 20 }, () => get(`${r.url}/product/7`)))
      expect(new Set(burst.map((b) => b.status))).toEqual(new Set([200]))
      expect(new Set(burst.map((b) => b.body)).size).toBe(1)
      expect(JSON.parse(burst[0]!.body)).toEqual({ id: 7, name: 'Product 7', price: 7.99 })
      expect((await get(`${r.url}/product/7`)).status).toBe(200) // from the cache
      expect((await get(`${r.url}/product/99999`)).status).toBe(404)
      expect((await get(`${r.url}/nothing-here`)).status).toBe(404)
      expect((await get(`${r.url}/product/${'1'.repeat(5000)}`)).status).toBe(400) // a key over 4096 bytes
      const metrics = await get(`${r.url}/metrics`)
      expect(metrics.status).toBe(200)
      const count = (result: string) => Number(new RegExp(`^cortado_cache_requests_total\\{cache="products",result="${result}"\\} (\\d+)`, 'm').exec(metrics.body)?.[1])
      expect(count('hit')).toBeGreaterThanOrEqual(1)
      expect(count('miss')).toBeGreaterThanOrEqual(2) // product 7 once, product 99999
      expect(metrics.body).toMatch(/^process_resident_memory_bytes /m) // prom-client's default metrics beside the cache's
    } finally {
      expect(await stop(r)).toBe(0)
    }
  }, 90_000)

  it('warm-up: /ready is 503 while the hot set loads, then 200 with every key loaded', async () => {
    const r = await start('warm-up/server.mjs')
    try {
      const first = await get(`${r.url}/ready`)
      expect(first.status).toBe(503)
      expect(JSON.parse(first.body).ready).toBe(false)
      const deadline = Date.now() + 60_000
      let last = first
      while (last.status !== 200) {
        if (Date.now() > deadline) throw new Error(`not ready after 60 s: ${last.body}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
        last = await get(`${r.url}/ready`)
      }
      expect(JSON.parse(last.body)).toEqual({ ready: true, done: 10_000, failed: 0 })
      const product = await get(`${r.url}/product/42`)
      expect(JSON.parse(product.body)).toEqual({ id: 42, name: 'Product product:42' })
      // A key over 4096 bytes used to end the process (an unhandled rejection): now a 400, and it serves on.
      expect((await get(`${r.url}/product/${'1'.repeat(5000)}`)).status).toBe(400)
      expect((await get(`${r.url}/product/43`)).status).toBe(200)
    } finally {
      expect(await stop(r)).toBe(0)
    }
  }, 90_000)

  it('cluster: two worker processes share one native cache (skips cleanly without the addon)', async () => {
    const r = await start('cluster/server.mjs')
    if (r.url === undefined) {
      expect(nativeBuilt, 'the example skipped although the addon is built').toBe(false)
      expect(r.output).toMatch(/^skipped: the native engine is not built here/m)
      return
    }
    try {
      const answers = []
      for (let i = 0; i < 8; i++) answers.push(JSON.parse((await get(`${r.url}/square/12`)).body) as { square: number; computedBy: number; servedBy: number })
      expect(new Set(answers.map((a) => a.square))).toEqual(new Set([144]))
      // Computed once, by one process; served by both: the other one read it from the shared file.
      expect(new Set(answers.map((a) => a.computedBy)).size).toBe(1)
      expect(new Set(answers.map((a) => a.servedBy)).size).toBe(2)
      // A key over 4096 bytes: a 400, and both workers still serve (it used to end the worker that got it).
      for (let i = 0; i < 4; i++) expect((await get(`${r.url}/square/${'1'.repeat(5000)}`)).status).toBe(400)
      const after = []
      for (let i = 0; i < 8; i++) after.push(JSON.parse((await get(`${r.url}/square/12`)).body) as { servedBy: number })
      expect(new Set(after.map((a) => a.servedBy))).toEqual(new Set(answers.map((a) => a.servedBy)))
    } finally {
      expect(await stop(r)).toBe(0)
    }
  }, 90_000)
})
