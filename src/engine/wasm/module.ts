/**
 * Finds and compiles the WebAssembly core once per thread. The compiled module is cached, so attaching
 * many caches (or one cache in many places) instantiates without recompiling.
 */
import { readFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CortadoError } from '../../errors.js'
import * as L from '../../layout/constants.generated.js'

/** The exports of assembly/index.ts. */
export interface WasmExports {
  init(): void
  attach(token: number, lease: number): number
  /** 1 if this thread still held its slot, 0 if it had been reclaimed meanwhile. */
  detach(): number
  /** Retires a dead thread's slot if it is live under `lease`: 1 if this call did. */
  reclaim(slot: number, lease: number): number
  useSlot(slot: number): void
  get(keyLen: number, now: number, flags: number): number
  set(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number
  setReserve(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number
  setCommit(shard: number): number
  remove(keyLen: number, now: number, mode: number): number
  clear(shard: number): number
  purge(shard: number, now: number): number
  lockShard(shard: number): number
  unlockShard(shard: number): number
  recover(shard: number, deadOwner: number, now: number): number
  rebuild(shard: number, now: number): number
  verify(shard: number): number
  entries(shard: number, from: number, count: number, max: number, now: number): number
  getMany(count: number, input: number, out: number, now: number, flags: number): void
  setMany(from: number, count: number, input: number, out: number, now: number): number
  /** Tests of the policy (WebAssembly engine only): the key's sketch estimate, and where its counters are. */
  sketchProbe?(keyLen: number): number
}

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

export function instantiate(memory: WebAssembly.Memory): WasmExports {
  const instance = new WebAssembly.Instance(wasmModule(), { env: { memory } })
  return instance.exports as unknown as WasmExports
}
