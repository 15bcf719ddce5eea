// One entry in a segment: the ENTRY header of src/layout/spec.json, [expiry f64 if HAS_TTL], [key], [value].
// A LARGE entry (larger than a segment) keeps only a record here, [..][key][first segment u32][segments
// u32] in place of the value, whose bytes fill a chain of whole segments of its own (large.ts).
// Offsets are relative to the shard's base. Readers may look at an entry while a writer reuses its
// bytes, so every length read here is bounds-checked before it is trusted.
import * as L from './layout.generated'
import { shardBytes, dataOffset } from './arena'

// @ts-ignore: decorator
@inline export function flagsOf(sb: u32, off: u32): u32 { return load<u8>(sb + off, L.ENTRY_FLAGS) }
// @ts-ignore: decorator
@inline export function kindOf(sb: u32, off: u32): u32 { return load<u8>(sb + off, L.ENTRY_KIND) }
// @ts-ignore: decorator
@inline export function keyLenOf(sb: u32, off: u32): u32 { return load<u16>(sb + off, L.ENTRY_KEY_LEN) }
// @ts-ignore: decorator
@inline export function valueLenOf(sb: u32, off: u32): u32 { return load<u32>(sb + off, L.ENTRY_VALUE_LEN) }
// @ts-ignore: decorator
@inline export function isLive(flags: u32): bool { return (flags & L.ENTRY_LIVE) != 0 }
// @ts-ignore: decorator
@inline export function hasTtl(flags: u32): bool { return (flags & L.ENTRY_HAS_TTL) != 0 }
// @ts-ignore: decorator
@inline export function isLarge(flags: u32): bool { return (flags & L.ENTRY_LARGE) != 0 }
// @ts-ignore: decorator
@inline export function queueOf(flags: u32): u32 { return (flags & L.ENTRY_QUEUE_MASK) >> L.ENTRY_QUEUE_SHIFT }

// @ts-ignore: decorator
@inline export function headerBytes(flags: u32): u32 {
  return L.ENTRY_HEADER_BYTES + (hasTtl(flags) ? L.ENTRY_TTL_BYTES : 0)
}

// @ts-ignore: decorator
@inline export function expiryOf(sb: u32, off: u32): f64 { return load<f64>(sb + off + L.ENTRY_HEADER_BYTES) }

/** Bytes the entry takes in its segment (a LARGE entry's record: its value lives elsewhere). */
// @ts-ignore: decorator
@inline export function entryBytes(sb: u32, off: u32): u32 {
  const flags = flagsOf(sb, off)
  return headerBytes(flags) + keyLenOf(sb, off) + (isLarge(flags) ? L.LARGE_REF_BYTES : valueLenOf(sb, off))
}

/** What the entry costs the policy and bytesUsed: header + key + value, wherever the value lives. */
export function entryCost(sb: u32, off: u32): u32 {
  return headerBytes(flagsOf(sb, off)) + keyLenOf(sb, off) + valueLenOf(sb, off)
}

/** Bytes of a LARGE entry's value outside its record (0 for any other entry). */
// @ts-ignore: decorator
@inline export function chainedBytes(sb: u32, off: u32): u32 {
  return isLarge(flagsOf(sb, off)) ? valueLenOf(sb, off) - L.LARGE_REF_BYTES : 0
}

/** Absolute address of a LARGE entry's reference: [first segment u32][segment count u32]. */
// @ts-ignore: decorator
@inline export function refPtr(sb: u32, off: u32): u32 { return keyPtr(sb, off) + keyLenOf(sb, off) }

// @ts-ignore: decorator
@inline export function keyPtr(sb: u32, off: u32): u32 { return sb + off + headerBytes(flagsOf(sb, off)) }

/** Bytes an entry needs in a segment. */
// @ts-ignore: decorator
@inline export function sizeFor(withTtl: bool, keyLen: u32, valueLen: u32): u32 {
  return L.ENTRY_HEADER_BYTES + (withTtl ? L.ENTRY_TTL_BYTES : 0) + keyLen + valueLen
}

/**
 * True when the entry at `off` plausibly lies inside the shard's data area. Lock-free readers call this
 * before reading lengths they got from memory a writer may be changing.
 */
export function inBounds(off: u32): bool {
  if (off < dataOffset || off > shardBytes - L.ENTRY_HEADER_BYTES) return false
  return true
}

export function spanInBounds(sb: u32, off: u32): bool {
  const flags = flagsOf(sb, off)
  const inline = isLarge(flags) ? L.LARGE_REF_BYTES : valueLenOf(sb, off)
  const total = <u64>off + <u64>headerBytes(flags) + <u64>keyLenOf(sb, off) + <u64>inline
  return total <= <u64>shardBytes
}

/** Compares the key stored at `off` with `len` bytes at `key`. */
export function keyEquals(sb: u32, off: u32, key: u32, len: u32): bool {
  if (keyLenOf(sb, off) != len) return false
  if (!spanInBounds(sb, off)) return false
  const stored = keyPtr(sb, off)
  let i: u32 = 0
  while (i + 8 <= len) {
    if (load<u64>(stored + i) != load<u64>(key + i)) return false
    i += 8
  }
  while (i < len) {
    if (load<u8>(stored + i) != load<u8>(key + i)) return false
    i++
  }
  return true
}

/**
 * Writes a complete entry (not yet LIVE) at `off`; returns the absolute address of its value (of a
 * LARGE entry's reference, which the caller fills). `policyFlags`: the policy's (ENTRY_UNASKED, ENTRY_TRACER).
 */
export function writeEntry(sb: u32, off: u32, kind: u32, withTtl: bool, expiry: f64, key: u32, keyLen: u32, valueLen: u32, queue: u32, large: bool, policyFlags: u32): u32 {
  const p = sb + off
  store<u8>(p, (withTtl ? L.ENTRY_HAS_TTL : 0) | (large ? L.ENTRY_LARGE : 0) | (queue << L.ENTRY_QUEUE_SHIFT) | policyFlags, L.ENTRY_FLAGS)
  store<u8>(p, kind, L.ENTRY_KIND)
  store<u16>(p, keyLen, L.ENTRY_KEY_LEN)
  store<u32>(p, valueLen, L.ENTRY_VALUE_LEN)
  let k = p + L.ENTRY_HEADER_BYTES
  if (withTtl) {
    store<f64>(k, expiry)
    k += L.ENTRY_TTL_BYTES
  }
  memory.copy(k, key, keyLen)
  return k + keyLen
}

// @ts-ignore: decorator
@inline export function setFlags(sb: u32, off: u32, flags: u32): void { store<u8>(sb + off, flags) }

/** Moves the entry's flags to `queue`: ENTRY_FREE (FREE_TAG) is cleared by any move, and set again by `extra`. */
export function setQueue(sb: u32, off: u32, queue: u32, extra: u32): void {
  const f = flagsOf(sb, off)
  store<u8>(sb + off, (f & ~(L.ENTRY_QUEUE_MASK | L.ENTRY_FREE)) | (queue << L.ENTRY_QUEUE_SHIFT) | extra)
}
