/**
 * Strings: one byte per char when all chars are ASCII (read back with latin1Slice), else UTF-8; a
 * string with a lone surrogate (which UTF-8 would turn into U+FFFD) as UTF-16, so it comes back as it was.
 */
import type { ValueCodec } from './codec.js'
import { type ByteView, utf8Length } from '../text.js'
import { CortadoError } from '../errors.js'
import * as L from '../layout/constants.generated.js'

export function encodeStringInto(codec: { kind: number }, s: string, view: ByteView, offset: number, room: number): number {
  const n = s.length
  if (n * 3 > room && utf8Length(s) > room) return -1
  const written = view.buf.utf8Write(s, offset, room)
  // UTF-8 of a string is as long as the string exactly when every char is ASCII.
  if (written === n) {
    codec.kind = L.KIND_LATIN1
    return written
  }
  if (s.isWellFormed()) {
    codec.kind = L.KIND_UTF8
    return written
  }
  if (n * 2 > room) return -1
  codec.kind = L.KIND_UTF16
  return view.buf.ucs2Write(s, offset, room)
}

export function encodeStringBytes(codec: { kind: number }, s: string): Uint8Array {
  if (!s.isWellFormed()) {
    codec.kind = L.KIND_UTF16
    return Buffer.from(s, 'utf16le')
  }
  const bytes = Buffer.from(s, 'utf8')
  codec.kind = bytes.length === s.length ? L.KIND_LATIN1 : L.KIND_UTF8
  return bytes
}

export class StringCodec implements ValueCodec<string> {
  readonly name = 'string'
  kind = L.KIND_LATIN1

  encodeInto(value: string, view: ByteView, offset: number, room: number): number {
    if (typeof value !== 'string') throw notAString(value)
    return encodeStringInto(this, value, view, offset, room)
  }

  encodeBytes(value: string): Uint8Array {
    if (typeof value !== 'string') throw notAString(value)
    return encodeStringBytes(this, value)
  }

  prepare(value: string): undefined {
    if (typeof value !== 'string') throw notAString(value)
    return undefined
  }
}

function notAString(value: unknown): CortadoError {
  return new CortadoError('ERR_INVALID_VALUE', `the 'string' codec stores strings, got ${typeof value}`)
}
