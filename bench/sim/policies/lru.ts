import type { Trace } from '../../workloads/trace.js'
import type { Policy } from '../policy.js'
import { KeyLists } from './key-lists.js'

/** Exact LRU: the baseline every JavaScript cache in common use implements. */
export class LruPolicy implements Policy {
  private readonly lists: KeyLists

  constructor(
    private readonly capacity: number,
    trace: Trace,
  ) {
    this.lists = new KeyLists(trace.universe, 1)
  }

  access(key: number): boolean {
    const hit = this.lists.listOf(key) === 0
    this.lists.moveToHead(0, key)
    if (!hit && this.lists.size(0) > this.capacity) this.lists.popTail(0)
    return hit
  }

  read(key: number): boolean {
    if (this.lists.listOf(key) !== 0) return false
    this.lists.moveToHead(0, key)
    return true
  }

  write(key: number): void {
    this.access(key)
  }
}
