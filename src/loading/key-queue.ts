/**
 * Runs async operations on one key in call order (in this thread): two writes of a key through a
 * write-through cache must reach the store and the cache in the same order, or the cache could keep
 * the older value while the store has the newer one.
 */
export class KeyQueue {
  readonly #tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, op: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve()
    const next = prev.then(op, op)
    const tail = next.catch(() => {})
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return next
  }
}
