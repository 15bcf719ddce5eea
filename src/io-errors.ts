/** File-system failures as typed errors: a full disk is its own code, anything else is ERR_IO. */
import { CortadoError } from './errors.js'

export function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined
}

export const isMissing = (err: unknown): boolean => errnoOf(err) === 'ENOENT'

export function ioError(err: unknown, what: string): CortadoError {
  if (err instanceof CortadoError) return err
  const code = errnoOf(err)
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new CortadoError('ERR_NO_SPACE', `${what}: the disk is full (${code}); the write was undone`, { cause: err })
  }
  return new CortadoError('ERR_IO', `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}
