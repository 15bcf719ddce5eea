import { describe, expect, it } from 'vitest'
import { Progress, formatDuration, renderBar, type ProgressStream } from '../../bench/harness/progress.js'

function stream(isTTY: boolean): ProgressStream & { out: string } {
  const s = {
    isTTY,
    columns: 120,
    out: '',
    write(chunk: string) {
      s.out += chunk
      return true
    },
  }
  return s
}

describe('progress', () => {
  it('renders a bar and durations', () => {
    expect(renderBar(0.5, 10)).toBe('[#####.....]')
    expect(renderBar(2, 4)).toBe('[####]')
    expect(renderBar(Number.NaN, 4)).toBe('[....]')
    expect(formatDuration(59_400)).toBe('59s')
    expect(formatDuration(125_000)).toBe('2m05s')
  })

  it('without a TTY prints one plain line per step and no control characters', () => {
    const s = stream(false)
    let t = 0
    const p = new Progress(4, s, () => t)
    p.step('get-hit · 100k')
    p.tick('round 1')
    p.tick('round 2')
    t = 5000
    p.step('set-evict · 100k')
    p.log('warning: something')
    p.finish()
    expect(s.out).toBe('[  0%] get-hit · 100k\n[ 50%] set-evict · 100k\nwarning: something\ndone in 5s\n')
    expect(s.out).not.toMatch(/[\r\u001b]/)
  })

  it('on a TTY redraws one line in place, with percent, step, detail and ETA', () => {
    const s = stream(true)
    let t = 0
    const p = new Progress(10, s, () => t)
    p.step('mixed · 1M')
    t = 1000
    p.tick('round 1/5 cortado', 5)
    expect(s.out).toContain('\r\u001b[2K')
    expect(p.line(200)).toContain('50% mixed · 1M · round 1/5 cortado')
    expect(p.line(200)).toContain('ETA 1s')
    expect(p.line(40).length).toBeLessThanOrEqual(60)
  })

  it('grows when a suite discovers more work', () => {
    const s = stream(false)
    const p = new Progress(2, s, () => 0)
    p.tick('', 2)
    p.grow(2)
    p.step('next')
    expect(s.out).toBe('[ 50%] next\n')
  })
})
