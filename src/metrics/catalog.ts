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

function counter(
  name: string,
  help: string,
  unit: string,
  read: (stats: CacheStats) => number,
): MetricSpec {
  return {
    prometheusName: `cortado_cache_${name}_total`,
    otelName: `cortado.cache.${name}`,
    kind: 'counter',
    help,
    unit,
    read: (stats) => [{ value: read(stats) }],
  }
}

export const CACHE_METRICS: readonly MetricSpec[] = [
  {
    prometheusName: 'cortado_cache_requests_total',
    otelName: 'cortado.cache.requests',
    kind: 'counter',
    help: 'Lookups, by result: hit or miss.',
    unit: '{request}',
    results: ['hit', 'miss'],
    read: (stats) => [
      { result: 'hit', value: stats.hits },
      { result: 'miss', value: stats.misses },
    ],
  },
  counter('stale_hits', 'Stale values served (stale-while-revalidate, serve-stale-on-error).', '{request}', (s) => s.staleHits),
  counter('sets', 'Entries written.', '{entry}', (s) => s.sets),
  counter('deletes', 'Entries deleted by a call.', '{entry}', (s) => s.deletes),
  counter('evictions', 'Entries evicted to make room.', '{entry}', (s) => s.evictions),
  counter('expirations', 'Entries removed because their TTL ran out.', '{entry}', (s) => s.expirations),
  counter('rejections', 'Sets refused by admission or because the entry was too large.', '{entry}', (s) => s.rejections),
  counter('oversized', 'Sets refused because the entry could never fit (part of rejections).', '{entry}', (s) => s.oversized),
  counter('invalidations', 'Entries removed by invalidate().', '{entry}', (s) => s.invalidations),
  counter('refreshes', 'Background refreshes started.', '{refresh}', (s) => s.refreshes),
  counter('lock_recoveries', 'Shard locks taken over from a dead thread.', '{recovery}', (s) => s.lockRecoveries),
  {
    prometheusName: 'cortado_cache_loads_total',
    otelName: 'cortado.cache.loads',
    kind: 'counter',
    help: 'Loader calls, by result: success or failure.',
    unit: '{load}',
    results: ['success', 'failure'],
    read: (stats) => [
      { result: 'success', value: stats.loadSuccesses },
      { result: 'failure', value: stats.loadFailures },
    ],
  },
  {
    prometheusName: 'cortado_cache_load_duration_seconds_total',
    otelName: 'cortado.cache.load.duration',
    kind: 'counter',
    help: 'Time spent in loaders, successful and failed, in seconds.',
    unit: 's',
    read: (stats) => [{ value: stats.loadTimeMs / 1000 }],
  },
  {
    prometheusName: 'cortado_cache_entries',
    otelName: 'cortado.cache.entries',
    kind: 'level',
    help: 'Live entries.',
    unit: '{entry}',
    read: (stats) => [{ value: stats.entries }],
  },
  {
    prometheusName: 'cortado_cache_used_bytes',
    otelName: 'cortado.cache.memory.used',
    kind: 'level',
    help: 'Bytes of live entries (header, key and value).',
    unit: 'By',
    read: (stats) => [{ value: stats.bytesUsed }],
  },
  {
    prometheusName: 'cortado_cache_capacity_bytes',
    otelName: 'cortado.cache.memory.capacity',
    kind: 'level',
    help: 'Bytes available for entries.',
    unit: 'By',
    read: (stats) => [{ value: stats.bytesTotal }],
  },
  {
    prometheusName: 'cortado_cache_hit_ratio',
    otelName: 'cortado.cache.hit_ratio',
    kind: 'ratio',
    help: 'Hits / (hits + misses) since the cache was created; for a window use the requests counter.',
    unit: '1',
    read: (stats) => [{ value: stats.hitRatio }],
  },
]

/** Counters must be finite and non-negative; anything else from an engine is skipped, not exported. */
export function isExportable(spec: MetricSpec, value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && (spec.kind !== 'counter' || value >= 0)
}
