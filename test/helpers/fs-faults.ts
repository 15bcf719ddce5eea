/**
 * Fault injection into `node:fs` for the stores' tests. The stores call fs through the module namespace
 * (`import * as fs from 'node:fs'`); replacing a function on the CommonJS object and calling
 * `syncBuiltinESMExports()` makes every namespace see the replacement, so a test can stop, fail or
 * observe any file-system call the code under test makes, at an exact point, without a real full disk.
 * The same holds for `node:fs/promises` (its CommonJS object is the one its namespace mirrors); the
 * methods of a FileHandle are patched on its prototype.
 */
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import { devNull } from 'node:os'
import { syncBuiltinESMExports } from 'node:module'

type FsName = keyof typeof fs
type AnyFn = (...args: any[]) => any

/** The functions as they were before any patch: what the hooks call to do the real work. */
export const realFs = Object.fromEntries(Object.entries(fs).filter(([, v]) => typeof v === 'function')) as unknown as typeof fs

/** Calls that change what is on disk (or its durability): a crash can fall before any of them. */
export const MUTATING: readonly FsName[] = [
  'openSync', 'writeSync', 'writeFileSync', 'appendFileSync', 'fdatasync', 'fsync', 'fdatasyncSync', 'fsyncSync',
  'renameSync', 'rmSync', 'unlinkSync', 'truncateSync', 'ftruncateSync', 'linkSync', 'mkdirSync', 'open',
]

/**
 * Replaces each named function by `wrap(name, real)`'s result until the returned undo is called. Undo
 * restores the real functions (every patch in this module goes through here, so one undo clears all).
 */
export function patchFs(names: readonly FsName[], wrap: (name: FsName, real: AnyFn) => AnyFn): () => void {
  const target = fs as unknown as Record<string, AnyFn>
  for (const name of names) target[name] = wrap(name, (realFs as unknown as Record<string, AnyFn>)[name]!)
  syncBuiltinESMExports()
  return () => {
    for (const name of names) target[name] = (realFs as unknown as Record<string, AnyFn>)[name]!
    syncBuiltinESMExports()
  }
}

/** An errno error as fs throws it. */
export function errnoError(code: string, syscall: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: injected failure, ${syscall}`) as NodeJS.ErrnoException
  e.code = code
  e.syscall = syscall
  e.errno = code === 'ENOSPC' ? -28 : code === 'EIO' ? -5 : -1
  return e
}

/**
 * Makes the `nth` writeSync from now on (1-based) write half its bytes, then fail with ENOSPC as a
 * full disk does (a short write, then the error), and every later one fail at once. Returns the undo.
 */
export function diskFullAfter(nth: number): () => void {
  let calls = 0
  return patchFs(['writeSync'], (_, real) => (fd: number, buf: Uint8Array, offset?: number, length?: number, position?: number | null) => {
    calls++
    if (calls < nth) return real(fd, buf, offset, length, position)
    if (calls === nth && typeof length === 'number' && length > 1) {
      const half = Math.floor(length / 2)
      return real(fd, buf, offset, half, position)
    }
    throw errnoError('ENOSPC', 'write')
  })
}

/** The prototype every FileHandle shares (one is opened here to find it). */
const fileHandleProto: Record<string, AnyFn> = await fsp.open(devNull, 'r').then(async (fh) => {
  const proto = Object.getPrototypeOf(fh) as Record<string, AnyFn>
  await fh.close()
  return proto
})
const realFsp = { ...(fsp as unknown as Record<string, AnyFn>) }
const realFh = Object.fromEntries(Object.getOwnPropertyNames(fileHandleProto).map((n) => [n, Object.getOwnPropertyDescriptor(fileHandleProto, n)!.value])) as Record<string, AnyFn>

/** A function of node:fs (`writeSync`), of node:fs/promises (`fsp.rename`) or a FileHandle method (`fh.sync`). */
export type AnyFsName = FsName | `fsp.${string}` | `fh.${string}`

/**
 * Every call that changes what is on disk (or its durability), in the three forms: what a crash can
 * fall before. `close` is not among them (it makes nothing durable on Linux).
 */
export const MUTATING_ALL: readonly AnyFsName[] = [
  ...MUTATING, 'writevSync', 'write', 'writev', 'rename', 'unlink', 'mkdir', 'rm', 'truncate', 'ftruncate', 'futimes', 'futimesSync', 'utimes', 'utimesSync', 'writeFile', 'appendFile',
  'fsp.open', 'fsp.rename', 'fsp.unlink', 'fsp.rm', 'fsp.mkdir', 'fsp.writeFile', 'fsp.appendFile', 'fsp.truncate', 'fsp.utimes', 'fsp.link', 'fsp.copyFile',
  'fh.write', 'fh.writev', 'fh.writeFile', 'fh.appendFile', 'fh.sync', 'fh.datasync', 'fh.truncate', 'fh.utimes',
]

/**
 * patchFs over all three forms. `wrap` gets the name and the real function and returns its stand-in
 * (called with the FileHandle as `this` for `fh.` names). Returns the undo.
 */
export function patchAll(names: readonly AnyFsName[], wrap: (name: AnyFsName, real: AnyFn) => AnyFn): () => void {
  const plain = names.filter((n) => !n.startsWith('fsp.') && !n.startsWith('fh.')) as FsName[]
  const undoFs = patchFs(plain, wrap as (name: FsName, real: AnyFn) => AnyFn)
  const target = fsp as unknown as Record<string, AnyFn>
  for (const n of names) {
    if (n.startsWith('fsp.')) target[n.slice(4)] = wrap(n, realFsp[n.slice(4)]!)
    else if (n.startsWith('fh.')) fileHandleProto[n.slice(3)] = wrap(n, realFh[n.slice(3)]!)
  }
  syncBuiltinESMExports()
  return () => {
    undoFs()
    for (const n of names) {
      if (n.startsWith('fsp.')) target[n.slice(4)] = realFsp[n.slice(4)]!
      else if (n.startsWith('fh.')) fileHandleProto[n.slice(3)] = realFh[n.slice(3)]!
    }
    syncBuiltinESMExports()
  }
}
