/**
 * Strict options: every method that takes an options object refuses what it doesn't know, and says
 * what to use instead when the name is another cache's (lru-cache, node-cache, Caffeine-style). A
 * misspelled TTL must fail loudly, not store an entry that never expires.
 */
import { CortadoError, shown } from './errors.js'

const DISPOSE = 'has no equivalent: values live as bytes in shared memory, so there is no object to dispose of; evictions are counted in stats().evictions'
const LOADER = 'use cache.withLoader(loader) for a loading view, or cache.getOrLoad(key, loader)'
const STALE = 'stale values are served by getOrLoad (options softTtl for stale-while-revalidate, staleIfError to serve stale on loader failure)'
const AGE = 'has no equivalent: an entry\'s TTL runs from its set(); how often it is read is kept by the admission policy instead'
const SIZE = 'has no equivalent: an entry\'s size is its encoded bytes, measured by the cache (maxBytes bounds them all)'
const TTL_MS = 'use ttl (milliseconds)'

/** Other caches' option names, and what to do here instead. */
const FOREIGN: Readonly<Record<string, string>> = {
  // lru-cache
  max: 'use maxEntries (lru-cache\'s max), beside the required maxBytes (the arena\'s size: Cache.maxBytesFor(entries, entryBytes) gives it)',
  maxSize: 'use maxBytes (the arena\'s size in bytes; lru-cache\'s maxSize counts sizeCalculation units)',
  maxAge: TTL_MS,
  fetchMethod: LOADER,
  memoMethod: LOADER,
  allowStale: STALE,
  noDeleteOnStaleGet: STALE,
  allowStaleOnFetchRejection: STALE,
  allowStaleOnFetchAbort: STALE,
  noDeleteOnFetchRejection: STALE,
  updateAgeOnGet: AGE,
  updateAgeOnHas: AGE,
  noUpdateTTL: 'has no equivalent: set() always restarts the TTL (read getRemainingTTL() and pass it as { ttl } to keep it)',
  ttlAutopurge: 'has no equivalent: expired entries are reclaimed as the cache runs; purgeStale() removes them all at once',
  ttlResolution: 'has no equivalent: TTLs are compared with the clock at every read',
  perf: 'use clock (a function returning milliseconds)',
  sizeCalculation: SIZE,
  size: SIZE,
  maxEntrySize: 'use maxEntrySize in new Cache(); set() takes only { ttl }',
  dispose: DISPOSE,
  disposeAfter: DISPOSE,
  noDisposeOnSet: DISPOSE,
  onEvict: DISPOSE,
  start: 'has no equivalent: an entry\'s TTL starts at its set()',
  status: 'has no equivalent: counters are in cache.stats()',
  // node-cache
  stdTTL: 'use ttl, in milliseconds (node-cache\'s stdTTL is in seconds)',
  maxKeys: 'use maxEntries (node-cache\'s maxKeys)',
  checkperiod: 'has no equivalent: expired entries are reclaimed as the cache runs; purgeStale() removes them all at once',
  useClones: 'has no equivalent: values are always stored as bytes and read back as fresh copies',
  deleteOnExpire: 'has no equivalent: expired entries are always removed',
  // common spellings of a TTL
  TTL: TTL_MS,
  Ttl: TTL_MS,
  expire: TTL_MS,
  expires: TTL_MS,
  expiresIn: TTL_MS,
  expireAfterWrite: TTL_MS,
  ex: 'use ttl in milliseconds (Redis\'s EX is seconds)',
  px: TTL_MS,
  timeToLive: TTL_MS,
}

/**
 * `unknown option 'key'`, with what to use instead when we know the name from elsewhere. Other caches'
 * names (`foreign`) are hinted only where the options are a cache's own (new Cache, set, getOrLoad):
 * `front: { max }` or `writeBehind: { size }` mean something else, and lru-cache's advice would mislead.
 */
export function unknownOption(where: string, key: string, known: Iterable<string>, foreign = true): CortadoError {
  const hint = foreign && Object.hasOwn(FOREIGN, key) ? FOREIGN[key] : closeMatch(key, known)
  return new CortadoError('ERR_INVALID_OPTION', `${where}: unknown option '${key}'${hint ? `: ${hint}` : ''}`)
}

/** A known name differing only in case, or by one letter: probably a typo of it. */
function closeMatch(key: string, known: Iterable<string>): string | undefined {
  for (const name of known) if (name.toLowerCase() === key.toLowerCase() || editDistanceIsOne(name, key)) return `did you mean '${name}'?`
  return undefined
}

function editDistanceIsOne(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1)
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

/**
 * The options argument of `where`: undefined, or a plain object whose keys are all in `known`. A number
 * (node-cache's `set(key, value, ttlSeconds)`) or anything else gets an error that shows the right form.
 * `foreign: false` as in checkKnownKeys.
 */
export function checkOptions(value: unknown, where: string, known: ReadonlySet<string>, example: string, foreign = true): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const number = typeof value === 'number' ? ` (node-cache's ttl-in-seconds argument is { ttl: milliseconds } here)` : ''
    throw new CortadoError('ERR_INVALID_OPTION', `${where}: options must be an object such as ${example}, got ${shown(value)}${number}`)
  }
  checkKnownKeys(value, known, where, foreign)
  return value as Record<string, unknown>
}

/**
 * Throws for the first own key of `value` that `known` lacks, with the name to use instead. `for...in`
 * rather than `Object.keys`: `set(k, v, { ttl })` runs this on every call, and it should not allocate.
 * `foreign: false` for options that are not a cache's own (see unknownOption).
 */
export function checkKnownKeys(value: object, known: ReadonlySet<string>, where: string, foreign = true): void {
  for (const key in value) if (Object.hasOwn(value, key) && !known.has(key)) throw unknownOption(where, key, known, foreign)
}

/**
 * For methods that take no options: a second argument is someone else's API (e.g. get(k, { allowStale })).
 * `hint` (after a colon) says where such an option goes instead, when the method has a place for it.
 */
export function noOptions(where: string, value: unknown, hint?: string): CortadoError {
  const to = hint === undefined ? '' : `: ${hint}`
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const key = Object.keys(value)[0]
    if (key !== undefined) return new CortadoError('ERR_INVALID_OPTION', `${where} takes no options; got '${key}'${Object.hasOwn(FOREIGN, key) ? `: ${FOREIGN[key]}` : to}`)
  }
  return new CortadoError('ERR_INVALID_OPTION', `${where} takes no options, got ${shown(value)}${to}`)
}
