import { mix32 } from '../hash.js'

/**
 * Ghost table: fingerprints of the last G evicted keys, with exact FIFO-age semantics — a key is in
 * the ghost iff it was added within the last G additions. A ring of fingerprints in addition order
 * plus a linear-probing index (fingerprint → addition sequence number); the oldest addition is
 * unlinked when the ring wraps, so the index never holds more than G live slots (load ≤ 1/2).
 *
 * A fingerprint is the key hash's upper 31 bits; the 32nd bit records where the key was evicted
 * from (a queue tag), so a ghost slot stays 32 bits + a sequence number.
 */
export class GhostTable {
  private readonly ring: Uint32Array
  private readonly slotFp: Uint32Array
  /** Sequence number + 1 of the addition a slot stands for; 0 = empty. */
  private readonly slotSeq: Float64Array
  private readonly mask: number
  private count = 0

  /** Ring entries (the last G additions) per tag. */
  readonly tagCounts: Int32Array
  private readonly tagBits: number
  private readonly tagMask: number

  constructor(
    readonly capacity: number,
    tagBits = 1,
  ) {
    this.tagBits = tagBits
    this.tagMask = (1 << tagBits) - 1
    this.tagCounts = new Int32Array(1 << tagBits)
    const cap = Math.max(1, capacity)
    this.ring = new Uint32Array(cap)
    let n = 4
    while (n < 2 * cap) n *= 2
    this.slotFp = new Uint32Array(n)
    this.slotSeq = new Float64Array(n)
    this.mask = n - 1
  }

  /** Total additions so far (the ghost's clock). */
  get additions(): number {
    return this.count
  }

  /** Records an evicted key (hash) with a 1-bit tag. */
  add(hash: number, tag: number): void {
    const cap = this.ring.length
    const fp = hash >>> this.tagBits
    if (this.count >= cap) {
      const oldSeq = this.count - cap
      const old = this.ring[oldSeq % cap]!
      this.tagCounts[old & this.tagMask]!--
      this.unlink(old >>> this.tagBits, oldSeq)
    }
    this.tagCounts[tag & this.tagMask]!++
    const value = ((fp << this.tagBits) | (tag & this.tagMask)) >>> 0
    this.ring[this.count % cap] = value
    let i = fp & this.mask
    for (;;) {
      const seq = this.slotSeq[i]!
      if (seq === 0 || this.slotFp[i]! >>> this.tagBits === fp) break
      i = (i + 1) & this.mask
    }
    // A re-added key takes over its slot; its older ring entry no longer matches and is skipped.
    this.slotFp[i] = value
    this.slotSeq[i] = this.count + 1
    this.count++
  }

  /** Live entries (the last G additions) with this tag. */
  tagCount(tag: number): number {
    return this.tagCounts[tag & this.tagMask]!
  }

  /** The tag of the key found by the last successful `lookup`. */
  lastTag = 0

  /**
   * The key's ghost age (additions since it was added; 0 = the latest), or -1 when absent.
   * Read-only: a hit leaves the fingerprint to age out.
   */
  lookup(hash: number): number {
    const fp = hash >>> this.tagBits
    let i = fp & this.mask
    for (;;) {
      const seq = this.slotSeq[i]!
      if (seq === 0) return -1
      const v = this.slotFp[i]!
      if (v >>> this.tagBits === fp) {
        this.lastTag = v & this.tagMask
        return this.count - seq
      }
      i = (i + 1) & this.mask
    }
  }

  /** Removes the slot of `fp` if it still stands for addition `seq` (backward-shift deletion). */
  private unlink(fp: number, seq: number): void {
    const mask = this.mask
    let i = fp & mask
    for (;;) {
      const s = this.slotSeq[i]!
      if (s === 0) return
      if (this.slotFp[i]! >>> this.tagBits === fp) {
        if (s !== seq + 1) return
        break
      }
      i = (i + 1) & mask
    }
    let hole = i
    let j = i
    for (;;) {
      j = (j + 1) & mask
      if (this.slotSeq[j]! === 0) break
      const home = (this.slotFp[j]! >>> this.tagBits) & mask
      // Move j into the hole unless its home lies cyclically in (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.slotFp[hole] = this.slotFp[j]!
        this.slotSeq[hole] = this.slotSeq[j]!
        hole = j
      }
    }
    this.slotSeq[hole] = 0
  }
}

const BUCKET_SLOTS = 8

/**
 * The engines' ghost (assembly/ghost.ts, native/src/ghost.rs), for research (`ghostBuckets` = 1, stop 43):
 * buckets of 8 slots [fingerprint (bit 0 = tag), clock]; an addition takes the first empty slot or the
 * one holding the fingerprint, else the bucket's oldest, so a key can leave before G additions when its
 * bucket fills. A key is present while fewer than G additions happened since it was recorded. The tag
 * counts are estimated per epoch of G additions: this epoch's count plus the unexpired share of the last.
 */
export class BucketGhost {
  private readonly fp: Uint32Array
  private readonly clock: Uint32Array
  private readonly buckets: number
  private readonly slots: number
  private now = 0
  private epochStart = 0
  private readonly cur = [0, 0]
  private readonly prev = [0, 0]
  lastTag = 0

  constructor(capacity: number) {
    this.slots = Math.ceil(Math.max(BUCKET_SLOTS, capacity) / BUCKET_SLOTS) * BUCKET_SLOTS
    this.buckets = this.slots / BUCKET_SLOTS
    this.fp = new Uint32Array(this.slots)
    this.clock = new Uint32Array(this.slots)
  }

  get additions(): number {
    return this.now
  }

  private static fingerprint(hash: number): number {
    // A remix, so the bucket does not follow the bits that picked the shard; never 0 (empty).
    return ((mix32(hash ^ 0x5bd1e995) & ~1) | 2) >>> 0
  }

  private base(fp: number): number {
    return Math.floor((Math.imul(fp, 0x9e3779b1) >>> 0) * this.buckets / 0x100000000) * BUCKET_SLOTS
  }

  add(hash: number, tag: number): void {
    const fp = BucketGhost.fingerprint(hash)
    const now = ++this.now
    const base = this.base(fp)
    let index = -1
    for (let i = 0; i < BUCKET_SLOTS; i++) {
      const f = this.fp[base + i]!
      if (f === 0 || (f & ~1) >>> 0 === fp) {
        index = i
        break
      }
    }
    if (index < 0) {
      let oldest = -1
      for (let i = 0; i < BUCKET_SLOTS; i++) {
        const age = (now - this.clock[base + i]!) >>> 0
        if (age > oldest) {
          oldest = age
          index = i
        }
      }
    }
    this.fp[base + index] = (fp | (tag & 1)) >>> 0
    this.clock[base + index] = now
    if (now - this.epochStart >= this.slots) {
      this.prev[0] = this.cur[0]!
      this.prev[1] = this.cur[1]!
      this.cur[0] = 0
      this.cur[1] = 0
      this.epochStart = now
    }
    this.cur[tag & 1]!++
  }

  tagCount(tag: number): number {
    const elapsed = (this.now - this.epochStart) / this.slots
    return this.cur[tag & 1]! + this.prev[tag & 1]! * Math.max(0, 1 - elapsed)
  }

  lookup(hash: number): number {
    const fp = BucketGhost.fingerprint(hash)
    const base = this.base(fp)
    for (let i = 0; i < BUCKET_SLOTS; i++) {
      const f = this.fp[base + i]!
      if (f !== 0 && (f & ~1) >>> 0 === fp) {
        const age = this.now - this.clock[base + i]!
        if (age >= this.slots) return -1
        this.lastTag = f & 1
        return age
      }
    }
    return -1
  }
}
