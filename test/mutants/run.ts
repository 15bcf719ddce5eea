/**
 * `npm run test:mutants`: applies each planted bug of mutants.ts, alone, to a copy of the project,
 * rebuilds what the change touches (the WebAssembly core for assembly/, the compiled JS that worker
 * fixtures load for src/), runs the tests that should catch it, and prints `N of M mutants killed`
 * with the survivors named. Exit code 1 when any survives or no longer applies.
 *
 *   npm run test:mutants                      both modes: native addon built, then CORTADO_NATIVE_ADDON=off
 *   npm run test:mutants -- --native off      one mode only (on | off)
 *   npm run test:mutants -- --only id,id      some mutants
 *   npm run test:mutants -- --report          also write test/mutants/REPORT.md
 *
 * The copy lives in a temporary folder with node_modules linked in: the working tree is never
 * touched, so an interrupted run leaves nothing mutated behind.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MUTANTS, applyMutant, type Mutant } from './mutants.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** One mutant's test run; a run that hangs counts as killed only if it fails, so it is bounded. */
const TEST_TIMEOUT_MS = 10 * 60_000

type Mode = 'on' | 'off'
type Build = 'wasm' | 'ts' | 'native'

interface Outcome { mutant: Mutant; mode: Mode; verdict: 'killed' | 'survived' | 'not applicable' | 'does not build'; detail: string }

function parseArgs(argv: string[]): { modes: Mode[]; only: Set<string> | undefined; report: boolean } {
  let modes: Mode[] = ['on', 'off']
  let only: Set<string> | undefined
  let report = false
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--native') {
      const v = argv[++i]
      if (v !== 'on' && v !== 'off') throw new Error('--native takes on or off')
      modes = [v]
    } else if (a === '--only') {
      only = new Set((argv[++i] ?? '').split(',').filter(Boolean))
      const unknown = [...only].filter((id) => !MUTANTS.some((m) => m.id === id))
      if (unknown.length > 0) throw new Error(`unknown mutant(s): ${unknown.join(', ')}`)
    } else if (a === '--report') report = true
    else throw new Error(`unknown argument ${a}`)
  }
  return { modes, only, report }
}

/** The builds a change to `file` makes stale. */
function buildsFor(file: string): Build[] {
  if (file.startsWith('assembly/')) return ['wasm']
  if (file.startsWith('native/')) return ['native']
  if (file === 'src/layout/spec.json') return ['wasm', 'ts', 'native']
  if (file.startsWith('src/')) return ['ts']
  return []
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 })
}

class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'cortado-mutants-'))
  /** Builds whose output differs from the pristine sources (a mutant was built into them). */
  readonly #stale = new Set<Build>()

  constructor(readonly nativeOn: boolean) {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0').filter((f) => f !== '' && f !== 'node_modules')
    for (const f of files) {
      mkdirSync(dirname(join(this.dir, f)), { recursive: true })
      cpSync(join(ROOT, f), join(this.dir, f))
    }
    symlinkSync(join(ROOT, 'node_modules'), join(this.dir, 'node_modules'))
    this.build(this.nativeOn ? ['wasm', 'ts', 'native'] : ['wasm', 'ts'])
  }

  build(kinds: Iterable<Build>): void {
    for (const kind of kinds) {
      if (kind === 'wasm') run(process.execPath, ['assembly/build.mjs'], this.dir)
      else if (kind === 'ts') run(join(this.dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], this.dir)
      else if (this.nativeOn) {
        // One cargo target folder for every run: a mutant rebuild then compiles the crate, not its world.
        run(process.execPath, ['native/build.mjs'], this.dir, { ...process.env, CARGO_TARGET_DIR: join(tmpdir(), 'cortado-mutants-cargo') })
      }
    }
  }

  /** Runs vitest on `tests`; true when every test passed. */
  test(tests: string[]): { passed: boolean; summary: string; failures: string[] } {
    const env = { ...process.env, ...(this.nativeOn ? {} : { CORTADO_NATIVE_ADDON: 'off' }) }
    const r = spawnSync(process.execPath, [join(this.dir, 'node_modules/vitest/vitest.mjs'), 'run', ...tests],
      { cwd: this.dir, env, encoding: 'utf8', timeout: TEST_TIMEOUT_MS, maxBuffer: 256 << 20 })
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '')
    const summary = (out.match(/^\s*Tests\s+.*$/m)?.[0] ?? (r.error ? String(r.error) : `exit ${r.status}`)).trim()
    const failures = out.split('\n').filter((l) => /^\s*(FAIL|×)\s/.test(l) || /Error:/.test(l)).slice(0, 20)
    return { passed: r.status === 0, summary, failures }
  }

  /** Applies the mutant, rebuilds, runs its tests, restores the file. */
  try(m: Mutant): Omit<Outcome, 'mode'> {
    const path = join(this.dir, m.file)
    const original = readFileSync(path, 'utf8')
    const applied = applyMutant(m, original)
    if ('reason' in applied) return { mutant: m, verdict: 'not applicable', detail: applied.reason }
    writeFileSync(path, applied.text)
    try {
      // Marked stale first: a build that fails halfway may still have written mutated output.
      const builds = buildsFor(m.file)
      for (const b of builds) this.#stale.add(b)
      this.build([...this.#stale])
      this.#stale.clear()
      for (const b of builds) this.#stale.add(b)
      const { passed, summary } = this.test(m.tests)
      return { mutant: m, verdict: passed ? 'survived' : 'killed', detail: summary }
    } catch (err) {
      // A mutant the compiler refuses tells nothing about the tests: the list must be fixed.
      const message = String((err as { stderr?: Buffer; stdout?: Buffer }).stderr || (err as { stdout?: Buffer }).stdout || err)
      return { mutant: m, verdict: 'does not build', detail: message.split('\n').find((l) => l.trim() !== '') ?? 'build failed' }
    } finally {
      writeFileSync(path, original)
    }
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

function nativeAvailable(): boolean {
  return spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0
}

function renderReport(outcomes: Outcome[], modes: Mode[], minutes: number): string {
  const lines = [
    '# Mutation testing: latest result',
    '',
    `Made by \`npm run test:mutants -- --report\` on ${new Date().toISOString().slice(0, 10)}. Each mutant is applied alone`,
    'to a copy of the project; "killed" means at least one of its tests failed. Modes: native addon',
    `${modes.map((m) => (m === 'on' ? 'built' : 'off (CORTADO_NATIVE_ADDON=off)')).join(', then ')}. The run took ${minutes} min.`,
    '',
    '| mutant | area | the bug | killed by | ' + modes.map((m) => `native ${m}`).join(' | ') + ' |',
    '|---|---|---|---|' + modes.map(() => '---|').join(''),
  ]
  for (const m of MUTANTS) {
    const mine = outcomes.filter((o) => o.mutant === m)
    if (mine.length === 0) continue
    const cells = modes.map((mode) => {
      const o = mine.find((x) => x.mode === mode)
      return o === undefined ? '' : `${o.verdict}${o.verdict === 'killed' ? '' : ` (${o.detail})`}`
    })
    lines.push(`| \`${m.id}\` | ${m.area} | ${m.why} | ${m.tests.map((t) => `\`${t}\``).join(', ')} | ${cells.join(' | ')} |`)
  }
  for (const mode of modes) {
    const mine = outcomes.filter((o) => o.mode === mode)
    lines.push('', `Native ${mode}: ${mine.filter((o) => o.verdict === 'killed').length} of ${mine.length} mutants killed.`)
  }
  return lines.join('\n') + '\n'
}

function main(): number {
  const started = Date.now()
  const { modes: wanted, only, report } = parseArgs(process.argv.slice(2))
  const modes = wanted.filter((m) => m === 'off' || nativeAvailable())
  for (const m of wanted) if (!modes.includes(m)) console.log(`native ${m}: skipped (no cargo to build the addon)`)
  const chosen = MUTANTS.filter((m) => only === undefined || only.has(m.id))
  const outcomes: Outcome[] = []
  for (const mode of modes) {
    console.log(`\n== native addon ${mode === 'on' ? 'built' : 'off'}: preparing a copy of the project ==`)
    const ws = new Workspace(mode === 'on')
    try {
      // The tests must pass on the unmutated copy, or a "kill" would mean nothing.
      const baseline = ws.test([...new Set(chosen.flatMap((m) => m.tests))])
      if (!baseline.passed) {
        console.log(`the unmutated copy fails its tests (${baseline.summary}): fix that first`)
        for (const line of baseline.failures) console.log(`  ${line.trim()}`)
        return 1
      }
      for (const m of chosen) {
        const o = { ...ws.try(m), mode }
        outcomes.push(o)
        console.log(`${o.verdict.padEnd(14)} ${m.id.padEnd(34)} ${o.detail}`)
      }
    } finally {
      ws.close()
    }
  }
  let failed = false
  for (const mode of modes) {
    const mine = outcomes.filter((o) => o.mode === mode)
    const killed = mine.filter((o) => o.verdict === 'killed').length
    console.log(`\nnative ${mode}: ${killed} of ${mine.length} mutants killed`)
    const rest = mine.filter((o) => o.verdict !== 'killed')
    for (const o of rest) console.log(`  ${o.verdict}: ${o.mutant.id} (${o.mutant.file}): ${o.mutant.why}`)
    if (rest.length > 0) failed = true
  }
  if (report) writeFileSync(join(ROOT, 'test/mutants/REPORT.md'), renderReport(outcomes, modes, Math.round((Date.now() - started) / 60_000)))
  return failed ? 1 : 0
}

process.exitCode = main()
