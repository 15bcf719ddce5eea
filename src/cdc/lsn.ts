/**
 * WAL positions (LSNs). PostgreSQL prints them as two hex halves, `16/B374D848`; they are 64-bit byte
 * offsets into the WAL, so the feed keeps them as bigints to compare and subtract them (lag in bytes).
 */
export type Lsn = bigint

export function parseLsn(text: string): Lsn {
  const slash = text.indexOf('/')
  if (slash < 0) throw new Error(`not an LSN: ${text}`)
  return (BigInt(`0x${text.slice(0, slash)}`) << 32n) | BigInt(`0x${text.slice(slash + 1)}`)
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`
}

/** Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01 (the protocol's timestamps). */
export const PG_EPOCH_MICROS = 946_684_800_000_000n
