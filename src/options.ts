/** Validation of user options and per-call arguments: every bad input becomes a typed CortadoError. */
import type { CacheOptions, EngineName, PolicyName } from './types.js'
import { CortadoError, shown } from './errors.js'
import * as L from './layout/constants.generated.js'
import { checkKnownKeys } from './option-names.js'

const POLICIES: Record<PolicyName, number> = { adaptive: L.POLICY_ADAPTIVE, clock: L.POLICY_CLOCK }
const ENGINES: readonly EngineName[] = ['wasm', 'native', 'auto']
const KNOWN_OPTIONS = new Set([
  'maxBytes', 'maxEntries', 'ttl', 'codec', 'shards', 'policy', 'name', 'clock', 'seed', 'maxThreads',
  'expectedEntrySize', 'maxEntrySize', 'engine', 'path', 'front',
])

/** The engine's id of a policy name; anything else is ERR_INVALID_OPTION. */
export function policyId(name: unknown = 'adaptive'): number {
  if (typeof name !== 'string' || !Object.hasOwn(POLICIES, name))
    throw new CortadoError('ERR_INVALID_OPTION', `policy must be 'adaptive' or 'clock', got ${shown(name)}`)
  return POLICIES[name as PolicyName]
}

export function checkTtl(ttl: unknown, what: string, code: 'ERR_INVALID_TTL' | 'ERR_INVALID_OPTION' = 'ERR_INVALID_TTL'): number {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)
    throw new CortadoError(code, `${what} must be a finite number of milliseconds >= 0 (0 = no expiry), got ${shown(ttl)}`)
  return ttl
}

export interface NormalizedOptions {
  ttl: number
  policy: number
  seed: number
  clock: () => number
  engine: EngineName
}

export function normalizeOptions(options: CacheOptions<unknown>): NormalizedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new CortadoError('ERR_INVALID_OPTION', `new Cache(options): options must be an object such as { maxBytes: 64 * 1024 * 1024 }, got ${shown(options)}`)
  if ((options as { kind?: unknown }).kind === 'cortado-cache')
    throw new CortadoError('ERR_INVALID_OPTION', 'new Cache(handle): a handle attaches to the cache it came from with Cache.attach(handle)')
  checkKnownKeys(options, KNOWN_OPTIONS, 'new Cache')
  const ttl = options.ttl === undefined ? 0 : checkTtl(options.ttl, 'ttl', 'ERR_INVALID_OPTION')
  if (options.name !== undefined && typeof options.name !== 'string')
    throw new CortadoError('ERR_INVALID_OPTION', 'name must be a string')
  if (options.seed !== undefined && (!Number.isSafeInteger(options.seed) || options.seed < 0))
    throw new CortadoError('ERR_INVALID_OPTION', `seed must be a non-negative safe integer, got ${shown(options.seed)}`)
  const engine = options.engine ?? 'wasm'
  if (!ENGINES.includes(engine))
    throw new CortadoError('ERR_INVALID_OPTION', `engine must be 'wasm', 'native' or 'auto', got ${shown(engine)}`)
  return {
    ttl,
    policy: policyId(options.policy),
    seed: options.seed ?? Math.floor(Math.random() * Number.MAX_SAFE_INTEGER),
    clock: checkClock(options.clock),
    engine,
  }
}

/**
 * The clock option (Date.now when undefined). It is called once here: a clock that returns no finite
 * time >= 0 would make every TTL compare false (NaN) or read as "clock not read" (< 0), i.e. TTLs that
 * silently never expire.
 */
export function checkClock(clock: unknown): () => number {
  if (clock === undefined) return Date.now
  if (typeof clock !== 'function') throw new CortadoError('ERR_INVALID_OPTION', `clock must be a function returning milliseconds, got ${shown(clock)}`)
  const now: unknown = clock()
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0)
    throw new CortadoError('ERR_INVALID_OPTION', `clock must return finite milliseconds >= 0, returned ${shown(now)}`)
  return clock as () => number
}

/** A positive safe integer option; `fallback` when undefined (without one, undefined is refused too). */
export function positiveInteger(value: unknown, name: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw new CortadoError('ERR_INVALID_OPTION', `${name} must be a positive integer, got ${shown(value)}`)
  return value
}

/**
 * The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days). Beyond it setTimeout and
 * setInterval fire after 1 ms, with only a TimeoutOverflowWarning: a load `timeout` of 3e9 failed every
 * load at once, and a `refreshMs` of 3e9 would re-read the peer list every millisecond.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * `ms` (already checked as a number by the option's own rule) if a timer can wait that long; every
 * user-given duration that reaches setTimeout/setInterval goes through here. `hint` ends the message.
 */
export function timerMs(ms: number, name: string, hint = ''): number {
  if (ms > MAX_TIMER_MS)
    throw new CortadoError('ERR_INVALID_OPTION', `${name} must be at most ${MAX_TIMER_MS} ms (Node's timers go no further), got ${ms}${hint}`)
  return ms
}

/** A delay option that becomes a timer: finite, >= 0, at most MAX_TIMER_MS; `fallback` when undefined. */
export function timerDelay(value: unknown, name: string, fallback: number): number {
  return timerMs(nonNegative(value, name, fallback), name)
}

/** A finite number option >= 0; `fallback` when undefined. */
export function nonNegative(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new CortadoError('ERR_INVALID_OPTION', `${name} must be a finite number >= 0, got ${shown(value)}`)
  return value
}
