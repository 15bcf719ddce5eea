/**
 * `cortado/disk` is its own entry point; lmdb and classic-level are optional peer dependencies that only
 * their adapters load, lazily (a dynamic import in open), so `cortado/disk` loads without them.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
const srcDisk = new URL('../../src/disk/', import.meta.url)

describe('cortado/disk packaging', () => {
  it('is exported as ./disk with its types, and lmdb / classic-level are optional peers', () => {
    expect(pkg.exports['./disk']).toEqual({ types: './dist/src/disk/index.d.ts', default: './dist/bundle/disk/index.js' })
    for (const peer of ['lmdb', 'classic-level']) {
      expect(pkg.peerDependencies[peer]).toBeDefined()
      expect(pkg.peerDependenciesMeta[peer].optional).toBe(true)
    }
  })

  it('no module imports lmdb or classic-level statically', () => {
    const files = (readdirSync(srcDisk, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'))
    const staticImports = files.filter((f) => /^import[^(]*['"](lmdb|classic-level)['"]/m.test(readFileSync(new URL(f, srcDisk), 'utf8')))
    expect(staticImports).toEqual([])
  })
})
