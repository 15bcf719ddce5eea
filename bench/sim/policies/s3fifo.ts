import type { Trace } from '../../workloads/trace.js'
import { KeyFifo } from '../fifo.js'
import type { Policy } from '../policy.js'

const NONE = 0
const SMALL = 1
const MAIN = 2

/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023): a small FIFO
 * of fixed size (10% of the entries) filters one-hit wonders; keys requested while in it move to the
 * main FIFO (90%), the others leave a ghost (as many as 90% of the entries); a ghost hit goes straight
 * to main. Main reinserts keys whose 2-bit counter is positive, decrementing it (CLOCK-like).
 */
export class S3FifoPolicy implements Policy {
  private readonly where: Uint8Array
  private readonly freq: Uint8Array
  private readonly ghostStamp: Float64Array
  private readonly small = new KeyFifo()
  private readonly main = new KeyFifo()
  private readonly smallCapacity: number
  private readonly mainCapacity: number
  private readonly ghostCapacity: number
  private ghostClock = 0

  constructor(capacity: number, trace: Trace) {
    this.where = new Uint8Array(trace.universe)
    this.freq = new Uint8Array(trace.universe)
    this.ghostStamp = new Float64Array(trace.universe)
    this.smallCapacity = Math.max(1, Math.floor(capacity * 0.1))
    this.mainCapacity = capacity - this.smallCapacity
    this.ghostCapacity = Math.floor(capacity * 0.9)
  }

  access(key: number): boolean {
    if (this.where[key] !== NONE) {
      if (this.freq[key]! < 3) this.freq[key]!++
      return true
    }
    this.freq[key] = 0
    const stamp = this.ghostStamp[key]!
    if (stamp > 0 && this.ghostClock - stamp < this.ghostCapacity) {
      this.ghostStamp[key] = 0
      this.toMain(key)
    } else {
      this.where[key] = SMALL
      this.small.push(key)
      if (this.small.length > this.smallCapacity) this.evictSmall()
    }
    return false
  }

  private toMain(key: number): void {
    this.where[key] = MAIN
    this.main.push(key)
    if (this.main.length > this.mainCapacity) this.evictMain()
  }

  /** Takes keys off the small FIFO's tail until one is evicted (the others move to main). */
  private evictSmall(): void {
    while (this.small.length > 0) {
      const t = this.small.pop()
      if (this.freq[t]! > 0) {
        this.freq[t] = 0
        this.toMain(t)
      } else {
        this.where[t] = NONE
        this.ghostStamp[t] = ++this.ghostClock
        return
      }
    }
  }

  private evictMain(): void {
    while (this.main.length > 0) {
      const t = this.main.pop()
      const f = this.freq[t]!
      if (f > 0) {
        this.freq[t] = f - 1
        this.main.push(t)
      } else {
        this.where[t] = NONE
        return
      }
    }
  }
}
