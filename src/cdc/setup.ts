/**
 * Everything the feed needs on the server before it can stream, over an ordinary (non-replication)
 * connection: logical WAL, the watched tables (and their REPLICA IDENTITY), the publication, the slot.
 * Each refusal the server gives becomes an ERR_REPLICATION naming what to change.
 *
 * The slot is what makes the feed at-least-once across restarts: the server keeps every change after
 * the slot's confirmed position. A slot that is missing (first start, or dropped) or that the server
 * invalidated (it fell behind `max_slot_wal_keep_size`) means changes were missed; `ensureSlot` then
 * recreates it and returns why, and the feed clears what it guards before streaming.
 */
import pg from 'pg'
import { CortadoError } from '../errors.js'
import { parseLsn, type Lsn } from './lsn.js'
import type { ResolvedOptions, TableSpec } from './options.js'

type Client = pg.Client

/** Server error codes the feed tells apart (SQLSTATE). */
const INSUFFICIENT_PRIVILEGE = '42501'
const UNDEFINED_OBJECT = '42704'

function replicationError(message: string, cause?: unknown): CortadoError {
  const detail = cause instanceof Error ? ` (server said: ${cause.message})` : ''
  return new CortadoError('ERR_REPLICATION', `PostgresChangeFeed: ${message}${detail}`, { cause })
}

const sqlState = (err: unknown): string | undefined => (err as { code?: string } | null)?.code

export async function connectControl(options: ResolvedOptions): Promise<Client> {
  const client = new pg.Client(options.connection)
  // A lost control connection is noticed by the next query; an unhandled 'error' would crash the process.
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (err) {
    await client.end().catch(() => {})
    throw replicationError('cannot connect to the database', err)
  }
  return client
}

export async function checkWalLevel(client: Client): Promise<void> {
  const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level')
  if (rows[0]?.wal_level !== 'logical')
    throw replicationError(`the server runs with wal_level=${rows[0]?.wal_level}; logical decoding needs wal_level=logical (postgresql.conf, then a restart)`)
}

const qualified = (spec: TableSpec) => `${pg.escapeIdentifier(spec.schema)}.${pg.escapeIdentifier(spec.table)}`

/**
 * Checks every table exists; with `replicaIdentity: 'full'` sets REPLICA IDENTITY FULL where missing.
 * Returns the tables left without FULL (the feed warns about them).
 */
export async function checkTables(client: Client, options: ResolvedOptions): Promise<TableSpec[]> {
  const partial: TableSpec[] = []
  for (const spec of options.tables) {
    const { rows } = await client.query<{ relreplident: string }>(
      `SELECT c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
      [spec.schema, spec.table],
    )
    if (rows.length === 0) throw replicationError(`tables: ${spec.schema}.${spec.table} does not exist`)
    if (rows[0]!.relreplident === 'f') continue
    if (options.replicaIdentity === 'as-is') {
      partial.push(spec)
      continue
    }
    try {
      await client.query(`ALTER TABLE ${qualified(spec)} REPLICA IDENTITY FULL`)
    } catch (err) {
      throw replicationError(`cannot set REPLICA IDENTITY FULL on ${spec.name} (it takes the table's owner)`, err)
    }
  }
  return partial
}

/** Creates the publication for the tables, or adds the tables an existing one lacks. */
export async function ensurePublication(client: Client, options: ResolvedOptions): Promise<void> {
  const name = pg.escapeIdentifier(options.publication)
  const { rows } = await client.query<{ puballtables: boolean; actions: string }>(
    `SELECT puballtables, concat_ws(',', CASE WHEN NOT pubinsert THEN 'insert' END, CASE WHEN NOT pubupdate THEN 'update' END,
            CASE WHEN NOT pubdelete THEN 'delete' END, CASE WHEN NOT pubtruncate THEN 'truncate' END) AS actions
       FROM pg_publication WHERE pubname = $1`,
    [options.publication],
  )
  let missing = options.tables
  if (rows.length > 0) {
    // A publication that leaves out an action would leave those changes' keys stale, silently.
    if (rows[0]!.actions !== '')
      throw replicationError(`publication ${options.publication} does not publish ${rows[0]!.actions}; the feed needs every action (ALTER PUBLICATION ${options.publication} SET (publish = 'insert, update, delete, truncate'))`)
    if (rows[0]!.puballtables) return
    const published = await client.query<{ schemaname: string; tablename: string }>(
      'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1',
      [options.publication],
    )
    const have = new Set(published.rows.map((r) => `${r.schemaname}.${r.tablename}`))
    missing = options.tables.filter((t) => !have.has(`${t.schema}.${t.table}`))
    if (missing.length === 0) return
  }
  const list = missing.map(qualified).join(', ')
  if (!options.create)
    throw replicationError(`publication ${options.publication} ${rows.length === 0 ? 'does not exist' : `lacks ${list}`} and create is false`)
  const sql = rows.length === 0 ? `CREATE PUBLICATION ${name} FOR TABLE ${list}` : `ALTER PUBLICATION ${name} ADD TABLE ${list}`
  try {
    await client.query(sql)
  } catch (err) {
    const why = sqlState(err) === INSUFFICIENT_PRIVILEGE ? ' (it takes CREATE on the database and ownership of the tables)' : ''
    throw replicationError(`cannot run \`${sql}\`${why}`, err)
  }
}

interface SlotRow {
  plugin: string | null
  slot_type: string
  database: string | null
  wal_status: string | null
  current_db: string
}

/**
 * Makes sure the slot exists and is usable. Returns undefined when it was there, or the reason the
 * changes before now are unknown when it had to be (re)created.
 */
export async function ensureSlot(client: Client, options: ResolvedOptions): Promise<string | undefined> {
  const { rows } = await client.query<SlotRow>(
    `SELECT plugin, slot_type, database, wal_status, current_database() AS current_db
       FROM pg_replication_slots WHERE slot_name = $1`,
    [options.slot],
  )
  const slot = rows[0]
  let reason: string
  if (slot === undefined) {
    reason = `slot ${options.slot} did not exist (first start, or it was dropped): changes before now were never seen`
  } else {
    if (slot.slot_type !== 'logical' || slot.plugin !== 'pgoutput')
      throw replicationError(`slot ${options.slot} exists but is a ${slot.slot_type} slot of plugin ${slot.plugin}; the feed needs a pgoutput slot (drop it or pick another name)`)
    if (slot.database !== slot.current_db)
      throw replicationError(`slot ${options.slot} belongs to database ${slot.database}, not ${slot.current_db}`)
    if (slot.wal_status !== 'lost') return undefined
    reason = `slot ${options.slot} was invalidated by the server (it fell behind max_slot_wal_keep_size): changes were lost`
    await dropSlot(client, options.slot)
  }
  if (!options.create) throw replicationError(`${reason}, and create is false`)
  try {
    await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [options.slot])
  } catch (err) {
    const why =
      sqlState(err) === INSUFFICIENT_PRIVILEGE
        ? ' (the role needs the REPLICATION attribute: ALTER ROLE … WITH REPLICATION)'
        : /max_replication_slots/.test(String(err)) ? ' (raise max_replication_slots, or drop unused slots)' : ''
    throw replicationError(`cannot create replication slot ${options.slot}${why}`, err)
  }
  return reason
}

export async function dropSlot(client: Client, slot: string): Promise<void> {
  try {
    await client.query('SELECT pg_drop_replication_slot($1)', [slot])
  } catch (err) {
    if (sqlState(err) !== UNDEFINED_OBJECT) throw replicationError(`cannot drop replication slot ${slot}`, err)
  }
}

export interface SlotPosition {
  /** The server's current WAL insert position. */
  current: Lsn
  /** How much WAL the slot keeps the server from recycling (current − restart_lsn). */
  retainedBytes: number
}

/** The slot's standing on the server, for lag stats; undefined when the slot is gone. */
export async function readSlotPosition(client: Client, slot: string): Promise<SlotPosition | undefined> {
  const { rows } = await client.query<{ current: string; retained: string | null }>(
    `SELECT pg_current_wal_lsn()::text AS current, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  )
  const row = rows[0]
  if (row === undefined) return undefined
  return { current: parseLsn(row.current), retainedBytes: Number(row.retained ?? 0) }
}
