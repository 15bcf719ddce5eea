/**
 * CRC-32C (Castagnoli, the checksum of iSCSI, ext4 metadata, LevelDB and RocksDB records), computed
 * slicing-by-8. src/bloom/crc32.ts is the IEEE polynomial one byte at a time: right for a file users
 * check with zlib tools, too slow to run over every record read. CRC-32C detects all burst errors up to
 * 32 bits and has the better Hamming distance at record sizes.
 */

const TABLES = makeTables()

function makeTables(): Int32Array {
  const t = new Int32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8)
      t[k * 256 + n] = c
    }
  }
  return t
}

/**
 * CRC-32C of `bytes[start, end)` as an unsigned 32-bit integer. `seed` is a previous result, to checksum
 * a stream in pieces: crc32c(b, m, n, crc32c(b, 0, m)) === crc32c(b, 0, n).
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  const t = TABLES
  let crc = ~seed
  let i = start
  for (; i + 8 <= end; i += 8) {
    const lo = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))
    crc =
      t[1792 + (lo & 0xff)]! ^ t[1536 + ((lo >>> 8) & 0xff)]! ^ t[1280 + ((lo >>> 16) & 0xff)]! ^ t[1024 + (lo >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^ t[512 + bytes[i + 5]!]! ^ t[256 + bytes[i + 6]!]! ^ t[bytes[i + 7]!]!
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return ~crc >>> 0
}
