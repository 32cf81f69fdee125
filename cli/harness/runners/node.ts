// Layer: cli/harness/runners (child process side). Imports node:wasi and ./common.js only.
// Node.js's own node:wasi (uvwasi): host folders, and the guest's stdio as the real descriptors.

import { WASI } from 'node:wasi';
import type { RunContext, RunResult } from './common.js';

export async function run(ctx: RunContext): Promise<RunResult> {
  const preopens: Record<string, string> = {};
  for (const d of ctx.hostDirs()) preopens[d.guest] = d.host;
  const wasi = new WASI({
    version: 'preview1',
    args: ctx.job.args,
    env: ctx.job.env,
    preopens,
    stdin: 0,
    stdout: 1,
    stderr: 2,
    returnOnExit: true,
  });
  const instance = new WebAssembly.Instance(ctx.module, wasi.getImportObject() as WebAssembly.Imports);
  return { exitCode: wasi.start(instance) };
}
