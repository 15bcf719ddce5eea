/** bench/service/profile.ts's reading of a CPU profile: samples inside the handler, split by callee. */
import { describe, expect, it } from 'vitest'
import { splitHandler } from '../../bench/service/profile.js'

const frame = (functionName: string) => ({ functionName, url: 'file:///x.mjs', lineNumber: 0 })

describe('service profile split', () => {
  it("counts only the handler's samples, each in the outermost group on its path, the rest as the handler's own", () => {
    // (root) → serveRecord → get → getArena → wasm; serveRecord → parse; serveRecord → end → writev; (root) → (idle)
    const nodes = [
      { id: 1, callFrame: frame('(root)'), children: [2, 9] },
      { id: 2, callFrame: frame('serveRecord'), children: [3, 6, 7] },
      { id: 3, callFrame: frame('get'), children: [4] },
      { id: 4, callFrame: frame('getArena'), children: [5] },
      { id: 5, callFrame: frame('wasm-function[34]') },
      { id: 6, callFrame: frame('parse') },
      { id: 7, callFrame: frame('end'), children: [8] },
      { id: 8, callFrame: frame('writev') },
      { id: 9, callFrame: frame('(idle)') },
    ]
    const samples = [5, 5, 4, 6, 8, 8, 8, 2, 9, 9]
    const split = splitHandler({ nodes, samples, timeDeltas: samples.map(() => 100) })
    expect(split.samples).toBe(10)
    expect(split.handler).toBe(8)
    expect(Object.fromEntries(split.groups)).toEqual({
      'cache get': 3,
      'JSON.parse': 1,
      'response (writeHead, end)': 3,
      'handler itself and other': 1,
    })
    expect(split.intervalUs).toBe(100)
    expect(split.topSelf[0]![0]).toMatch(/^writev /)
    expect(split.topSelf[0]![1]).toBe(3)
  })
})
