/**
 * A get writes its key four ASCII characters a store (writeUtf8Aligned); a batch and the disk log write
 * theirs a byte at a time (writeUtf8). Both must give a key the same bytes, or a key set one way would
 * miss when read the other.
 */
import { describe, it, expect } from 'vitest'
import { Cache, MAX_KEY_BYTES } from '../../src/index.js'
import { writeUtf8, writeUtf8Aligned } from '../../src/text.js'
import { nativeAddon } from '../../src/engine/native/load.js'

/** Keys of every length up to 33 (both writers of writeUtf8Aligned), longer and near the limit, with one non-ASCII character at each place or none. */
function keys(): string[] {
  const out: string[] = []
  for (const len of [...Array.from({ length: 34 }, (_, i) => i), 40, 64, 101, MAX_KEY_BYTES - 5, MAX_KEY_BYTES - 3, MAX_KEY_BYTES]) {
    const ascii = Array.from({ length: len }, (_, i) => String.fromCharCode(0x21 + ((i * 7) % 94))).join('')
    out.push(ascii)
    for (const c of ['\x7f', '\x80', 'é', 'ÿ', 'Ā', '鍵', '😀']) {
      for (let at = 0; at < len; at += len > 40 ? 37 : 1) out.push(ascii.slice(0, at) + c + ascii.slice(at + 1))
    }
  }
  return out
}

/** A key in a failure message: its length and where it leaves ASCII. */
const shown = (key: string): string => `${key.length} chars, first non-ASCII at ${key.search(/[^\x00-\x7f]/)}: ${JSON.stringify(key.slice(0, 30))}`

describe('key encoding', () => {
  it('writeUtf8Aligned writes the bytes writeUtf8 does, and no byte past them', () => {
    const buffer = new ArrayBuffer(2 * MAX_KEY_BYTES + 4096)
    const a = { u8: new Uint8Array(buffer), u32: new Uint32Array(buffer), buf: Buffer.from(buffer) }
    const bb = Buffer.alloc(2 * MAX_KEY_BYTES + 4096)
    const b = { u8: new Uint8Array(bb.buffer, bb.byteOffset, bb.length), buf: bb }
    for (const key of keys()) {
      for (const room of [MAX_KEY_BYTES + 1, key.length, key.length + 3, Math.max(0, key.length - 1)]) {
        a.u8.fill(0xee)
        b.u8.fill(0xee)
        const n = writeUtf8Aligned(a, key, 64, room)
        const m = writeUtf8(b, key, 64, room)
        expect(n, shown(key)).toBe(m)
        if (n >= 0) {
          expect(a.buf.subarray(64, 64 + n).equals(Buffer.from(key, 'utf8')), shown(key)).toBe(true)
          expect(a.u8[64 + n], 'the byte after the key').toBe(0xee)
        }
        expect(a.u8[63], 'the byte before the key').toBe(0xee)
      }
    }
  })

  for (const engine of nativeAddon() ? ['wasm', 'native'] as const : ['wasm'] as const) {
    it(`${engine}: a key set by setMany (byte writer) is found by get (word writer), and the other way`, () => {
      const cache = new Cache<string>({ maxBytes: 64 << 20, engine, codec: 'string' })
      try {
        const all = keys().filter((k) => Buffer.byteLength(k) <= MAX_KEY_BYTES)
        cache.setMany(all.map((k, i) => [k, `v${i}`]))
        all.forEach((k, i) => expect(cache.get(k), JSON.stringify(k)).toBe(`v${i}`))
        all.forEach((k, i) => cache.set(k, `w${i}`))
        expect(cache.getMany(all)).toEqual(all.map((_, i) => `w${i}`))
      } finally {
        cache.close()
      }
    })
  }
})
