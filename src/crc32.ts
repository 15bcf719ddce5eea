/**
 * CRC-32 (IEEE 802.3, the polynomial of zlib and PNG), so a serialized filter can be checked with any
 * standard tool. In JS: Node's zlib.crc32 exists only from Node 20.15 (and 22), and Cortado supports 20.
 */

const TABLE = makeTable()

function makeTable(): Int32Array {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
}

/** CRC-32 of `bytes[start, end)`, as an unsigned 32-bit integer; `initial` continues an earlier CRC. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  let crc = ~initial
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}
