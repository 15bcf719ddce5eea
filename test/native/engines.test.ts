/** Choosing the engine: 'auto' is native when the addon is built and WebAssembly otherwise. */
import { describe, it, expect } from 'vitest'
import { existsSync } from 'node:fs'
import { Cache } from '../../src/index.js'
import { nativeBuilt } from '../conformance/engines.js'
import { spawnChild, nextMessage } from './helpers.js'

describe('engine choice', () => {
  it.runIf(nativeBuilt)("'auto' picks the native engine when its addon is built; 'wasm' stays the default", () => {
    const auto = new Cache({ engine: 'auto', maxBytes: 4 << 20 })
    expect((auto.handle as { engine?: string }).engine).toBe('native')
    auto.close()
    const byDefault = new Cache({ maxBytes: 4 << 20 })
    expect((byDefault.handle as { engine?: string }).engine).toBe('wasm')
    byDefault.close()
  })

  it("without the addon: 'native' is ERR_ENGINE_UNAVAILABLE saying why, 'auto' falls back to WebAssembly (but not for a path)", async () => {
    const child = spawnChild('engine-choice.ts', [], { env: { ...process.env, CORTADO_NATIVE_ADDON: 'off' } })
    const reply = await nextMessage<Record<string, { engine?: string; code?: string; message?: string }>>(child, () => true)
    expect(reply.native).toMatchObject({ code: 'ERR_ENGINE_UNAVAILABLE' })
    expect(reply.native.message).toMatch(/not available: disabled by CORTADO_NATIVE_ADDON=off/)
    expect(reply.auto).toEqual({ engine: 'wasm' })
    expect(reply.autoWithPath).toMatchObject({ code: 'ERR_ENGINE_UNAVAILABLE', message: expect.stringMatching(/a path needs the native engine/) })
    expect(existsSync('/dev/shm/cortado-never-created')).toBe(false)
  })
})
