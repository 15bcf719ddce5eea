/**
 * What makes a key valid, checked without writing it: a string of at most MAX_KEY_BYTES UTF-8 bytes,
 * well-formed UTF-16 (no lone surrogate). The hot path checks the same while writing the key into the
 * arena (text.ts writeUtf8) and uses the errors below.
 */
import { CortadoError } from './errors.js'
import * as L from './layout/constants.generated.js'

/** Throws the ERR_INVALID_KEY a bad key gets; `where` names the call. */
export function checkKey(key: unknown, where?: string): asserts key is string {
  const error = keyError(key, where)
  if (error !== undefined) throw error
}

/** The ERR_INVALID_KEY a bad key gets, or undefined for a good one (for callers that count failures). */
export function keyError(key: unknown, where?: string): CortadoError | undefined {
  if (typeof key !== 'string') return invalidKeyType(key, where)
  if (!key.isWellFormed()) return notWellFormed(key)
  if (key.length * 3 > L.MAX_KEY_BYTES && Buffer.byteLength(key) > L.MAX_KEY_BYTES) return keyTooLong(key)
  return undefined
}

/** The error every API that takes a key gives a key that is not a string (`where` names the call). */
export function invalidKeyType(key: unknown, where?: string): CortadoError {
  return new CortadoError('ERR_INVALID_KEY', `${where ? `${where}: ` : ''}keys must be strings, got ${key === null ? 'null' : typeof key}`)
}

export function keyTooLong(key: string): CortadoError {
  return new CortadoError('ERR_INVALID_KEY', `key of ${Buffer.byteLength(key)} UTF-8 bytes exceeds the maximum of ${L.MAX_KEY_BYTES}`)
}

/** A lone surrogate has no UTF-8 form: written as U+FFFD, 'a\uD800' and 'a\uDC00' would be one key. */
export function notWellFormed(key: string): CortadoError {
  const at = [...key].findIndex((ch) => !ch.isWellFormed())
  return new CortadoError('ERR_INVALID_KEY', `key has a lone surrogate at code point ${at} (not well-formed UTF-16), which UTF-8 cannot represent`)
}
