import type { Trace } from '../../workloads/trace.js'
import type { Policy } from '../policy.js'

const NEVER = 0x7fffffff

/**
 * For each position, the position of the key's next request (NEVER if none). Computed once per
 * trace and shared by every size OPT is run at.
 */
export function nextUses(trace: Trace): Int32Array {
  const keys = trace.keys
  const next = new Int32Array(keys.length)
  const seen = new Int32Array(trace.universe).fill(NEVER)
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!
    next[i] = seen[k]!
    seen[k] = i
  }
  return next
}

const cache = new WeakMap<Trace, Int32Array>()

/**
 * Bélády's MIN for a demand-fetch cache: on a miss with a full cache, the newcomer is cached and the
 * cached key requested furthest in the future leaves. The upper bound of any demand-fetch cache
 * (a cache that may refuse the newcomer — admission — can do a few hundredths better: `bypass`). Must be fed the trace in order: it follows its own position in it.
 * The cached keys sit in an indexed binary max-heap on next use, so each request is O(log capacity).
 */
export class OptPolicy implements Policy {
  private readonly next: Int32Array
  private readonly heapKey: Int32Array
  private readonly heapPri: Int32Array
  private readonly pos: Int32Array
  private size = 0
  private t = 0

  constructor(
    private readonly capacity: number,
    private readonly trace: Trace,
    /** Let MIN decline to cache the newcomer; the anchors' OPT is the demand-fetch one (false). */
    private readonly bypass = false,
  ) {
    let next = cache.get(trace)
    if (next === undefined) {
      next = nextUses(trace)
      cache.set(trace, next)
    }
    this.next = next
    this.heapKey = new Int32Array(capacity)
    this.heapPri = new Int32Array(capacity)
    this.pos = new Int32Array(trace.universe).fill(-1)
  }

  access(key: number): boolean {
    const t = this.t++
    if (this.trace.keys[t] !== key) throw new Error(`opt: request ${t} is ${this.trace.keys[t]}, not ${key}`)
    const nu = this.next[t]!
    const p = this.pos[key]!
    if (p >= 0) {
      // The next use only moves later, so in a max-heap the key can only rise.
      this.heapPri[p] = nu
      this.siftUp(p)
      return true
    }
    if (this.size < this.capacity) {
      const i = this.size++
      this.place(i, key, nu)
      this.siftUp(i)
    } else if (!this.bypass || nu < this.heapPri[0]!) {
      this.pos[this.heapKey[0]!] = -1
      this.place(0, key, nu)
      this.siftDown(0)
    }
    return false
  }

  private place(i: number, key: number, pri: number): void {
    this.heapKey[i] = key
    this.heapPri[i] = pri
    this.pos[key] = i
  }

  private siftUp(i: number): void {
    const key = this.heapKey[i]!
    const pri = this.heapPri[i]!
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.heapPri[parent]! >= pri) break
      this.place(i, this.heapKey[parent]!, this.heapPri[parent]!)
      i = parent
    }
    this.place(i, key, pri)
  }

  private siftDown(i: number): void {
    const key = this.heapKey[i]!
    const pri = this.heapPri[i]!
    const n = this.size
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && this.heapPri[c + 1]! > this.heapPri[c]!) c++
      if (this.heapPri[c]! <= pri) break
      this.place(i, this.heapKey[c]!, this.heapPri[c]!)
      i = c
    }
    this.place(i, key, pri)
  }
}
