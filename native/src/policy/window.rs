//! Port of assembly/policy/window.ts: the window's adaptive target, moved like ARC's p. A recent ghost
//! hit on a candidate the window let go (tag 0) says the window is too small; one on an entry main
//! evicted (tag 1) says main is. Only ghost hits younger than the horizons count, so a loop larger than
//! the cache can't talk the window into thrashing.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;

const P: u32 = L::POLICY_STATE_OFFSET;
/// Ghost hits older than this × the capacity in entries don't move the window.
const HORIZON: f64 = 0.5;
/// A window-tagged ghost hit counts only if younger than this × the window's entry count.
const WINDOW_HORIZON: f64 = 16.0;
const MIN_WINDOW: f64 = 0.01;
const MAX_WINDOW: f64 = 0.9;

impl Engine {
    pub unsafe fn window_target(&self, sb: *mut u8) -> f64 {
        ldf64(sb.add((P + L::POLICY_WINDOW_TARGET) as usize))
    }

    pub unsafe fn set_window_target(&self, sb: *mut u8, target: f64) {
        stf64(sb.add((P + L::POLICY_WINDOW_TARGET) as usize), target);
    }

    pub unsafe fn adapt_window(&self, sb: *mut u8, age: i32, tag: u32) {
        let unit = self.mean_size(sb);
        let c = self.capacity(sb);
        if age as f64 >= HORIZON * (c / unit) {
            return;
        }
        let from_window = self.ghost_tag_count(sb, 0);
        let from_main = self.ghost_tag_count(sb, 1);
        let target = self.window_target(sb);
        if tag == 0 {
            if age as f64 >= WINDOW_HORIZON * std::cmp::max(1, self.queue_count(sb, L::QUEUE_WINDOW)) as f64 {
                return;
            }
            let step = f64::max(1.0, from_main / f64::max(1.0, from_window)) * unit;
            self.set_window_target(sb, f64::min(MAX_WINDOW * c, target + step));
        } else {
            let step = f64::max(1.0, from_window / f64::max(1.0, from_main)) * unit;
            self.set_window_target(sb, f64::max(f64::max(unit, MIN_WINDOW * c), target - step));
        }
    }
}
