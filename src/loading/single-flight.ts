/**
 * Single-flight: one load per key at a time. In this thread, callers of a key share one Flight (one
 * promise); across threads, the Flight claims the key in the arena's FLIGHT table (flight-table.ts)
 * or waits for the thread that did. A Flight is driven to one of: this thread loaded the key (and
 * stored the result, which releases the other threads' waiters), another thread loaded it (the value
 * is read from the cache), or the load failed (the same error for every caller, in every thread).
 *
 * Giving up: a caller's abort or timeout only ends its own wait (caller.ts). When the last caller of a
 * Flight leaves, the loader's signal is aborted — unless other threads wait for this thread's load —
 * and the Flight leaves the map so later callers start afresh.
 */
import { CortadoError } from '../errors.js'
import * as L from '../layout/constants.generated.js'
import type { Loader } from './types.js'
import type { ResolvedLoad } from './options.js'
import type { LoadingState } from './state.js'
import { startBeating, type Entered, type KeyHash, type Outcome } from './flight-table.js'
import { errorChannel, flightName } from './error-channel.js'
import { aborted, failedElsewhere, loaderFailed, reviveError, serializeError } from './errors.js'
import { encodeErrorEnvelope, encodeValueEnvelope } from '../codecs/envelope.js'
import { readEntry } from './read.js'
import { waitAsCaller } from './caller.js'
import type { GenNote } from '../engine/write-gens.js'

export type FlightResult = { ok: true; value: unknown } | { ok: false; error: unknown }

type Claim = { slot: number; id: number }

export class Flight {
  readonly key: string
  readonly hash: KeyHash
  readonly controller = new AbortController()
  /** Background refresh: nobody waits for it, it is never abandoned. */
  readonly background: boolean
  /** Not yet set while startFlight runs, the loader's synchronous part included (see get-or-load.ts). */
  promise!: Promise<FlightResult>
  callers = 0
  settled = false
  /** The key was written or invalidated during the load: the (older) result must not be stored. */
  superseded = false
  /** Its bucket's write generation when it started: writes in other threads supersede it through that. */
  note: GenNote | undefined
  /** The table slot this thread owns while its loader runs. */
  claim: Claim | undefined
  /** Stops the claim's heartbeat (set while the loader runs with a claim). */
  stopBeating: (() => void) | undefined
  loading = false
  /**
   * Every caller gave up: it stays in the map until its loader settles (so that writes still supersede
   * it), but no caller joins it; the next caller starts a new Flight, which supersedes it.
   */
  abandoned = false

  constructor(key: string, hash: KeyHash, background: boolean) {
    this.key = key
    this.hash = hash
    this.background = background
  }
}

/**
 * Starts a Flight for a key and registers it. `first` is a table entry the caller already made
 * (background refreshes claim synchronously, so they never start when another thread loads the key).
 */
export function startFlight<V>(state: LoadingState, key: string, hash: KeyHash, loader: Loader<V>, o: ResolvedLoad,
  stale: V | undefined, first?: Entered): Flight {
  const flight = new Flight(key, hash, first !== undefined)
  // Only an abandoned Flight can be there: its loader may still resolve, with an older value than ours.
  const previous = state.flights.get(key)
  if (previous !== undefined) previous.superseded = true
  state.flights.set(key, flight)
  // Before the loader is called: a write anywhere from now on keeps its result out of the cache.
  const gens = state.core.writeGens
  const note = flight.note = gens.startLoad(key)
  flight.promise = drive(state, flight, loader as Loader<unknown>, o, stale, first)
    .catch((error: unknown): FlightResult => ({ ok: false, error }))
    .then((result) => {
      gens.endLoad(note)
      flight.settled = true
      if (state.flights.get(key) === flight) state.flights.delete(key)
      return result
    })
  return flight
}

/** The Flight of `key` a caller may join: a load in progress here, not one every caller gave up. */
export function runningFlight(state: LoadingState, key: string): Flight | undefined {
  const flight = state.flights.get(key)
  return flight !== undefined && !flight.abandoned ? flight : undefined
}

/** One caller's wait on a Flight (bounded by its own signal and timeout). */
export async function joinFlight(state: LoadingState, flight: Flight, o: ResolvedLoad): Promise<FlightResult> {
  flight.callers++
  try {
    return await waitAsCaller(flight.promise, flight.key, o.signal, o.timeout)
  } finally {
    flight.callers--
    // A background refresh nobody waits for runs on its own; once callers waited for it (the value went
    // past its hard TTL), it is their load and is abandoned as theirs: a refresh that hangs held the
    // key for good, every later caller joining it and timing out.
    if (flight.callers === 0 && !flight.settled && !flight.abandoned) abandon(state, flight)
  }
}

function abandon(state: LoadingState, flight: Flight): void {
  // Other threads waiting for this thread's loader still want its result.
  if (flight.loading && flight.claim && state.table.waiters(flight.claim.slot) > 0) return
  flight.abandoned = true
  flight.controller.abort(new CortadoError('ERR_ABORTED', 'every caller of this load gave up'))
  // The key's slot in the table too: a loader that ignores its signal would otherwise keep it (and
  // its heartbeat) for as long as it hangs, and every later load of the key, here or in another
  // thread, would wait for it. A value it still resolves is stored all the same (runLoader).
  if (flight.claim) {
    flight.stopBeating?.()
    state.table.release(flight.claim.slot, flight.claim.id, L.FLIGHT_OUTCOME_ABANDONED)
  }
}

/** Marks the key's load in this thread (if any) so its result is not stored over a newer write. */
export function supersede(state: LoadingState, key: string): void {
  const flight = state.flights.get(key)
  if (flight) flight.superseded = true
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function drive(state: LoadingState, flight: Flight, loader: Loader<unknown>, o: ResolvedLoad, stale: unknown,
  first: Entered | undefined): Promise<FlightResult> {
  let entered = first
  for (;;) {
    const signal = flight.controller.signal
    if (signal.aborted) return { ok: false, error: aborted(flight.key, signal.reason) }
    const e = entered ?? state.table.enter(flight.hash, o.leaseMs)
    entered = undefined
    if (e.type === 'busy') {
      // Another thread is claiming or releasing a slot of this key's window: microseconds.
      await pause(1)
      continue
    }
    if (e.type === 'full') return runLoader(state, flight, loader, o, stale, undefined)
    if (e.type === 'owner') return runLoader(state, flight, loader, o, stale, e)
    const result = await waitForThread(state, flight, e.slot, e.id, loader, o, stale)
    if (result) return result
  }
}

/** Waits for another thread's load of the key; undefined = start over (load it, or wait again). */
async function waitForThread(state: LoadingState, flight: Flight, slot: number, id: number, loader: Loader<unknown>,
  o: ResolvedLoad, stale: unknown): Promise<FlightResult | undefined> {
  const channel = errorChannel(state.instanceId)
  // Listen before registering as a waiter: the loader's thread sends its error only to registered waiters.
  channel.join()
  try {
    const w = await state.table.wait(slot, id, flight.hash, o.leaseMs, flight.controller.signal)
    switch (w.type) {
      case 'retry': return undefined
      case 'abandoned': return { ok: false, error: aborted(flight.key, flight.controller.signal.reason) }
      case 'owner': return runLoader(state, flight, loader, o, stale, { slot, id })
    }
    switch (w.outcome) {
      case L.FLIGHT_OUTCOME_STORED: {
        const r = readEntry(state.core, flight.key)
        // Gone already (evicted, or overwritten by a failure): load it again.
        return r.type === 'value' ? { ok: true, value: r.value } : undefined
      }
      case L.FLIGHT_OUTCOME_UNDEFINED: return { ok: true, value: undefined }
      case L.FLIGHT_OUTCOME_FAILED: {
        const error = await channel.take(flightName(slot, id, w.done))
        return { ok: false, error: error ? reviveError(error) : failedElsewhere(flight.key) }
      }
      // The value could not be stored (too large, refused by admission): it can't reach us through the
      // cache, so every waiter loads it itself (in parallel, not one after another through the table).
      case L.FLIGHT_OUTCOME_NOT_STORED: return runLoader(state, flight, loader, o, stale, undefined)
      default: return undefined
    }
  } finally {
    channel.leave()
  }
}

function count(state: LoadingState, counter: 'loadSuccesses' | 'loadFailures' | 'loadTimeMs' | 'refreshes' | 'loadsNotStored', delta = 1): void {
  if (!state.core.closed) state.core.count(counter, delta)
}

async function runLoader(state: LoadingState, flight: Flight, loader: Loader<unknown>, o: ResolvedLoad, stale: unknown,
  claim: Claim | undefined): Promise<FlightResult> {
  const cache = state.cache
  const key = flight.key
  flight.claim = claim
  flight.loading = true
  const stopBeating = claim ? startBeating(state.table, claim.slot, claim.id) : undefined
  flight.stopBeating = stopBeating
  if (flight.background) count(state, 'refreshes')
  const t0 = performance.now()
  let value: unknown
  let failure: unknown
  let failed = false
  try {
    value = await loader(key, { signal: flight.controller.signal, staleValue: stale })
  } catch (e) {
    failed = true
    failure = e
  } finally {
    stopBeating?.()
  }
  const ms = performance.now() - t0
  count(state, 'loadTimeMs', ms)
  let outcome: Outcome
  let result: FlightResult
  let error: CortadoError | undefined
  if (!failed) {
    count(state, 'loadSuccesses')
    result = { ok: true, value }
    if (value === undefined) {
      // "No such key" replaces the value being refreshed.
      if (stale !== undefined && !cache.closed) storeUnlessWritten(state, flight, () => cache.delete(key))
      outcome = L.FLIGHT_OUTCOME_UNDEFINED
    } else {
      try {
        let stored = false
        if (!storeUnlessWritten(state, flight, () => { stored = storeValue(state, key, value, o, ms) })) outcome = L.FLIGHT_OUTCOME_NOT_STORED
        else if (stored) outcome = L.FLIGHT_OUTCOME_STORED
        else {
          // Too large (the cache warns once) or refused by the policy: returned, but not cached.
          count(state, 'loadsNotStored')
          outcome = L.FLIGHT_OUTCOME_NOT_STORED
        }
      } catch (e) {
        // The loader produced something the codec can't store (ERR_INVALID_VALUE), or the cache closed.
        const failure = e instanceof CortadoError ? e : loaderFailed(key, e)
        result = { ok: false, error: failure }
        if (cache.closed) {
          // Only this thread's attachment closed: its callers get ERR_CLOSED, but waiters in other
          // threads, whose caches are open, start over (one of them loads) instead of sharing it.
          outcome = L.FLIGHT_OUTCOME_ABANDONED
        } else {
          error = failure
          outcome = L.FLIGHT_OUTCOME_FAILED
        }
      }
    }
  } else {
    count(state, 'loadFailures')
    if (flight.controller.signal.aborted) {
      // Failed because we aborted it (nobody waited): not an error to share or to cache.
      outcome = L.FLIGHT_OUTCOME_ABANDONED
      result = { ok: false, error: aborted(key, flight.controller.signal.reason) }
    } else {
      error = loaderFailed(key, failure)
      result = { ok: false, error }
      outcome = L.FLIGHT_OUTCOME_FAILED
      // Negative caching, unless a stale value is kept to be served on errors instead.
      if (o.negativeTtl > 0 && !(stale !== undefined && o.staleIfError > 0) && !cache.closed) {
        const envelope = encodeErrorEnvelope(serializeError(error), ms)
        storeUnlessWritten(state, flight, () => state.core.setRaw(key, L.KIND_LOADED, envelope, o.negativeTtl))
      }
    }
  }
  if (claim) {
    const shared = error
    state.table.release(claim.slot, claim.id, outcome, (waiters, done) => {
      if (shared && waiters > 0) errorChannel(state.instanceId).send(flightName(claim.slot, claim.id, done), serializeError(shared))
    })
  }
  return result
}

/**
 * Runs the store of a load's result (its value, its failure, or the delete of the value it refreshed)
 * unless the key was written since the load started: through this Cache object (`superseded`), or
 * anywhere else, another thread, Cache object or process (the bucket's write generation moved, see
 * src/engine/write-gens.ts, which also holds those writes off while the store runs). False if not run.
 */
function storeUnlessWritten(state: LoadingState, flight: Flight, store: () => void): boolean {
  if (flight.superseded) return false
  if (flight.note === undefined) store()
  else if (!state.core.writeGens.storeIfUnwritten(flight.note, store)) {
    flight.superseded = true
    return false
  }
  return true
}

/**
 * Stores a loaded (or written-through) value: plain, or with its metadata when soft TTL, staleIfError or
 * X-Fetch need it. `loadMs` 0 = unknown (no early refresh until the next load measures it).
 */
export function storeValue(state: LoadingState, key: string, value: unknown, o: ResolvedLoad, loadMs: number): boolean {
  const cache = state.cache
  if (!o.envelope) return cache.set(key, value, { ttl: o.ttl })
  const now = state.clock()
  const soft = o.softTtl === undefined ? Infinity : now + o.softTtl
  const hard = o.ttl > 0 ? now + o.ttl : Infinity
  // The entry outlives its hard TTL by staleIfError, to be served when reloading fails.
  const storageTtl = o.ttl > 0 ? o.ttl + o.staleIfError : 0
  const { kind, bytes } = state.core.encode(value)
  return state.core.setRaw(key, L.KIND_LOADED, encodeValueEnvelope(kind, bytes, loadMs, soft, hard), storageTtl)
}
