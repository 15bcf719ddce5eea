/**
 * Progress on stderr, so stdout stays the summary table. On a terminal one bar redraws in place; when
 * stderr is not a TTY (CI logs, a pipe) it prints a plain line whenever the step changes, never
 * control characters.
 */

export interface ProgressStream {
  isTTY?: boolean
  columns?: number
  write(chunk: string): boolean
}

/** `[#####.....]` for a fraction in [0, 1]. */
export function renderBar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0))
  const full = Math.round(f * width)
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return `${m}m${String(s % 60).padStart(2, '0')}s`
}

export class Progress {
  private done = 0
  private label = ''
  private detail = ''
  private readonly started: number
  private lastDraw = 0
  private drawn = false

  constructor(
    private total: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now()
  }

  /** Adds planned steps discovered late (e.g. a suite that finds its traces only when it starts). */
  grow(steps: number): void {
    this.total += steps
  }

  /** A new step: a suite and a case. Always shown, on a terminal or not. */
  step(label: string): void {
    this.label = label
    this.detail = ''
    if (this.stream.isTTY === true) this.draw(true)
    else this.stream.write(`[${this.percent().padStart(4)}] ${label}\n`)
  }

  /** Progress inside a step (one round of one peer); only redraws the bar on a terminal. */
  tick(detail = '', units = 1): void {
    this.done = Math.min(this.total, this.done + units)
    this.detail = detail
    if (this.stream.isTTY === true) this.draw(false)
  }

  /** A message that must stay visible (a skipped peer, a warning). */
  log(line: string): void {
    this.clear()
    this.stream.write(`${line}\n`)
    if (this.stream.isTTY === true) this.draw(true)
  }

  finish(): void {
    this.done = this.total
    this.clear()
    this.stream.write(`done in ${formatDuration(this.now() - this.started)}\n`)
  }

  /** The text of the bar line (without control characters), for tests and for drawing. */
  line(width = 100): string {
    const elapsed = this.now() - this.started
    const fraction = this.total > 0 ? this.done / this.total : 0
    const eta = fraction > 0.02 ? formatDuration((elapsed / fraction) * (1 - fraction)) : '?'
    const text = `${renderBar(fraction, 24)} ${this.percent()} ${this.label}${this.detail ? ` · ${this.detail}` : ''}`
    const tail = `  ${formatDuration(elapsed)} elapsed, ETA ${eta}`
    const room = Math.max(10, width - tail.length - 1)
    return (text.length > room ? `${text.slice(0, room - 1)}…` : text) + tail
  }

  private percent(): string {
    return `${Math.floor((this.total > 0 ? this.done / this.total : 0) * 100)}%`
  }

  private draw(force: boolean): void {
    const t = this.now()
    if (!force && t - this.lastDraw < 100) return
    this.lastDraw = t
    this.stream.write(`\r\x1b[2K${this.line(this.stream.columns ?? 100)}`)
    this.drawn = true
  }

  private clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K')
    this.drawn = false
  }
}
