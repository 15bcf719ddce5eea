// A per-shard PRNG (xorshift64*), its state in the shard header: the policy's random choices are
// reproducible from the cache's seed and differ between shards. Used under the shard lock.
import * as L from '../layout.generated'

export function seedRng(sb: u32, seed: u64, shard: u32): void {
  let s = seed ^ (<u64>(shard + 1) * 0x9E3779B97F4A7C15)
  if (s == 0) s = 0x2545F4914F6CDD1D
  store<u32>(sb + L.SHARD_RNG_LO, <u32>s)
  store<u32>(sb + L.SHARD_RNG_HI, <u32>(s >> 32))
}

export function nextRandom(sb: u32): u32 {
  let s = (<u64>load<u32>(sb + L.SHARD_RNG_HI) << 32) | <u64>load<u32>(sb + L.SHARD_RNG_LO)
  s ^= s >> 12
  s ^= s << 25
  s ^= s >> 27
  store<u32>(sb + L.SHARD_RNG_LO, <u32>s)
  store<u32>(sb + L.SHARD_RNG_HI, <u32>(s >> 32))
  return <u32>((s * 0x2545F4914F6CDD1D) >> 32)
}
