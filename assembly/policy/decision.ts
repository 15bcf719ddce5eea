// What a policy answers for the entry at a queue's tail: EVICT, or the queue to move it to.
export const EVICT: u32 = 0xFFFF
/** What a policy answers for a newcomer it refuses to admit. */
export const REJECT: i32 = -1
