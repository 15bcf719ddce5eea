/**
 * What the service serves: one JSON record per id, ~110 bytes, the way a product or user service keeps
 * rows in its cache. The origin (the "database") builds a record from its id, so a miss costs the same
 * for every peer and the load generator needs no data of its own.
 */

/** URL of a record, as the load generator asks for it. */
export const ITEM_PATH = '/item/'

/** Cache key of a record. */
export function itemKey(id: number | string): string {
  return `item:${id}`
}

const UPDATED_EPOCH = 1_764_633_600_000

/**
 * The record as the origin returns it: a JSON string of ~110 bytes (97-116 for ids below 10M; ~114 for
 * the ids of a 1M or 5M cache), decoded from bytes as a database driver decodes a row. Decoding matters:
 * the template below makes a V8 cons string (a rope of its pieces), which kept in a JS cache would hold
 * several times the bytes of the flat string a driver hands over.
 */
export function recordJson(id: number): string {
  const text =
    `{"id":${id},"sku":"S${id.toString(36).padStart(5, '0')}","name":"Item ${id}",` +
    `"price":${(id % 100_000) / 100},"stock":${id % 500},"tags":["t${id % 7}"],"updated":${UPDATED_EPOCH + id}}`
  return Buffer.from(text, 'latin1').toString('latin1')
}

/** Longest key and record for ids below `keySpace`: what a byte-bounded cache is sized for. */
export function recordBytes(keySpace: number): { keyBytes: number; valueBytes: number } {
  const id = keySpace - 1
  return { keyBytes: itemKey(id).length, valueBytes: recordJson(id).length }
}
