/**
 * Several doubly-linked lists over dense key ids, in typed arrays: every key is in at most one list,
 * so one prev/next pair per key suffices, and moving a key costs no allocation. The reference
 * policies (LRU, ARC, W-TinyLFU) are built from these; Cortado's model is not (it may only use FIFOs).
 * Head = most recent, tail = least recent.
 */
export class KeyLists {
  private readonly prev: Int32Array
  private readonly next: Int32Array
  /** Which list each key is in, or -1. */
  private readonly owner: Int8Array
  readonly sizes: Int32Array
  private readonly base: number

  constructor(universe: number, lists: number) {
    // Node `universe + l` is the sentinel of list l.
    this.base = universe
    this.prev = new Int32Array(universe + lists)
    this.next = new Int32Array(universe + lists)
    this.owner = new Int8Array(universe).fill(-1)
    this.sizes = new Int32Array(lists)
    for (let l = 0; l < lists; l++) {
      this.prev[universe + l] = universe + l
      this.next[universe + l] = universe + l
    }
  }

  listOf(key: number): number {
    return this.owner[key]!
  }

  size(list: number): number {
    return this.sizes[list]!
  }

  /** Least recent key of the list, or -1 when empty. */
  tail(list: number): number {
    const s = this.base + list
    const t = this.prev[s]!
    return t === s ? -1 : t
  }

  pushHead(list: number, key: number): void {
    const s = this.base + list
    const first = this.next[s]!
    this.prev[key] = s
    this.next[key] = first
    this.prev[first] = key
    this.next[s] = key
    this.owner[key] = list
    this.sizes[list]!++
  }

  remove(key: number): void {
    const l = this.owner[key]!
    if (l < 0) return
    const p = this.prev[key]!
    const n = this.next[key]!
    this.next[p] = n
    this.prev[n] = p
    this.owner[key] = -1
    this.sizes[l]!--
  }

  /** Moves the key (from wherever it is) to the head of `list`. */
  moveToHead(list: number, key: number): void {
    this.remove(key)
    this.pushHead(list, key)
  }

  /** Removes and returns the tail of the list, or -1. */
  popTail(list: number): number {
    const t = this.tail(list)
    if (t >= 0) this.remove(t)
    return t
  }
}
