//! Port of assembly/policy/decision.ts: what a policy answers.

/// For the entry at a queue's tail: evict it (otherwise the answer is the queue to move it to).
#[allow(dead_code)]
pub const EVICT: u32 = 0xFFFF;
/// For a newcomer the policy refuses to admit.
pub const REJECT: i32 = -1;
