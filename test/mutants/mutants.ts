/**
 * The planted bugs `npm run test:mutants` applies, one at a time, to a copy of the project. Each is a
 * small change a careless edit could make and that a cache would survive silently (no crash, wrong
 * answers or lost bounds); `tests` are the files that must fail with it. Every mutant on this list must
 * be killed, with the native addon built and without it: a survivor means a hole in the suite.
 *
 * `find` must occur exactly once in `file` (the runner refuses a mutant that no longer applies, so
 * this list can't rot silently when the code moves on).
 */
export interface Mutant {
  id: string
  /** What part of the cache it breaks, for the report. */
  area: string
  file: string
  find: string
  replace: string
  /** Test files that must fail with the mutant applied. */
  tests: string[]
  /** The bug, in a sentence. */
  why: string
}

/**
 * `text` (the contents of `m.file`) with the mutant applied, or why it does not apply: its `find` text must occur there
 * exactly once. The runner, the suite's check (apply.test.ts) and test/mutants/sweep-one.sh share this rule.
 */
export function applyMutant(m: Mutant, text: string): { text: string } | { reason: string } {
  const at = text.indexOf(m.find)
  if (at < 0) return { reason: 'its code is not in the file any more' }
  if (text.indexOf(m.find, at + 1) >= 0) return { reason: 'its code occurs more than once' }
  return { text: text.slice(0, at) + m.replace + text.slice(at + m.find.length) }
}

export const MUTANTS: Mutant[] = [
  // ---- the four found by the first read of the suite -------------------------------------------------
  {
    id: 'read-no-seq-check', area: 'lock-free reads', file: 'src/engine/core.ts',
    find: 'if (taken !== undefined && loadAcquire(this.v.u32, seqIndex) === seq) return true', replace: 'if (taken !== undefined) return true',
    tests: ['test/workers/stress.test.ts'],
    why: 'a lock-free read returns its copy without checking that no writer moved under it (torn values)',
  },
  {
    id: 'remove-keeps-global-count', area: 'counts', file: 'assembly/queues.ts',
    find: '  if (isLarge(flags)) freeChainOf(sb, off)\n  countGlobally(-1)', replace: '  if (isLarge(flags)) freeChainOf(sb, off)',
    tests: ['test/core/model.test.ts'],
    why: 'removing an entry leaves the cache-wide live count (the maxEntries bound) too high',
  },
  {
    id: 'admission-always-admits', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: 'if ((fc < fv || (fc == fv && tie == 0 && !(SATURATED_TIE', replace: 'if (false && (fc < fv || (fc == fv && tie == 0 && !(SATURATED_TIE',
    tests: ['test/policy/admission.test.ts'],
    why: 'the frequency contest of TinyLFU admission is switched off: every candidate wins',
  },
  {
    id: 'expiry-off-by-one', area: 'TTL', file: 'assembly/read.ts',
    find: '      if (expiry <= now) {', replace: '      if (expiry < now) {',
    tests: ['test/core/model.test.ts', 'test/conformance/model.test.ts'],
    why: 'an entry read exactly at its deadline is served although it has expired',
  },
  // ---- policy and sketch ------------------------------------------------------------------------------
  {
    id: 'admission-always-rejects', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: 'if ((fc < fv || (fc == fv && tie == 0 && !(SATURATED_TIE', replace: 'if (true || (fc < fv || (fc == fv && tie == 0 && !(SATURATED_TIE',
    tests: ['test/policy/admission.test.ts'],
    why: 'no candidate ever wins a contest: a key that keeps coming back never gets into main',
  },
  {
    id: 'miss-filter-ignored', area: 'policy', file: 'assembly/policy/window.ts',
    find: '&& !unasked && (missedBefore || estimate(sb, h) > YOUNG_FREQUENCY)) return',
    replace: '&& estimate(sb, h) > YOUNG_FREQUENCY) return',
    tests: ['test/policy/recency.test.ts'],
    why: 'the miss filter is ignored: a loop a little larger than the cache (get, set on a miss) talks the window into thrashing, and write-then-read keys written back stop counting',
  },
  {
    id: 'unasked-gain-ignored', area: 'policy', file: 'assembly/policy/window.ts',
    find: '? ONCE_GAIN : UNASKED_GAIN',
    replace: '? ONCE_GAIN : 1',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'a returning candidate written unasked counts once like any other: beside a hot set read cache-aside (the quiet gate shut) write-back traffic keeps +0.8 over LRU where it had +3.9 (stop 47; before the quiet gate: write-back at 1.5 × capacity, 1.9-2.4 points under LRU); since stop 56 that row holds without it, and three writes in 10 with half the reads recent lose a point of their +10.8 lead (stop 58)',
  },
  {
    id: 'no-early-ageing', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'else if (target - base >= AGE_ON_GROWTH * c && ageEarly(sb))', replace: 'else if (false)',
    tests: ['test/policy/recency.test.ts'],
    why: 'the window\'s growth no longer ages the sketch: after each move of a hot set (Zipf moving every 10 capacities, cache-aside) the old keys\' counts keep rejecting the new ones until the regular ageing, 1.24 points under LRU (4000 entries; stop 38: write-then-read and write-once at 1.0 × capacity, which pinned it before, no longer depend on it)',
  },
  {
    id: 'early-ageing-unbounded', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'if (added < mark) return true', replace: 'return true',
    tests: ['test/policy/recency.test.ts'],
    why: 'the early ageing fires at every swing of the window again (issue 18, stop 28): a loop of 1.07 × capacity halves the sketch until most estimates are 0 and loses a fifth of its hits',
  },
  {
    id: 'sketch-never-ages', area: 'sketch', file: 'assembly/sketch.ts',
    find: 'atomic.cmpxchg<u32>(sb + L.SHARD_SKETCH_ADDITIONS, n, n >> 1) == n) halve(sb)',
    replace: 'atomic.cmpxchg<u32>(sb + L.SHARD_SKETCH_ADDITIONS, n, n >> 1) == n) {}',
    tests: ['test/policy/sketch.test.ts'],
    why: 'the frequency sketch never halves: old popularity blocks new keys forever',
  },
  {
    id: 'sketch-estimate-max', area: 'sketch', file: 'assembly/sketch.ts',
    find: '  return min<u32>(min<u32>(nibble(a, shift0(bits)), nibble(a, shift1(bits))), min<u32>(nibble(b, shift2(bits)), nibble(b, shift3(bits))))',
    replace: '  return max<u32>(max<u32>(nibble(a, shift0(bits)), nibble(a, shift1(bits))), max<u32>(nibble(b, shift2(bits)), nibble(b, shift3(bits))))',
    tests: ['test/policy/sketch.test.ts', 'test/policy/admission.test.ts'],
    why: 'the estimate takes the largest counter instead of the smallest (count-min becomes count-max)',
  },
  {
    id: 'sketch-nibble-carries', area: 'sketch', file: 'assembly/sketch.ts',
    find: '  const add = ones & ~full', replace: '  const add = ones',
    tests: ['test/policy/sketch-layout.test.ts'],
    why: 'a saturated counter (15) is bumped anyway: it wraps to 0 and carries into the next counter of its word, another key\'s (stop 41: two counters per 64-bit word, bumped by one addition)',
  },
  // ---- index ------------------------------------------------------------------------------------------
  {
    id: 'index-first-bucket-only', area: 'index', file: 'assembly/hashindex.ts',
    find: '  return s != 0 ? s : findIn(sb, bucket2, key, keyLen)', replace: '  return s',
    tests: ['test/core/model.test.ts'],
    why: "lookups search only a key's first bucket: keys placed in their second bucket are lost",
  },
  {
    id: 'index-no-cuckoo-step', area: 'index', file: 'assembly/hashindex.ts',
    find: '  s = relocateFrom(sb, b1)\n  if (s == 0) s = relocateFrom(sb, b2)', replace: '  s = 0',
    tests: ['test/core/capacity.test.ts'],
    why: "a key whose two buckets are full evicts a resident instead of moving one to its other bucket",
  },
  // ---- segments and live accounting -------------------------------------------------------------------
  {
    id: 'remove-keeps-live-bytes', area: 'segments', file: 'assembly/segments.ts',
    find: 'store<u64>(sb + L.SHARD_LIVE_BYTES, load<u64>(sb + L.SHARD_LIVE_BYTES) - size)',
    replace: 'store<u64>(sb + L.SHARD_LIVE_BYTES, load<u64>(sb + L.SHARD_LIVE_BYTES))',
    tests: ['test/core/capacity.test.ts'],
    why: "a removed entry's bytes stay counted as live: bytesUsed only grows",
  },
  {
    id: 'segment-never-empties', area: 'segments', file: 'assembly/segments.ts',
    find: 'const left = load<u32>(h + L.SEG_LIVE_COUNT) - 1', replace: 'const left = load<u32>(h + L.SEG_LIVE_COUNT)',
    tests: ['test/core/capacity.test.ts'],
    why: "a segment's live count never drops, so its space is never reclaimed",
  },
  // ---- writes -----------------------------------------------------------------------------------------
  {
    id: 'in-place-ignores-ttl-header', area: 'writes', file: 'assembly/write.ts',
    find: 'if ((sameSmall || sameLarge) && hasTtl(oldFlags) == withTtl) {', replace: 'if (sameSmall || sameLarge) {',
    tests: ['test/core/model.test.ts', 'test/core/ttl.test.ts'],
    why: 'an overwrite of the same size rewrites in place although one copy has a TTL header and the other not',
  },
  {
    id: 'refused-set-keeps-old-value', area: 'writes', file: 'assembly/write.ts',
    find: '  bump(sb, L.SHARD_REJECTIONS)\n  if (oldSlot != 0) {', replace: '  bump(sb, L.SHARD_REJECTIONS)\n  if (false) {',
    tests: ['test/core/model.test.ts'],
    why: 'a set the cache refuses leaves the value it was meant to replace readable',
  },
  {
    id: 'batch-set-short-copy', area: 'batches', file: 'assembly/batch.ts',
    find: '      copyValueIn(key + keyLen, valueLen)',
    replace: '      copyValueIn(key + keyLen, valueLen > 0 ? valueLen - 1 : 0)',
    tests: ['test/conformance/batches.test.ts', 'test/core/model.test.ts'],
    why: "setMany copies one byte less of each value than it stores",
  },
  {
    id: 'batch-get-kind-lost', area: 'batches', file: 'assembly/batch.ts',
    find: 'store<u32>(o + L.BATCH_OUT_KIND, load<u32>(r + L.RESULT_KIND))', replace: 'store<u32>(o + L.BATCH_OUT_KIND, L.KIND_BYTES)',
    tests: ['test/conformance/batches.test.ts', 'test/core/model.test.ts'],
    why: "getMany reports every value as raw bytes, whatever its codec kind",
  },
  // ---- TTL ----------------------------------------------------------------------------------------------
  {
    id: 'ttl-sweep-stuck', area: 'TTL', file: 'assembly/ttl.ts',
    find: '    reclaimBuckets(sb, cursor, cursor + 1, now)\n    cursor++', replace: '    reclaimBuckets(sb, cursor, cursor + 1, now)',
    tests: ['test/core/ttl.test.ts'],
    why: 'the incremental expiry sweep never advances: expired entries are reclaimed only when read',
  },
  // ---- locks and recovery ------------------------------------------------------------------------------
  {
    id: 'lock-no-seq-bump', area: 'locks', file: 'assembly/lock.ts',
    find: '      atomic.add<u32>(sb + L.SHARD_SEQ, 1)\n      return true', replace: '      return true',
    tests: ['test/core/recovery.test.ts', 'test/workers/stress.test.ts'],
    why: 'taking the shard lock does not make the sequence odd: lock-free readers never see writers',
  },
  // ---- values larger than a segment (chained segments) --------------------------------------------------
  {
    id: 'chained-read-no-seq-check', area: 'large values', file: 'src/engine/core.ts',
    find: '    return this.#valid(taken, seqIndex, seq) ? this.#ownedValue(kind, taken!, meta) : RETRY\n',
    replace: '    return taken !== undefined ? this.#ownedValue(kind, taken, meta) : RETRY\n',
    tests: ['test/workers/large-values.test.ts'],
    why: 'a lock-free read of a value in chained segments skips the sequence check (bytes of a reused segment returned)',
  },
  {
    id: 'large-chain-leaks', area: 'large values', file: 'assembly/queues.ts',
    find: '  if (isLarge(flags)) freeChainOf(sb, off)\n  countGlobally(-1)', replace: '  countGlobally(-1)',
    tests: ['test/core/large-default.test.ts', 'test/core/large-values.test.ts'],
    why: 'an evicted, deleted or expired large entry never gives its chained segments back',
  },
  {
    id: 'large-overwrite-keeps-chain', area: 'large values', file: 'assembly/write.ts',
    find: '    freeChainOf(sb, old)\n', replace: '',
    tests: ['test/core/large-default.test.ts'],
    why: "overwriting a large entry leaks the old value's chain",
  },
  {
    id: 'large-no-segment-contest', area: 'large values', file: 'assembly/policy/adaptive.ts',
    find: '  if (segments != 0 && big && !contestSegments(sb, h, segments, now)) return REJECT\n', replace: '',
    tests: ['test/core/large-default.test.ts'],
    why: 'a large newcomer takes its segments without the sketch (with maxEntries it evicts thousands of hot entries)',
  },
  {
    id: 'every-larger-newcomer-contests', area: 'large values', file: 'assembly/policy/units.ts',
    find: '  return n != 0 && <f64>size * <f64>n > BIG_NEWCOMER', replace: '  return n != 0 && <f64>size * <f64>n > 1',
    tests: ['test/policy/large-values.test.ts'],
    why: 'every newcomer larger than the mean entry must beat main\'s victims first (before stop 35): a cache of 40 KiB-1 MiB values refuses what was just written',
  },
  {
    id: 'sketch-aged-by-index', area: 'large values', file: 'assembly/policy/adaptive.ts',
    find: '  if (!countMode()) fitSample(sb, load<u32>(sb + L.SHARD_LIVE_COUNT), ghostSlots)\n', replace: '',
    tests: ['test/policy/large-values.test.ts'],
    why: 'the sketch ages after 12 x the entries the index was sized for: a cache of large values keeps old phases\' counts',
  },
  {
    id: 'large-newcomer-leaves-window-at-once', area: 'large values', file: 'assembly/policy/adaptive.ts',
    find: 'queueCount(sb, WINDOW) > 1 && guard++ < 64', replace: 'queueCount(sb, WINDOW) > 0 && guard++ < 64',
    tests: ['test/policy/large-values.test.ts'],
    why: 'an entry larger than the whole window meets the window\'s contest in its own set, so set() returns true for a value that is already gone',
  },
  {
    id: 'borrowed-bytes-count-against-owner', area: 'large values', file: 'assembly/policy/units.ts',
    find: 'return <f64>(queueBytes(sb, L.QUEUE_WINDOW) + queueBytes(sb, L.QUEUE_PROBATION) + queueBytes(sb, L.QUEUE_PROTECTED))',
    replace: 'return <f64>load<u64>(sb + L.SHARD_LIVE_BYTES)',
    tests: ['test/core/large-cross-shard.test.ts'],
    why: 'the owner shard of a LARGE value counts the bytes it borrowed from other shards against its own capacity, so its contests evict for bytes it never held',
  },
  {
    id: 'borrowed-segment-never-returned', area: 'large values', file: 'assembly/large.ts',
    find: '  atomic.store<u32>(segHeader(lb, gidSeg(gid)) + L.SEG_STATE, L.SEG_RETURNED)\n  atomic.add<u32>(lb + L.SHARD_RETURNED, 1)\n',
    replace: '',
    tests: ['test/core/large-cross-shard.test.ts'],
    why: 'a chain that borrowed segments of other shards never gives them back to their lenders when its entry leaves',
  },
  {
    id: 'lent-chains-never-contested', area: 'large values', file: 'assembly/borrow.ts',
    find: '    if (fc < fv || (fc == fv && fv > LARGE_TIE_FREQUENCY)) continue\n',
    replace: '    continue\n',
    tests: ['test/core/large-cross-shard.test.ts'],
    why: "segments lent to other shards' large values are never contested: with large values only, new ones are refused once lenders lent their half",
  },
  {
    id: 'rebuild-frees-lent-segments', area: 'large values', file: 'assembly/recovery.ts',
    find: 'if (isLargeState(state) && (state >> L.SEG_OWNER_SHIFT) < shardCount) {',
    replace: 'if (state == largeState(shard)) {',
    tests: ['test/core/large-cross-shard.test.ts'],
    why: "a rebuild takes the segments its shard lent to other shards' chains back into its free list (two owners)",
  },
  {
    id: 'recovery-keeps-torn-tail', area: 'recovery', file: 'assembly/recovery.ts',
    find: '          store<u32>(h + L.SEG_USED, off - start)\n          break', replace: '          break',
    tests: ['test/core/recovery.test.ts'],
    why: 'a rebuild leaves a torn write at the end of the log counted as used',
  },
  // ---- API, keys and codecs ---------------------------------------------------------------------------
  {
    id: 'hits-counted-as-misses', area: 'stats', file: 'src/engine/core.ts',
    find: 'if (flags === 0) this.v.f64[value === undefined ? this.missesIdx : this.hitsIdx]++',
    replace: 'if (flags === 0) this.v.f64[value === undefined ? this.hitsIdx : this.missesIdx]++',
    tests: ['test/workers/stress.test.ts'],
    why: 'hits and misses that take the slow path are counted the wrong way round',
  },
  {
    id: 'key-limit-off-by-one', area: 'keys', file: 'src/engine/core.ts',
    find: 'if (len < 0 || len > L.MAX_KEY_BYTES) throw', replace: 'if (len < 0 || len >= L.MAX_KEY_BYTES) throw',
    tests: ['test/core/model.test.ts'],
    why: 'a key of exactly the maximum length is refused',
  },
  {
    id: 'utf16-read-as-utf8', area: 'codecs', file: 'src/codecs/kinds.ts',
    find: '    case L.KIND_UTF16: return readUtf16(view, start, end)', replace: '    case L.KIND_UTF16: return readUtf8(view, start, end)',
    tests: ['test/core/codecs.test.ts'],
    why: 'strings stored as UTF-16 (those with a lone surrogate) are decoded as UTF-8',
  },
  {
    id: 'ascii-fast-path-latin1', area: 'codecs', file: 'src/text.ts',
    find: '    if (c > 0x7f) break\n    u8[offset + i] = c', replace: '    if (c > 0xff) break\n    u8[offset + i] = c',
    tests: ['test/core/iteration.test.ts', 'test/core/model.test.ts', 'test/core/key-encoding.test.ts'],
    why: 'keys with latin1 characters are written as one byte per character instead of UTF-8 (writeAsciiFrom: batches, the disk log, and the tail of a get\'s or set\'s key)',
  },
  {
    id: 'key-words-latin1', area: 'codecs', file: 'src/text.ts',
    find: 'if ((a | b | c | d) > 0x7f) break', replace: 'if ((a | b | c | d) > 0xff) break',
    tests: ['test/core/iteration.test.ts', 'test/core/model.test.ts', 'test/core/key-encoding.test.ts'],
    why: "a get's or set's key with latin1 characters in its whole words is written a byte per character instead of UTF-8",
  },
  {
    id: 'copy-out-overlap', area: 'codecs', file: 'src/codecs/copy-out.ts',
    find: '  used += (n + 7) & ~7', replace: '  used += n & ~7',
    tests: ['test/core/codecs.test.ts'],
    why: 'small values copied out of the arena share slab bytes: a later get overwrites an earlier value',
  },
  // ---- loading -----------------------------------------------------------------------------------------
  {
    id: 'write-during-load-not-superseded', area: 'loading', file: 'src/loading/single-flight.ts',
    find: '  if (flight) flight.superseded = true', replace: '  if (flight) flight.superseded = false',
    tests: ['test/loading/write.test.ts', 'test/loading/single-flight.test.ts'],
    why: "a write made while a load runs is overwritten by the load's older result",
  },
  {
    id: 'plain-write-during-load-not-superseded', area: 'loading', file: 'src/engine/core.ts',
    find: '    if (load !== undefined) load.superseded = true', replace: '    if (load !== undefined) load.superseded = false',
    tests: ['test/loading/writes-during-load.test.ts'],
    why: "a plain set or delete made while a load of the key runs is overwritten by the load's older result",
  },
  {
    id: 'abandoned-load-keeps-its-slot', area: 'loading', file: 'src/loading/single-flight.ts',
    find: '    state.table.release(flight.claim.slot, flight.claim.id, L.FLIGHT_OUTCOME_ABANDONED)', replace: '    void flight.claim',
    tests: ['test/loading/single-flight.test.ts'],
    why: 'a load every caller gave up keeps its table slot: a loader that never settles holds its key for good',
  },
  {
    id: 'dead-thread-flight-slots-kept', area: 'loading', file: 'src/loading/flight-table.ts',
    find: 'if (now - seen.since <= leaseMs || owner === RELEASING || owner === this.me) return false',
    replace: 'if (now - seen.since <= leaseMs || owner === RELEASING || owner === this.me || seen !== undefined) return false',
    tests: ['test/loading/workers.test.ts'],
    why: "a terminated worker's flights of keys nobody asks for again hold their table slots for good",
  },
  {
    id: 'stale-if-error-off', area: 'loading', file: 'src/loading/get-or-load.ts',
    find: 'if (stale !== undefined && o.staleIfError > 0 && isLoadFailure(result.error)) {', replace: 'if (false) {',
    tests: ['test/loading/refresh.test.ts', 'test/loading/single-flight.test.ts'],
    why: 'a failed reload throws instead of serving the stale value staleIfError promises',
  },
  {
    id: 'early-refresh-off', area: 'loading', file: 'src/loading/get-or-load.ts',
    find: 'if (o.beta > 0 && shouldRefreshEarly(', replace: 'if (o.beta < 0 && shouldRefreshEarly(',
    tests: ['test/loading/refresh.test.ts'],
    why: 'probabilistic early refresh never starts a refresh',
  },
  {
    id: 'dump-load-ignores-elapsed', area: 'loading', file: 'src/loading/dump.ts',
    find: 'const ttl = r.ttl === Infinity ? 0 : r.ttl - elapsed', replace: 'const ttl = r.ttl === Infinity ? 0 : r.ttl',
    tests: ['test/loading/dump.test.ts'],
    why: 'a warm restart gives entries their whole TTL again instead of what was left',
  },
  // ---- tier -------------------------------------------------------------------------------------------
  {
    id: 'ring-unsorted', area: 'tier', file: 'src/tier/hash-ring.ts',
    find: '    entries.sort((a, b) => a.point - b.point || a.owner - b.owner)', replace: '',
    tests: ['test/tier/hash-ring.test.ts'],
    why: "the hash ring's points are not sorted: the binary search picks owners at random",
  },
  {
    id: 'tier-l2-hit-not-kept', area: 'tier', file: 'src/tier/tiered-cache.ts',
    find: 'if (!flight.stale && !this.#closed) this.l1.set(key, value, this.#l1Options(entry.ttl))', replace: 'if (false) {}',
    tests: ['test/tier/tiered-cache.test.ts'],
    why: 'a value read from L2 is not kept in L1, so every read goes to the network',
  },
  // ---- the front (src/engine/front.ts) -------------------------------------------------------------------
  {
    id: 'front-no-version-check', area: 'front', file: 'src/engine/front.ts',
    find: 'if (((PLAIN_LOADS ? u32[versionIdx]! : Atomics.load(u32, versionIdx)) | 0) !== m[b | M_VERSION]! || (', replace: 'if (false || (',
    tests: ['test/workers/front.test.ts', 'test/conformance/model.test.ts'],
    why: "a front hit is served without checking its segment's version: in-place rewrites and reused segments read stale",
  },
  {
    id: 'entry-size-wraps', area: 'capacity', file: 'assembly/write.ts',
    find: 'if (size < valueLen || size > maxEntryBytes || record > segBytes) {', replace: 'if (size > maxEntryBytes || record > segBytes) {',
    tests: ['test/core/oversized.test.ts'],
    why: 'a value length near 2^32 wraps the u32 entry size to a few bytes: the set is let through as a small entry',
  },
  {
    id: 'write-backs-stay-in-window', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (RETURN_TO != 0 && (fromGhost || askedFor) && returnToProbation(sb, fromGhost) && !returnTestVeto(sb, h)) return PROBATION\n', replace: '',
    tests: ['test/policy/recency.test.ts'],
    why: 'write-backs keep entering the window once recency has won: its FIFO fills with old keys coming back and write-back at 0.9 × capacity settles 6 points under LRU',
  },
  {
    id: 'return-rule-never-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (share < RETURN_SHARE) store<u32>(on, 0)\n  else if', replace: '  if',
    tests: ['test/policy/recency.test.ts'],
    why: 'the write-back rule never switches off when the traffic turns cache-aside: every miss-then-set key goes to probation while the window is large',
  },
  {
    id: 'unasked-tie-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: 'let tie: i32 = UNASKED_TIE != 0 && fc <= 1 ? -1 : 0', replace: 'let tie: i32 = 0',
    tests: ['test/policy/recency.test.ts'],
    why: 'a tie in the admission contest always goes to the victim: a cache filled by sets keeps its never-read keys against the first keys written after it (the latency suite\'s first capacities)',
  },
  {
    id: 'once-max-window-ignored', area: 'policy', file: 'assembly/policy/window.ts',
    find: '(once ? ONCE_MAX_WINDOW : MAX_WINDOW)', replace: 'MAX_WINDOW',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'the window stops at 0.9 of capacity on write-once traffic too: with one write per 2 operations main\'s 10% keeps keys read once long ago and the cache settles under LRU (stop 37)',
  },
  {
    id: 'once-hot-ignored', area: 'policy', file: 'assembly/policy/window.ts',
    find: '!(ONCE_HOT_SHARE > 0 && load<f64>(sb + P + L.POLICY_HOT_SHARE) >= ONCE_HOT_SHARE)', replace: 'true',
    tests: ['test/policy/recency.test.ts'],
    why: 'a hot set read cache-aside beside write-once traffic no longer holds the window at MAX_WINDOW: the window takes 0.995 of the cache and the Zipf set loses its room, ~5 points under LRU once adapted (issue #18 after stop 37)',
  },
  {
    id: 'cold-hits-ignored', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && <f64>hits >= COLD_HITS * c', replace: '',
    tests: ['test/policy/recency.test.ts'],
    why: 'a bulk warm-up of sets (no hits while the cache filled) starts the cache-aside traffic after it with a 0.9 window: model, Zipf -0.6 to -1.4 over the run, a loop under noise -30 (COLD_HITS, stop 38)',
  },
  {
    id: 'cold-hits-any', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (COLD_HITS_UNASKED == 0) {', replace: '  if (true) {',
    tests: ['test/policy/recency.test.ts'],
    why: 'a cache-aside hot set\'s hits count for COLD_HITS, so a bulk warm-up after it fires the rule and the traffic after pays for a 0.9 window: model, a loop under noise -29.8, gli 500 -18.9 over the run (COLD_HITS_UNASKED, stop 39)',
  },
  {
    id: 'drift-sweep-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (DRIFT_SWEEP != 0 && q == WINDOW && load<u32>(sb + P + L.POLICY_DRIFT_ON) != 0) driftSweep(sb, now)', replace: '',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'the drift gate opens but protected is never swept: Zipf moving every 2 capacities keeps the old hot set in protected, 3.0 under LRU instead of 2.6 (real cache, 4000 entries; DRIFT_SWEEP, stop 40)',
  },
  {
    id: 'drift-every-return', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  const r = load<u32>(sb + P + L.POLICY_DRIFT_RETURNS) + (back ? 1 : 0)', replace: '  const r = load<u32>(sb + P + L.POLICY_DRIFT_RETURNS) + 1',
    tests: ['test/policy/recency.test.ts'],
    why: 'every insert counts as back from the ghost: the share never falls after a move and the drift gate never opens (DRIFT_SWEEP, stop 40)',
  },
  {
    id: 'drift-block-placeholder', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (DRIFT_SWEEP != 0) store<u32>(sb + P + L.POLICY_DRIFT_BLOCK, blockOf(c / meanSize(sb)))', replace: '',
    tests: ['test/policy/recency.test.ts'],
    why: 'a cache bounded by bytes keeps the drift block it was given empty (DRIFT_BLOCK x its bytes: 1M inserts for 4 MiB) until that first block ends: the drift gate is blind for hundreds of capacities (stop 41)',
  },
  {
    id: 'once-share-low', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'writeOnce(sb, ONCE_SHARE) || (QUIET_MAIN', replace: 'writeOnce(sb, 0.7) || (QUIET_MAIN',
    tests: ['test/policy/recency.test.ts'],
    why: "a rejected candidate written unasked counts ONCE_GAIN times from stop 37's share (0.7): the window races to its maximum, and write-once beside a hot set with 20% reads of recent writes over 1 x capacity (share 0.72-0.74) ends 1.3 under LRU (ONCE_SHARE, stop 41)",
  },
  {
    id: 'drift-grow-unread', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (tailCounter() != 0) store<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS, load<u32>(sb + P + L.POLICY_DRIFT_LEAVE_HITS) + 1)', replace: '',
    tests: ['test/policy/recency.test.ts'],
    why: 'no window leaver counts as read there: the window never grows at a fall, and Zipf moving every 2 capacities stays 2.58 under LRU instead of 2.32 (real cache, 4000 entries; DRIFT_GROW, stop 41; since stop 46 the CLOCK window sends hit tail keys round there, and the white-box test \'DRIFT_GROW at a fall\' catches it)',
  },
  {
    id: 'drift-grow-no-fall', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  const first = fell && load<u32>(sb + P + L.POLICY_DRIFT_FELL) == 0', replace: '  const first = true',
    tests: ['test/policy/recency.test.ts'],
    why: 'the window grows at every block whose leavers were read, fall or not: standing Zipf grows its window too (DRIFT_GROW, stop 41)',
  },
  {
    id: 'drift-grow-kept', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    const back = grew * DRIFT_GROW_DECAY', replace: '    const back = 0.0',
    tests: ['test/policy/recency.test.ts'],
    why: 'the growth is never given back: once the hot set stops moving the window stays grown, and standing Zipf after the moves loses its lead (DRIFT_GROW_DECAY, stop 42; caught since stop 46 by the white-box test \'DRIFT_GROW at a fall\')',
  },
  {
    id: 'unasked-keep-ignored', area: 'policy', file: 'assembly/sketch.ts',
    find: 'if (UNASKED_KEEP != 0 && load<u32>(sb + L.POLICY_STATE_OFFSET + L.POLICY_QUIET_ON) != 0)', replace: 'if (false)',
    tests: ['test/policy/recency.test.ts'],
    why: 'every halving clears the written-unasked marks, also while main is quiet: after a Zipf hot set read cache-aside, write-then-read keys come back counted once, as if loaded, and the cache trails LRU by ~1.5 points (UNASKED_KEEP, stop 47)',
  },
  {
    id: 'quiet-gain-ignored', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'writeOnce(sb, ONCE_SHARE) || (QUIET_MAIN > 0 && load<u32>(sb + P + L.POLICY_QUIET_ON) != 0)', replace: 'writeOnce(sb, ONCE_SHARE)',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'a returning candidate written unasked counts UNASKED_GAIN times until the unasked share reaches ONCE_SHARE, 10 capacities after a hot set read cache-aside gave way to write-then-read (QUIET_MAIN, stop 47)',
  },
  {
    id: 'quiet-counts-unasked-main', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'noteQuiet(sb, !filterWrittenUnasked(sb, h))', replace: 'noteQuiet(sb, true)',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: "main's returns of write-then-read keys it took in keep the quiet gate shut (QUIET_MAIN counts only main entries asked for, stop 47)",
  },
  {
    id: 'quiet-block-unscaled', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'if (QUIET_SCALE <= 0) return <f64>QUIET_BLOCK', replace: 'return <f64>QUIET_BLOCK',
    tests: ['test/policy/recency.test.ts'],
    why: 'a small shard judges blocks of 64 ghost returns, more than a capacity of requests after a hot set read cache-aside gave way to write-then-read: the keys written meanwhile are rejected and lost (QUIET_SCALE, stop 48)',
  },
  {
    id: 'return-test-never-vetoes', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  return returnSampled(h) || backReadMore(sb)\n', replace: '  return returnSampled(h)\n',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'RETURN_TO keeps sending write-backs to probation where they are at the start of their reads (reads from 0.8 × capacity writes after the write): probation drops them before their next read and the cache falls ~20 points under LRU (RETURN_TEST, stop 50)',
  },
  {
    id: 'return-test-sample-goes-round', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && !(RETURN_SAMPLE != 0 && load<u32>(sb + P + L.POLICY_RETURN_ON) != 0 && returnSampled(tailHash))', replace: '',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts', 'test/policy/recency.test.ts'],
    why: 'a sampled write-back hit at the window tail goes round with its count cleared, so it leaves carrying only the hits of its last pass: the test undercounts the write-backs (RETURN_TEST, stop 50)',
  },
  {
    id: 'net-evidence-off', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'const both = NET_EVIDENCE != 0 && grow > 0 && shrink >= NET_EVIDENCE', replace: 'const both = false',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the ghost evidence a burst read without write-backs gathers is applied growth first, capped, then the whole shrink: the window falls to its floor and the next burst is rejected whole for the last one\'s read counts (NET_EVIDENCE, stop 51)',
  },
  {
    id: 'once-fifo-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && !(ONCE_FIFO != 0 && onceMax(sb))', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: "on write-once traffic the miss filter's false 'missed' marks send keys already read round the window, and the newest writes leave it first (ONCE_FIFO, stop 51)",
  },
  {
    id: 'once-lift-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (ONCE_LIFT != 0 && windowTarget(sb) == MAX_WINDOW * capacity(sb) && onceMax(sb)) setWindowTarget(sb, ONCE_MAX_WINDOW * capacity(sb))\n', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'a target capped at MAX_WINDOW before the unasked share reached ONCE_SHARE waits for the next growth evidence: a burst read without write-backs inserts nothing, so the second burst is read at a window of 0.9 while main holds the first burst\'s dead keys (ONCE_LIFT, stop 52)',
  },
  {
    id: 'cold-shed-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (COLD_SHED != 0) store<u32>(sb + P + L.POLICY_COLD_FULL, 2)\n', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'after a fill read by bursts of 0.65 x capacity, the first burst\'s keys, read and dead, are promoted lazily as main sheds for COLD_WINDOW and demoted to probation\'s head, behind the second burst\'s unread keys, which main then evicts (COLD_SHED, stop 53)',
  },
  {
    id: 'cold-shed-demotes', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (c == 0 || !moveTail(sb, PROTECTED, PROTECTED, c - 1)) return true\n  }\n  return false', replace: '    if (c == 0 || !moveTail(sb, PROTECTED, PROTECTED, c - 1)) return false\n  }\n  return false',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the shed finds protected\'s unhit tail and does not make it the victim: it is demoted to probation\'s head as before (COLD_SHED, stop 53)',
  },
  {
    id: 'fill-rotate-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '      if (FILL_ROTATE > 0 && load<u32>(sb + P + L.POLICY_COLD_FULL) == 3) fillRotate(sb)\n', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'after a fill of sets alone, one fill key whose sketch count a collision raised stays the victim and beats every key written after the fill: reads 0.2 x capacity late miss them (FILL_ROTATE, stop 53)',
  },
  {
    id: 'fill-rotate-no-deadline', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (<i32>(load<u32>(sb + P + L.POLICY_COLD_HITS) - load<u32>(sb + P + L.POLICY_YOUNG_CLOCK)) <= 0) {', replace: '  if (false) {',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the rotation after a fill of sets alone never ends: every probation victim that wins goes round for good, and reads 0.8 x capacity late lose the fill\'s older keys they read first (FILL_ROTATE, stop 53)',
  },
  {
    id: 'once-drop-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (ONCE_DROP != 0 &&', replace: '  if (false &&',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts', 'test/policy/recency.test.ts'],
    why: 'a window ONCE_LIFT took to 0.995 on write-then-read that hit every read stays there when a loop follows; the loop collapses it to its floor and the lag phase after loses its keys (ONCE_DROP, stop 53)',
  },
  {
    id: 'once-lift-not-write-once', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: 'windowTarget(sb) == MAX_WINDOW * capacity(sb) && onceMax(sb)) setWindowTarget', replace: 'windowTarget(sb) == MAX_WINDOW * capacity(sb)) setWindowTarget',
    tests: ['test/policy/recency-sweep.test.ts', 'test/policy/admission.test.ts', 'test/policy/recency.test.ts'],
    why: 'the lift without ONCE_MAX_WINDOW\'s condition takes any window capped at MAX_WINDOW to 0.995 of the cache, cache-aside hot sets included: main keeps 0.5% (ONCE_LIFT, stop 52)',
  },
  {
    id: 'saturated-tie-to-victim', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && !(SATURATED_TIE != 0 && hitInWindow && fc >= MAX_COUNT)', replace: '',
    tests: ['test/policy/admission.test.ts', 'test/policy/recency.test.ts'],
    why: 'a tie at the sketch ceiling goes to the victim: a key written once and read constantly is dropped for a resident nobody reads any more (SATURATED_TIE, stop 48); at 100k entries one shard of the written-once suite row collapses (stop 57: −5.09 vs −0.58)',
  },
  {
    id: 'miss-clear-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (MISS_CLEAR != 0 && share < RETURN_SHARE && next >= RETURN_SHARE) clearMissed(sb)\n', replace: '',
    tests: ['test/policy/miss-filter.test.ts'],
    why: "the 'missed' bits a cache-aside phase left stay when writes begin: half of the new keys look asked for, and at 1M entries the phases family written once falls from LRU − 0.05 to − 0.82 on the model (MISS_CLEAR, stop 50)",
  },
  {
    id: 'miss-clear-everything', area: 'policy', file: 'assembly/sketch.ts',
    find: 'for (let p = filter; p < filter + filterBytes; p += 8) store<u64>(p, load<u64>(p) & UNASKED_BITS)', replace: 'for (let p = filter; p < filter + filterBytes; p += 8) store<u64>(p, 0)',
    tests: ['test/policy/miss-filter.test.ts'],
    why: "the clear takes the 'written unasked' bits with the 'missed' ones: the keys just written lose their mark (UNASKED_TIE, ONCE_GAIN), as UNASKED_KEEP's halvings would",
  },
  {
    id: 'asked-after-count', area: 'policy', file: 'assembly/write.ts',
    find: 'const askedBefore = slot == 0 && policyTouchNew(sb, h)', replace: 'const askedBefore = slot == 0 && policyTouchNew(sb, h) && false',
    tests: ['test/policy/recency.test.ts'],
    why: 'a key loaded after a miss whose set halves the sketch (clearing its missed bit) is marked written unasked, and UNASKED_KEEP keeps the false mark (stop 47)',
  },
  {
    id: 'hit-gain-unapplied', area: 'policy', file: 'assembly/policy/window.ts',
    find: '      gain = HIT_GAIN\n', replace: '      gain = 1\n',
    tests: ['test/policy/recency.test.ts'],
    why: 'the gate opens but a returning asked-for candidate still counts once: the window climbs 0.03-0.06 x capacity per capacity and Zipf moving every 2 / 4 capacities stays ~2 under LRU (HIT_GAIN, stop 46)',
  },
  {
    id: 'hit-gain-share-ignored', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  const met = share >= HIT_GAIN_SHARE && ', replace: '  const met = ',
    tests: ['test/policy/recency.test.ts'],
    why: 'the gate asks only for the return ratio, not that the window\'s tail keys were read there (HIT_GAIN_SHARE, stop 46)',
  },
  {
    id: 'hit-gain-ratio-ignored', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '(HIT_GAIN_MAIN <= 0 || (back != 0 && <f64>main / <f64>back <= HIT_GAIN_MAIN))', replace: 'true',
    tests: ['test/policy/recency.test.ts'],
    why: 'the gate asks only for the tail share: a standing hot set whose evicted keys come back from main\'s ghost opens it too (HIT_GAIN_MAIN, stop 46; the tail share alone cost the traces 2 points on the model)',
  },
  {
    id: 'hit-gain-one-run', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'load<u32>(sb + P + L.POLICY_HIT_RUN) >= HIT_GAIN_RUNS', replace: 'load<u32>(sb + P + L.POLICY_HIT_RUN) >= 1',
    tests: ['test/policy/recency.test.ts'],
    why: 'one qualifying drift block opens the gain: lone blocks misfire (HIT_GAIN_RUNS, stop 46; traces -0.2 on the model)',
  },
  {
    id: 'hit-gain-ages', area: 'policy', file: 'assembly/policy/window.ts',
    find: '    if (boosted > 0 && HIT_GAIN_NO_AGE != 0) {', replace: '    if (false) {',
    tests: ['test/policy/recency.test.ts'],
    why: 'the growth HIT_GAIN makes counts towards an early ageing, which halves the sketch and clears the miss filter (HIT_GAIN_NO_AGE, stop 46; phases written once at 100k -0.26 -> -2.37 on the model)',
  },
  {
    id: 'hit-gain-undo-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (grown > 0 && run >= HIT_GAIN_RUNS && (back == 0 || <f64>main / <f64>back >= HIT_GAIN_UNDO)) {', replace: '    if (false) {',
    tests: ['test/policy/recency.test.ts'],
    why: 'the growth HIT_GAIN made stays when main\'s keys come back at once: a trace\'s lone opening keeps a window of 0.9 (HIT_GAIN_UNDO, stop 47; OLTP 15000 66.64 -> 66.26 on the real cache)',
  },
  {
    id: 'hit-gain-undo-any', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '(back == 0 || <f64>main / <f64>back >= HIT_GAIN_UNDO)', replace: '(back == 0 || <f64>main / <f64>back >= HIT_GAIN_MAIN)',
    tests: ['test/policy/recency.test.ts'],
    why: 'the growth is given back whenever the gate closes: a moved hot set\'s jump, whose old keys come back at 0.07-0.14 in that block, is undone too (HIT_GAIN_UNDO, stop 47)',
  },
  {
    id: 'hit-gain-undo-base', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '      if (HIT_GAIN_NO_AGE != 0) store<f64>(sb + P + L.POLICY_GROWTH_BASE, load<f64>(sb + P + L.POLICY_GROWTH_BASE) - undo)', replace: '',
    tests: ['test/policy/recency.test.ts'],
    why: 'the growth given back leaves AGE_ON_GROWTH\'s base where the boosted growth put it: the ordinary growth after it must climb that much further before an early ageing (HIT_GAIN_UNDO with HIT_GAIN_NO_AGE, stop 47)',
  },
  {
    id: 'stale-gate-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  const test = STALE_GATE > 0 ? staleBlockEnd(sb, rate, peak, tail) : 0', replace: '  const test = 0',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'the drift gate opens only on a fall of ghost returns: a partial move of a Zipf hot set leaves protected full of its dead hottest keys (STALE_GATE, stop 50; 4000 entries, every 4 capacities by 0.25: -0.73 -> -3.25 vs LRU)',
  },
  {
    id: 'stale-runs-one', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  return run >= STALE_RUNS ? 1 : 0', replace: '  return 1',
    tests: ['test/policy/recency.test.ts'],
    why: 'one stale block opens the drift gate: OLTP\'s lone blocks open it too (STALE_RUNS, stop 50)',
  },
  {
    id: 'stale-hold-none', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (on && stale) held = (fast && STALE_FAST_HOLD > 0 ? STALE_FAST_HOLD : STALE_HOLD) - 1', replace: '    if (on && stale) held = fast && STALE_FAST_HOLD > 0 ? STALE_FAST_HOLD - 1 : 0',
    tests: ['test/policy/recency.test.ts'],
    why: 'a gate the stale test opened closes after one block: its sweep drained protected, and the next opening waits STALE_RUNS blocks (STALE_HOLD, stop 50)',
  },
  {
    id: 'stale-any-window', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    && windowTarget(sb) < STALE_MAX_WINDOW * capacity(sb)\n', replace: '\n',
    tests: ['test/policy/recency.test.ts'],
    why: 'the stale test also judges a small protected beside a large window, where its unhit share says little (STALE_MAX_WINDOW, stop 50)',
  },
  {
    id: 'stale-few-steps', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  const met = steps >= STALE_MIN_STEPS && ', replace: '  const met = steps > 0 && ',
    tests: ['test/policy/recency.test.ts'],
    why: 'a block whose hand took a handful of steps is judged on them (STALE_MIN_STEPS, stop 50)',
  },
  {
    id: 'stale-every-step', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (!hit) store<u32>(sb + P + L.POLICY_STALE_UNHIT', replace: '  store<u32>(sb + P + L.POLICY_STALE_UNHIT',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'every step of protected\'s hand counts as finding an unhit entry: the drift gate opens on any hot set that fills protected (STALE_GATE, stop 50)',
  },
  {
    id: 'stale-halve-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (STALE_HALVE != 0 && on && stale && !fell', replace: '  if (false && on && stale && !fell',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'the stale test opens the drift gate without ageing the sketch: the dead keys its sweep demotes keep counts that beat every newcomer (STALE_HALVE, stop 51; 4000 entries, flat Zipf moving every 4 capacities)',
  },
  {
    id: 'stale-halve-any-fall', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (STALE_HALVE != 0 && on && stale && !fell', replace: '  if (STALE_HALVE != 0 && on',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'every opening of the drift gate ages the sketch, a fall\'s too (STALE_HALVE is the stale test\'s: stop 51)',
  },
  {
    id: 'win-age-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    || WIN_AGE > 0 && load<u32>(sb + P + L.POLICY_HIT_RUN) >= HIT_GAIN_RUNS', replace: '    || false && load<u32>(sb + P + L.POLICY_HIT_RUN) >= HIT_GAIN_RUNS',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'main\'s victims that beat newcomers while a hot set moves keep their counts: a flat Zipf moving every 2 capacities leaves main full of dead keys (WIN_AGE, stop 51; 4000 entries −2.04 → −2.37 vs LRU)',
  },
  {
    id: 'stale-fast-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (STALE_FAST > 0 && <f64>unhit / <f64>steps >= STALE_FAST', replace: '  if (false && <f64>unhit / <f64>steps >= STALE_FAST',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the stale test waits STALE_RUNS blocks in a row, 6-10 capacities after a skewed hot set moved at a low miss ratio, while protected holds the dead set (STALE_FAST, stop 56; 4000 entries, one shard, last half of the reads vs LRU: every 17C by 1C -3.64 vs -2.55, every 11C by 0.6C -3.74 vs -1.97)',
  },
  {
    id: 'stale-fast-hold-short', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '(fast && STALE_FAST_HOLD > 0 ? STALE_FAST_HOLD : STALE_HOLD) - 1', replace: '(STALE_HOLD) - 1',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the gate STALE_FAST opened closes after STALE_HOLD blocks, before the sweep and the victims\' ageing have taken the dead set out of main (STALE_FAST_HOLD, stop 56)',
  },
  {
    id: 'stale-fast-age-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (STALE_FAST_AGE != 0 && load<u32>(sb + P + L.POLICY_STALE_FAST_ON) != 0 &&', replace: '  if (false && load<u32>(sb + P + L.POLICY_STALE_FAST_ON) != 0 &&',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the dead keys the gate\'s sweep demotes to probation keep counts no newcomer beats, the sketch not halving for tens of capacities (STALE_FAST_AGE, stop 56)',
  },
  {
    id: 'stale-fast-age-any-window', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' != 0 && windowTarget(sb) <= STALE_FAST_AGE_WINDOW * capacity(sb)\n', replace: ' != 0\n',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the victims are aged through the whole hold as the window grows: a Zipf(0.99) over 5 keys per entry moving every 10 capacities loses its later periods (STALE_FAST_AGE, stop 56)',
  },
  {
    id: 'stale-fast-halve-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (STALE_FAST_HALVE != 0 && blocks >= 2', replace: '    if (false && blocks >= 2',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the sketch does not halve while the gate STALE_FAST opened is held: most gets hit saturated counters, whose increments do not count towards the ageing, and the dead keys keep counts no newcomer beats for tens of capacities (STALE_FAST_HALVE, stop 58; 4000 entries, one shard, last half vs LRU: every 11C by 0.6C -1.97 vs -1.34; probe seed 3 s1.1 5/entry every 11.5C by 1.55C at 4900 -2.18 vs -1.21)',
  },
  {
    id: 'stale-fast-halve-any-drift', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && (STALE_FAST_HALVE_DRIFT == 0 || rate < STALE_FAST_HALVE_DRIFT)) ageNow(sb)', replace: ') ageNow(sb)',
    tests: ['test/policy/recency.test.ts'],
    why: 'the held fast gate halves the sketch at every block of a loop a little larger than the cache (the stale run holds the gate for good, every insert back from the ghost): its keys estimate 0 and it loses its hits (STALE_FAST_HALVE_DRIFT, stop 58; 1.07 x capacity at 4000 entries, hash seed 1: 80.1% -> 3.3%)',
  },
  {
    id: 'stale-fast-any-tail', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && tail >= STALE_FAST_TAIL) return 2', replace: ') return 2',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'a loop larger than the cache (every key back from the ghost, a stale share of 1.0, nothing hit in the window) opens the gate at once and holds it: phases loop→back 10C at 2800 entries loses half its lead over LRU (STALE_FAST_TAIL, stop 56; model +30.41 -> +16.95)',
  },
  {
    id: 'window-clock-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    while (tailCounter() != 0 && ops < MAX_TAIL_OPS && (filterAsked(sb, tailHash) ||', replace: '    while (false && (filterAsked(sb, tailHash) ||',
    tests: ['test/policy/recency.test.ts', 'test/conformance/lockstep.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'the window stays a FIFO: a moved hot set\'s keys read in the window leave it into a contest they lose (WINDOW_CLOCK_ASKED, stop 46)',
  },
  {
    id: 'window-clock-any', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && (filterAsked(sb, tailHash) || (MISSED_GENS != 0 && keptMarksCount(sb) && filterMissedBefore(sb, tailHash)))', replace: '',
    tests: ['test/policy/recency.test.ts'],
    why: 'keys written unasked go round the window too: write-backs keep their old keys in the window\'s CLOCK, where the FIFO kept the newest writes (WINDOW_CLOCK_ASKED 2, stop 46)',
  },
  {
    id: 'cold-window-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    setWindowTarget(sb, max<f64>(windowTarget(sb), COLD_WINDOW * c))', replace: '',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'a cache that starts empty under write-then-read keeps its 1% window when it first fills: the keys read while it filled reject the newcomers, ~13 points under LRU for 5 capacities (COLD_WINDOW, stop 38)',
  },
  {
    id: 'once-gain-ignored', area: 'policy', file: 'assembly/policy/window.ts',
    find: 'if (unasked) gain = writeOnce(sb, ONCE_SHARE) || (QUIET_MAIN > 0 && load<u32>(sb + P + L.POLICY_QUIET_ON) != 0) ? ONCE_GAIN : UNASKED_GAIN', replace: 'if (unasked) gain = UNASKED_GAIN',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'a returning candidate written unasked counts UNASKED_GAIN times only, on write-once traffic and while main is quiet: after a Zipf hot set read cache-aside, write-then-read trails LRU by ~2 points (stop 47; stop 37 wrote it for write-once from empty, which COLD_WINDOW now lifts)',
  },
  {
    id: 'once-tie-needs-mark', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: 'tie = writeOnce(sb, RETURN_MAX) || filterWrittenUnasked(sb, candidate) ? 1 : 0', replace: 'tie = filterWrittenUnasked(sb, candidate) ? 1 : 0',
    tests: ['test/policy/recency.test.ts', 'test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'on write-once traffic a newcomer whose mark a halving cleared loses its tie with a dead key: at one write per 2 operations the window takes 20 capacities to grow (stop 37)',
  },
  {
    id: 'sketch-8-counters', area: 'policy', file: 'src/layout/geometry.ts',
    find: 'const counterBlocks = Math.max(1, Math.ceil(shardCapacity / 8))', replace: 'const counterBlocks = Math.max(1, Math.ceil(shardCapacity / 16))',
    tests: ['test/policy/recency.test.ts'],
    why: 'the sketch has 8 counters per entry: a fill\'s keys read 2 where they were seen once (all four counters shared), and still win the ties UNASKED_TIE gives newcomers',
  },
  {
    id: 'front-hits-on-old-copy-dropped', area: 'front', file: 'assembly/read.ts',
    find: '      slot = findSlot(sb, key, keyLen)\n      if (slot == 0) continue', replace: '      slot = findSlot(sb, key, keyLen)\n      if (slot == 0 || slotOffset(slot) != off) continue',
    tests: ['test/conformance/front.test.ts'],
    why: 'front hits served from a copy the policy moved or a set rewrote before the hand-over are dropped: the front changes the policy\'s decisions',
  },
  {
    id: 'front-record-tag-unchecked', area: 'front', file: 'assembly/read.ts',
    find: '    if (slot == 0 || (load<u32>(slot) & TAG_MASK) != tag) {', replace: '    if (slot == 0) {',
    tests: ['test/conformance/front.test.ts'],
    why: "a front hit's record is taken for whatever entry its offset holds in its hash's buckets: hits of one key are counted on another that reused the place",
  },
  {
    id: 'kill-keeps-version', area: 'front', file: 'assembly/segments.ts',
    find: '  if (atomic.load<u32>(L.ARENA_FRONT_IN_USE) != 0) bumpVersion(segHeader(sb, segOf(off)))\n}', replace: '}',
    tests: ['test/conformance/model.test.ts', 'test/conformance/front.test.ts'],
    why: "killing an entry (delete, eviction, rewrite) leaves its segment's version: fronts keep serving it",
  },
  {
    id: 'front-in-use-not-said', area: 'front', file: 'src/engine/front.ts',
    find: '    Atomics.store(views.u32, L.ARENA_FRONT_IN_USE >>> 2, 1)\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'a thread opens a front without telling writers: kills stop moving segment versions and its copies go stale',
  },
  {
    id: 'batched-hits-skip-ageing', area: 'front', file: 'assembly/sketch.ts',
    find: '  if (n >= load<u32>(sb + L.SHARD_SKETCH_RESET_AT)) {\n    // An ageing falls among them', replace: '  if (false) {\n    // An ageing falls among them',
    tests: ['test/conformance/front.test.ts'],
    why: "a batch of front hits that an ageing of the sketch comes due among is added in one pass: the ageing comes late and halves other counts than single hits would",
  },
  {
    id: 'front-never-eager', area: 'front', file: 'src/engine/front.ts',
    find: 'const restartFrom = this.#quiet < EAGER_HOLD ? RECORD_USES - 1 : 0', replace: 'const restartFrom = 0',
    tests: ['test/conformance/front.test.ts'],
    why: 'while the arena evicts, hits of a front entry still wait for RECORD_USES of them or for the entry to leave: the policy evicts and admits without them (stop 44)',
  },
  {
    id: 'front-admits-any-hit', area: 'front', file: 'src/engine/front.ts',
    find: 'if (this.#full) return this.#seenBefore()', replace: 'if (this.#full) return true',
    tests: ['test/conformance/front.test.ts'],
    why: 'a full front takes in every arena hit, a key read once as a hot one: one-off reads push hot entries out (stop 46)',
  },
  {
    id: 'front-admits-none-when-full', area: 'front', file: 'src/engine/front.ts',
    find: '    seen[at] = 0\n    return true', replace: '    seen[at] = 0\n    return false',
    tests: ['test/conformance/front.test.ts'],
    why: 'a full front takes in no key, however hot: what it holds when it first fills stays for good',
  },
  {
    id: 'front-period-unscaled', area: 'front', file: 'src/engine/front.ts',
    find: '    while (period > MIN_FLUSH_GETS && period * FLUSH_SHARE > capacity) period >>= 1\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'a small cache hands its front hits over every FLUSH_GETS gets, capacities late: gli at 250 entries decided otherwise (stop 44)',
  },
  {
    id: 'front-eager-no-sweep', area: 'front', file: 'src/engine/front.ts',
    find: '    if (restartFrom > this.#restartFrom) this.#startEager()\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'when the arena starts evicting, entries fronted before keep batching their hits by RECORD_USES: the policy decides without them (stop 44)',
  },
  {
    id: 'batch-uses-at-trigger', area: 'front', file: 'src/engine/front.ts',
    find: '    const uses = Math.min(count - this.#starts[s]!, RECORD_USES)\n', replace: '    const uses = RECORD_USES - this.#starts[s]!\n',
    tests: ['test/conformance/front.test.ts'],
    why: "a batched record carries the hits up to the one that batched it, not those after it before the hand-over: an eager entry's later hits are lost",
  },
  {
    id: 'filling-front-judged-as-is', area: 'front', file: 'src/engine/front.ts',
    find: '      } else if (!this.#wouldPayFull(served)) this.#stepAsideForShare(this.#servedFull(served))\n', replace: '      }\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a front that is still filling is not judged by what it would serve full: gets over far more keys than it can hold keep paying for its filling',
  },
  {
    id: 'filling-front-steps-aside', area: 'front', file: 'src/engine/front.ts',
    find: '      } else if (!this.#wouldPayFull(served)) this.#stepAsideForShare(this.#servedFull(served))\n', replace: '      } else this.#stepAsideForShare(this.#servedFull(served))\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a filling front that will pay once full steps aside while it fills: a front that can hold a small cache whole takes millions of gets to fill',
  },
  {
    id: 'front-keeps-entries-aside', area: 'front', file: 'src/engine/front.ts',
    find: '      this.#probing = true\n      this.clear()\n', replace: '      this.#probing = true\n',
    tests: ['test/conformance/front.test.ts'],
    why: "a front stepping aside for serving under PAYING keeps its entries: the next probe judges the stale ones, and a hot set that follows gets it can't hold is found probes later",
  },
  {
    id: 'front-probe-fills-every-hit', area: 'front', file: 'src/engine/front.ts',
    find: '    this.#full = false\n    this.#sparse = this.#probing\n', replace: '    this.#full = false\n    this.#sparse = false\n',
    tests: ['test/conformance/front.test.ts'],
    why: "a probe after a step-aside for the front's share fills every arena hit: up to a window of entries, garbage at the next step-aside, each time it probes gets it can't hold",
  },
  {
    id: 'front-probe-stays-sparse', area: 'front', file: 'src/engine/front.ts',
    find: '      this.#probing = false\n      this.#sparse = this.#full\n', replace: '      this.#probing = false\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a probe that paid leaves the front filling one arena hit in 8: a hot set found after gets it could not hold is fronted 8× slower',
  },
  {
    id: 'front-aside-fills', area: 'front', file: 'src/engine/front.ts',
    find: '    return this.#gate > 0\n', replace: '    return true\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'gets that skip the front (a step-aside, a timed skip) take the filling arena path: a front standing aside fills at its arena hits as if consulted (a probe after a step-aside is no longer one arena hit in 8), and standing aside costs what consulting does',
  },
  {
    id: 'front-churn-judged-filling', area: 'front', file: 'src/engine/front.ts',
    find: '      const settled = this.#full || (!this.#probing && this.#windowDropped > this.#entries - this.#windowStartEntries)\n', replace: '      const settled = this.#full\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a front whose copies writes keep dropping (Zipf gets, 10% sets) is judged by what it would serve full, which it never gets: it stays consulted at ~45% served, refilling a copy every ~2 gets',
  },
  {
    id: 'front-dropped-never-reset', area: 'front', file: 'src/engine/front.ts',
    find: '    this.#windowDropped = 0\n    this.#windowStartEntries = this.#entries\n', replace: '    this.#windowStartEntries = this.#entries\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'copies dropped in past windows count against every later one: once writes churned it, a front that fills again (gets only) is judged as full and steps aside instead of fronting the cache whole',
  },
  {
    id: 'front-filling-resets-aside', area: 'front', file: 'src/engine/front.ts',
    find: '        if (served >= FULL_PAYING * WINDOW && !this.#timedPaying(perGet)) this.#bypassLength = BYPASS\n', replace: '        if (served < FULL_PAYING * WINDOW || !this.#timedPaying(perGet)) this.#bypassLength = BYPASS\n',
    tests: ['test/conformance/front.test.ts'],
    why: "a window serving under FULL_PAYING sets the step-aside back to BYPASS: on the mixed suite the window that refills a front's copies after each step-aside does, and its step-asides never grow",
  },
  {
    id: 'front-share-aside-uncapped', area: 'front', file: 'src/engine/front.ts',
    find: 'const MAX_SHARE_BYPASS = 32 * WINDOW', replace: 'const MAX_SHARE_BYPASS = 256 * WINDOW',
    tests: ['test/conformance/front.test.ts'],
    why: 'a front that did not pay steps aside for up to 2^20 gets: a hot set that follows is not served for most of a bench run',
  },
  {
    id: 'front-looks-up-any-key', area: 'front', file: 'src/engine/front.ts',
    find: "    const s = typeof key === 'string' ? this.#index[key] : undefined\n    if (s === undefined) {\n      this.#windowMisses++", replace: "    const s = this.#index[key]\n    if (s === undefined) {\n      this.#windowMisses++",
    tests: ['test/conformance/front.test.ts'],
    why: "the front looks up a key of any type: get(5) returns the value of '5', an object's toString runs",
  },
  {
    id: 'front-hits-never-counted', area: 'front', file: 'src/engine/front.ts',
    find: '    this.#f64[this.#frontHitsIdx]! += hits\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'front hits are never added to the arena: stats() counts none',
  },
  {
    id: 'front-no-lease-check', area: 'front', file: 'src/engine/front.ts',
    find: '    if (!this.#holdsSlot()) this.clear()\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'a front never notices that its slot was taken: its thread keeps serving hits and never re-attaches',
  },
  {
    id: 'front-flush-on-lost-slot', area: 'front', file: 'src/engine/front.ts',
    find: '    if (!this.#holdsSlot()) return\n    const ring = this.#ring', replace: '    const ring = this.#ring',
    tests: ['test/conformance/front.test.ts'],
    why: "a front hands its access ring over through a slot that was taken: it writes another thread's scratch",
  },
  {
    id: 'closed-front-serves', area: 'front', file: 'src/engine/front.ts',
    find: '    this.#lease = (this.#u32[this.#leaseIdx]! + 1) | 0\n    this.clear()\n', replace: '    this.#lease = (this.#u32[this.#leaseIdx]! + 1) | 0\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a closed cache keeps its front: its gets are served from it instead of failing with ERR_CLOSED',
  },
  {
    id: 'front-never-timed-aside', area: 'front', file: 'src/engine/front.ts',
    find: '    if (++this.#slowVerdicts < TIMED_VERDICTS) return\n', replace: '    return\n',
    tests: ['test/conformance/front.test.ts'],
    why: "a front slower than the arena for the caller's keys (keys built per call) keeps serving them: gets run at ~0.7x of no front",
  },
  {
    id: 'slow-front-never-back', area: 'front', file: 'src/engine/front.ts',
    find: '      if (!fasterBy(perGet, least(this.#arenaTimes))) {\n', replace: '      if (true) {\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a front that stepped aside for being slower never comes back once the caller\'s gets make it faster',
  },
  {
    id: 'front-timed-without-margin', area: 'front', file: 'src/engine/front.ts',
    find: 'a * (1 + TIMED_MARGIN) < b', replace: 'a < b',
    tests: ['test/conformance/front.test.ts'],
    why: 'the self-timing steps a front aside when the arena is faster by any amount: noise between windows steps aside fronts that pay',
  },
  {
    id: 'front-no-drift-retime', area: 'front', file: 'src/engine/front.ts',
    find: '    if (least(this.#frontTimes) > this.#frontBase * (1 + TIMED_DRIFT)) {\n', replace: '    if (false) {\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a front timed as clearly faster keeps its long interval when the caller switches to keys built per call: it serves them slower than the arena for up to a million gets',
  },
  {
    id: 'full-front-low-bar', area: 'front', file: 'src/engine/front.ts',
    find: 'if (served >= (settled ? FULL_PAYING : PAYING) * WINDOW)', replace: 'if (served >= PAYING * WINDOW)',
    tests: ['test/conformance/front.test.ts'],
    why: 'a full (or settled: writes keep it from filling) front is judged by the filling bar: over twice the keys it holds it stays consulted, and its misses, fills and evictions cost more than its hits save',
  },
  {
    id: 'front-hits-not-recorded', area: 'front', file: 'src/engine/core.ts',
    find: '    this.ex.recordAccesses(count, this.keyAt)', replace: '    void count',
    tests: ['test/conformance/front.test.ts'],
    why: "front hits never reach the policy: the hot set's frequency decays and it is evicted",
  },
  {
    id: 'front-release-drops-hits', area: 'front', file: 'src/engine/front.ts',
    find: '    const pending = (m[s * META + M_USES]! >>> USES_SHIFT) - this.#starts[s]!\n    if (pending > 0) this.#ringUses(s, pending)\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'an entry that leaves the front before it has a batch of hits takes them along: lukewarm entries served by the front look cold to the policy',
  },
  {
    id: 'front-slot-count-reset-blindly', area: 'front', file: 'src/engine/front.ts',
    find: ' || this.#keys[s] === undefined || (m[b | M_ADDR]! >>> 0) !== addr || this.#hashes[s << 1] !== lo || this.#hashes[(s << 1) | 1] !== hi) return 0', replace: ') return 0',
    tests: ['test/conformance/front.test.ts'],
    why: "a batch's hand-over takes its slot's count even when a later entry holds the slot: that entry's unrecorded hits are recorded on the earlier entry's key, lost to its own",
  },
  {
    id: 'front-expiry-not-kept', area: 'front', file: 'src/engine/front.ts',
    find: '      m[b + M_USES] = (start << USES_SHIFT) | F_EXPIRES\n', replace: '      m[b + M_USES] = start << USES_SHIFT\n',
    tests: ['test/conformance/front.test.ts'],
    why: 'a fronted entry forgets that it expires: the front serves it after its TTL',
  },
  {
    id: 'front-grow-drops-meta', area: 'front', file: 'src/engine/front.ts',
    find: '    meta.set(this.#meta)\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: "a front that grows its slots loses its entries' versions: what it held misses (or, on a version word that matches by chance, is served unchecked)",
  },
  {
    id: 'front-hits-opening-get-uncounted', area: 'front', file: 'src/engine/front.ts',
    find: '    this.#lookups++\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'the get at which the gate opens is not counted as a lookup: stats() misses a front hit per FLUSH_GETS gets',
  },
  {
    id: 'front-hits-period-uncounted', area: 'front', file: 'src/engine/front.ts',
    find: '    if (this.#gate === 0) this.#lookups += period - 1\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: "the lookups of a FLUSH_GETS period that ended are not carried over: stats() loses a period's front hits",
  },
  {
    id: 'front-aside-never-ends', area: 'front', file: 'src/engine/front.ts',
    find: '      this.#bypass -= period\n', replace: '',
    tests: ['test/conformance/front.test.ts'],
    why: 'a step-aside is never counted down at the hand-overs: a front that stepped aside once never serves again',
  },
  {
    id: 'live-lock-holder-taken-over', area: 'locks', file: 'src/engine/contention.ts',
    find: '    if (ctx.holderAlive(owner)) {\n', replace: '    if (false) {\n',
    tests: ['test/workers/locks.test.ts'],
    why: 'a live thread holding a shard lock past the lease (a large value copied under the lock) is presumed dead: its shard is rebuilt while it still writes',
  },
  // ---- storage and codecs (stop 37) --------------------------------------------------------------------
  {
    id: 'compaction-deletes-in-map-order', area: 'disk', file: 'src/disk/log/compaction.ts',
    find: 'for (const s of victims.sort((a, b) => a.id - b.id)) {', replace: 'for (const s of victims) {',
    tests: ['test/disk/log/crash-points.test.ts'],
    why: "a compaction deletes its victim segments in the segment map's order: a crash in between can drop a tombstone's segment and keep an older value's, and the deleted key comes back",
  },
  {
    id: 'lock-own-pid-taken-over', area: 'disk', file: 'src/disk/log/lock-file.ts',
    find: '  if (owner.pid === process.pid) {\n',
    replace: '  if (owner.pid === process.pid) {\n    if (owner.pid > 0) return false\n',
    tests: ['test/disk/log/lock.test.ts'],
    why: "a LogStore opened in a worker thread takes over the lock another thread of the same process holds: two writers append to one log",
  },
  {
    id: 'lock-reused-pid-live', area: 'disk', file: 'src/disk/log/lock-file.ts',
    find: '    if (start !== undefined && start !== owner.start) return false\n', replace: '',
    tests: ['test/disk/log/lock.test.ts'],
    why: 'a lock whose pid now runs another process (a reused pid) is taken as live: the store cannot be opened until the file is removed by hand',
  },
  {
    id: 'decode-undefined-is-a-value', area: 'codecs', file: 'src/codecs/kinds.ts',
    find: '  if (value === undefined)\n    throw', replace: '  if (false)\n    throw',
    tests: ['test/core/codecs.test.ts'],
    why: "a custom codec's decode that returns undefined reads as a miss while has() says the key is there",
  },
  // ---- leftovers (stop 38) -----------------------------------------------------------------------------
  {
    id: 'metadata-flat-slack', area: 'sizes', file: 'src/layout/geometry.ts',
    find: '? Math.ceil(busiestShare(input.maxEntries, shardCount))',
    replace: '? Math.min(input.maxEntries, Math.ceil((input.maxEntries / shardCount) * 1.15) + 32)',
    tests: ['test/core/geometry-metadata.test.ts'],
    why: 'index and sketch sized 15% over each shard\'s share again: ~2.7 bytes per entry no shard uses (stop 40)',
  },
  {
    id: 'ghost-by-busiest-share', area: 'policy', file: 'src/layout/geometry.ts',
    find: 'alignUp(Math.max(L.BUCKET_SLOTS, ghostCapacity), L.BUCKET_SLOTS)',
    replace: 'alignUp(Math.max(L.BUCKET_SLOTS, shardCapacity), L.BUCKET_SLOTS)',
    tests: ['test/core/geometry-metadata.test.ts'],
    why: 'the ghost (and so the sketch\'s ageing period) sized by busiestShare: 0.1-0.4 points lost on the phases rows at 100k (stop 40)',
  },
  {
    id: 'max-entry-size-no-cap', area: 'sizes', file: 'src/layout/geometry.ts',
    find: 'Math.min(largestEntry(segBytes, segCount, shardCount, memBytes), input.maxEntrySize ?? Infinity)',
    replace: 'largestEntry(segBytes, segCount, shardCount, memBytes)',
    tests: ['test/core/max-entry-size.test.ts'],
    why: 'maxEntrySize only raises the limit again: a value below the default stores entries lru-cache would refuse',
  },
  {
    id: 'write-behind-raw-store-error', area: 'loading', file: 'src/loading/write-behind.ts',
    find: "this.#report(storeFailed(op.type, key, e, attempt > 0 ? ` after ${attempt + 1} attempts` : ''), key, op.type)",
    replace: 'this.#report(e, key, op.type)',
    tests: ['test/loading/write.test.ts'],
    why: "write-behind's onError gets the store's raw error while write-through rejects with ERR_STORE",
  },
  {
    id: 'timer-delay-unchecked', area: 'options', file: 'src/options.ts',
    find: '  if (ms > MAX_TIMER_MS)\n', replace: '  if (false)\n',
    tests: ['test/core/timer-options.test.ts'],
    why: 'a delay above 2^31 - 1 ms reaches setTimeout/setInterval, which fire it after 1 ms',
  },
  {
    id: 'set-over-expired-not-counted', area: 'counts', file: 'assembly/write.ts',
    find: '  if (!(hasTtl(flagsOf(sb, off)) && now >= 0 && expiryOf(sb, off) <= now)) return false\n  bump(sb, L.SHARD_EXPIRATIONS)\n',
    replace: '  if (!(hasTtl(flagsOf(sb, off)) && now >= 0 && expiryOf(sb, off) <= now)) return false\n',
    tests: ['test/conformance/expired-overwrite.test.ts'],
    why: 'a set over an expired entry replaces it uncounted: expirations depend on whether the sweep or a read found it first',
  },
  {
    id: 'load-stores-over-write-elsewhere', area: 'loading', file: 'src/engine/write-gens.ts',
    find: '    if (Atomics.compareExchange(i32, note.at, note.gen, odd) !== note.gen) return false\n',
    replace: '    Atomics.compareExchange(i32, note.at, note.gen, odd)\n',
    tests: ['test/loading/writes-elsewhere.test.ts'],
    why: "a load stores its value although another thread, Cache object or process wrote the key while it ran: the older loaded value replaces the newer write (stop 39)",
  },
  {
    id: 'retire-keeps-unended-loads', area: 'loading', file: 'assembly/threads.ts',
    find: '  if (loads != 0) atomic.sub<u32>(L.ARENA_LOADS_IN_PROGRESS, loads)\n',
    replace: '',
    tests: ['test/loading/writes-elsewhere.test.ts'],
    why: 'a thread killed mid-load (or a cache closed during its load) leaves the loads count up for good: every write keeps hashing its key for the write generations (stop 40)',
  },
  {
    id: 'dead-slots-reclaimed-only-when-full', area: 'threads', file: 'src/engine/slots.ts',
    find: '  reclaimDeadSlots(c)\n  for (;;) {\n',
    replace: '  for (;;) {\n',
    tests: ['test/loading/writes-elsewhere.test.ts'],
    why: 'a worker pool that recycles threads keeps dead workers\' slots (and their unended loads) until every slot is taken (stop 40)',
  },
  {
    id: 'load-end-ignores-its-lease', area: 'loading', file: 'src/engine/write-gens.ts',
    find: '      if (Atomics.load(i32, note.leaseAt) >>> 0 !== note.lease) return\n',
    replace: '',
    tests: ['test/loading/writes-elsewhere.test.ts'],
    why: 'a load ending after its slot was retired and claimed by another thread takes that thread\'s load off the count: writes stop telling loads about themselves (stop 40)',
  },
  {
    id: 'rejected-overwrite-uncounted', area: 'counts', file: 'assembly/write.ts',
    find: '    if (!countIfExpired(sb, off, now)) bump(sb, L.SHARD_REJECTED_OVERWRITES)',
    replace: '    countIfExpired(sb, off, now)',
    tests: ['test/conformance/rejected-overwrite.test.ts'],
    why: 'a refused set removes the key\'s live old value with no counter of its own saying so (stop 39)',
  },
  {
    id: 'log-delete-answers-before-its-batch', area: 'disk', file: 'src/disk/log/log-store.ts',
    find: 'if (e < 0) return this.commit.idle ? Promise.resolve(false) : this.commit.batch().then(() => false)',
    replace: 'if (e < 0) return Promise.resolve(false)',
    tests: ['test/disk/log/rejected-reads.test.ts'],
    why: 'a delete of a key absent only by an unwritten delete answers false at once: if that batch fails (or the process crashes before it), the value comes back after an acknowledged delete (stop 39)',
  },
  // ---- lagged reads of keys written once (stop 50, lagonce) ------------------------------------------------
  {
    id: 'late-hit-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (LATE_HIT != 0 && firstInProbation) noteLateHit(sb, h, (entryFlags & L.ENTRY_UNASKED) != 0)\n', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'a first hit in probation on a key written once is no evidence for the window: keys read 0.5 × capacity writes after their write lose a whole generation after a fill (−47.90 vs LRU at 4000 entries, LATE_HIT, stop 50)',
  },
  {
    id: 'missed-gens-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '(filterAsked(sb, tailHash) || (MISSED_GENS != 0 && keptMarksCount(sb) && filterMissedBefore(sb, tailHash)))', replace: 'filterAsked(sb, tailHash)',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'a halving clears every written-back key\'s mark at once and the window lets them all go at its tail: reads 0.7–0.8 × capacity late, written back, lose 2–3 points to LRU over the second half (MISSED_GENS, stop 55)',
  },
  {
    id: 'missed-gens-not-kept', area: 'policy', file: 'assembly/sketch.ts',
    find: 'store<u32>(prev + (i >> 1), missedBitsOf(load<u64>(filter + i)))', replace: 'store<u32>(prev + (i >> 1), 0)',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the period before\'s marks must be what the halving cleared, or the rule reads nothing (MISSED_GENS, stop 55)',
  },
  {
    id: 'missed-gens-while-placing', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: ' && !(MISSED_GENS == 4 && returnPlacing(sb))\n', replace: '\n',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'while RETURN_TO places write-backs a write-back is worth nothing once read; rounds on old marks take the window from the new keys (mix w0.2 lag 0.9C back +15.31 -> +1.66 at 4000, MISSED_GENS 2, stop 55)',
  },
  {
    id: 'late-share-return-share', area: 'policy', file: 'assembly/policy/window.ts',
    find: '  if (!(load<f64>(sb + P + L.POLICY_UNASKED_SHARE) >= LATE_SHARE)) return\n', replace: '  if (!(load<f64>(sb + P + L.POLICY_UNASKED_SHARE) >= 0.15)) return\n',
    tests: ['test/policy/recency.test.ts'],
    why: 'late first hits count from RETURN_SHARE\'s share of unasked inserts: write-once traffic beside a Zipf set (one write in 10) grows the window to 0.9 while the cache fills and the hot set loses its room (LATE_SHARE, stop 50)',
  },
  {
    id: 'late-frequency-unbounded', area: 'policy', file: 'assembly/policy/window.ts',
    find: '  if (LATE_FREQUENCY > 0 && estimate(sb, h) > LATE_FREQUENCY) return\n', replace: '',
    tests: ['test/policy/admission.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'a hot key the miss filter wrongly marks written unasked makes a late first hit: its growth ages the sketch and a stream of never-read sets displaces a hot set as large as the cache (LATE_FREQUENCY, stop 50: 0.898 of hot gets hit against the test\'s 0.92)',
  },
  {
    id: 'free-tag-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (FREE_TAG == 0 || (flagsOf(sb, tailOff) & L.ENTRY_FREE) == 0 || tailCounter() != 0) return FROM_MAIN', replace: '  if (true) return FROM_MAIN',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts', 'test/policy/recency.test.ts'],
    why: 'the fill\'s keys, read 0.9 × capacity writes after their write, leave probation as main\'s when LATE_HIT grows the window, and their returns shrink it again (FREE_TAG, stop 50: model −7.60 vs LRU at 4000 entries)',
  },
  {
    id: 'free-tag-kept-on-move', area: 'policy', file: 'assembly/entry.ts',
    find: '(f & ~(L.ENTRY_QUEUE_MASK | L.ENTRY_FREE))', replace: '(f & ~L.ENTRY_QUEUE_MASK)',
    tests: ['test/policy/free-tag.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'an entry keeps ENTRY_FREE through its moves: promoted to protected, demoted and evicted unhit since, it still leaves a window candidate\'s ghost tag (FREE_TAG, stop 50)',
  },
  // ---- late first hits beside write-backs (stop 51, delayrows) -------------------------------------------
  // ---- written-back reads that start late (stop 52, wbdelay: YOUNG_TEST) ------------------------------------
  {
    id: 'young-test-never-vetoes', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (youngVetoHolds(sb)) return true\n',
    replace: '    if (youngVetoHolds(sb)) return false\n',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'RETURN_TO keeps placing write-backs in probation where no new key is read young and write-backs are read again soon (reads 0.7 × capacity writes after the write): probation drops them and the cache falls ~15 points under LRU (YOUNG_TEST, stop 52)',
  },
  {
    id: 'young-test-ignores-back', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  return load<u32>(sb + P + L.POLICY_YOUNG_VETO) != 0 && (YOUNG_BACK_MIN == 0 || load<f64>(sb + P + L.POLICY_BACK_SHARE) >= YOUNG_BACK_MIN)\n',
    replace: '  return load<u32>(sb + P + L.POLICY_YOUNG_VETO) != 0\n',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'YOUNG_TEST stands RETURN_TO aside where write-backs are worth nothing (each key read at one age, 0.9 × capacity writes after its write): the window fills with write-backs and the lead RETURN_TO made over LRU (+15 to +45) is lost',
  },

  {
    id: 'young-read-hits-only', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (YOUNG_TEST != 0) youngRead(sb, h)\n  noteGhost(sb, h)', replace: '  noteGhost(sb, h)',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts', 'test/policy/recency.test.ts'],
    why: 'a get that misses does not mark its tracer: a write-back read again after probation dropped it is not seen, nor a new key read young after it left (delay 0.5C+0.5C back at 8000 entries: +1.19 over LRU → +0.01, stop 58)',
  },
  {
    id: 'young-keep-counts-unread', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (askedFor || YOUNG_KEEP == 0) youngStep(share, 0)\n', replace: '    youngStep(share, 0)\n',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts', 'test/policy/recency.test.ts'],
    why: 'a new key\'s tracer never read counts as not read young: a bulk load sets YOUNG_TEST\'s veto where RETURN_TO pays (reads from 0.5 × capacity writes after the write: model +0.70 → −2.17 at 4000 entries)',
  },
  {
    id: 'young-handoff-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '      if (YOUNG_HANDOFF > 0) {\n', replace: '      if (false) {\n',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'YOUNG_TEST\'s veto lifts straight into RETURN_TO\'s placements, with RETURN_TEST\'s means stale: reads from 0.55 × capacity writes after the write collapse (model −2.44 → −19.23 at 4000 entries)',
  },
  // ---- entry flags the hit path reads (stop 54, lateflag) ---------------------------------------------------
  {
    id: 'late-flag-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  insertFlags = LATE_FLAG != 0 && !askedFor ? L.ENTRY_UNASKED : 0\n', replace: '  insertFlags = 0\n',
    tests: ['test/policy/entry-flags.test.ts', 'test/conformance/lockstep.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'no entry is marked written unasked: LATE_HIT never counts a first hit in probation, and a fill read at a lag misses for a generation (LATE_FLAG, stop 54)',
  },
  {
    id: 'cold-hits-from-filter', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  const unasked = (LATE_FLAG & 2) != 0 && fromEntry ? (entryFlags & L.ENTRY_UNASKED) != 0 : filterWrittenUnasked(sb, h)\n',
    replace: '  const unasked = filterWrittenUnasked(sb, h)\n',
    tests: ['test/policy/entry-flags.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'COLD_HITS_UNASKED reads the miss filter on every hit of a shard not yet full (a cache line of its own; stop 59: ~15% of a get in a cache that never fills), and counts hits on keys written back while the filter still holds their first write',
  },
  {
    id: 'late-flag-from-filter', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  insertFlags = LATE_FLAG != 0 && !askedFor ? L.ENTRY_UNASKED : 0\n', replace: '  insertFlags = LATE_FLAG != 0 && filterWrittenUnasked(sb, h) ? L.ENTRY_UNASKED : 0\n',
    tests: ['test/policy/entry-flags.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'the entry takes the filter\'s bit, other keys\' marks on its pair included: a key loaded after a miss can look written unasked (LATE_FLAG, stop 54: the admission probe 0.9003 -> 0.8896 on the model)',
  },
  {
    id: 'tracer-flag-never', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (YOUNG_TEST != 0 && TRACER_FLAG != 0 && holdsTracer(sb, h)) insertFlags |= L.ENTRY_TRACER\n', replace: '',
    tests: ['test/policy/entry-flags.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'no hit looks at the tracers: YOUNG_TEST measures no new key read young, and RETURN_TO stands aside where it pays (TRACER_FLAG, stop 54)',
  },
  {
    id: 'tracer-flag-young-only', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  return load<u32>(at) == tag || (YOUNG_BACK_MIN != 0 && load<u32>(at + (YOUNG_TEST << 3)) == tag)\n', replace: '  return load<u32>(at) == tag\n',
    tests: ['test/conformance/lockstep.test.ts', 'test/policy/recency-sweep.test.ts'],
    why: 'a write-back that took its class\'s back slot is not flagged: its reads never mark it, and YOUNG_TEST\'s share of write-backs read again stays at nothing (TRACER_FLAG, stop 54)',
  },
  {
    id: 'entry-flags-lost-on-update', area: 'policy', file: 'assembly/write.ts',
    find: '    policyFlags = oldFlags & (L.ENTRY_UNASKED | L.ENTRY_TRACER)\n', replace: '',
    tests: ['test/policy/entry-flags.test.ts'],
    why: 'an update of another size writes a new copy without the policy\'s flags: a key written unasked and updated looks loaded after a miss, and a tracer updated is never marked (stop 54)',
  },
  // ---- the model against the engines (stop 43, model-gap) ------------------------------------------------
  {
    id: 'model-sketch-counts-saturated', area: 'model', file: 'bench/sim/sketch.ts',
    find: 'if (raised || this.countSaturated) this.tick()', replace: 'this.tick()',
    tests: ['test/conformance/lockstep.test.ts'],
    why: 'the model counts increments of a saturated key towards the sketch\'s ageing, which the engines do not: it ages sooner than they do and reads 0.25 above them on Zipf moving every 2 capacities (stop 43)',
  },
  {
    id: 'sketch-counts-saturated', area: 'policy', file: 'assembly/sketch.ts',
    find: '  if (!(a | b)) return\n', replace: '',
    tests: ['test/conformance/lockstep.test.ts'],
    why: 'the engine counts increments that raised no counter towards the ageing: the model and the engines no longer age together (stop 43)',
  },
  {
    id: 'key-words-trust-count', area: 'keys', file: 'src/text.ts',
    find: 'if (w + 4 <= room && (w === n || s.isWellFormed())) return w', replace: 'if (w === n || s.isWellFormed()) return w',
    tests: ['test/core/key-encoding.test.ts'],
    why: 'a long key cut short by the room is taken for written: as many bytes as characters when a 2-byte character ate the room of the last one, a key too long taken for one that fits',
  },
  {
    id: 'key-words-byte-order', area: 'keys', file: 'src/text.ts',
    find: 'u32[at + (i >>> 2)] = a | (b << 8) | (c << 16) | (d << 24)', replace: 'u32[at + (i >>> 2)] = d | (c << 8) | (b << 16) | (a << 24)',
    tests: ['test/core/key-encoding.test.ts'],
    why: "a get's key written in the wrong byte order: its bytes are not the ones a batch or the disk log writes for it, and a get misses what setMany stored",
  },
  // ---- sizing advice (stop 51) ------------------------------------------------------------------------
  {
    id: 'sizing-advice-never-looks', area: 'warnings', file: 'src/engine/core.ts',
    find: '    adviseSizing(this.v, this.name, this.geometry, () => stats)\n', replace: '',
    tests: ['test/core/sizing-advice.test.ts'],
    why: 'a cache of 1 KiB entries sized for 128-byte ones never says so: a fifth of its maxBytes stays in an index and sketch it cannot use, silently',
  },
  {
    id: 'sizing-advice-ignores-max-entries', area: 'warnings', file: 'src/engine/sizing-advice.ts',
    find: 'if (g.maxEntriesTotal === 0) {', replace: 'if (true) {',
    tests: ['test/core/sizing-advice.test.ts'],
    why: 'a cache whose maxEntries its maxBytes cannot hold is told to pass expectedEntrySize, which maxEntries overrides: the advice changes nothing',
  },
  {
    id: 'sizing-advice-not-at-close', area: 'warnings', file: 'src/engine/core.ts',
    find: '    adviseSizing(this.v, this.name, this.geometry, () => readStats(this.#stats))\n', replace: '',
    tests: ['test/core/sizing-advice.test.ts'],
    why: 'a cache whose stats are never read never says that its structures take a fifth of its maxBytes',
  },
  {
    id: 'sizing-advice-before-full', area: 'warnings', file: 'src/engine/sizing-advice.ts',
    find: 'if (!facts.full || facts.entries === 0) return undefined', replace: 'if (facts.entries === 0) return undefined',
    tests: ['test/core/sizing-advice.test.ts'],
    why: 'a cache still filling (few entries yet, whatever their size) is told its structures are too large',
  },
  // ---- stop 54 (lagport): MISS_RUN and MISS_UNDO -------------------------------------------------------
  {
    id: 'miss-run-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if ((load<u32>(sb + P + L.POLICY_MISS_RUN) & MISS_COUNT) >= MISS_RUN) return 1', replace: '  if (false) return 1',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'after a run of gets that all missed, a window leaver written unasked still loses to probation\'s old keys: a lag phase whose opening reads the keys of before it loses its writes (MISS_RUN, stop 54)',
  },
  {
    id: 'miss-run-no-jump', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  setWindowTarget(sb, COLD_WINDOW * c)\n  store<u32>(sb + P + L.POLICY_COLD_FULL, 2)\n', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the leavers win after a run of misses but the window stays at its floor: their wins go to probation, whose keys the window never returns, and the lag phase\'s writes are lost before their reads (MISS_RUN, stop 54)',
  },
  {
    id: 'miss-run-counts-loads', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (MISS_RUN != 0 && askedFor) {', replace: '  if (false) {',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'a cache-aside load\'s get counts towards the run of misses: a loop larger than the cache (every access a miss and a load) makes a run, and a leaver written unasked then throws main away (the lag phase after back→loop→scan loses its second half: model, 2000 entries, +0.00 → −15.95; MISS_RUN, stop 54; real cache, once→loop→once 3C at 4000 entries: +8.15 → +0.01, stop 58)',
  },
  {
    id: 'miss-run-hit-no-reset', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (w != 0) missRunHit(sb, w, entryFlags, <u32>h)', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'a get that hits does not end the run of misses: every 256 misses in all, not in a row, open the rule, and a window leaver written unasked beats main\'s keys while they are read (MISS_RUN, stop 54)',
  },
  {
    id: 'miss-undo-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '(load<u32>(sb + P + L.POLICY_MISS_RUN) & MISS_UNDONE) != 0) missUndo(sb)', replace: 'false) missUndo(sb)',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'MISS_RUN\'s jump always stands: a 404 flood with unasked writes going on through it sheds the Zipf set read cache-aside beside it (MISS_UNDO, stop 54)',
  },
  {
    id: 'miss-undo-tally-inverted', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: 'let step = inWindow ? -<i32>MISS_UNDO_MISSES : <i32>MISS_UNDO_MISSES', replace: 'let step = inWindow ? <i32>MISS_UNDO_MISSES : -<i32>MISS_UNDO_MISSES',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'MISS_UNDO\'s verdict reads the hits the wrong way round: the lag phase\'s own reads (in the window) undo the jump that serves them, and a flood\'s is kept (MISS_UNDO, stop 54)',
  },
  {
    id: 'miss-verdict-counts-hits-only', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if ((w & MISS_STARTED) != 0) missVerdictMiss(sb)\n', replace: '',
    tests: ['test/conformance/lockstep.test.ts'],
    why: 'MISS_UNDO\'s verdict counts hits only, not their rate among the gets: a lag phase\'s opening that hits a few of the last phase\'s keys still in main undoes the jump that would serve its own writes (MISS_UNDO_MISSES, stop 54)',
  },
  {
    id: 'return-read-ignored', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (RETURN_READ_MIN > 0 && load<f64>(sb + P + L.POLICY_READ_SHARE) < RETURN_READ_MIN) {', replace: '  if (false) {',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'RETURN_TO places asked-for inserts in probation though the new keys beside them are never read: a cache-aside hot set moving beside writes of new keys loses its moved keys in probation (RETURN_READ_MIN, stop 54; real cache, s0.7 2/entry every 8C w0.3 at 10k entries: +1.20 over LRU → −0.07, stop 58)',
  },
  {
    id: 'return-read-counts-fill', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '      if (from != 0 && <i32>(stamp - from) >= 0) youngStep(sb + P + L.POLICY_READ_SHARE, 0)', replace: '      youngStep(sb + P + L.POLICY_READ_SHARE, 0)',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the read share counts the tracers of a bulk load from empty, whose first keys are never read: RETURN_TO stands aside at the start of write-then-read written back, the window fills with write-backs and RETURN_TEST never lets it place again (the lagged mix loses its lead; RETURN_READ_MIN, stop 54)',
  },
  // ---- stop 56 (lagopen2): DRY_RUN ----------------------------------------------------------------------
  {
    id: 'dry-run-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (DRY_RUN != 0) dryNote(sb)\n', replace: '',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the run of inserts with nothing but their own counts added never counts: a lag phase right after a Zipf phase or a scan, whose gets hit one saturated key, loses its opening\'s writes to main\'s old keys (DRY_RUN, stop 56)',
  },
  {
    id: 'dry-run-no-hit-needed', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if ((w & DRY_ARMED) == 0) {\n    const run', replace: '  if (true) {\n    const run',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'the dry run counts inserts with no get between them: a fill of sets, or gets that all miss, throw main away (written-back delays lose ~10 points on the model; DRY_RUN, stop 56)',
  },
  {
    id: 'dry-verdict-every-hit', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '  if (key == load<u32>(sb + P + L.POLICY_DRY_LAST)) return 0\n', replace: '',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'after the dry jump every hit in main counts against it, the lag opening\'s one hot key too when main holds it: the jump is undone before the late reads begin (model, zipf→lag whose opening reads the Zipf phase\'s hottest key, 4000 entries: +0.84 → −12.87; DRY_RUN, stop 56)',
  },
  {
    id: 'dry-lockout-off', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    store<u32>(sb + P + L.POLICY_DRY_STATE, load<u32>(sb + P + L.POLICY_DRY_STATE) | DRY_LOCK)\n    store<u32>(sb + P + L.POLICY_DRY_RUN, 0)\n', replace: '',
    tests: ['test/policy/admission.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'an undone dry jump is taken again 16 inserts later: hot gets on a small saturated set beside writes never read shed the hot set again and again (DRY_RUN, stop 56)',
  },
  // ---- stop 57 (dryport): DRY_RUN_COST -------------------------------------------------------------------
  {
    id: 'dry-cap-at-run', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    if (run < DRY_RUN_CAP) store<u32>(sb + P + L.POLICY_DRY_RUN, run + 1)', replace: '    if (run < DRY_RUN) store<u32>(sb + P + L.POLICY_DRY_RUN, run + 1)',
    tests: ['test/policy/recency-sweep.test.ts'],
    why: 'the dry run is held at DRY_RUN (16) as before stop 57: a long dry stretch banks nothing against the additions a hot set read later in the opening makes (scan→lagh→lagh at 12000 entries: +0.00 → −7.35)',
  },
  {
    id: 'dry-cost-ignored', area: 'policy', file: 'assembly/policy/adaptive.ts',
    find: '    store<u32>(sb + P + L.POLICY_DRY_RUN, run > cost ? run - cost : 0)\n', replace: '    store<u32>(sb + P + L.POLICY_DRY_RUN, 0)\n',
    tests: ['test/policy/recency-sweep.test.ts', 'test/conformance/lockstep.test.ts'],
    why: 'any sketch addition but the insert\'s own ends the dry run again (stop 56\'s form): a lag phase whose opening also reads a small hot set never reaches DRY_RUN while that set\'s counts rise, and its writes lose to main\'s old keys (zipf→lagh 7C, 0.05 × capacity hot keys at q 0.2, 4000 entries: +0.81 → −9.83; DRY_RUN_COST, stop 57)',
  },
]
