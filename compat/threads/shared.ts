// Layer: compat. Imports compat/node-wasi only.
// What the main thread and each worker of a threaded run share: the serialisable description
// of the WASI set-up, from which every thread builds its own WASI instance (its own fd table,
// as node:wasi does for napi-rs threads), and the imports a thread instantiates with.

import { WASI, type WASIExtensions, type WASIOptions } from '../node-wasi.js';

/** Everything a thread needs to build its WASI: plain data, sent to workers as workerData. */
export interface ThreadSetup {
  options: WASIOptions;
  extensions: { trace?: boolean; readOnly?: boolean };
  /** Where the module imports its shared memory from. */
  memoryImport: { module: string; name: string };
}

export function threadWasi(setup: ThreadSetup): WASI {
  const extensions: WASIExtensions = { trace: setup.extensions.trace, readOnly: setup.extensions.readOnly };
  return new WASI(setup.options, extensions);
}

/** The import object: WASI, `wasi.thread-spawn`, and the shared memory where the module wants it. */
export function threadImports(
  setup: ThreadSetup, wasi: WASI, threads: { getImportObject(): { wasi: object } }, memory: WebAssembly.Memory,
): WebAssembly.Imports {
  const imports: Record<string, object> = { ...wasi.getImportObject(), ...threads.getImportObject() };
  const { module, name } = setup.memoryImport;
  imports[module] = { ...imports[module], [name]: memory };
  return imports as WebAssembly.Imports;
}
