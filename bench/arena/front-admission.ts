/**
 * The front's admission once it is full, simulated (issue 19; src/engine/front.ts, SEEN_MIN_BITS): CLOCK
 * over `capacity` entries, fed Zipf(0.99) gets over `keys` keys (bench/harness/data.ts's scattered ranks),
 * every get that misses the front an arena hit that may enter it. Prints the share of gets the front
 * served per 2^20 gets. Rules:
 *   every8  one arena hit in 8 enters, whatever the key (the front until stop 46)
 *   twice   an arena hit enters if its key's last arena hit is still in a direct-mapped table of 2^bits
 *           places (the front since stop 46)
 *   sketch  an arena hit enters if the arena's sketch (4-bit counts, halved every 12 × keys counts, as the
 *           engine's over a cache of `keys` entries) counts its key more often than CLOCK's victim, or at
 *           the ceiling (TinyLFU's rule; not adopted: it locks a moved hot set out)
 *   twice+2 twice, with a 2-bit reference in CLOCK (a hit sets bit 1, and bit 2 when bit 1 was set; the hand
 *           takes one a pass): stop 48, +0.2 points at most, not adopted
 * ADMITTED=1 in the environment also prints the arena hits admitted per get (after the slash).
 *
 *   npx tsx bench/arena/front-admission.ts [--rule every8,twice,sketch] [--keys 1000000] [--capacity 85019]
 *       [--passes 4] [--bits 16] [--draws fresh|repeat] [--move 0]
 *
 * --draws repeat replays one sequence of 2^20 gets, as the bench's suites do; fresh draws anew each pass.
 * --move k: the hot set moves (a new scattering of the ranks) every k passes (fresh draws).
 */
import { parseArgs } from 'node:util'
import { scatteredZipfIndices } from '../harness/data.js'

const { values: opt } = parseArgs({
  options: {
    rule: { type: 'string', default: 'every8,twice,sketch' },
    keys: { type: 'string', default: '1000000' },
    capacity: { type: 'string', default: '85019' },
    passes: { type: 'string', default: '4' },
    bits: { type: 'string', default: '16' },
    draws: { type: 'string', default: 'fresh' },
    move: { type: 'string', default: '0' },
  },
})
const KEYS = Number(opt.keys)
const CAPACITY = Number(opt.capacity)
const PASSES = Number(opt.passes)
const BITS = Number(opt.bits)
const MOVE = Number(opt.move)
const GETS = 1 << 20

function sequence(pass: number): Uint32Array {
  if (opt.draws === 'repeat') return scatteredZipfIndices(KEYS, 0.99, GETS, 5)
  const scattering = MOVE > 0 ? 0x5bd1e995 + Math.floor(pass / MOVE) : 0x5bd1e995
  return scatteredZipfIndices(KEYS, 0.99, GETS, 5 + pass, scattering)
}

function simulate(rule: string): string[] {
  const slotOf = new Int32Array(KEYS).fill(-1)
  const keyAt = new Int32Array(CAPACITY).fill(-1)
  const referenced = new Uint8Array(CAPACITY)
  let used = 0
  let hand = 0
  let countdown = 8
  const table = new Int32Array(1 << BITS)
  const counts = new Uint8Array(rule === 'sketch' ? KEYS : 0)
  let counted = 0
  const count = (k: number): void => {
    if (counts[k]! < 15) { counts[k]!++; counted++ }
    if (counted >= 12 * KEYS) { for (let i = 0; i < KEYS; i++) counts[i]! >>= 1; counted = 0 }
  }
  // CLOCK: past referenced entries (clearing them) to the first that isn't, left under the hand.
  // With a 2-bit reference (rule suffix "+2"): a hit sets bit 1, and bit 2 when bit 1 was set already; the hand
  // takes one bit a pass (bit 2 first), so an entry hit twice since the hand last passed survives two passes.
  const twoBits = rule.endsWith('+2')
  const victim = (): number => {
    for (;;) {
      const r = referenced[hand]!
      if (r === 0) return hand
      referenced[hand] = twoBits ? r >> 1 : 0
      hand = hand + 1 === CAPACITY ? 0 : hand + 1
    }
  }
  const replace = (k: number): void => {
    const v = victim()
    hand = hand + 1 === CAPACITY ? 0 : hand + 1
    slotOf[keyAt[v]!] = -1
    keyAt[v] = k
    slotOf[k] = v
  }
  const enters = (k: number): boolean => {
    if (rule === 'every8') {
      if (--countdown > 0) return false
      countdown = 8
      return true
    }
    if (rule.startsWith('twice')) {
      // The key's hash: a multiplicative mix for the place, another for the fingerprint (odd: 0 is empty).
      const at = (Math.imul(k ^ (k >>> 16), 0x45d9f3b) >>> 0) & ((1 << BITS) - 1)
      const print = Math.imul(k, 0x9e3779b1) | 1
      if (table[at] !== print) { table[at] = print; return false }
      table[at] = 0
      return true
    }
    const c = counts[k]!
    return c >= 15 || c > counts[keyAt[victim()]!]!
  }
  const shares: string[] = []
  for (let pass = 0; pass < PASSES; pass++) {
    const seq = sequence(pass)
    let served = 0
    let admitted = 0
    for (let i = 0; i < seq.length; i++) {
      const k = seq[i]!
      if (counts.length > 0) count(k)
      const s = slotOf[k]!
      if (s >= 0) { served++; referenced[s] = twoBits ? referenced[s]! | ((referenced[s]! & 1) << 1) | 1 : 1; continue }
      if (used < CAPACITY) { keyAt[used] = k; slotOf[k] = used++; continue }
      if (enters(k)) { replace(k); admitted++ }
    }
    shares.push(`${(served / seq.length).toFixed(4)}${process.env.ADMITTED ? `/${(admitted / seq.length).toFixed(4)}` : ''}`)
  }
  return shares
}

console.log(`Zipf(0.99) over ${KEYS} keys, a front of ${CAPACITY} entries, ${opt.draws} draws${MOVE > 0 ? `, the hot set moving every ${MOVE} passes` : ''}: share served per 2^20 gets`)
for (const rule of opt.rule!.split(',')) console.log(`${rule.padEnd(7)} ${simulate(rule).join(' ')}`)
