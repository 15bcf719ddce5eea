/** Bloom filters: "definitely not here" without I/O. Re-exported from the package root. */
export { BloomFilter, type BloomFilterHandle, type BloomFilterOptions } from './filter.js'
export { ScalableBloomFilter, type ScalableBloomFilterOptions } from './scalable.js'
export type { BloomKey } from './keys.js'
export { bloomParameters, predictedFalsePositiveRate, type BloomParameters } from './sizing.js'
