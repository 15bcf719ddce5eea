/**
 * The keydir of the Bitcask design (key → file, offset, size, expiry), kept off the JS heap: no JS object
 * per key. An open-addressing hash table (linear probing, backward-shift deletion, so no tombstones slow
 * probes down) of `[hash, entry + 1]` pairs in one Uint32Array points into entry columns (typed arrays),
 * and key bytes live in one growable byte arena. V8 sees a handful of large ArrayBuffers, whatever the
 * key count; the garbage collector never walks them.
 *
 * Keys are compared as bytes, so a lookup never reads the disk to tell two keys with one hash apart.
 * Entry numbers are stable while a key lives (an overwrite keeps its entry), which lets `entries()` and
 * compaction walk the table in batches while writes go on.
 */

const EMPTY = 0
const MIN_SLOTS = 1024
const MIN_ENTRIES = 256
/** Probe sequences stay short below this fill of the slot table. */
const MAX_LOAD = 0.7

export class KeyIndex {
  private slots = new Uint32Array(MIN_SLOTS * 2)
  private mask = MIN_SLOTS - 1
  private hashes = new Uint32Array(MIN_ENTRIES)
  private keyAt = new Uint32Array(MIN_ENTRIES)
  private files = new Uint32Array(MIN_ENTRIES)
  private offsets = new Uint32Array(MIN_ENTRIES)
  /** Record size in bytes; 0 marks a free entry (a record is never empty). */
  private sizes = new Uint32Array(MIN_ENTRIES)
  private expiries = new Float64Array(MIN_ENTRIES)
  private free = new Uint32Array(64)
  private freeCount = 0
  /** Entries ever used: entry numbers are below this. */
  highWater = 0
  count = 0
  /** Key arena: [u16 length][bytes] per key. */
  private arena = Buffer.allocUnsafe(64 * 1024)
  private arenaUsed = 0
  private arenaGarbage = 0

  /** The entry of the key in `key[start, start + length)` with hash `hash`, or -1. */
  find(key: Uint8Array, start: number, length: number, hash: number): number {
    const slots = this.slots
    const mask = this.mask
    let i = hash & mask
    for (;;) {
      const e = slots[2 * i + 1]!
      if (e === EMPTY) return -1
      if (slots[2 * i] === hash && this.keyMatches(e - 1, key, start, length)) return e - 1
      i = (i + 1) & mask
    }
  }

  /** Adds a key known to be absent; returns its entry. */
  add(key: Uint8Array, start: number, length: number, hash: number, file: number, offset: number, size: number, expiresAt: number): number {
    if ((this.count + 1) > MAX_LOAD * (this.mask + 1)) this.resizeSlots((this.mask + 1) * 2)
    const e = this.freeCount > 0 ? this.free[--this.freeCount]! : this.newEntry()
    this.hashes[e] = hash
    this.keyAt[e] = this.storeKey(key, start, length)
    this.set(e, file, offset, size, expiresAt)
    let i = hash & this.mask
    while (this.slots[2 * i + 1] !== EMPTY) i = (i + 1) & this.mask
    this.slots[2 * i] = hash
    this.slots[2 * i + 1] = e + 1
    this.count++
    return e
  }

  set(e: number, file: number, offset: number, size: number, expiresAt: number): void {
    this.files[e] = file
    this.offsets[e] = offset
    this.sizes[e] = size
    this.expiries[e] = expiresAt
  }

  /** Moves an entry's record (compaction) without touching its key or expiry. */
  move(e: number, file: number, offset: number): void {
    this.files[e] = file
    this.offsets[e] = offset
  }

  remove(e: number): void {
    const slots = this.slots
    const mask = this.mask
    let i = this.hashes[e]! & mask
    while (slots[2 * i + 1] !== e + 1) i = (i + 1) & mask
    // Backward-shift deletion: pull later members of the probe run into the hole, so every key stays
    // reachable from its home slot without tombstones.
    let hole = i
    let j = (i + 1) & mask
    while (slots[2 * j + 1] !== EMPTY) {
      const home = slots[2 * j]! & mask
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots[2 * hole] = slots[2 * j]!
        slots[2 * hole + 1] = slots[2 * j + 1]!
        hole = j
      }
      j = (j + 1) & mask
    }
    slots[2 * hole] = 0
    slots[2 * hole + 1] = EMPTY
    this.arenaGarbage += 2 + this.arena.readUInt16LE(this.keyAt[e]!)
    this.sizes[e] = 0
    if (this.freeCount === this.free.length) this.free = grow(this.free, this.free.length * 2)
    this.free[this.freeCount++] = e
    this.count--
    if (this.arenaGarbage > 1024 * 1024 && this.arenaGarbage * 2 > this.arenaUsed) this.compactArena()
  }

  /** The table's arrays and counters, to write an index snapshot (index-snapshot.ts). */
  exportState(): IndexState {
    return {
      counters: [this.mask, this.highWater, this.count, this.freeCount, this.arenaUsed, this.arenaGarbage],
      arrays: [this.slots, this.hashes, this.keyAt, this.files, this.offsets, this.sizes, this.expiries, this.free, this.arena],
    }
  }

  /** Takes over arrays read from a snapshot (in exportState's order), replacing the current content. */
  importState(state: IndexState): void {
    const [mask, highWater, count, freeCount, arenaUsed, arenaGarbage] = state.counters as number[]
    const a = state.arrays
    this.slots = a[0] as Uint32Array<ArrayBuffer>
    this.hashes = a[1] as Uint32Array<ArrayBuffer>
    this.keyAt = a[2] as Uint32Array<ArrayBuffer>
    this.files = a[3] as Uint32Array<ArrayBuffer>
    this.offsets = a[4] as Uint32Array<ArrayBuffer>
    this.sizes = a[5] as Uint32Array<ArrayBuffer>
    this.expiries = a[6] as Float64Array<ArrayBuffer>
    this.free = a[7] as Uint32Array<ArrayBuffer>
    this.arena = a[8] as Buffer<ArrayBuffer>
    this.mask = mask!
    this.highWater = highWater!
    this.count = count!
    this.freeCount = freeCount!
    this.arenaUsed = arenaUsed!
    this.arenaGarbage = arenaGarbage!
  }

  clear(): void {
    this.slots.fill(0)
    this.sizes.fill(0)
    this.freeCount = 0
    this.highWater = 0
    this.count = 0
    this.arenaUsed = 0
    this.arenaGarbage = 0
  }

  isLive(e: number): boolean { return this.sizes[e] !== 0 }
  fileOf(e: number): number { return this.files[e]! }
  offsetOf(e: number): number { return this.offsets[e]! }
  sizeOf(e: number): number { return this.sizes[e]! }
  expiryOf(e: number): number { return this.expiries[e]! }
  hashOf(e: number): number { return this.hashes[e]! }

  /** The key of entry `e` as a string. */
  keyOf(e: number): string {
    const at = this.keyAt[e]!
    return this.arena.utf8Slice(at + 2, at + 2 + this.arena.readUInt16LE(at))
  }

  /** Bytes held outside the JS heap (for stats). */
  get externalBytes(): number {
    return this.slots.byteLength + this.arena.length + this.free.byteLength +
      this.hashes.length * (4 * 5 + 8)
  }

  /** Whether entry `e`'s key is the bytes `key[start, start + length)`. */
  keyMatches(e: number, key: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena
    const at = this.keyAt[e]!
    if (arena[at]! !== (length & 0xff) || arena[at + 1]! !== (length >>> 8)) return false
    const base = at + 2 - start
    for (let k = start; k < start + length; k++) if (arena[base + k] !== key[k]) return false
    return true
  }

  private storeKey(key: Uint8Array, start: number, length: number): number {
    if (this.arenaUsed + 2 + length > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + 2 + length))
      this.arena.copy(bigger, 0, 0, this.arenaUsed)
      this.arena = bigger
    }
    const at = this.arenaUsed
    this.arena.writeUInt16LE(length, at)
    for (let k = 0; k < length; k++) this.arena[at + 2 + k] = key[start + k]!
    this.arenaUsed += 2 + length
    return at
  }

  private newEntry(): number {
    if (this.highWater === this.sizes.length) {
      const n = this.sizes.length * 2
      this.hashes = grow(this.hashes, n)
      this.keyAt = grow(this.keyAt, n)
      this.files = grow(this.files, n)
      this.offsets = grow(this.offsets, n)
      this.sizes = grow(this.sizes, n)
      const expiries = new Float64Array(n)
      expiries.set(this.expiries)
      this.expiries = expiries
    }
    return this.highWater++
  }

  private resizeSlots(n: number): void {
    const slots = new Uint32Array(n * 2)
    const mask = n - 1
    for (let e = 0; e < this.highWater; e++) {
      if (this.sizes[e] === 0) continue
      const hash = this.hashes[e]!
      let i = hash & mask
      while (slots[2 * i + 1] !== EMPTY) i = (i + 1) & mask
      slots[2 * i] = hash
      slots[2 * i + 1] = e + 1
    }
    this.slots = slots
    this.mask = mask
  }

  /** Rewrites the key arena without the keys of removed entries. */
  private compactArena(): void {
    const old = this.arena
    const fresh = Buffer.allocUnsafe(Math.max(64 * 1024, this.arenaUsed - this.arenaGarbage))
    let used = 0
    for (let e = 0; e < this.highWater; e++) {
      if (this.sizes[e] === 0) continue
      const at = this.keyAt[e]!
      const n = 2 + old.readUInt16LE(at)
      old.copy(fresh, used, at, at + n)
      this.keyAt[e] = used
      used += n
    }
    this.arena = fresh
    this.arenaUsed = used
    this.arenaGarbage = 0
  }
}

export interface IndexState {
  counters: number[]
  arrays: (Uint32Array | Float64Array | Buffer)[]
}

function grow(a: Uint32Array, n: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(n)
  b.set(a)
  return b
}

/** FNV-1a over the key bytes with a murmur3 finalizer, so the low bits that pick a slot are well mixed. */
export function hashKey(key: Uint8Array, start: number, length: number): number {
  let h = 0x811c9dc5
  for (let i = start; i < start + length; i++) h = Math.imul(h ^ key[i]!, 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
