// The WASI class over a shared WebAssembly.Memory (a SharedArrayBuffer underneath), as napi-rs
// packages and wasi-threads programs run: every c-fixture, rewritten to import a shared memory
// instead of defining its own, must meet its spec on the in-memory backend exactly as it does
// over ordinary memory. Strings (paths, args, env), iovecs, structs, random bytes and growth
// all go through views of shared memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anonymous, fromArray, toArray, WASI, type AnonymousArray, type Directory } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import initWabt from 'wabt';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyIntoMemory, FIXTURES, fixtureNames, readSpec, TRAP_EXIT_CODE, type Outcome, type Spec } from './support/fixtures.js';

type Wabt = Awaited<ReturnType<typeof initWabt>>;
let wabt: Wabt;

/** The binary without its custom sections (names, producers, target features): wabt needs none. */
function withoutCustomSections(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p]!;
    let size = 0;
    let q = p + 1;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[q++]!;
      size |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    if (id !== 0) kept.push(bytes.subarray(p, q + size));
    p = q + size;
  }
  // A fresh buffer: wabt reads the whole ArrayBuffer under a view, whatever its offset.
  return new Uint8Array(Buffer.concat(kept));
}

/** The fixture with its memory definition replaced by an import of a shared memory. */
function sharedVariant(name: string): { module: WebAssembly.Module; initial: number } {
  const parsed = wabt.readWasm(withoutCustomSections(readFileSync(join(FIXTURES, `${name}.wasm`))), { readDebugNames: false });
  const text = parsed.toText({ foldExprs: false, inlineExport: false });
  parsed.destroy();
  const lines = text.split('\n');
  const def = lines.findIndex((l) => /^\s*\(memory \(;0;\) \d+\)$/.test(l));
  if (def < 0) throw new Error(`${name}: no plain memory definition to rewrite`);
  const initial = Number(/(\d+)\)$/.exec(lines[def]!)![1]);
  lines.splice(def, 1);
  let lastImport = -1;
  lines.forEach((l, i) => {
    if (/^\s*\(import /.test(l)) lastImport = i;
  });
  lines.splice(lastImport + 1, 0, `  (import "env" "memory" (memory (;0;) ${initial} ${MAX_PAGES} shared))`);
  const out = wabt.parseWat(`${name}.wat`, lines.join('\n'), { threads: true });
  try {
    return { module: new WebAssembly.Module(new Uint8Array(out.toBinary({}).buffer)), initial };
  } finally {
    out.destroy();
  }
}

const MAX_PAGES = 16384;

const decoder = new TextDecoder();
const text = (a: AnonymousArray) => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return decoder.decode(buf);
};

function runShared(name: string, spec: Spec): Outcome & { shared: boolean } {
  const { module, initial } = sharedVariant(name);
  const memory = new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true });
  const fs = new MemoryFS();
  const preopens: Record<string, Directory> = {};
  for (const dir of spec.dirs ?? []) {
    copyIntoMemory(fs, join(FIXTURES, dir), dir);
    preopens[dir] = fs.root.openDir(dir);
  }
  const stdin = anonymous();
  stdin.writeAt(new TextEncoder().encode(spec.stdin ?? ''), 0);
  const out = anonymous();
  const err = anonymous();
  const wasi = new WASI({
    args: [`${name}.wasm`, ...(spec.args ?? [])],
    env: spec.env ?? {},
    preopens,
    stdin: fromArray(stdin, 0),
    stdout: toArray(out),
    stderr: toArray(err),
  });
  const instance = new WebAssembly.Instance(module, { ...wasi.getImportObject(), env: { memory } });
  let exitCode: number;
  let trap: string | undefined;
  try {
    exitCode = wasi.start(instance);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = TRAP_EXIT_CODE;
    trap = e.message;
  }
  return {
    exitCode, stdout: text(out), stderr: text(err), ...(trap === undefined ? {} : { trap }),
    shared: memory.buffer instanceof SharedArrayBuffer && instance.exports['memory'] === memory,
  };
}

beforeAll(async () => {
  wabt = await initWabt();
});

describe('c-fixtures over a shared memory (in-memory backend)', () => {
  const names = fixtureNames();
  it('has at least 50 fixtures', () => expect(names.length).toBeGreaterThanOrEqual(50));
  for (const name of names) {
    it(name, () => {
      const spec = readSpec(name);
      const got = runShared(name, spec);
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.shared).toBe(true);
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
    });
  }
});
