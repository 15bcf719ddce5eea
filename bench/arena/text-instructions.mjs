/**
 * Per-call cost of the ways a key can go into the arena and a value come out of it (stop 45), for
 * cachegrind: 4096 strings over a shared WebAssembly memory, `passes` × 64 rounds of one call each.
 * Modes:
 *   bytes    text.ts writeUtf8 (its ASCII loop: a charCodeAt and a byte store a character)
 *   words    text.ts writeUtf8Aligned (four characters to a 32-bit store; past 28 characters Buffer's utf8Write)
 *   utf8w    Buffer's utf8Write (one call into C++)
 *   latin1w  Buffer's latin1Write
 *   slice    Buffer's latin1Slice of a 100-byte value (what a Latin-1 value's get decodes with)
 *   ascii    asciiSlice, utf8 utf8Slice, apply String.fromCharCode.apply over a subarray
 * Environment: KL=<key length> (default 16). Take the difference of two pass counts:
 *
 *   for p in 1 3; do valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/tmp/t.$p \
 *     node --predictable --no-liftoff bench/arena/text-instructions.mjs words $p; done
 *   echo $(( ($(grep summary /tmp/t.3 | cut -d' ' -f2) - $(grep summary /tmp/t.1 | cut -d' ' -f2)) / (2 * 64 * 4096) ))
 */
const [, , mode = 'words', passesArg = '1'] = process.argv
const mem = new WebAssembly.Memory({ initial: 256, maximum: 256, shared: true })
const u8 = new Uint8Array(mem.buffer)
const u32 = new Uint32Array(mem.buffer)
const buf = Buffer.from(mem.buffer)
const M = 4096
const KL = Number(process.env.KL ?? 16)
const keys = Array.from({ length: M }, (_, i) => ('k' + i.toString(36).padStart(KL - 1, '0')).split('').join(''))
for (let i = 0; i < M; i++) buf.latin1Write(`value-${i}-`.padEnd(100, 'x'), 65536 + i * 128)
const AT = 192

// The writers themselves (the built dist/src/text.js: run `npm run build` first), so a count is of the code a get runs.
const { writeUtf8, writeUtf8Aligned } = await import(new URL('../../dist/src/text.js', import.meta.url).href)
const view = { u8, u32, buf }
const bytes = (s, offset) => writeUtf8(view, s, offset, 4097)
const words = (s, offset) => writeUtf8Aligned(view, s, offset, 4097)
const write = { bytes, words, utf8w: (s, o) => buf.utf8Write(s, o, 4097), latin1w: (s, o) => buf.latin1Write(s, o, 4097) }[mode]
const fcc = String.fromCharCode
const read = { slice: (s, e) => buf.latin1Slice(s, e), ascii: (s, e) => buf.asciiSlice(s, e), utf8: (s, e) => buf.utf8Slice(s, e), apply: (s, e) => fcc.apply(null, u8.subarray(s, e)) }[mode]
function run(n) {
  let sum = 0
  if (write) for (let r = 0; r < n; r++) for (let i = 0; i < M; i++) sum += write(keys[i], AT)
  else for (let r = 0; r < n; r++) for (let i = 0; i < M; i++) sum += read(65536 + i * 128, 65536 + i * 128 + 100).length
  return sum
}
run(50)
console.log(mode, KL, run(Number(passesArg) * 64))
