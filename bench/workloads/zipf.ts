import type { Prng } from './prng.js'

/**
 * Zipf sampler over ranks 1..n with P(k) ∝ k^-s, by rejection-inversion (Hörmann & Derflinger,
 * "Rejection-inversion to generate variates from monotone discrete distributions", 1996).
 * O(1) per sample and O(1) memory, so 1M-key workloads need no CDF table; valid for every s > 0,
 * including s = 1, through the expm1/log1p helpers below.
 */
export class ZipfSampler {
  private readonly hIntegralX1: number
  private readonly hIntegralN: number
  private readonly squeeze: number

  constructor(
    readonly n: number,
    readonly s: number,
  ) {
    if (!(n >= 1) || !(s > 0)) throw new RangeError(`zipf: need n >= 1 and s > 0 (n=${n}, s=${s})`)
    this.hIntegralX1 = this.hIntegral(1.5) - 1
    this.hIntegralN = this.hIntegral(n + 0.5)
    this.squeeze = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2))
  }

  /** A rank in [1, n]; rank 1 is the most popular. */
  sample(rng: Prng): number {
    for (;;) {
      const u = this.hIntegralN + rng.nextFloat() * (this.hIntegralX1 - this.hIntegralN)
      const x = this.hIntegralInverse(u)
      let k = Math.floor(x + 0.5)
      if (k < 1) k = 1
      else if (k > this.n) k = this.n
      if (k - x <= this.squeeze || u >= this.hIntegral(k + 0.5) - this.h(k)) return k
    }
  }

  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x))
  }

  /** ∫ h = (x^(1-s) - 1) / (1 - s), written to stay exact as s → 1 (where it becomes ln x). */
  private hIntegral(x: number): number {
    const logX = Math.log(x)
    return expm1OverX((1 - this.s) * logX) * logX
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.s)
    if (t < -1) t = -1 // rounding can push just past the pole of log1p
    return Math.exp(log1pOverX(t) * x)
  }
}

function expm1OverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + x * 0.25))
}

function log1pOverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - x * 0.25))
}
