/**
 * Loader failures as CortadoErrors, and their plain-data form: a failure crosses threads (to waiters in
 * other workers) and lives in negative-cache entries, so it must survive without its prototype.
 */
import { CortadoError } from '../errors.js'

import type { SerializedError } from '../codecs/envelope.js'
export { isSerializedError, type SerializedError } from '../codecs/envelope.js'

const quote = (key: string) => JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key)

export function loaderFailed(key: string, cause: unknown): CortadoError {
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new CortadoError('ERR_LOADER', `loader for key ${quote(key)} failed: ${detail}`, { cause })
}

/**
 * A store's save or delete that failed, as a loader's failure is ERR_LOADER: write-through rejects with
 * it and write-behind reports it to onError, so a handler sees one shape for both. A CortadoError the
 * store threw itself (e.g. a LogStore's ERR_IO) is kept as it is. `detail` says what was tried.
 */
export function storeFailed(operation: 'save' | 'delete', key: string, cause: unknown, detail = ''): unknown {
  if (cause instanceof CortadoError) return cause
  const message = cause instanceof Error ? cause.message : String(cause)
  return new CortadoError('ERR_STORE', `the store's ${operation} of key ${quote(key)} failed${detail}: ${message}`, { cause })
}

export function timedOut(key: string, ms: number): CortadoError {
  return new CortadoError('ERR_TIMEOUT', `getOrLoad of key ${quote(key)} timed out after ${ms} ms`)
}

export function aborted(key: string, reason: unknown): CortadoError {
  return new CortadoError('ERR_ABORTED', `getOrLoad of key ${quote(key)} was aborted`, { cause: reason })
}

/**
 * getOrLoad of a key from the synchronous part of that key's own loader: it would wait for its own
 * result (and, joining a load whose promise does not exist yet, it failed with an internal TypeError).
 */
export function loadsItself(key: string): CortadoError {
  return new CortadoError('ERR_LOADER', `getOrLoad of key ${quote(key)} was called by that key's own loader, which would wait for its own result`)
}

/** What a waiter in another thread gets when the loader's thread could not send the error itself. */
export function failedElsewhere(key: string): CortadoError {
  return new CortadoError('ERR_LOADER', `loader for key ${quote(key)} failed in another thread (its error did not arrive)`)
}

export function serializeError(error: CortadoError): SerializedError {
  const out: SerializedError = { code: error.code, message: error.message }
  const c = error.cause
  if (c !== undefined) {
    const e = c instanceof Error ? c : undefined
    const code = e && (e as { code?: unknown }).code
    out.cause = {
      name: e ? e.name : typeof c,
      message: e ? e.message : String(c),
      stack: e?.stack,
      code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    }
  }
  return out
}

export function reviveError(s: SerializedError): CortadoError {
  let cause: Error | undefined
  if (s.cause) {
    cause = new Error(s.cause.message)
    cause.name = s.cause.name
    if (s.cause.stack !== undefined) cause.stack = s.cause.stack
    if (s.cause.code !== undefined) (cause as Error & { code?: unknown }).code = s.cause.code
  }
  return new CortadoError(s.code, s.message, cause ? { cause } : undefined)
}
