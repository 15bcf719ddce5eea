/**
 * getMany / setMany: keys (and values) packed into this thread's scratch as BATCH_* records of
 * src/layout/spec.json, one engine call per scratch-full. Anything the batch path can't finish (an
 * expired entry, a busy shard, a value that doesn't fit beside the others) falls back to the single-key
 * path, so a batch means exactly what the same calls one by one would.
 */
import * as L from '../layout/constants.generated.js'
import { CortadoError } from '../errors.js'
import { writeUtf8, NOT_WELL_FORMED } from '../text.js'
import { checkKey, invalidKeyType, keyError, keyTooLong, notWellFormed } from '../keys.js'
import { isRetry, type EngineCore } from './core.js'

/** Most keys per engine call (their records must fit in scratch beside the keys). */
const BATCH_CHUNK = 256

const O_VALUE_OFFSET = L.BATCH_OUT_VALUE_OFFSET >>> 2
const O_VALUE_LEN = L.BATCH_OUT_VALUE_LEN >>> 2
const O_KIND = L.BATCH_OUT_KIND >>> 2
const O_SEQ_INDEX = L.BATCH_OUT_SEQ_INDEX >>> 2
const O_SEQ = L.BATCH_OUT_SEQ >>> 2

export function getMany<V>(core: EngineCore<V>, keys: readonly string[]): (V | undefined)[] {
  core.check()
  if (!Array.isArray(keys)) throw new CortadoError('ERR_INVALID_KEY', 'getMany takes an array of string keys')
  const out: (V | undefined)[] = new Array(keys.length)
  const v = core.v
  const u32 = v.u32
  // A bad key must be refused before any key is looked up (counted as a hit or miss, touched in the
  // policy). A chunk's keys are checked as they are written, before its engine call; the keys of later
  // chunks are checked before the first call (keyError: a well-formedness scan per key, ~300 instructions,
  // so only for batches that need more than one chunk).
  let laterChecked = false
  let i = 0
  while (i < keys.length) {
    // Lay out [u32 len][key][pad] after room for the output records of the whole chunk.
    const outAt = core.keyAt
    const maxChunk = Math.min(keys.length - i, BATCH_CHUNK)
    const inAt = outAt + maxChunk * L.BATCH_OUT_SIZE
    const limit = core.scratch + core.geometry.scratchBytes
    let p = inAt
    let n = 0
    while (n < maxChunk) {
      const key = keys[i + n]
      if (typeof key !== 'string') throw invalidKeyType(key)
      const room = limit - p - L.BATCH_IN_HEADER_BYTES
      if (room < 1) break
      const len = writeUtf8(v, key, p + L.BATCH_IN_HEADER_BYTES, Math.min(room, L.MAX_KEY_BYTES + 1))
      if (len === NOT_WELL_FORMED) throw notWellFormed(key)
      if (len < 0 || len > L.MAX_KEY_BYTES) {
        // Past the room left in this chunk: a good key goes to the next one, a bad one is refused now.
        const error = n > 0 ? keyError(key) : keyTooLong(key)
        if (error !== undefined) throw error
        break
      }
      u32[p >>> 2] = len
      p += (L.BATCH_IN_HEADER_BYTES + len + 3) & ~3
      n++
    }
    if (!laterChecked && i + n < keys.length) {
      for (let k = i + n; k < keys.length; k++) {
        const error = keyError(keys[k])
        if (error !== undefined) throw error
      }
      laterChecked = true
    }
    core.ex.getMany(n, inAt, outAt, core.now(), 0)
    for (let k = 0; k < n; k++) {
      const o = (outAt + k * L.BATCH_OUT_SIZE) >>> 2
      const status = u32[o]
      if (status === L.STATUS_HIT) {
        const start = u32[o + O_VALUE_OFFSET]
        const value = core.take(u32[o + O_KIND], start, start + u32[o + O_VALUE_LEN], u32[o + O_SEQ_INDEX], u32[o + O_SEQ])
        if (!isRetry(value)) {
          out[i + k] = value
          // undefined from a hit: what getOrLoad stored that is no value now (envelopeHidden), a miss.
          if (value !== undefined) core.countHit()
          else core.countMiss()
        } else {
          out[i + k] = core.get(keys[i + k])
        }
      } else if (status === L.STATUS_MISS) {
        out[i + k] = undefined
        core.countMiss()
      } else {
        // Expired, needing the clock, or busy: the single-key path handles each case.
        out[i + k] = core.get(keys[i + k])
      }
    }
    i += n
  }
  return out
}

/** Sets `list` under one TTL; returns which entries were stored. Every pair is checked before any is stored. */
export function setMany<V>(core: EngineCore<V>, list: ReadonlyArray<readonly [string, V]>, ttl: number): boolean[] {
  core.check()
  const codec = core.codec
  // A bad key or value leaves the cache as it was. Values a serializing codec can only check by
  // encoding are encoded here, once, and kept.
  let prepared: Uint8Array[] | undefined
  let preparedKinds: Uint8Array | undefined
  for (let k = 0; k < list.length; k++) {
    const entry = list[k]
    if (!Array.isArray(entry)) throw new CortadoError('ERR_INVALID_VALUE', 'setMany takes [key, value] pairs')
    checkKey(entry[0])
    const bytes = codec.prepare(entry[1])
    if (bytes !== undefined) {
      ;(prepared ??= new Array<Uint8Array>(list.length))[k] = bytes
      ;(preparedKinds ??= new Uint8Array(list.length))[k] = codec.kind
    }
  }
  if (ttl > 0) core.clockNeeded = true
  const results: boolean[] = new Array(list.length)
  const v = core.v
  const u32 = v.u32
  const limit = core.scratch + core.geometry.scratchBytes
  let i = 0
  while (i < list.length) {
    const maxChunk = Math.min(list.length - i, BATCH_CHUNK)
    const outAt = core.keyAt
    const inAt = (outAt + maxChunk * 4 + 7) & ~7
    let p = inAt
    let n = 0
    while (n < maxChunk) {
      const [key, value] = list[i + n]
      core.beforeWrite(key)
      const pre = prepared?.[i + n]
      const room = limit - p - L.BATCH_SET_IN_SIZE
      const keyLen = room > 0 ? writeUtf8(v, key, p + L.BATCH_SET_IN_SIZE, Math.min(room, L.MAX_KEY_BYTES + 1)) : -1
      const valueAt = p + L.BATCH_SET_IN_SIZE + keyLen
      let valueLen = -1
      let kind = 0
      if (keyLen >= 0 && keyLen <= L.MAX_KEY_BYTES) {
        if (pre === undefined) {
          valueLen = codec.encodeInto(value, v, valueAt, room - keyLen)
          kind = codec.kind
        } else if (pre.length <= room - keyLen) {
          v.u8.set(pre, valueAt)
          valueLen = pre.length
          kind = preparedKinds![i + n]!
        }
      }
      if (valueLen < 0) {
        // Doesn't fit beside the others: flush what we have, or store this one on its own.
        if (n > 0) break
        results[i] = pre === undefined ? core.set(key, value, ttl) : core.setRaw(key, preparedKinds![i]!, pre, ttl)
        i++
        break
      }
      u32[(p + L.BATCH_SET_IN_KEY_LEN) >>> 2] = keyLen
      u32[(p + L.BATCH_SET_IN_VALUE_LEN) >>> 2] = valueLen
      u32[(p + L.BATCH_SET_IN_KIND) >>> 2] = kind
      v.f64[(p + L.BATCH_SET_IN_TTL) >>> 3] = ttl
      p += (L.BATCH_SET_IN_SIZE + keyLen + valueLen + 7) & ~7
      n++
    }
    if (n === 0) continue
    const now = core.writeNow()
    // setMany returns how far it got: it stops at a contended shard and is called again from there.
    let from = 0
    core.gate.retry(() => (from = core.ex.setMany(from, n, inAt, outAt, now)) < n ? -1 : 0, -1)
    if (u32[(core.scratch + L.RESULT_RESERVED) >>> 2] !== 0)
      for (let s = 0; s < core.geometry.shardCount; s++) core.gate.notify(s)
    for (let k = 0; k < n; k++) results[i + k] = u32[(outAt >>> 2) + k] === L.STATUS_STORED
    i += n
  }
  return results
}
