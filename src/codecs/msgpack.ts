/**
 * MessagePack through msgpackr. Records (msgpackr's shared-structure extension) are off: every value
 * must decode on its own, in any thread, long after the encoder that wrote it is gone.
 *
 * Maps come back as plain objects (msgpackr's `mapsAsObjects`, the usual MessagePack reading), which
 * cannot hold object keys: a value holding a `Map` with an object key would be stored and then fail
 * every read. Such a value is decoded a second time with maps kept as `Map`s, and every map whose keys
 * an object can hold is turned back into an object, so the value reads back as it would have if an
 * object could hold the other keys. The second pass runs only for those values.
 *
 * msgpackr is loaded at the first value that needs it, not when the package is imported: it is a third
 * of the import time of a new worker thread (~30 ms here), and a cache of strings, numbers or bytes
 * never uses it.
 */
import { createRequire } from 'node:module'
import type { Packr } from 'msgpackr'

let packr: Packr | undefined
let mapsAsMaps: Packr | undefined

function load(): Packr {
  const { Packr } = createRequire(import.meta.url)('msgpackr') as typeof import('msgpackr')
  mapsAsMaps = new Packr({ useRecords: false, moreTypes: true, mapsAsObjects: false })
  return (packr = new Packr({ useRecords: false, moreTypes: true }))
}

export function pack(value: unknown): Uint8Array {
  return (packr ?? load()).pack(value)
}

export function unpack(bytes: Uint8Array): unknown {
  try {
    return (packr ?? load()).unpack(bytes)
  } catch (error) {
    if (!isObjectKeyError(error)) throw error
    return objectsWherePossible(mapsAsMaps!.unpack(bytes))
  }
}

/** msgpackr's error for a map key an object cannot hold (its message is the only signal it gives). */
function isObjectKeyError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Invalid property type for record')
}

/** The keys mapsAsObjects turns into property names; anything else keeps its map a Map. */
function isPropertyKey(key: unknown): boolean {
  const type = typeof key
  return key === null || key === undefined || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint'
}

/** Rewrites, in place and depth first, what the first pass would have decoded as objects. */
function objectsWherePossible(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = objectsWherePossible(value[i])
    return value
  }
  if (value instanceof Set) {
    const members = [...value]
    value.clear()
    for (const member of members) value.add(objectsWherePossible(member))
    return value
  }
  if (!(value instanceof Map)) return value
  const entries: [unknown, unknown][] = []
  let allPropertyKeys = true
  for (const [key, entry] of value) {
    const decodedKey = objectsWherePossible(key)
    if (!isPropertyKey(decodedKey)) allPropertyKeys = false
    entries.push([decodedKey, objectsWherePossible(entry)])
  }
  if (!allPropertyKeys) return new Map(entries)
  const object: Record<string, unknown> = {}
  // msgpackr's own reading renames __proto__ so a stored value can't set an object's prototype.
  for (const [key, entry] of entries) object[key === '__proto__' ? '__proto_' : String(key)] = entry
  return object
}
