/**
 * The key stream: Zipf(0.9) popularity over twice as many ids as the cache holds, so ~10% of requests
 * ask for a record outside the cache (a miss, loaded from the origin and set: cache-aside) and the rest
 * spread over the whole cache, as a service's reads do. Popularity ranks map to ids through a fixed
 * bijection, so the hot records are scattered over the id space (and over hash tables and shards)
 * instead of being ids 0, 1, 2...
 */
import { ZipfSampler } from '../workloads/zipf.js'
import { Prng } from '../workloads/prng.js'
import { ITEM_PATH } from './record.js'

export const ZIPF_S = 0.9
/** Ids in the key space per cache entry. */
export const KEY_SPACE_FACTOR = 2
/** Requests in the precomputed stream the load generator cycles through. */
export const STREAM_LENGTH = 1 << 21

/** A prime: rank × SCATTER mod keySpace is a bijection whenever keySpace is not a multiple of it. */
const SCATTER = 1_000_003

export function keySpaceFor(entries: number): number {
  const space = entries * KEY_SPACE_FACTOR
  if (space % SCATTER === 0) throw new RangeError(`key space ${space} is a multiple of ${SCATTER}`)
  return space
}

/** The id of the record of popularity rank `rank` (0 = hottest). */
export function idOfRank(rank: number, keySpace: number): number {
  return (rank * SCATTER) % keySpace
}

/** x⁻¹ mod m (extended Euclid); x and m coprime. */
function inverseMod(x: number, m: number): number {
  let [r0, r1] = [m, x % m]
  let [t0, t1] = [0, 1]
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1)
    ;[r0, r1] = [r1, r0 - q * r1]
    ;[t0, t1] = [t1, t0 - q * t1]
  }
  if (r0 !== 1) throw new RangeError(`${x} has no inverse mod ${m}`)
  return t0 < 0 ? t0 + m : t0
}

/** What rankOfId multiplies by: SCATTER⁻¹ mod keySpace. */
export function scatterInverse(keySpace: number): number {
  return inverseMod(SCATTER % keySpace, keySpace)
}

/** The popularity rank of an id: idOfRank's inverse (exact while id × keySpace < 2^53). */
export function rankOfId(id: number, keySpace: number, inverse = scatterInverse(keySpace)): number {
  return (id * inverse) % keySpace
}

/** Request paths in Zipf order: what every connection of the load generator takes turns reading. */
export function requestPaths(keySpace: number, seed: number, length = STREAM_LENGTH): string[] {
  const rng = new Prng(seed)
  const zipf = new ZipfSampler(keySpace, ZIPF_S)
  const out = new Array<string>(length)
  for (let i = 0; i < length; i++) out[i] = `${ITEM_PATH}${idOfRank(zipf.sample(rng) - 1, keySpace)}`
  return out
}
