/** Child processes for the native tests: forked with tsx, talking over IPC, killed on the way out. */
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'

export const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url)

export function spawnChild(name: string, args: unknown[] = [], options: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return fork(fixture(name), args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...options,
  })
}

/** The next message from `child` that satisfies `pick`, or an error after `ms`. */
export function nextMessage<T>(child: ChildProcess, pick: (m: T) => boolean, ms = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no expected message from the child within ${ms} ms`)), ms)
    const onMessage = (m: unknown) => { if (pick(m as T)) done(undefined, m as T) }
    const onExit = (code: number | null) => done(new Error(`the child exited (${code}) before the expected message`))
    function done(err?: Error, m?: T) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (err) reject(err)
      else resolve(m!)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** A fresh path in /dev/shm, removed (with any temporary siblings) by the returned cleanup. */
export function shmPath(tag: string): { path: string; cleanup: () => void } {
  const path = `/dev/shm/cortado-test-${tag}-${process.pid}-${randomBytes(4).toString('hex')}`
  return { path, cleanup: () => rmSync(path, { force: true }) }
}
