/** Small shared pieces of the change-feed tests: polling with a deadline, percentiles, table setup. */
import type pg from 'pg'

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Resolves when `check()` is true; rejects (instead of hanging) after `ms` with `what` in the message. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = 10_000, pollMs = 5): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    // pollMs 0: check again as soon as pending I/O was handled (for latency measurements).
    if (pollMs === 0) await new Promise<void>((r) => setImmediate(r))
    else await sleep(pollMs)
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** A `users` table of `rows` rows (id, email, version) under `name`. */
export async function createUsers(sql: pg.Client, name: string, rows: number): Promise<void> {
  await sql.query(`DROP TABLE IF EXISTS ${name}`)
  await sql.query(`CREATE TABLE ${name} (id int PRIMARY KEY, email text NOT NULL, version int NOT NULL DEFAULT 0)`)
  await sql.query(`INSERT INTO ${name} (id, email) SELECT g, 'u' || g || '@example.com' FROM generate_series(1, $1) g`, [rows])
}

export const userKeys = (prefix: string) => (row: Record<string, unknown>) => [`${prefix}:${row.id}`, `${prefix}-by-email:${row.email}`]
