/** The `front` option (Cache options and Cache.attach options), checked as strictly as every option. */
import { CortadoError, shown } from '../errors.js'
import { checkKnownKeys } from '../option-names.js'
import type { FrontOptions } from './front.js'

export type { FrontOptions } from './front.js'

const FRONT_OPTIONS: ReadonlySet<string> = new Set(['maxBytes', 'shareObjects'])

/** undefined for no front; the options of one otherwise (`true` = the defaults). */
export function checkFrontOption(option: unknown): FrontOptions | undefined {
  if (option === undefined || option === false) return undefined
  if (option === true) return {}
  if (typeof option !== 'object' || option === null || Array.isArray(option))
    throw new CortadoError('ERR_INVALID_OPTION', `front must be true, false or { maxBytes, shareObjects }, got ${shown(option)}`)
  checkKnownKeys(option, FRONT_OPTIONS, 'front', false)
  const o = option as FrontOptions
  if (o.maxBytes !== undefined && (typeof o.maxBytes !== 'number' || !Number.isSafeInteger(o.maxBytes) || o.maxBytes < 0))
    throw new CortadoError('ERR_INVALID_OPTION', `front.maxBytes must be a non-negative integer, got ${shown(o.maxBytes)}`)
  if (o.shareObjects !== undefined && typeof o.shareObjects !== 'boolean')
    throw new CortadoError('ERR_INVALID_OPTION', `front.shareObjects must be a boolean, got ${shown(o.shareObjects)}`)
  return { maxBytes: o.maxBytes, shareObjects: o.shareObjects }
}
