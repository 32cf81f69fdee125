// Layer: abi. Imports src/abi only.
// What a host needs to know about a command module that the JS API does not say: whether it has
// a start section (run during instantiation, before WASI can serve it), and the type of its
// `_start` export. Reads only the type, import, function, export and start sections of a module
// that has already compiled.

import { BinaryReader } from './binary.js';

export interface CommandShape {
  /** The module has a start section (a function run during instantiation). */
  startSection: boolean;
  /** The number of parameters and results of the `_start` export; undefined when unknown. */
  startType: { params: number; results: number } | undefined;
}

/** Reads the shape of a compiled module. */
export function commandShape(bytes: Uint8Array): CommandShape {
  const r = new BinaryReader(bytes);
  r.pos = 8;
  // Per type index: [params, results], or undefined for a type that is not a plain function type
  // (GC rec groups renumber types; the signature check then gives up rather than guess).
  let types: ([number, number] | undefined)[] | undefined = [];
  const funcTypes: number[] = []; // type index per function index, imports first
  let startSection = false;
  let startIndex: number | undefined;
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.u32(); n > 0 && types; n--) {
        if (r.byte() !== 0x60) {
          types = undefined;
          break;
        }
        const params = r.u32();
        for (let i = 0; i < params; i++) r.valtype();
        const results = r.u32();
        for (let i = 0; i < results; i++) r.valtype();
        types.push([params, results]);
      }
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        r.name();
        r.name();
        // A host refuses every import but WASI functions before this (wasiImportProblem);
        // anything else leaves the function numbering unknown.
        if (r.byte() !== 0x00) {
          types = undefined;
          break;
        }
        funcTypes.push(r.u32());
      }
    } else if (id === 3) {
      for (let n = r.u32(); n > 0; n--) funcTypes.push(r.u32());
    } else if (id === 7) {
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name();
        const kind = r.byte();
        const index = r.u32();
        if (name === '_start' && kind === 0x00) startIndex = index;
      }
    } else if (id === 8) {
      startSection = true;
    }
    r.pos = end;
  }
  const type = startIndex === undefined ? undefined : types?.[funcTypes[startIndex] ?? -1];
  return { startSection, startType: type && { params: type[0], results: type[1] } };
}
