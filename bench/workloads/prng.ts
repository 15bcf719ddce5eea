/**
 * xoshiro128** — a small, fast, seedable PRNG with 32-bit output. Every generator and every
 * randomized policy takes one of these so runs are reproducible from a printed seed.
 */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    // splitmix32 expands one 32-bit seed into four state words; xoshiro must not start all-zero.
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** Uniform double in [0, 1) with 32 bits of randomness (enough for sampling, cheap). */
  nextFloat(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n), n ≤ 2^32. */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n)
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
