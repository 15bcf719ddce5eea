/**
 * `cortado/otel`: the same cache metrics as `cortado/prometheus`, as OpenTelemetry observable instruments
 * (@opentelemetry/api is an optional peer dependency, imported only by this subpath).
 *
 * Counters are ObservableCounters fed the cumulative values of `cache.stats()`, entries and bytes are
 * ObservableUpDownCounters (additive levels), the hit ratio is an ObservableGauge. One batch callback
 * per meter reads each registered cache once per collection, so all its instruments agree.
 */
import { metrics, type BatchObservableResult, type Meter, type Observable } from '@opentelemetry/api'
import { CortadoError } from '../errors.js'
import {
  ExporterSlots,
  type CacheMetricsOptions,
  type CacheMetricsRegistration,
  type CacheSet,
  type Exporter,
  type StatsSource,
} from './cache-set.js'
import { CACHE_METRICS, forEachSample, type MetricSpec } from './catalog.js'

export type { CacheMetricsRegistration, StatsSource } from './cache-set.js'

/** Options of `registerCacheMetrics(cache, options)` for OpenTelemetry. */
export interface OtelMetricsOptions extends CacheMetricsOptions {
  /**
   * The meter to create the instruments on. Default: `metrics.getMeter('cortado')` from the global
   * MeterProvider at the time of the call, so register after installing the SDK or pass a meter.
   */
  meter?: Meter
}

class MeterExporter implements Exporter {
  readonly #caches: CacheSet
  readonly #meter: Meter
  readonly #instruments: Array<{ spec: MetricSpec; instrument: Observable }>
  readonly #observables: Observable[]
  #observing = false

  constructor(meter: Meter, caches: CacheSet) {
    this.#meter = meter
    this.#caches = caches
    this.#instruments = CACHE_METRICS.map((spec) => ({ spec, instrument: this.#create(spec) }))
    this.#observables = this.#instruments.map(({ instrument }) => instrument)
  }

  start(): void {
    if (this.#observing) return
    this.#meter.addBatchObservableCallback(this.#collect, this.#observables)
    this.#observing = true
  }

  stop(): void {
    if (!this.#observing) return
    this.#meter.removeBatchObservableCallback(this.#collect, this.#observables)
    this.#observing = false
  }

  readonly #collect = (result: BatchObservableResult): void => {
    const readings = this.#caches.read()
    for (const { spec, instrument } of this.#instruments) {
      forEachSample(spec, readings, (attributes, value) => result.observe(instrument, value, attributes))
    }
  }

  #create(spec: MetricSpec): Observable {
    const options = { description: spec.help, unit: spec.unit }
    switch (spec.kind) {
      case 'counter':
        return this.#meter.createObservableCounter(spec.otelName, options)
      case 'level':
        return this.#meter.createObservableUpDownCounter(spec.otelName, options)
      case 'ratio':
        return this.#meter.createObservableGauge(spec.otelName, options)
    }
  }
}

const slots = new ExporterSlots<Meter>('meter')

/**
 * Reports `cache.stats()` through OpenTelemetry instruments (names in the README). Several caches may
 * share a meter, each under its own `cache` attribute; `unregister()` stops reporting a cache.
 */
export function registerCacheMetrics(cache: StatsSource, options: OtelMetricsOptions = {}): CacheMetricsRegistration {
  const meter = options?.meter ?? metrics.getMeter('cortado')
  if (meter === null || typeof meter !== 'object' || typeof meter.addBatchObservableCallback !== 'function') {
    throw new CortadoError('ERR_INVALID_OPTION', 'meter must be an OpenTelemetry Meter')
  }
  return slots.register(meter, (caches) => new MeterExporter(meter, caches), cache, options)
}
