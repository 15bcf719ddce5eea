/**
 * A server under test runs in a child process of its own (its RSS, heap and GC are then its own), and
 * the bench drives it by commands over the IPC channel: start (create and fill the cache, listen),
 * window (forget the warm-up), report (the window's figures), stop. Unlike harness/child.ts's one
 * message each way, this is a conversation: each command gets its reply, or the error it threw.
 */
import type { ChildProcess } from 'node:child_process'
import { bundledEntry, childrenUnderTsx } from '../harness/bundle.js'
import { forkJsChild, forkTsChild } from '../harness/child.js'

interface Request {
  seq: number
  command: string
  arg: unknown
}
type Reply = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: string }

export type Commands = Record<string, (arg: never) => unknown>

/** The child's side: answers each command with its handler's (awaited) result. */
export function serveCommands(commands: Commands, onDisconnect: () => void = () => {}): void {
  process.on('message', (req: Request) => {
    void (async () => {
      let reply: Reply
      try {
        const handler = commands[req.command]
        if (!handler) throw new Error(`unknown command ${req.command}`)
        reply = { seq: req.seq, ok: true, value: await handler(req.arg as never) }
      } catch (err) {
        reply = { seq: req.seq, ok: false, error: (err as Error).stack ?? String(err) }
      }
      process.send!(reply)
    })()
  })
  process.on('disconnect', () => {
    onDisconnect()
    process.exit(0)
  })
}

/** The bench's side: one child process, commands awaited one at a time, each with a deadline. */
export class ServerProcess {
  private seq = 0
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  private exited: Error | undefined

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.seq)
      if (!p) return
      this.pending.delete(reply.seq)
      if (reply.ok) p.resolve(reply.value)
      else p.reject(new Error(reply.error))
    })
    child.on('exit', (code, signal) => {
      this.exited = new Error(`server process exited (${signal ?? `code ${code}`})`)
      for (const p of this.pending.values()) p.reject(this.exited)
      this.pending.clear()
    })
  }

  /**
   * Forks `moduleUrl` (a TypeScript module) with extra node flags, as plain JavaScript: its bundle
   * (bench/harness/bundle.ts, built once per bench process) under plain node, so the process holds what
   * a deployed service holds and no TypeScript loader. CORTADO_BENCH_TSX=1 forks it through tsx instead.
   */
  static async spawn(moduleUrl: URL, nodeFlags: readonly string[] = []): Promise<ServerProcess> {
    if (childrenUnderTsx()) return new ServerProcess(forkTsChild(moduleUrl, nodeFlags))
    return new ServerProcess(forkJsChild(await bundledEntry(moduleUrl), nodeFlags))
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  call<T>(command: string, arg: unknown, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(this.exited)
    const seq = ++this.seq
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq)
        reject(new Error(`server command ${command} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(seq, {
        resolve: (v) => {
          clearTimeout(timer)
          resolve(v as T)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      this.child.send({ seq, command, arg } satisfies Request)
    })
  }

  /** Ends the child: asks politely (disconnect), then SIGKILL if it lingers. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.disconnect()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    await gone
    clearTimeout(timer)
  }
}
