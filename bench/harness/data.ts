/**
 * Keys, values and index sequences shared by all peers of a measurement. Everything is generated before
 * timing starts, so the timed loops only index arrays, and every peer walks the same sequence.
 */
import { Prng } from '../workloads/prng.js'
import { ZipfSampler } from '../workloads/zipf.js'
import type { Value, ValueKind } from '../peers/types.js'

export const KEY_BYTES = 16

/** The smallest power of two ≥ n, so the loops can wrap with a mask instead of a modulo. */
export function nextPow2(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

/**
 * `count` distinct 16-byte ASCII keys. The prefix separates key spaces (e.g. keys that are never stored,
 * for misses); the rest is the index in base 36, zero-padded.
 */
export function makeKeys(count: number, prefix = 'k'): string[] {
  const keys = new Array<string>(count)
  for (let i = 0; i < count; i++) keys[i] = keyOf(i, prefix)
  return keys
}

/** Key number i of a key space (makeKeys' keys[i]), built anew on each call as a request handler builds its key. */
export function keyOf(i: number, prefix = 'k'): string {
  return prefix + i.toString(36).padStart(KEY_BYTES - prefix.length, '0')
}

/**
 * `count` distinct values of exactly `bytes` bytes, each tagged with its index. Strings are made from
 * a Buffer (latin1), so they are flat one-byte strings like those a service reads off a socket, not
 * cons-strings that share a common tail (which would make every JS peer look smaller than it is).
 */
export function makeValues(count: number, kind: ValueKind, bytes: number): Value[] {
  const template = Buffer.alloc(bytes, 'abcdefghijklmnopqrstuvwxyz0123456789')
  const values = new Array<Value>(count)
  for (let i = 0; i < count; i++) {
    template.write(i.toString(36).padStart(8, '0'), 0, 'latin1')
    values[i] = kind === 'string' ? template.toString('latin1') : Buffer.from(template)
  }
  return values
}

/** `count` indices uniform in [0, range). */
export function uniformIndices(range: number, count: number, seed: number): Uint32Array {
  const rng = new Prng(seed)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) out[i] = rng.nextInt(range)
  return out
}

/** `count` indices in [0, range) following Zipf(s): index 0 is the hottest. */
export function zipfIndices(range: number, s: number, count: number, seed: number): Uint32Array {
  const rng = new Prng(seed)
  const zipf = new ZipfSampler(range, s)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) out[i] = zipf.sample(rng) - 1
  return out
}

/**
 * Zipf ranks mapped through a fixed random permutation, so the hot keys are scattered over the key pool
 * (and over a hash table's buckets and shards) instead of being the first few keys created. Sequences
 * with different seeds share the permutation (the same keys are hot) unless given another.
 */
export function scatteredZipfIndices(range: number, s: number, count: number, seed: number, permutationSeed = 0x5bd1e995): Uint32Array {
  const ranks = zipfIndices(range, s, count, seed)
  const perm = permutation(range, permutationSeed)
  for (let i = 0; i < count; i++) ranks[i] = perm[ranks[i]!]!
  return ranks
}

/** A random permutation of [0, n) (Fisher–Yates). */
export function permutation(n: number, seed: number): Uint32Array {
  const rng = new Prng(seed)
  const out = new Uint32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1)
    const t = out[i]!
    out[i] = out[j]!
    out[j] = t
  }
  return out
}

/** An op-type sequence: 1 = set with probability `setFraction`, else 0 = get. */
export function opMix(count: number, setFraction: number, seed: number): Uint8Array {
  const rng = new Prng(seed)
  const out = new Uint8Array(count)
  for (let i = 0; i < count; i++) out[i] = rng.nextFloat() < setFraction ? 1 : 0
  return out
}
