/**
 * Each docs page opens with a runnable example: this test runs that first ```js block as a user would
 * paste it into a file of their project (an ES module importing 'cortado', here the built package
 * itself through its own name), and it must finish cleanly (exit 0) within the timeout. README's API screen is run the same way.
 */
import { describe, it, expect } from 'vitest'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The pages whose opening example is a self-contained program (worker-pools.md's is examples/piscina-pool). */
const PAGES = ['api.md', 'design.md', 'policy.md', 'loading.md', 'bloom-filters.md', 'metrics.md', 'tiers.md', 'engines.md', 'limits.md', 'front.md']

function firstJsBlock(text: string): { code: string; beforeFirstSection: boolean } {
  const m = /^```js\n([\s\S]*?)^```$/m.exec(text)
  if (!m) throw new Error('no ```js block')
  const section = text.search(/^## /m)
  return { code: m[1]!, beforeFirstSection: section === -1 || m.index < section }
}

async function runModule(code: string): Promise<string> {
  // --input-type=module evaluates from the project's root, so 'cortado' resolves to this package.
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, timeout: 60_000 })
  return stdout
}

describe.concurrent('docs: every page opens with a runnable example', () => {
  for (const page of PAGES) {
    it(page, async () => {
      const { code, beforeFirstSection } = firstJsBlock(readFileSync(`${ROOT}docs/${page}`, 'utf8'))
      expect(beforeFirstSection, `docs/${page} must open with its example, before its first section`).toBe(true)
      await runModule(code)
    }, 90_000)
  }

  it('README: the core API in one screen', async () => {
    const { code } = firstJsBlock(readFileSync(`${ROOT}README.md`, 'utf8'))
    expect(code).toMatch(/from 'cortado'/)
    await runModule(code)
  }, 90_000)
})
