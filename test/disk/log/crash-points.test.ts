/**
 * A crash before every file-system call. crash.test.ts kills a writer at random moments; this test
 * visits each point deterministically. A seeded sequence of puts, overwrites, deletes, compactions and
 * reopens runs once with every call that changes the disk intercepted (fs-faults.ts); before the call
 * runs, the store's directory is copied as it is: exactly what a process killed at that instant leaves
 * (the OS keeps every byte written). Writes are also cut in half, as a kill inside one `write` leaves them.
 * Each copy is then opened and must hold, for every key, the value of the last acknowledged operation,
 * or the outcome of the one operation in flight. In particular a deleted key never comes back.
 *
 * In sync 'always', every point is also copied as a power loss leaves it: each file cut to the bytes its
 * last fsync covered, and of the directory changes (creations, renames, unlinks) made since the
 * directory's last fsync, each prefix kept in turn (a journal keeps them in order). What 'always'
 * acknowledged must be there too. Checked that it can fail: acknowledging before the fsync, renaming
 * compaction outputs without fsyncing them, or never fsyncing the directory of a new segment each fail
 * hundreds of points (see the report of branch probe-disk).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { prng, removeTempDirs, tempDir } from './helpers.js'
import { recordCrashPoints, type CrashPoint } from '../../helpers/crash-points.js'

afterAll(removeTempDirs)

type Model = Map<string, string>

interface State {
  /** The state every acknowledged operation made. */
  model: Model
  /** The operation in flight: its key and value (undefined for a delete), or none. */
  inflight: { key: string; value: string | undefined } | undefined
}

const OPTIONS = { maxFileBytes: 4096, autoCompact: false, compactBatchBytes: 700 }
const KEYS = 10

async function runWorkload(seed: number, sync: 'always' | 'none', dir: string, copies: string): Promise<CrashPoint<State>[]> {
  const rand = prng(seed)
  const model: Model = new Map()
  let inflight: State['inflight']
  const recorder = recordCrashPoints<State>({
    dir, copies, power: sync === 'always', zeroTails: seed === 6,
    state: () => ({ model: new Map(model), inflight }),
    ignore: (rel) => rel.startsWith('LOCK'),
  })
  try {
    let store = await LogStore.open<string>(dir, { ...OPTIONS, sync })
    recorder.start()
    let version = 0
    for (let op = 0; op < 90; op++) {
      const r = rand()
      const key = `k${Math.floor(rand() * KEYS)}`
      if (op % 30 === 29) {
        // Close (index snapshot, sealed hints) and open again (recovery) are crash points too.
        await store.close()
        store = await LogStore.open<string>(dir, { ...OPTIONS, sync })
      } else if (op % 10 === 9 || r < 0.06) {
        await store.compact()
      } else if (r < 0.35) {
        inflight = { key, value: undefined }
        await store.delete(key)
        model.delete(key)
      } else {
        const value = `${key}@${version++}:`.padEnd(150 + Math.floor(rand() * 400), 'v')
        inflight = { key, value }
        await store.put(key, value)
        model.set(key, value)
      }
      inflight = undefined
    }
    await store.close()
    recorder.stop()
  } finally {
    recorder.undo()
  }
  return recorder.points
}

describe('LogStore: a crash before any file-system call loses nothing acknowledged, and resurrects nothing', () => {
  // A process crash loses nothing acknowledged in any sync mode (the OS has every byte written).
  for (const [seed, sync] of [[5, 'always'], [6, 'always'], [7, 'none']] as const) {
    it(`every crash point of a seeded run with deletes, compactions and reopens (seed ${seed}, sync '${sync}')`, async () => {
      const base = tempDir()
      const dir = join(base, 'store')
      const copies = join(base, 'copies')
      mkdirSync(copies)
      const points = await runWorkload(seed, sync, dir, copies)
      expect(points.length).toBeGreaterThan(300)
      const calls = new Set(points.map((p) => p.call.replace(/\(.*$/, '')))
      // The run must reach the calls of every step of the protocol.
      for (const c of ['writeSync', 'half of writeSync', 'fdatasync', 'renameSync', 'rmSync', 'openSync']) expect(calls, c).toContain(c)
      const failures: string[] = []
      try {
        for (const [i, p] of points.entries()) {
          const store = await LogStore.open<string>(p.dir, { sync: 'none', autoCompact: false })
          try {
            for (let k = 0; k < KEYS; k++) {
              const key = `k${k}`
              const got = store.getSync(key)
              const allowed = [p.state.model.get(key)]
              if (p.state.inflight?.key === key) allowed.push(p.state.inflight.value)
              if (!allowed.includes(got)) {
                failures.push(`point ${i} (${p.power ? 'power loss' : 'crash'} before ${p.call}): ${key} is ${got?.slice(0, 12) ?? 'absent'}, expected ${allowed.map((v) => v?.slice(0, 12) ?? 'absent').join(' or ')}`)
              }
            }
            expect(store.stats().corruptReads).toBe(0)
          } finally {
            await store.close()
          }
        }
        console.log(`LogStore seed ${seed} sync ${sync}: ${points.length} points (${points.filter((p) => p.power).length} power loss)`)
      } finally {
        // Thousands of copies: removed in the test's time, not in an afterAll hook's minute.
        rmSync(base, { recursive: true, force: true })
      }
      const failing = new Set(failures.map((f) => f.slice(0, f.indexOf(' ('))))
      expect(failures.slice(0, 10), `${failing.size} of ${points.length} crash points (${failures.length} wrong keys)`).toEqual([])
    }, 600_000)
  }
})
