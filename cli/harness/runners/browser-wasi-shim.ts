// Layer: cli/harness/runners (child process side). Imports @bjorn3/browser_wasi_shim (an optional
// peer) and ./common.js only.
// @bjorn3/browser_wasi_shim: a pure JavaScript WASI over its own in-memory tree. Each preopen is
// a PreopenDirectory filled from a copy of the suite folder; stdin is an in-memory file, stdout and
// stderr are ConsoleStdout sinks copied to the guest's real stdio.

import { importPeer, walk, type RunContext, type RunResult } from './common.js';

export async function run(ctx: RunContext): Promise<RunResult> {
  const shim = await importPeer('@bjorn3/browser_wasi_shim', () => import('@bjorn3/browser_wasi_shim'));
  type Inode = InstanceType<typeof shim.File> | InstanceType<typeof shim.Directory>;
  const tree = (source: string): Map<string, Inode> => {
    const root = new Map<string, Inode>();
    const dirs = new Map<string, Map<string, Inode>>([['', root]]);
    for (const e of walk(source)) {
      const at = e.path.lastIndexOf('/');
      const parent = dirs.get(at < 0 ? '' : e.path.slice(0, at))!;
      const name = e.path.slice(at + 1);
      if (e.kind === 'dir') {
        const contents = new Map<string, Inode>();
        dirs.set(e.path, contents);
        parent.set(name, new shim.Directory(contents));
      } else if (e.kind === 'file') {
        parent.set(name, new shim.File(e.data));
      } else {
        throw new Error(`browser_wasi_shim has no symlinks: cannot copy ${source}/${e.path}`);
      }
    }
    return root;
  };
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const fds = [
    new shim.OpenFile(new shim.File(ctx.stdin())),
    new shim.ConsoleStdout((b) => out.push(b.slice())),
    new shim.ConsoleStdout((b) => err.push(b.slice())),
    ...ctx.job.dirs.map((d) => new shim.PreopenDirectory(d.guest, tree(d.source))),
  ];
  const env = Object.entries(ctx.job.env).map(([k, v]) => `${k}=${v}`);
  const wasi = new shim.WASI(ctx.job.args, env, fds, { debug: false });
  const instance = new WebAssembly.Instance(ctx.module, { wasi_snapshot_preview1: wasi.wasiImport });
  try {
    return { exitCode: wasi.start(instance as unknown as Parameters<typeof wasi.start>[0]) };
  } finally {
    for (const b of out) ctx.stdout(b);
    for (const b of err) ctx.stderr(b);
  }
}
