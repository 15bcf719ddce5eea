/**
 * Which peers to stop asking for a while. A peer that timed out, refused the connection or sent a
 * broken reply is "down" for `unhealthyMs`: meanwhile its keys load locally at once instead of every
 * caller paying the full timeout first. When the period ends, the next request for one of its keys
 * tries it again (that request is the probe), so a restarted owner takes its keys back without any
 * separate health-check traffic.
 */
export class PeerHealth {
  readonly #unhealthyMs: number
  readonly #clock: () => number
  /** Peer → time (clock ms) until which it is not asked. */
  readonly #downUntil = new Map<string, number>()

  constructor(unhealthyMs: number, clock: () => number = Date.now) {
    this.#unhealthyMs = unhealthyMs
    this.#clock = clock
  }

  isUp(peer: string): boolean {
    const until = this.#downUntil.get(peer)
    if (until === undefined) return true
    if (this.#clock() < until) return false
    this.#downUntil.delete(peer)
    return true
  }

  markDown(peer: string): void {
    this.#downUntil.set(peer, this.#clock() + this.#unhealthyMs)
  }

  markUp(peer: string): void {
    this.#downUntil.delete(peer)
  }

  /** Peers currently not asked. */
  down(): string[] {
    return [...this.#downUntil.keys()].filter((peer) => !this.isUp(peer))
  }

  /** Forgets peers that left the group. */
  retain(members: readonly string[]): void {
    const keep = new Set(members)
    for (const peer of this.#downUntil.keys()) if (!keep.has(peer)) this.#downUntil.delete(peer)
  }
}
