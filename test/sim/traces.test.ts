import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { readArcTrace } from '../../bench/sim/traces/arc.js'
import { readLirsTrace } from '../../bench/sim/traces/lirs.js'
import { formatOf, readTrace, traceName } from '../../bench/sim/traces/read.js'

const dir = mkdtempSync(join(tmpdir(), 'cortado-sim-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('trace readers', () => {
  it('ARC format expands `start count` into count consecutive blocks, ignoring the other fields', async () => {
    const file = join(dir, 'a.lis')
    writeFileSync(file, '100 3 0 0\n7 1 0 1\n101 2 5 2\n')
    const t = await readArcTrace(file, 'a')
    // blocks: 100 101 102 7 101 102 → dense ids in first-seen order
    expect([...t.keys]).toEqual([0, 1, 2, 3, 1, 2])
    expect(t.universe).toBe(4)
  })

  it('LIRS format reads one block per line and skips non-numeric lines', async () => {
    const file = join(dir, 'b.lirs')
    writeFileSync(file, '5\n9\n5\n*\n\n12\n9')
    const t = await readLirsTrace(file, 'b')
    expect([...t.keys]).toEqual([0, 1, 0, 2, 1])
  })

  it('accepts gzip by content, whatever the extension, and handles CRLF', async () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `${i % 1000}\r`).join('\n')
    const file = join(dir, 'c.lirs.gz')
    writeFileSync(file, gzipSync(text))
    const t = await readTrace(file)
    expect(t.keys.length).toBe(50_000)
    expect(t.universe).toBe(1000)
    expect(t.keys[1000]).toBe(0)
  })

  it('names and formats come from the file name', () => {
    expect(traceName('/x/OLTP.lis.gz')).toBe('OLTP')
    expect(formatOf('/x/OLTP.lis.gz')).toBe('arc')
    expect(formatOf('gli.lirs')).toBe('lirs')
    expect(formatOf('data.csv')).toBeUndefined()
  })
})
