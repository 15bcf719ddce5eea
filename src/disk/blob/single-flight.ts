/** One run per key at a time in this thread: callers of a key that is in flight share its promise. */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>()

  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key)
    if (running) return running
    const flight = work().finally(() => this.flights.delete(key))
    this.flights.set(key, flight)
    return flight
  }

  get size(): number {
    return this.flights.size
  }
}
