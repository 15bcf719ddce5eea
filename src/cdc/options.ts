/**
 * The change feed's options, checked once at start: anything wrong is an ERR_INVALID_OPTION before a
 * connection is opened, so a typo never leaves a half-created slot behind.
 */
import type { ClientConfig } from 'pg'
import { CortadoError, shown } from '../errors.js'
import { checkKnownKeys } from '../option-names.js'
import { timerMs } from '../options.js'
import type { FeedTarget } from './target.js'

/** A decoded row: column name → value (parsed by pg's type parsers; unchanged TOASTed columns absent). */
export type Row = Record<string, unknown>

/** The cache keys a row stands for. Return every key derived from any column the row's readers use. */
export type RowKeys = (row: Row) => Iterable<string> | string | null | undefined

/** A watched table, when it needs more than a keys function. */
export interface TableOptions {
  /** row → keys to drop. Called with the old row and with the new one on updates. */
  keys: RowKeys
  /**
   * The key prefixes of this table. A TRUNCATE (or a failing `keys`, with `onKeysError: 'clear-table'`)
   * then drops only keys that start with one of them; without prefixes it clears the whole target.
   */
  prefixes?: readonly string[]
}

/** Options of `PostgresChangeFeed.start` (with PostgresChangeFeedHooks): the connection, the slot, the tables and the target. */
export interface PostgresChangeFeedOptions {
  /** A connection string or a `pg` client config. The role needs REPLICATION (or superuser). */
  connection: string | ClientConfig
  /** The logical replication slot (created when missing): lower-case letters, digits and `_`. */
  slot: string
  /** The publication (created when missing, for exactly `tables`; missing tables are added). */
  publication: string
  /** Table name (`users` or `schema.users`) → its row → keys function, or options with prefixes. */
  tables: Record<string, RowKeys | TableOptions>
  /** A Cache, a TieredCache (L2 delete + the bus tells the other instances) or a function. */
  target: FeedTarget
  /**
   * `'full'` runs `ALTER TABLE … REPLICA IDENTITY FULL` on tables that lack it, so deletes and updates
   * carry the whole old row (needed when keys come from columns other than the primary key).
   * `'as-is'` (default) leaves tables alone and warns about those without FULL.
   */
  replicaIdentity?: 'full' | 'as-is'
  /** What a throwing `keys` function costs: always counted in `stats().keyErrors`; `'clear-table'` also drops the table's keys. Default `'count'`. */
  onKeysError?: 'count' | 'clear-table'
  /** Create the slot and the publication when missing (default true); false makes a missing one an error. */
  create?: boolean
  /** Decoded messages held before the socket is paused (backpressure; one network read already
   * received, at most 64 KiB, still lands on top). Default 1024. */
  maxPending?: number
  /** How often the applied position is reported to the server, in ms. Default 1000. */
  statusIntervalMs?: number
  /** How often the slot's retained WAL is read from the server, in ms. Default 5000. */
  lagCheckIntervalMs?: number
  /** A warning (`onWarning`) when the lag in bytes passes this. Default 1 GiB. */
  warnLagBytes?: number
  /** A warning (`onWarning`) when the lag in seconds passes this. Default 60. */
  warnLagSeconds?: number
  /** Reconnect delays after a lost connection: doubled from `min` up to `max` ms. Defaults 100, 5000. */
  reconnectDelayMs?: {
    /** The first delay, ms. */
    min: number
    /** The longest delay, ms. */
    max: number
  }
}

export interface TableSpec {
  /** As given in `tables`. */
  name: string
  schema: string
  table: string
  keys: RowKeys
  prefixes: readonly string[] | undefined
}

export interface ResolvedOptions {
  connection: ClientConfig
  slot: string
  publication: string
  tables: TableSpec[]
  target: FeedTarget
  replicaIdentity: 'full' | 'as-is'
  onKeysError: 'count' | 'clear-table'
  create: boolean
  maxPending: number
  statusIntervalMs: number
  lagCheckIntervalMs: number
  warnLagBytes: number
  warnLagSeconds: number
  reconnectDelayMs: { min: number; max: number }
}

const bad = (message: string) => new CortadoError('ERR_INVALID_OPTION', `PostgresChangeFeed: ${message}`)

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw bad(`${name} must be a positive number, got ${shown(value)}`)
  return value
}

/** A positive delay that becomes a timer. */
const delay = (value: unknown, name: string, fallback: number) => timerMs(positive(value, name, fallback), `PostgresChangeFeed: ${name}`)

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) throw bad(`${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${shown(value)}`)
  return value as T
}

// Slot names are restricted by the server to these; checking here gives the error before connecting.
const SLOT_NAME = /^[a-z0-9_]{1,63}$/
const TABLE_NAME = /^(?:([A-Za-z_][A-Za-z0-9_$]*)\.)?([A-Za-z_][A-Za-z0-9_$]*)$/

function tableSpec(name: string, value: unknown): TableSpec {
  const parts = TABLE_NAME.exec(name)
  if (parts === null) throw bad(`tables: '${name}' is not a table name (letters, digits, _ and $, optionally schema.table)`)
  const schema = parts[1] ?? 'public'
  const table = parts[2]!
  if (typeof value === 'function') return { name, schema, table, keys: value as RowKeys, prefixes: undefined }
  if (value === null || typeof value !== 'object' || typeof (value as TableOptions).keys !== 'function')
    throw bad(`tables.${name} must be a function (row) => keys or { keys, prefixes? }, got ${shown(value)}`)
  checkKnownKeys(value, new Set(['keys', 'prefixes']), `PostgresChangeFeed.start tables.${name}`, false)
  const { keys, prefixes } = value as TableOptions
  if (prefixes !== undefined && (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.some((p) => typeof p !== 'string' || p.length === 0)))
    throw bad(`tables.${name}.prefixes must be a non-empty array of non-empty strings, got ${shown(prefixes)}`)
  return { name, schema, table, keys, prefixes }
}

/** The option names of PostgresChangeFeed.start: its options and its hooks (feed.ts). */
const KNOWN: ReadonlySet<string> = new Set([
  'connection', 'slot', 'publication', 'tables', 'target', 'replicaIdentity', 'onKeysError', 'create', 'maxPending', 'statusIntervalMs',
  'lagCheckIntervalMs', 'warnLagBytes', 'warnLagSeconds', 'reconnectDelayMs', 'onReset', 'onWarning',
])

export function resolveOptions(options: PostgresChangeFeedOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw bad(`options must be an object, got ${shown(options)}`)
  // A misspelled name (warnLagMs, onKeyError...) would leave its default in force without a word.
  checkKnownKeys(options, KNOWN, 'PostgresChangeFeed.start', false)
  for (const hook of ['onReset', 'onWarning'] as const) {
    const f = (options as unknown as Record<string, unknown>)[hook]
    if (f !== undefined && typeof f !== 'function') throw bad(`${hook} must be a function, got ${shown(f)}`)
  }
  const reconnectOption = options.reconnectDelayMs
  if (reconnectOption !== undefined) {
    if (typeof reconnectOption !== 'object' || reconnectOption === null) throw bad(`reconnectDelayMs must be { min, max } in ms, got ${shown(reconnectOption)}`)
    checkKnownKeys(reconnectOption, new Set(['min', 'max']), 'PostgresChangeFeed.start reconnectDelayMs', false)
  }
  const { connection, slot, publication, tables, target } = options
  if (typeof connection !== 'string' && (connection === null || typeof connection !== 'object'))
    throw bad(`connection must be a connection string or a pg client config, got ${shown(connection)}`)
  if (typeof slot !== 'string' || !SLOT_NAME.test(slot)) throw bad(`slot must be 1-63 lower-case letters, digits or _, got ${shown(slot)}`)
  if (typeof publication !== 'string' || publication.length === 0 || publication.length > 63)
    throw bad(`publication must be a name of 1-63 characters, got ${shown(publication)}`)
  if (tables === null || typeof tables !== 'object' || Object.keys(tables).length === 0)
    throw bad(`tables must name at least one table, got ${shown(tables)}`)
  if (typeof target !== 'function' && (target === null || typeof target !== 'object'))
    throw bad(`target must be a Cache, a TieredCache or a function, got ${shown(target)}`)
  if (options.create !== undefined && typeof options.create !== 'boolean') throw bad(`create must be a boolean, got ${shown(options.create)}`)
  const reconnect = options.reconnectDelayMs ?? { min: 100, max: 5000 }
  const min = delay(reconnect.min, 'reconnectDelayMs.min', 100)
  const max = delay(reconnect.max, 'reconnectDelayMs.max', 5000)
  if (max < min) throw bad(`reconnectDelayMs.max (${max}) is below min (${min})`)
  return {
    connection: typeof connection === 'string' ? { connectionString: connection } : { ...connection },
    slot,
    publication,
    tables: Object.entries(tables).map(([name, value]) => tableSpec(name, value)),
    target,
    replicaIdentity: oneOf(options.replicaIdentity, 'replicaIdentity', ['full', 'as-is'], 'as-is'),
    onKeysError: oneOf(options.onKeysError, 'onKeysError', ['count', 'clear-table'], 'count'),
    create: options.create ?? true,
    maxPending: Math.floor(positive(options.maxPending, 'maxPending', 1024)),
    statusIntervalMs: delay(options.statusIntervalMs, 'statusIntervalMs', 1000),
    lagCheckIntervalMs: delay(options.lagCheckIntervalMs, 'lagCheckIntervalMs', 5000),
    warnLagBytes: positive(options.warnLagBytes, 'warnLagBytes', 2 ** 30),
    warnLagSeconds: positive(options.warnLagSeconds, 'warnLagSeconds', 60),
    reconnectDelayMs: { min, max },
  }
}
