import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { zipfTrace } from '../../bench/workloads/zipf-trace.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'cortado-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function sim(args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/sim/cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

describe('npm run sim', () => {
  it('prints one JSON line per policy and size, LRU and OPT always included, then a markdown table', () => {
    const t = zipfTrace({ keys: 2000, s: 0.8, length: 20_000, seed: 1 })
    // ARC format, one request per line (`block 1 0 n`), gzipped.
    const file = join(dir, 'zipf.lis.gz')
    writeFileSync(file, gzipSync(Array.from(t.keys, (k, i) => `${k + 1000} 1 0 ${i}`).join('\n')))
    const out = sim(['--trace', file, '--sizes', '50,200', '--policy', 'model'])
    const lines = out.split('\n').filter((l) => l.startsWith('{'))
    const rows = lines.map((l) => JSON.parse(l) as { trace: string; policy: string; size: number; requests: number; hits: number; hitRatio: number })
    expect(rows.map((r) => `${r.policy}@${r.size}`)).toEqual(['lru@50', 'model@50', 'opt@50', 'lru@200', 'model@200', 'opt@200'])
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['trace', 'policy', 'size', 'requests', 'hits', 'hitRatio'])
      expect(Number((r.hits / r.requests).toFixed(6))).toBe(r.hitRatio)
      expect(r.trace).toBe('zipf')
      expect(r.requests).toBe(20_000)
      expect(r.hitRatio).toBeGreaterThan(0)
      expect(r.hitRatio).toBeLessThan(1)
    }
    const at = (p: string, s: number): number => rows.find((r) => r.policy === p && r.size === s)!.hitRatio
    expect(at('opt', 200)).toBeGreaterThanOrEqual(at('model', 200))
    expect(out).toContain('| size | lru | model | opt |')
  })

  it('--family runs only the recency families whose name contains one of its texts', () => {
    const out = sim(['--recency', '--quick', '--family', 'standing,every 20×', '--sizes', '1000', '--policy', 'model', '--json'])
    const families = out.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { trace: string; policy: string }).trace)
    expect([...new Set(families)]).toEqual(['zipf(0.9) 20 keys/entry, moving every 20×cap', 'zipf(0.9) 20 keys/entry, standing'])
    expect(families).toHaveLength(4) // lru and model each
  })

  it('--recency runs every peer on the cache-aside families, and only policies that replay writes on the others', () => {
    const out = sim(['--recency', '--quick', '--family', 'standing,0.5×cap write-once', '--sizes', '1000', '--policy', 'model,arc,adaptive', '--json'])
    const rows = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { trace: string; policy: string; hitRatio: number })
    const ran = (family: string): string[] => rows.filter((r) => r.trace.includes(family)).map((r) => r.policy)
    // Stop 40: the peers used to be skipped on every family, the moving Zipf (plain accesses) included.
    expect(ran('standing')).toEqual(['lru', 'model', 'arc', 'adaptive'])
    expect(ran('0.5×cap write-once')).toEqual(['lru', 'model'])
    for (const r of rows) expect(r.hitRatio).toBeGreaterThan(0)
  })

  it('--tune overrides constants of the model (the same values change nothing, others do) and refuses unknown names and bad values', () => {
    const t = zipfTrace({ keys: 4000, s: 0.9, length: 40_000, seed: 3 })
    const file = join(dir, 'tune.lis.gz')
    writeFileSync(file, gzipSync(Array.from(t.keys, (k, i) => `${k + 1000} 1 0 ${i}`).join('\n')))
    const model = (extra: string[]) => {
      const line = sim(['--trace', file, '--sizes', '400', '--policy', 'model', ...extra]).split('\n').find((l) => l.includes('"model"'))!
      return (JSON.parse(line) as { hitRatio: number }).hitRatio
    }
    expect(model(['--tune', 'ghostFactor=1'])).toBe(model([]))
    expect(model(['--tune', 'ghostFactor=0.1,windowHorizon=1'])).not.toBe(model([]))
    expect(() => sim(['--trace', file, '--tune', 'ghostSize=1'])).toThrow(/ghostFactor/)
    expect(() => sim(['--trace', file, '--tune', 'doorkeeper=1'])).toThrow(/true or false/)
  })

  it('rejects what it cannot run with a usage message', () => {
    expect(() => sim(['--trace', join(dir, 'x.csv'), '--policy', 'nope'])).toThrow(/unknown policy|usage/)
  })
})
