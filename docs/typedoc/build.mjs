// npm run docs: the API reference (HTML in docs/api/, not committed) from the TypeScript sources of
// every entry point package.json exports, so a new subpath export is documented without editing this.
// Fails (exit 1) on any TypeDoc warning, in particular an exported symbol without a doc comment.
import { Application, LogLevel } from 'typedoc'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/**
 * Each export's declarations, `./dist/src/keyv/index.d.ts` → its source `src/keyv/index.ts` (the code
 * itself is bundled into dist/bundle; the types stay where tsc wrote them, beside their sources' paths).
 */
const entryPoints = Object.values(pkg.exports).map((target) => join(root, target.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts')))

const app = await Application.bootstrapWithPlugins({
  name: `${pkg.name} ${pkg.version}`,
  entryPoints,
  tsconfig: join(root, 'tsconfig.json'),
  out: join(root, 'docs', 'api'),
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  sort: ['source-order'],
  // No "defined in" links: they need a git remote TypeDoc recognises, and a clone (CI's, a fork's, a
  // tarball's) may have none or another; the warning it gives then would fail the build.
  disableSources: true,
  // notExported is off: Cache.geometry, LoadingCache.warm and two options name types the entry points
  // do not export yet (Geometry, KeySource, MemjsClient, prom-client's Registry alias).
  validation: { notExported: false, invalidLink: true, notDocumented: true },
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  logLevel: LogLevel.Warn,
})

const project = await app.convert()
if (!project) process.exit(1)
app.validate(project)
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error(`cortado: the API reference has ${app.logger.errorCount + app.logger.warningCount} problem(s) (see above)`)
  process.exit(1)
}
await app.generateDocs(project, join(root, 'docs', 'api'))
if (app.logger.hasErrors()) process.exit(1)
console.log(`cortado: API reference of ${entryPoints.length} entry points in docs/api/index.html`)
