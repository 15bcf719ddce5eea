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
 * Also the front's version check (front.ts), where no engine call separates consecutive hits. What
 * makes each hit read the word afresh there: every front hit ends with a store to shared memory
 * through a view of the same buffer (its frontHits counter, at an index known only at run time), so
 * a compiler that reused one hit's load for the next would have to prove that store did not write
 * the version's bytes, which it can't: as in single-threaded JavaScript, the next hit's load must be
 * made. Loads and stores of typed arrays stay in program order with each other and with calls in
 * V8's compilers (they are on the effect chain; only calls and such stores come between), and the
 * plain load is the same instruction an x86 Atomics.load compiles to (a `mov`), in the same place.
 * (2026-12-03: 99 of 495 instructions of a front hit were the Atomics.load builtin.)
 */
export const PLAIN_LOADS_ACQUIRE = process.arch === 'x64' || process.arch === 'ia32'

/** `u32[index]`, read with acquire order after the loads that precede it. */
export function loadAcquire(u32: Uint32Array, index: number): number {
  return PLAIN_LOADS_ACQUIRE ? u32[index]! : Atomics.load(u32, index)
}
