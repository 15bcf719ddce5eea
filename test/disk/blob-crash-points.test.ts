/**
 * DiskCache at every crash point (test/helpers/crash-points.ts): a seeded run of whole and streamed
 * puts (small bodies written on the calling thread, larger ones through the thread pool), overwrites,
 * deletes, gets, range reads, GC runs that evict under `maxBytes`, and close + reopen, with the folder
 * copied before every file-system call that changes it (and half of every write). Each copy is opened
 * by a new DiskCache, which must read each key, whole and by range, as one of what the docs allow:
 *   - after a process crash (every level): the value of the last acknowledged put or delete, the one in
 *     flight, or a miss for a key the GC may have evicted; no corrupt file (only temporary files).
 *   - after a power loss (files cut to what their fsyncs covered, or zeroed past it at full length; a
 *     prefix of the folder changes not yet fsynced; the machine rebooted, so files carry an earlier
 *     boot's id): 'os' as after a process crash, and no file found corrupt or torn; 'os-or-miss' that or a
 *     miss, never an older version; 'process' any version ever acknowledged or a miss. Never other bytes.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { DiskCache } from '../../src/disk/index.js'
import { blobPaths } from '../../src/disk/blob/layout.js'
import { BOOT_ID } from '../../src/disk/blob/checksum.js'
import { crc32 } from '../../src/crc32.js' // the header CRC in JS, independent of the code under test
import { prng, removeTempDirs, tempDir } from './log/helpers.js'
import { recordCrashPoints, type CrashPoint } from '../helpers/crash-points.js'

afterAll(removeTempDirs)

type Durability = 'os' | 'os-or-miss' | 'process'
const KEYS = 8
/** Bytes of the range every key is also read by. */
const RANGE = { start: 40, end: 299 }

interface State {
  /** Per key: what a crash of the process may leave it reading as (undefined = a miss). */
  crash: Map<string, Set<string | undefined>>
  /** Per key: what a power loss may leave it reading as. */
  power: Map<string, Set<string | undefined>>
}

const copyState = (m: Map<string, Set<string | undefined>>) => new Map([...m].map(([k, v]) => [k, new Set(v)]))

const OPTIONS = { gcIntervalMs: 0, highWatermark: 1, lowWatermark: 0.5, inlineWriteBytes: 1024 }

async function runWorkload(seed: number, durability: Durability, dir: string, copies: string): Promise<{ points: CrashPoint<State>[]; evicted: number }> {
  const rand = prng(seed)
  // What each key reads as after acknowledged operations (undefined: absent), every version it ever
  // had, what the GC may have removed, and the operation in flight.
  const current = new Map<string, string | undefined>()
  const history = new Map<string, Set<string | undefined>>()
  const evictable = new Set<string>()
  let inflight: { key: string; value: string | undefined } | undefined
  let gcRunning = false
  let evicted = 0
  const state = (): State => {
    const crash = new Map<string, Set<string | undefined>>()
    const power = new Map<string, Set<string | undefined>>()
    for (let k = 0; k < KEYS; k++) {
      const key = `k${k}`
      const c = new Set<string | undefined>([current.get(key)])
      if (inflight?.key === key) c.add(inflight.value)
      if (gcRunning || evictable.has(key)) c.add(undefined)
      crash.set(key, c)
      const p = new Set(c)
      if (durability !== 'os') p.add(undefined)
      if (durability === 'process') for (const v of history.get(key) ?? []) p.add(v)
      power.set(key, p)
    }
    return { crash, power }
  }
  const recorder = recordCrashPoints<State>({ dir, copies, power: true, zeroTails: durability !== 'process', maxPrefixes: 6, state: () => state() })
  const options = { dir, ...OPTIONS, durability, maxBytes: 9000 }
  const settle = async (cache: DiskCache) => {
    gcRunning = true
    await cache.gc()
    gcRunning = false
    // What the GC removed is a miss until the key is written again.
    for (const [key, v] of current) if (v !== undefined && !existsSync(blobPaths(dir, key).file)) evictable.add(key)
  }
  try {
    mkdirSync(dir)
    let cache = new DiskCache(options)
    await settle(cache)
    recorder.start()
    let version = 0
    for (let op = 0; op < 45; op++) {
      const r = rand()
      const key = `k${Math.floor(rand() * KEYS)}`
      if (op % 15 === 14) {
        evicted += cache.stats().evicted
        cache.close()
        cache = new DiskCache(options)
        await settle(cache)
      } else if (r < 0.2) {
        inflight = { key, value: undefined }
        await cache.delete(key)
        current.set(key, undefined)
        evictable.delete(key)
      } else if (r < 0.35) {
        // Reads: a hit records the access (an inode write), a crash point too.
        const got = await cache.get(key)
        if (!(got === undefined && evictable.has(key))) expect(got?.toString(), `get ${key}`).toBe(current.get(key))
        const s = cache.createReadStream(key, RANGE)
        const part = s ? Buffer.concat(await s.toArray()).toString() : undefined
        expect(part, `range of ${key}`).toBe(got === undefined ? undefined : got.toString().slice(RANGE.start, RANGE.end + 1))
      } else if (r < 0.42) {
        await settle(cache)
      } else {
        // Sizes on both sides of inlineWriteBytes: the calling thread's write and the thread pool's.
        const value = `${key}@${version++}:`.padEnd(300 + Math.floor(rand() * 2500), String.fromCharCode(97 + (version % 26)))
        inflight = { key, value }
        if (rand() < 0.25) {
          const chunks = [value.slice(0, 200), value.slice(200)].map((c) => Buffer.from(c))
          await cache.put(key, Readable.from(chunks))
        } else await cache.put(key, value)
        current.set(key, value)
        if (!history.has(key)) history.set(key, new Set())
        history.get(key)!.add(value)
        evictable.delete(key)
        inflight = undefined
        if (cache.stats().bytes > options.maxBytes) await settle(cache)
      }
      inflight = undefined
    }
    evicted += cache.stats().evicted
    cache.close()
    recorder.stop()
  } finally {
    recorder.undo()
  }
  return { points: recorder.points, evicted }
}

/**
 * Gives every intact version-2 header in `dir` an earlier boot's id (and its header CRC again): after
 * a power loss the machine has booted anew, and only then are unflushed files checked.
 */
function asAfterReboot(dir: string): void {
  const earlier = randomBytes(16)
  for (const ent of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!ent.isFile()) continue
    const file = join(ent.parentPath, ent.name)
    const b = readFileSync(file)
    if (b.length < 64 || b.readUInt8(4) !== 2 || !b.subarray(48, 64).equals(BOOT_ID)) continue
    const headerLen = b.readUInt32LE(12)
    if (headerLen > b.length) continue
    earlier.copy(b, 48)
    b.writeUInt32LE(0, 40)
    b.writeUInt32LE(crc32(b, 0, headerLen, 0), 40)
    writeFileSync(file, b)
  }
}

const show = (v: string | undefined) => (v === undefined ? 'absent' : `${v.slice(0, 10)}… (${v.length} chars, ${v.replace(/[^\0]/g, '').length} NUL)`)

async function check(p: CrashPoint<State>, durability: Durability): Promise<string[]> {
  if (p.power) asAfterReboot(p.dir)
  const allowed = p.power ? p.state.power : p.state.crash
  const failures: string[] = []
  const where = `${p.power ? 'power loss' : 'crash'} before ${p.call}`
  // Ranges first, from their own instance: the range path must do its own torn check.
  const ranges = new DiskCache({ dir: p.dir, ...OPTIONS })
  const whole = new DiskCache({ dir: p.dir, ...OPTIONS })
  try {
    await ranges.gc()
    for (let k = 0; k < KEYS; k++) {
      const key = `k${k}`
      const ok = allowed.get(key)!
      const s = ranges.createReadStream(key, RANGE)
      const part = s ? Buffer.concat(await s.toArray()).toString() : undefined
      if (!(part === undefined ? ok.has(undefined) : [...ok].some((v) => v !== undefined && v.slice(RANGE.start, RANGE.end + 1) === part)))
        failures.push(`${where}: range of ${key} is ${show(part)}, expected a range of ${[...ok].map(show).join(' or ')}`)
      const got = (await whole.get(key))?.toString()
      if (!ok.has(got)) failures.push(`${where}: ${key} is ${show(got)}, expected ${[...ok].map(show).join(' or ')}`)
    }
    const bad = ranges.stats().corrupt + whole.stats().corrupt
    if ((!p.power || durability === 'os') && bad > 0) failures.push(`${where}: ${bad} corrupt files`)
  } finally {
    ranges.close()
    whole.close()
  }
  return failures
}

describe('DiskCache: a crash or power loss before any file-system call leaves what the durability level promises', () => {
  for (const [seed, durability] of [[11, 'os'], [12, 'os'], [13, 'os-or-miss'], [14, 'process']] as const) {
    it(`every crash point of a seeded run with puts, deletes, reads, evictions and reopens (seed ${seed}, durability '${durability}')`, async () => {
      const base = tempDir('cortado-blob-crash-')
      const dir = join(base, 'cache')
      const copies = join(base, 'copies')
      mkdirSync(copies)
      const { points, evicted } = await runWorkload(seed, durability, dir, copies)
      // The run must reach every step: puts by both write paths and streams, flushes, renames, deletes, evictions.
      expect(evicted).toBeGreaterThan(0)
      const calls = new Set(points.map((p) => p.call.replace(/\(.*$/, '')))
      for (const c of ['writevSync', 'write', 'fh.write', 'fsp.rename', 'fsp.unlink', 'fsp.mkdir', 'mkdirSync', 'half of writevSync', ...(durability === 'os' ? ['fdatasync', 'fh.datasync'] : []), ...(durability === 'process' ? [] : ['fsync'])]) expect(calls, c).toContain(c)
      console.log(`DiskCache seed ${seed} '${durability}': ${points.length} points (${points.filter((p) => p.power).length} power loss), ${evicted} evicted`)
      const failures: string[] = []
      const failing: number[] = []
      try {
        for (const [i, p] of points.entries()) {
          const f = await check(p, durability)
          if (f.length > 0) failing.push(i)
          failures.push(...f.map((x) => `point ${i} (${x})`))
        }
      } finally {
        // Thousands of copies: removed here, in the test's time, not in an afterAll hook's minute.
        rmSync(base, { recursive: true, force: true })
      }
      expect(failures.slice(0, 10), `${failing.length} of ${points.length} crash points`).toEqual([])
    }, 600_000)
  }
})
