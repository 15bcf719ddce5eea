/**
 * Consistent hashing with virtual nodes, for spreading keys over several cache servers so that adding
 * or removing one server moves only about 1/N of the keys.
 *
 * Each node owns `vnodes × weight` points on a 32-bit ring. A plain ring sends a key to the first point
 * clockwise of its hash; with 100 points per node the share of each node then varies by about
 * 1/sqrt(100) = 10% (one standard deviation), so one node in ten routinely carries 15-20% more than
 * its share. The ring therefore looks each key up with several probes (multi-probe consistent
 * hashing, Appleton & O'Reilly 2015): the key is hashed `probes` times and goes to the point closest
 * to any of its probes. That keeps the exact movement guarantees of a ring (a new node only takes
 * keys, a removed node's keys are the only ones that move) while the shares even out: with the
 * defaults, every node of ten stays within a few percent of even. `probes: 1` is the classic ring.
 *
 * The hash is MurmurHash3 (x86, 32-bit) over a string's UTF-16 code units, seeded: every process that
 * builds a ring from the same nodes and options routes every key to the same node.
 */
import { CortadoError } from '../errors.js'
import { positiveInteger } from '../options.js'

/** Options of `new HashRing(nodes, options)`. */
export interface HashRingOptions {
  /** Points on the ring per node (times the node's weight). Default 100. */
  vnodes?: number
  /**
   * Hashes per key lookup; the key goes to the ring point nearest any of them. More probes even out
   * the load at the cost of a binary search each. Default 12; 1 = a classic ring.
   */
  probes?: number
  /** Seed of the hash: rings that must agree need the same seed. Default 0. */
  seed?: number
}

/** Consistent hashing of keys onto named nodes (multi-probe), so adding or removing a node moves only its share of the keys. */
export class HashRing {
  readonly #vnodes: number
  readonly #probes: number
  readonly #seed: number
  readonly #weights = new Map<string, number>()
  /** Ring points, ascending; `owners[i]` is the index in `names` of the node owning `points[i]`. */
  #points = new Uint32Array(0)
  #owners = new Uint32Array(0)
  #names: string[] = []

  constructor(nodes: Iterable<string> = [], options: HashRingOptions = {}) {
    this.#vnodes = positiveInteger(options.vnodes, 'vnodes', 100)
    this.#probes = positiveInteger(options.probes, 'probes', 12)
    this.#seed = (options.seed ?? 0) >>> 0
    for (const node of nodes) this.#weights.set(node, 1)
    this.#rebuild()
  }

  /** Node names, in the order they were added. */
  get nodes(): string[] {
    return [...this.#weights.keys()]
  }

  /** How many nodes are on the ring. */
  get size(): number {
    return this.#weights.size
  }

  /** Whether `node` is on the ring. */
  has(node: string): boolean {
    return this.#weights.has(node)
  }

  /**
   * Adds a node (or changes its weight): it owns `vnodes × weight` points, so a weight of 2 takes
   * about twice the keys. Only keys that now land on this node move.
   */
  add(node: string, weight = 1): void {
    if (typeof node !== 'string' || node === '') {
      throw new CortadoError('ERR_INVALID_OPTION', 'a node name must be a non-empty string')
    }
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new CortadoError('ERR_INVALID_OPTION', `weight must be a positive number, got ${weight}`)
    }
    this.#weights.set(node, weight)
    this.#rebuild()
  }

  /** Removes a node; only its keys move. Returns whether it was there. */
  remove(node: string): boolean {
    if (!this.#weights.delete(node)) return false
    this.#rebuild()
    return true
  }

  /** The node for `key`, or `undefined` when the ring is empty. */
  locate(key: string): string | undefined {
    const points = this.#points
    const n = points.length
    if (n === 0) return undefined
    const h1 = murmur3(key, this.#seed)
    // Double hashing: probe i is h1 + i·h2, with h2 odd so the probes never coincide.
    const h2 = (fmix32((h1 + 0x9e3779b9) | 0) | 1) >>> 0
    let best = 0
    let bestDistance = Infinity
    for (let i = 0; i < this.#probes; i++) {
      const h = (h1 + Math.imul(i, h2)) >>> 0
      // First point at or after h, wrapping to the start of the ring.
      let lo = 0
      let hi = n
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (points[mid]! < h) lo = mid + 1
        else hi = mid
      }
      const at = lo === n ? 0 : lo
      const distance = (points[at]! - h + 0x1_0000_0000) % 0x1_0000_0000
      if (distance < bestDistance) {
        bestDistance = distance
        best = at
      }
    }
    return this.#names[this.#owners[best]!]
  }

  #rebuild(): void {
    this.#names = [...this.#weights.keys()].sort()
    const total = this.#names.reduce((sum, name) => sum + Math.round(this.#vnodes * this.#weights.get(name)!), 0)
    const entries: { point: number; owner: number }[] = new Array(total)
    let k = 0
    this.#names.forEach((name, owner) => {
      const count = Math.round(this.#vnodes * this.#weights.get(name)!)
      // A node's points depend only on its name, so they stay put when other nodes come and go.
      for (let v = 0; v < count; v++) entries[k++] = { point: murmur3(name, (this.#seed + Math.imul(v + 1, 0x85ebca6b)) >>> 0), owner }
    })
    // Ties between nodes (rare) break by name, so every process builds the same ring.
    entries.sort((a, b) => a.point - b.point || a.owner - b.owner)
    this.#points = Uint32Array.from(entries, (e) => e.point)
    this.#owners = Uint32Array.from(entries, (e) => e.owner)
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** MurmurHash3 x86_32 of the string's UTF-16LE bytes (two code units per 32-bit block). */
function murmur3(text: string, seed: number): number {
  let h = seed | 0
  const units = text.length
  const pairs = units & ~1
  for (let i = 0; i < pairs; i += 2) {
    let k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16)
    k = Math.imul(k, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    h ^= Math.imul(k, 0x1b873593)
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  if (units & 1) {
    let k = text.charCodeAt(units - 1)
    k = Math.imul(k, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    h ^= Math.imul(k, 0x1b873593)
  }
  return fmix32(h ^ (units * 2))
}
