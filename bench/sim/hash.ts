/** murmur3's 32-bit finalizer: a full-avalanche bijection on 32-bit integers. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/** The simulator's stand-in for the engine's seeded key hash (keys are dense integer ids). */
export function hashKey(key: number, seed: number): number {
  return mix32((Math.imul(key, 0x9e3779b1) + seed) | 0)
}
