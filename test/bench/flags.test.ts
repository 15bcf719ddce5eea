import { describe, expect, it } from 'vitest'
import { FlagError, parseFlags, selects } from '../../bench/harness/flags.js'

describe('parseFlags', () => {
  it('defaults to a full run of everything', () => {
    expect(parseFlags([])).toEqual({ quick: false, filter: [], peers: [], json: undefined, out: undefined, rounds: undefined, help: false })
  })

  it('reads every flag, with a separate or an attached value', () => {
    const f = parseFlags(['--quick', '--filter', 'get-hit,memory', '--filter=redis', '--json', 'out.json', '--peers=cortado', '--out', 'dir', '--rounds', '7'])
    expect(f.quick).toBe(true)
    expect(f.filter).toEqual(['get-hit', 'memory', 'redis'])
    expect(f.peers).toEqual(['cortado'])
    expect(f.json).toBe('out.json')
    expect(f.out).toBe('dir')
    expect(f.rounds).toBe(7)
  })

  it('ignores empty items in a list', () => {
    expect(parseFlags(['--filter', 'a,,b,']).filter).toEqual(['a', 'b'])
  })

  it('rejects unknown flags, missing values and values on switches', () => {
    expect(() => parseFlags(['--fast'])).toThrow(FlagError)
    expect(() => parseFlags(['--json'])).toThrow(/needs a value/)
    expect(() => parseFlags(['--json', '--quick'])).toThrow(/needs a value/)
    expect(() => parseFlags(['--filter='])).toThrow(/needs a value/)
    expect(() => parseFlags(['--quick=yes'])).toThrow(/takes no value/)
  })

  it('keeps at least 3 rounds, so a median means something', () => {
    expect(() => parseFlags(['--rounds', '2'])).toThrow(/≥ 3/)
    expect(() => parseFlags(['--rounds', '4.5'])).toThrow(FlagError)
  })

  it('--help and -h', () => {
    expect(parseFlags(['--help']).help).toBe(true)
    expect(parseFlags(['-h']).help).toBe(true)
  })
})

describe('selects', () => {
  it('selects everything without a filter, else exact ids and prefixes', () => {
    expect(selects([], 'memory')).toBe(true)
    expect(selects(['get'], 'get-hit')).toBe(true)
    expect(selects(['get'], 'get-many')).toBe(true)
    expect(selects(['get-hit'], 'get-miss')).toBe(false)
    expect(selects(['memory', 'redis'], 'redis')).toBe(true)
  })
})
