// Runs the c-fixtures (wasi-testsuite legacy spec format) through the public WASI class on the
// in-memory backend, and compares exit code, stdout and stderr with each spec.
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { anonymous, fromArray, toArray, WASI, type AnonymousArray, type Directory, type InputStream, type OutputStream } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { nodeDirectory, type NodeDirectoryOptions } from 'iotypes/node';

export const FIXTURES = join(__dirname, '..', '..', 'c-fixtures');

export interface Spec {
  args?: string[];
  env?: Record<string, string>;
  dirs?: string[];
  exit_code?: number;
  stdout?: string;
  stderr?: string;
  stdin?: string;
}

export interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  trap?: string;
}

/** Exit status reported for a wasm trap (as wasmtime does on Unix: 128 + SIGABRT). */
export const TRAP_EXIT_CODE = 134;

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.wasm') && existsSync(join(FIXTURES, f.replace(/\.wasm$/, '.json'))))
    .map((f) => f.replace(/\.wasm$/, ''))
    .sort();
}

export function readSpec(name: string): Spec {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Spec;
}

const modules = new Map<string, WebAssembly.Module>();
export function fixtureModule(name: string): WebAssembly.Module {
  let m = modules.get(name);
  if (!m) modules.set(name, (m = new WebAssembly.Module(readFileSync(join(FIXTURES, `${name}.wasm`)))));
  return m;
}

/** Copies a host folder into a MemoryFS folder (files, subfolders, symlinks). */
export function copyIntoMemory(fs: MemoryFS, host: string, guest: string): void {
  fs.mkdir(guest, { recursive: true });
  for (const entry of readdirSync(host)) {
    const h = join(host, entry);
    const g = `${guest}/${entry}`;
    const st = lstatSync(h);
    if (st.isSymbolicLink()) fs.symlink(readlinkSync(h), g);
    else if (st.isDirectory()) copyIntoMemory(fs, h, g);
    else fs.writeFile(g, readFileSync(h));
  }
}

const text = (a: AnonymousArray) => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return new TextDecoder().decode(buf);
};

/** Runs one fixture on the in-memory backend. */
export function runOnMemory(name: string, spec: Spec = readSpec(name)): Outcome {
  const fs = new MemoryFS();
  return runWith(name, spec, (dir) => {
    copyIntoMemory(fs, join(FIXTURES, dir), dir);
    return fs.root.openDir(dir);
  });
}

/** A fresh copy of the fixture folder `dir` under `tmp`; returns its path. */
export function copyFixtureFolder(dir: string, tmp: string): string {
  const copy = join(tmp, dir);
  cpSync(join(FIXTURES, dir), copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

/** Runs one fixture on the Node backend, over a fresh copy of its folders under `tmp`. */
export function runOnNode(name: string, tmp: string, spec: Spec = readSpec(name), options: NodeDirectoryOptions = {}): Outcome {
  return runWith(name, spec, (dir) => nodeDirectory(copyFixtureFolder(dir, tmp), options));
}

/** Runs one fixture with each spec folder mounted by `mount` (fresh for this run). */
export function runWith(name: string, spec: Spec, mount: (dir: string) => Directory): Outcome {
  const run = setUp(name, spec, mount, {});
  let exitCode: number;
  let trap: string | undefined;
  try {
    exitCode = run.wasi.start(run.instance);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = TRAP_EXIT_CODE;
    trap = e.message;
  }
  return run.outcome(exitCode, trap);
}

/**
 * Runs one fixture with JSPI (`{ async: true }`, `startAsync`), each spec folder mounted by
 * `mount` (which may answer later), and stdio passed through `stdio` (to make them asynchronous
 * too).
 */
export async function runWithAsync(
  name: string,
  spec: Spec,
  mount: (dir: string) => Directory | Promise<Directory>,
  stdio: { input?: (s: InputStream) => InputStream; output?: (s: OutputStream) => OutputStream } = {},
): Promise<Outcome> {
  const mounted = new Map<string, Directory>();
  for (const dir of spec.dirs ?? []) mounted.set(dir, await mount(dir));
  const run = setUp(name, spec, (dir) => mounted.get(dir)!, { async: true, ...stdio });
  let exitCode: number;
  let trap: string | undefined;
  try {
    exitCode = await run.wasi.startAsync(run.instance);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = TRAP_EXIT_CODE;
    trap = e.message;
  }
  return run.outcome(exitCode, trap);
}

function setUp(
  name: string,
  spec: Spec,
  mount: (dir: string) => Directory,
  how: { async?: boolean; input?: (s: InputStream) => InputStream; output?: (s: OutputStream) => OutputStream },
) {
  const preopens: Record<string, Directory> = {};
  for (const dir of spec.dirs ?? []) preopens[dir] = mount(dir);
  const stdinArray = anonymous();
  stdinArray.writeAt(new TextEncoder().encode(spec.stdin ?? ''), 0);
  const out = anonymous();
  const err = anonymous();
  const input = how.input ?? ((s: InputStream) => s);
  const output = how.output ?? ((s: OutputStream) => s);
  const wasi = new WASI({
    args: [`${name}.wasm`, ...(spec.args ?? [])],
    env: spec.env ?? {},
    preopens,
    stdin: input(fromArray(stdinArray, 0)),
    stdout: output(toArray(out)),
    stderr: output(toArray(err)),
    async: how.async ?? false,
  });
  const instance = new WebAssembly.Instance(fixtureModule(name), wasi.getImportObject());
  const outcome = (exitCode: number, trap: string | undefined): Outcome =>
    ({ exitCode, stdout: text(out), stderr: text(err), ...(trap === undefined ? {} : { trap }) });
  return { wasi, instance, outcome };
}
