/**
 * Atomic writes: writers in threads and in processes replace one key over and over while this thread
 * reads it; every read must be one whole version. A writer killed with SIGKILL half-way leaves the old
 * version readable and at most its temporary file, which the next DiskCache on the folder removes.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { DiskCache } from '../../src/disk/index.js'
import { checkVersion, versionBytes } from './fixtures/versions.js'
import { tempFolders, tempsIn } from './blob-helpers.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'

const fixture = new URL('./fixtures/blob-writer.mjs', import.meta.url)
const folders = tempFolders('cortado-atomic-')
const tempDir = folders.make
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  folders.cleanup()
})
function child(job: object): ChildProcess {
  const c = fork(fixture, [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  children.push(c)
  return c
}
function message(source: ChildProcess | Worker, pick: (m: Record<string, unknown>) => boolean, ms = 40_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms)
    source.on('message', (m: Record<string, unknown>) => {
      if (pick(m)) {
        clearTimeout(timer)
        resolve()
      }
    })
    source.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    source.once('exit', (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`writer exited (${code}) before its message`))
    })
  })
}

describe('DiskCache atomic writes', () => {
  it('concurrent writers in threads and processes: every read is one whole version', async () => {
    const dir = tempDir()
    const key = 'contended'
    const reader = new DiskCache({ dir, fsync: false, gcIntervalMs: 0, touchAfterMs: 0 })
    await reader.put(key, versionBytes(0, 1))
    const COUNT = 25
    // Writers 1 and 3 write every Buffer version by the inline path (calling-thread open/writev/close),
    // 2 and 4 with the default limit (most versions are larger than it: thread pool).
    const inline = (writer: number) => (writer % 2 === 1 ? { inline: 1 << 20 } : {})
    const threads = [1, 2].map((writer) => new Worker(fixture, { workerData: { mode: 'versions', dir, key, writer, count: COUNT, ...inline(writer) } }))
    const processes = [3, 4].map((writer) => child({ mode: 'versions', dir, key, writer, count: COUNT, ...inline(writer) }))
    const done = Promise.all([...threads, ...processes].map((w) => message(w, (m) => m.done === true)))
    let finished = false
    void done.then(() => { finished = true }, () => { finished = true })
    const seen = new Set<string>()
    const problems: string[] = []
    let reads = 0
    while (!finished) {
      const whole = await reader.get(key)
      if (!whole) throw new Error(`get miss: ${JSON.stringify(reader.stats())}`)
      const s = reader.createReadStream(key)
      if (!s) throw new Error(`miss: ${JSON.stringify(reader.stats())}`)
      const streamed = Buffer.concat(await s.toArray())
      for (const b of [whole!, streamed]) {
        reads++
        const v = checkVersion(b)
        if (typeof v === 'string') problems.push(v)
        else seen.add(`${v.writer}:${v.version}`)
      }
    }
    await done
    await Promise.all(threads.map((t) => t.terminate()))
    expect(problems).toEqual([])
    expect(reads).toBeGreaterThan(2)
    expect(seen.size).toBeGreaterThan(1)
    expect(typeof checkVersion((await reader.get(key))!)).toBe('object')
    expect(tempsIn(dir)).toEqual([])
    reader.close()
  })

  it('SIGKILL mid-write: the old version stays whole, and the next start removes the temporary file', async () => {
    const dir = tempDir()
    const key = 'killed'
    const before = new DiskCache({ dir, fsync: true, gcIntervalMs: 0 })
    await before.put(key, versionBytes(7, 1))
    before.close()
    const writer = child({ mode: 'hang', dir, key, writer: 9 })
    await message(writer, (m) => m.halfway === true)
    // The half-written data is in a temporary file beside the target right now.
    expect(tempsIn(dir).length).toBe(1)
    writer.kill('SIGKILL')
    await new Promise((r) => writer.once('exit', r))
    expect(tempsIn(dir).length).toBe(1)

    const after = new DiskCache({ dir, gcIntervalMs: 0 })
    expect(checkVersion((await after.get(key))!)).toEqual({ writer: 7, version: 1 })
    // The constructor's first GC run sweeps the dead writer's file (or this call joins that run).
    const report = await after.gc()
    expect(tempsIn(dir)).toEqual([])
    expect(report.blobs).toBe(1)
    expect(after.stats().tempsRemoved).toBe(1)
    after.close()
  })

  it('writers SIGKILLed at arbitrary moments while a reader reads: every read is whole, the next start sweeps what they left', async () => {
    const dir = tempDir()
    const key = 'killed-often'
    const reader = new DiskCache({ dir, fsync: false, gcIntervalMs: 0, touchAfterMs: 0 })
    await reader.put(key, versionBytes(0, 1))
    const rand = mulberry32(testSeed(61))
    const problems: string[] = []
    let reads = 0
    for (let round = 0; round < 4; round++) {
      // Durable and not, by the inline and the thread-pool paths: a kill can land in any step.
      const c = child({ mode: 'versions', dir, key, writer: 10 + round, count: 1_000_000, fsync: round % 2 === 0, ...(round < 2 ? { inline: 1 << 20 } : {}) })
      await message(c, (m) => m.started === true)
      const killAt = Date.now() + 100 + Math.floor(rand() * 400)
      while (Date.now() < killAt) {
        const whole = await reader.get(key)
        if (!whole) throw new Error(`get miss: ${JSON.stringify(reader.stats())}`)
        reads++
        const v = checkVersion(whole)
        if (typeof v === 'string') problems.push(v)
      }
      c.kill('SIGKILL')
      await new Promise((r) => c.once('exit', r))
    }
    expect(problems).toEqual([])
    expect(reads).toBeGreaterThan(4)
    reader.close()
    const after = new DiskCache({ dir, gcIntervalMs: 0 })
    await after.gc()
    expect(tempsIn(dir)).toEqual([])
    expect(typeof checkVersion((await after.get(key))!)).toBe('object')
    after.close()
  })

  it('keeps a temporary file whose writer is alive, until the grace time passes', async () => {
    const dir = tempDir()
    const writer = child({ mode: 'hang', dir, key: 'slow', writer: 5 })
    await message(writer, (m) => m.halfway === true)
    const c = new DiskCache({ dir, gcIntervalMs: 0 })
    await c.gc()
    expect(tempsIn(dir).length).toBe(1)
    c.close()
    let now = Date.now()
    const later = new DiskCache({ dir, gcIntervalMs: 0, tempGraceMs: 60_000, clock: () => now })
    now += 120_000
    await later.gc()
    expect(tempsIn(dir)).toEqual([])
    later.close()
  })
})
