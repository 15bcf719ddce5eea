// Batches: many keys per boundary crossing (BRIEF, fact 6). getMany runs the lock-free lookup for each
// key and leaves one BATCH_OUT record per key; setMany stores records in order, taking each key's
// shard lock in turn, and stops at the first contended shard so JS can wait and resume there.
import * as L from './layout.generated'
import { scratchBase, shardBase } from './arena'
import { tryLock, unlock } from './lock'
import { lookup, prepareKey, lastShard } from './read'
import { beginSet, finishSet } from './write'

// @ts-ignore: decorator
@inline function align(n: u32, a: u32): u32 { return (n + a - 1) & ~(a - 1) }

/** Looks up `count` keys laid out at `input` as [u32 keyLen][key][pad to 4]; records go to `out`. */
export function batchGet(count: u32, input: u32, out: u32, now: f64, flags: u32): void {
  let p = input
  const r = scratchBase
  for (let i: u32 = 0; i < count; i++) {
    const keyLen = load<u32>(p)
    const status = lookup(p + L.BATCH_IN_HEADER_BYTES, keyLen, now, flags)
    const o = out + i * L.BATCH_OUT_SIZE
    store<u32>(o + L.BATCH_OUT_STATUS, status)
    if (status == L.STATUS_HIT) {
      store<u32>(o + L.BATCH_OUT_VALUE_OFFSET, load<u32>(r + L.RESULT_VALUE_OFFSET))
      store<u32>(o + L.BATCH_OUT_VALUE_LEN, load<u32>(r + L.RESULT_VALUE_LEN))
      store<u32>(o + L.BATCH_OUT_KIND, load<u32>(r + L.RESULT_KIND))
      store<u32>(o + L.BATCH_OUT_SEQ, load<u32>(r + L.RESULT_SEQ))
      store<u32>(o + L.BATCH_OUT_SEQ_INDEX, load<u32>(r + L.RESULT_SEQ_INDEX))
    }
    p += align(L.BATCH_IN_HEADER_BYTES + keyLen, 4)
  }
}

/**
 * Stores records [from, count) laid out at `input` (BATCH_SET_IN header, key, value, padded to 8);
 * each record's status goes to out[i] (u32). Returns the index of the first record whose shard was
 * contended (RESULT.shard says which), or `count` when all were processed. RESULT.reserved is set
 * to 1 when some shard had waiters to notify.
 */
export function batchSet(from: u32, count: u32, input: u32, out: u32, now: f64): u32 {
  let p = input
  store<u32>(scratchBase + L.RESULT_RESERVED, 0)
  for (let i: u32 = 0; i < count; i++) {
    const keyLen = load<u32>(p + L.BATCH_SET_IN_KEY_LEN)
    const valueLen = load<u32>(p + L.BATCH_SET_IN_VALUE_LEN)
    const next = p + align(L.BATCH_SET_IN_SIZE + keyLen + valueLen, 8)
    if (i < from) { p = next; continue }
    const key = p + L.BATCH_SET_IN_SIZE
    const h = prepareKey(key, keyLen)
    const shard = lastShard
    const sb = shardBase(shard)
    if (!tryLock(sb)) return i
    const status = beginSet(sb, shard, h, key, keyLen, valueLen, load<u32>(p + L.BATCH_SET_IN_KIND), load<f64>(p + L.BATCH_SET_IN_TTL), now)
    if (status == L.STATUS_STORED) {
      memory.copy(load<u32>(scratchBase + L.RESULT_VALUE_OFFSET), key + keyLen, valueLen)
      finishSet()
    }
    if (unlock(sb)) store<u32>(scratchBase + L.RESULT_RESERVED, 1)
    store<u32>(out + i * 4, status)
    p = next
  }
  return count
}
