// Layer: cli/harness/runners (child process side). Imports node:*, ../job.js and iotypes/node only.
// What every runner gets: the job, the compiled module, the guest's stdio (the child's own fds
// 0, 1, 2, pipes to the harness) and fresh copies of the job's folders. A runner runs ONE test
// and says how it ended; a trap may also be thrown as WebAssembly.RuntimeError, and anything else
// it throws is reported as a crash of the runtime.

import { cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { waitIfWouldBlock } from '../../../adapters/node/index.js';
import type { Job } from '../job.js';

export type RunResult = { exitCode: number } | { trap: string };

export interface RunContext {
  readonly job: Job;
  readonly module: WebAssembly.Module;
  /** All of the guest's stdin (read from fd 0 on the first call). */
  stdin(): Uint8Array;
  /** Writes to the guest's stdout / stderr, for runtimes that keep output in memory. */
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** Fresh host copies of `job.dirs` (made on the first call), in order. */
  hostDirs(): { guest: string; host: string }[];
}

/** A runner: one module per runtime, `run` exported (a runner given by path may also export it as default). */
export type Runner = (ctx: RunContext) => Promise<RunResult>;

/** Reads a descriptor to its end, waiting (not spinning) if it is non-blocking. */
export function readAll(fd: number): Uint8Array {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024);
  for (let attempt = 0; ; ) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as { code?: string }).code === 'EOF') break;
      if (!waitIfWouldBlock(e, attempt++)) throw e;
      continue;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    attempt = 0;
  }
  return Buffer.concat(chunks);
}

/** Writes all of `bytes` to a descriptor, waiting if it is non-blocking. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0, attempt = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
      attempt = 0;
    } catch (e) {
      if (!waitIfWouldBlock(e, attempt++)) throw e;
    }
  }
}

/** One entry of a host folder, for runtimes that build their own in-memory tree. */
export type TreeEntry =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string; data: Uint8Array }
  | { kind: 'symlink'; path: string; target: string };

/** The entries below a host folder, parents before children; paths are '/'-separated and relative. */
export function* walk(root: string, prefix = ''): Generator<TreeEntry> {
  for (const name of readdirSync(root).sort()) {
    const host = join(root, name);
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const st = lstatSync(host);
    if (st.isSymbolicLink()) yield { kind: 'symlink', path, target: readlinkSync(host) };
    else if (st.isDirectory()) {
      yield { kind: 'dir', path };
      yield* walk(host, path);
    } else if (st.isFile()) yield { kind: 'file', path, data: readFileSync(host) };
  }
}

/** The context a runner gets in the child process. */
export function context(job: Job, module: WebAssembly.Module): RunContext {
  let stdin: Uint8Array | undefined;
  let copies: { guest: string; host: string }[] | undefined;
  return {
    job,
    module,
    stdin: () => (stdin ??= readAll(0)),
    stdout: (bytes) => writeAll(1, bytes),
    stderr: (bytes) => writeAll(2, bytes),
    hostDirs: () =>
      (copies ??= job.dirs.map((d, i) => {
        const host = join(job.workDir, 'dirs', String(i));
        mkdirSync(host, { recursive: true });
        cpSync(d.source, host, { recursive: true, verbatimSymlinks: true });
        return { guest: d.guest, host };
      })),
  };
}

/** Imports an optional package, or fails saying how to add it. */
export async function importPeer<T>(pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`${pkg} is not installed (add it with: npm install -D ${pkg})`, { cause: e });
    }
    throw e;
  }
}
