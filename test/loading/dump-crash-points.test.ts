/**
 * Warm restarts at every crash point (test/helpers/crash-points.ts): a run of dumps of a changing
 * cache to one path, with the folder copied before every file-system call that changes it (and half of
 * every write), also as a power loss leaves it (files cut to, or zeroed past, what their fsyncs covered;
 * a prefix of the folder changes not yet fsynced). A new cache restoring from each copy must load,
 * exactly, the contents of the last acknowledged dump or of the one in flight (before the first dump:
 * no file, which `ignoreMissing` accepts). Never a refused file, never a mix.
 *
 * And a short write (fewer bytes than asked, no error: what a nearly full disk or a signal gives) must
 * not leave a dump that resolves but cannot be restored.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache } from '../../src/index.js'
import { mulberry32 as prng } from '../helpers/mulberry32.mjs'
import { recordCrashPoints } from '../helpers/crash-points.js'
import { patchAll } from '../helpers/fs-faults.js'

const base = mkdtempSync(join(tmpdir(), 'cortado-dump-crash-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

type Contents = string
const contentsOf = (cache: Cache<string>): Contents => JSON.stringify([...cache.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))

interface State {
  /** Contents of the last acknowledged dump (undefined: none yet), and of the one in flight. */
  acked: Contents | undefined
  inflight: Contents | undefined
}

describe('dump → file → restore: a crash or power loss at any point leaves the last dump or the new one', () => {
  it('every crash point of four dumps of a changing cache (entries over several 1 MiB blocks)', async () => {
    const dir = join(base, 'run')
    const copies = join(base, 'copies')
    mkdirSync(dir)
    mkdirSync(copies)
    const path = join(dir, 'cache.cdump')
    const rand = prng(21)
    const cache = new Cache<string>({ maxBytes: 32 << 20 })
    let state: State = { acked: undefined, inflight: undefined }
    const recorder = recordCrashPoints<State>({ dir, copies, power: true, zeroTails: true, state: () => ({ ...state }) })
    try {
      recorder.start()
      for (let round = 0; round < 4; round++) {
        // Overwrites, deletions and new keys between dumps; about 2.5 MiB in all (three blocks).
        for (let i = 0; i < 40; i++) {
          const key = `k${Math.floor(rand() * 60)}`
          if (rand() < 0.2) cache.delete(key)
          else cache.set(key, `${key}@${round}:`.padEnd(40_000 + Math.floor(rand() * 60_000), String.fromCharCode(97 + round)))
        }
        state = { ...state, inflight: contentsOf(cache) }
        await cache.dump(path)
        state = { acked: state.inflight, inflight: undefined }
      }
      recorder.stop()
    } finally {
      recorder.undo()
      cache.close()
    }
    const points = recorder.points
    const calls = new Set(points.map((p) => p.call.replace(/\(.*$/, '')))
    for (const c of ['fsp.open', 'fh.write', 'half of fh.write', 'fh.sync', 'fsp.rename']) expect(calls, c).toContain(c)
    const failures: string[] = []
    for (const [i, p] of points.entries()) {
      const restored = new Cache<string>({ maxBytes: 32 << 20 })
      const where = `point ${i} (${p.power ? 'power loss' : 'crash'} before ${p.call})`
      try {
        const r = await restored.restore(join(p.dir, 'cache.cdump'), { ignoreMissing: true })
        const got = r.missing ? undefined : contentsOf(restored)
        const ok = [p.state.acked, p.state.inflight]
        if (!ok.includes(got)) failures.push(`${where}: restored ${got === undefined ? 'nothing' : `${restored.size} entries`}, neither the last dump nor the new one`)
      } catch (e) {
        failures.push(`${where}: ${(e as Error).message}`)
      } finally {
        restored.close()
      }
    }
    console.log(`dump: ${points.length} points (${points.filter((p) => p.power).length} power loss)`)
    expect(failures.slice(0, 10), `${new Set(failures.map((f) => f.slice(0, f.indexOf(' (')))).size} of ${points.length} crash points`).toEqual([])
  }, 600_000)

  it('a short write (no error) is continued, not left as a hole: the dump restores', async () => {
    const dir = join(base, 'short')
    mkdirSync(dir)
    const path = join(dir, 'cache.cdump')
    const cache = new Cache<string>({ maxBytes: 32 << 20 })
    for (let i = 0; i < 40; i++) cache.set(`k${i}`, `v${i}`.padEnd(50_000, 'x'))
    let shortened = 0
    // Every other write of the dump's file writes half of what it was asked.
    const undo = patchAll(['fh.write'], (_, real) => function (this: unknown, buf: unknown, offset?: unknown, length?: unknown, position?: unknown) {
      if (buf instanceof Uint8Array && typeof length === 'number' && length > 1 && shortened++ % 2 === 0) return real.call(this, buf, offset, Math.floor(length / 2), position)
      return real.call(this, buf, offset, length, position)
    })
    try {
      await cache.dump(path)
    } finally {
      undo()
    }
    expect(shortened).toBeGreaterThan(2)
    const restored = new Cache<string>({ maxBytes: 32 << 20 })
    try {
      const r = await restored.restore(path)
      expect(r.loaded).toBe(40)
      expect(contentsOf(restored)).toBe(contentsOf(cache))
    } finally {
      restored.close()
      cache.close()
    }
  })
})
