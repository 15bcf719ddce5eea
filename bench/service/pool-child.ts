/**
 * A pool of HTTP server processes (node:cluster, all workers listening on one port) in front of either
 * one Cortado cache shared by every worker (the native engine over a file in /dev/shm, filled once by
 * a short-lived process before the servers start) or one lru-cache per worker holding its share of the same total entries. The primary
 * answers ipc.ts's commands and relays window/report to the workers; it serves no requests itself.
 */
import cluster, { type Worker as ClusterWorker } from 'node:cluster'
import { rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import hdr from 'hdr-histogram-js'
import { fullGc } from '../harness/gc.js'
import { createCortadoFile, loadCortado } from '../peers/cortado.js'
import { createPeerCache, fillHottest } from './caches.js'
import { FLOOR, FloorStore, buildFloor, floorThreadMain, type FloorBytes } from './floor.js'
import { makeHandler, type ServiceCache } from './handler.js'
import { serveCommands } from './ipc.js'
import { getHeapSpaceStatistics } from 'node:v8'
import { WindowProbe, handlerHistogram, processMemory, pssRegions, runtime, type ProcessMemory, type PssRegions, type Runtime, type WindowReport } from './probes.js'
import { recordBytes } from './record.js'

export interface PoolInput {
  peer: string
  /** Entries for the whole pool: one shared cache of this many, or this many split over the workers. */
  entries: number
  keySpace: number
  workers: number
}

export interface PoolReport extends WindowReport {
  /**
   * Proportional set size summed over the primary and the workers (shared pages counted once), plus
   * `shmUnmappedBytes`: a page of the shared file stays in memory after the process that touched it
   * unmaps it, and then counts in no process's PSS.
   */
  pssBytes: number
  /** The shared file's pages in memory (tmpfs blocks) that no process of the pool maps: Cortado only. */
  shmUnmappedBytes?: number
  /** The shared file's pages in memory, mapped or not (the engine reserves the whole file): Cortado only. */
  shmFileBytes?: number
  /** Each process's memory (the primary first, then the workers), with its V8 heap. */
  processes: PoolProcess[]
  /**
   * For the floor: what its PSS holds beyond one shared zero-overhead copy of the records, to take off
   * (each worker's copy but one, and every worker's offsets table), and the records' bytes themselves.
   */
  floorExtraBytes?: number
  floorPayloadBytes?: number
}

export interface PoolProcess extends ProcessMemory {
  role: 'primary' | 'worker'
  heapUsedBytes: number
  heapTotalBytes: number
  /** V8's young generation as committed now (it grows with the allocation rate, and stays). */
  newSpaceBytes: number
  regions: PssRegions
}

/** This process's memory as a pool process reports it. */
function poolProcess(role: PoolProcess['role']): PoolProcess {
  const mem = process.memoryUsage()
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
  return { role, ...processMemory(), heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, newSpaceBytes: young?.space_size ?? 0, regions: pssRegions() }
}

export interface PoolStarted {
  port: number
  fillMs: number
  /** How the primary and each worker run (plain node on a bundle, or tsx): the tests check it. */
  runtimes: Runtime[]
}

const ENV = 'CORTADO_BENCH_POOL'

interface WorkerConfig extends PoolInput {
  /** The shared cache's file, for Cortado. */
  path?: string
}

function specOf(input: PoolInput) {
  return { entries: input.entries, valueKind: 'string' as const, ...recordBytes(input.keySpace) }
}

/** Each worker's cache: the shared file, or its own lru-cache with its share of the entries. */
async function workerCache(config: WorkerConfig): Promise<ServiceCache> {
  // Every worker holds all the pool's records (node:cluster processes share no memory) and serves hits
  // from them as the single server's floor does; the report takes the copies but one off.
  if (config.peer === FLOOR) {
    const floor = await buildFloor(config.entries, config.keySpace, { thread: true })
    // The thread's shared copy is garbage now: collected before serving, as a fill's garbage is.
    collectFillGarbage()
    return floor
  }
  if (config.path) {
    const mod = await loadCortado()
    if (typeof mod === 'string') throw new Error(mod)
    return createCortadoFile(specOf(config), config.path) as ServiceCache
  }
  const share = Math.floor(config.entries / config.workers)
  const cache = await createPeerCache(config.peer, share, config.keySpace)
  fillHottest(cache, share, config.keySpace)
  collectFillGarbage()
  return cache
}

/**
 * The fill's garbage is not the service's: collect it before serving, in each worker that filled its
 * lru-cache, as server-child.ts does (the shared Cortado is filled by a process that then exits).
 */
function collectFillGarbage(): void {
  const gc = fullGc()
  gc()
  gc()
}

async function runWorker(config: WorkerConfig): Promise<void> {
  const probe = new WindowProbe()
  const cache = await workerCache(config)
  const server = createServer({ keepAliveTimeout: 120_000 }, makeHandler(cache, probe))
  // In a cluster, listen(0) gives every worker the same port, picked once by the primary.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.on('message', (msg: { command: string }) => {
    void (async () => {
      if (msg.command === 'window') {
        probe.reset()
        process.send!({ command: 'window' })
      } else if (msg.command === 'report') {
        await sleep(50) // GC entries reach the observer asynchronously
        process.send!({ command: 'report', report: probe.report(), memory: poolProcess('worker'), floor: cache instanceof FloorStore ? cache.floorBytes() : undefined })
      }
    })()
  })
  process.on('disconnect', () => process.exit(0))
  process.send!({ command: 'ready', port: (server.address() as AddressInfo).port, runtime: runtime() })
}

/** The workers' reports as one: counts and pauses summed, handler histograms merged, PSS summed. */
function mergeReports(reports: readonly WindowReport[], processes: PoolProcess[]): PoolReport {
  const hist = handlerHistogram()
  for (const r of reports) hist.add(hdr.decodeFromCompressedBase64(r.handlerHistogram))
  const sum = (pick: (r: WindowReport) => number) => reports.reduce((a, r) => a + pick(r), 0)
  return {
    requests: sum((r) => r.requests),
    hits: sum((r) => r.hits),
    misses: sum((r) => r.misses),
    handlerHistogram: hdr.encodeIntoCompressedBase64(hist),
    gcPauseMs: sum((r) => r.gcPauseMs),
    gcCount: sum((r) => r.gcCount),
    gcMaxMs: Math.max(...reports.map((r) => r.gcMaxMs)),
    gcMajorMs: sum((r) => r.gcMajorMs),
    rssBytes: sum((r) => r.rssBytes),
    heapUsedBytes: sum((r) => r.heapUsedBytes),
    heapTotalBytes: sum((r) => r.heapTotalBytes),
    cpuUs: sum((r) => r.cpuUs),
    windowMs: Math.max(...reports.map((r) => r.windowMs)),
    pssBytes: processes.reduce((a, p) => a + p.pss, 0),
    processes,
  }
}

const FILL_ENV = 'CORTADO_BENCH_POOL_FILL'

/**
 * The primary has the shared file created and filled by a short-lived process of the cluster (a warm-up
 * before the servers start) that creates it by path, fills it, closes it and exits: the V8 heap that
 * making a million record strings grew (its young generation above all: 32 MiB committed for 7.6 MiB in
 * use, never given back; a full GC does not shrink it) and the malloc arenas go with the process. Filled
 * in a worker thread of the primary instead (stop 40, first try), the heap went with the thread's isolate
 * but ~6 MiB of glibc's arena for that thread stayed in the primary. The file's pages stay in memory (the
 * native engine reserves the whole file when it creates it), and the report counts every one of them
 * (shmUnmappedBytes). Resolves to the fill's milliseconds.
 */
async function fillInProcess(input: PoolInput, path: string, started: (w: ClusterWorker) => void): Promise<number> {
  const filler = cluster.fork({ [FILL_ENV]: JSON.stringify({ input, path }) })
  started(filler)
  const exited = new Promise<number>((resolve) => filler.once('exit', (code: number) => resolve(code)))
  const reply: { fillMs?: number; error?: string } = await Promise.race([
    new Promise<{ fillMs?: number; error?: string }>((resolve) => filler.on('message', (m: { command: string; fillMs?: number; error?: string }) => {
      if (m.command === 'filled') resolve(m)
    })),
    exited.then((code) => ({ error: `the fill process exited (code ${code}) before it filled` })),
  ])
  if (reply.error !== undefined) throw new Error(reply.error)
  await exited
  return reply.fillMs!
}

/** In the fill process: creates and fills the shared file, closes it and exits. */
async function fillerMain(config: { input: PoolInput; path: string }): Promise<void> {
  try {
    const mod = await loadCortado()
    if (typeof mod === 'string') throw new Error(mod)
    const cache = createCortadoFile(specOf(config.input), config.path)
    const t0 = performance.now()
    fillHottest(cache as ServiceCache, config.input.entries, config.input.keySpace)
    const fillMs = performance.now() - t0
    cache.close()
    process.send!({ command: 'filled', fillMs }, () => process.exit(0))
  } catch (err) {
    process.send!({ command: 'filled', error: (err as Error).message }, () => process.exit(1))
  }
}

function runPrimary(): void {
  let workers: ClusterWorker[] = []
  let path: string | undefined
  const ask = <T>(w: ClusterWorker, command: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (msg: { command: string } & T) => {
        if (msg.command !== command) return
        w.off('message', onMessage)
        w.off('exit', onExit)
        resolve(msg)
      }
      const onExit = (code: number) => reject(new Error(`pool worker exited (code ${code}) before answering ${command}`))
      w.on('message', onMessage)
      w.once('exit', onExit)
      if (command !== 'ready') w.send({ command })
    })
  const cleanUp = () => {
    for (const w of workers) w.process.kill('SIGKILL')
    if (path) rmSync(path, { force: true })
  }
  serveCommands(
    {
      async start(input: PoolInput): Promise<PoolStarted> {
        let fillMs = 0
        if (input.peer === 'cortado') {
          path = `/dev/shm/cortado-bench-pool-${process.pid}`
          rmSync(path, { force: true })
          // Rejects with ERR_ENGINE_UNAVAILABLE (the suite then skips Cortado, saying why) without the addon.
          fillMs = await fillInProcess(input, path, (filler) => workers.push(filler))
          workers = []
        }
        const config: WorkerConfig = { ...input, path }
        workers = Array.from({ length: input.workers }, () => cluster.fork({ [ENV]: JSON.stringify(config) }))
        const ready = await Promise.all(workers.map((w) => ask<{ port: number; runtime: Runtime }>(w, 'ready')))
        return { port: ready[0]!.port, fillMs, runtimes: [runtime(), ...ready.map((r) => r.runtime)] }
      },
      async window(): Promise<void> {
        await Promise.all(workers.map((w) => ask(w, 'window')))
      },
      async report(): Promise<PoolReport> {
        const reports = await Promise.all(workers.map((w) => ask<{ report: WindowReport; memory: PoolProcess; floor?: FloorBytes }>(w, 'report')))
        const processes: PoolProcess[] = [poolProcess('primary'), ...reports.map((r) => r.memory)]
        const merged = mergeReports(reports.map((r) => r.report), processes)
        if (path) {
          // tmpfs allocates a file's page when it is first written: its blocks are the file's pages in memory.
          const resident = statSync(path).blocks * 512
          const mapped = processes.reduce((a, p) => a + p.regions.shm, 0)
          const unmapped = Math.max(0, resident - mapped)
          return { ...merged, pssBytes: merged.pssBytes + unmapped, shmUnmappedBytes: unmapped, shmFileBytes: resident }
        }
        const floors = reports.flatMap((r) => (r.floor ? [r.floor] : []))
        if (floors.length === 0) return merged
        const payload = floors[0]!.payloadBytes
        const extra = floors.reduce((a, f) => a + f.payloadBytes + f.indexBytes, 0) - payload
        return { ...merged, floorPayloadBytes: payload, floorExtraBytes: extra }
      },
    },
    cleanUp,
  )
}

// The floor builds its records in a thread running this module (in a worker): that thread does only that.
if (floorThreadMain()) {
  // nothing else in the floor's thread
} else if (cluster.isPrimary) runPrimary()
else if (process.env[FILL_ENV]) void fillerMain(JSON.parse(process.env[FILL_ENV]))
else {
  runWorker(JSON.parse(process.env[ENV]!) as WorkerConfig).catch((err) => {
    process.stderr.write(`pool worker: ${(err as Error).stack}\n`)
    process.exit(1)
  })
}
