// Layer: cli/harness/runners (child process side). Imports @wasmer/wasi (an optional peer, 1.x)
// and ./common.js only.
// @wasmer/wasi 1.x: Wasmer's WASI compiled to wasm, over its own in-memory MemFS. Each preopen is
// a MemFS folder filled from a copy of the suite folder; stdin, stdout and stderr are in-memory
// buffers, copied from and to the guest's real stdio.

import { importPeer, walk, type RunContext, type RunResult } from './common.js';

/** How @wasmer/wasi 1.x reports a trap: its start() wraps the engine's RuntimeError in an Error. */
const TRAP = /^Error while running start function: RuntimeError: (?:JsValue\()?(?:RuntimeError: )?([^\n]*)/;

export async function run(ctx: RunContext): Promise<RunResult> {
  const { init, WASI, MemFS } = await importPeer('@wasmer/wasi', () => import('@wasmer/wasi'));
  await init();
  const fs = new MemFS();
  const preopens: Record<string, string> = {};
  for (const [i, d] of ctx.job.dirs.entries()) {
    const root = `/${i}`;
    fs.createDir(root);
    for (const e of walk(d.source)) {
      const path = `${root}/${e.path}`;
      if (e.kind === 'dir') fs.createDir(path);
      else if (e.kind === 'file') fs.open(path, { read: true, write: true, create: true }).write(e.data);
      else throw new Error(`@wasmer/wasi's MemFS has no symlinks: cannot copy ${d.source}/${e.path}`);
    }
    preopens[d.guest] = root;
  }
  const wasi = new WASI({ args: ctx.job.args, env: ctx.job.env, preopens, fs });
  wasi.setStdinBuffer(ctx.stdin());
  const instance = wasi.instantiate(ctx.module, {});
  try {
    return { exitCode: wasi.start(instance) };
  } catch (e) {
    const trap = e instanceof Error ? TRAP.exec(e.message) : null;
    if (trap) return { trap: trap[1] ?? 'trap' };
    throw e;
  } finally {
    ctx.stdout(wasi.getStdoutBuffer());
    ctx.stderr(wasi.getStderrBuffer());
  }
}
