// Layer: adapters/browser. Imports src/async-run only.
// Runs a command over asynchronous I/O objects that live in the page (OPFS, fetch, a person
// typing): in a module Worker blocked on a SharedArrayBuffer while the page answers
// (`runInWorker`), or in the page itself with JSPI; `run` takes JSPI where the engine has it.

import { chooseRunner, hostGuest, runSuspending, type AsyncRunResult, type Runner, type WorkerRunOptions } from '../../src/async-run.js';

/** A compiled module, its bytes, or where to fetch them. */
export type ModuleSource = WebAssembly.Module | BufferSource | URL;

export interface BrowserWorkerOptions extends WorkerRunOptions {
  /**
   * The worker script (default: browser-worker.js beside this module, as the package ships it).
   * Browsers start module workers from the page's own origin only: a page that loads iotypes from
   * another origin (a CDN) serves a copy of dist/browser-worker.js and its chunks and names it here.
   */
  workerUrl?: URL | string;
}

export interface BrowserRunOptions extends BrowserWorkerOptions {
  /** Force a way to wait (default: JSPI where the engine has it, else a worker). */
  runner?: Runner;
}

/** Why runInWorker refuses in a page that is not cross-origin isolated. */
export const NEEDS_ISOLATION =
  'iotypes: runInWorker needs cross-origin isolation (SharedArrayBuffer and Atomics.wait): serve the page with ' +
  'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, ' +
  'or use JSPI (run() with runner "jspi", in Chromium 137 or newer)';

async function compile(source: ModuleSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof URL) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`iotypes: fetching ${source.href} answered ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(source);
}

/**
 * Runs the command in a module Worker: the guest blocks with Atomics.wait on a SharedArrayBuffer
 * while this page runs each operation of `options`' asynchronous objects. The page must be cross-
 * origin isolated (COOP/COEP headers); otherwise this rejects and says so. Resolves to the exit
 * code; rejects with a WebAssembly.RuntimeError when the guest traps.
 */
export async function runInWorker(module: ModuleSource, options: BrowserWorkerOptions = {}): Promise<AsyncRunResult> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (typeof SharedArrayBuffer !== 'function' || isolated === false) throw new Error(NEEDS_ISOLATION);
  const compiled = await compile(module);
  const worker = options.workerUrl !== undefined
    ? new Worker(options.workerUrl, { type: 'module' })
    : new Worker(new URL('./browser-worker.js', import.meta.url), { type: 'module' });
  return hostGuest(compiled, options, {
    postMessage: (message) => worker.postMessage(message),
    listen(onMessage, onError) {
      worker.onmessage = (e: MessageEvent) => onMessage(e.data);
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        onError(new Error(`iotypes: the worker failed: ${e.message || 'it could not be loaded'}`));
      };
      worker.onmessageerror = () => onError(new Error('iotypes: a message from the worker could not be read'));
    },
    terminate: () => worker.terminate(),
  });
}

/** Runs the command with JSPI in this page where the engine has it, else in a worker. */
export async function run(module: ModuleSource, options: BrowserRunOptions = {}): Promise<AsyncRunResult> {
  if (chooseRunner(options.runner) === 'worker') return runInWorker(module, options);
  return runSuspending(await compile(module), options);
}
