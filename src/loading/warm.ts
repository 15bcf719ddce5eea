/**
 * Warm-up: load a list (or stream) of keys before traffic arrives, a bounded number at a time, through
 * the same single-flight loads as getOrLoad (a request for a key being warmed waits for that load).
 * `ready` resolves once every warm-up started so far has finished, for startup and readiness probes.
 */
import type { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import { keyError } from '../keys.js'
import type { Loader, WarmOptions, WarmProgress, WarmResult } from './types.js'
import { resolveLoadOptions, resolveWarmOptions, invalid } from './options.js'
import { stateOf } from './state.js'
import { load } from './get-or-load.js'
import { hashKey } from './flight-table.js'
import { joinFlight, runningFlight, startFlight } from './single-flight.js'
import { aborted } from './errors.js'

export type KeySource = Iterable<string> | AsyncIterable<string>

export function warm<V>(cache: Cache<V>, keys: KeySource, loader: Loader<V>, options?: WarmOptions): Promise<WarmResult> {
  try {
    return start(cache, keys, loader, options)
  } catch (e) {
    return Promise.reject(e)
  }
}

function start<V>(cache: Cache<V>, keys: KeySource, loader: Loader<V>, options?: WarmOptions): Promise<WarmResult> {
  const isIterable = keys !== null && typeof keys === 'object' &&
    (typeof (keys as Iterable<string>)[Symbol.iterator] === 'function' || typeof (keys as AsyncIterable<string>)[Symbol.asyncIterator] === 'function')
  if (!isIterable) throw invalid('warm(keys, loader): keys must be an iterable or async iterable of strings')
  if (typeof loader !== 'function') throw invalid('warm(keys, loader): loader must be a function')
  const state = stateOf(cache)
  const w = resolveWarmOptions(options)
  const o = resolveLoadOptions(w.load, state.cacheTtl, 'warm')
  const started = performance.now()
  const p: WarmProgress = { done: 0, loaded: 0, skipped: 0, missing: 0, failed: 0, key: '' }
  let progressErrors = 0
  const next = serialPuller(keys)

  const one = async (item: unknown): Promise<void> => {
    let error = keyError(item, 'warm')
    const key = item as string
    if (error !== undefined) {
      p.failed++
    } else if (!w.reload && cache.has(key)) {
      p.skipped++
    } else {
      try {
        const value = w.reload
          ? await reloadKey(key)
          : await load(state, cache, key, loader, o)
        if (value === undefined) p.missing++
        else p.loaded++
      } catch (e) {
        error = e instanceof CortadoError ? e : new CortadoError('ERR_LOADER', String(e), { cause: e })
        p.failed++
      }
    }
    p.done++
    if (w.onProgress) {
      try {
        w.onProgress({ ...p, key: String(key), error })
      } catch {
        progressErrors++
      }
    }
  }

  // Reload: skip the read, but still share a load already in progress.
  const reloadKey = async (key: string): Promise<V | undefined> => {
    const flight = runningFlight(state, key) ?? startFlight(state, key, hashKey(key), loader, o, undefined)
    const result = await joinFlight(state, flight, o)
    if (result.ok) return result.value as V | undefined
    throw result.error
  }

  const worker = async (): Promise<void> => {
    for (;;) {
      if (w.signal?.aborted) return
      const item = await next()
      if (item.done) return
      await one(item.value)
    }
  }

  const run = (async (): Promise<WarmResult> => {
    await Promise.all(Array.from({ length: w.concurrency }, worker))
    if (w.signal?.aborted) throw aborted('(warm-up)', w.signal.reason)
    const { loaded, skipped, missing, failed } = p
    return { loaded, skipped, missing, failed, progressErrors, durationMs: performance.now() - started }
  })()
  state.warmups.add(run)
  const forget = () => { state.warmups.delete(run) }
  run.then(forget, forget)
  return run
}

/** Resolves when no warm-up of this cache (in this thread) is running. Never rejects. */
export async function ready<V>(cache: Cache<V>): Promise<void> {
  const state = stateOf(cache)
  while (state.warmups.size > 0) await Promise.allSettled([...state.warmups])
}

/** next() of a (possibly async) iterator, one call at a time, whatever the number of workers. */
function serialPuller(keys: KeySource): () => Promise<IteratorResult<unknown>> {
  const it: Iterator<unknown> | AsyncIterator<unknown> = Symbol.asyncIterator in keys
    ? (keys as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : (keys as Iterable<unknown>)[Symbol.iterator]()
  let chain: Promise<IteratorResult<unknown>> = Promise.resolve({ done: false, value: undefined })
  let finished = false
  return () => {
    chain = chain.then(async () => {
      if (finished) return { done: true, value: undefined }
      let r: IteratorResult<unknown>
      try {
        r = await it.next()
      } catch (e) {
        finished = true
        throw e instanceof CortadoError ? e : new CortadoError('ERR_LOADER', `warm: the key source failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
      }
      if (r.done) finished = true
      return r
    })
    return chain
  }
}
