/**
 * The key indexes the front tools (front-ab.ts, front-peers.ts) get, in order: uniform over the keys, or
 * Zipf(0.99) ranks (the bench's sampler and skew, as get-zipf) scattered over the key space, so the hot
 * keys are not the first ones filled. Seeded: the same sequence for every contender and round.
 */
import { Prng } from '../workloads/prng.js'
import { ZipfSampler } from '../workloads/zipf.js'

export const SEQUENCE_LENGTH = 1 << 19

export function getSequence(entries: number, zipf: boolean, seed: number): Uint32Array {
  const rng = new Prng(seed)
  const out = new Uint32Array(SEQUENCE_LENGTH)
  if (!zipf) {
    for (let i = 0; i < SEQUENCE_LENGTH; i++) out[i] = rng.nextInt(entries)
    return out
  }
  const perm = Uint32Array.from({ length: entries }, (_, i) => i)
  for (let i = entries - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1)
    const t = perm[i]!; perm[i] = perm[j]!; perm[j] = t
  }
  const sampler = new ZipfSampler(entries, 0.99)
  for (let i = 0; i < SEQUENCE_LENGTH; i++) out[i] = perm[sampler.sample(rng) - 1]!
  return out
}
