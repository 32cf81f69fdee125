// Layer: cli/harness (child process entry, built as dist/harness-child.js). Imports node:*,
// ./job.js and the runners only.
// Runs ONE test in its own process: `node harness-child.js '<job as JSON>'`. The guest's stdio is
// this process's fds 0, 1, 2. The outcome goes to job.resultFile as JSON; the harness treats a
// missing result file (a signal, an abort, a hang it had to kill) as a crash or a timeout, and a
// missing job.startedFile as a child that did not start (and runs it again). Nothing here
// touches process.stdout or process.stderr, so the descriptors stay as the harness made them.

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Job, Outcome } from './job.js';
import { context, writeAll, type Runner } from './runners/common.js';
import { run as iotypes } from './runners/iotypes.js';
import { run as node } from './runners/node.js';
import { run as wasmer } from './runners/wasmer.js';
import { run as browserWasiShim } from './runners/browser-wasi-shim.js';
import { run as wasmUtil } from './runners/wasm-util.js';

const RUNNERS: Readonly<Record<string, Runner>> = {
  iotypes,
  node,
  wasmer,
  'browser-wasi-shim': browserWasiShim,
  'wasm-util': wasmUtil,
};

/** One line naming an exception. */
function describe(e: unknown): string {
  if (e instanceof Error) return (e.name === 'Error' ? e.message : `${e.name}: ${e.message}`).split('\n')[0]!;
  return `thrown ${typeof e}: ${String(e)}`.split('\n')[0]!;
}

/** A wasm trap, as the engine reports it (a stack overflow in wasm is a RangeError in V8). */
function isTrap(e: unknown): e is Error {
  return e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /call stack/i.test(e.message));
}

async function runner(job: Job): Promise<Runner> {
  if (job.runtime !== 'module') {
    const r = RUNNERS[job.runtime];
    if (r === undefined) throw new Error(`unknown runtime ${job.runtime}`);
    return r;
  }
  const mod = (await import(pathToFileURL(job.runner ?? '').href)) as { run?: unknown; default?: unknown };
  const r = mod.run ?? mod.default;
  if (typeof r !== 'function') throw new Error(`${job.runner} exports no run function`);
  return r as Runner;
}

const job = JSON.parse(process.argv[2] ?? '') as Job;
// Every module has loaded: say so, so that the harness can tell a runtime that ended the process
// from a child that never ran (a dist/ being rebuilt while the harness runs, say).
writeFileSync(job.startedFile, '');
let finishing = false;

/** Writes the outcome and exits; if that fails, says why on stderr and exits 70 (EX_SOFTWARE). */
function finish(outcome: Outcome): never {
  if (finishing) process.exit(70);
  finishing = true;
  try {
    writeFileSync(job.resultFile, JSON.stringify(outcome));
  } catch (e) {
    writeAll(2, new TextEncoder().encode(`\niotypes test: cannot write the result (${JSON.stringify(outcome)}): ${describe(e)}\n`));
    process.exit(70);
  }
  process.exit(0);
}

process.on('uncaughtException', (e) => finish({ crash: `uncaught ${describe(e)}` }));
process.on('unhandledRejection', (e) => finish({ crash: `unhandled rejection ${describe(e)}` }));

let outcome: Outcome;
try {
  const run = await runner(job);
  const module = new WebAssembly.Module(readFileSync(job.wasm));
  const result = await run(context(job, module));
  if (typeof result === 'object' && result !== null && 'trap' in result) outcome = { trap: String(result.trap) };
  else if (typeof result === 'object' && result !== null && Number.isInteger(result.exitCode)) outcome = { exitCode: result.exitCode };
  else outcome = { crash: `the runner returned ${JSON.stringify(result)}, not { exitCode } or { trap }` };
} catch (e) {
  outcome = isTrap(e) ? { trap: e.message } : { crash: describe(e) };
}
finish(outcome);
