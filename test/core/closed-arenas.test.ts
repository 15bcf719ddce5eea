/**
 * A closed cache's arena can be collected at once, within the job that closed it. Every WebAssembly
 * memory reserves ~10 GiB of address space (guard regions), and V8 frees closed ones only by collecting
 * them, which it does when a reservation fails. If anything keeps a closed arena reachable until the job
 * ends (a WeakRef does: ECMAScript keeps a WeakRef's target alive for the rest of the job that created
 * it), a loop that creates and closes caches without yielding (a setup script, a synchronous test, a
 * per-tenant rebuild) runs out of address space after a few caches: ERR_CAPACITY while every cache but
 * one is closed. Measured before the fix, under `ulimit -v` 40 GB: the 4th 256 MiB cache failed.
 *
 * The child runs under a virtual-memory limit that leaves room for about three arenas, and creates and
 * closes 24 in one synchronous loop, on both liveness paths (OS thread ids, and the heartbeat used where
 * /proc can't identify a thread). It uses the built package (dist/), as the worker tests do.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dist = fileURLToPath(new URL('../../dist/src/', import.meta.url))
const canLimit = process.platform === 'linux' && existsSync('/proc/self/status') && existsSync(`${dist}index.js`)

const child = (threadIds: boolean): string => `
import { readFileSync } from 'node:fs'
import { Cache } from ${JSON.stringify(`${dist}index.js`)}
import { tuneLivenessForTests } from ${JSON.stringify(`${dist}engine/slots.js`)}
tuneLivenessForTests({ useThreadIds: ${threadIds} })
const vm = () => Number(/VmSize:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024
const before = vm()
const first = new Cache({ maxBytes: 16 << 20 })
const reserved = vm() - before
first.close()
let made = 1
try {
  for (; made < 24; made++) {
    const cache = new Cache({ maxBytes: 16 << 20 })
    cache.set('k' + made, 'v')
    if (cache.get('k' + made) !== 'v') throw new Error('lost a value')
    cache.close()
  }
} catch (err) {
  console.log(JSON.stringify({ reserved, made, error: err.code ?? err.message }))
  process.exit(0)
}
console.log(JSON.stringify({ reserved, made }))
`

describe.runIf(canLimit)('closed arenas are collectable within the job that closed them', () => {
  // Room for the process as it starts plus ~3 arenas: the loop needs one at a time.
  const limitKiB = 40_000_000
  for (const threadIds of [true, false]) {
    it(`24 caches created and closed in one synchronous loop (${threadIds ? 'thread ids' : 'heartbeat'})`, () => {
      const run = spawnSync('/bin/sh', ['-c', `ulimit -v ${limitKiB} && exec "$0" --input-type=module -e "$1"`, process.execPath, child(threadIds)], { encoding: 'utf8', timeout: 60_000 })
      expect(run.status, run.stderr).toBe(0)
      const out = JSON.parse(run.stdout.trim()) as { reserved: number; made: number; error?: string }
      // The premise: each arena reserves enough that 24 of them can't fit under the limit.
      expect(out.reserved * 24).toBeGreaterThan(limitKiB * 1024)
      expect(out).toEqual({ reserved: out.reserved, made: 24 })
    })
  }
})
