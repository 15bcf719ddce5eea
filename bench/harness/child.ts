/**
 * Child processes for measurements that need a clean process: resident memory and GC pauses mean
 * nothing in a process that also holds every other peer's data. The child is a TypeScript module run
 * through tsx, exchanging one message each way over the IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process'

/** tsx's loader, resolved to a path so the child does not depend on the working directory. */
function tsxImport(): string {
  return import.meta.resolve('tsx')
}

export interface ChildOptions {
  /** Extra node flags, e.g. --expose-gc. */
  nodeFlags?: string[]
  timeoutMs: number
}

/** Forks a TypeScript module through tsx, with an IPC channel that carries structured-clone messages. */
export function forkTsChild(moduleUrl: URL, nodeFlags: readonly string[] = []): ChildProcess {
  return fork(moduleUrl, [], {
    execArgv: [...nodeFlags, '--import', tsxImport()],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

/** Forks a plain JavaScript module (e.g. a bundle from bundle.ts) with plain node: no loader in the child. */
export function forkJsChild(moduleUrl: URL, nodeFlags: readonly string[] = []): ChildProcess {
  return fork(moduleUrl, [], {
    execArgv: [...nodeFlags],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

export function runChild<I, O>(moduleUrl: URL, input: I, options: ChildOptions): Promise<O> {
  return new Promise<O>((resolvePromise, reject) => {
    const child = forkTsChild(moduleUrl, options.nodeFlags)
    let settled = false
    const settle = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
    }
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`child ${moduleUrl.pathname} timed out after ${options.timeoutMs} ms`)))
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.on('message', (message: { ok: true; value: O } | { ok: false; error: string }) => {
      settle(() => (message.ok ? resolvePromise(message.value) : reject(new Error(message.error))))
    })
    child.on('error', (err) => settle(() => reject(err)))
    child.on('exit', (code, signal) =>
      settle(() => reject(new Error(`child ${moduleUrl.pathname} exited (${signal ?? `code ${code}`}) without a result`))),
    )
    child.send(input as never)
  })
}

/** The child's side: receive the input, run, send the result (or the error) back, exit. */
export function childMain<I, O>(body: (input: I) => Promise<O> | O): void {
  process.once('message', (input: I) => {
    void (async () => {
      let message: { ok: true; value: O } | { ok: false; error: string }
      try {
        message = { ok: true, value: await body(input) }
      } catch (err) {
        message = { ok: false, error: (err as Error).stack ?? String(err) }
      }
      process.send!(message, () => process.exit(0))
    })()
  })
}
