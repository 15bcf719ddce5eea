/** The cache configurations the operation suites run on, in full and in --quick runs. */
import { KEY_BYTES } from '../harness/data.js'
import type { CacheSpec, ValueKind } from '../peers/types.js'

export function spec(entries: number, valueKind: ValueKind, valueBytes: number): CacheSpec {
  return { entries, valueKind, valueBytes, keyBytes: KEY_BYTES }
}

/** Issue 2's configuration: 16-byte keys, 100-byte string values. */
export const SMALL = spec(100_000, 'string', 100)
export const LARGE = spec(1_000_000, 'string', 100)

/**
 * Strings and Buffers of 100 B and 4 KiB at 100k entries, and 100 B at 1M. Not 4 KiB at 1M: that is
 * 4 GiB of values per copy, more than a default Node heap holds and more than these machines share.
 */
export function fullMatrix(): CacheSpec[] {
  const out: CacheSpec[] = []
  for (const kind of ['string', 'buffer'] as const) {
    for (const bytes of [100, 4096]) out.push(spec(100_000, kind, bytes))
    out.push(spec(1_000_000, kind, 100))
  }
  return out
}
