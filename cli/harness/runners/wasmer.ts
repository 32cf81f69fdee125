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
  // Every import is wrapped to note an exception leaving it: wasmer's WASI is itself wasm, and a
  // panic in it is a RuntimeError like a guest trap. proc_exit leaves by an exception too, but
  // start() then returns the exit code, so the note only matters when start() throws.
  let hostFailure: string | undefined;
  const imports = wasi.getImports(ctx.module) as Record<string, Record<string, unknown>>;
  const wrapped: WebAssembly.Imports = {};
  for (const [ns, fns] of Object.entries(imports)) {
    wrapped[ns] = Object.fromEntries(
      Object.entries(fns).map(([name, f]) => [
        name,
        typeof f !== 'function'
          ? f
          : (...args: unknown[]) => {
              try {
                return (f as (...a: unknown[]) => unknown)(...args);
              } catch (e) {
                hostFailure ??= `${name}: ${e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e)}`;
                throw e;
              }
            },
      ]),
    ) as WebAssembly.ModuleImports;
  }
  const instance = new WebAssembly.Instance(ctx.module, wrapped);
  try {
    return { exitCode: wasi.start(instance) };
  } catch (e) {
    if (hostFailure !== undefined) throw new Error(`@wasmer/wasi failed inside ${hostFailure}`, { cause: e });
    const trap = e instanceof Error ? TRAP.exec(e.message) : null;
    if (trap) return { trap: trap[1] ?? 'trap' };
    throw e;
  } finally {
    ctx.stdout(wasi.getStdoutBuffer());
    ctx.stderr(wasi.getStderrBuffer());
  }
}
