/**
 * Byte ranges: the `{ start, end }` a caller passes to createReadStream, and the `Range: bytes=...`
 * header of an HTTP request (RFC 9110 §14), both resolved against a blob's size to an inclusive range.
 */
import { CortadoError, shown } from '../../errors.js'
import type { ByteRange } from './blob-handle.js'

/** An inclusive byte range inside a blob of `size` bytes; `end` past the last byte reads to the end. */
export function resolveRange(range: { start?: number; end?: number }, size: number): ByteRange {
  if (typeof range !== 'object' || range === null) throw new CortadoError('ERR_INVALID_RANGE', `a range must be { start?, end? }, got ${shown(range)}`)
  const start = range.start ?? 0
  const end = range.end ?? size - 1
  for (const [name, v] of [['start', start], ['end', end]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < (name === 'end' && range.end === undefined ? -1 : 0))
      throw new CortadoError('ERR_INVALID_RANGE', `range ${name} must be an integer >= 0, got ${shown(v)}`)
  }
  if (range.end !== undefined && end < start) throw new CortadoError('ERR_INVALID_RANGE', `range end ${end} is before start ${start}`)
  if (range.start !== undefined && start >= size) throw new CortadoError('ERR_INVALID_RANGE', `range start ${start} is past the end of a ${size}-byte blob`)
  return { start, end: Math.min(end, size - 1) }
}

/**
 * What a Range header asks of a blob of `size` bytes:
 *   - 'none': no header, or one this server ignores (not `bytes=`, unparseable, or several ranges —
 *     RFC 9110 lets a server answer those with the whole blob, 200; see docs/disk-cache-and-s3.md);
 *   - 'unsatisfiable': 416 (every range starts past the end, a suffix of 0 bytes, an empty blob);
 *   - one inclusive range: 206.
 */
export type RangeRequest = { kind: 'none' } | { kind: 'unsatisfiable' } | { kind: 'range'; range: ByteRange }

const SPEC = /^(\d*)-(\d*)$/

/** Resolves an HTTP Range header against a blob of `size` bytes: no range (200), unsatisfiable (416) or one inclusive range (206). */
export function parseRangeHeader(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'none' }
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header)
  if (!m) return { kind: 'none' }
  const specs = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (specs.length !== 1) return { kind: 'none' }
  const spec = SPEC.exec(specs[0]!)
  if (!spec || (spec[1] === '' && spec[2] === '')) return { kind: 'none' }
  if (spec[1] === '') {
    // A suffix: the last n bytes (all of them when n exceeds the size).
    const n = Number(spec[2])
    if (!Number.isSafeInteger(n)) return { kind: 'none' }
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'range', range: { start: Math.max(0, size - n), end: size - 1 } }
  }
  const start = Number(spec[1])
  const end = spec[2] === '' ? Infinity : Number(spec[2])
  if (!Number.isSafeInteger(start) || !(Number.isSafeInteger(end) || end === Infinity) || end < start) return { kind: 'none' }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } }
}
