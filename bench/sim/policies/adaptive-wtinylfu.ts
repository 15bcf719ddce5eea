import type { Trace } from '../../workloads/trace.js'
import { PROBATION, WINDOW, WTinyLfuPolicy } from './wtinylfu.js'

const STEP_PERCENT = 0.0625
const STEP_DECAY = 0.98
const RESTART_THRESHOLD = 0.05
const SAMPLE_FACTOR = 10

/**
 * W-TinyLFU whose window size is hill-climbed on the hit ratio, as Caffeine describes it: every
 * 10 × capacity requests (once full), step the window in the direction that last improved the hit
 * ratio; steps start at 6.25% of capacity, decay by 0.98, and restart when the hit ratio moves by
 * 5 points (a workload change). An approximation of Caffeine, not Caffeine.
 */
export class AdaptiveWTinyLfuPolicy extends WTinyLfuPolicy {
  private windowSize: number
  private stepSize: number
  private previousHitRate = 0
  private hits = 0
  private misses = 0
  private readonly sampleSize: number

  constructor(capacity: number, trace: Trace, initialStepSign = 1) {
    super(capacity, trace)
    this.windowSize = this.maxWindow
    this.stepSize = initialStepSign * STEP_PERCENT * capacity
    this.sampleSize = SAMPLE_FACTOR * capacity
  }

  protected override onAccess(hit: boolean): void {
    if (!this.full) return
    if (hit) this.hits++
    else this.misses++
    if (this.hits + this.misses < this.sampleSize) return
    const hitRate = this.hits / (this.hits + this.misses)
    const change = hitRate - this.previousHitRate
    const amount = change >= 0 ? this.stepSize : -this.stepSize
    this.stepSize =
      Math.abs(change) >= RESTART_THRESHOLD ? STEP_PERCENT * this.capacity * (amount >= 0 ? 1 : -1) : STEP_DECAY * amount
    this.previousHitRate = hitRate
    this.hits = 0
    this.misses = 0
    if (amount > 0) this.increaseWindow(amount)
    else if (amount < 0) this.decreaseWindow(-amount)
  }

  private increaseWindow(amount: number): void {
    const quota = Math.min(amount, this.maxProtected)
    const steps = Math.floor(this.windowSize + quota) - Math.floor(this.windowSize)
    this.windowSize += quota
    const l = this.lists
    for (let i = 0; i < steps; i++) {
      this.maxWindow++
      this.maxProtected--
      this.demoteProtected()
      const c = l.tail(PROBATION)
      if (c >= 0) l.moveToHead(WINDOW, c)
    }
  }

  private decreaseWindow(amount: number): void {
    const quota = Math.min(amount, this.windowSize)
    const steps = Math.floor(this.windowSize) - Math.floor(this.windowSize - quota)
    this.windowSize -= quota
    const l = this.lists
    for (let i = 0; i < steps; i++) {
      this.maxWindow--
      this.maxProtected++
      const c = l.tail(WINDOW)
      if (c >= 0) l.moveToHead(PROBATION, c)
    }
  }
}

