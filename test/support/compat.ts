// Layer: tests. Imports node:* (host side) and the shared fixture helpers.
// Runs c-fixtures through a drop-in and through the package it replaces, with the same options,
// so that tests can compare the two. Each runner takes the package's module object, so one
// function serves the original and the drop-in alike.
import { spawn } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { FIXTURES, fixtureModule, readSpec, TRAP_EXIT_CODE, type Outcome, type Spec } from './fixtures.js';

export type { Outcome, Spec };

/** Whether `got` is what the spec asks for. */
export function meetsSpec(got: Outcome, spec: Spec): boolean {
  return (
    got.exitCode === (spec.exit_code ?? 0) &&
    (spec.stdout === undefined || got.stdout === spec.stdout) &&
    (spec.stderr === undefined || got.stderr === spec.stderr)
  );
}

/** What is compared between an original and its drop-in. */
export function observable(got: Outcome): { exitCode: number; stdout: string; stderr: string } {
  return { exitCode: got.exitCode, stdout: got.stdout, stderr: got.stderr };
}

const decoder = new TextDecoder();
const text = (b: Uint8Array) => decoder.decode(b);
const args = (name: string, spec: Spec) => [`${name}.wasm`, ...(spec.args ?? [])];

// ---------------------------------------------------------------------------------------------
// @wasmer/wasi and iotypes/wasmer

/** The part of @wasmer/wasi's API that the runner uses (both packages have it). */
export interface WasmerLike {
  init(): Promise<void>;
  MemFS: new () => {
    createDir(path: string): void;
    open(path: string, options: object): { write(buf: Uint8Array): number };
  };
  WASI: new (config: object) => {
    instantiate(module: WebAssembly.Module, imports: object): WebAssembly.Instance;
    setStdinString(s: string): void;
    start(): number;
    getStdoutString(): string;
    getStderrString(): string;
  };
}

function copyIntoWasmer(fs: InstanceType<WasmerLike['MemFS']>, host: string, guest: string): void {
  fs.createDir(guest);
  for (const entry of readdirSync(host)) {
    const h = join(host, entry);
    if (lstatSync(h).isDirectory()) copyIntoWasmer(fs, h, `${guest}/${entry}`);
    else fs.open(`${guest}/${entry}`, { read: true, write: true, create: true }).write(readFileSync(h));
  }
}

/** Runs one fixture with @wasmer/wasi's API: folders copied into a MemFS, stdio in memory. */
export function runWasmer(pkg: WasmerLike, name: string, spec: Spec = readSpec(name)): Outcome {
  const fs = new pkg.MemFS();
  const preopens: Record<string, string> = {};
  for (const d of spec.dirs ?? []) {
    copyIntoWasmer(fs, join(FIXTURES, d), `/${d}`);
    preopens[d] = `/${d}`;
  }
  const wasi = new pkg.WASI({ args: args(name, spec), env: spec.env ?? {}, preopens, fs });
  wasi.instantiate(fixtureModule(name), {});
  if (spec.stdin !== undefined) wasi.setStdinString(spec.stdin);
  let exitCode: number;
  let trap: string | undefined;
  try {
    exitCode = wasi.start();
  } catch (e) {
    // Both packages report a trap as Error("Error while running start function: ...").
    const message = String((e as Error).message);
    if (!message.startsWith('Error while running start function')) throw e;
    exitCode = TRAP_EXIT_CODE;
    trap = message.split('\n')[0];
  }
  return { exitCode, stdout: wasi.getStdoutString(), stderr: wasi.getStderrString(), ...(trap === undefined ? {} : { trap }) };
}

// ---------------------------------------------------------------------------------------------
// @bjorn3/browser_wasi_shim and iotypes/browser-wasi-shim

/** The part of browser_wasi_shim's API that the runner uses (both packages have it). */
export interface ShimLike {
  WASI: new (args: string[], env: string[], fds: never[], options?: { debug?: boolean }) => {
    wasiImport: Record<string, unknown>;
    start(instance: never): number;
  };
  File: new (data: Uint8Array) => object;
  Directory: new (contents: Map<string, object>) => object;
  OpenFile: new (file: never) => object;
  PreopenDirectory: new (name: string, contents: Map<string, never>) => object;
  ConsoleStdout: new (write: (b: Uint8Array) => void) => object;
}

function shimTree(pkg: ShimLike, host: string): Map<string, never> {
  const m = new Map<string, never>();
  for (const entry of readdirSync(host)) {
    const h = join(host, entry);
    const node = lstatSync(h).isDirectory() ? new pkg.Directory(shimTree(pkg, h)) : new pkg.File(readFileSync(h));
    m.set(entry, node as never);
  }
  return m;
}

/**
 * Runs one fixture the way browser_wasi_shim users do: stdin an OpenFile, stdout and stderr
 * ConsoleStdout, each folder a PreopenDirectory of File/Directory objects.
 */
export function runShim(pkg: ShimLike, name: string, spec: Spec = readSpec(name)): Outcome {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const fds: object[] = [
    new pkg.OpenFile(new pkg.File(new TextEncoder().encode(spec.stdin ?? '')) as never),
    new pkg.ConsoleStdout((b) => out.push(b.slice())),
    new pkg.ConsoleStdout((b) => err.push(b.slice())),
  ];
  for (const d of spec.dirs ?? []) fds.push(new pkg.PreopenDirectory(d, shimTree(pkg, join(FIXTURES, d))));
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const wasi = new pkg.WASI(args(name, spec), env, fds as never[], { debug: false });
  const instance = new WebAssembly.Instance(fixtureModule(name), { wasi_snapshot_preview1: wasi.wasiImport as WebAssembly.ModuleImports });
  let exitCode: number;
  let trap: string | undefined;
  try {
    exitCode = wasi.start(instance as never);
  } catch (e) {
    // The original throws JS errors (RangeError, strings) from inside some calls: a crash.
    exitCode = TRAP_EXIT_CODE;
    trap = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const join8 = (parts: Uint8Array[]) => text(Buffer.concat(parts));
  return { exitCode, stdout: join8(out), stderr: join8(err), ...(trap === undefined ? {} : { trap }) };
}

// ---------------------------------------------------------------------------------------------
// node:wasi and iotypes/node-wasi: host descriptors, so each side runs in a child process.

const CHILD = join(__dirname, 'node-wasi-child.mjs');

/**
 * Runs every fixture in `names` in one child process through `impl` (`node:wasi`, or a file URL of
 * a module exporting a node:wasi-compatible `WASI`). Each fixture gets its own stdin, stdout and
 * stderr pipes and a fresh copy of its folders.
 */
export async function runNodeWasi(impl: string, names: readonly string[]): Promise<Map<string, Outcome>> {
  const tmp = mkdtempSync(join(tmpdir(), 'iotypes-compat-'));
  try {
    const stdio: ('pipe' | 'ignore' | 'inherit')[] = ['ignore', 'pipe', 'inherit'];
    const plan = names.map((name) => {
      const spec = readSpec(name);
      const preopens: Record<string, string> = {};
      for (const d of spec.dirs ?? []) {
        const copy = join(tmp, name, d);
        cpSync(join(FIXTURES, d), copy, { recursive: true, verbatimSymlinks: true });
        preopens[d] = copy;
      }
      const fds = [stdio.length, stdio.length + 1, stdio.length + 2];
      stdio.push('pipe', 'pipe', 'pipe');
      return { name, spec, wasm: join(FIXTURES, `${name}.wasm`), args: args(name, spec), env: spec.env ?? {}, preopens, fds };
    });
    const planFile = join(tmp, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan.map(({ spec: _spec, ...p }) => p)));
    const child = spawn(process.execPath, ['--no-warnings', CHILD, impl, planFile], { stdio });
    const outputs = plan.map((p) => {
      const o = { out: [] as Buffer[], err: [] as Buffer[] };
      const [i, out, err] = p.fds.map((fd) => child.stdio[fd]!) as unknown as [Writable, Readable, Readable];
      // A guest that does not read all of its stdin closes it early: ignore EPIPE/ECONNRESET.
      i.on('error', () => {});
      i.end(p.spec.stdin ?? '');
      out.on('data', (d: Buffer) => o.out.push(d));
      err.on('data', (d: Buffer) => o.err.push(d));
      return o;
    });
    let report = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (report += d));
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (status !== 0) throw new Error(`${impl} runner exited with ${status}: ${report}`);
    const results = JSON.parse(report) as { name: string; exitCode: number; trap?: string }[];
    return new Map(
      results.map((r, i) => [
        r.name,
        { exitCode: r.exitCode, stdout: text(Buffer.concat(outputs[i]!.out)), stderr: text(Buffer.concat(outputs[i]!.err)), ...(r.trap === undefined ? {} : { trap: r.trap }) },
      ]),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

/** The fixture names listed under `## <section>` of docs/migration.md (as `name` in a table row). */
export function documentedDifferences(section: string): string[] {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'migration.md'), 'utf8');
  const start = doc.indexOf(`\n## ${section}\n`);
  if (start < 0) return [];
  const next = doc.indexOf('\n## ', start + 1);
  const body = doc.slice(start, next < 0 ? undefined : next);
  return [...body.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]!);
}
