/**
 * Moving strings across the boundary without TextEncoder/TextDecoder (BRIEF, fact 6): ASCII keys are
 * written with charCodeAt straight into the arena, anything else through Buffer's UTF-8 writer; short
 * one-byte values come back with Buffer's latin1 slice, which is the cheapest string a byte range
 * becomes in V8.
 */
export interface ByteView {
  u8: Uint8Array
  buf: Buffer
}

/**
 * writeUtf8's answer for a string with a lone surrogate (half of a pair, e.g. an emoji cut by `slice`).
 * UTF-8 can't represent one: encoders write U+FFFD instead, so 'a\uD800' and 'a\uDC00' would become
 * the same bytes, i.e. the same key.
 */
export const NOT_WELL_FORMED = -2

/**
 * Writes `s` as UTF-8 at `offset` if it fits in `room` bytes; returns the byte length, -1 when it does
 * not fit, or NOT_WELL_FORMED (nothing is promised about the bytes written then).
 */
export function writeUtf8(view: ByteView, s: string, offset: number, room: number): number {
  const n = s.length
  if (n <= room && writeAsciiFrom(view.u8, s, offset, 0, n) === n) return n
  return writeNonAscii(view, s, offset, room)
}

/** Writes `s`'s characters from `i` on, a byte each, while they are ASCII; returns where it stopped. */
function writeAsciiFrom(u8: Uint8Array, s: string, offset: number, i: number, n: number): number {
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c > 0x7f) break
    u8[offset + i] = c
  }
  return i
}

/** A ByteView with the 32-bit view of the same bytes (writeUtf8Aligned's). */
export interface WordView extends ByteView {
  u32: Uint32Array
}

/** The longest key writeUtf8Aligned writes itself (~28 instructions a character a word at a time). */
const WORDS_UP_TO = 28

/**
 * writeUtf8 at a 4-aligned `offset` (the key's place in scratch): ASCII four characters to a 32-bit
 * store, little-endian as wasm reads it. A get encodes its key on every call, and a store a character
 * (with its bounds check and the loop's test) was ~33 instructions a character: a get of a 16-character
 * key took 1702 generated instructions so and 1511 this way (stop 45). The bytes written are the same.
 */
export function writeUtf8Aligned(view: WordView, s: string, offset: number, room: number): number {
  const n = s.length
  if (n > WORDS_UP_TO) {
    // Past ~28 characters Buffer's writer (one call into C++, ~760-810 instructions whatever the
    // length) is the cheaper: 40 characters took 1191 a word at a time, 810 so
    // (bench/arena/text-instructions.mjs). With 4 bytes of room left over
    // every character was written (none takes more); as many bytes as characters then means all were
    // ASCII, else a lone surrogate would have been written as U+FFFD. writeNonAscii tells the rest.
    if (n <= room) {
      const w = view.buf.utf8Write(s, offset, room)
      if (w + 4 <= room && (w === n || s.isWellFormed())) return w
    }
    return writeNonAscii(view, s, offset, room)
  }
  if (n <= room) {
    const u32 = view.u32
    const at = offset >>> 2
    let i = 0
    for (; i + 4 <= n; i += 4) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2), d = s.charCodeAt(i + 3)
      if ((a | b | c | d) > 0x7f) break
      u32[at + (i >>> 2)] = a | (b << 8) | (c << 16) | (d << 24)
    }
    if (writeAsciiFrom(view.u8, s, offset, i, n) === n) return n
  }
  return writeNonAscii(view, s, offset, room)
}

/**
 * writeUtf8 beyond ASCII (or possibly too long), out of line: writeUtf8 is inlined into every get and
 * set, and V8 inlines a caller's callees only up to a total bytecode size.
 */
function writeNonAscii(view: ByteView, s: string, offset: number, room: number): number {
  const n = s.length
  // A UTF-16 unit is at most 3 UTF-8 bytes.
  if (!s.isWellFormed()) return NOT_WELL_FORMED
  if (n * 3 > room && Buffer.byteLength(s, 'utf8') > room) return -1
  return view.buf.utf8Write(s, offset, room)
}

export function readLatin1(view: ByteView, start: number, end: number): string {
  return view.buf.latin1Slice(start, end)
}

export function readUtf8(view: ByteView, start: number, end: number): string {
  return view.buf.utf8Slice(start, end)
}

export function readUtf16(view: ByteView, start: number, end: number): string {
  return view.buf.ucs2Slice(start, end)
}

/** UTF-8 byte length of a string (exact). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}
