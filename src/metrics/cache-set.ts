/**
 * The caches one exporter target (a prom-client registry, an OpenTelemetry meter) reports, by name.
 * Both exporters read stats through here, so they agree on naming rules, on what a failing or closed
 * cache does to a scrape, and on unregistering.
 */
import { isCortadoError, CortadoError, shown } from '../errors.js'
import type { CacheStats } from '../types.js'
import { emitProcessWarning } from '../process-warning.js'

/** All an exporter needs from a cache: any engine (or a test double) with `stats()` works. */
export interface StatsSource {
  /** The `cache` label value, unless the registration names it (else `'default'`). */
  readonly name?: string | undefined
  /** The counters to export, read at each scrape or collection. */
  stats(): CacheStats
}

export interface CacheMetricsOptions {
  /** The `cache` label value. Default: the cache's own `name`, else `"default"`. Unique per target. */
  name?: string
  /**
   * Called when `stats()` throws during a collection (that cache is left out of that collection only).
   * Default: one process warning until the cache reports again. A cache whose `stats()` throws
   * ERR_CLOSED is unregistered instead: a closed cache has nothing left to report.
   */
  onError?: (error: unknown, cacheName: string) => void
}

/** One cache registered with an exporter. */
export interface CacheMetricsRegistration {
  /** The `cache` label value. */
  readonly name: string
  /** Stops reporting this cache (idempotent). Its series disappear from the next collection. */
  unregister(): void
}

export interface CacheReading {
  readonly name: string
  readonly stats: CacheStats
}

interface Entry {
  readonly source: StatsSource
  readonly onError: (error: unknown, cacheName: string) => void
  failing: boolean
}

export class CacheSet {
  readonly #entries = new Map<string, Entry>()
  readonly #target: string
  readonly #onEmpty: () => void

  /** `target` names the registry or meter in errors; `onEmpty` runs when the last cache leaves. */
  constructor(target: string, onEmpty: () => void) {
    this.#target = target
    this.#onEmpty = onEmpty
  }

  get size(): number {
    return this.#entries.size
  }

  add(source: StatsSource, options: CacheMetricsOptions | undefined): CacheMetricsRegistration {
    if (source === null || typeof source !== 'object' || typeof source.stats !== 'function') {
      throw new CortadoError('ERR_INVALID_OPTION', 'registerCacheMetrics expects a cache (an object with a stats() method)')
    }
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new CortadoError('ERR_INVALID_OPTION', 'registerCacheMetrics options must be an object')
    }
    const name = options?.name ?? source.name ?? 'default'
    if (typeof name !== 'string' || name.length === 0) {
      throw new CortadoError('ERR_INVALID_OPTION', `the metrics name of a cache must be a non-empty string, got ${shown(name)}`)
    }
    if (this.#entries.has(name)) {
      throw new CortadoError(
        'ERR_INVALID_OPTION',
        `a cache named "${name}" is already registered with this ${this.#target}; give each cache its own name`,
      )
    }
    const onError = options?.onError ?? warnOnce
    if (typeof onError !== 'function') throw new CortadoError('ERR_INVALID_OPTION', 'onError must be a function')
    const entry: Entry = { source, onError, failing: false }
    this.#entries.set(name, entry)
    return {
      name,
      unregister: () => this.#remove(name, entry),
    }
  }

  /** Stats of every cache that answers; closed caches are unregistered on the way. */
  read(): CacheReading[] {
    const readings: CacheReading[] = []
    for (const [name, entry] of this.#entries) {
      try {
        readings.push({ name, stats: entry.source.stats() })
        entry.failing = false
      } catch (error) {
        if (isCortadoError(error, 'ERR_CLOSED')) {
          // Removal is deferred: the exporter may be in the middle of iterating its own structures.
          queueMicrotask(() => this.#remove(name, entry))
        } else {
          const first = !entry.failing
          entry.failing = true
          if (entry.onError !== warnOnce || first) entry.onError(error, name)
        }
      }
    }
    return readings
  }

  #remove(name: string, entry: Entry): void {
    // A stale registration must not remove a newer cache registered under the same name.
    if (this.#entries.get(name) !== entry) return
    this.#entries.delete(name)
    if (this.#entries.size === 0) this.#onEmpty()
  }
}

/** What an exporter does for its target: start publishing (idempotent) and stop, with the last cache. */
export interface Exporter {
  start(): void
  stop(): void
}

interface Slot {
  readonly caches: CacheSet
  readonly exporter: Exporter
}

/** One exporter per target (registry, meter), created with its first cache and dropped with its last. */
export class ExporterSlots<Target extends object> {
  readonly #slots = new WeakMap<Target, Slot>()
  readonly #what: string

  /** `what` names the target kind in errors ("registry", "meter"). */
  constructor(what: string) {
    this.#what = what
  }

  register(
    target: Target,
    create: (caches: CacheSet) => Exporter,
    cache: StatsSource,
    options: CacheMetricsOptions | undefined,
  ): CacheMetricsRegistration {
    let slot = this.#slots.get(target)
    if (slot === undefined) {
      const caches: CacheSet = new CacheSet(this.#what, () => this.#drop(target, slot!))
      slot = { caches, exporter: create(caches) }
      this.#slots.set(target, slot)
    }
    try {
      const registration = slot.caches.add(cache, options)
      slot.exporter.start()
      return registration
    } catch (error) {
      if (slot.caches.size === 0) this.#drop(target, slot)
      throw error
    }
  }

  #drop(target: Target, slot: Slot): void {
    slot.exporter.stop()
    if (this.#slots.get(target) === slot) this.#slots.delete(target)
  }
}

function warnOnce(error: unknown, cacheName: string): void {
  const reason = error instanceof Error ? error.message : String(error)
  emitProcessWarning(`stats() of cache "${cacheName}" failed, its metrics are left out: ${reason}`, 'CORTADO_METRICS')
}
