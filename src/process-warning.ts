/**
 * Every process warning Cortado gives goes through here. `process.emitWarning(message)` captures a
 * stack trace and emits on the next tick; until the trace is formatted, V8 keeps each frame's receiver
 * alive, and the frames of a warning given inside `set()` hold the Cache and so its whole arena. A
 * synchronous loop that made, filled and closed caches kept every closed arena that had warned until
 * it yielded. Formatting the trace at once keeps the same text (shown with --trace-warnings) without
 * the references.
 */
export function emitProcessWarning(message: string, code: string, type = 'Warning'): void {
  const warning = new Error(message) as Error & { code: string }
  Error.captureStackTrace(warning, emitProcessWarning)
  warning.name = type
  warning.code = code
  void warning.stack
  process.emitWarning(warning)
}
