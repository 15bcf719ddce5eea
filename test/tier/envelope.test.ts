import { describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import { HEADER_BYTES, unwrap, wrap } from '../../src/tier/envelope.js'

const value = Uint8Array.from([1, 2, 3])

describe('the L2 envelope', () => {
  it('carries the value and the remaining TTL by the reader clock', () => {
    const bytes = wrap(value, 1000, 50_000)
    expect(bytes.byteLength).toBe(HEADER_BYTES + 3)
    const entry = unwrap(bytes, 50_400)!
    expect(Uint8Array.from(entry.value)).toEqual(value)
    expect(entry.ttl).toBe(600)
    expect(unwrap(bytes, 51_000)).toBeUndefined()
    expect(unwrap(wrap(value, 0, 50_000), 9e12)!.ttl).toBe(Infinity)
  })

  it('never gives more than the TTL the writer asked for, whatever the reader clock says', () => {
    // The reader's clock is 10 s behind the writer's.
    expect(unwrap(wrap(value, 1000, 50_000), 40_000)!.ttl).toBe(1000)
  })

  it('reads from a view into a larger buffer', () => {
    const bytes = wrap(value, 500, 0)
    const big = new Uint8Array(100)
    big.set(bytes, 40)
    expect(unwrap(big.subarray(40, 40 + bytes.byteLength), 100)!.ttl).toBe(400)
  })

  it('refuses bytes that were not written through it', () => {
    for (const foreign of [Buffer.from('plain text value'), new Uint8Array(3), Buffer.alloc(20, 9)]) {
      expect(() => unwrap(foreign, 0)).toThrow()
      try {
        unwrap(foreign, 0)
      } catch (err) {
        expect(isCortadoError(err, 'ERR_DECODE')).toBe(true)
      }
    }
  })
})
