/** examples/cdc/cache-aside.mjs, run against the built package and a real PostgreSQL. */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasPostgres, PgServer } from './server.js'

const run = promisify(execFile)
const example = fileURLToPath(new URL('../../examples/cdc/cache-aside.mjs', import.meta.url))

describe.skipIf(!hasPostgres())('examples/cdc/cache-aside.mjs', () => {
  let server: PgServer

  beforeAll(async () => {
    server = await PgServer.start()
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('serves cached query results, is ready only after warm-up, and serves the new price after a plain SQL UPDATE', async () => {
    const { stdout } = await run(process.execPath, [example], { timeout: 60_000, env: { ...process.env, DATABASE_URL: server.url } })
    expect(stdout).toMatch(/before warm-up: \/ready 503/)
    expect(stdout).toMatch(/warmed 20 products; \/ready 200/)
    // A malformed id is a 404: it used to reach the query, whose failure ended the process.
    expect(stdout).toMatch(/product 7 costs 700 cents \(cached: true\); \/products\/abc 404/)
    expect(stdout).toMatch(/after the UPDATE: 701 cents, served fresh within \d+ ms/)
    expect(stdout).toMatch(/"changesApplied":1,/)
  })
})
