/**
 * prom-client and @opentelemetry/api are optional peer dependencies: only the subpath modules
 * (`cortado/prometheus`, `cortado/otel`) may import them, so the package root loads without them.
 * Likewise pg and pg-logical-replication, for `cortado/cdc`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CACHE_METRICS } from '../../src/metrics/catalog.js'

const src = new URL('../../src/', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

function sources(dir: URL, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`)
      : entry.name.endsWith('.ts') ? [`${prefix}${entry.name}`] : [],
  )
}

const importsOf = (file: string) =>
  [...readFileSync(new URL(file, src), 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!)

describe('optional peer dependencies', () => {
  it('only the subpath modules import prom-client or @opentelemetry', () => {
    const importers = sources(src)
      .filter((file) => importsOf(file).some((spec) => spec === 'prom-client' || spec.startsWith('@opentelemetry/')))
      .sort()
    // peer-prometheus.ts and change-feed.ts are part of cortado/prometheus: only prometheus.ts imports them.
    expect(importers).toEqual(['metrics/change-feed.ts', 'metrics/otel.ts', 'metrics/peer-prometheus.ts', 'metrics/prometheus.ts'])
    const reachers = sources(src).filter((file) => importsOf(file).some((spec) => /(^|\/)change-feed\.js$/.test(spec)))
    expect(reachers).toEqual(['metrics/prometheus.ts'])
  })

  it('only cortado/cdc (src/cdc) imports pg and pg-logical-replication, and nothing else imports it', () => {
    const importers = sources(src).filter((file) => importsOf(file).some((spec) => spec === 'pg' || spec === 'pg-logical-replication'))
    expect(importers.length).toBeGreaterThan(0)
    expect(importers.filter((file) => !file.startsWith('cdc/'))).toEqual([])
    const reachers = sources(src).filter((file) => !file.startsWith('cdc/') && importsOf(file).some((spec) => /(^|\/)cdc\//.test(spec)))
    expect(reachers).toEqual([])
    expect(pkg.exports['./cdc'].default).toBe('./dist/bundle/cdc/index.js')
    expect(pkg.peerDependenciesMeta.pg.optional).toBe(true)
    expect(pkg.peerDependenciesMeta['pg-logical-replication'].optional).toBe(true)
  })

  it('and nothing else imports the subpath modules, which package.json exports as cortado/prometheus and cortado/otel', () => {
    const reachers = sources(src).filter((file) => importsOf(file).some((spec) => /metrics\/(prometheus|otel)\.js$/.test(spec)))
    expect(reachers).toEqual([])
    const peerReachers = sources(src).filter((file) => importsOf(file).some((spec) => /peer-prometheus\.js$/.test(spec)))
    expect(peerReachers).toEqual(['metrics/prometheus.ts'])
    expect(pkg.exports['./prometheus'].default).toBe('./dist/bundle/metrics/prometheus.js')
    expect(pkg.exports['./otel'].default).toBe('./dist/bundle/metrics/otel.js')
    expect(pkg.peerDependenciesMeta['prom-client'].optional).toBe(true)
    expect(pkg.peerDependenciesMeta['@opentelemetry/api'].optional).toBe(true)
  })
})

describe('docs/metrics.md', () => {
  it('documents every exported metric, with its Prometheus type and OpenTelemetry name', () => {
    const readme = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('<!-- section:metrics -->'), readme.indexOf('<!-- /section:metrics -->'))
    const rows = section.split('\n').filter((line) => line.startsWith('| `cortado_'))
    expect(rows).toHaveLength(CACHE_METRICS.length)
    for (const spec of CACHE_METRICS) {
      const row = rows.find((line) => line.startsWith(`| \`${spec.prometheusName}\` |`))
      expect(row, spec.prometheusName).toBeDefined()
      expect(row).toContain(`| ${spec.kind === 'counter' ? 'counter' : 'gauge'} |`)
      expect(row).toContain(`\`${spec.otelName}\``)
      expect(row).toContain(`\`${spec.unit}\``)
    }
  })
})
