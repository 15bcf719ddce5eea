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
  if (n <= room) {
    const u8 = view.u8
    let i = 0
    for (; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c > 0x7f) break
      u8[offset + i] = c
    }
    if (i === n) return n
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
