// The window's adaptive target, moved like ARC's p: a recent ghost hit on a candidate the window let
// go (tag 0) says the window is too small; one on an entry main evicted (tag 1) says main is. Only
// ghost hits younger than the horizons count, so a loop larger than the cache (whose keys all come
// back, but only after the whole loop) can't talk the window into thrashing. See POLICY.md.
import * as L from '../layout.generated'
import { queueCount } from '../segments'
import { ghostTagCount } from '../ghost'
import { capacity, meanSize } from './units'

const P = L.POLICY_STATE_OFFSET
/** Ghost hits older than this × the capacity in entries don't move the window. */
const HORIZON: f64 = 0.5
/** A window-tagged ghost hit counts only if younger than this × the window's entry count. */
const WINDOW_HORIZON: f64 = 16
const MIN_WINDOW: f64 = 0.01
const MAX_WINDOW: f64 = 0.9

export function windowTarget(sb: u32): f64 {
  return load<f64>(sb + P + L.POLICY_WINDOW_TARGET)
}

export function setWindowTarget(sb: u32, target: f64): void {
  store<f64>(sb + P + L.POLICY_WINDOW_TARGET, target)
}

export function adaptWindow(sb: u32, age: i32, tag: u32): void {
  const unit = meanSize(sb)
  const c = capacity(sb)
  if (<f64>age >= HORIZON * (c / unit)) return
  const fromWindow = ghostTagCount(sb, 0)
  const fromMain = ghostTagCount(sb, 1)
  const target = windowTarget(sb)
  if (tag == 0) {
    if (<f64>age >= WINDOW_HORIZON * <f64>max<u32>(1, queueCount(sb, L.QUEUE_WINDOW))) return
    const step = max<f64>(1, fromMain / max<f64>(1, fromWindow)) * unit
    setWindowTarget(sb, min<f64>(MAX_WINDOW * c, target + step))
  } else {
    const step = max<f64>(1, fromWindow / max<f64>(1, fromMain)) * unit
    setWindowTarget(sb, max<f64>(max<f64>(unit, MIN_WINDOW * c), target - step))
  }
}
