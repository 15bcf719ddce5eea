import type { Trace } from '../../workloads/trace.js'

/**
 * Collects raw block numbers into a trace of dense ids (first-seen order), growing a typed array so
 * a multi-million-request trace costs 4 bytes per request.
 */
export class TraceBuilder {
  private keys = new Int32Array(1 << 16)
  private length = 0
  private readonly ids = new Map<number, number>()

  push(block: number): void {
    let id = this.ids.get(block)
    if (id === undefined) {
      id = this.ids.size
      this.ids.set(block, id)
    }
    if (this.length === this.keys.length) {
      const grown = new Int32Array(this.keys.length * 2)
      grown.set(this.keys)
      this.keys = grown
    }
    this.keys[this.length++] = id
  }

  build(name: string): Trace {
    return { name, keys: this.keys.slice(0, this.length), universe: this.ids.size }
  }
}
