/**
 * Crash points: a copy of a store's directory (recursively) before every file-system call that changes
 * it, made while a seeded workload runs once. Each copy is what a process killed at that instant leaves
 * (the OS keeps every byte written); writes are also cut in half, as a kill inside one `write` leaves
 * them. With `power`, each point is also copied as a power loss leaves it: each file cut to the bytes
 * its last fsync covered (or, with `zeroTails`, kept at its length with those bytes zeroed, as a file
 * system that committed the size but not the data leaves it), and of the directory changes (creations,
 * renames, unlinks, new folders) not yet made durable by an fsync of the folder they are in, each prefix
 * kept in turn (a journal keeps them in order). A folder's fsync covers its own entries only (POSIX): a
 * new folder's entry in its parent needs the parent's fsync.
 *
 * Calls are seen in every form the stores use: `node:fs` synchronous and callback functions,
 * `node:fs/promises`, and FileHandle methods (fs-faults.ts patches them all). Used by the LogStore's,
 * the DiskCache's and the dump file's crash-point tests.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { MUTATING_ALL, patchAll, realFs } from './fs-faults.js'

export interface CrashPoint<S> {
  /** Copy of the directory at this point. */
  dir: string
  /** Whether the copy models a power loss (unsynced data gone) rather than a process crash. */
  power: boolean
  /** What the call was, and for a power loss what was kept (for messages). */
  call: string
  /** The workload's state when the point was taken (its model: what was acknowledged, what is in flight). */
  state: S
}

export interface CrashRecorder<S> {
  readonly points: CrashPoint<S>[]
  /** Points are taken between start() and stop(); the fs patches stay until undo(). */
  start(): void
  stop(): void
  undo(): void
}

export interface RecordOptions<S> {
  /** The directory watched (and copied), recursively. */
  dir: string
  /** Where the copies go (outside `dir`). */
  copies: string
  /** Also take power-loss copies (for sync modes that promise survival of one). */
  power: boolean
  /** Power-loss copies also with unsynced bytes zeroed at the file's full length (besides cut). */
  zeroTails?: boolean
  /**
   * At most this many of the prefixes of unsynced directory changes per point (evenly spaced, always
   * none and all): a mode that never fsyncs folders piles changes up, and every prefix of every point
   * grows quadratically. Default: all.
   */
  maxPrefixes?: number
  /** The state to store with each point (called at each point: return a copy). */
  state: () => S
  /** Entries (relative paths) neither copied nor tracked, such as lock files. */
  ignore?: (rel: string) => boolean
}

/** A change to a folder not yet made durable by an fsync of that folder. */
type DirOp =
  | { kind: 'create'; name: string; folder: boolean }
  | { kind: 'rename'; from: string; to: string; replaced: { bytes: Buffer; durable: number } | undefined }
  | { kind: 'unlink'; name: string; bytes: Buffer; durable: number }

interface Pending {
  op: DirOp
  /** The folders (relative, '' = the root) whose fsync the change waits for. */
  waits: Set<string>
}

const SYNCS = new Set(['fdatasync', 'fsync', 'fdatasyncSync', 'fsyncSync', 'fh.sync', 'fh.datasync'])

export function recordCrashPoints<S>(o: RecordOptions<S>): CrashRecorder<S> {
  const { dir, copies } = o
  const ignore = o.ignore ?? (() => false)
  const points: CrashPoint<S>[] = []
  let recording = false
  const fdPaths = new Map<number, string>()
  // fs's own functions call each other through the patched exports (writeFileSync calls openSync...).
  let inside = false
  // Bytes of each file (by inode: names change by rename) an fsync has covered. Counted when the fsync
  // is called: data written before it is durable once it returns, and nothing is acknowledged before.
  const durable = new Map<number, number>()
  let pending: Pending[] = []
  const rel = (path: unknown): string | undefined => {
    if (typeof path !== 'string') return undefined
    if (path === dir) return ''
    if (!path.startsWith(`${dir}/`)) return undefined
    const r = path.slice(dir.length + 1)
    return ignore(r) ? undefined : r
  }
  const pathOfFd = (fd: unknown): string | undefined => (typeof fd === 'number' ? fdPaths.get(fd) : undefined)

  /** Copies `dir` to `to`; `durableCut` set: as a power loss leaves it (see the file comment). */
  const copy = (to: string, torn?: { rel: string; position: number | undefined; bytes: Uint8Array }, loss?: { undone: DirOp[]; zero: boolean }): void => {
    const cut = (bytes: Buffer, covered: number): Buffer => {
      if (!loss) return bytes
      const keep = Math.min(bytes.length, covered)
      if (!loss.zero) return bytes.subarray(0, keep)
      const out = Buffer.alloc(bytes.length)
      bytes.copy(out, 0, 0, keep)
      return out
    }
    const walk = (r: string): void => {
      realFs.mkdirSync(join(to, r), { recursive: true })
      for (const ent of readdirSync(join(dir, r), { withFileTypes: true })) {
        const name = r === '' ? ent.name : `${r}/${ent.name}`
        if (ignore(name)) continue
        if (ent.isDirectory()) walk(name)
        else {
          const from = join(dir, name)
          let bytes = cut(realFs.readFileSync(from), durable.get(realFs.statSync(from).ino) ?? 0)
          if (torn && torn.rel === name) {
            const at = torn.position ?? bytes.length
            const grown = Buffer.alloc(Math.max(bytes.length, at + torn.bytes.length))
            bytes.copy(grown)
            grown.set(torn.bytes, at)
            bytes = grown
          }
          realFs.writeFileSync(join(to, name), bytes)
        }
      }
    }
    walk('')
    for (const op of [...(loss?.undone ?? [])].reverse()) {
      if (op.kind === 'create') realFs.rmSync(join(to, op.name), { force: true, recursive: true })
      else if (op.kind === 'unlink') {
        realFs.mkdirSync(dirname(join(to, op.name)), { recursive: true })
        realFs.writeFileSync(join(to, op.name), cut(op.bytes, op.durable))
      } else {
        if (realFs.existsSync(join(to, op.to))) realFs.renameSync(join(to, op.to), join(to, op.from))
        if (op.replaced) realFs.writeFileSync(join(to, op.to), cut(op.replaced.bytes, op.replaced.durable))
      }
    }
  }

  const snap = (call: string, torn?: { fd: unknown; position: number | undefined; bytes: Uint8Array }) => {
    const tornRel = torn === undefined ? undefined : rel(pathOfFd(torn.fd))
    if (torn !== undefined && tornRel === undefined) return
    const state = o.state()
    const at = join(copies, String(points.length))
    copy(at, tornRel === undefined ? undefined : { rel: tornRel, position: torn!.position, bytes: torn!.bytes })
    points.push({ dir: at, power: false, call: torn ? `half of ${call}` : call, state })
    if (!o.power || torn !== undefined) return
    // A power loss: what a durable mode promises (every acknowledged write was fsynced) must hold there
    // too. Directory changes survive in order (a journal), so some prefix of those not yet fsynced.
    for (const zero of o.zeroTails ? [false, true] : [false]) {
      for (const kept of prefixes(pending.length, o.maxPrefixes ?? Infinity)) {
        const p = join(copies, String(points.length))
        copy(p, undefined, { undone: pending.slice(kept).map((x) => x.op), zero })
        const how = zero ? ', unsynced bytes zeroed' : ''
        points.push({ dir: p, power: true, call: `${call}, ${kept} of ${pending.length} unsynced directory changes kept${how}`, state })
      }
    }
  }

  const record = (op: DirOp, folders: string[]): void => {
    pending.push({ op, waits: new Set(folders) })
  }
  const parent = (r: string): string => (r.includes('/') ? r.slice(0, r.lastIndexOf('/')) : '')
  // What an unlinked or replaced file's fsyncs covered, taken now: its inode number may be reused by a
  // new file, whose fsyncs must not count for it (found as rare false failures under load).
  const fileOp = (path: string): { bytes: Buffer; durable: number } => ({ bytes: realFs.readFileSync(path), durable: durable.get(realFs.statSync(path).ino) ?? 0 })
  /** A file just created: nothing of it is durable yet, whatever an earlier file with its inode number had. */
  const fresh = (path: string): void => {
    try {
      durable.set(realFs.statSync(path).ino, 0)
    } catch { /* gone already */ }
  }

  /** The directory change a call is about to make, recorded before it runs (an unlinked file's bytes are still there); true when it creates a file. */
  const beforeCall = (name: string, args: unknown[]): boolean => {
    const path = args[0]
    const r = rel(path)
    if (SYNCS.has(name)) {
      const fd = name.startsWith('fh.') ? (args[0] as { fd: number }).fd : (args[0] as number)
      const st = realFs.fstatSync(fd)
      if (st.isFile()) durable.set(st.ino, st.size)
      else if (st.isDirectory()) {
        const d = rel(pathOfFd(fd))
        if (d !== undefined) {
          for (const p of pending) p.waits.delete(d)
          pending = pending.filter((p) => p.waits.size > 0)
        }
      }
      return false
    }
    if (r === undefined || r === '') return false
    const p = path as string
    const flags = args[1]
    const creates = (name === 'openSync' || name === 'open' || name === 'fsp.open') ? typeof flags === 'string' && /[wax]/.test(flags) || (typeof flags === 'number' && (flags & realFs.constants.O_CREAT) !== 0) : name === 'writeFileSync' || name === 'appendFileSync' || name === 'fsp.writeFile'
    const created = creates && !realFs.existsSync(p)
    if (created) record({ kind: 'create', name: r, folder: false }, [parent(r)])
    if (name === 'mkdirSync' || name === 'mkdir' || name === 'fsp.mkdir') {
      // Every folder the call will create, outermost first: each is an entry of its parent.
      const made: string[] = []
      for (let q = r; q !== '' && !realFs.existsSync(join(dir, q)); q = parent(q)) made.unshift(q)
      for (const m of made) record({ kind: 'create', name: m, folder: true }, [parent(m)])
    }
    if ((name === 'unlinkSync' || name === 'rmSync' || name === 'unlink' || name === 'fsp.unlink' || name === 'fsp.rm') && realFs.existsSync(p) && realFs.statSync(p).isFile())
      record({ kind: 'unlink', name: r, ...fileOp(p) }, [parent(r)])
    if (name === 'renameSync' || name === 'rename' || name === 'fsp.rename') {
      const to = rel(args[1])
      if (to === undefined) return created
      const replaced = realFs.existsSync(args[1] as string) ? fileOp(args[1] as string) : undefined
      record({ kind: 'rename', from: r, to, replaced }, [...new Set([parent(r), parent(to)])])
    }
    return created
  }

  const fhPaths = new WeakMap<object, string>()

  const undo = patchAll(MUTATING_ALL, (name, real) => function (this: unknown, ...args: unknown[]) {
    if (inside) return real.apply(this, args)
    const onFh = name.startsWith('fh.')
    // A FileHandle method's handle stands first, as the fd does in the fs functions.
    const callArgs = onFh ? [this, ...args] : args
    const fd = onFh ? (this as { fd: number }).fd : args[0]
    if (onFh && fhPaths.has(this as object)) fdPaths.set(fd as number, fhPaths.get(this as object)!)
    inside = true
    let created = false
    try {
      if (recording && (rel(args[0]) !== undefined || rel(pathOfFd(fd)) !== undefined)) {
        const call = `${name}(${typeof args[0] === 'string' ? rel(args[0]) : rel(pathOfFd(fd))})`
        snap(call)
        const torn = tornPart(name, onFh ? [fd, ...args] : args)
        if (torn) snap(call, torn)
      }
      created = beforeCall(name, callArgs)
    } finally {
      inside = false
    }
    let realArgs = args
    if (name === 'open' && typeof args[0] === 'string' && typeof args[args.length - 1] === 'function') {
      // The callback form: learn the fd when it answers.
      const path = args[0]
      const cb = args[args.length - 1] as (err: unknown, fd?: number) => void
      realArgs = [...args.slice(0, -1), (err: unknown, fd?: number) => {
        if (!err && fd !== undefined) fdPaths.set(fd, path)
        if (!err && created) fresh(path)
        cb(err, fd)
      }]
    }
    const result = real.apply(this, realArgs)
    if (name === 'openSync' && typeof args[0] === 'string') fdPaths.set(result as number, args[0])
    if (created && name !== 'open' && name !== 'fsp.open' && name !== 'fsp.writeFile') fresh(args[0] as string)
    if (name === 'fsp.open' && typeof args[0] === 'string') {
      const path = args[0]
      return (result as Promise<{ fd: number }>).then((fh) => {
        fhPaths.set(fh, path)
        fdPaths.set(fh.fd, path)
        if (created) fresh(path)
        return fh
      })
    }
    return result
  })

  return {
    points,
    start: () => { recording = true },
    stop: () => { recording = false },
    undo,
  }
}

/** 0..n, or `max` of them evenly spaced (0 and n among them). */
function prefixes(n: number, max: number): number[] {
  if (n + 1 <= max) return Array.from({ length: n + 1 }, (_, i) => i)
  return [...new Set(Array.from({ length: max }, (_, i) => Math.round((i * n) / (max - 1))))]
}

/** Half of the bytes a write call would write, and where: what a kill inside it leaves. */
function tornPart(name: string, args: unknown[]): { fd: unknown; position: number | undefined; bytes: Uint8Array } | undefined {
  const [fd, a1, a2, a3, a4] = args
  let bytes: Uint8Array
  let position: number | undefined
  if (name === 'writeSync' || name === 'write' || name === 'fh.write') {
    if (!(a1 instanceof Uint8Array)) return undefined
    const offset = typeof a2 === 'number' ? a2 : 0
    const length = typeof a3 === 'number' ? a3 : a1.length - offset
    bytes = a1.subarray(offset, offset + length)
    position = typeof a4 === 'number' ? a4 : undefined
  } else if (name === 'writevSync' || name === 'writev' || name === 'fh.writev') {
    if (!Array.isArray(a1)) return undefined
    bytes = Buffer.concat(a1 as Uint8Array[])
    position = typeof a2 === 'number' ? a2 : undefined
  } else return undefined
  if (bytes.length < 2) return undefined
  return { fd, position, bytes: bytes.subarray(0, Math.floor(bytes.length / 2)) }
}

