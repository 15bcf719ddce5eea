/**
 * The peer protocol's bytes. One request frame (the key) and one reply frame (a status and the value's
 * codec bytes) per HTTP exchange, both starting with a version byte so that a peer running another
 * protocol version is refused with a clear error instead of being misread.
 *
 * Request  (POST PEER_PATH):  version u8 · reserved u8 · key length u16 LE · key UTF-8
 * Reply    (any HTTP status): version u8 · status u8 · kind u8 · reserved u8 · payload length u32 LE ·
 *                             CRC-32 (of the first 4 bytes, then the payload) u32 LE · payload
 *
 * The payload of a VALUE reply is the value exactly as the sender's codec encoded it, and `kind` is
 * the codec's kind byte (the one the arena stores), so a reader decodes it without knowing the sender's
 * codec option; for the other statuses it is a UTF-8 message. The CRC makes a mangled reply (a proxy,
 * a bug) an error instead of a wrong value.
 */
import * as zlib from 'node:zlib'
import { crc32 as crc32Js } from '../crc32.js'
import { CortadoError } from '../errors.js'
import { keyError } from '../keys.js'
import * as L from '../layout/constants.generated.js'

export const WIRE_VERSION = 1
/** The one URL path a peer serves; anything else is not for the group. */
export const PEER_PATH = '/_cortado/peer/get'
/** The header carrying the group's shared secret, when it has one. */
export const SECRET_HEADER = 'x-cortado-peer-secret'

const REQUEST_HEADER_BYTES = 4
const REPLY_HEADER_BYTES = 12
/** The largest request body a peer reads: anything larger holds a key over the limit. */
export const MAX_REQUEST_BYTES = REQUEST_HEADER_BYTES + L.MAX_KEY_BYTES
/** Replies above this are refused unread (a Buffer cannot be much larger anyway). */
export const MAX_REPLY_BYTES = 1 << 30

export const enum ReplyStatus {
  /** The payload is the value's codec bytes. */
  Value = 0,
  /** The loader resolved `undefined`: no such value. */
  Missing = 1,
  /** The owner's loader failed; the payload is its message. */
  LoadFailed = 2,
  /** The request was not served (secret, version, key, closed peer); the payload says why. */
  Refused = 3,
}

export interface Reply {
  status: ReplyStatus
  kind: number
  payload: Uint8Array
}

type NativeCrc32 = (data: Uint8Array, initial?: number) => number
const nativeCrc32 = (zlib as unknown as { crc32?: NativeCrc32 }).crc32

/**
 * CRC-32 of a reply's first 4 header bytes (version, status, kind, reserved) then its payload, so a
 * changed byte anywhere in the frame is caught (the length and the CRC fields check themselves).
 * zlib.crc32 is native from Node 20.15; the table-driven one keeps older Node 20 releases working.
 */
function replyCrc(head: Uint8Array, payload: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(payload, nativeCrc32(head)) >>> 0
  return crc32Js(Buffer.concat([head, payload]))
}

function protocolError(message: string): CortadoError {
  return new CortadoError('ERR_PEER', message)
}

export function encodeRequest(key: string): Buffer {
  const keyBytes = Buffer.from(key, 'utf8')
  const frame = Buffer.allocUnsafe(REQUEST_HEADER_BYTES + keyBytes.length)
  frame[0] = WIRE_VERSION
  frame[1] = 0
  frame.writeUInt16LE(keyBytes.length, 2)
  keyBytes.copy(frame, REQUEST_HEADER_BYTES)
  return frame
}

/** The key of a request frame; a frame of another version, a bad length or a bad key throws ERR_PEER. */
export function decodeRequest(frame: Buffer): string {
  if (frame.length < REQUEST_HEADER_BYTES) throw protocolError(`request of ${frame.length} bytes is shorter than its header`)
  if (frame[0] !== WIRE_VERSION) throw protocolError(`request of protocol version ${frame[0]}; this peer speaks version ${WIRE_VERSION}`)
  const keyLength = frame.readUInt16LE(2)
  if (keyLength !== frame.length - REQUEST_HEADER_BYTES)
    throw protocolError(`request announces a key of ${keyLength} bytes but carries ${frame.length - REQUEST_HEADER_BYTES}`)
  const key = frame.toString('utf8', REQUEST_HEADER_BYTES)
  // Invalid UTF-8 decodes to U+FFFD: re-encoding tells whether the bytes were a real key.
  if (Buffer.byteLength(key) !== keyLength) throw protocolError('request key is not valid UTF-8')
  const bad = keyError(key)
  if (bad) throw protocolError(`request refused: ${bad.message}`)
  return key
}

export function encodeReply(status: ReplyStatus, kind: number, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(REPLY_HEADER_BYTES + payload.length)
  frame[0] = WIRE_VERSION
  frame[1] = status
  frame[2] = kind
  frame[3] = 0
  frame.writeUInt32LE(payload.length, 4)
  frame.writeUInt32LE(replyCrc(frame.subarray(0, 4), payload), 8)
  frame.set(payload, REPLY_HEADER_BYTES)
  return frame
}

export function encodeMessageReply(status: ReplyStatus.LoadFailed | ReplyStatus.Refused, message: string): Buffer {
  return encodeReply(status, 0, Buffer.from(message, 'utf8'))
}

/** Checks a whole reply frame (version, length, status, CRC) and returns its parts; ERR_PEER if broken. */
export function decodeReply(frame: Buffer): Reply {
  if (frame.length < REPLY_HEADER_BYTES) throw protocolError(`reply of ${frame.length} bytes is shorter than its header`)
  if (frame[0] !== WIRE_VERSION) throw protocolError(`reply of protocol version ${frame[0]}; this peer speaks version ${WIRE_VERSION}`)
  const status = frame[1]!
  if (status > ReplyStatus.Refused) throw protocolError(`reply with unknown status ${status}`)
  const length = frame.readUInt32LE(4)
  if (length !== frame.length - REPLY_HEADER_BYTES)
    throw protocolError(`reply announces ${length} payload bytes but carries ${frame.length - REPLY_HEADER_BYTES}`)
  // A plain Uint8Array, not a Buffer: a KIND_BYTES value must come out as the type that went in.
  const payload = new Uint8Array(frame.buffer, frame.byteOffset + REPLY_HEADER_BYTES, length)
  if (replyCrc(frame.subarray(0, 4), payload) !== frame.readUInt32LE(8)) throw protocolError('reply fails its CRC-32 check')
  return { status: status as ReplyStatus, kind: frame[2]!, payload }
}

export function messageOf(reply: Reply): string {
  return Buffer.from(reply.payload.buffer, reply.payload.byteOffset, reply.payload.byteLength).toString('utf8')
}
