/** The process warnings Cortado emits once per cache for a value too large to store (CORTADO_OVERSIZED). */
export function collectWarnings(): { warnings: Error[]; stop: () => void } {
  const warnings: Error[] = []
  const listener = (w: Error) => { if ((w as { code?: string }).code === 'CORTADO_OVERSIZED') warnings.push(w) }
  process.on('warning', listener)
  return { warnings, stop: () => process.off('warning', listener) }
}

/** Lets a process warning emitted now reach its listeners (they run on a later tick). */
export const settle = () => new Promise((resolve) => setImmediate(resolve))
