/** The peer protocol's frames: round trips, and every damaged or foreign frame refused with ERR_PEER. */
import { describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import * as L from '../../src/layout/constants.generated.js'
import { ReplyStatus, WIRE_VERSION, decodeReply, decodeRequest, encodeMessageReply, encodeReply, encodeRequest, messageOf } from '../../src/peer/wire.js'
import { WireValues } from '../../src/peer/values.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'

const expectPeerError = (fn: () => unknown, message: RegExp) => {
  let thrown: unknown
  try {
    fn()
  } catch (error) {
    thrown = error
  }
  expect(isCortadoError(thrown, 'ERR_PEER'), String(thrown)).toBe(true)
  expect((thrown as Error).message).toMatch(message)
}

describe('request frames', () => {
  it('round-trip keys, including multi-byte UTF-8 and the longest allowed key', () => {
    for (const key of ['a', 'ключ/ü/😀', 'k'.repeat(L.MAX_KEY_BYTES)]) expect(decodeRequest(encodeRequest(key))).toBe(key)
  })

  it('refuse another protocol version, a wrong length, bad UTF-8 and keys over the limit', () => {
    const frame = encodeRequest('key')
    expectPeerError(() => decodeRequest(Buffer.from([WIRE_VERSION + 1, ...frame.subarray(1)])), /protocol version 2; this peer speaks version 1/)
    expectPeerError(() => decodeRequest(frame.subarray(0, 3)), /shorter than its header/)
    expectPeerError(() => decodeRequest(Buffer.concat([frame, Buffer.from('x')])), /announces a key of 3 bytes but carries 4/)
    const badUtf8 = Buffer.from([WIRE_VERSION, 0, 2, 0, 0xc3, 0x28])
    expectPeerError(() => decodeRequest(badUtf8), /not valid UTF-8/)
    const long = Buffer.alloc(4 + L.MAX_KEY_BYTES + 1, 0x6b)
    long[0] = WIRE_VERSION
    long.writeUInt16LE(L.MAX_KEY_BYTES + 1, 2)
    expectPeerError(() => decodeRequest(long), /exceeds the maximum/)
  })
})

describe('reply frames', () => {
  it('round-trip values of every built-in kind through the codec bytes', () => {
    const values = new WireValues<unknown>('auto')
    const samples: unknown[] = ['latin1 text', 'ünïcödé 😀', 42.5, Buffer.from([1, 2, 3]), new Uint8Array([9, 8]), { a: [1, 'two', { three: 3 }] }, [null, true, -0.5]]
    for (const value of samples) {
      const reply = decodeReply(values.encode(value))
      expect(reply.status).toBe(ReplyStatus.Value)
      expect(values.decode(reply, 'test')).toEqual(value)
    }
    expect(decodeReply(values.encode(undefined)).status).toBe(ReplyStatus.Missing)
    const failed = decodeReply(encodeMessageReply(ReplyStatus.LoadFailed, 'origin down'))
    expect([failed.status, messageOf(failed)]).toEqual([ReplyStatus.LoadFailed, 'origin down'])
  })

  it('any single changed byte of a frame is refused, never read as another value (seeded)', () => {
    const seed = testSeed(1701)
    const random = mulberry32(seed)
    for (let round = 0; round < 200; round++) {
      const payload = Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)))
      const frame = encodeReply(ReplyStatus.Value, L.KIND_BYTES, payload)
      const at = Math.floor(random() * frame.length)
      const damaged = Buffer.from(frame)
      damaged[at] = (damaged[at]! + 1 + Math.floor(random() * 255)) & 0xff
      expect(() => decodeReply(damaged), `byte ${at} of ${frame.length}`).toThrow()
      try {
        decodeReply(damaged)
      } catch (error) {
        expect(isCortadoError(error, 'ERR_PEER')).toBe(true)
      }
    }
  })

  it('a truncated frame, another version or an unknown status is refused', () => {
    const frame = encodeReply(ReplyStatus.Value, L.KIND_BYTES, Buffer.from('hello'))
    expectPeerError(() => decodeReply(frame.subarray(0, frame.length - 1)), /announces 5 payload bytes but carries 4/)
    expectPeerError(() => decodeReply(frame.subarray(0, 5)), /shorter than its header/)
    expectPeerError(() => decodeReply(Buffer.from([9, ...frame.subarray(1)])), /protocol version 9/)
    expectPeerError(() => decodeReply(encodeReply(7 as ReplyStatus, 0, Buffer.alloc(0))), /unknown status 7/)
  })

  it('a value that does not decode is an error, not a value', () => {
    const values = new WireValues<unknown>('auto')
    // A well-formed frame (CRC fine) whose msgpack bytes end mid-array.
    const garbage = decodeReply(encodeReply(ReplyStatus.Value, L.KIND_MSGPACK, Buffer.from([0x92, 0x01])))
    expectPeerError(() => values.decode(garbage, 'http://x:1'), /does not decode \(kind 3\)/)
    const envelope = decodeReply(encodeReply(ReplyStatus.Value, L.KIND_LOADED, Buffer.from([1, 2, 3])))
    expectPeerError(() => values.decode(envelope, 'http://x:1'), /never travels/)
    // A custom codec's bytes need the same codec on the reading side.
    const custom = new WireValues<{ n: number }>({ encode: (v) => Buffer.from(String(v.n)), decode: (b) => ({ n: Number(Buffer.from(b).toString()) }) })
    const user = decodeReply(custom.encode({ n: 7 }))
    expect(custom.decode(user, 'x')).toEqual({ n: 7 })
    expectPeerError(() => values.decode(user, 'http://x:1'), /custom codec/)
  })
})
