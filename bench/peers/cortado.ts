/**
 * Cortado itself, through its public API. The suites import it only through this adapter, so an API
 * change lands in one file. The module is loaded lazily: while the core is being written the bench
 * still runs the other peers and says why Cortado was skipped.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT, projectVersion } from '../harness/project.js'
import type { BenchCache, CacheSpec, Entry, Peer, Value } from './types.js'

/** The slice of Cortado's `Cache` the bench uses (declared here so the bench type-checks without it). */
export interface CortadoCache extends Pick<BenchCache, 'get' | 'getMany' | 'size' | 'close'> {
  set(key: string, value: Value): boolean
  /** The value without counting a use (the front floor primes its Map with it). */
  peek(key: string): Value | undefined
  setMany(entries: readonly Entry[]): unknown
  readonly handle: unknown
  /** The arena's layout; memBytes is the whole arena. */
  readonly geometry?: { readonly memBytes: number }
  stats(): { entries: number; bytesUsed: number; bytesTotal: number; hits: number; misses: number; rejections: number }
}

export interface CortadoOptions {
  maxBytes: number
  maxEntries?: number
  codec: 'string' | 'buffer'
  shards?: number
  policy?: 'adaptive' | 'clock'
  engine?: 'wasm' | 'native'
  path?: string
  front?: boolean
}

interface CortadoModule {
  Cache: (new (options: CortadoOptions) => CortadoCache) & {
    attach(handle: unknown): CortadoCache
    maxBytesFor(entries: number, entryBytes: number): number
  }
}

const SOURCE = join(PROJECT_ROOT, 'src', 'index.ts')

let loaded: CortadoModule | undefined

/** Cortado's module, or the reason it cannot be used (missing, or not exporting `Cache` yet). */
export async function loadCortado(): Promise<CortadoModule | string> {
  if (loaded) return loaded
  if (!existsSync(SOURCE)) return 'src/index.ts does not exist yet'
  let mod: Partial<CortadoModule>
  try {
    // A literal specifier (tsx and vitest map it to src/index.ts), so that a bundled child
    // (bench/harness/bundle.ts) carries Cortado's sources instead of importing a .ts file at run time.
    mod = (await import('../../src/index.js')) as unknown as Partial<CortadoModule>
  } catch (err) {
    return `src/index.ts failed to load: ${(err as Error).message.split('\n')[0]}`
  }
  if (typeof mod.Cache !== 'function') return 'src/index.ts does not export Cache yet'
  loaded = mod as CortadoModule
  return loaded
}

/** Bytes per entry beyond key and value: the entry header. */
const ENTRY_HEADER = 8

/**
 * The one place the bench sizes Cortado's arena for `entries` entries: Cortado's own sizing
 * (Cache.maxBytesFor), so `maxEntries` is the bound that binds, as for the other peers.
 */
export function cortadoMaxBytes(spec: Pick<CacheSpec, 'entries' | 'keyBytes' | 'valueBytes'>): number {
  return module().Cache.maxBytesFor(spec.entries, ENTRY_HEADER + spec.keyBytes + spec.valueBytes)
}

export function cortadoOptions(spec: CacheSpec): CortadoOptions {
  return { maxBytes: cortadoMaxBytes(spec), maxEntries: spec.entries, codec: spec.valueKind }
}

function module(): CortadoModule {
  if (!loaded) throw new Error('Cortado used before loadCortado() succeeded')
  return loaded
}

/** A Cortado cache as the suites need it: its own get/set, no wrapper (the bench measures the API). */
export function createCortado(spec: CacheSpec, extra: Pick<CortadoOptions, 'shards' | 'policy' | 'front'> = {}): CortadoCache & BenchCache {
  return new (module().Cache)({ ...cortadoOptions(spec), ...extra }) as CortadoCache & BenchCache
}

/**
 * A cache in a file (the native engine): the first process creates it, every other process that opens
 * the same path with the same options shares its entries (node:cluster workers, PM2 instances).
 */
export function createCortadoFile(spec: CacheSpec, path: string): CortadoCache & BenchCache {
  return new (module().Cache)({ ...cortadoOptions(spec), engine: 'native', path }) as CortadoCache & BenchCache
}

/** In a worker thread: the same cache, over the shared arena. */
export function attachCortado(handle: unknown): CortadoCache {
  return module().Cache.attach(handle)
}

export const cortadoPeer: Peer = {
  id: 'cortado',
  name: 'Cortado',
  version: projectVersion(),
  bound: 'maxEntries = entries, maxBytes sized for them; off-heap arena',
  batch: 'native',
  async load() {
    const mod = await loadCortado()
    return typeof mod === 'string' ? mod : undefined
  },
  create: (spec) => createCortado(spec),
}

/** Cortado with this thread's front of hot decoded values (the `front` option, default budget). */
export const cortadoFrontPeer: Peer = {
  ...cortadoPeer,
  id: 'cortado-front',
  name: 'Cortado + front',
  bound: cortadoPeer.bound + '; front: true (hot values on the JS heap: the whole cache up to 40 MiB, else 24 MiB)',
  create: (spec) => createCortado(spec, { front: true }),
}

/** The Cortado peer with options of its own (e.g. another policy), for tools that compare them. */
export function cortadoPeerWith(extra: Pick<CortadoOptions, 'shards' | 'policy'>): Peer {
  return { ...cortadoPeer, create: (spec) => createCortado(spec, extra) }
}
