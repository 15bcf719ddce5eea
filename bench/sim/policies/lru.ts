import type { Trace } from '../../workloads/trace.js'
import type { Policy } from '../policy.js'

const EMPTY = -1

/**
 * Exact LRU: the baseline every JavaScript cache in common use implements.
 *
 * Its state is sized by capacity, not by the trace's key universe: generated traces can name far more
 * keys than they could ever hold (the moving Zipf at 1M entries spans ~200M key ids), and per-key
 * arrays over that universe cost GBs. Resident keys get one node each (a doubly-linked list over node
 * ids in typed arrays), found through an open-addressing table of node ids with linear probing and
 * backward-shift deletion (no tombstones, so probe lengths stay short however long the trace runs).
 */
export class LruPolicy implements Policy {
  /** Key of each node. */
  private readonly nodeKey: Int32Array
  /** Node `sentinel` is the list head: next = most recent, prev = least recent. */
  private readonly prev: Int32Array
  private readonly next: Int32Array
  private readonly sentinel: number
  /** Open-addressing table of node ids (EMPTY when free); at most half full. */
  private readonly table: Int32Array
  private readonly mask: number
  private readonly shift: number
  /** Nodes never used yet start here; freed nodes go on the free stack. */
  private fresh = 0
  private readonly free: Int32Array
  private freeTop = 0
  private size = 0

  constructor(
    private readonly capacity: number,
    _trace?: Trace,
  ) {
    // One node beyond capacity: a miss links the newcomer before the tail is evicted, as LRU is defined.
    const nodes = capacity + 1
    this.sentinel = nodes
    this.nodeKey = new Int32Array(nodes)
    this.prev = new Int32Array(nodes + 1)
    this.next = new Int32Array(nodes + 1)
    this.prev[nodes] = nodes
    this.next[nodes] = nodes
    this.free = new Int32Array(nodes)
    let bits = 1
    while (1 << bits < 2 * nodes) bits++
    this.table = new Int32Array(1 << bits).fill(EMPTY)
    this.mask = (1 << bits) - 1
    this.shift = 32 - bits
  }

  access(key: number): boolean {
    const node = this.find(key)
    if (node !== EMPTY) {
      this.toHead(node)
      return true
    }
    this.insert(key)
    if (this.size > this.capacity) this.evictTail()
    return false
  }

  read(key: number): boolean {
    const node = this.find(key)
    if (node === EMPTY) return false
    this.toHead(node)
    return true
  }

  write(key: number): void {
    this.access(key)
  }

  /** Fibonacci hashing: the top bits of key × 2^32/φ spread consecutive ids (every trace here). */
  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift
  }

  private find(key: number): number {
    for (let i = this.home(key); ; i = (i + 1) & this.mask) {
      const n = this.table[i]!
      if (n === EMPTY || this.nodeKey[n] === key) return n
    }
  }

  private insert(key: number): void {
    const node = this.freeTop > 0 ? this.free[--this.freeTop]! : this.fresh++
    this.nodeKey[node] = key
    let i = this.home(key)
    while (this.table[i] !== EMPTY) i = (i + 1) & this.mask
    this.table[i] = node
    this.link(node)
    this.size++
  }

  private evictTail(): void {
    const node = this.prev[this.sentinel]!
    this.unlink(node)
    this.unindex(this.nodeKey[node]!)
    this.free[this.freeTop++] = node
    this.size--
  }

  /** Removes the key's slot, shifting later members of its probe run back so no lookup loses its way. */
  private unindex(key: number): void {
    const mask = this.mask
    let hole = this.home(key)
    while (this.nodeKey[this.table[hole]!] !== key) hole = (hole + 1) & mask
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const n = this.table[j]!
      if (n === EMPTY) break
      const h = this.home(this.nodeKey[n]!)
      // The entry at j may fill the hole only if its home is not in the cyclic range (hole, j].
      if (((j - h) & mask) >= ((j - hole) & mask)) {
        this.table[hole] = n
        hole = j
      }
    }
    this.table[hole] = EMPTY
  }

  private toHead(node: number): void {
    if (this.next[this.sentinel] === node) return
    this.unlink(node)
    this.link(node)
  }

  private link(node: number): void {
    const s = this.sentinel
    const first = this.next[s]!
    this.prev[node] = s
    this.next[node] = first
    this.prev[first] = node
    this.next[s] = node
  }

  private unlink(node: number): void {
    const p = this.prev[node]!
    const n = this.next[node]!
    this.next[p] = n
    this.prev[n] = p
  }
}
