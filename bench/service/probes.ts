/**
 * What the server measures about itself during a measured window: the handler's own time per request
 * (an HDR histogram in nanoseconds: microsecond resolution where the load generator has milliseconds),
 * hits and misses, every GC pause V8 reports through perf_hooks, and the memory at the window's end.
 */
import { readFileSync } from 'node:fs'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import hdr from 'hdr-histogram-js'

type Histogram = ReturnType<typeof hdr.build>

export function handlerHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3, autoResize: true })
}

/** One process's figures for a window (a pool sums its workers'). */
export interface WindowReport {
  requests: number
  hits: number
  misses: number
  /** The handler-time histogram, compressed (hdr-histogram-js's encoding), so a pool can merge them. */
  handlerHistogram: string
  gcPauseMs: number
  gcCount: number
  gcMaxMs: number
  /** Pauses of full (mark-sweep-compact) collections only. */
  gcMajorMs: number
  rssBytes: number
  heapUsedBytes: number
  heapTotalBytes: number
  /** CPU time of the process (user + system, every thread: the collector's helpers too) over the window, µs. */
  cpuUs: number
  /** The window's wall time, ms. */
  windowMs: number
}

export class WindowProbe {
  hits = 0
  misses = 0
  private hist = handlerHistogram()
  private gcPauseMs = 0
  private gcCount = 0
  private gcMaxMs = 0
  private gcMajorMs = 0
  private cpu0 = process.cpuUsage()
  private t0 = performance.now()
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.gcPauseMs += e.duration
      this.gcCount++
      if (e.duration > this.gcMaxMs) this.gcMaxMs = e.duration
      if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.gcMajorMs += e.duration
    }
  })

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] })
  }

  record(ns: bigint): void {
    this.hist.recordValue(Number(ns))
  }

  /** Starts a measured window: everything before (fill, warm-up) is forgotten. */
  reset(): void {
    this.hits = this.misses = 0
    this.hist.reset()
    this.gcPauseMs = this.gcCount = this.gcMaxMs = this.gcMajorMs = 0
    this.cpu0 = process.cpuUsage()
    this.t0 = performance.now()
  }

  /** The window so far. GC entries are delivered asynchronously: call after a turn of the event loop. */
  report(): WindowReport {
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage(this.cpu0)
    return {
      requests: this.hist.totalCount,
      hits: this.hits,
      misses: this.misses,
      handlerHistogram: hdr.encodeIntoCompressedBase64(this.hist),
      gcPauseMs: this.gcPauseMs,
      gcCount: this.gcCount,
      gcMaxMs: this.gcMaxMs,
      gcMajorMs: this.gcMajorMs,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      cpuUs: cpu.user + cpu.system,
      windowMs: performance.now() - this.t0,
    }
  }

  close(): void {
    this.observer.disconnect()
  }
}

/** Handler-time percentiles in µs from one or more reports' histograms. */
export function handlerPercentiles(reports: readonly WindowReport[], percentiles: readonly number[]): number[] {
  const merged = handlerHistogram()
  for (const r of reports) merged.add(hdr.decodeFromCompressedBase64(r.handlerHistogram))
  return percentiles.map((p) => merged.getValueAtPercentile(p) / 1000)
}

/**
 * A process's memory as the kernel accounts it (/proc/<pid>/smaps_rollup), in bytes. PSS divides each
 * shared page by the number of processes mapping it, so summing PSS over a pool counts a shared arena
 * once; the split says what the pages are: anonymous (V8's heap, malloc, a WebAssembly arena), files
 * (node's binary, libraries, the addon: shared with every other node process on the host) and shmem
 * (a /dev/shm file mapped shared: the native engine's arena).
 */
export interface ProcessMemory {
  rss: number
  pss: number
  pssAnon: number
  pssFile: number
  pssShmem: number
}

export function processMemory(pid: number | 'self' = 'self'): ProcessMemory {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)
    if (!m) throw new Error(`no ${name} in /proc/${pid}/smaps_rollup`)
    return Number(m[1]) * 1024
  }
  return { rss: field('Rss'), pss: field('Pss'), pssAnon: field('Pss_Anon'), pssFile: field('Pss_File'), pssShmem: field('Pss_Shmem') }
}

/** How a process runs: its node flags and entry file (a bundle under plain node, or a .ts under tsx). */
export interface Runtime {
  execArgv: string[]
  entry: string
}

export function runtime(): Runtime {
  return { execArgv: [...process.execArgv], entry: process.argv[1] ?? '' }
}

/**
 * A process's PSS split by what its mappings are, from /proc/<pid>/smaps: `shm` a file in /dev/shm (the
 * native engine's arena), `brk` malloc's main heap, `anon` every other anonymous mapping (V8's heap
 * spaces, malloc's mmapped arenas, thread stacks, a WebAssembly memory), `files` every other file
 * (node's binary, libraries, the addon: shared with every node process on the host). Bytes.
 */
export interface PssRegions {
  shm: number
  brk: number
  anon: number
  files: number
}

export function pssRegions(pid: number | 'self' = 'self'): PssRegions {
  const regions: PssRegions = { shm: 0, brk: 0, anon: 0, files: 0 }
  let kind: keyof PssRegions = 'anon'
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (header) {
      const name = header[1]!
      kind = name.startsWith('/dev/shm/') ? 'shm' : name === '[heap]' ? 'brk' : name === '' || name.startsWith('[') ? 'anon' : 'files'
      continue
    }
    const pss = /^Pss:\s+(\d+) kB/.exec(line)
    if (pss) regions[kind] += Number(pss[1]) * 1024
  }
  return regions
}
