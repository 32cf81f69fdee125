// c-fixtures as components: each module is turned into a command component with jco's bundled
// preview1 adapter (what `jco new NAME.wasm --wasi-command` does), transpiled with jco's API to
// its --instantiation form, and run over iotypes/preview2 with the options a module run gets.
// The components are derived data: built on demand into .tmp/components (gitignored), named by
// the hash of the module and the adapter, so a changed fixture or jco gets a fresh build.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { componentNew, preview1AdapterCommandPath, transpile } from '@bytecodealliance/jco';
import { anonymous, fromArray, toArray, type AnonymousArray, type Directory } from 'iotypes';
import { runCommand, type Instantiate, type Preview2Options } from 'iotypes/preview2';
import { transpileCached } from '../../cli/component.js';
import { FIXTURES, TRAP_EXIT_CODE, type Outcome, type Spec } from './fixtures.js';

const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, '.tmp', 'components');
process.env['IOTYPES_CACHE_DIR'] ??= join(ROOT, '.tmp', 'cache');

const adapter = readFileSync(preview1AdapterCommandPath());

/** Fixtures whose component fails on any host, and the adapter behaviour that makes it fail. */
export const ADAPTER_LIMITS: Record<string, string> = {
  env_empty_and_missing: 'an environment variable with an empty value reaches getenv() as garbage, not ""',
  posix_fallocate_extends: 'fd_allocate is ENOTSUP: WASI 0.2 has no allocate call',
  pread_stdin_espipe: 'fd_pread on a stream is EINVAL, not ESPIPE',
  writev_readv: 'fd_write writes only the first non-empty iovec (a short write)',
  open_trunc_rights: 'fd_fdstat_get reports the adapter\'s own rights, not the directory\'s (WASI 0.2 has no rights)',
  path_rights: 'fd_fdstat_set_rights is not carried out by the adapter: rights do not exist in WASI 0.2',
  poll_stdin_hangup: 'the adapter\'s poll_oneoff reports no hang-up for an input stream that has ended',
};

/** The status a component reports where its module reports `status`: WASI 0.2's exit is only
 * ok or err, so the adapter turns every nonzero proc_exit code into err (1); traps stay 134. */
export const componentStatus = (status: number): number => (status === 0 || status === 134 ? status : 1);


/** The component made from the Preview 1 module `wasm` (bytes), built once per content. */
export async function componentOf(wasm: Uint8Array): Promise<Uint8Array> {
  const hash = createHash('sha256').update(wasm).update(adapter).digest('hex').slice(0, 32);
  const file = join(CACHE, `${hash}.wasm`);
  if (existsSync(file)) return readFileSync(file);
  const bytes = await componentNew(wasm, [['wasi_snapshot_preview1', adapter]]);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(`${file}.${process.pid}`, bytes);
  renameSync(`${file}.${process.pid}`, file);
  return bytes;
}

export interface Transpiled {
  instantiate: Instantiate;
  core: (name: string) => Promise<WebAssembly.Module>;
}

/** A component transpiled for jco's --instantiation mode (through the CLI's cache). */
export async function transpiled(component: Uint8Array, label: string): Promise<Transpiled> {
  const dir = await transpiledDir(component, label);
  const { instantiate } = (await import(join(dir, 'component.js'))) as { instantiate: Instantiate };
  return { instantiate, core: (name) => WebAssembly.compile(readFileSync(join(dir, name))) };
}

/** The folder holding a component's --instantiation output (component.js and core modules). */
export async function transpiledDir(component: Uint8Array, label: string): Promise<string> {
  return (await transpileCached(label, component)).dir;
}

export async function fixtureComponent(name: string): Promise<Transpiled> {
  return transpiled(await componentOf(readFileSync(join(FIXTURES, `${name}.wasm`))), `${name}.wasm`);
}

const text = (a: AnonymousArray) => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return new TextDecoder().decode(buf);
};

/** Runs a transpiled component with `options` plus in-memory stdio; traps count as 134. */
export async function runTranspiled(t: Transpiled, options: Preview2Options, stdin = ''): Promise<Outcome> {
  const input = anonymous();
  input.writeAt(new TextEncoder().encode(stdin), 0);
  const out = anonymous();
  const err = anonymous();
  let exitCode: number;
  let trap: string | undefined;
  try {
    exitCode = await runCommand(t.instantiate, t.core, { ...options, stdin: fromArray(input, 0), stdout: toArray(out), stderr: toArray(err) });
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = TRAP_EXIT_CODE;
    trap = e.message;
  }
  return { exitCode, stdout: text(out), stderr: text(err), ...(trap === undefined ? {} : { trap }) };
}

/** Runs the component of fixture `name` as its spec says, each spec folder mounted by `mount`. */
export async function runComponentWith(name: string, spec: Spec, mount: (dir: string) => Directory): Promise<Outcome> {
  const preopens: Record<string, Directory> = {};
  for (const dir of spec.dirs ?? []) preopens[dir] = mount(dir);
  return runTranspiled(await fixtureComponent(name), { args: [`${name}.wasm`, ...(spec.args ?? [])], env: spec.env ?? {}, preopens }, spec.stdin);
}

/** A folder's contents for comparison: every entry's type, and a file's bytes or a link's target. */
export function tree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = lstatSync(path);
    const rel = `${prefix}${name}`;
    if (st.isSymbolicLink()) out.push(`${rel} -> ${readlinkSync(path)}`);
    else if (st.isDirectory()) out.push(`${rel}/`, ...tree(path, `${rel}/`));
    else out.push(`${rel} (${st.size} bytes, sha256 ${createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16)})`);
  }
  return out;
}

/**
 * Runs a component on @bytecodealliance/preview2-shim, the reference JavaScript host (jco's
 * default import mapping), in a child process: it reads the process's stdio and exits the
 * process. Preopens are host folders by guest name; nothing else of the host is preopened.
 */
export async function runOnPreview2Shim(
  component: Uint8Array, options: { args: string[]; env?: Record<string, string>; preopens: Record<string, string>; stdin?: string },
): Promise<Outcome> {
  const hash = createHash('sha256').update(component).digest('hex').slice(0, 32);
  const dir = join(ROOT, '.tmp', 'preview2-shim', hash);
  if (!existsSync(join(dir, 'run.mjs'))) {
    const { files } = await transpile(component, { name: 'component' });
    const tmp = `${dir}.${process.pid}`;
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(tmp, name, '..'), { recursive: true });
      writeFileSync(join(tmp, name), data);
    }
    writeFileSync(join(tmp, 'run.mjs'), [
      "import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';",
      "import { _setArgs, _setEnv } from '@bytecodealliance/preview2-shim/cli';",
      'const config = JSON.parse(process.env.PREVIEW2_SHIM_CONFIG);',
      '_setPreopens(config.preopens);',
      '_setArgs(config.args);',
      '_setEnv(config.env);',
      "const { run } = await import('./component.js');",
      'run.run();',
      '',
    ].join('\n'));
    try {
      renameSync(tmp, dir);
    } catch {
      // built meanwhile by another worker
    }
  }
  const child = spawnSync(process.execPath, [join(dir, 'run.mjs')], {
    input: options.stdin ?? '',
    encoding: 'utf8',
    env: { ...process.env, PREVIEW2_SHIM_CONFIG: JSON.stringify({ args: options.args, env: options.env ?? {}, preopens: options.preopens }) },
  });
  return { exitCode: child.status ?? TRAP_EXIT_CODE, stdout: child.stdout, stderr: child.stderr };
}
