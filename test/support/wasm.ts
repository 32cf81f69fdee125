// Test support: a tiny WebAssembly binary encoder, so that tests build real guest modules in code.

// A module has function imports, one exported memory ("memory") and exported functions whose
// bodies are flat instruction lists: i32/i64 const, local.get, call, drop, memory.grow. Each body
// gets its final `end` from the encoder. Calls name their target: an import (by its field name)
// or an exported function (by its export name); an import wins when both have the name.

export type ValType = 'i32' | 'i64';

/** One instruction: its bytes, or a call resolved by name when the module is encoded. */
export type Instr = readonly number[] | { readonly call: string };

export interface FuncType {
  params: readonly ValType[];
  results: readonly ValType[];
}

export interface Import extends FuncType {
  module: string;
  name: string;
}

export interface Func extends FuncType {
  /** Export name; also the name `call` uses. */
  name: string;
  body: readonly Instr[];
}

export interface ModuleSpec {
  imports?: readonly Import[];
  /** Initial (and optional maximum) size in 64 KiB pages. Default 1 page, no maximum. */
  memory?: { min: number; max?: number };
  funcs?: readonly Func[];
}

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n; // arithmetic shift: the sign is kept
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** The instructions. Constants take unsigned or signed values (0xffffffff is i32 -1). */
export const op = {
  i32: (v: number): Instr => [0x41, ...sleb(BigInt(v | 0))],
  i64: (v: bigint | number): Instr => [0x42, ...sleb(BigInt.asIntN(64, BigInt(v)))],
  localGet: (index: number): Instr => [0x20, ...uleb(index)],
  call: (name: string): Instr => ({ call: name }),
  drop: [0x1a] as Instr,
  /** Pops a page count, grows memory 0, pushes the old size in pages (or -1). */
  memoryGrow: [0x40, 0x00] as Instr,
};

const utf8 = new TextEncoder();
function name(s: string): number[] {
  const bytes = utf8.encode(s);
  return [...uleb(bytes.length), ...bytes];
}
function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}
function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

/** Encodes `spec` as a WebAssembly binary module. */
export function encodeModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const imports = spec.imports ?? [];
  const funcs = spec.funcs ?? [];

  const types: string[] = [];
  const typeIndex = (t: FuncType) => {
    const key = `${t.params.join(',')}->${t.results.join(',')}`;
    if (!types.includes(key)) types.push(key);
    return types.indexOf(key);
  };
  const encodedTypes: number[][] = [];
  for (const t of [...imports, ...funcs]) {
    if (typeIndex(t) === encodedTypes.length) {
      encodedTypes.push([0x60, ...vec(t.params.map((p) => [VALTYPE[p]])), ...vec(t.results.map((r) => [VALTYPE[r]]))]);
    }
  }

  const funcIndex = new Map<string, number>();
  funcs.forEach((f, i) => funcIndex.set(f.name, imports.length + i));
  imports.forEach((im, i) => funcIndex.set(im.name, i)); // an import wins a name clash
  const encodeInstr = (ins: Instr): readonly number[] => {
    if (!('call' in ins)) return ins;
    const index = funcIndex.get(ins.call);
    if (index === undefined) throw new Error(`call to unknown function ${ins.call}`);
    return [0x10, ...uleb(index)];
  };

  const memory = spec.memory ?? { min: 1 };
  const limits = memory.max === undefined ? [0x00, ...uleb(memory.min)] : [0x01, ...uleb(memory.min), ...uleb(memory.max)];
  const bodies = funcs.map((f) => {
    const code = [0x00 /* no locals */, ...f.body.flatMap((ins) => [...encodeInstr(ins)]), 0x0b /* end */];
    return [...uleb(code.length), ...code];
  });

  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(encodedTypes)),
    ...section(2, vec(imports.map((im) => [...name(im.module), ...name(im.name), 0x00, ...uleb(typeIndex(im))]))),
    ...section(3, vec(funcs.map((f) => uleb(typeIndex(f))))),
    ...section(5, vec([limits])),
    ...section(7, vec([
      [...name('memory'), 0x02, 0x00],
      ...funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(imports.length + i)]),
    ])),
    ...section(10, vec(bodies)),
  ]);
}
