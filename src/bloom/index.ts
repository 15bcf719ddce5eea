/** Bloom filters: "definitely not here" without I/O. Entry point `cortado/bloom` (also at the root until 0.3). */
export { BloomFilter, type BloomFilterHandle, type BloomFilterOptions } from './filter.js'
export { ScalableBloomFilter, type ScalableBloomFilterOptions } from './scalable.js'
export type { BloomKey } from './keys.js'
export { bloomParameters, predictedFalsePositiveRate, type BloomParameters } from './sizing.js'
