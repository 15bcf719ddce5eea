/**
 * Finds and compiles the WebAssembly core once per thread. The compiled module is cached, so attaching
 * many caches (or one cache in many places) instantiates without recompiling.
 */
import { readFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CortadoError } from '../../errors.js'
import * as L from '../../layout/constants.generated.js'

import type { EngineProtocol } from '../protocol.js'

let compiled: WebAssembly.Module | undefined
let compiledBuildId = 0

/** The package root: the nearest ancestor holding dist/wasm (works from src/ and from dist/src/). */
function findWasmFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'dist', 'wasm', 'cortado.wasm')
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new CortadoError('ERR_ENGINE_UNAVAILABLE',
    'dist/wasm/cortado.wasm not found: build the WebAssembly core with `npm run build`')
}

export function wasmModule(): WebAssembly.Module {
  if (!compiled) {
    const bytes = readFileSync(findWasmFile())
    compiledBuildId = fnv1a(bytes) ^ L.LAYOUT_DIGEST
    compiled = new WebAssembly.Module(bytes)
  }
  return compiled
}

/** Identifies this build of the core: threads that attach to one arena must all run the same one. */
export function wasmBuildId(): number {
  wasmModule()
  return compiledBuildId >>> 0
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193)
  return h >>> 0
}

export function instantiate(memory: WebAssembly.Memory): EngineProtocol {
  const instance = new WebAssembly.Instance(wasmModule(), { env: { memory } })
  const ex = instance.exports as unknown as EngineProtocol
  // A u32 result reaches JS as a signed i32: COUNT_BUSY (0xffffffff) would arrive as -1, which the
  // callers (src/engine/busy.ts, iterate.ts) can't tell from a count, and would take for one
  // (test/core/busy-shard.test.ts). The counting calls are the only ones whose results reach 2^31.
  // An object literal, not Object.create(null) + assign: V8 keeps a null-prototype object in dictionary
  // mode, and every engine call looked its function up there (+51 instructions per set, stop 36).
  const { purge, verify, entries } = ex
  return {
    ...ex,
    purge: (shard: number, now: number) => purge(shard, now) >>> 0,
    verify: (shard: number) => verify(shard) >>> 0,
    entries: (shard: number, from: number, count: number, max: number, now: number) => entries(shard, from, count, max, now) >>> 0,
  }
}
