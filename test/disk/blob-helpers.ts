/** Shared by the blob tests: temporary folders removed after each test, and typed-error codes. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { serveBlob, type BlobSource } from '../../src/disk/index.js'
import { isCortadoError } from '../../src/errors.js'

/** Every temporary file under a cache folder. */
export function tempsIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.tmp'))
}

/** Fresh folders under the system's temp dir; `cleanup()` (in afterEach) removes them all. */
export function tempFolders(prefix: string): { make(): string; cleanup(): void } {
  const made: string[] = []
  return {
    make() {
      const d = mkdtempSync(join(tmpdir(), prefix))
      made.push(d)
      return d
    },
    cleanup() {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
    },
  }
}

/** The CortadoError code a call fails with, undefined when it succeeds. */
export async function errorCode(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    return isCortadoError(err) ? err.code : `not a CortadoError: ${String(err)}`
  }
  return undefined
}

/**
 * A tmpfs of `bytes` mounted (noatime) on a fresh folder, for a small, full-able file system; undefined
 * when this process may not mount (not root, or no CAP_SYS_ADMIN in a container).
 */
export function mountTmpfs(bytes: number): { dir: string; unmount(): void } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'cortado-tmpfs-'))
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},noatime`, 'tmpfs', dir], { encoding: 'utf8' })
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    return undefined
  }
  return {
    dir,
    unmount() {
      spawnSync('umount', ['-l', dir])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** An HTTP server answering /<key> with serveBlob from `source`. */
export async function blobServer(source: BlobSource): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    void serveBlob(req, res, source, decodeURIComponent(new URL(req.url!, 'http://x').pathname.slice(1)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const MiB = 1024 * 1024

/** `total` bytes in 1 MiB chunks, different in every chunk, produced lazily (with a pause per chunk). */
export function patterned(total: number, pauseMs = 0): Readable {
  let sent = 0
  return Readable.from((async function* () {
    while (sent < total) {
      const n = Math.min(MiB, total - sent)
      const chunk = Buffer.alloc(n)
      const words = new Uint32Array(chunk.buffer, chunk.byteOffset, n >>> 2)
      const seed = Math.imul(sent / MiB + 1, 2654435761)
      for (let i = 0; i < words.length; i++) words[i] = (seed + i) >>> 0
      sent += n
      if (pauseMs > 0) await sleep(pauseMs)
      yield chunk
    }
  })())
}
