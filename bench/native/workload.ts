/**
 * The workloads of the native engine's measurements, built the same way (same seeds) in every process
 * that runs them, so each walks the same keys, values and sequences.
 */
import { KEY_BYTES, makeKeys, makeValues, opMix, scatteredZipfIndices, uniformIndices } from '../harness/data.js'

export const KEYS = 100_000
export const VALUE_BYTES = 100
export const ZIPF_S = 0.99
export const SET_FRACTION = 0.1
export const BATCH = 64
/** Sequences wrap with a mask. */
export const SEQUENCE = 1 << 18
export const IN_FLIGHT = 64

export interface Workload {
  keys: string[]
  values: string[]
  /** Uniform over all keys (single and batch gets/sets of keys that are all present). */
  uniform: Uint32Array
  /** Zipf(0.99) over the keys, and which of those operations are sets (the shared-cache workload). */
  zipf: Uint32Array
  ops: Uint8Array
}

export function makeWorkload(): Workload {
  return {
    keys: makeKeys(KEYS),
    values: makeValues(KEYS, 'string', VALUE_BYTES) as string[],
    uniform: uniformIndices(KEYS, SEQUENCE, 0xc0ffee),
    zipf: scatteredZipfIndices(KEYS, ZIPF_S, SEQUENCE, 0xbeef),
    ops: opMix(SEQUENCE, SET_FRACTION, 0xfeed),
  }
}

export { KEY_BYTES }
