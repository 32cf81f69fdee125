// Layer: abi. Imports src/io/pending and src/abi only.
// The suspending path (JavaScript Promise Integration): each import that may meet an
// asynchronous I/O object becomes a `WebAssembly.Suspending` function that runs the synchronous
// binding under a replay log and, when an operation is still pending, suspends the guest on its
// promise and runs the binding again (src/io/pending.ts says why that is safe). The guest's entry
// point is wrapped with `WebAssembly.promising`.

import { replayed } from '../io/pending.js';
import type { Arg, Binding, Preview1Name } from './preview1.js';

interface JspiApi {
  Suspending: new (fn: (...args: never[]) => unknown) => object;
  promising: (fn: unknown) => (...args: unknown[]) => Promise<unknown>;
}

/** Calls that never meet an I/O object stay plain imports (no suspension cost). */
const NEVER_WAITS: ReadonlySet<Preview1Name> = new Set<Preview1Name>([
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'random_get', 'proc_exit', 'proc_raise', 'sched_yield',
]);

/** Whether this engine has JSPI (`WebAssembly.Suspending` and `WebAssembly.promising`). */
export function hasJspi(): boolean {
  const wa = WebAssembly as unknown as Partial<JspiApi>;
  return typeof wa.Suspending === 'function' && typeof wa.promising === 'function';
}

function jspi(): JspiApi {
  if (!hasJspi()) {
    throw new Error(
      'iotypes: this engine has no JavaScript Promise Integration (WebAssembly.Suspending): ' +
        'use Node.js 24.22 or newer (Node.js 26 has it too), or Chromium 137 or newer, or run the module in a worker (iotypes/browser runInWorker)',
    );
  }
  return WebAssembly as unknown as JspiApi;
}

/**
 * How `WASI({ async: true })` makes its bindings: a call that may wait becomes a suspending
 * import (throws at once where the engine has no JSPI).
 */
export function suspendingBindings(): (name: Preview1Name, binding: Binding) => Binding {
  const { Suspending } = jspi();
  return (name, binding) => {
    if (NEVER_WAITS.has(name)) return binding;
    // A Suspending object is what the instantiation takes for this import; it is not callable
    // from JavaScript.
    return new Suspending((...args: Arg[]) => replayed(() => binding(...args))) as unknown as Binding;
  };
}

/** A guest export that may suspend, as a function returning a promise. */
export function promisingExport(fn: unknown): (...args: unknown[]) => Promise<unknown> {
  return jspi().promising(fn);
}
