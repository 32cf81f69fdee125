// Compresses and decompresses with @napi-rs/lzma-wasm32-wasi, through its synchronous API (main
// thread) and its asynchronous one (worker threads), and prints what came out as JSON.
const { createHash } = require('node:crypto')
const { xz, lzma, lzma2 } = require('@napi-rs/lzma-wasm32-wasi')

const sha = (b) => createHash('sha256').update(b).digest('hex')
// Deterministic pseudo-random bytes (a xorshift), so both runs compress the same input.
function noise(n) {
  const out = Buffer.alloc(n)
  let x = 0x9e3779b9
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
const inputs = {
  empty: Buffer.alloc(0),
  text: Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(2000)),
  noise: noise(300_000),
}

async function main() {
  const results = {}
  for (const [codecName, codec] of Object.entries({ xz, lzma, lzma2 })) {
    for (const [inputName, input] of Object.entries(inputs)) {
      const packed = codec.compressSync(input)
      const unpacked = codec.decompressSync(packed)
      const packedAsync = await codec.compress(input)
      const unpackedAsync = await codec.decompress(packedAsync)
      results[`${codecName}/${inputName}`] = {
        compressed: { bytes: packed.length, sha256: sha(packed) },
        roundTrip: Buffer.compare(unpacked, input) === 0,
        asyncCompressed: { bytes: packedAsync.length, sha256: sha(packedAsync) },
        asyncRoundTrip: Buffer.compare(unpackedAsync, input) === 0,
      }
    }
  }
  // Several requests at once keep more than one worker busy.
  const many = await Promise.all([1, 2, 3, 4, 5, 6].map((k) => xz.compress(noise(50_000 * k)).then((p) => xz.decompress(p))))
  results.concurrent = many.map((b, i) => Buffer.compare(b, noise(50_000 * (i + 1))) === 0)
  process.stdout.write(JSON.stringify(results))
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
