// A small tour of the I/O types: a pipe with backpressure, a sparse anonymous array, and a
// stream drained into an array. Run: npm run example:io
import { anonymous, fromArray, fromStream, pipe } from 'iotypes';

const enc = new TextEncoder();
const dec = new TextDecoder();

const { input, output } = pipe(16);
const accepted = output.write(enc.encode('a pipe holds sixteen bytes at most'));
console.log(`pipe accepted ${accepted} of 34 bytes (backpressure)`);
output.close();
const drained = fromStream(input);
const buf = new Uint8Array(drained.len());
drained.readAt(buf, 0);
console.log(`drained into an array: ${JSON.stringify(dec.decode(buf))}`);

const sparse = anonymous();
sparse.writeAt(enc.encode('!'), 5 * 2 ** 30);
console.log(`sparse array: length ${sparse.len()} bytes, ${sparse.stats.pages} page(s) in memory`);

const s = fromArray(drained, 7);
const part = new Uint8Array(9);
console.log(`a stream over the array from offset 7 reads ${JSON.stringify(dec.decode(part.subarray(0, s.read(part))))}`);
