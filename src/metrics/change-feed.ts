/**
 * Prometheus metrics for change feeds (cortado/cdc), exported through `cortado/prometheus`. Like the
 * cache metrics they keep no counts of their own: a scrape reads each feed's `stats()`. The lag gauges
 * are the operational ones: a stalled feed keeps WAL on the database server, and these show it growing.
 */
import { Counter, Gauge, register as defaultRegistry, type Registry as PromRegistry, type RegistryContentType } from 'prom-client'
import { CortadoError } from '../errors.js'

type Registry = PromRegistry<RegistryContentType>

/** What the metrics read: `PostgresChangeFeed` (or anything with the same stats). */
export interface ChangeFeedStatsSource {
  /** The feed's current counters and lag (the fields of ChangeFeedStats the metrics read), at each scrape. */
  stats(): {
    /** Row changes of watched tables applied to the target. */
    changesApplied: number
    /** Keys handed to the target. */
    keysInvalidated: number
    /** Transactions applied. */
    transactionsApplied: number
    /** TRUNCATEs of watched tables applied. */
    truncates: number
    /** Clears of everything the feed guards after missed changes (slot missing or invalidated). */
    resets: number
    /** Rows whose keys function failed. */
    keyErrors: number
    /** Failed applications to the target (each retried). */
    applyErrors: number
    /** Replication connections lost and re-established. */
    reconnects: number
    /** Whether the replication connection streams now (the gauge reads 1 or 0). */
    connected: boolean
    /** WAL bytes between the newest server position known and the applied one. */
    lagBytes: number
    /** Seconds since the feed last had nothing left to apply. */
    lagSeconds: number
    /** WAL the slot keeps on the server, in bytes (last poll; -1 before the first). */
    retainedWalBytes: number
  }
}

type StatName = keyof ReturnType<ChangeFeedStatsSource['stats']>

const METRICS: readonly { name: string; help: string; kind: 'counter' | 'gauge'; stat: StatName }[] = [
  { name: 'cortado_cdc_changes_applied_total', help: 'Row changes of watched tables applied to the target', kind: 'counter', stat: 'changesApplied' },
  { name: 'cortado_cdc_keys_invalidated_total', help: 'Keys handed to the target', kind: 'counter', stat: 'keysInvalidated' },
  { name: 'cortado_cdc_transactions_applied_total', help: 'Transactions applied', kind: 'counter', stat: 'transactionsApplied' },
  { name: 'cortado_cdc_truncates_total', help: 'TRUNCATEs of watched tables applied', kind: 'counter', stat: 'truncates' },
  { name: 'cortado_cdc_resets_total', help: 'Clears of everything the feed guards after missed changes (slot missing or invalidated)', kind: 'counter', stat: 'resets' },
  { name: 'cortado_cdc_key_errors_total', help: 'Rows whose keys function failed', kind: 'counter', stat: 'keyErrors' },
  { name: 'cortado_cdc_apply_errors_total', help: 'Failed applications to the target (retried)', kind: 'counter', stat: 'applyErrors' },
  { name: 'cortado_cdc_reconnects_total', help: 'Replication connections lost and re-established', kind: 'counter', stat: 'reconnects' },
  { name: 'cortado_cdc_connected', help: '1 while the replication connection streams', kind: 'gauge', stat: 'connected' },
  { name: 'cortado_cdc_lag_bytes', help: 'WAL bytes between the newest server position known and the applied one', kind: 'gauge', stat: 'lagBytes' },
  { name: 'cortado_cdc_lag_seconds', help: 'Seconds since the feed last had nothing left to apply', kind: 'gauge', stat: 'lagSeconds' },
  { name: 'cortado_cdc_retained_wal_bytes', help: 'WAL the slot keeps on the server (last poll; -1 before the first)', kind: 'gauge', stat: 'retainedWalBytes' },
]

/** What `registerChangeFeedMetrics` returns. */
export interface ChangeFeedMetricsRegistration {
  /** Stops reporting this feed; the metrics themselves stay in the registry. */
  unregister(): void
}

/** Per registry: the feeds reported, by name, and the metrics (created with the first feed). */
const perRegistry = new WeakMap<Registry, Map<string, ChangeFeedStatsSource>>()

/**
 * Reports a change feed's `stats()` as `cortado_cdc_*` metrics labelled `feed="<name>"` (default: the
 * registration order, `feed0`…). Several feeds may share a registry under different names.
 */
export function registerChangeFeedMetrics(
  feed: ChangeFeedStatsSource,
  options: { registry?: Registry; name?: string } = {},
): ChangeFeedMetricsRegistration {
  const registry = options.registry ?? defaultRegistry
  if (registry === null || typeof registry !== 'object' || typeof registry.registerMetric !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', 'registry must be a prom-client Registry')
  if (feed === null || typeof feed !== 'object' || typeof feed.stats !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', 'registerChangeFeedMetrics: feed must have a stats() method (a PostgresChangeFeed)')
  let feeds = perRegistry.get(registry)
  if (feeds === undefined) {
    feeds = new Map()
    perRegistry.set(registry, feeds)
    createMetrics(registry, feeds)
  }
  const name = options.name ?? `feed${feeds.size}`
  if (feeds.has(name)) throw new CortadoError('ERR_INVALID_OPTION', `registerChangeFeedMetrics: a feed named ${name} is already registered`)
  feeds.set(name, feed)
  return { unregister: () => void feeds.delete(name) }
}

function createMetrics(registry: Registry, feeds: Map<string, ChangeFeedStatsSource>): void {
  for (const spec of METRICS) {
    if (registry.getSingleMetric(spec.name))
      throw new CortadoError('ERR_INVALID_OPTION', `the registry already has a metric named ${spec.name} that Cortado did not create; use a separate Registry`)
  }
  for (const spec of METRICS) {
    const config = { name: spec.name, help: spec.help, labelNames: ['feed'], registers: [registry] }
    const each = (set: (labels: { feed: string }, value: number) => void) => {
      for (const [feed, source] of feeds) set({ feed }, Number(source.stats()[spec.stat]))
    }
    if (spec.kind === 'counter') {
      new Counter({ ...config, collect(this: Counter<string>) { this.reset(); each((l, v) => this.inc(l, v)) } })
    } else {
      new Gauge({ ...config, collect(this: Gauge<string>) { this.reset(); each((l, v) => this.set(l, v)) } })
    }
  }
}
