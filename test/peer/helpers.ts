/**
 * Peers in real processes for the PeerGroup tests: each a forked Node process running
 * fixtures/peer-process.mjs over the compiled package, driven over IPC, on a loopback port it picked
 * itself (no race for a "free" port), killed on the way out. Every wait has a deadline and fails
 * instead of hanging.
 */
import { fork, type ChildProcess } from 'node:child_process'
import type { PeerGroupStats } from '../../src/index.js'
import { nextMessage } from '../native/helpers.js'

export interface PeerConfig {
  /** 0: any free port (the child reports it); a number: that port (a restart on the same address). */
  port?: number
  loadDelayMs?: number
  slowMs?: number
  timeoutMs?: number
  unhealthyMs?: number
  hotCacheBytes?: number
  secret?: string
}

export interface PeerSnapshot {
  stats: PeerGroupStats
  /** Origin loader calls in this process, by key. */
  loads: Record<string, number>
}

export type GetResult = { value: { key: string; body: string } | null } | { error: { code: string; message: string } }

const FIXTURE = new URL('./fixtures/peer-process.mjs', import.meta.url)
const DEADLINE_MS = 20_000

export class PeerProcess {
  readonly child: ChildProcess
  readonly port: number
  readonly address: string
  /** Keys whose origin load started in this process, in order (from 'loading' messages). */
  readonly loading: string[] = []
  #nextId = 0
  #exited: Promise<void>

  private constructor(child: ChildProcess, port: number) {
    this.child = child
    this.port = port
    this.address = `http://127.0.0.1:${port}`
    this.#exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('exit', () => resolve())
    })
    child.on('message', (m: { type?: string; key?: string }) => {
      if (m.type === 'loading') this.loading.push(m.key!)
    })
  }

  static async spawn(config: PeerConfig = {}): Promise<PeerProcess> {
    const full = { port: 0, loadDelayMs: 20, slowMs: 60_000, timeoutMs: 2000, unhealthyMs: 1000, hotCacheBytes: 0, ...config }
    const child = fork(FIXTURE, [JSON.stringify(full)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const port = await waitFor<number>(child, (m) => (m as { type?: string }).type === 'listening' ? (m as { port: number }).port : undefined)
    return new PeerProcess(child, port)
  }

  /** Sends a command and waits for its answer (rejects with the child's error, or after the deadline). */
  call<T>(cmd: string, args: Record<string, unknown> = {}, ms = DEADLINE_MS): Promise<T> {
    const id = this.#nextId++
    const answer = waitFor<{ result?: T; error?: { code: string; message: string } }>(
      this.child,
      (m) => ((m as { id?: number }).id === id ? (m as { result?: T; error?: { code: string; message: string } }) : undefined),
      ms,
    )
    this.child.send({ id, cmd, ...args })
    return answer.then((a) => {
      if (a.error) throw Object.assign(new Error(`${cmd} failed in ${this.address}: ${a.error.message}`), { code: a.error.code })
      return a.result as T
    })
  }

  start(peers: readonly string[]): Promise<string> {
    return this.call('start', { self: this.address, peers })
  }

  get(keys: readonly string[], ms?: number): Promise<GetResult[]> {
    return this.call('get', { keys }, ms)
  }

  snapshot(): Promise<PeerSnapshot> {
    return this.call('stats')
  }

  owners(keys: readonly string[]): Promise<string[]> {
    return this.call('owners', { keys })
  }

  /** Resolves when the origin loader of `key` has started here. */
  async loadStarted(key: string, ms = DEADLINE_MS): Promise<void> {
    if (this.loading.includes(key)) return
    await waitFor(this.child, (m) => ((m as { type?: string; key?: string }).type === 'loading' && (m as { key: string }).key === key ? true : undefined), ms)
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
    return this.#exited
  }
}

/** The first message of `child` that `pick` maps to a value (the transform of test/native's nextMessage). */
async function waitFor<T>(child: ChildProcess, pick: (m: unknown) => T | undefined, ms = DEADLINE_MS): Promise<T> {
  return pick(await nextMessage<unknown>(child, (m) => pick(m) !== undefined, ms))!
}

/** Starts one peer process per config and makes them one group. */
export async function startGroup(configs: readonly PeerConfig[]): Promise<PeerProcess[]> {
  const peers = await Promise.all(configs.map((config) => PeerProcess.spawn(config)))
  const addresses = peers.map((p) => p.address)
  await Promise.all(peers.map((p) => p.start(addresses)))
  return peers
}

/** Sum of origin loads of each key over the processes. */
export function loadsByKey(snapshots: readonly PeerSnapshot[]): Map<string, number> {
  const total = new Map<string, number>()
  for (const s of snapshots) for (const [key, n] of Object.entries(s.loads)) total.set(key, (total.get(key) ?? 0) + n)
  return total
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
