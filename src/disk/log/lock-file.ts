/**
 * One writer per directory. `LOCK` holds the owner's pid; it is created by link(2), which fails when the
 * name exists, so of two processes opening at once exactly one wins. A lock whose pid is no longer running (the owner was
 * killed) is taken over. Within one process, a second open of the same directory is refused as well
 * (two stores appending to one log would interleave records).
 */
import * as fs from 'node:fs'
import { join } from 'node:path'
import { CortadoError } from '../../errors.js'
import { ioError } from './files.js'

const LOCK_NAME = 'LOCK'
const heldHere = new Set<string>()

export class LockFile {
  private released = false
  private constructor(private readonly path: string, private readonly realDir: string) {}

  static acquire(dir: string): LockFile {
    const realDir = fs.realpathSync(dir)
    if (heldHere.has(realDir)) throw locked(dir, process.pid)
    const path = join(realDir, LOCK_NAME)
    for (let attempt = 0; attempt < 3; attempt++) {
      // Written aside then linked in: the LOCK name never points at a file without its pid.
      const aside = `${path}.${process.pid}`
      try {
        fs.writeFileSync(aside, `${process.pid}\n`)
        fs.linkSync(aside, path)
        heldHere.add(realDir)
        return new LockFile(path, realDir)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(e, `LogStore: cannot create ${path}`)
      } finally {
        try { fs.unlinkSync(aside) } catch { /* never created */ }
      }
      const owner = readOwner(path)
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) throw locked(dir, owner)
      // The owner died (or the file is unreadable garbage from a crash while it was written): take over.
      try {
        fs.unlinkSync(path)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(e, `LogStore: cannot remove the stale ${path}`)
      }
    }
    throw new CortadoError('ERR_LOCKED', `LogStore: ${dir} keeps being locked by other processes`)
  }

  release(): void {
    if (this.released) return
    this.released = true
    heldHere.delete(this.realDir)
    try {
      fs.unlinkSync(this.path)
    } catch {
      // Already gone (the directory was removed): nothing left to release.
    }
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(path, 'utf8'), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function locked(dir: string, pid: number): CortadoError {
  return new CortadoError('ERR_LOCKED', `LogStore: ${dir} is already open for writing by process ${pid}${pid === process.pid ? ' (this process)' : ''}`)
}
