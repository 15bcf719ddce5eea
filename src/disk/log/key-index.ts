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

import { HINT_ENTRY_BYTES } from './hint-file.js'

const EMPTY = 0
/** Bytes of a hint entry before its key (the layout stageHints reads). */
const HINT_ENTRY = HINT_ENTRY_BYTES
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

  /**
   * Makes room for `entries` more keys of `keyBytes` key bytes in all, so that loading them (an open)
   * grows no array and rehashes nothing on the way. `shrinkToFit` gives back what a load did not use.
   */
  reserve(entries: number, keyBytes: number): void {
    const want = this.count + entries
    let slots = this.mask + 1
    while (want > MAX_LOAD * slots) slots *= 2
    if (slots !== this.mask + 1) this.resizeSlots(slots)
    if (this.highWater + entries > this.sizes.length) this.growEntries(this.highWater + entries)
    const arenaWant = this.arenaUsed + keyBytes + 2 * entries
    if (arenaWant > this.arena.length) this.growArena(arenaWant)
  }

  /**
   * After a load into a `reserve`d index: when overwrites and deletes left most of the room unused,
   * gives it back (a rehash of the live keys, once), so memory follows the live keys.
   */
  shrinkToFit(): void {
    let slots = this.mask + 1
    while (slots > MIN_SLOTS && this.count <= (MAX_LOAD / 4) * slots) slots /= 2
    if (slots !== this.mask + 1) this.resizeSlots(slots)
    const entries = Math.max(MIN_ENTRIES, this.highWater)
    if (entries * 2 <= this.sizes.length) this.setEntryCapacity(entries)
    const arena = Math.max(64 * 1024, this.arenaUsed)
    if (arena * 2 <= this.arena.length) {
      const fitted = Buffer.allocUnsafe(arena)
      this.arena.copy(fitted, 0, 0, this.arenaUsed)
      this.arena = fitted
    }
  }

  /**
   * The entry of the key at `key[start, start + length)` with `hash`, as `find` gives it, or when absent
   * -(slot + 1) for the empty slot where `addAt` puts it. One probe instead of `find` then `add`;
   * the answer holds until the next change to the index.
   */
  locate(key: Uint8Array, start: number, length: number, hash: number): number {
    if ((this.count + 1) > MAX_LOAD * (this.mask + 1)) this.resizeSlots((this.mask + 1) * 2)
    const slots = this.slots
    const mask = this.mask
    let i = hash & mask
    for (;;) {
      const e = slots[2 * i + 1]!
      if (e === EMPTY) return -(i + 1)
      if (slots[2 * i] === hash && this.keyMatches(e - 1, key, start, length)) return e - 1
      i = (i + 1) & mask
    }
  }

  /** Adds an absent key into the empty slot `locate` returned (as -(slot + 1)); returns its entry. */
  addAt(where: number, key: Uint8Array, start: number, length: number, hash: number, file: number, offset: number, size: number, expiresAt: number): number {
    const i = -where - 1
    const e = this.freeCount > 0 ? this.free[--this.freeCount]! : this.newEntry()
    this.hashes[e] = hash
    this.keyAt[e] = this.storeKey(key, start, length)
    this.files[e] = file
    this.offsets[e] = offset
    this.sizes[e] = size
    this.expiries[e] = expiresAt
    this.slots[2 * i] = hash
    this.slots[2 * i + 1] = e + 1
    this.count++
    return e
  }

  // Bulk loading (an open from hint files). Entries are first staged: written to the entry columns in
  // replay order, one after the other, without a slot. `link` then puts them into the slot table in the
  // order of their home slots (a stable radix sort), so the table is written front to back instead of at
  // one random place per key, which on a large table is a cache miss per key. A stable sort keeps the
  // entries of one key in replay order, so the later record wins and a tombstone removes what came
  // before it, exactly as inserting them one by one would.

  /** First staged entry, or -1 when nothing is staged. */
  private stageStart = -1
  /** Per staged entry: 1 when it removes its key (a tombstone or an expired record). */
  private stageRemoves = new Uint8Array(0)

  /**
   * Stages every entry of a checked hint file (`count` entries filling `bytes[0, body)`, in the layout
   * of hint-file.ts) as records of segment `file`, in order. Records expired at `now` and tombstones stage
   * as removals. Returns how many live (non-tombstone) records were found expired; `stagedLiveBytes`
   * says how many bytes of records that are not removals were staged. One loop over the bytes with the
   * columns in locals: this runs once per key on an open.
   */
  stageHints(bytes: Buffer, count: number, body: number, file: number, now: number): number {
    if (this.stageStart < 0) this.stageStart = this.highWater
    const first = this.highWater
    if (first + count > this.sizes.length) this.growEntries(Math.max(first + count, this.sizes.length * 2))
    const k0 = first - this.stageStart
    if (k0 + count > this.stageRemoves.length) {
      const bigger = new Uint8Array(Math.max(1024, 2 * (k0 + count)))
      bigger.set(this.stageRemoves)
      this.stageRemoves = bigger
    }
    // A checked hint's entries fill its body exactly: what is not entry headers is key bytes.
    const keyBytes = body - count * HINT_ENTRY + 2 * count
    if (this.arenaUsed + keyBytes > this.arena.length) this.growArena(Math.max(this.arena.length * 2, this.arenaUsed + keyBytes))
    const removes = this.stageRemoves
    const hashes = this.hashes
    const keyAt = this.keyAt
    const files = this.files
    const offsets = this.offsets
    const sizes = this.sizes
    const expiries = this.expiries
    const arena = this.arena
    const arenaWords = new DataView(arena.buffer, arena.byteOffset, arena.byteLength)
    const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    let used = this.arenaUsed
    let expired = 0
    let live = 0
    let at = 0
    for (let i = 0; i < count; i++) {
      const e = first + i
      const b = bytes
      const n = words.getUint16(at + 2, true)
      hashes[e] = words.getUint32(at + 4, true)
      offsets[e] = words.getUint32(at + 8, true)
      const size = words.getUint32(at + 12, true)
      // A record is never empty, but a staged entry must not look free before it is linked.
      sizes[e] = size === 0 ? 1 : size
      files[e] = file
      // Most records never expire: eight zero bytes are 0 without a float read.
      let expiresAt = 0
      if ((words.getUint32(at + 16, true) | words.getUint32(at + 20, true)) !== 0) {
        expiresAt = b.readDoubleLE(at + 16)
      }
      expiries[e] = expiresAt
      const tombstone = (b[at]! & 1) !== 0
      const isExpired = expiresAt !== 0 && expiresAt <= now
      if (isExpired && !tombstone) expired++
      if (tombstone || isExpired) removes[k0 + i] = 1
      else {
        removes[k0 + i] = 0
        live += size
      }
      keyAt[e] = used
      arena[used] = n
      arena[used + 1] = n >>> 8
      // Four bytes a step through DataViews (V8 inlines them): the key copy is most of this loop.
      const from = at + HINT_ENTRY
      let k = 0
      for (; k + 4 <= n; k += 4) arenaWords.setUint32(used + 2 + k, words.getUint32(from + k, true), true)
      for (; k < n; k++) arena[used + 2 + k] = b[from + k]!
      used += 2 + n
      at += HINT_ENTRY + n
    }
    this.arenaUsed = used
    this.highWater = first + count
    this.stagedLiveBytes = live
    return expired
  }

  /** Bytes of the live records the last `stageHints` staged. */
  stagedLiveBytes = 0

  /**
   * Links every staged entry (see `stageHints`). `dropped(e)` is called for each live entry (one that was
   * in the index before, or a staged record that is not a removal) that a later staged record replaces
   * or removes, before it is freed.
   */
  link(dropped: (e: number) => void): void {
    const s0 = this.stageStart
    if (s0 < 0) return
    const n = this.highWater - s0
    let cap = this.mask + 1
    while (this.count + n > MAX_LOAD * cap) cap *= 2
    if (cap !== this.mask + 1) this.resizeSlots(cap)
    const mask = this.mask
    // A counting sort of (entry, hash) by the top 11 bits of the home slot: one stable pass whose 2048
    // write streams stay in cache, and within a bucket the slots touched lie close together.
    const bits = Math.min(11, 31 - Math.clz32(cap))
    const shift = 31 - Math.clz32(cap) - bits
    const staged = this.hashes.subarray(s0, s0 + n)
    const counts = new Uint32Array((1 << bits) + 1)
    for (let k = 0; k < n; k++) counts[((staged[k]! & mask) >>> shift) + 1]!++
    for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!
    const order = new Uint32Array(n)
    const hashes = new Uint32Array(n)
    const removes = this.stageRemoves
    for (let k = 0; k < n; k++) {
      const h = staged[k]!
      const at = counts[(h & mask) >>> shift]!++
      // The removal bit rides in the top bit of the order word, so nothing is read at random below.
      order[at] = (k | (removes[k]! << 31)) >>> 0
      hashes[at] = h
    }
    const slots = this.slots
    for (let k = 0; k < n; k++) {
      const word = order[k]!
      const e = s0 + (word & 0x7fffffff)
      const hash = hashes[k]!
      let i = hash & mask
      let found = -1
      for (;;) {
        const x = slots[2 * i + 1]!
        if (x === EMPTY) break
        if (slots[2 * i] === hash && this.sameKey(x - 1, e)) {
          found = x - 1
          break
        }
        i = (i + 1) & mask
      }
      if (found >= 0) dropped(found)
      if (word >>> 31 === 1) {
        if (found >= 0) this.remove(found)
        this.release(e)
      } else if (found >= 0) {
        slots[2 * i + 1] = e + 1
        this.release(found)
      } else {
        slots[2 * i] = hash
        slots[2 * i + 1] = e + 1
        this.count++
      }
    }
    this.stageStart = -1
    this.stageRemoves = new Uint8Array(0)
  }

  /**
   * After a bulk load that left many freed entries (keys overwritten or deleted across segments):
   * renumbers the live entries densely, so the columns can shrink to the live keys.
   */
  compactEntries(): void {
    if (this.stageStart >= 0 || this.highWater <= 2 * this.count + MIN_ENTRIES) return
    const remap = new Uint32Array(this.highWater)
    let k = 0
    for (let e = 0; e < this.highWater; e++) {
      if (this.sizes[e] === 0) continue
      remap[e] = k
      if (k !== e) {
        this.hashes[k] = this.hashes[e]!
        this.keyAt[k] = this.keyAt[e]!
        this.files[k] = this.files[e]!
        this.offsets[k] = this.offsets[e]!
        this.sizes[k] = this.sizes[e]!
        this.expiries[k] = this.expiries[e]!
        this.sizes[e] = 0
      }
      k++
    }
    const slots = this.slots
    for (let i = 1; i < slots.length; i += 2) {
      const x = slots[i]!
      if (x !== EMPTY) slots[i] = remap[x - 1]! + 1
    }
    this.highWater = k
    this.freeCount = 0
    this.free = new Uint32Array(64)
    if (this.arenaGarbage > 0) this.compactArena()
  }

  /** Whether entries `a` and `b` hold the same key. */
  private sameKey(a: number, b: number): boolean {
    const at = this.keyAt[b]!
    return this.keyMatches(a, this.arena, at + 2, this.arena[at]! | (this.arena[at + 1]! << 8))
  }

  /** Frees an entry that has no slot (a staged entry not linked, or one whose slot was handed over). */
  private release(e: number): void {
    const at = this.keyAt[e]!
    this.arenaGarbage += 2 + (this.arena[at]! | (this.arena[at + 1]! << 8))
    this.sizes[e] = 0
    if (this.freeCount === this.free.length) this.free = grow(this.free, this.free.length * 2)
    this.free[this.freeCount++] = e
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
    if (this.arenaUsed + 2 + length > this.arena.length) this.growArena(Math.max(this.arena.length * 2, this.arenaUsed + 2 + length))
    const arena = this.arena
    const at = this.arenaUsed
    arena[at] = length
    arena[at + 1] = length >>> 8
    const to = at + 2 - start
    for (let k = start; k < start + length; k++) arena[to + k] = key[k]!
    this.arenaUsed += 2 + length
    return at
  }

  private growArena(n: number): void {
    const bigger = Buffer.allocUnsafe(n)
    this.arena.copy(bigger, 0, 0, this.arenaUsed)
    this.arena = bigger
  }

  private newEntry(): number {
    if (this.highWater === this.sizes.length) this.growEntries(this.sizes.length * 2)
    return this.highWater++
  }

  private growEntries(n: number): void {
    if (n > this.sizes.length) this.setEntryCapacity(n)
  }

  /** Resizes the entry columns to `n` (≥ highWater) entries. */
  private setEntryCapacity(n: number): void {
    this.hashes = resized(this.hashes, n)
    this.keyAt = resized(this.keyAt, n)
    this.files = resized(this.files, n)
    this.offsets = resized(this.offsets, n)
    this.sizes = resized(this.sizes, n)
    const expiries = new Float64Array(n)
    expiries.set(this.expiries.subarray(0, Math.min(n, this.expiries.length)))
    this.expiries = expiries
  }

  private resizeSlots(n: number): void {
    const old = this.slots
    const slots = new Uint32Array(n * 2)
    const mask = n - 1
    // Walks the old table in slot order rather than the entries in entry order: a key's new home is a
    // function of its old one, so the new table is written in a few runs front to back instead of at
    // one random place per key. (Staged entries have no slot yet: link gives them one.)
    for (let j = 1; j < old.length; j += 2) {
      const x = old[j]!
      if (x === EMPTY) continue
      const hash = old[j - 1]!
      let i = hash & mask
      while (slots[2 * i + 1] !== EMPTY) i = (i + 1) & mask
      slots[2 * i] = hash
      slots[2 * i + 1] = x
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

function resized(a: Uint32Array, n: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(n)
  b.set(a.length <= n ? a : a.subarray(0, n))
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
