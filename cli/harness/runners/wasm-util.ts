// Layer: cli/harness/runners (child process side). Imports node:fs, @tybys/wasm-util (an optional
// peer) and ./common.js only.
// @tybys/wasm-util: a JavaScript WASI over a Node-like fs (here node:fs itself, on fresh host
// copies of the folders). Its stdout and stderr are line callbacks, copied to the guest's real
// stdio; it has no stdin outside a browser.

import * as fs from 'node:fs';
import type { IFs } from '@tybys/wasm-util';
import { importPeer, type RunContext, type RunResult } from './common.js';

export async function run(ctx: RunContext): Promise<RunResult> {
  const { WASI } = await importPeer('@tybys/wasm-util', () => import('@tybys/wasm-util'));
  const preopens: Record<string, string> = {};
  for (const d of ctx.hostDirs()) preopens[d.guest] = d.host;
  const encoder = new TextEncoder();
  const wasi = new WASI({
    version: 'preview1',
    args: ctx.job.args,
    env: ctx.job.env,
    preopens,
    fs: fs as unknown as IFs,
    returnOnExit: true,
    print: (line) => ctx.stdout(encoder.encode(`${line}\n`)),
    printErr: (line) => ctx.stderr(encoder.encode(`${line}\n`)),
  });
  const instance = new WebAssembly.Instance(ctx.module, wasi.getImportObject() as WebAssembly.Imports);
  const code = await wasi.start(instance);
  return { exitCode: code ?? 0 };
}
