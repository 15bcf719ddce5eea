import { Prng } from '../../workloads/prng.js'
import { KeyFifo } from '../fifo.js'
import { hashKey } from '../hash.js'
import { CountMinSketch } from '../sketch.js'
import { GhostTable } from './ghost.js'

export interface SpmOptions {
  seed?: number
  hashSeed?: number
  sizes?: Uint32Array
  smallFraction?: number
  protectedFraction?: number
  ghostFactor?: number
  sketchWidth?: number
  sketchSample?: number
  adapt?: 'none' | 'arc'
  horizon?: number
  minSmall?: number
  maxSmall?: number
  ghostPath?: 'small' | 'gated' | 'main' | 'prot' | 'gatedProt' | 'recProt'
  recFactor?: number
  smallHitPath?: 'gated' | 'free'
  promoteCounter?: number
  staleAdmit?: 'none' | 'ghost' | 'all'
  staleFactor?: number
}

const NONE = 0
const SMALL = 1
const PROB = 2
const PROT = 3
const QMASK = 3
const CSHIFT = 2
const CMASK = 3 << CSHIFT
const ONE = 1 << CSHIFT
const GFLAG = 1 << 4

const TAG_SMALL = 0
const TAG_MAIN = 1

export class SpmShard {
  private readonly small = new KeyFifo()
  private readonly prob = new KeyFifo()
  private readonly prot = new KeyFifo()
  private readonly sketch: CountMinSketch
  private readonly ghost: GhostTable
  private readonly rng: Prng
  private readonly sizes: Uint32Array | undefined
  private readonly hashSeed: number
  private used = 0
  private sizeS = 0
  private sizeP = 0
  private sizeM = 0
  targetS: number
  private readonly o: Required<Omit<SpmOptions, 'sizes' | 'seed' | 'hashSeed'>>
  hits = 0
  misses = 0
  private clock = 0
  private readonly stamp: Float64Array

  constructor(
    readonly capacity: number,
    private readonly keyState: Uint8Array,
    o: SpmOptions,
  ) {
    this.o = {
      smallFraction: o.smallFraction ?? 0.01,
      protectedFraction: o.protectedFraction ?? 0.8,
      ghostFactor: o.ghostFactor ?? 0.9,
      sketchWidth: o.sketchWidth ?? 4,
      sketchSample: o.sketchSample ?? 10,
      adapt: o.adapt ?? 'arc',
      horizon: o.horizon ?? 0.5,
      minSmall: o.minSmall ?? 0.01,
      maxSmall: o.maxSmall ?? 0.9,
      ghostPath: o.ghostPath ?? 'gatedProt',
      smallHitPath: o.smallHitPath ?? 'gated',
      promoteCounter: o.promoteCounter ?? 0,
      staleAdmit: o.staleAdmit ?? 'none',
      staleFactor: o.staleFactor ?? 1,
      recFactor: o.recFactor ?? 1,
    }
    const seed = o.seed ?? 1
    this.hashSeed = o.hashSeed ?? 0
    this.sizes = o.sizes
    this.stamp = new Float64Array(keyState.length)
    this.rng = new Prng(seed)
    this.sketch = new CountMinSketch(capacity, { widthFactor: this.o.sketchWidth, sampleFactor: this.o.sketchSample, seed })
    this.ghost = new GhostTable(Math.max(1, Math.floor(capacity * this.o.ghostFactor)), 1)
    this.targetS = Math.max(1, Math.floor(capacity * this.o.smallFraction))
  }

  access(key: number, h: number): boolean {
    const st = this.keyState[key]!
    this.sketch.increment(h)
    if ((st & QMASK) !== NONE) {
      if ((st & CMASK) !== CMASK) this.keyState[key] = st + ONE
      this.hits++
      return true
    }
    this.misses++
    this.clock++
    this.insert(key, h)
    return false
  }

  private sizeOf(key: number): number {
    return this.sizes === undefined ? 1 : this.sizes[key]!
  }

  private hashOf(key: number): number {
    return hashKey(key, this.hashSeed)
  }

  private insert(key: number, h: number): void {
    const size = this.sizeOf(key)
    if (size > this.capacity) return
    const age = this.ghost.lookup(h)
    if (age >= 0 && this.o.adapt === 'arc') this.adaptArc(age, this.ghost.lastTag)
    const gp = this.o.ghostPath
    if (age >= 0 && (gp === 'prot' || gp === 'gatedProt' || gp === 'recProt') && this.sizeP + this.sizeM > 0) {
      if (gp === 'prot' || this.contest(h) || (gp === 'recProt' && this.o.recFactor * age < this.clock - this.stamp[this.victim()]!)) {
        this.push(this.prot, key, PROT | GFLAG, size)
        this.sizeM += size
        const maxM = (this.capacity - this.targetS) * this.o.protectedFraction
        while (this.sizeM > maxM) this.demote()
        this.makeRoom()
        return
      }
    }
    if (age >= 0 && (gp === 'main' || gp === 'gated') && this.sizeP + this.sizeM > 0) {
      if (gp === 'main' || this.contest(h)) {
        this.push(this.prob, key, PROB, size)
        this.sizeP += size
        this.makeRoom()
        return
      }
    }
    this.push(this.small, key, SMALL | (age >= 0 ? GFLAG : 0), size)
    this.sizeS += size
    this.makeRoom()
  }

  private adaptArc(age: number, tag: number): void {
    if (age >= this.o.horizon * this.capacity) return
    const nS = this.ghost.tagCounts[TAG_SMALL]!
    const nM = this.ghost.tagCounts[TAG_MAIN]!
    const lo = Math.max(1, this.o.minSmall * this.capacity)
    const hi = this.o.maxSmall * this.capacity
    if (tag === TAG_SMALL) this.targetS = Math.min(hi, this.targetS + Math.max(1, nM / Math.max(1, nS)))
    else this.targetS = Math.max(lo, this.targetS - Math.max(1, nS / Math.max(1, nM)))
  }

  private push(q: KeyFifo, key: number, where: number, size: number): void {
    this.keyState[key] = where
    this.stamp[key] = this.clock
    q.push(key)
    this.used += size
  }

  private makeRoom(): void {
    while (this.sizeS > this.targetS) this.leaveSmall()
    while (this.used > this.capacity) {
      if (this.sizeP + this.sizeM > 0) this.evictVictim(TAG_MAIN)
      else {
        const t = this.small.pop()
        this.sizeS -= this.sizeOf(t)
        this.drop(t, TAG_SMALL)
      }
    }
  }

  private drop(key: number, tag: number): void {
    this.keyState[key] = NONE
    this.used -= this.sizeOf(key)
    this.ghost.add(this.hashOf(key), tag)
  }

  /**
   * The next victim: probation's tail once entries hit there have been promoted to protected
   * (and protected's overflow demoted back to probation); protected's CLOCK victim if probation is empty.
   */
  private victim(): number {
    for (;;) {
      if (this.sizeP === 0) return this.protVictim()
      const t = this.prob.peek()
      const st = this.keyState[t]!
      if ((st & CMASK) === 0) return t
      this.prob.pop()
      const s = this.sizeOf(t)
      this.sizeP -= s
      this.keyState[t] = PROT | (Math.min(this.o.promoteCounter, ((st & CMASK) >> CSHIFT) - 1) << CSHIFT)
      this.stamp[t] = this.clock
      this.prot.push(t)
      this.sizeM += s
      const maxM = (this.capacity - this.targetS) * this.o.protectedFraction
      while (this.sizeM > maxM) this.demote()
    }
  }

  /** Protected's tail: back to protected's head if hit since (CLOCK), else down to probation. */
  statG = [0, 0]
  statN = [0, 0]
  private demote(): void {
    for (;;) {
      const t = this.prot.pop()
      const st = this.keyState[t]!
      const arr = (st & GFLAG) !== 0 ? this.statG : this.statN
      arr[(st & CMASK) !== 0 ? 1 : 0]!++
      if ((st & CMASK) !== 0) {
        this.keyState[t] = st - ONE
        this.stamp[t] = this.clock
        this.prot.push(t)
        continue
      }
      const s = this.sizeOf(t)
      this.sizeM -= s
      this.keyState[t] = PROB
      this.stamp[t] = this.clock
      this.prob.push(t)
      this.sizeP += s
      return
    }
  }

  private protVictim(): number {
    for (;;) {
      const t = this.prot.peek()
      const st = this.keyState[t]!
      if ((st & CMASK) === 0) return t
      this.prot.pop()
      this.keyState[t] = st - ONE
      this.stamp[t] = this.clock
      this.prot.push(t)
    }
  }

  private evictVictim(tag: number): void {
    const v = this.victim()
    const s = this.sizeOf(v)
    if ((this.keyState[v]! & QMASK) === PROB) {
      this.prob.pop()
      this.sizeP -= s
    } else {
      this.prot.pop()
      this.sizeM -= s
    }
    this.drop(v, tag)
  }

  private contest(h: number, st = 0): boolean {
    const v = this.victim()
    if (this.sketch.estimate(h) > this.sketch.estimate(this.hashOf(v))) return true
    const sa = this.o.staleAdmit
    if (sa === 'none' || (sa === 'ghost' && (st & GFLAG) === 0)) return false
    return this.clock - this.stamp[v]! > this.o.staleFactor * this.capacity
  }

  private leaveSmall(): void {
    const t = this.small.pop()
    const st = this.keyState[t]!
    const s = this.sizeOf(t)
    this.sizeS -= s
    this.used -= s
    const free = this.used + s <= this.capacity || this.sizeP + this.sizeM === 0
    if (free || ((st & CMASK) !== 0 && this.o.smallHitPath === 'free') || this.contest(this.hashOf(t), st)) {
      if (!free) this.evictVictim(TAG_MAIN)
      this.keyState[t] = PROB
      this.stamp[t] = this.clock
      this.prob.push(t)
      this.sizeP += s
      this.used += s
      return
    }
    this.used += s
    this.drop(t, TAG_SMALL)
  }
}
