/**
 * The FLIGHT table protocol on its own (two "threads" = two tables with different owner ids over one
 * SharedArrayBuffer): claim, wait, release with an outcome, takeover after a silent lease, and slots
 * left half-claimed or half-released by a thread that died.
 */
import { describe, it, expect } from 'vitest'
import * as L from '../../src/layout/constants.generated.js'
import { FlightTable, hashKey, startBeating } from '../../src/loading/flight-table.js'

function tables() {
  const i32 = new Int32Array(new SharedArrayBuffer(L.FLIGHT_SLOTS * L.FLIGHT_SIZE))
  return { i32, a: new FlightTable(i32, 0, 0), b: new FlightTable(i32, 0, 1) }
}
const never = new AbortController().signal
const LEASE = 200

describe('FLIGHT table', () => {
  it('claim, wait, release: the waiter reads the outcome', async () => {
    const { a, b } = tables()
    const h = hashKey('key')
    const mine = a.enter(h, LEASE)
    expect(mine.type).toBe('owner')
    const theirs = b.enter(h, LEASE)
    expect(theirs).toMatchObject({ type: 'waiter' })
    if (mine.type !== 'owner' || theirs.type !== 'waiter') return
    expect(theirs.slot).toBe(mine.slot)
    const waiting = b.wait(theirs.slot, theirs.id, h, 3000, never)
    await new Promise((r) => setTimeout(r, 5))
    expect(a.waiters(mine.slot)).toBe(1)
    let seen = -1
    expect(a.release(mine.slot, mine.id, L.FLIGHT_OUTCOME_STORED, (waiters) => { seen = waiters })).toBe(true)
    expect(seen).toBe(1)
    expect(await waiting).toMatchObject({ type: 'done', outcome: L.FLIGHT_OUTCOME_STORED })
    // Free again: the next miss claims it.
    expect(b.enter(h, LEASE).type).toBe('owner')
  })

  it('different keys in one probe window get different slots; a full window loads without the table', () => {
    const { a } = tables()
    const keys: string[] = []
    const home = hashKey('k0').home
    for (let i = 0; keys.length < 5; i++) if (hashKey(`k${i}`).home === home) keys.push(`k${i}`)
    const slots = keys.slice(0, 4).map((k) => a.enter(hashKey(k), LEASE))
    expect(slots.every((e) => e.type === 'owner')).toBe(true)
    expect(new Set(slots.map((e) => (e as { slot: number }).slot)).size).toBe(4)
    expect(a.enter(hashKey(keys[4]), LEASE).type).toBe('full')
  })

  it('a silent owner is taken over after the lease; a beating one is not', async () => {
    const { a, b } = tables()
    const h = hashKey('beating')
    const mine = a.enter(h, LEASE)
    if (mine.type !== 'owner') throw new Error('expected to own it')
    const stop = startBeating(a, mine.slot, mine.id)
    const theirs = b.enter(h, LEASE)
    if (theirs.type !== 'waiter') throw new Error('expected to wait')
    const ac = new AbortController()
    const waiting = b.wait(theirs.slot, theirs.id, h, LEASE, ac.signal)
    await new Promise((r) => setTimeout(r, 3 * LEASE))
    ac.abort()
    expect(await waiting).toEqual({ type: 'abandoned' })
    stop()

    // Now silent: the waiter takes over after about a lease, and the old owner can no longer release.
    const t0 = performance.now()
    const again = b.enter(h, LEASE)
    if (again.type !== 'waiter') throw new Error('expected to wait')
    expect(await b.wait(again.slot, again.id, h, LEASE, never)).toEqual({ type: 'owner' })
    expect(performance.now() - t0).toBeGreaterThanOrEqual(LEASE - 5)
    expect(a.owns(mine.slot, mine.id)).toBe(false)
    expect(a.release(mine.slot, mine.id, L.FLIGHT_OUTCOME_STORED)).toBe(false)
    expect(b.release(again.slot, again.id, L.FLIGHT_OUTCOME_STORED)).toBe(true)
  })

  it('a slot left half-claimed or half-released by a dead thread is freed after a lease', async () => {
    const { i32, a } = tables()
    const h = hashKey('stuck')
    const base = (slot: number) => (slot * L.FLIGHT_SIZE) >> 2
    // Half-claimed: CLAIMING marks in the whole window.
    for (let p = 0; p < 4; p++) i32[base((h.home + p) % L.FLIGHT_SLOTS) + (L.FLIGHT_TAG >> 2)] = -1
    expect(a.enter(h, LEASE).type).toBe('busy')
    await new Promise((r) => setTimeout(r, LEASE + 20))
    expect(a.enter(h, LEASE).type).toBe('busy')
    expect(a.enter(h, LEASE).type).toBe('owner')

    // Half-released: the key's tag still there, its id already cleared.
    const { i32: j, a: t } = tables()
    j[base(h.home) + (L.FLIGHT_TAG >> 2)] = h.tag
    j[base(h.home) + (L.FLIGHT_HASH2 >> 2)] = h.hash2
    expect(t.enter(h, LEASE).type).toBe('busy')
    await new Promise((r) => setTimeout(r, LEASE + 20))
    t.enter(h, LEASE)
    expect(t.enter(h, LEASE)).toMatchObject({ type: 'owner', slot: h.home })
  })
})
