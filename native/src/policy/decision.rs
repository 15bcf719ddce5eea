//! Port of assembly/policy/decision.ts: what a policy answers.

/// For a newcomer the policy refuses to admit.
pub const REJECT: i32 = -1;

/// A newcomer's frequency in a lender's contest that beats every victim (the sketch's counters stop at
/// 15): a LARGE newcomer of typical size takes the lenders' victims in their eviction order.
pub const UNCONTESTED: u32 = 16;
