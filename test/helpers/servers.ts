/**
 * Real `redis-server` and `memcached` processes for the tier tests, each on a free loopback port.
 *
 * The tests never mock these servers: the behaviour under test (pipelining, expiry, Pub/Sub, reconnects
 * after a kill) only means something against the real engine. When a binary is missing the tests skip,
 * and say so loudly, because a silent skip on a developer machine would read as a pass; `.ci/run`
 * installs both with apt so CI always runs them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer, connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

export type ServerKind = 'redis' | 'memcached'

const BINARY: Record<ServerKind, string> = { redis: 'redis-server', memcached: 'memcached' }

const warned = new Set<ServerKind>()

/**
 * True when the server binary is on PATH. When it is not, prints a banner once per test file so the
 * skip cannot go unnoticed; under CI (`CI` set) a missing binary is an error instead, because there a
 * skip would hide a missing install step in `.ci/run`.
 */
export function hasServer(kind: ServerKind): boolean {
  const bin = BINARY[kind]
  const found = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).status === 0
  if (found) return true
  const install = 'apt-get install -y redis-server memcached'
  if (process.env.CI) throw new Error(`${bin} is not installed on this CI machine: .ci/run must run \`${install}\``)
  if (!warned.has(kind)) {
    warned.add(kind)
    const line = '!'.repeat(78)
    console.warn(
      `\n${line}\n!!! SKIPPING ${kind.toUpperCase()} TESTS: \`${bin}\` is not installed.\n` +
        `!!! Install it with: ${install}\n${line}\n`,
    )
  }
  return false
}

/** A free TCP port on 127.0.0.1, found by letting the kernel pick one and releasing it at once. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1' })
    sock.once('connect', () => {
      sock.destroy()
      resolve(true)
    })
    sock.once('error', () => resolve(false))
  })
}

/** memcached refuses to run as root unless told which user to stay (CI runs as root). */
function asRoot(): string[] {
  return process.getuid?.() === 0 ? ['-u', userInfo().username] : []
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Sends `signal` to a server process the test started and resolves once it has exited. */
export async function killAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  await exited
}

/** A server process the test owns: it can be killed and started again on the same port. */
export class TestServer {
  readonly kind: ServerKind
  readonly port: number
  private readonly extraArgs: readonly string[]
  private child: ChildProcess | undefined

  private constructor(kind: ServerKind, port: number, extraArgs: readonly string[]) {
    this.kind = kind
    this.port = port
    this.extraArgs = extraArgs
  }

  /**
   * Starts a server on a free port; retries with another port if the one picked was taken meanwhile.
   * `extraArgs(port)` adds command-line arguments (e.g. cluster settings that name files by port).
   */
  static async start(kind: ServerKind, extraArgs: (port: number) => string[] = () => []): Promise<TestServer> {
    let lastError: unknown
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort()
      const server = new TestServer(kind, port, extraArgs(port))
      try {
        await server.launch()
        return server
      } catch (err) {
        lastError = err
        await server.kill()
      }
    }
    throw new Error(`could not start ${kind}`, { cause: lastError })
  }

  /** `host:port`, the form both clients accept. */
  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  private args(): string[] {
    const port = String(this.port)
    // No persistence: a restarted server must come back empty, like a cache node that lost its memory.
    const base =
      this.kind === 'redis'
        ? ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning']
        : ['-p', port, '-l', '127.0.0.1', '-U', '0', '-m', '64', ...asRoot()]
    return [...base, ...this.extraArgs]
  }

  private async launch(): Promise<void> {
    const child = spawn(BINARY[this.kind], this.args(), { stdio: ['ignore', 'ignore', 'pipe'] })
    this.child = child
    live.add(this)
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    for (let i = 0; i < 200; i++) {
      if (!this.running) throw new Error(`${this.kind} exited at start: ${stderr.trim()}`)
      if (await canConnect(this.port)) return
      await sleep(25)
    }
    throw new Error(`${this.kind} did not accept connections on ${this.port}: ${stderr.trim()}`)
  }

  /** Kills the process (SIGKILL by default: a crash, not a clean shutdown) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child
    this.child = undefined
    live.delete(this)
    await killAndWait(child, signal)
  }

  /** Starts the server again on the same port, empty. */
  async restart(): Promise<void> {
    await this.kill()
    await this.launch()
  }

  /** Stops the server; the name the tests use in `afterAll`. */
  async stop(): Promise<void> {
    await this.kill('SIGTERM')
  }
}

/**
 * A Redis Cluster of `size` masters (no replicas) on free loopback ports, its slots assigned with
 * `redis-cli --cluster create`. Its state lives in a temporary directory removed by `stop()`.
 */
export class TestCluster {
  readonly servers: TestServer[]
  private readonly dir: string

  private constructor(servers: TestServer[], dir: string) {
    this.servers = servers
    this.dir = dir
  }

  static async start(size = 3): Promise<TestCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'cortado-cluster-'))
    const servers: TestServer[] = []
    const cluster = new TestCluster(servers, dir)
    try {
      for (let i = 0; i < size; i++) {
        servers.push(
          await TestServer.start('redis', (port) => [
            '--cluster-enabled', 'yes',
            '--cluster-config-file', join(dir, `nodes-${port}.conf`),
            '--cluster-node-timeout', '2000',
            '--dir', dir,
          ]),
        )
      }
      const create = spawnSync(
        'redis-cli',
        ['--cluster', 'create', ...servers.map((s) => s.address), '--cluster-replicas', '0', '--cluster-yes'],
        { encoding: 'utf8', timeout: 30_000 },
      )
      if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`)
      for (let i = 0; ; i++) {
        const states = servers.map(
          (s) => spawnSync('redis-cli', ['-p', String(s.port), 'cluster', 'info'], { encoding: 'utf8' }).stdout,
        )
        if (states.every((info) => info.includes('cluster_state:ok'))) break
        if (i > 400) throw new Error('the cluster did not reach cluster_state:ok')
        await sleep(25)
      }
      return cluster
    } catch (err) {
      await cluster.stop()
      throw err
    }
  }

  async stop(): Promise<void> {
    for (const server of this.servers) await server.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

// A test file that crashes must not leave servers behind on the shared machine.
const live = new Set<TestServer>()
process.once('exit', () => {
  for (const server of live) void server.kill()
})
