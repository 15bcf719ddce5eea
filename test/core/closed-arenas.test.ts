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
import { Cache } from '../../src/index.js'
import { forEachEngine } from '../conformance/engines.js'
import { collectWarnings, settle } from '../helpers/warnings.js'
import { fullGc } from '../../bench/harness/gc.js'

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

/*
 * In this process: a closed cache lets go of its arena at once, even inside the synchronous job that made it. Before
 * stop 36 two things kept it until the job ended: a process warning given inside set() (its stack
 * trace, not yet formatted, holds every frame's receiver: the Cache), and the thread slot's lease (a
 * WeakRef to it keeps it alive until the job ends, and it held the arena's views). A loop that made,
 * filled and closed caches of 256 MiB grew by each one (8 caches: 1.9 GB of RSS; 293 MB since).
 *
 * How it is seen here: each cache is registered with a FinalizationRegistry, and gc() runs in the same
 * job right after the loop; the registry's callbacks (run after a yield) name the caches that gc()
 * found unreachable. A cache still held until the job's end escapes that collection (before the fix:
 * none was collected). The last one made may still sit in a stack slot of the loop's frame (seen
 * now and then under vitest on the wasm engine): at least all but one must be collected.
 */

const gc = fullGc()

forEachEngine('a closed cache is collectable within the job that closed it', (engine) => {
  it('caches that never warned are collected by a gc() in the same job', async () => {
    const collected: number[] = []
    const registry = new FinalizationRegistry<number>((n) => collected.push(n))
    const fill = (n: number): void => {
      const cache = new Cache<string>({ engine, maxBytes: 16 << 20 })
      for (let i = 0; i < 10_000; i++) cache.set(`k:${i}`, `value ${i}`)
      registry.register(cache, n)
      cache.close()
    }
    for (let n = 0; n < 4; n++) fill(n)
    gc()
    for (let i = 0; i < 20 && collected.length < 4; i++) await new Promise((r) => setTimeout(r, 5))
    expect(collected.length, `caches collected by the gc() in the job that closed them: ${collected}`).toBeGreaterThanOrEqual(3)
  })

  it('caches that warned (shards too small, an oversized value) are collected by a gc() in the same job', async () => {
    const shards = collectWarnings('CORTADO_SHARDS')
    const oversized = collectWarnings('CORTADO_OVERSIZED')
    try {
      const collected: number[] = []
      const registry = new FinalizationRegistry<number>((n) => collected.push(n))
      const made = 4
      // One synchronous job: make, fill (40 KiB values: the shard advice warns after 1024 such sets;
      // one value over the limit: the oversize warning), close, collect.
      const fill = (n: number): void => {
        const cache = new Cache<Buffer>({ engine, maxBytes: 16 << 20, codec: 'buffer', name: `closed-${n}` })
        const value = Buffer.alloc(40_000, n)
        for (let i = 0; i < 1100; i++) cache.set(`k:${i}`, value)
        expect(cache.set('too-large', Buffer.alloc(cache.geometry.maxEntryBytes + 1))).toBe(false)
        registry.register(cache, n)
        cache.close()
      }
      for (let n = 0; n < made; n++) fill(n)
      gc()
      // Yield (no gc() after this point): the registry reports what the gc() above collected.
      for (let i = 0; i < 20 && collected.length < made; i++) await new Promise((r) => setTimeout(r, 5))
      expect(collected.length, `caches collected by the gc() in the job that closed them: ${collected}`).toBeGreaterThanOrEqual(made - 1)
      await settle()
      // The warnings were still given, once per cache each, with their stack (formatted at once).
      expect(shards.warnings).toHaveLength(made)
      expect(oversized.warnings).toHaveLength(made)
      expect(shards.warnings[0]!.name).toBe('Warning')
      expect(shards.warnings[0]!.stack).toContain('fill')
    } finally {
      shards.stop()
      oversized.stop()
    }
  }, 60_000)
})
