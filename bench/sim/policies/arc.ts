import type { Trace } from '../../workloads/trace.js'
import type { Policy } from '../policy.js'
import { KeyLists } from './key-lists.js'

const T1 = 0
const T2 = 1
const B1 = 2
const B2 = 3

/**
 * ARC exactly as in Megiddo & Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache"
 * (FAST 2003), Fig. 4: T1/T2 hold the cache (seen once / at least twice recently), B1/B2 their
 * ghosts, and p — the target size of T1 — moves toward whichever ghost gets hit.
 */
export class ArcPolicy implements Policy {
  private readonly l: KeyLists
  private p = 0

  constructor(
    private readonly c: number,
    trace: Trace,
  ) {
    this.l = new KeyLists(trace.universe, 4)
  }

  access(x: number): boolean {
    const l = this.l
    const where = l.listOf(x)
    if (where === T1 || where === T2) {
      l.moveToHead(T2, x)
      return true
    }
    if (where === B1) {
      const d = l.size(B1) >= l.size(B2) ? 1 : l.size(B2) / l.size(B1)
      this.p = Math.min(this.c, this.p + d)
      this.replace(false)
      l.moveToHead(T2, x)
      return false
    }
    if (where === B2) {
      const d = l.size(B2) >= l.size(B1) ? 1 : l.size(B1) / l.size(B2)
      this.p = Math.max(0, this.p - d)
      this.replace(true)
      l.moveToHead(T2, x)
      return false
    }
    const l1 = l.size(T1) + l.size(B1)
    if (l1 === this.c) {
      if (l.size(T1) < this.c) {
        l.popTail(B1)
        this.replace(false)
      } else {
        l.popTail(T1)
      }
    } else {
      const total = l1 + l.size(T2) + l.size(B2)
      if (total >= this.c) {
        if (total === 2 * this.c) l.popTail(B2)
        this.replace(false)
      }
    }
    l.pushHead(T1, x)
    return false
  }

  private replace(inB2: boolean): void {
    const l = this.l
    const t1 = l.size(T1)
    // An empty T2 leaves nothing else to take (T1 fills the cache while p >= c).
    if (t1 > 0 && (t1 > this.p || (inB2 && t1 === this.p) || l.size(T2) === 0)) {
      l.moveToHead(B1, l.tail(T1))
    } else {
      l.moveToHead(B2, l.tail(T2))
    }
  }
}
