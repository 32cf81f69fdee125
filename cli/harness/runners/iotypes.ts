// Layer: cli/harness/runners (child process side). Imports the package's public entries (src,
// adapters), memfs (an optional peer, loaded only for that backend) and ./common.js.
// iotypes itself: the public WASI class over the guest's real stdio pipes, with the job's folders
// on the chosen backend: host folders (node), MemoryFS (memory) or a memfs Volume (memfs).

import { WASI, type Directory } from '../../../src/index.js';
import { nodeDirectory, nodeStdio } from '../../../adapters/node/index.js';
import { MemoryFS } from '../../../adapters/memory/index.js';
import { memfsDirectory, type MemfsLike } from '../../../adapters/memfs/index.js';
import { importPeer, walk, type RunContext, type RunResult } from './common.js';

async function preopens(ctx: RunContext): Promise<Record<string, Directory>> {
  const out: Record<string, Directory> = {};
  const backend = ctx.job.backend ?? 'node';
  if (backend === 'node') {
    for (const d of ctx.hostDirs()) out[d.guest] = nodeDirectory(d.host);
    return out;
  }
  if (backend === 'memory') {
    for (const d of ctx.job.dirs) {
      const fs = new MemoryFS();
      for (const e of walk(d.source)) {
        if (e.kind === 'dir') fs.mkdir(e.path);
        else if (e.kind === 'file') fs.writeFile(e.path, e.data);
        else fs.symlink(e.target, e.path);
      }
      out[d.guest] = fs.root;
    }
    return out;
  }
  const { Volume } = await importPeer('memfs', () => import('memfs'));
  for (const d of ctx.job.dirs) {
    const vol = new Volume();
    for (const e of walk(d.source)) {
      if (e.kind === 'dir') vol.mkdirSync(`/${e.path}`);
      else if (e.kind === 'file') vol.writeFileSync(`/${e.path}`, e.data);
      else vol.symlinkSync(e.target, `/${e.path}`);
    }
    out[d.guest] = memfsDirectory(vol as unknown as MemfsLike, '/');
  }
  return out;
}

export async function run(ctx: RunContext): Promise<RunResult> {
  const stdio = nodeStdio();
  const wasi = new WASI({
    args: ctx.job.args,
    env: ctx.job.env,
    preopens: await preopens(ctx),
    stdin: stdio.stdin,
    stdout: stdio.stdout,
    stderr: stdio.stderr,
    tty: stdio.tty,
  });
  const instance = new WebAssembly.Instance(ctx.module, wasi.getImportObject());
  return { exitCode: wasi.start(instance) };
}
