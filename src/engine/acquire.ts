/**
 * The load that validates an optimistic read: a shard's sequence (or a segment's version) read again
 * after the value's bytes were copied out, which must not be satisfied before that copy.
 *
 * Atomics.load gives that order everywhere, but in Node 20's optimizing compiler it is a builtin call
 * (about 8 ns, ~150 instructions: 2–3% of a get). On x86 (TSO) every load already has acquire order
 * (loads are not reordered with older loads), and V8 never moves a typed-array load above a call
 * that may write memory (the copy is one), so a plain load orders the same there at a pointer load's
 * cost. Other architectures (arm64 reorders loads) keep Atomics.load.
 *
 * Used where an engine call (the lookup that sampled the sequence, opaque to the JIT) precedes the
 * copy, so no earlier reading of the word can stand in for this one (and TurboFan does not eliminate
 * typed-array loads).
 *
 * Also the front's version check (front.ts), where no engine call need separate consecutive hits. What
 * makes each hit read the word afresh there, from the strongest reason down:
 * - TurboFan's load elimination (V8's src/compiler/load-elimination.cc, LoadElimination::Reduce) keeps
 *   no state for typed-array element loads: it has a case for StoreTypedElement and none for
 *   LoadTypedElement, so such a load is never replaced by an earlier one, and as a node on the effect
 *   chain it is neither value-numbered nor moved out of a loop. Loads and stores of typed arrays stay in
 *   program order with each other and with calls, and the plain load is the same instruction an x86
 *   Atomics.load compiles to (a `mov`), in the same place.
 * - Between any two hits of a caller's loop lie Front.get's calls into the engine on some gets (the
 *   access ring's hand-over every FLUSH_GETS gets and when it is full: WebAssembly that writes this
 *   memory), so a compiler that did track such loads would find the loop's memory state killed at the
 *   loop header, as it must in single-threaded JavaScript.
 * - test/workers/front.test.ts reads one key in a loop of nothing but front hits until another thread's
 *   write shows, with the front's self-timing off (its skipped windows would read the arena): a load
 *   kept across hits would never see it.
 * Until stop 39 a per-hit store to the same buffer (the frontHits counter, at an index known only at
 * run time) stood between hits for the same reason; it cost 16 of a front hit's ~410 instructions (JIT code: 271.7 → 255.8) and
 * the counter is now added up per FLUSH_GETS gets (Front.countHits).
 * (2026-12-03: 99 of 495 instructions of a front hit were the Atomics.load builtin.)
 */
export const PLAIN_LOADS_ACQUIRE = process.arch === 'x64' || process.arch === 'ia32'

/** `u32[index]`, read with acquire order after the loads that precede it. */
export function loadAcquire(u32: Uint32Array, index: number): number {
  return PLAIN_LOADS_ACQUIRE ? u32[index]! : Atomics.load(u32, index)
}
