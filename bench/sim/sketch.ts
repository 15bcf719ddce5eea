import { mix32 } from './hash.js'

/** A counter's ceiling (four bits), as the engines' MAX_COUNT. */
export const MAX_COUNT = 15

export interface SketchOptions {
  /** Counters per row = nextPow2(capacity) × widthFactor. Caffeine's layout is 4 (8 bytes per entry). */
  widthFactor?: number
  /** Halve every counter after sampleFactor × capacity recorded increments. */
  sampleFactor?: number
  /**
   * A Bloom filter in front of the sketch, reset at every halving: a key's first sighting in a
   * period sets its bits instead of the counters, so one-hit wonders don't crowd the counters.
   */
  doorkeeper?: boolean
  /**
   * Where a key's four counters are (research, stop 41: a cheaper engine sketch). 0: four rows, one
   * counter per row (the classic count-min); 1: one 64-bit word of 16 counters picked by the hash,
   * counter i one of the 4 in its 16-bit lane i (two keys in a word share lane i's counter with odds
   * 1/4, independently per lane), as many words as the rows have counters / 16; 2: as 1 with
   * conservative update (only the counters at the key's minimum are bumped); 3: two words of one
   * 64-byte block, counters 0 and 1 in one of its first four words (one of 8 in each 32-bit half),
   * 2 and 3 in one of its last four; 4: as 3, with the engines' block count (ceil(capacity × widthFactor / 32),
   * 16 counters per entry at widthFactor 4, not per nextPow2(capacity)) and block choice (a multiply-high
   * of a remixed hash over that count: assembly/sketch.ts blockOf).
   */
  layout?: number
  /**
   * Whether an increment that raises no counter (all four at 15) still counts towards the halving.
   * Default true (the model's historical rule); the engines count only increments that raised one
   * (assembly/sketch.ts countAccess), so a saturated hot set ages their sketch more slowly.
   */
  countSaturated?: boolean
  /**
   * RESEARCH (stop 57, movingage): with countSaturated false, the share of an increment that raises no counter still
   * counted towards the halving (accumulated; 0: none, the engines').
   */
  satWeight?: number
  seed?: number
}

const DEPTH = 4

/**
 * Count-min sketch of 4-bit counters (8 per 32-bit word, as the engine stores them), depth 4, with
 * periodic halving so frequencies describe the recent past (TinyLFU's "reset"). The estimate of a
 * key is the minimum of its 4 counters, which never underestimates between halvings.
 */
export class CountMinSketch {
  private readonly table: Uint32Array
  private readonly rowMask: number
  private readonly rowShift: number
  private readonly seeds: Uint32Array
  private readonly door: Uint32Array | undefined
  private readonly doorMask: number
  readonly sampleSize: number
  private readonly layout: number
  private readonly wordMask: number
  private readonly blocks: number
  private readonly countSaturated: boolean
  private readonly idx = new Int32Array(DEPTH)
  private additions = 0
  satWeight: number
  private satAcc = 0
  /**
   * RESEARCH (dryRun, stop 56, lagopen2): whether the latest increment raised a counter (a key whose four counters are
   * all at 15 adds nothing: a saturated hot key's hit).
   */
  lastRaised = false
  /** Times the counters were halved (a coarse clock other components may key resets on). */
  halvings = 0

  constructor(capacity: number, o: SketchOptions = {}) {
    const width = nextPow2(Math.max(8, capacity)) * (o.widthFactor ?? 4)
    this.rowShift = Math.log2(width)
    this.rowMask = width - 1
    this.layout = o.layout ?? 0
    this.blocks = Math.max(1, Math.ceil((capacity * (o.widthFactor ?? 4)) / 32))
    this.table = new Uint32Array(this.layout === 4 ? this.blocks * 16 : (DEPTH * width) >>> 3)
    this.countSaturated = o.countSaturated ?? true
    this.satWeight = o.satWeight ?? 0
    this.wordMask = ((DEPTH * width) >>> 4) - 1
    this.sampleSize = Math.max(16, Math.floor((o.sampleFactor ?? 10) * capacity))
    const seed = o.seed ?? 0x5eed
    this.seeds = new Uint32Array(DEPTH + 1)
    for (let i = 0; i <= DEPTH; i++) this.seeds[i] = mix32(seed + i * 0x632be5ab) | 1
    if (o.doorkeeper) {
      const bits = nextPow2(this.sampleSize) * 8
      this.door = new Uint32Array(bits >>> 5)
      this.doorMask = bits - 1
    } else {
      this.door = undefined
      this.doorMask = 0
    }
  }

  /** The key's four counters, as indexes of nibbles in the table, into this.idx. */
  private place(hash: number): Int32Array {
    const idx = this.idx
    if (this.layout === 0) {
      for (let i = 0; i < DEPTH; i++) idx[i] = (i << this.rowShift) | (mix32(hash ^ this.seeds[i]!) & this.rowMask)
    } else if (this.layout === 3 || this.layout === 4) {
      const block = this.layout === 3 ? (mix32(hash ^ this.seeds[0]!) & this.wordMask) >>> 3
        : Math.floor((mix32(hash ^ this.seeds[0]!) * this.blocks) / 0x100000000)
      const r = mix32(hash ^ this.seeds[1]!)
      for (let i = 0; i < DEPTH; i++) {
        const word = (block << 3) | ((i >>> 1) << 2) | ((r >>> (2 * (i >>> 1))) & 3)
        idx[i] = (word << 4) | ((i & 1) << 3) | ((r >>> (4 + 3 * i)) & 7)
      }
    } else {
      const word = mix32(hash ^ this.seeds[0]!) & this.wordMask
      const lanes = mix32(hash ^ this.seeds[1]!)
      for (let i = 0; i < DEPTH; i++) idx[i] = (word << 4) | (i << 2) | ((lanes >>> (2 * i)) & 3)
    }
    return idx
  }

  /** Records one access of the key with this 32-bit hash. */
  increment(hash: number): void {
    this.lastRaised = false
    if (this.door !== undefined && !this.doorAdd(hash)) {
      this.tick()
      return
    }
    const places = this.place(hash)
    if (this.layout === 2) {
      // Conservative update: only the counters at the key's minimum go up (the others already overcount).
      let min = 15
      for (let i = 0; i < DEPTH; i++) min = Math.min(min, (this.table[places[i]! >>> 3]! >>> ((places[i]! & 7) << 2)) & 15)
      if (min < 15) {
        for (let i = 0; i < DEPTH; i++) {
          const word = places[i]! >>> 3
          const shift = (places[i]! & 7) << 2
          const w = this.table[word]!
          if (((w >>> shift) & 15) === min) this.table[word] = w + (1 << shift)
        }
        this.lastRaised = true
      }
      this.tick()
      return
    }
    let raised = false
    for (let i = 0; i < DEPTH; i++) {
      const idx = places[i]!
      const word = idx >>> 3
      const shift = (idx & 7) << 2
      const w = this.table[word]!
      if (((w >>> shift) & 15) !== 15) {
        this.table[word] = w + (1 << shift)
        raised = true
      }
    }
    if (raised) this.lastRaised = true
    if (raised || this.countSaturated) this.tick()
    else if (this.satWeight > 0 && (this.satAcc += this.satWeight) >= 1) {
      this.satAcc -= 1
      this.tick()
    }
  }

  /** RESEARCH (stop 57, movingage): n more ticks of the halving's clock (a whole halving at most, as if added one by one). */
  addTicks(n: number): void {
    for (let i = 0; i < n; i++) this.tick()
  }

  /** Estimated accesses in the current period (0..15, +1 when the doorkeeper has seen it). */
  estimate(hash: number): number {
    let min = 15
    const places = this.place(hash)
    for (let i = 0; i < DEPTH; i++) {
      const idx = places[i]!
      const c = (this.table[idx >>> 3]! >>> ((idx & 7) << 2)) & 15
      if (c < min) min = c
    }
    if (this.door !== undefined && this.doorHas(hash)) min++
    return min
  }

  /** The counter a key hashes to in `row` (0..3), as an index into that row: for analysis and tests. */
  rowIndex(hash: number, row: number): number {
    return mix32(hash ^ this.seeds[row]!) & this.rowMask
  }

  /** Increments counted towards the next regular halving (halved, like the counters, at every halving). */
  get added(): number {
    return this.additions
  }

  private tick(): void {
    if (++this.additions >= this.sampleSize) this.halve()
  }

  /** Shifts this key's own counters right by `shift` (research: ageing one stale key, not the whole sketch). */
  ageKey(hash: number, shift: number): void {
    const places = this.place(hash)
    for (let i = 0; i < DEPTH; i++) {
      const idx = places[i]!
      const word = idx >>> 3
      const sh = (idx & 7) << 2
      const w = this.table[word]!
      const c = (w >>> sh) & 15
      this.table[word] = (w & ~(15 << sh)) | ((c >>> shift) << sh)
    }
  }

  halve(): void {
    const t = this.table
    for (let i = 0; i < t.length; i++) t[i] = (t[i]! >>> 1) & 0x77777777
    this.additions >>>= 1
    this.halvings++
    if (this.door !== undefined) this.door.fill(0)
  }

  /** Sets the key's two doorkeeper bits; true if both were already set. */
  private doorAdd(hash: number): boolean {
    const d = this.door!
    const a = mix32(hash ^ this.seeds[DEPTH]!) & this.doorMask
    const b = Math.imul(hash, 0x9e3779b1) & this.doorMask
    const had = ((d[a >>> 5]! >>> (a & 31)) & (d[b >>> 5]! >>> (b & 31)) & 1) === 1
    d[a >>> 5] = d[a >>> 5]! | (1 << (a & 31))
    d[b >>> 5] = d[b >>> 5]! | (1 << (b & 31))
    return had
  }

  private doorHas(hash: number): boolean {
    const d = this.door!
    const a = mix32(hash ^ this.seeds[DEPTH]!) & this.doorMask
    const b = Math.imul(hash, 0x9e3779b1) & this.doorMask
    return ((d[a >>> 5]! >>> (a & 31)) & (d[b >>> 5]! >>> (b & 31)) & 1) === 1
  }
}

export function nextPow2(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}
