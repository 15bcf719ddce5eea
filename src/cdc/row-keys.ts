/**
 * Decoded row changes → the invalidations they call for, through the user's row → keys functions.
 *
 * An update drops the keys of the old row and of the new one: when a key column (an email, a slug)
 * changes, both the old key and the new key may be cached. The old row is complete only with REPLICA
 * IDENTITY FULL; otherwise the server sends the old primary key alone (and only when it changed), so
 * the old row is the new one with the old key columns laid over it: keys from other columns of the old
 * row cannot be known, which is why the feed warns about tables without FULL.
 *
 * A `keys` function that throws or returns a bad key costs that row: counted in `keyErrors`, and with
 * `onKeysError: 'clear-table'` the table's keys (its prefixes, or everything) are dropped instead.
 */
import type { Pgoutput } from 'pg-logical-replication'
import { keyError } from '../keys.js'
import type { Row, TableSpec } from './options.js'
import type { Invalidation } from './target.js'

export type RowChange = Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete

export class RowKeyMapper {
  readonly #tables = new Map<string, TableSpec>()
  readonly #clearOnError: boolean
  /** Rows whose keys function threw or returned something that is not a valid key. */
  keyErrors = 0
  /** The last such failure, for stats and the 'warning' event. */
  lastKeyError: Error | undefined

  constructor(tables: readonly TableSpec[], onKeysError: 'count' | 'clear-table') {
    for (const spec of tables) this.#tables.set(`${spec.schema}.${spec.table}`, spec)
    this.#clearOnError = onKeysError === 'clear-table'
  }

  specOf(relation: Pgoutput.MessageRelation): TableSpec | undefined {
    return this.#tables.get(`${relation.schema}.${relation.name}`)
  }

  /** The invalidation for one row change, or undefined for a table the feed does not watch. */
  forChange(change: RowChange): Invalidation | undefined {
    const spec = this.specOf(change.relation)
    if (spec === undefined) return undefined
    const keys = new Set<string>()
    try {
      if (change.tag === 'insert') this.#collect(spec, change.new, keys)
      else if (change.tag === 'delete') this.#collect(spec, change.old ?? change.key ?? {}, keys)
      else {
        const before = change.old ?? (change.key !== null ? { ...change.new, ...definedOnly(change.key) } : undefined)
        if (before !== undefined) this.#collect(spec, before, keys)
        this.#collect(spec, change.new, keys)
      }
    } catch (err) {
      this.keyErrors++
      this.lastKeyError = err instanceof Error ? err : new Error(String(err))
      return this.#clearOnError ? this.forTable(spec, `the keys function of ${spec.name} failed: ${this.lastKeyError.message}`) : undefined
    }
    return keys.size === 0 ? undefined : { kind: 'keys', keys: [...keys] }
  }

  /** Drops everything a table may have cached: its prefixes when declared, else the whole target. */
  forTable(spec: TableSpec, reason: string): Invalidation {
    return spec.prefixes !== undefined ? { kind: 'prefixes', prefixes: spec.prefixes, reason } : { kind: 'all', reason }
  }

  #collect(spec: TableSpec, row: Row, into: Set<string>): void {
    const produced = spec.keys(row)
    if (produced === null || produced === undefined) return
    const keys = typeof produced === 'string' ? [produced] : produced
    if (typeof (keys as Iterable<string>)[Symbol.iterator] !== 'function')
      throw new TypeError(`tables.${spec.name}: keys(row) must return a key, an iterable of keys or nothing`)
    for (const key of keys) {
      const problem = keyError(key, `tables.${spec.name} keys(row)`)
      if (problem !== undefined) throw problem
      into.add(key)
    }
  }
}

/** The key tuple marks non-key columns as undefined; laid over the new row, only real values count. */
function definedOnly(row: Row): Row {
  const out: Row = {}
  for (const [name, value] of Object.entries(row)) if (value !== undefined) out[name] = value
  return out
}
