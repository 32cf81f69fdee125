// Instantiates a napi-rs package's wasm as its browser entry does (@napi-rs/wasm-runtime's
// instantiateNapiModuleSync over a shared memory, on this thread only), with the WASI class of
// @tybys/wasm-util (argv[2] = "original") or of iotypes/wasm-util (argv[2] = the path of the
// built dist/wasm-util.js), and prints what the package computed as JSON.
// Usage: node wasm-util.mjs original|PATH lzma|oxc [FILE]
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [which, pkg, file] = process.argv.slice(2)
const require = createRequire(import.meta.url)
const names = { lzma: ['@napi-rs/lzma-wasm32-wasi', 'lzma.wasm32-wasi.wasm'], oxc: ['@oxc-parser/binding-wasm32-wasi', 'parser.wasm32-wasi.wasm'] }
const [name, wasmFile] = names[pkg]
const dir = dirname(require.resolve(`${name}/package.json`))
const runtime = createRequire(join(dir, 'package.json'))('@napi-rs/wasm-runtime')
const { WASI } = which === 'original' ? runtime : await import(pathToFileURL(which).href)

const memory = new WebAssembly.Memory({ initial: 4000, maximum: 65536, shared: true })
const { napiModule } = runtime.instantiateNapiModuleSync(readFileSync(join(dir, wasmFile)), {
  context: runtime.getDefaultContext(),
  asyncWorkPoolSize: 0,
  wasi: new WASI({ version: 'preview1' }),
  overwriteImports(importObject) {
    importObject.env = { ...importObject.env, ...importObject.napi, ...importObject.emnapi, memory }
    return importObject
  },
  beforeInit({ instance }) {
    for (const n of Object.keys(instance.exports)) if (n.startsWith('__napi_register__')) instance.exports[n]()
  },
})
const exports = napiModule.exports
const sha = (b) => createHash('sha256').update(b).digest('hex')
let result
if (pkg === 'lzma') {
  const input = Buffer.from('napi-rs in a browser, on iotypes. '.repeat(3000))
  const packed = exports.xz.compressSync(input)
  result = { bytes: packed.length, sha256: sha(packed), roundTrip: Buffer.compare(exports.xz.decompressSync(packed), input) === 0 }
} else {
  const r = exports.parseSync(file, readFileSync(file, 'utf8'))
  const json = r.program
  result = { astSha256: sha(json), errors: r.errors.length, comments: r.comments.length }
}
process.stdout.write(JSON.stringify(result))
process.exit(0)
