/**
 * What the server measures about itself during a measured window: the handler's own time per request
 * (an HDR histogram in nanoseconds: microsecond resolution where the load generator has milliseconds),
 * hits and misses, every GC pause V8 reports through perf_hooks, and the memory at the window's end.
 */
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
