// What a policy answers for a newcomer it refuses to admit.
export const REJECT: i32 = -1

// A newcomer's frequency in a lender's contest that beats every victim (the sketch's counters stop at
// 15): a LARGE newcomer of typical size takes the lenders' victims in their eviction order.
export const UNCONTESTED: u32 = 16
