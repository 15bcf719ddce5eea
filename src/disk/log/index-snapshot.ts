/**
 * The index snapshot: on a clean close, the key index's arrays are written as they are to `INDEX`, with
 * the list of segments (ids and sizes) they describe. An open that finds exactly those segments loads
 * the arrays in one read instead of re-inserting every key from hints or logs: reopen time is then the
 * time to read the index bytes, not a hash insertion per key.
 *
 * The snapshot is deleted as soon as it is read, so it can never describe a later state of the store;
 * any mismatch (a segment added, removed or of another size, a torn or damaged file) and the open falls
 * back to hints and scans. A word checksum guards the file; beyond that, every read still checks its
 * record's CRC and key, so a damaged snapshot can lose keys (counted as corrupt reads) but never return
 * a wrong value.
 */
import * as fs from 'node:fs'
import { writeFully } from './files.js'
import type { IndexState, KeyIndex } from './key-index.js'

export const SNAPSHOT_NAME = 'INDEX'
const MAGIC = 0x58444943 // 'CIDX'
const VERSION = 1
const KINDS = ['u32', 'u32', 'u32', 'u32', 'u32', 'u32', 'f64', 'u32', 'u8'] as const

interface Header {
  version: number
  /** [id, bytes, live] of every segment. */
  segments: [number, number, number][]
  counters: number[]
  /** Byte length of each array, in exportState order. */
  lengths: number[]
}

/** A checksum of 32-bit words that V8 runs at memory speed (CRC-32C in JS would cost more than it saves). */
function wordSum(words: Uint32Array, seed: number): number {
  let h = seed | 0
  for (let i = 0; i < words.length; i++) h = (Math.imul(h ^ words[i]!, 0x9e3779b1) + (h >>> 15)) | 0
  return h
}

function pad8(n: number): number {
  return (n + 7) & ~7
}

function bytesOf(a: Uint32Array | Float64Array | Buffer): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
}

export function writeSnapshot(path: string, index: KeyIndex, segments: [number, number, number][]): void {
  const state = index.exportState()
  const header: Header = { version: VERSION, segments, counters: state.counters, lengths: state.arrays.map((a) => a.byteLength) }
  const json = Buffer.from(JSON.stringify(header))
  const head = Buffer.alloc(pad8(8 + json.length))
  head.writeUInt32LE(MAGIC, 0)
  head.writeUInt32LE(json.length, 4)
  json.copy(head, 8)
  const tmp = `${path}.tmp`
  const fd = fs.openSync(tmp, 'w')
  try {
    let sum = wordSum(new Uint32Array(head.buffer, head.byteOffset, head.length / 4), 0)
    writeFully(fd, head, 0, head.length)
    const zeros = new Uint8Array(8)
    for (const a of state.arrays) {
      const bytes = bytesOf(a)
      const whole = bytes.length & ~3
      // Arrays are written whole (a word view needs 4-byte lengths; the arena pads to 8 below).
      sum = wordSum(new Uint32Array(a.buffer, a.byteOffset, whole / 4), sum)
      writeFully(fd, bytes, 0, bytes.length)
      const padding = pad8(bytes.length) - bytes.length
      if (padding > 0) {
        const tail = new Uint8Array(8)
        tail.set(bytes.subarray(whole))
        sum = wordSum(new Uint32Array(tail.buffer, 0, 2).subarray(0, (bytes.length - whole + padding) / 4), sum)
        writeFully(fd, zeros, 0, padding)
      }
    }
    const trailer = Buffer.alloc(8)
    trailer.writeInt32LE(sum, 0)
    trailer.writeUInt32LE(MAGIC, 4)
    writeFully(fd, trailer, 0, 8)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, path)
}

/**
 * Loads the snapshot at `path` into `index` if it describes exactly `present` (segment id → bytes);
 * returns each segment's live bytes, or undefined (index untouched) when it is missing or unusable.
 * The file is deleted either way.
 */
export function readSnapshot(path: string, index: KeyIndex, present: Map<number, number>): Map<number, number> | undefined {
  let file: Buffer
  try {
    file = fs.readFileSync(path)
  } catch {
    return undefined
  }
  fs.rmSync(path, { force: true })
  try {
    return parse(file, index, present)
  } catch {
    return undefined
  }
}

function parse(file: Buffer, index: KeyIndex, present: Map<number, number>): Map<number, number> | undefined {
  if (file.length < 16 || file.byteOffset % 8 !== 0 || file.length % 8 !== 0) return undefined
  if (file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(file.length - 4) !== MAGIC) return undefined
  const words = new Uint32Array(file.buffer, file.byteOffset, (file.length - 8) / 4)
  if (wordSum(words, 0) !== file.readInt32LE(file.length - 8)) return undefined
  const jsonLength = file.readUInt32LE(4)
  const header = JSON.parse(file.toString('utf8', 8, 8 + jsonLength)) as Header
  if (header.version !== VERSION || header.segments.length !== present.size) return undefined
  for (const [id, bytes] of header.segments) if (present.get(id) !== bytes) return undefined
  let at = pad8(8 + jsonLength)
  const arrays: IndexState['arrays'] = []
  for (let i = 0; i < KINDS.length; i++) {
    const length = header.lengths[i]!
    if (at + length > file.length - 8) return undefined
    const offset = file.byteOffset + at
    arrays.push(KINDS[i] === 'u32' ? new Uint32Array(file.buffer, offset, length / 4)
      : KINDS[i] === 'f64' ? new Float64Array(file.buffer, offset, length / 8)
      : Buffer.from(file.buffer, offset, length))
    at += pad8(length)
  }
  const [mask, highWater, count, freeCount, arenaUsed] = header.counters as number[]
  const entries = arrays[1]!.length
  if (arrays[0]!.length !== 2 * (mask! + 1) || highWater! > entries || count! > highWater! || freeCount! > arrays[7]!.length ||
    arenaUsed! > arrays[8]!.length || arrays.slice(2, 7).some((a) => a.length !== entries)) return undefined
  index.importState({ counters: header.counters, arrays })
  return new Map(header.segments.map(([id, , live]) => [id, live]))
}
