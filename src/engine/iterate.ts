/**
 * Reading a cache's entries chunk by chunk (iteration, dumps, tiers): the engine lists the entries of a
 * run of index buckets into scratch (their offsets), and each is parsed here by the ENTRY header of
 * src/layout/spec.json. A chunk is read lock-free and validated by the shard's sequence number; a shard
 * that keeps changing under us is read under its lock.
 */
import * as L from '../layout/constants.generated.js'
import { SCRATCH_BYTES } from '../layout/geometry.js'
import { readUtf8 } from '../text.js'
import { copyOut } from '../codecs/copy-out.js'
import { takeChainedById } from './large.js'
import { ENVELOPE_HEADER_BYTES, envelopeHidden } from '../codecs/envelope.js'
import type { EngineCore } from './core.js'
import type { RawEntry } from './access.js'

/** Buckets per iteration chunk: at most 8 entries each, so a chunk's offsets always fit in scratch. */
const ITER_BUCKETS = Math.floor((SCRATCH_BYTES - L.RESULT_SIZE) / 4 / L.BUCKET_SLOTS)
/** Lock-free attempts at a chunk before it is read under the shard lock. */
const LOCK_FREE_ATTEMPTS = 3

/** Every live entry, shard by shard; `withValues` false leaves `bytes` undefined (keys only). */
export function* iterateChunks(core: EngineCore<unknown>, withValues: boolean): Generator<RawEntry> {
  core.check()
  const g = core.geometry
  for (let shard = 0; shard < g.shardCount; shard++) {
    for (let from = 0; from < g.indexBuckets; from += ITER_BUCKETS) {
      core.check()
      yield* readChunk(core, shard, from, withValues)
    }
  }
}

function readChunk(core: EngineCore<unknown>, shard: number, from: number, withValues: boolean): RawEntry[] {
  for (let attempt = 0; attempt < LOCK_FREE_ATTEMPTS; attempt++) {
    const n = core.ex.entries(shard, from, ITER_BUCKETS, ITER_BUCKETS * L.BUCKET_SLOTS, core.now())
    if (n === L.COUNT_BUSY) continue
    const out = parseChunk(core, n, withValues)
    const v = core.v
    const r32 = core.r32
    if (out !== undefined && Atomics.load(v.u32, v.u32[r32 + (L.RESULT_SEQ_INDEX >>> 2)]) === v.u32[r32 + (L.RESULT_SEQ >>> 2)]) return out
  }
  // Under the lock the engine never reports the shard busy (it is busy only for other threads).
  return core.gate.locked(shard, () =>
    parseChunk(core, core.ex.entries(shard, from, ITER_BUCKETS, ITER_BUCKETS * L.BUCKET_SLOTS, core.now()), withValues)!)
}

/**
 * The `n` entries whose offsets the engine left at the start of the key area of scratch; undefined when
 * a large value's chain was torn by a writer (read again). Under the lock nothing is torn.
 */
function parseChunk(core: EngineCore<unknown>, n: number, withValues: boolean): RawEntry[] | undefined {
  const v = core.v
  const out: RawEntry[] = []
  let now: number | undefined
  for (let i = 0; i < n; i++) {
    const at = v.u32[(core.keyAt >>> 2) + i]
    const flags = v.u8[at + L.ENTRY_FLAGS]
    const keyLen = v.dv.getUint16(at + L.ENTRY_KEY_LEN, true)
    const valueLen = v.dv.getUint32(at + L.ENTRY_VALUE_LEN, true)
    const hasTtl = (flags & L.ENTRY_HAS_TTL) !== 0
    const keyStart = at + L.ENTRY_HEADER_BYTES + (hasTtl ? L.ENTRY_TTL_BYTES : 0)
    const valueStart = keyStart + keyLen
    const large = (flags & L.ENTRY_LARGE) !== 0
    if (valueStart + (large ? L.LARGE_REF_BYTES : valueLen) > v.u8.length) break
    // A value larger than a segment is read from its chain of segments, whose first segment's global
    // id the record holds (large.ts; through a native window the engine copies the chain).
    const kind = v.u8[at + L.ENTRY_KIND]
    const bytes = !withValues ? undefined : !large ? copyOut(v.u8, valueStart, valueStart + valueLen)
      : takeListedChain(core, valueStart, valueLen)
    if (withValues && bytes === undefined) return undefined
    // What getOrLoad stored may be no value for plain reads (a cached failure, a value past its hard
    // TTL kept for staleIfError); read under the chunk's validation.
    let hidden = false
    if (kind === L.KIND_LOADED) {
      const head = bytes ?? (!large ? v.u8.subarray(valueStart, valueStart + Math.min(valueLen, ENVELOPE_HEADER_BYTES)) : takeListedChain(core, valueStart, valueLen))
      if (head === undefined) return undefined
      now ??= core.clock()
      hidden = envelopeHidden(head, now)
    }
    out.push({
      key: readUtf8(v, keyStart, valueStart),
      kind,
      hidden,
      bytes,
      expiry: hasTtl ? v.dv.getFloat64(at + L.ENTRY_HEADER_BYTES, true) : Infinity,
    })
  }
  return out
}

/** The value of a LARGE entry listed by iteration: `refAt` is where its record holds the chain's first id. */
function takeListedChain(core: EngineCore<unknown>, refAt: number, len: number): Uint8Array | undefined {
  const v = core.v
  if (refAt + 4 > v.u8.length) return undefined
  const first = v.dv.getUint32(refAt, true)
  return core.ex.copyChain === undefined ? takeChainedById(v, core.geometry, first, len) : core.chainBytes(first, len)
}
