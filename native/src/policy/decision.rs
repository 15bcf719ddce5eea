//! Port of assembly/policy/decision.ts: what a policy answers.

/// For a newcomer the policy refuses to admit.
pub const REJECT: i32 = -1;
