/** Validation of the loading layer's options: every bad input becomes a typed CortadoError. */
import { CortadoError, shown } from '../errors.js'
import { checkTtl, positiveInteger, nonNegative, timerDelay, timerMs } from '../options.js'
import { checkKnownKeys } from '../option-names.js'
import type { LoadOptions, WarmOptions, WriteBehindOptions, WriteThroughOptions } from './types.js'
import { emitProcessWarning } from '../process-warning.js'

export const DEFAULT_LEASE_MS = 3000
export const MIN_LEASE_MS = 200

/** LoadOptions with defaults applied; TTLs in ms, `softTtl` undefined when not used. */
export interface ResolvedLoad {
  ttl: number
  softTtl: number | undefined
  staleIfError: number
  negativeTtl: number
  /** X-Fetch beta, 0 when early refresh is off. */
  beta: number
  timeout: number | undefined
  signal: AbortSignal | undefined
  leaseMs: number
  random: () => number
  onRefreshError: LoadOptions['onRefreshError']
  /** Whether loaded values are stored with their loading metadata (soft TTL, load time...). */
  envelope: boolean
}

const LOAD_KEYS = new Set<keyof LoadOptions>([
  'ttl', 'softTtl', 'staleIfError', 'negativeTtl', 'earlyRefresh', 'timeout', 'signal', 'leaseMs', 'random', 'onRefreshError',
])

export function invalid(message: string): CortadoError {
  return new CortadoError('ERR_INVALID_OPTION', message)
}

export function checkObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${what} must be an object, got ${shown(value)}`)
  return value as Record<string, unknown>
}


export function optionalFunction<F>(value: unknown, name: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalid(`${name} must be a function`)
  return value as F | undefined
}

export function checkSignal(value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined
  if (!(value instanceof AbortSignal)) throw invalid(`${name} must be an AbortSignal`)
  return value
}

function checkTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw invalid(`timeout must be a finite number of milliseconds > 0, got ${shown(value)}`)
  return timerMs(value, 'timeout', '; leave it out to wait without a limit')
}

/** Resolves one call's options over the cache's default TTL. */
export function resolveLoadOptions(options: LoadOptions | undefined, cacheTtl: number, what = 'getOrLoad'): ResolvedLoad {
  const o = checkObject(options, `${what} options`)
  checkKnownKeys(o, LOAD_KEYS as ReadonlySet<string>, what)
  const ttl = o.ttl === undefined ? cacheTtl : checkTtl(o.ttl, 'ttl')
  const softTtl = o.softTtl === undefined ? undefined : checkTtl(o.softTtl, 'softTtl')
  if (softTtl !== undefined && ttl > 0 && softTtl > ttl)
    throw new CortadoError('ERR_INVALID_TTL', `softTtl (${softTtl}) must not exceed ttl (${ttl})`)
  const staleIfError = o.staleIfError === undefined ? 0 : checkTtl(o.staleIfError, 'staleIfError')
  const negativeTtl = o.negativeTtl === undefined ? 0 : checkTtl(o.negativeTtl, 'negativeTtl')
  let beta = 0
  const early = o.earlyRefresh
  if (early === true) beta = 1
  else if (typeof early === 'object' && early !== null) {
    const b = (early as { beta?: unknown }).beta
    beta = b === undefined ? 1 : nonNegative(b, 'earlyRefresh.beta', 1)
    if (beta === 0) throw invalid('earlyRefresh.beta must be > 0 (use earlyRefresh: false to turn it off)')
  } else if (early !== undefined && early !== false) {
    throw invalid('earlyRefresh must be a boolean or { beta }')
  }
  const leaseMs = nonNegative(o.leaseMs, 'leaseMs', DEFAULT_LEASE_MS)
  if (leaseMs < MIN_LEASE_MS) throw invalid(`leaseMs must be at least ${MIN_LEASE_MS}, got ${leaseMs}`)
  return {
    ttl, softTtl, staleIfError, negativeTtl, beta,
    timeout: checkTimeout(o.timeout),
    signal: checkSignal(o.signal),
    leaseMs,
    random: optionalFunction<() => number>(o.random, 'random') ?? Math.random,
    onRefreshError: optionalFunction(o.onRefreshError, 'onRefreshError'),
    envelope: softTtl !== undefined || staleIfError > 0 || beta > 0,
  }
}

/** Per-call options over a view's defaults (undefined fields don't override). */
export function mergeLoadOptions(defaults: LoadOptions | undefined, call: LoadOptions | undefined): LoadOptions | undefined {
  if (!defaults) return call
  if (!call) return defaults
  const out: Record<string, unknown> = { ...defaults }
  for (const [k, v] of Object.entries(checkObject(call, 'options'))) if (v !== undefined) out[k] = v
  return out as LoadOptions
}

const WARM_KEYS = new Set([...LOAD_KEYS, 'concurrency', 'onProgress', 'reload'])

export interface ResolvedWarm {
  concurrency: number
  onProgress: WarmOptions['onProgress']
  reload: boolean
  signal: AbortSignal | undefined
  load: LoadOptions
}

export function resolveWarmOptions(options: WarmOptions | undefined): ResolvedWarm {
  const o = checkObject(options, 'warm options')
  checkKnownKeys(o, WARM_KEYS, 'warm')
  const { concurrency, onProgress, reload, signal, ...load } = o
  if (reload !== undefined && typeof reload !== 'boolean') throw invalid('reload must be a boolean')
  return {
    concurrency: positiveInteger(concurrency, 'concurrency', 8),
    onProgress: optionalFunction(onProgress, 'onProgress'),
    reload: reload === true,
    signal: checkSignal(signal),
    load: load as LoadOptions,
  }
}

export function checkStore(store: unknown, what: string): void {
  const s = store as Record<string, unknown> | null
  if (typeof s !== 'object' || s === null || typeof s.load !== 'function' || typeof s.save !== 'function' || typeof s.delete !== 'function')
    throw invalid(`${what}: the store must be an object with load, save and delete functions`)
}

export function resolveWriteThroughOptions(options: WriteThroughOptions | undefined): Required<Pick<WriteThroughOptions, 'onError'>> & WriteThroughOptions {
  const o = checkObject(options, 'writeThrough options')
  checkKnownKeys(o, new Set(['load', 'onError']), 'writeThrough', false)
  checkObject(o.load, 'load')
  return { load: o.load as LoadOptions | undefined, onError: optionalFunction(o.onError, 'onError') ?? warnStoreError }
}

export interface ResolvedWriteBehind {
  load: LoadOptions | undefined
  maxQueue: number
  concurrency: number
  delayMs: number
  onFull: 'wait' | 'throw'
  retries: number
  retryDelayMs: number
  onError: NonNullable<WriteBehindOptions['onError']>
}

export function resolveWriteBehindOptions(options: WriteBehindOptions | undefined): ResolvedWriteBehind {
  const o = checkObject(options, 'writeBehind options')
  checkKnownKeys(o, new Set(['load', 'maxQueue', 'concurrency', 'delayMs', 'onFull', 'retries', 'retryDelayMs', 'onError']), 'writeBehind', false)
  checkObject(o.load, 'load')
  const onFull = o.onFull ?? 'wait'
  if (onFull !== 'wait' && onFull !== 'throw') throw invalid(`onFull must be 'wait' or 'throw', got ${shown(onFull)}`)
  const retries = o.retries === undefined ? 3 : o.retries
  if (typeof retries !== 'number' || !Number.isSafeInteger(retries) || retries < 0)
    throw invalid(`retries must be an integer >= 0, got ${shown(retries)}`)
  return {
    load: o.load as LoadOptions | undefined,
    maxQueue: positiveInteger(o.maxQueue, 'maxQueue', 10_000),
    concurrency: positiveInteger(o.concurrency, 'concurrency', 4),
    delayMs: timerDelay(o.delayMs, 'delayMs', 10),
    onFull,
    retries,
    retryDelayMs: timerDelay(o.retryDelayMs, 'retryDelayMs', 100),
    onError: optionalFunction(o.onError, 'onError') ?? warnStoreError,
  }
}

/** The default failure report: a process warning (visible, never thrown at the caller). */
export function warnStoreError(error: unknown, key: string, operation: string): void {
  const message = error instanceof Error ? error.message : String(error)
  // An ERR_STORE message already names the operation and the key.
  if (error instanceof CortadoError && error.code === 'ERR_STORE') return emitProcessWarning(`cortado: ${message}`, 'CORTADO_STORE')
  emitProcessWarning(`cortado: ${operation} of key ${JSON.stringify(key)} failed: ${message}`, 'CORTADO_STORE')
}
