/**
 * Who is in the group and who owns which key. Ownership is the existing consistent-hash ring
 * (src/tier/hash-ring.ts): every peer builds its ring from the same addresses with the same options,
 * so every peer agrees on each key's owner without talking, and a change of membership moves only the
 * keys of the peers that came or went (about 1/N of them).
 *
 * Addresses are normalized to their URL origin ('http://host:port'), so 'http://Host:7700/' and
 * 'http://host:7700' are one peer: peers that spell an address differently would otherwise build
 * different rings and disagree about owners.
 */
import { CortadoError, shown } from '../errors.js'
import { HashRing } from '../tier/hash-ring.js'

/** A peer address as every peer must write it: the URL origin of an http:// URL. */
export function normalizePeerAddress(address: unknown, what = 'peer address'): string {
  if (typeof address !== 'string' || address === '')
    throw new CortadoError('ERR_INVALID_OPTION', `${what} must be a URL string such as 'http://10.0.0.5:7700', got ${shown(address)}`)
  let url: URL
  try {
    url = new URL(address)
  } catch {
    throw new CortadoError('ERR_INVALID_OPTION', `${what} ${shown(address)} is not a URL (expected e.g. 'http://10.0.0.5:7700')`)
  }
  if (url.protocol !== 'http:')
    throw new CortadoError('ERR_INVALID_OPTION', `${what} ${shown(address)} must use http:// (peers talk plain HTTP; put TLS in a mesh or sidecar)`)
  if (url.pathname !== '/' || url.search !== '' || url.username !== '' || url.password !== '')
    throw new CortadoError('ERR_INVALID_OPTION', `${what} ${shown(address)} must be just 'http://host:port' (no path, query or credentials)`)
  return url.origin
}

export function normalizePeerList(peers: unknown, what: string): string[] {
  if (!Array.isArray(peers)) throw new CortadoError('ERR_INVALID_OPTION', `${what} must be an array of peer URLs, got ${shown(peers)}`)
  return [...new Set(peers.map((p, i) => normalizePeerAddress(p, `${what}[${i}]`)))]
}

export class Membership {
  readonly self: string
  #ring: HashRing
  readonly #vnodes: number

  constructor(self: string, peers: readonly string[], vnodes: number) {
    this.self = self
    this.#vnodes = vnodes
    this.#ring = this.#build(peers)
  }

  /** Every peer of the group, this one included, sorted. */
  get peers(): string[] {
    return this.#ring.nodes.sort()
  }

  /** The peer that loads `key` for the whole group. */
  ownerOf(key: string): string {
    // The ring always holds self, so it is never empty.
    return this.#ring.locate(key)!
  }

  /** Replaces the member list (self stays a member whether listed or not). Returns whether it changed. */
  set(peers: readonly string[]): boolean {
    const next = new Set([...peers, this.self])
    const current = this.#ring.nodes
    if (current.length === next.size && current.every((p) => next.has(p))) return false
    // A fresh ring rather than add/remove: the ring's points depend only on the member names, so the
    // result is the same, and this peer's ring is then built exactly like every other peer's.
    this.#ring = this.#build([...next])
    return true
  }

  #build(peers: readonly string[]): HashRing {
    return new HashRing(new Set([...peers, this.self]), { vnodes: this.#vnodes })
  }
}
