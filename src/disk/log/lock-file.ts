/**
 * One writer per directory. `LOCK` holds the owner's pid, boot id and start time, and its OS thread
 * (id and start time); it is created by
 * link(2), which fails when the name exists, so of two processes opening at once exactly one wins. A
 * lock whose owner no longer runs (killed, or the machine rebooted; see isLive) is taken over, under a
 * second lock so that two openers taking over at once cannot both win (breakStaleLock). Within one
 * process, a second open of the same directory is refused as well (two stores appending to one log
 * would interleave records).
 */
import * as fs from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
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
    // Written aside then linked in: the LOCK name never points at a file without its pid. One aside
    // name per thread: two threads of one process opening at once must not write over each other's.
    const aside = `${path}.${process.pid}-${threadId}`
    try {
      fs.writeFileSync(aside, lockText(process.pid))
    } catch (e) {
      throw ioError(e, `LogStore: cannot create ${aside}`)
    }
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          fs.linkSync(aside, path)
          heldHere.add(realDir)
          return new LockFile(path, realDir)
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(e, `LogStore: cannot create ${path}`)
        }
        const owner = readOwner(path)
        if (owner !== undefined && isLive(owner)) throw locked(dir, owner.pid)
        // The owner died (or the file is unreadable garbage from a crash while it was written): take over.
        breakStaleLock(path, aside)
      }
    } finally {
      try { fs.unlinkSync(aside) } catch { /* already gone */ }
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

/**
 * Removes a stale LOCK, unless someone else's live lock took its place. Two openers that both saw the
 * same dead owner must not both remove "the" lock: the second would remove the first one's new lock and
 * both would write the directory. So the removal happens under `LOCK.break` (created by link(2): one
 * holder at a time), after reading LOCK again there: while the breaker is held nobody else removes
 * LOCK, and a live lock cannot replace it before it is removed, so what was read is what is removed.
 * The breaker is held for a few system calls; one left by a dead process is removed (two openers doing
 * that at the same instant, after a crash inside that window, is the case this does not cover).
 */
function breakStaleLock(path: string, aside: string): void {
  const breaker = `${path}.break`
  try {
    fs.linkSync(aside, breaker)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(e, `LogStore: cannot create ${breaker}`)
    // Gone already (undefined): its holder finished; retry. Never remove a breaker not read whole here.
    const holder = readOwner(breaker)
    if (holder !== undefined && !isLive(holder)) {
      try { fs.unlinkSync(breaker) } catch { /* its holder finished meanwhile */ }
    }
    return
  }
  try {
    if (!fs.existsSync(path)) return
    const owner = readOwner(path)
    if (owner !== undefined && isLive(owner)) return
    try {
      fs.unlinkSync(path)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(e, `LogStore: cannot remove the stale ${path}`)
    }
  } finally {
    try { fs.unlinkSync(breaker) } catch { /* already gone */ }
  }
}

/**
 * Who wrote a lock: a pid, and where known the boot it ran in and when it started, and its OS thread as
 * `tid:start` (older locks: the pid alone, or without the thread).
 */
interface Owner {
  pid: number
  boot: string | undefined
  start: string | undefined
  thread: string | undefined
}

/** The lock text of this thread: pid, this boot's id, the process's start time, the thread (each line empty where unknown). */
function lockText(pid: number): string {
  return `${pid}\n${BOOT ?? ''}\n${startTimeOf(pid) ?? ''}\n${thisThread() ?? ''}\n`
}

let myThread: string | null | undefined

/** This OS thread as `tid:start` (Linux: /proc/thread-self), or undefined where /proc cannot tell. Per thread (module state is). */
function thisThread(): string | undefined {
  if (myThread === undefined) {
    myThread = null
    try {
      const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop())
      const start = Number.isSafeInteger(tid) && tid > 0 ? threadStartOf(process.pid, tid) : undefined
      if (start !== undefined) myThread = `${tid}:${start}`
    } catch {
      // No /proc: a lock of this process then counts as live (see isLive).
    }
  }
  return myThread ?? undefined
}

/** When thread `tid` of `pid` started (field 22 of its stat), or undefined when it is gone or unreadable. */
function threadStartOf(pid: number, tid: number): string | undefined {
  return statStart(`/proc/${pid}/task/${tid}/stat`)
}

function readOwner(path: string): Owner | undefined {
  let text: string
  try {
    text = fs.readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  const [first, boot, start, thread] = text.split('\n')
  const pid = Number.parseInt(first!, 10)
  return Number.isInteger(pid) && pid > 0 ? { pid, boot: boot || undefined, start: start || undefined, thread: thread || undefined } : undefined
}

/**
 * Whether the process that wrote a lock still runs. A pid alone is not enough: after a reboot, or a
 * container restart, or just in time, the pid goes to another process, and the lock would refuse every
 * open until removed by hand. So a lock from another boot is dead, and so is one whose pid runs with
 * another start time (a reused pid).
 *
 * Our own pid is either an earlier process that had it (a container's pid 1: another start time) or
 * this process: another worker thread holds the lock (`heldHere` is per thread), or a thread ended
 * without closing its store. The lock names its OS thread, as the core's thread slots do (slots.ts): a
 * thread whose /proc/<pid>/task/<tid> is gone, or now belongs to a thread started at another time, is
 * dead for certain, and its lock is taken over (its store can never write again: its thread runs no
 * more code). A live thread's lock is respected: two threads appending to one log would interleave
 * records. A lock of this process without a thread (an older Cortado, or no /proc) counts as live.
 * A lock without a start time (an older Cortado, or no /proc) with our pid is taken as an earlier process's.
 */
function isLive(owner: Owner): boolean {
  if (owner.boot !== undefined && BOOT !== undefined && owner.boot !== BOOT) return false
  if (owner.pid === process.pid) {
    if (owner.start === undefined || owner.start !== startTimeOf(process.pid)) return false
    const thread = /^(\d+):(\d+)$/.exec(owner.thread ?? '')
    if (thread === null) return true
    return threadStartOf(process.pid, Number(thread[1])) === thread[2]
  }
  if (!isRunning(owner.pid)) return false
  if (owner.start !== undefined) {
    const start = startTimeOf(owner.pid)
    if (start !== undefined && start !== owner.start) return false
  }
  return true
}

/** This boot's id (Linux), or undefined where the OS has none: then only the pid is checked. */
const BOOT: string | undefined = (() => {
  try {
    const id = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()
    return /^[0-9a-f-]{32,36}$/i.test(id) ? id : undefined
  } catch {
    return undefined
  }
})()

/** When `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat), or undefined. */
function startTimeOf(pid: number): string | undefined {
  return statStart(`/proc/${pid}/stat`)
}

function statStart(path: string): string | undefined {
  try {
    const stat = fs.readFileSync(path, 'latin1')
    // The command name (field 2) is in parentheses and may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const start = fields[19]
    return start !== undefined && /^\d+$/.test(start) ? start : undefined
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
  return new CortadoError('ERR_LOCKED', `LogStore: ${dir} is already open for writing by process ${pid}${pid === process.pid ? ' (this process: this thread or another worker thread)' : ''}`)
}
