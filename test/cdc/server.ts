/**
 * A real PostgreSQL server for the change-feed tests, bench and example: a fresh cluster in a temporary
 * folder, `wal_level=logical`, on a free loopback port, stopped (and its folder removed) by `stop()`.
 *
 * PostgreSQL refuses to run as root, so under root (CI, these machines) initdb and the server run as
 * the `postgres` system user that Debian's package creates; the temporary folder is handed to that
 * user. When the binaries are missing the callers skip, and say so loudly (an error under CI, where a
 * skip would hide a missing install step in `.ci/run`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, killAndWait } from '../helpers/servers.js'

const INSTALL = 'apt-get install -y postgresql'

/** The folder holding initdb and postgres: on PATH, else Debian's versioned folder. */
export function postgresBinDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' })
  if (onPath.status === 0) {
    // /usr/local/bin may hold links to initdb and postgres alone: the real folder has pg_isready too.
    const initdb = realpathSync(onPath.stdout.trim())
    const dir = initdb.slice(0, initdb.lastIndexOf('/'))
    if (existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'pg_isready'))) return dir
  }
  const debian = '/usr/lib/postgresql'
  if (!existsSync(debian)) return undefined
  const versions = readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'pg_isready'))).sort((a, b) => Number(b) - Number(a))
  return versions.length > 0 ? join(debian, versions[0]!, 'bin') : undefined
}

let warned = false

/** True when a PostgreSQL server can be started here; prints a banner once otherwise. */
export function hasPostgres(): boolean {
  if (postgresBinDir() !== undefined) return true
  if (process.env.CI) throw new Error(`PostgreSQL is not installed on this CI machine: .ci/run must run \`${INSTALL}\``)
  if (!warned) {
    warned = true
    const line = '!'.repeat(78)
    console.warn(`\n${line}\n!!! SKIPPING POSTGRESQL TESTS: no initdb/postgres binaries found.\n!!! Install them with: ${INSTALL}\n${line}\n`)
  }
  return false
}

/** The uid/gid the server runs as: `postgres` under root, else whoever we are. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
  const uid = id('-u')
  const gid = id('-g')
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root, and there is no `postgres` system user to run the server as')
  return { uid, gid }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export interface PgServerOptions {
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>
}

export class PgServer {
  readonly port: number
  readonly dir: string
  private child: ChildProcess | undefined
  private stderr = ''

  private constructor(port: number, dir: string) {
    this.port = port
    this.dir = dir
  }

  /** initdb + start; retries on another port if the one picked was taken meanwhile. */
  static async start(options: PgServerOptions = {}): Promise<PgServer> {
    const bin = postgresBinDir()
    if (bin === undefined) throw new Error(`PostgreSQL is not installed (${INSTALL})`)
    const user = serverUser()
    const dir = mkdtempSync(join(tmpdir(), 'cortado-pg-'))
    chmodSync(dir, 0o700)
    if (user) chownSync(dir, user.uid, user.gid)
    const data = join(dir, 'data')
    const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
      encoding: 'utf8',
      cwd: dir,
      ...(user ?? {}),
    })
    if (init.status !== 0) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`initdb failed: ${init.stderr}${init.stdout}`)
    }
    let lastError: unknown
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = new PgServer(await freePort(), dir)
      try {
        await server.launch(bin, user, options.settings ?? {})
        return server
      } catch (err) {
        lastError = err
        await server.kill('SIGKILL')
      }
    }
    rmSync(dir, { recursive: true, force: true })
    throw new Error('could not start postgres', { cause: lastError })
  }

  /** A connection string for the superuser over TCP loopback. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  private async launch(bin: string, user: { uid: number; gid: number } | undefined, settings: Record<string, string | number>): Promise<void> {
    const all: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      port: this.port,
      unix_socket_directories: this.dir,
      wal_level: 'logical',
      max_replication_slots: 10,
      max_wal_senders: 10,
      // A test server: durability is not what is under test, speed of setup is. synchronous_commit stays
      // on: with it off a commit reaches the WAL sender only at the WAL writer's next round (200 ms).
      fsync: 'off',
      full_page_writes: 'off',
      shared_buffers: '32MB',
      max_connections: 40,
      ...settings,
    }
    const args = ['-D', join(this.dir, 'data'), ...Object.entries(all).flatMap(([k, v]) => ['-c', `${k}=${v}`])]
    const child = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.dir, ...(user ?? {}) })
    this.child = child
    live.add(this)
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-8000)
    })
    for (let i = 0; i < 400; i++) {
      if (!this.running) throw new Error(`postgres exited at start: ${this.stderr.trim()}`)
      const ready = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres'], { encoding: 'utf8' })
      if (ready.status === 0) return
      await sleep(50)
    }
    throw new Error(`postgres did not accept connections on ${this.port}: ${this.stderr.trim()}`)
  }

  /** The server's recent log lines (for failure messages). */
  get log(): string {
    return this.stderr
  }

  private async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child
    this.child = undefined
    live.delete(this)
    await killAndWait(child, signal)
  }

  /** Fast shutdown (SIGINT), then the folder is removed. */
  async stop(): Promise<void> {
    await this.kill('SIGINT')
    rmSync(this.dir, { recursive: true, force: true })
  }
}

// A test file that crashes must not leave servers behind on the shared machine.
const live = new Set<PgServer>()
process.once('exit', () => {
  for (const server of live) void server['kill']('SIGKILL')
})
