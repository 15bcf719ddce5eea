/**
 * `--tune NAME=VALUE[,NAME=VALUE…]`: overrides of the model's tuning, shared by `npm run sim` and the
 * research tools (per-capacity, recency-classes, steady-state). Each name must be a constant of the
 * model, each value of its type (true/false, or a non-negative number); a bad pair throws.
 */
import { TUNING, type Tuning } from './model/tuning.js'

export function parseTuningList(list: string, flag = '--tune'): Partial<Tuning> {
  const tuning: Record<string, number | boolean> = {}
  for (const pair of list.split(',').filter((s) => s !== '')) {
    const eq = pair.indexOf('=')
    const name = pair.slice(0, eq)
    const raw = pair.slice(eq + 1)
    if (eq <= 0 || !(name in TUNING)) throw new Error(`${flag} ${pair}: expected NAME=VALUE with NAME one of ${Object.keys(TUNING).join(', ')}`)
    if (typeof TUNING[name as keyof Tuning] === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new Error(`${flag} ${pair}: ${name} is true or false`)
      tuning[name] = raw === 'true'
      continue
    }
    const n = Number(raw)
    if (raw === '' || !Number.isFinite(n) || n < 0) throw new Error(`${flag} ${pair}: ${name} is a non-negative number`)
    tuning[name] = n
  }
  return tuning as Partial<Tuning>
}
