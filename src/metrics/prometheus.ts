/**
 * `cortado/prometheus`: cache metrics for prom-client (an optional peer dependency, imported only by
 * this subpath, never by the package root).
 *
 * The metrics keep no counts of their own: their collect callbacks read `cache.stats()` when the
 * registry is scraped, so the cache stays the one source of truth and a scrape shows every thread's
 * work. One set of metrics per registry serves every registered cache, labelled `cache="<name>"`; a
 * scrape reads each cache's stats once, so all its series come from one consistent snapshot.
 */
import { Counter, Gauge, register as defaultRegistry, type Registry as PromRegistry, type RegistryContentType } from 'prom-client'
import { CortadoError } from '../errors.js'
import {
  ExporterSlots,
  type CacheMetricsOptions,
  type CacheMetricsRegistration,
  type CacheReading,
  type CacheSet,
  type Exporter,
  type StatsSource,
} from './cache-set.js'
import { CACHE_METRICS, forEachSample, type MetricSpec } from './catalog.js'

export type { CacheMetricsRegistration, StatsSource } from './cache-set.js'

/** A prom-client registry of either exposition format (Prometheus text or OpenMetrics). */
type Registry = PromRegistry<RegistryContentType>

/** Options of `registerCacheMetrics(cache, options)` for prom-client. */
export interface PrometheusMetricsOptions extends CacheMetricsOptions {
  /** The registry to add the metrics to. Default: prom-client's global `register`. */
  registry?: Registry
}

interface Named {
  /** The registry's key (prom-client renames counters in place for OpenMetrics output). */
  readonly name: string
  readonly metric: Counter<string> | Gauge<string>
}

class RegistryExporter implements Exporter {
  readonly #caches: CacheSet
  readonly #registry: Registry
  readonly #metrics: Named[]
  #snapshot: CacheReading[] | undefined

  constructor(registry: Registry, caches: CacheSet) {
    this.#registry = registry
    this.#caches = caches
    for (const spec of CACHE_METRICS) {
      if (registry.getSingleMetric(spec.prometheusName)) {
        throw new CortadoError(
          'ERR_INVALID_OPTION',
          `the registry already has a metric named ${spec.prometheusName} that Cortado did not create ` +
            '(two copies of cortado loaded, or a name clash); use a separate Registry',
        )
      }
    }
    this.#metrics = CACHE_METRICS.map((spec) => ({ name: spec.prometheusName, metric: this.#create(spec) }))
  }

  /** Puts the metrics (back) in the registry, in case `registry.clear()` removed them. */
  start(): void {
    for (const { name, metric } of this.#metrics) {
      if (this.#registry.getSingleMetric(name) !== metric) this.#registry.registerMetric(metric)
    }
  }

  stop(): void {
    for (const { name, metric } of this.#metrics) {
      if (this.#registry.getSingleMetric(name) === metric) this.#registry.removeSingleMetric(name)
    }
  }

  /**
   * prom-client collects every metric of a scrape in one synchronous pass; the snapshot lives until
   * the next microtask, so one scrape reads each cache once and the next scrape reads afresh.
   */
  #read(): CacheReading[] {
    if (this.#snapshot === undefined) {
      this.#snapshot = this.#caches.read()
      queueMicrotask(() => (this.#snapshot = undefined))
    }
    return this.#snapshot
  }

  #create(spec: MetricSpec): Named['metric'] {
    const labelNames = spec.results ? ['cache', 'result'] : ['cache']
    const read = () => this.#read()
    const config = { name: spec.prometheusName, help: spec.help, labelNames, registers: [this.#registry] }
    if (spec.kind === 'counter') {
      return new Counter({
        ...config,
        collect(this: Counter<string>) {
          this.reset()
          // A counter can only be incremented: from zero, by the cumulative value, after the reset.
          forEachSample(spec, read(), (labels, value) => this.inc(labels, value))
        },
      })
    }
    return new Gauge({
      ...config,
      // Summing a ratio over processes is meaningless (node:cluster aggregation): average it.
      aggregator: spec.kind === 'ratio' ? 'average' : 'sum',
      collect(this: Gauge<string>) {
        this.reset()
        forEachSample(spec, read(), (labels, value) => this.set(labels, value))
      },
    })
  }
}

const slots = new ExporterSlots<Registry>('registry')

/**
 * Reports `cache.stats()` as Prometheus metrics (names and labels in the README). Several caches may
 * share a registry, each under its own name; `unregister()` removes a cache's series, and the metrics
 * themselves leave the registry with the last cache.
 */
export function registerCacheMetrics(cache: StatsSource, options: PrometheusMetricsOptions = {}): CacheMetricsRegistration {
  const registry = options?.registry ?? defaultRegistry
  if (registry === null || typeof registry !== 'object' || typeof registry.registerMetric !== 'function') {
    throw new CortadoError('ERR_INVALID_OPTION', 'registry must be a prom-client Registry')
  }
  return slots.register(registry, (caches) => new RegistryExporter(registry, caches), cache, options)
}

export { registerPeerMetrics, PEER_METRICS } from './peer-prometheus.js'
export type { PeerMetricsOptions, PeerMetricsRegistration, PeerStatsSource } from './peer-prometheus.js'
export { registerChangeFeedMetrics } from './change-feed.js'
export type { ChangeFeedStatsSource, ChangeFeedMetricsRegistration } from './change-feed.js'
