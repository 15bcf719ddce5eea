import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'

/**
 * The bytes of a trace file, gunzipped on the fly when the file starts with the gzip magic
 * (so `.gz` or not, the extension doesn't matter), in chunks: P3 expands to tens of MB of text that
 * never needs to be in memory at once.
 */
export async function* traceBytes(path: string): AsyncGenerator<Uint8Array> {
  const head = Buffer.alloc(2)
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, 2, 0)
  } finally {
    await fh.close()
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 })
  const stream = head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip()) : raw
  for await (const chunk of stream) yield chunk as Uint8Array
}

/**
 * Calls `onLine(fields, count)` for each line with the leading unsigned decimal fields parsed
 * (up to `fields.length`); lines that start with something else (comments, `*` markers) get count 0.
 * Byte-level so parsing stays far below the cost of simulating.
 */
export async function forEachLine(
  path: string,
  fields: Float64Array,
  onLine: (fields: Float64Array, count: number) => void,
): Promise<void> {
  let count = 0
  let value = 0
  let inNumber = false
  let broken = false // a non-digit glued to a field: the rest of the line is ignored
  for await (const chunk of traceBytes(path)) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!
      if (c >= 48 && c <= 57) {
        if (!broken) {
          value = value * 10 + (c - 48)
          inNumber = true
        }
      } else if (c === 10) {
        if (inNumber && count < fields.length) fields[count++] = value
        onLine(fields, count)
        count = 0
        value = 0
        inNumber = false
        broken = false
      } else if (c === 32 || c === 9 || c === 13 || c === 44) {
        if (inNumber && count < fields.length) fields[count++] = value
        value = 0
        inNumber = false
      } else {
        broken = true
        inNumber = false
      }
    }
  }
  if (inNumber && count < fields.length) fields[count++] = value
  if (count > 0) onLine(fields, count)
}
