// Generates the layout constants for every engine from src/layout/spec.json (the one source of truth).
// Run by the build (assembly/build.mjs); the outputs are build products and are not committed.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHash } from 'node:crypto'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const specText = readFileSync(join(root, 'src/layout/spec.json'), 'utf8')
const spec = JSON.parse(specText)
const SIZES = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, f64: 8 }

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()

/** Assigns offsets in declaration order with natural alignment and checks the declared size. */
export function computeStructs(structs) {
  const out = {}
  for (const [structName, def] of Object.entries(structs)) {
    let offset = 0
    const fields = {}
    for (const [field, type] of def.fields) {
      const size = SIZES[type]
      if (!size) throw new Error(`${structName}.${field}: unknown type ${type}`)
      offset = Math.ceil(offset / size) * size
      fields[field] = { offset, type }
      offset += size
    }
    if (offset > def.size) throw new Error(`${structName}: fields take ${offset} bytes, more than its size ${def.size}`)
    out[structName] = { size: def.size, end: offset, fields }
  }
  return out
}

const structs = computeStructs(spec.structs)
// The three queue blocks inside SHARD must have QUEUE's shape, QUEUE.size apart.
for (let q = 0; q < spec.constants.NUM_QUEUES; q++) {
  const base = structs.SHARD.fields[`q${q}Head`].offset
  if (base !== structs.SHARD.fields.q0Head.offset + q * structs.QUEUE.size) throw new Error(`queue ${q} block misplaced`)
  for (const [field, { offset }] of Object.entries(structs.QUEUE.fields)) {
    const name = `q${q}${field[0].toUpperCase()}${field.slice(1)}`
    if (structs.SHARD.fields[name].offset !== base + offset) throw new Error(`SHARD.${name} is not at its QUEUE offset`)
  }
}

if (structs.POLICY && structs.POLICY.size > structs.SHARD.size - structs.SHARD.fields.policyState.offset)
  throw new Error('POLICY does not fit in the policy state area of SHARD')

const constants = { ...spec.constants, LAYOUT_VERSION: spec.layoutVersion }
function define(name, value) {
  if (name in constants) throw new Error(`layout constant ${name} is defined twice`)
  constants[name] = value
}
for (const [structName, s] of Object.entries(structs)) {
  define(`${structName}_SIZE`, s.size)
  for (const [field, { offset }] of Object.entries(s.fields)) define(`${structName}_${snake(field)}`, offset)
}
define('QUEUES_OFFSET', structs.SHARD.fields.q0Head.offset)
define('POLICY_STATE_OFFSET', structs.SHARD.fields.policyState.offset)
define('POLICY_STATE_BYTES', structs.SHARD.size - structs.SHARD.fields.policyState.offset)
if (structs.ENTRY.size !== spec.constants.ENTRY_HEADER_BYTES) throw new Error('ENTRY.size must equal ENTRY_HEADER_BYTES')
// A digest of the spec: two builds agree on the layout exactly when their digests agree.
define('LAYOUT_DIGEST', parseInt(createHash('sha256').update(specText).digest('hex').slice(0, 8), 16) >>> 0)

const header = '// GENERATED from src/layout/spec.json by src/layout/generate.mjs. Do not edit.\n'
const entries = Object.entries(constants)

function write(path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), header + text)
}

write('src/layout/constants.generated.ts', entries.map(([k, v]) => `export const ${k} = ${v}\n`).join(''))
write('assembly/layout.generated.ts', entries.map(([k, v]) => `export const ${k}: u32 = ${v}\n`).join(''))
write('native/src/layout_generated.rs', '#![allow(dead_code)]\n' + entries.map(([k, v]) => `pub const ${k}: u32 = ${v};\n`).join(''))

// The adaptive policy's constants (src/layout/policy.json): one source for the model and both engines.
const policy = JSON.parse(readFileSync(join(root, 'src/layout/policy.json'), 'utf8')).constants
const policyHeader = '// GENERATED from src/layout/policy.json by src/layout/generate.mjs. Do not edit.\n'
const policyEntries = Object.entries(policy)
for (const [name, c] of policyEntries) {
  if (c.type !== 'f64' && c.type !== 'u32') throw new Error(`policy constant ${name}: type must be f64 or u32`)
  if (typeof c.value !== 'number' || !Number.isFinite(c.value) || (c.type === 'u32' && !Number.isInteger(c.value))) throw new Error(`policy constant ${name}: bad value`)
}
if (policy.MISS_FILTER_SHARE !== undefined && policy.MISS_FILTER_SHARE.value === 1) throw new Error('policy constant MISS_FILTER_SHARE: 0 (no filter) or at least 2')
// The engines pick RETURN_TEST's sample by masking a hash with RETURN_SAMPLE − 1.
if (policy.RETURN_SAMPLE !== undefined && (policy.RETURN_SAMPLE.value & (policy.RETURN_SAMPLE.value - 1)) !== 0) throw new Error('policy constant RETURN_SAMPLE: 0 (no test) or a power of two')
// YOUNG_TEST's tracer slots (stop 52): a power of two, two kinds of 8-byte slots at POLICY.youngSlots.
if (policy.YOUNG_TEST !== undefined) {
  const k = policy.YOUNG_TEST.value
  if ((k & (k - 1)) !== 0) throw new Error('policy constant YOUNG_TEST: 0 (off) or a power of two')
  if (structs.POLICY.fields.youngSlots.offset + k * 16 > structs.POLICY.size) throw new Error('policy constant YOUNG_TEST: its slots do not fit in POLICY')
}
// DRY_RUN (stop 57): the run is held at DRY_RUN_CAP, so a cap under DRY_RUN would never let it fire.
if (policy.DRY_RUN !== undefined && policy.DRY_RUN.value > 0 && !(policy.DRY_RUN_CAP?.value >= policy.DRY_RUN.value)) throw new Error('policy constant DRY_RUN_CAP: at least DRY_RUN')
const doc = (prefix, c) => `${prefix} ${c.doc}\n`
const rustValue = (c) => (c.type === 'f64' && Number.isInteger(c.value) ? `${c.value}.0` : String(c.value))
function writePolicy(path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), policyHeader + text)
}
writePolicy('assembly/policy/tuning.generated.ts', policyEntries.map(([k, c]) => `${doc('///', c)}export const ${k}: ${c.type} = ${c.value}\n`).join(''))
writePolicy('native/src/policy/tuning_generated.rs', '#![allow(dead_code)]\n' + policyEntries.map(([k, c]) => `${doc('///', c)}pub const ${k}: ${c.type} = ${rustValue(c)};\n`).join(''))
writePolicy('src/layout/policy.generated.ts', policyEntries.map(([k, c]) => `/** ${c.doc} */\nexport const ${k}: number = ${c.value}\n`).join(''))
writePolicy(
  'bench/sim/model/tuning.generated.ts',
  `export const ENGINE_TUNING = {\n${policyEntries.map(([, c]) => `  /** ${c.doc} */\n  ${c.model}: ${c.value},\n`).join('')}}\n`,
)

if (process.argv.includes('--print')) console.log(JSON.stringify({ constants, structs }, null, 1))
