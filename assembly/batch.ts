// Batches: many keys per boundary crossing (BRIEF, fact 6). getMany runs the lock-free lookup for each
// key and leaves one BATCH_OUT record per key; setMany stores records in order, taking each key's
// shard lock in turn, and stops at the first contended shard so JS can wait and resume there.
import * as L from './layout.generated'
import { scratchBase, shardBase } from './arena'
import { tryLock, unlock } from './lock'
import { lookup, prepareKey, lastShard } from './read'
import { bucketAddr, bucket1, bucket2, firstTagMatch } from './hashindex'
import { inBounds } from './entry'
import { sketchWord } from './sketch'
import { beginSet, finishSet, copyValueIn } from './write'

// @ts-ignore: decorator
@inline function align(n: u32, a: u32): u32 { return (n + a - 1) & ~(a - 1) }

/** Keys whose memory is touched ahead of their lookups (see warm()). */
const GROUP: u32 = 16
/** Where warm() leaves what it read, so the loads can't be optimised away. */
let warmSink: u32 = 0

/**
 * Touches the index buckets of the next GROUP keys before they are looked up. WebAssembly has no
 * prefetch, but these loads don't depend on each other, so the CPU overlaps their cache misses; the
 * lookups that follow then find their buckets in cache instead of missing one after the other.
 */
function warm(p: u32, remaining: u32): void {
  let sum: u32 = 0
  const n = min<u32>(GROUP, remaining)
  // First the buckets (and sketch blocks) of every key in the group...
  let q = p
  for (let i: u32 = 0; i < n; i++) {
    const keyLen = load<u32>(q)
    const h = prepareKey(q + L.BATCH_IN_HEADER_BYTES, keyLen)
    const sb = shardBase(lastShard)
    sum += load<u32>(bucketAddr(sb, bucket1)) + load<u32>(bucketAddr(sb, bucket2)) + sketchWord(sb, h)
    q += align(L.BATCH_IN_HEADER_BYTES + keyLen, 4)
  }
  // ...then, with the buckets arriving, the entries their matching slots point at.
  q = p
  for (let i: u32 = 0; i < n; i++) {
    const keyLen = load<u32>(q)
    prepareKey(q + L.BATCH_IN_HEADER_BYTES, keyLen)
    const sb = shardBase(lastShard)
    const off = firstTagMatch(sb)
    if (off != 0 && inBounds(off)) sum += load<u32>(sb + off)
    q += align(L.BATCH_IN_HEADER_BYTES + keyLen, 4)
  }
  warmSink += sum
}

/** Looks up `count` keys laid out at `input` as [u32 keyLen][key][pad to 4]; records go to `out`. */
export function batchGet(count: u32, input: u32, out: u32, now: f64, flags: u32): void {
  let p = input
  const r = scratchBase
  for (let i: u32 = 0; i < count; i++) {
    if (i % GROUP == 0) warm(p, count - i)
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
    const status = beginSet(sb, h, key, keyLen, valueLen, load<u32>(p + L.BATCH_SET_IN_KIND), load<f64>(p + L.BATCH_SET_IN_TTL), now)
    if (status == L.STATUS_STORED) {
      copyValueIn(key + keyLen, valueLen)
      finishSet()
    }
    if (unlock(sb)) store<u32>(scratchBase + L.RESULT_RESERVED, 1)
    store<u32>(out + i * 4, status)
    p = next
  }
  return count
}
