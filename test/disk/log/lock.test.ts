/**
 * Taking over a dead owner's lock, with a second opener taking it over at the same moment. Two
 * processes restarted together after a crash (cluster workers, a supervisor's retries) both find
 * `LOCK` holding a dead pid. The race is made deterministic with fs-faults.ts: the other opener's
 * whole takeover happens right after this one read the dead pid, before it acted on it.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { LogStore } from '../../../src/disk/index.js'
import { CortadoError } from '../../../src/errors.js'
import { removeTempDirs, tempDir } from './helpers.js'
import { patchFs } from '../../helpers/fs-faults.js'

afterAll(removeTempDirs)

const BOOT = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()
/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!
}
const built = existsSync(fileURLToPath(new URL('../../../dist/src/disk/index.js', import.meta.url)))

/** A pid that is certainly not running: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

describe('LogStore lock takeover', () => {
  it('a dead owner\'s lock taken over by another opener between our read and our removal: we get ERR_LOCKED, theirs stays', async () => {
    const dir = tempDir()
    const lock = join(dir, 'LOCK')
    writeFileSync(lock, `${deadPid()}\n`)
    // The other opener: a live process (our parent, the test runner) that completes its takeover in the gap.
    const other = process.ppid
    let raced = false
    const undo = patchFs(['readFileSync'], (_, real) => (...args: unknown[]) => {
      const result = real(...args)
      if (!raced && args[0] === lock) {
        raced = true
        unlinkSync(lock)
        writeFileSync(lock, `${other}\n`)
      }
      return result
    })
    let error: unknown
    try {
      const store = await LogStore.open(dir)
      await store.close()
    } catch (e) {
      error = e
    } finally {
      undo()
    }
    expect(raced).toBe(true)
    expect(error).toBeInstanceOf(CortadoError)
    expect((error as CortadoError).code).toBe('ERR_LOCKED')
    expect(readFileSync(lock, 'utf8')).toBe(`${other}\n`)
    // Nothing of ours is left behind: no aside file, no breaker.
    expect(readdirSync(dir).sort()).toEqual(['LOCK'])
  })

  it('a dead owner\'s lock, and a breaker left by an opener that died while breaking it, are both taken over', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'LOCK'), `${deadPid()}\n`)
    writeFileSync(join(dir, 'LOCK.break'), `${deadPid()}\n`)
    const store = await LogStore.open<string>(dir)
    await store.put('k', 'v')
    expect(readFileSync(join(dir, 'LOCK'), 'utf8').split('\n')[0]).toBe(String(process.pid))
    expect(existsSync(join(dir, 'LOCK.break'))).toBe(false)
    await store.close()
    expect(existsSync(join(dir, 'LOCK'))).toBe(false)
  })

  it('a lock whose pid runs but belongs to another boot, or to a process started at another time (a reused pid), is taken over', async () => {
    const alive = process.ppid
    for (const text of [`${alive}\nffffffff-ffff-ffff-ffff-ffffffffffff\n${startOf(alive)}\n`, `${alive}\n${BOOT}\n1\n`]) {
      const dir = tempDir()
      writeFileSync(join(dir, 'LOCK'), text)
      const store = await LogStore.open<string>(dir)
      expect(readFileSync(join(dir, 'LOCK'), 'utf8').split('\n')[0]).toBe(String(process.pid))
      await store.close()
    }
  })

  it('a lock of a live process, with its boot and start time, is respected; so is one of this process (another worker thread)', async () => {
    for (const pid of [process.ppid, process.pid]) {
      const dir = tempDir()
      const text = `${pid}\n${BOOT}\n${startOf(pid)}\n`
      writeFileSync(join(dir, 'LOCK'), text)
      await expect(LogStore.open(dir)).rejects.toMatchObject({ code: 'ERR_LOCKED' })
      expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(text)
    }
  })

  it.skipIf(!built)('a worker thread cannot open a directory the main thread has open (and can once it is closed)', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir)
    const inWorker = () => new Promise<string>((resolve, reject) => {
      const url = new URL('../../../dist/src/disk/index.js', import.meta.url).href
      const w = new Worker(`
        const { parentPort, workerData } = require('node:worker_threads')
        import(${JSON.stringify(url)}).then(async ({ LogStore }) => {
          try { const s = await LogStore.open(workerData); await s.close(); parentPort.postMessage('opened') }
          catch (e) { parentPort.postMessage(String(e.code)) }
        })`, { eval: true, workerData: dir })
      w.once('message', (m) => { resolve(m); void w.terminate() })
      w.once('error', reject)
    })
    expect(await inWorker()).toBe('ERR_LOCKED')
    await store.close()
    expect(await inWorker()).toBe('opened')
  })

  it.skipIf(!built)('a worker thread that ends without close() leaves a lock the next opener breaks (in another thread, or this one); a live one keeps it', async () => {
    const dir = tempDir()
    const url = new URL('../../../dist/src/disk/index.js', import.meta.url).href
    // A worker that opens the store, writes, says so, and ends when told to: without close().
    const holder = () => {
      const w = new Worker(`
        const { parentPort, workerData } = require('node:worker_threads')
        import(${JSON.stringify(url)}).then(async ({ LogStore }) => {
          const s = await LogStore.open(workerData.dir)
          await s.put(workerData.key, 'written by a worker that never closed')
          parentPort.postMessage('holding')
          parentPort.once('message', () => parentPort.close())
        })`, { eval: true, workerData: { dir, key: `w${Math.random()}` } })
      return { w, holding: new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject) }), exited: new Promise((resolve) => w.once('exit', resolve)) }
    }
    const opener = () => new Promise<string>((resolve, reject) => {
      const w = new Worker(`
        const { parentPort, workerData } = require('node:worker_threads')
        import(${JSON.stringify(url)}).then(async ({ LogStore }) => {
          try { const s = await LogStore.open(workerData); const n = s.size; await s.close(); parentPort.postMessage('opened ' + n) }
          catch (e) { parentPort.postMessage(String(e.code)) }
        })`, { eval: true, workerData: dir })
      w.once('message', (m) => { resolve(m); void w.terminate() })
      w.once('error', reject)
    })

    const first = holder()
    await first.holding
    // Alive: its lock holds against this thread and against another worker.
    await expect(LogStore.open(dir)).rejects.toMatchObject({ code: 'ERR_LOCKED' })
    expect(await opener()).toBe('ERR_LOCKED')
    first.w.postMessage('end')
    await first.exited
    // Its thread is gone: another worker takes the lock over, and finds what it wrote.
    expect(await opener()).toBe('opened 1')

    const second = holder()
    await second.holding
    await expect(LogStore.open(dir)).rejects.toMatchObject({ code: 'ERR_LOCKED' })
    second.w.postMessage('end')
    await second.exited
    // And this thread, too.
    const store = await LogStore.open<string>(dir)
    try {
      expect(store.size).toBe(2)
    } finally {
      await store.close()
    }
  })
})
