/**
 * PeerGroup metrics for prom-client (exported from `cortado/prometheus`). Like the cache metrics they
 * keep no counts of their own: collect callbacks read `group.stats()` at scrape time. Every process of
 * a group reports its own counters, labelled `group="<name>"`; sum over instances for group totals
 * (e.g. `sum(rate(cortado_peer_origin_loads_total[5m]))` is the load the group puts on its origin).
 */
import { Counter, Gauge, register as defaultRegistry, type Registry as PromRegistry, type RegistryContentType } from 'prom-client'
import { CortadoError, isCortadoError, shown } from '../errors.js'
import type { PeerGroupStats } from '../peer/stats.js'

type Registry = PromRegistry<RegistryContentType>

/** All the exporter needs from a group (a PeerGroup, or anything with the same stats()). */
export interface PeerStatsSource {
  /** The group's name: the default `group` label. */
  readonly name: string
  /** A closed group leaves the metrics at the next scrape. */
  readonly closed?: boolean
  /** The group's counters, read at each scrape. */
  stats(): PeerGroupStats
}

/** Options of `registerPeerMetrics`. */
export interface PeerMetricsOptions {
  /** The registry to add the metrics to. Default: prom-client's global `register`. */
  registry?: Registry
  /** The `group` label value. Default: the group's name (its self address unless named). */
  name?: string
}

/** What `registerPeerMetrics` returns. */
export interface PeerMetricsRegistration {
  /** The `group` label value the group is reported under. */
  readonly name: string
  /** Stops reporting this group (idempotent). */
  unregister(): void
}

interface PeerMetricSpec {
  readonly name: string
  readonly kind: 'counter' | 'gauge'
  readonly help: string
  readonly read: (stats: PeerGroupStats) => number
}

/** The metrics `registerPeerMetrics` creates: name, counter or gauge, help text, and the stat each reads. */
export const PEER_METRICS: readonly PeerMetricSpec[] = [
  { name: 'cortado_peer_local_hits_total', kind: 'counter', help: 'get() answered from the local cache.', read: (s) => s.localHits },
  { name: 'cortado_peer_hot_hits_total', kind: 'counter', help: 'get() answered from the hot cache (copies of keys owned elsewhere).', read: (s) => s.hotHits },
  { name: 'cortado_peer_fetches_total', kind: 'counter', help: 'Requests sent to owners.', read: (s) => s.peerFetches },
  { name: 'cortado_peer_coalesced_total', kind: 'counter', help: 'get() calls that joined a request already in flight.', read: (s) => s.coalesced },
  { name: 'cortado_peer_errors_total', kind: 'counter', help: 'Requests to owners that failed (timeout, connection, refusal, bad reply).', read: (s) => s.peerErrors },
  { name: 'cortado_peer_fallbacks_total', kind: 'counter', help: 'Keys owned elsewhere loaded locally because the owner failed or was unhealthy.', read: (s) => s.fallbacks },
  { name: 'cortado_peer_origin_loads_total', kind: 'counter', help: 'Calls of the origin loader in this process.', read: (s) => s.originLoads },
  { name: 'cortado_peer_served_total', kind: 'counter', help: 'Requests from peers answered.', read: (s) => s.served },
  { name: 'cortado_peer_refused_total', kind: 'counter', help: 'Requests from peers refused (secret, version, malformed, key over the limit).', read: (s) => s.refused },
  { name: 'cortado_peer_membership_errors_total', kind: 'counter', help: 'Failed calls of the peers function.', read: (s) => s.membershipErrors },
  { name: 'cortado_peer_server_errors_total', kind: 'counter', help: 'Errors of the peer server after it started listening.', read: (s) => s.serverErrors },
  { name: 'cortado_peer_members', kind: 'gauge', help: 'Members of the group, this peer included.', read: (s) => s.peers },
  { name: 'cortado_peer_unhealthy_members', kind: 'gauge', help: 'Peers currently marked unhealthy.', read: (s) => s.unhealthyPeers },
  { name: 'cortado_peer_hot_entries', kind: 'gauge', help: 'Copies in the hot cache.', read: (s) => s.hotEntries },
  { name: 'cortado_peer_hot_used_bytes', kind: 'gauge', help: 'Bytes of copies in the hot cache.', read: (s) => s.hotBytes },
]

class PeerExporter {
  readonly groups = new Map<string, PeerStatsSource>()
  readonly #registry: Registry
  readonly #metrics: (Counter<string> | Gauge<string>)[]

  constructor(registry: Registry) {
    this.#registry = registry
    for (const spec of PEER_METRICS) {
      if (registry.getSingleMetric(spec.name))
        throw new CortadoError('ERR_INVALID_OPTION', `the registry already has a metric named ${spec.name} that Cortado did not create; use a separate Registry`)
    }
    this.#metrics = PEER_METRICS.map((spec) => this.#create(spec))
  }

  #readings(): { name: string; stats: PeerGroupStats }[] {
    const out: { name: string; stats: PeerGroupStats }[] = []
    for (const [name, group] of this.groups) {
      if (group.closed) {
        this.groups.delete(name)
        continue
      }
      try {
        out.push({ name, stats: group.stats() })
      } catch (error) {
        // A closed group has nothing left to report; anything else leaves it out of this scrape only.
        if (isCortadoError(error, 'ERR_CLOSED')) this.groups.delete(name)
      }
    }
    return out
  }

  #create(spec: PeerMetricSpec): Counter<string> | Gauge<string> {
    const readings = () => this.#readings()
    const config = { name: spec.name, help: spec.help, labelNames: ['group'], registers: [this.#registry] }
    if (spec.kind === 'counter') {
      return new Counter({
        ...config,
        collect(this: Counter<string>) {
          this.reset()
          for (const { name, stats } of readings()) this.inc({ group: name }, spec.read(stats))
        },
      })
    }
    return new Gauge({
      ...config,
      collect(this: Gauge<string>) {
        this.reset()
        for (const { name, stats } of readings()) this.set({ group: name }, spec.read(stats))
      },
    })
  }

  stop(): void {
    for (const metric of this.#metrics) {
      const name = (metric as unknown as { name: string }).name
      if (this.#registry.getSingleMetric(name) === metric) this.#registry.removeSingleMetric(name)
    }
  }
}

const exporters = new WeakMap<Registry, PeerExporter>()

/** Reports `group.stats()` as Prometheus metrics, labelled with the group's name. */
export function registerPeerMetrics(group: PeerStatsSource, options: PeerMetricsOptions = {}): PeerMetricsRegistration {
  if (group === null || typeof group !== 'object' || typeof group.stats !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', 'registerPeerMetrics expects a PeerGroup')
  const registry = options.registry ?? defaultRegistry
  if (registry === null || typeof registry !== 'object' || typeof registry.registerMetric !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', 'registry must be a prom-client Registry')
  const name = options.name ?? group.name
  if (typeof name !== 'string' || name === '') throw new CortadoError('ERR_INVALID_OPTION', `the group label must be a non-empty string, got ${shown(name)}`)
  let exporter = exporters.get(registry)
  if (!exporter) {
    exporter = new PeerExporter(registry)
    exporters.set(registry, exporter)
  }
  if (exporter.groups.has(name))
    throw new CortadoError('ERR_INVALID_OPTION', `a group named "${name}" is already registered with this registry; give each group its own name`)
  exporter.groups.set(name, group)
  const owner = exporter
  return {
    name,
    unregister: () => {
      if (owner.groups.get(name) !== group) return
      owner.groups.delete(name)
      if (owner.groups.size === 0) {
        owner.stop()
        if (exporters.get(registry) === owner) exporters.delete(registry)
      }
    },
  }
}
