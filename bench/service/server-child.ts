/**
 * One HTTP server (node:http) over one peer's cache, alone in this process: filled before it listens,
 * then serving the handler until the bench disconnects. Driven by ipc.ts's commands.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fullGc } from '../harness/gc.js'
import type { BenchCache } from '../peers/types.js'
import { createPeerCache, fillHottest } from './caches.js'
import { FLOOR, buildFloor, floorThreadMain, type FloorBytes, type FloorStore } from './floor.js'
import { makeHandler, type ServiceCache } from './handler.js'
import { serveCommands } from './ipc.js'
import { WindowProbe, processMemory, runtime, type ProcessMemory, type Runtime, type WindowReport } from './probes.js'

export interface StartInput {
  peer: string
  /** Entries the cache holds (its bound). */
  entries: number
  /** Ids requests may ask for; the fill stores the `entries` most popular. */
  keySpace: number
}

export interface Started {
  port: number
  fillMs: number
  size: number
  /** How this process runs (plain node on a bundle, or tsx): the tests check it. */
  runtime: Runtime
}

export interface ServerReport extends WindowReport {
  size: number
  /** The process's RSS and PSS with PSS's split (anonymous, file, shmem) at the window's end. */
  memory: ProcessMemory
  /** The floor's payload and index bytes (floor.ts), for the floor only. */
  floor?: FloorBytes
}

let cache: (Pick<BenchCache, 'size'> & ServiceCache) | undefined
let floor: FloorStore | undefined
let server: Server | undefined
const probe = new WindowProbe()

// A floor built in a thread would run this module there (floor.ts): that thread serves no commands.
if (!floorThreadMain()) serveCommands({
  async start(input: StartInput): Promise<Started> {
    let fillMs: number
    if (input.peer === FLOOR) {
      const t0 = performance.now()
      cache = floor = await buildFloor(input.entries, input.keySpace, { thread: false })
      fillMs = performance.now() - t0
    } else {
      const peerCache = await createPeerCache(input.peer, input.entries, input.keySpace)
      const t0 = performance.now()
      fillHottest(peerCache, input.entries, input.keySpace)
      fillMs = performance.now() - t0
      cache = peerCache
    }
    // The fill's garbage is not the service's: collect it before serving.
    const gc = fullGc()
    gc()
    gc()
    server = createServer({ keepAliveTimeout: 120_000 }, makeHandler(cache, probe))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    return { port: (server.address() as AddressInfo).port, fillMs, size: cache.size, runtime: runtime() }
  },
  window(): void {
    probe.reset()
  },
  async report(): Promise<ServerReport> {
    // GC entries reach the observer asynchronously.
    await sleep(50)
    return { ...probe.report(), size: cache?.size ?? 0, memory: processMemory(), floor: floor?.floorBytes() }
  },
})
