/**
 * A FIFO of key ids in a ring buffer that doubles when full: the simulator's image of one log
 * segment queue (append at the head, look at / take the tail).
 */
export class KeyFifo {
  private buf: Int32Array
  private mask: number
  private headPos = 0
  private tailPos = 0

  constructor(initialCapacity = 1024) {
    let n = 16
    while (n < initialCapacity) n *= 2
    this.buf = new Int32Array(n)
    this.mask = n - 1
  }

  get length(): number {
    return this.headPos - this.tailPos
  }

  push(key: number): void {
    if (this.headPos - this.tailPos === this.buf.length) this.grow()
    this.buf[this.headPos++ & this.mask] = key
  }

  /** Puts `key` at the tail: the next to be taken (RESEARCH demoteShed, stop 52; the engines' queues have no such insertion). */
  pushTail(key: number): void {
    if (this.headPos - this.tailPos === this.buf.length) this.grow()
    this.buf[--this.tailPos & this.mask] = key
  }

  /** The oldest key; the queue must not be empty. */
  peek(): number {
    return this.buf[this.tailPos & this.mask]!
  }

  /** Removes and returns the oldest key; the queue must not be empty. */
  pop(): number {
    return this.buf[this.tailPos++ & this.mask]!
  }

  private grow(): void {
    const n = this.buf.length
    const next = new Int32Array(n * 2)
    for (let i = 0; i < n; i++) next[i] = this.buf[(this.tailPos + i) & this.mask]!
    this.buf = next
    this.mask = n * 2 - 1
    this.tailPos = 0
    this.headPos = n
  }
}
