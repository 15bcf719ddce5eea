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
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { prng, removeTempDirs, tempDir } from './helpers.js'
import { MUTATING, patchFs, realFs } from './fs-faults.js'

afterAll(removeTempDirs)

type Model = Map<string, string>

interface Point {
  /** Copy of the directory at this point. */
  dir: string
  /** Whether the copy models a power loss (unsynced data gone) rather than a process crash. */
  power: boolean
  /** What the call was (for messages). */
  call: string
  /** The state every acknowledged operation made. */
  model: Model
  /** The operation in flight: its key and value (undefined for a delete), or none. */
  inflight: { key: string; value: string | undefined } | undefined
}

const OPTIONS = { maxFileBytes: 4096, autoCompact: false, compactBatchBytes: 700 }
const KEYS = 10

/** A change to the directory not yet made durable by an fsync of the directory. */
type DirOp =
  | { kind: 'create'; name: string }
  | { kind: 'rename'; from: string; to: string; replaced: { bytes: Buffer; ino: number } | undefined }
  | { kind: 'unlink'; name: string; bytes: Buffer; ino: number }

/**
 * Copies the store's files. With `durable` (inode → bytes covered by an fsync), each file is cut to
 * what its last fsync covered, and the directory changes in `undone` (made since the directory's last
 * fsync) are undone, newest first: what a power loss leaves.
 */
function copyDir(from: string, to: string, tornFile?: string, tornBytes?: Uint8Array, durable?: Map<number, number>, undone?: DirOp[]): void {
  realFs.mkdirSync(to, { recursive: true })
  const cut = (bytes: Buffer, ino: number) => (durable ? bytes.subarray(0, durable.get(ino) ?? 0) : bytes)
  for (const name of readdirSync(from)) {
    if (name.startsWith('LOCK')) continue
    const bytes = cut(realFs.readFileSync(join(from, name)), realFs.statSync(join(from, name)).ino)
    realFs.writeFileSync(join(to, name), name === tornFile && tornBytes ? Buffer.concat([bytes, tornBytes]) : bytes)
  }
  for (const op of [...(undone ?? [])].reverse()) {
    if (op.kind === 'create') realFs.rmSync(join(to, op.name), { force: true })
    else if (op.kind === 'unlink') realFs.writeFileSync(join(to, op.name), cut(op.bytes, op.ino))
    else {
      if (realFs.existsSync(join(to, op.to))) realFs.renameSync(join(to, op.to), join(to, op.from))
      if (op.replaced) realFs.writeFileSync(join(to, op.to), cut(op.replaced.bytes, op.replaced.ino))
    }
  }
}

async function runWorkload(seed: number, sync: 'always' | 'none', dir: string, copies: string): Promise<Point[]> {
  const rand = prng(seed)
  const points: Point[] = []
  const model: Model = new Map()
  let inflight: Point['inflight']
  let recording = false
  const fdPaths = new Map<number, string>()
  // fs's own functions call each other through the patched exports (writeFileSync calls openSync...).
  let copying = false
  // Bytes of each file (by inode: names change by rename) an fsync has covered. Counted when the fsync
  // is called: data written before it is durable once it returns, and nothing is acknowledged before.
  const durable = new Map<number, number>()
  let dirOps: DirOp[] = []
  const inDir = (path: unknown): string | undefined =>
    typeof path === 'string' && path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).startsWith('LOCK') ? path.slice(dir.length + 1) : undefined
  const snap = (call: string, tornFd?: number, torn?: Uint8Array) => {
    const path = tornFd === undefined ? undefined : fdPaths.get(tornFd)
    copying = true
    try {
      const copy = join(copies, String(points.length))
      copyDir(dir, copy, path?.startsWith(dir) ? path.slice(dir.length + 1) : undefined, torn)
      points.push({ dir: copy, power: false, call, model: new Map(model), inflight })
      // A power loss: what 'always' promises (every acknowledged write was fsynced) must hold there too.
      // The file system keeps directory changes in order (a journal), so a power loss keeps some prefix
      // of those not yet fsynced: every prefix is a case.
      if (sync === 'always' && torn === undefined) {
        for (let kept = 0; kept <= dirOps.length; kept++) {
          const power = join(copies, String(points.length))
          copyDir(dir, power, undefined, undefined, durable, dirOps.slice(kept))
          points.push({ dir: power, power: true, call: `${call}, ${kept} of ${dirOps.length} unsynced directory changes kept`, model: new Map(model), inflight })
        }
      }
    } finally {
      copying = false
    }
  }
  const recordDirOp = (name: string, args: unknown[]): void => {
    const target = inDir(args[0])
    if (target !== undefined && (name === 'openSync' || name === 'writeFileSync') && !realFs.existsSync(args[0] as string)) dirOps.push({ kind: 'create', name: target })
    if (target !== undefined && (name === 'unlinkSync' || name === 'rmSync') && realFs.existsSync(args[0] as string))
      dirOps.push({ kind: 'unlink', name: target, bytes: realFs.readFileSync(args[0] as string), ino: realFs.statSync(args[0] as string).ino })
    if (target !== undefined && name === 'renameSync') {
      const to = args[1] as string
      const replaced = realFs.existsSync(to) ? { bytes: realFs.readFileSync(to), ino: realFs.statSync(to).ino } : undefined
      dirOps.push({ kind: 'rename', from: target, to: inDir(to)!, replaced })
    }
  }
  const undo = patchFs(MUTATING, (name, real) => (...args: unknown[]) => {
    if ((name === 'fdatasync' || name === 'fsync' || name === 'fdatasyncSync' || name === 'fsyncSync') && !copying) {
      const st = realFs.fstatSync(args[0] as number)
      if (st.isFile()) durable.set(st.ino, st.size)
      else if (st.isDirectory()) dirOps = []
    }
    if (!copying) {
      // The directory change this call makes, recorded before it runs (an unlinked file's bytes are still
      // there). The reads below go through fs's patched exports too: not crash points of the store.
      copying = true
      try {
        recordDirOp(name, args)
      } finally {
        copying = false
      }
    }
    if (recording && !copying) {
      snap(`${name}(${typeof args[0] === 'string' ? args[0].slice(dir.length + 1) : fdPaths.get(args[0] as number)?.slice(dir.length + 1) ?? args[0]})`)
      if (name === 'writeSync') {
        const [fd, buf, offset = 0, length] = args as [number, Uint8Array, number?, number?]
        const n = length ?? buf.length - offset
        if (n > 1) snap(`half of writeSync(${fdPaths.get(fd)?.slice(dir.length + 1)})`, fd, buf.subarray(offset, offset + Math.floor(n / 2)))
      }
    }
    const result = real(...args)
    if (name === 'openSync' && typeof args[0] === 'string') fdPaths.set(result as number, args[0])
    return result
  })
  try {
    let store = await LogStore.open<string>(dir, { ...OPTIONS, sync })
    recording = true
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
    recording = false
  } finally {
    undo()
  }
  return points
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
      for (const [i, p] of points.entries()) {
        const store = await LogStore.open<string>(p.dir, { sync: 'none', autoCompact: false })
        try {
          for (let k = 0; k < KEYS; k++) {
            const key = `k${k}`
            const got = store.getSync(key)
            const allowed = [p.model.get(key)]
            if (p.inflight?.key === key) allowed.push(p.inflight.value)
            if (!allowed.includes(got)) {
              failures.push(`point ${i} (${p.power ? 'power loss' : 'crash'} before ${p.call}): ${key} is ${got?.slice(0, 12) ?? 'absent'}, expected ${allowed.map((v) => v?.slice(0, 12) ?? 'absent').join(' or ')}`)
            }
          }
          expect(store.stats().corruptReads).toBe(0)
        } finally {
          await store.close()
        }
      }
      const failing = new Set(failures.map((f) => f.slice(0, f.indexOf(' ('))))
      expect(failures.slice(0, 10), `${failing.size} of ${points.length} crash points (${failures.length} wrong keys)`).toEqual([])
    }, 240_000)
  }
})
