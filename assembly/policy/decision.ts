// What a policy answers for a newcomer it refuses to admit.
export const REJECT: i32 = -1
