/**
 * docs/disk-cache-and-s3.md's runnable example lives in examples/video-server.mjs: this test checks the
 * page shows the file verbatim and runs it against the built package (`npm test` builds first) and a
 * local s3rver, so the page cannot drift from working code.
 */
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempFolders } from './blob-helpers.js'
import { CREDENTIALS, startS3, type S3Server } from './s3-server.js'

const run = promisify(execFile)
const example = fileURLToPath(new URL('./examples/video-server.mjs', import.meta.url))
const page = readFileSync(new URL('../../docs/disk-cache-and-s3.md', import.meta.url), 'utf8')
const folders = tempFolders('cortado-docs-')
let s3: S3Server

beforeAll(async () => {
  s3 = await startS3('videos')
})
afterAll(async () => {
  await s3.close()
  folders.cleanup()
})

/** The video example's environment: the test's S3 server, a fresh cache folder, any free port. */
function exampleEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    S3_ENDPOINT: s3.endpoint,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    CACHE_DIR: folders.make(),
    PORT: '0',
  }
}

describe('docs/disk-cache-and-s3.md', () => {
  it('shows the video example verbatim, and the example serves a seek (206) and a revalidation (304)', async () => {
    expect(page.includes(readFileSync(example, 'utf8').trim()), 'the page must show examples/video-server.mjs verbatim').toBe(true)
    const { stdout } = await run(process.execPath, [example, '--once'], {
      timeout: 60_000,
      env: exampleEnv(),
    })
    expect(stdout).toContain('206 bytes 1572864-3145727/3145728 1572864 bytes')
    expect(stdout).toMatch(/^304 \{"hits":2,/m)
  })

  it('a malformed URL (GET /%ZZ) is a 400, and the server goes on serving (it used to end the process)', async () => {
    const child = spawn(process.execPath, [example], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: exampleEnv(),
    })
    try {
      // The script's own requests are done once it printed the 304 line.
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /^serving (\S+)$/m.exec(out)
          if (m && /^304 /m.test(out)) resolve(m[1]!)
        })
        child.once('exit', (code) => reject(new Error(`the example exited (${code}): ${out}`)))
      })
      const base = url.replace(/\/demo\.mp4$/, '')
      expect((await fetch(`${base}/%ZZ`)).status).toBe(400)
      const seek = await fetch(url, { headers: { Range: 'bytes=0-9' } })
      expect(seek.status).toBe(206)
      expect((await seek.arrayBuffer()).byteLength).toBe(10)
      expect(child.exitCode).toBeNull()
    } finally {
      child.kill('SIGTERM')
    }
  }, 60_000)
})
