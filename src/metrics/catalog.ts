/**
 * Every metric Cortado exports, once, for both exporters (and the README table): its Prometheus and
 * OpenTelemetry names, its kind, and how it reads a `CacheStats` snapshot.
 *
 * Kinds: `counter` is cumulative and never decreases (stats counters since the cache was created);
 * `level` is an additive amount that goes up and down (entries, bytes: summing over caches makes
 * sense); `ratio` is neither (the hit ratio: average it, never sum it).
 *
 * Labels are bounded by construction: `cache` (one value per registered cache) and, for a few metrics,
 * `result` from a fixed set. Never a key: a label per key is a time series per key, which is exactly how
 * a Prometheus server runs out of memory.
 */
import type { CacheStats } from '../types.js'
import type { CacheReading } from './cache-set.js'

export type MetricKind = 'counter' | 'level' | 'ratio'

export interface MetricSample {
  /** The `result` label value, for the metrics that have one. */
  readonly result?: string
  readonly value: number
}

export interface MetricSpec {
  readonly prometheusName: string
  readonly otelName: string
  readonly kind: MetricKind
  readonly help: string
  /** UCUM unit for OpenTelemetry. */
  readonly unit: string
  /** The values of the `result` label, or undefined when the metric has no such label. */
  readonly results?: readonly string[]
  read(stats: CacheStats): readonly MetricSample[]
}

function counter(name: string, help: string, unit: string, read: (stats: CacheStats) => number): MetricSpec {
  return {
    prometheusName: `cortado_cache_${name}_total`,
    otelName: `cortado.cache.${name}`,
    kind: 'counter',
    help,
    unit,
    read: (stats) => [{ value: read(stats) }],
  }
}

/** A counter split by a `result` label, one stats field per result. */
function counterByResult(
  name: string,
  help: string,
  unit: string,
  fields: Record<string, (stats: CacheStats) => number>,
): MetricSpec {
  const results = Object.keys(fields)
  return {
    ...counter(name, help, unit, () => 0),
    results,
    read: (stats) => results.map((result) => ({ result, value: fields[result]!(stats) })),
  }
}

function gauge(prometheusName: string, otelName: string, kind: MetricKind, help: string, unit: string, read: (stats: CacheStats) => number): MetricSpec {
  return { prometheusName, otelName, kind, help, unit, read: (stats) => [{ value: read(stats) }] }
}

export const CACHE_METRICS: readonly MetricSpec[] = [
  counterByResult('requests', 'Lookups, by result: hit or miss.', '{request}', {
    hit: (s) => s.hits,
    miss: (s) => s.misses,
  }),
  counter('stale_hits', 'Stale values served (stale-while-revalidate, serve-stale-on-error).', '{request}', (s) => s.staleHits),
  counter('sets', 'Entries written.', '{entry}', (s) => s.sets),
  counter('deletes', 'Entries deleted by a call.', '{entry}', (s) => s.deletes),
  counter('evictions', 'Entries evicted to make room.', '{entry}', (s) => s.evictions),
  counter('expirations', 'Entries removed because their TTL ran out.', '{entry}', (s) => s.expirations),
  counter('rejections', 'Sets refused by admission or because the entry was too large.', '{entry}', (s) => s.rejections),
  counter('oversized', 'Sets refused because the entry could never fit (part of rejections).', '{entry}', (s) => s.oversized),
  counter('rejected_overwrites', 'Refused sets of a stored key, whose old value the refusal removed (part of rejections).', '{entry}', (s) => s.rejectedOverwrites),
  counter('invalidations', 'Entries removed by invalidate().', '{entry}', (s) => s.invalidations),
  counter('refreshes', 'Background refreshes started.', '{refresh}', (s) => s.refreshes),
  counter('loads_not_stored', 'Values a loader returned that could not be cached (too large, or refused by admission).', '{load}', (s) => s.loadsNotStored),
  counter('read_retries', 'Lock-free reads retried because a writer moved under their copy.', '{read}', (s) => s.readRetries),
  counter('lock_recoveries', 'Shard locks taken over from a dead thread.', '{recovery}', (s) => s.lockRecoveries),
  counterByResult('loads', 'Loader calls, by result: success or failure.', '{load}', {
    success: (s) => s.loadSuccesses,
    failure: (s) => s.loadFailures,
  }),
  {
    ...counter('load_duration', 'Time spent in loaders, successful and failed, in seconds.', 's', (s) => s.loadTimeMs / 1000),
    // Prometheus wants the unit in the name; OpenTelemetry carries it in `unit`.
    prometheusName: 'cortado_cache_load_duration_seconds_total',
    otelName: 'cortado.cache.load.duration',
  },
  gauge('cortado_cache_entries', 'cortado.cache.entries', 'level', 'Live entries.', '{entry}', (s) => s.entries),
  gauge('cortado_cache_used_bytes', 'cortado.cache.memory.used', 'level', 'Bytes of live entries (header, key and value).', 'By', (s) => s.bytesUsed),
  gauge('cortado_cache_capacity_bytes', 'cortado.cache.memory.capacity', 'level', 'Bytes available for entries.', 'By', (s) => s.bytesTotal),
  gauge(
    'cortado_cache_hit_ratio',
    'cortado.cache.hit_ratio',
    'ratio',
    'Hits / (hits + misses) since the cache was created; for a window use the requests counter.',
    '1',
    (s) => s.hitRatio,
  ),
]

/**
 * Hands every exportable sample of `spec` over all readings to `write`, with its labels. Counters must
 * be finite and non-negative: anything else from an engine is skipped rather than failing a collection.
 */
export function forEachSample(
  spec: MetricSpec,
  readings: readonly CacheReading[],
  write: (labels: { cache: string; result?: string }, value: number) => void,
): void {
  for (const { name, stats } of readings) {
    for (const { result, value } of spec.read(stats)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || (spec.kind === 'counter' && value < 0)) continue
      write(result === undefined ? { cache: name } : { cache: name, result }, value)
    }
  }
}
