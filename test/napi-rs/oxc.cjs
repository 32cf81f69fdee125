// Parses a real source file (argv[2]) with @oxc-parser/binding-wasm32-wasi, synchronously and
// through its asynchronous API (a worker thread), and prints a digest of the ASTs as JSON.
const { createHash } = require('node:crypto')
const { readFileSync } = require('node:fs')
const { parse, parseSync } = require('@oxc-parser/binding-wasm32-wasi')

const file = process.argv[2]
const source = readFileSync(file, 'utf8')
const sha = (s) => createHash('sha256').update(s).digest('hex')
function digest(r) {
  // Read once: the binding hands the program's JSON over a single time.
  const json = r.program
  const parsed = JSON.parse(json)
  const program = parsed.node ?? parsed
  return {
    astSha256: sha(json),
    statements: program.body.length,
    types: [...new Set(program.body.map((n) => n.type))].sort(),
    comments: r.comments.length,
    errors: r.errors.length,
    staticImports: r.module.staticImports.map((i) => i.moduleRequest.value),
  }
}
async function main() {
  const sync = digest(parseSync(file, source))
  const async = digest(await parse(file, source))
  process.stdout.write(JSON.stringify({ sync, async }))
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
