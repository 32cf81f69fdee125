// Layer: abi. Imports src/abi only.
// Checks what a module binary imports from the WASI modules against the Preview 1 signatures,
// before it is instantiated. A host function accepts any signature, so a module that imports
// fd_write with the wrong types would otherwise link and then misbehave; wasmtime refuses such a
// module at link time, and so does this check. Reads only the type and import sections.

import { BinaryReader } from './binary.js';
import { SIGNATURES, WASM_PARAMS, wasmResults, type Preview1Name } from './signatures.js';

const WASI_MODULES = new Set(['wasi_snapshot_preview1', 'wasi_unstable']);
const VALTYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

const show = (params: readonly string[], results: readonly string[]) => `(${params.join(', ')}) -> (${results.join(', ')})`;

/**
 * The first problem with the module's WASI imports, as one line, or undefined when every WASI
 * import is a known function with its Preview 1 signature. Imports from other modules are not
 * judged here. The module must already be valid (compile it first).
 */
export function wasiImportProblem(bytes: Uint8Array): string | undefined {
  const r = new BinaryReader(bytes);
  r.pos = 8;
  const types: { params: string[]; results: string[] }[] = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        if (r.byte() !== 0x60) return undefined; // not a plain function type: beyond this check
        const params = Array.from({ length: r.u32() }, () => VALTYPES[r.byte()] ?? '?');
        const results = Array.from({ length: r.u32() }, () => VALTYPES[r.byte()] ?? '?');
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const module = r.name();
        const name = r.name();
        const kind = r.byte();
        let typeIndex = -1;
        if (kind === 0) typeIndex = r.u32();
        else if (kind === 1) (r.byte(), r.limits());
        else if (kind === 2) r.limits();
        else if (kind === 3) (r.byte(), r.byte());
        else if (kind === 4) (r.byte(), r.u32());
        else return undefined;
        if (!WASI_MODULES.has(module)) continue;
        const where = `${module}.${name}`;
        if (kind !== 0 || !Object.hasOwn(SIGNATURES, name)) return `imports ${where}, which is not a WASI Preview 1 function`;
        const want = { params: WASM_PARAMS[name as Preview1Name], results: wasmResults(name as Preview1Name) };
        const got = types[typeIndex];
        if (!got || show(got.params, got.results) !== show(want.params, want.results)) {
          return `imports ${where} as ${got ? show(got.params, got.results) : '?'}, but its signature is ${show(want.params, want.results)}`;
        }
      }
      return undefined; // the import section is the last one that matters
    }
    r.pos = end;
  }
  return undefined;
}
