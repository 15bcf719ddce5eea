import { Prng } from '../../workloads/prng.js'
import { KeyFifo } from '../fifo.js'
import { hashKey } from '../hash.js'
import { CountMinSketch } from '../sketch.js'
import { GhostTable } from './ghost.js'

export interface ShardOptions {
  seed?: number
  /** Seed of the key hash (the shard recomputes hashes of entries it evicts, as the engine reads them from the slot). */
  hashSeed?: number
  /** Entry sizes by key (byte mode); capacity is then in bytes. Default: every entry is 1. */
  sizes?: Uint32Array
  smallFraction?: number
  ghostFactor?: number
  sketchWidth?: number
  sketchSample?: number
  doorkeeper?: boolean
  ghostPath?: 'main' | 'gated' | 'small' | 'recency' | 'recOnly' | 'recAndGe'
  /** How the ghost candidate's reuse interval is estimated from its ghost age (research). */
  resid?: number
  smallHitPath?: 'main' | 'gated'
  tie?: number
  adapt?: 'none' | 'climb' | 'arc'
  /** ARC adaptation: only ghost hits younger than horizon × capacity count (research). */
  horizon?: number
  minSmall?: number
  maxSmall?: number
  maxRotations?: number
  victimRotate?: boolean
}

// Per-key byte (the index slot's policy bits): queue in bits 0-1, counter in bits 2-3.
const NONE = 0
const SMALL = 1
const MAIN = 2
const QMASK = 3
const CSHIFT = 2
const CMASK = 3 << CSHIFT

const TAG_SMALL = 0
const TAG_MAIN = 1

export class Shard {
  private readonly small = new KeyFifo()
  private readonly main = new KeyFifo()
  private readonly sketch: CountMinSketch
  private readonly ghost: GhostTable
  private readonly rng: Prng
  private readonly sizes: Uint32Array | undefined
  private used = 0
  private sizeS = 0
  private sizeM = 0
  private targetS: number
  private readonly hashSeed: number
  private readonly o: Required<Omit<ShardOptions, 'sizes' | 'seed' | 'hashSeed'>>

  // statistics for research
  hits = 0
  misses = 0
  private clock = 0
  private stamp: Float64Array

  constructor(
    readonly capacity: number,
    private readonly keyState: Uint8Array,
    o: ShardOptions,
  ) {
    this.o = {
      smallFraction: o.smallFraction ?? 0.1,
      ghostFactor: o.ghostFactor ?? 0.9,
      sketchWidth: o.sketchWidth ?? 4,
      sketchSample: o.sketchSample ?? 10,
      doorkeeper: o.doorkeeper ?? false,
      ghostPath: o.ghostPath ?? 'main',
      smallHitPath: o.smallHitPath ?? 'main',
      tie: o.tie ?? 0,
      adapt: o.adapt ?? 'none',
      maxRotations: o.maxRotations ?? 1 << 30,
      victimRotate: o.victimRotate ?? false,
      resid: o.resid ?? 1,
      horizon: o.horizon ?? 10,
      minSmall: o.minSmall ?? 0.01,
      maxSmall: o.maxSmall ?? 0.9,
    }
    const seed = o.seed ?? 1
    this.sizes = o.sizes
    this.stamp = new Float64Array(keyState.length)
    this.hashSeed = o.hashSeed ?? 0
    this.rng = new Prng(seed)
    this.sketch = new CountMinSketch(capacity, {
      widthFactor: this.o.sketchWidth,
      sampleFactor: this.o.sketchSample,
      doorkeeper: this.o.doorkeeper,
      seed,
    })
    this.ghost = new GhostTable(Math.max(1, Math.floor(capacity * this.o.ghostFactor)))
    this.targetS = Math.max(1, Math.floor(capacity * this.o.smallFraction))
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
    this.probeKind = age >= 0 ? (this.ghost.lastTag === TAG_SMALL ? 2 : 3) : 0
    this.probeAge = age
    if (age >= 0 && this.o.ghostPath !== 'small') {
      if (this.ghostAdmits(h, size, age)) {
        this.pushMain(key, 0)
      } else {
        this.pushSmall(key)
      }
    } else {
      this.pushSmall(key)
    }
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

  private pushSmall(key: number): void {
    this.keyState[key] = SMALL
    this.stamp[key] = this.clock
    this.small.push(key)
    const s = this.sizeOf(key)
    this.sizeS += s
    this.used += s
  }

  private pushMain(key: number, counter: number): void {
    this.keyState[key] = MAIN | (counter << CSHIFT)
    this.stamp[key] = this.clock
    this.main.push(key)
    const s = this.sizeOf(key)
    this.sizeM += s
    this.used += s
  }

  private makeRoom(): void {
    while (this.sizeS > this.targetS) this.leaveSmall()
    while (this.used > this.capacity) {
      if (this.sizeM > 0) this.evictMain()
      else this.removeEntry(this.popSmall(), TAG_SMALL)
    }
  }

  /** Rotates M's tail until an entry with counter 0 is there; returns it (M non-empty). */
  private mainVictim(): number {
    let rotations = 0
    for (;;) {
      const t = this.main.peek()
      const st = this.keyState[t]!
      if ((st & CMASK) === 0 || rotations++ >= this.o.maxRotations) return t
      this.main.pop()
      this.main.push(t)
      this.stamp[t] = this.clock
      this.keyState[t] = st - (1 << CSHIFT)
    }
  }

  probe: ((kind: number, fk: number, fv: number, v: number, idleV: number) => void) | undefined
  probeKind = 0
  probeAge = -1

  private admits(h: number, _size: number): boolean {
    if (this.sizeM === 0) return true
    const v = this.mainVictim()
    const fk = this.sketch.estimate(h)
    const fv = this.sketch.estimate(this.hashOf(v))
    this.probe?.(this.probeKind, fk, fv, v, this.clock - this.stamp[v]!)
    const ok = fk + this.o.tie > fv
    if (!ok && this.o.victimRotate) {
      this.main.pop()
      this.main.push(v)
    }
    return ok
  }

  private ghostAdmits(h: number, size: number, age: number): boolean {
    switch (this.o.ghostPath) {
      case 'main':
        return true
      case 'gated':
        return this.admits(h, size)
      case 'recency':
        return this.admits(h, size) || this.recent(age)
      case 'recOnly':
        return this.recent(age)
      case 'recAndGe': {
        if (this.sizeM === 0) return true
        const v = this.mainVictim()
        return this.recent(age) && this.sketch.estimate(h) >= this.sketch.estimate(this.hashOf(v))
      }
    }
    return false
  }

  /** The ghost candidate's reuse interval (estimated) is shorter than the victim's idle time. */
  private recent(age: number): boolean {
    if (this.sizeM === 0) return true
    const v = this.mainVictim()
    const est = age + (this.ghost.lastTag === TAG_SMALL ? this.o.resid * this.sizeS : 0)
    return est < this.clock - this.stamp[v]!
  }

  private evictMain(): void {
    const v = this.mainVictim()
    this.main.pop()
    this.removeEntry(v, TAG_MAIN)
    this.sizeM -= this.sizeOf(v)
  }

  private removeEntry(key: number, tag: number): void {
    this.keyState[key] = NONE
    this.used -= this.sizeOf(key)
    this.ghost.add(this.hashOf(key), tag)
  }

  private popSmall(): number {
    const t = this.small.pop()
    this.sizeS -= this.sizeOf(t)
    return t
  }

  /** S's tail leaves S: to M when it was hit in S or the cache has room, else by contest with M's victim. */
  private leaveSmall(): void {
    const t = this.popSmall()
    const st = this.keyState[t]!
    const s = this.sizeOf(t)
    this.used -= s
    if (((st & CMASK) !== 0 && this.o.smallHitPath === 'main') || this.used + s <= this.capacity) {
      this.pushMain(t, 0)
      return
    }
    this.probeKind = (st & CMASK) !== 0 ? 1 : 0
    this.probeAge = this.clock - this.stamp[t]!
    if (this.admits(this.hashOf(t), s)) {
      this.evictMain()
      this.pushMain(t, 0)
      return
    }
    this.used += s
    this.removeEntry(t, TAG_SMALL)
  }
}
