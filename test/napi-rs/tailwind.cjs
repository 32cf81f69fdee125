// Scans folders (argv[2...]) with @tailwindcss/oxide-wasm32-wasi for class candidates, and prints
// the candidates and the files it read as JSON.
const { Scanner } = require('@tailwindcss/oxide-wasm32-wasi')

const sources = process.argv.slice(2).map((base) => ({ base, pattern: '**/*', negated: false }))
const scanner = new Scanner({ sources })
const candidates = scanner.scan().sort()
process.stdout.write(JSON.stringify({ candidates, files: scanner.files.sort() }))
process.exit(0)
