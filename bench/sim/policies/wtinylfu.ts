import type { Trace } from '../../workloads/trace.js'
import { hashKey } from '../hash.js'
import type { Policy } from '../policy.js'
import { CountMinSketch } from '../sketch.js'
import { KeyLists } from './key-lists.js'

export const WINDOW = 0
export const PROBATION = 1
export const PROTECTED = 2

/**
 * W-TinyLFU (Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache Admission Policy", 2017),
 * as Caffeine lays it out: an LRU window (1%) in front of a segmented LRU main (80% protected);
 * a key leaving the window enters main only if the sketch says it is more frequent than main's
 * victim. Sketch: 4-bit count-min, depth 4, nextPow2(capacity) counters per row (the layout that
 * reproduces the anchors' W-TinyLFU column on OLTP), halved every 10 × capacity additions.
 */
export class WTinyLfuPolicy implements Policy {
  protected readonly lists: KeyLists
  protected readonly sketch: CountMinSketch
  protected maxWindow: number
  protected maxProtected: number

  constructor(
    protected readonly capacity: number,
    trace: Trace,
    windowFraction = 0.01,
  ) {
    this.lists = new KeyLists(trace.universe, 3)
    this.sketch = new CountMinSketch(capacity, { widthFactor: 1 })
    this.maxWindow = capacity - Math.floor(capacity * (1 - windowFraction))
    this.maxProtected = Math.floor((capacity - this.maxWindow) * 0.8)
  }

  access(key: number): boolean {
    this.sketch.increment(hashKey(key, 0))
    const l = this.lists
    switch (l.listOf(key)) {
      case WINDOW:
        l.moveToHead(WINDOW, key)
        this.onAccess(true)
        return true
      case PROBATION:
        l.moveToHead(PROTECTED, key)
        this.demoteProtected()
        this.onAccess(true)
        return true
      case PROTECTED:
        l.moveToHead(PROTECTED, key)
        this.onAccess(true)
        return true
    }
    l.pushHead(WINDOW, key)
    this.evict()
    this.onAccess(false)
    return false
  }

  /** Hook for adaptive variants: called after each request. */
  protected onAccess(_hit: boolean): void {}

  protected get full(): boolean {
    const l = this.lists
    return l.size(WINDOW) + l.size(PROBATION) + l.size(PROTECTED) >= this.capacity
  }

  protected demoteProtected(): void {
    const l = this.lists
    while (l.size(PROTECTED) > this.maxProtected) l.moveToHead(PROBATION, l.tail(PROTECTED))
  }

  private evict(): void {
    const l = this.lists
    while (l.size(WINDOW) > this.maxWindow) {
      const candidate = l.tail(WINDOW)
      l.moveToHead(PROBATION, candidate)
      if (!this.overfull()) continue
      let victim = l.tail(PROBATION)
      if (victim === candidate) victim = l.tail(PROTECTED)
      l.remove(victim >= 0 && this.admit(candidate, victim) ? victim : candidate)
    }
    while (this.overfull()) l.popTail(l.size(PROBATION) > 0 ? PROBATION : l.size(PROTECTED) > 0 ? PROTECTED : WINDOW)
  }

  private overfull(): boolean {
    const l = this.lists
    return l.size(WINDOW) + l.size(PROBATION) + l.size(PROTECTED) > this.capacity
  }

  protected admit(candidate: number, victim: number): boolean {
    return this.sketch.estimate(hashKey(candidate, 0)) > this.sketch.estimate(hashKey(victim, 0))
  }
}
