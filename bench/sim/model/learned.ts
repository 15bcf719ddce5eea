import { Prng } from '../../workloads/prng.js'
import { KeyFifo } from '../fifo.js'
import { hashKey } from '../hash.js'
import { CountMinSketch } from '../sketch.js'
import { GhostTable } from './ghost.js'

export interface LearnedOptions {
  seed?: number
  hashSeed?: number
  sizes?: Uint32Array
  smallFraction?: number
  ghostFactor?: number
  sketchWidth?: number
  sketchSample?: number
  halfBuckets?: number
  explore?: number
  decay?: number
  minEvidence?: number
  classes?: number
}

const NONE = 0
const SMALL = 1
const MAIN = 2
const QMASK = 3
const CSHIFT = 2
const CMASK = 3 << CSHIFT
const GFLAG = 1 << 4

export class LearnedShard {
  private readonly small = new KeyFifo()
  private readonly main = new KeyFifo()
  private readonly sketch: CountMinSketch
  private readonly ghost: GhostTable
  private readonly rng: Prng
  private readonly sizes: Uint32Array | undefined
  private readonly hashSeed: number
  private used = 0
  private sizeS = 0
  private sizeM = 0
  private targetS: number
  private readonly half: number
  private readonly nb: number
  private readonly classes: number
  private readonly explore: number
  private readonly minEvidence: number
  private readonly decayEvery: number
  private sinceDecay = 0
  // [class][bucket]
  readonly nRej: Float64Array
  readonly nAdm: Float64Array
  readonly retRej: Float64Array
  readonly retAdm: Float64Array
  hits = 0
  misses = 0

  constructor(
    readonly capacity: number,
    private readonly keyState: Uint8Array,
    o: LearnedOptions,
  ) {
    const seed = o.seed ?? 1
    this.hashSeed = o.hashSeed ?? 0
    this.sizes = o.sizes
    this.rng = new Prng(seed)
    this.sketch = new CountMinSketch(capacity, { widthFactor: o.sketchWidth ?? 4, sampleFactor: o.sketchSample ?? 10, seed })
    this.ghost = new GhostTable(Math.max(1, Math.floor(capacity * (o.ghostFactor ?? 1))), 7)
    this.targetS = Math.max(1, Math.floor(capacity * (o.smallFraction ?? 0.1)))
    this.half = o.halfBuckets ?? 3
    this.nb = 2 * this.half + 1
    this.classes = o.classes ?? 3
    this.explore = o.explore ?? 1 / 32
    this.minEvidence = o.minEvidence ?? 4
    this.decayEvery = Math.max(64, Math.floor(capacity * (o.decay ?? 1)))
    const n = this.classes * this.nb
    this.nRej = new Float64Array(n)
    this.nAdm = new Float64Array(n)
    this.retRej = new Float64Array(n)
    this.retAdm = new Float64Array(n)
  }

  access(key: number, h: number): boolean {
    const st = this.keyState[key]!
    this.sketch.increment(h)
    if ((st & QMASK) !== NONE) {
      if ((st & CMASK) !== CMASK) this.keyState[key] = st + (1 << CSHIFT)
      this.hits++
      return true
    }
    this.misses++
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
    let flag = 0
    if (this.ghost.lookup(h) >= 0) {
      flag = GFLAG
      this.learn(this.ghost.lastTag)
    }
    this.keyState[key] = SMALL | flag
    this.small.push(key)
    this.sizeS += size
    this.used += size
    this.makeRoom()
  }

  private learn(tag: number): void {
    if (tag === 0) return
    const x = tag - 1
    const cell = x >> 1
    if ((x & 1) === 0) this.retRej[cell]!++
    else this.retAdm[cell]!++
  }

  private toGhost(key: number, tag: number): void {
    this.ghost.add(this.hashOf(key), tag)
    if (++this.sinceDecay >= this.decayEvery) {
      this.sinceDecay = 0
      for (let i = 0; i < this.nRej.length; i++) {
        this.nRej[i] = this.nRej[i]! / 2
        this.nAdm[i] = this.nAdm[i]! / 2
        this.retRej[i] = this.retRej[i]! / 2
        this.retAdm[i] = this.retAdm[i]! / 2
      }
    }
  }

  private pushMain(key: number): void {
    this.keyState[key] = MAIN
    this.main.push(key)
    const s = this.sizeOf(key)
    this.sizeM += s
    this.used += s
  }

  private makeRoom(): void {
    while (this.sizeS > this.targetS) this.leaveSmall()
    while (this.used > this.capacity) {
      if (this.sizeM > 0) this.evictMain(0)
      else {
        const t = this.small.pop()
        this.sizeS -= this.sizeOf(t)
        this.drop(t, 0)
      }
    }
  }

  private drop(key: number, tag: number): void {
    this.keyState[key] = NONE
    this.used -= this.sizeOf(key)
    this.toGhost(key, tag)
  }

  private mainVictim(): number {
    for (;;) {
      const t = this.main.peek()
      const st = this.keyState[t]!
      if ((st & CMASK) === 0) return t
      this.main.pop()
      this.main.push(t)
      this.keyState[t] = st - (1 << CSHIFT)
    }
  }

  private evictMain(tag: number): void {
    const v = this.mainVictim()
    this.main.pop()
    this.sizeM -= this.sizeOf(v)
    this.drop(v, tag)
  }

  private leaveSmall(): void {
    const t = this.small.pop()
    const st = this.keyState[t]!
    const s = this.sizeOf(t)
    this.sizeS -= s
    this.used -= s
    if (this.used + s <= this.capacity || this.sizeM === 0) {
      this.pushMain(t)
      return
    }
    const cls = (st & CMASK) !== 0 ? 1 : (st & GFLAG) !== 0 ? 2 : 0
    const c = cls < this.classes ? cls : this.classes - 1
    const v = this.mainVictim()
    const d = this.sketch.estimate(this.hashOf(t)) - this.sketch.estimate(this.hashOf(v))
    const b = (d < -this.half ? -this.half : d > this.half ? this.half : d) + this.half
    const cell = c * this.nb + b
    let admit: boolean
    const nr = this.nRej[cell]!
    const na = this.nAdm[cell]!
    if (nr >= this.minEvidence && na >= this.minEvidence) {
      admit = (this.retRej[cell]! + 0.5) / (nr + 1) > (this.retAdm[cell]! + 0.5) / (na + 1)
    } else {
      admit = d > 0
    }
    if (this.rng.nextFloat() < this.explore) admit = !admit
    if (admit) {
      this.nAdm[cell]!++
      this.evictMain(1 + cell * 2 + 1)
      this.pushMain(t)
    } else {
      this.nRej[cell]!++
      this.used += s
      this.drop(t, 1 + cell * 2)
    }
  }
}
