/**
 * The process warnings Cortado emits once per cache with `code`: CORTADO_OVERSIZED for a value too
 * large to store, CORTADO_SHARDS for shards too small for the cache's values, CORTADO_SIZING for an index and policy
 * state sized for far smaller entries.
 */
export function collectWarnings(code = 'CORTADO_OVERSIZED'): { warnings: Error[]; stop: () => void } {
  const warnings: Error[] = []
  const listener = (w: Error) => { if ((w as { code?: string }).code === code) warnings.push(w) }
  process.on('warning', listener)
  return { warnings, stop: () => process.off('warning', listener) }
}

/** Lets a process warning emitted now reach its listeners (they run on a later tick). */
export const settle = () => new Promise((resolve) => setImmediate(resolve))
