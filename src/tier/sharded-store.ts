/**
 * One `RemoteStore` over several independent servers (memcached nodes, standalone Redis instances),
 * each key living on the node a `HashRing` picks for it.
 *
 * A batch is split per node and the per-node batches run concurrently, so a getMany over N nodes costs
 * one round trip to each. When some nodes fail, the batch rejects with a `RemotePartialError` that
 * still carries what the healthy nodes returned: with one node of ten down, a caller keeps 90% of
 * its hits instead of losing the whole batch.
 */
import { CortadoError } from '../errors.js'
import { checkOptions } from '../option-names.js'
import { HashRing, type HashRingOptions } from './hash-ring.js'
import {
  RemotePartialError,
  type RemoteEntry,
  type RemoteSetEntry,
  type RemoteStore,
} from './remote-store.js'

/** Options of `new ShardedStore(options)`. */
export interface ShardedStoreOptions {
  /**
   * The nodes by name. The names place the nodes on the ring, so use stable ones (e.g. `host:port`):
   * every process must use the same names to route keys alike.
   */
  nodes: Record<string, RemoteStore> | Map<string, RemoteStore>
  /** Ring settings (virtual nodes, probes, seed); every process must use the same. */
  ring?: HashRingOptions
  /** Name in error messages and metrics. Default `'sharded'`. */
  name?: string
}

export class ShardedStore implements RemoteStore {
  readonly name: string
  /** The ring that routes each key to a node. */
  readonly ring: HashRing
  readonly #stores: Map<string, RemoteStore>

  constructor(options: ShardedStoreOptions) {
    checkOptions(options, 'new ShardedStore', new Set(['nodes', 'ring', 'name']), '{ nodes: { a: storeA, b: storeB } }', false)
    if (typeof options?.nodes !== 'object' || options.nodes === null) throw new CortadoError('ERR_INVALID_OPTION', 'new ShardedStore needs { nodes }: the stores by name')
    this.#stores = new Map(options.nodes instanceof Map ? options.nodes : Object.entries(options.nodes))
    if (this.#stores.size === 0) throw new CortadoError('ERR_INVALID_OPTION', 'ShardedStore needs at least one node')
    this.name = options.name ?? 'sharded'
    this.ring = new HashRing(this.#stores.keys(), options.ring)
  }

  /** Adds a node; the keys the ring now gives it start as misses there. */
  addNode(name: string, store: RemoteStore, weight = 1): void {
    this.ring.add(name, weight)
    this.#stores.set(name, store)
  }

  /** Removes a node (without closing it) and returns it; its keys now go to the others. */
  removeNode(name: string): RemoteStore | undefined {
    const store = this.#stores.get(name)
    if (store === undefined) return undefined
    if (this.#stores.size === 1) throw new CortadoError('ERR_INVALID_OPTION', 'cannot remove the last node')
    this.ring.remove(name)
    this.#stores.delete(name)
    return store
  }

  /** The store that holds `key`. */
  nodeFor(key: string): RemoteStore {
    return this.#stores.get(this.ring.locate(key)!)!
  }

  /** True while at least one node can serve: keys of a failed node fail on their own. */
  get available(): boolean {
    for (const store of this.#stores.values()) if (store.available) return true
    return false
  }

  get(key: string): Promise<RemoteEntry | undefined> {
    return this.nodeFor(key).get(key)
  }

  async getMany(keys: readonly string[]): Promise<(RemoteEntry | undefined)[]> {
    const groups = this.#group(keys, (key) => key)
    const values: (RemoteEntry | undefined)[] = new Array(keys.length).fill(undefined)
    const failures = await this.#perNode(groups, async (store, group) => {
      const found = await store.getMany(group.items)
      group.positions.forEach((at, i) => (values[at] = found[i]))
    })
    if (failures.length > 0) {
      throw new RemotePartialError(
        `${this.name}: ${failures.length} of ${groups.size} nodes failed`,
        values,
        failures.flatMap((f) => f.keys),
        { cause: new AggregateError(failures.map((f) => f.error)) },
      )
    }
    return values
  }

  set(key: string, value: Uint8Array, ttl?: number): Promise<void> {
    return this.nodeFor(key).set(key, value, ttl)
  }

  async setMany(entries: readonly RemoteSetEntry[]): Promise<void> {
    const groups = this.#group(entries, (entry) => entry.key)
    const failures = await this.#perNode(groups, (store, group) => store.setMany(group.items))
    if (failures.length > 0) {
      throw new CortadoError('ERR_REMOTE', `${this.name}: ${failures.length} of ${groups.size} nodes failed`, {
        cause: new AggregateError(failures.map((f) => f.error)),
      })
    }
  }

  delete(key: string): Promise<boolean> {
    return this.nodeFor(key).delete(key)
  }

  /** Closes every node (each closes only the connections it opened itself). */
  async close(): Promise<void> {
    await Promise.all([...this.#stores.values()].map((store) => store.close()))
  }

  #group<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, Group<T>> {
    const groups = new Map<string, Group<T>>()
    items.forEach((item, at) => {
      const node = this.ring.locate(keyOf(item))!
      let group = groups.get(node)
      if (group === undefined) groups.set(node, (group = { items: [], keys: [], positions: [] }))
      group.items.push(item)
      group.keys.push(keyOf(item))
      group.positions.push(at)
    })
    return groups
  }

  async #perNode<T>(
    groups: Map<string, Group<T>>,
    run: (store: RemoteStore, group: Group<T>) => Promise<void>,
  ): Promise<{ keys: string[]; error: unknown }[]> {
    const failures: { keys: string[]; error: unknown }[] = []
    await Promise.all(
      [...groups].map(([node, group]) =>
        run(this.#stores.get(node)!, group).catch((error: unknown) => {
          failures.push({ keys: group.keys, error })
        }),
      ),
    )
    return failures
  }
}

interface Group<T> {
  items: T[]
  keys: string[]
  positions: number[]
}
