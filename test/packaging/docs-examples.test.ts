/**
 * The opening example of docs/install.md and docs/keyv.md runs as written (an ES module importing the
 * package by name, resolved through package.json's exports to the built dist/) and prints what the
 * page says it prints.
 */
import { describe, it, expect } from 'vitest'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))

/** The first ```js block of a docs page. */
function firstExample(page: string): string {
  const text = readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8')
  const code = /```js\n([\s\S]*?)```/.exec(text)?.[1]
  if (!code) throw new Error(`docs/${page} has no js example`)
  return code
}

describe('docs examples', () => {
  it('docs/install.md: the quick start prints hello', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', firstExample('install.md')], { cwd: root, timeout: 30_000 })
    expect(stdout.trim()).toBe('hello')
  })

  it('docs/keyv.md: Keyv over KeyvCortado stores and reads back the user', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', firstExample('keyv.md')], { cwd: root, timeout: 30_000 })
    expect(stdout.trim()).toBe("{ name: 'Ada' }")
  })
})
