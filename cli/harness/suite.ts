// Layer: cli/harness. Imports node:* and ./job.js (types) only.
// A suite: a folder of `*.wasm` test modules, each with an optional same-named `*.json` spec, as
// wasi-testsuite defines it (https://github.com/WebAssembly/wasi-testsuite, doc/specification.md
// and its test runner). Both spec forms are read:
//   - the legacy form: args, env, dirs, root, exit_code, stdout, stderr (+ our extension `stdin`,
//     a string given to the program as its stdin);
//   - the operation form: { operations: [{type: run|write|read|wait|...}], proposals, world }.
// Both become one TestSpec. A test that needs what a Preview 1 command cannot have (the http or
// sockets proposals, a component binary, a signal) becomes a skip with the reason.

import { existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { JobDir } from './job.js';

/** Expected output of one stream. */
export interface Expected {
  text: string;
  /** true: the whole output must equal `text` (legacy form); false: it must start with it (reads). */
  exact: boolean;
}

export interface TestSpec {
  /** Arguments after argv[0]. */
  args: string[];
  env: Record<string, string>;
  /** `root` (as guest '/') first, then `dirs` under their own names. */
  dirs: JobDir[];
  stdin: string;
  /** undefined: not checked. */
  exitCode: number | undefined;
  stdout: Expected | undefined;
  stderr: Expected | undefined;
}

export interface TestCase {
  suite: string;
  name: string;
  /** `suite/name`. */
  id: string;
  wasm: string;
  /** Set when the test can run. */
  spec?: TestSpec;
  /** Why no runtime here can run this test (it is reported as SKIP everywhere). */
  skip?: string;
  /** Why the spec itself is wrong (it is reported as FAIL everywhere). */
  invalid?: string;
  /** Unknown keys and the like: printed once, not fatal. */
  warnings: string[];
}

export interface Suite {
  name: string;
  dir: string;
  tests: TestCase[];
}

/** A problem that makes a spec unusable. */
class SpecError extends Error {}
/** A test that cannot run under a Preview 1 command runtime. */
class SkipTest extends Error {}

const LEGACY_KEYS = new Set(['args', 'env', 'dirs', 'root', 'exit_code', 'stdout', 'stderr', 'stdin']);
const OPERATION_KEYS = new Set(['operations', 'proposals', 'world', 'servers']);
/** Keys of older wasi-testsuite specs that carry nothing a runner must act on. */
const IGNORED_KEYS = new Set(['wasi_functions']);
const PROPOSALS = new Set(['http', 'sockets']);
const WORLDS = new Set(['wasi:cli/command', 'wasi:http/service']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new SpecError(`${what} must be an array of strings`);
  return v as string[];
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw new SpecError(`${what} must be an object of strings`);
  }
  return { ...(v as Record<string, string>) };
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new SpecError(`${what} must be a string`);
  return v;
}

function exitCode(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) throw new SpecError(`${what} must be an integer from 0 to 255`);
  return v;
}

/** A folder of the suite named by a spec, checked to exist. */
function suiteFolder(suiteDir: string, name: string, what: string): string {
  const source = resolve(suiteDir, name);
  if (!existsSync(source) || !statSync(source).isDirectory()) throw new SpecError(`${what}: ${name} is not a folder next to the test`);
  return source;
}

/** The Run part shared by both forms: args, env, dirs, root. */
function runOptions(o: Record<string, unknown>, suiteDir: string): Pick<TestSpec, 'args' | 'env' | 'dirs'> {
  const dirs: JobDir[] = [];
  if (o['root'] !== undefined) dirs.push({ guest: '/', source: suiteFolder(suiteDir, text(o['root'], 'root'), 'root') });
  for (const d of o['dirs'] === undefined ? [] : strings(o['dirs'], 'dirs')) {
    dirs.push({ guest: d, source: suiteFolder(suiteDir, d, 'dirs') });
  }
  return {
    args: o['args'] === undefined ? [] : strings(o['args'], 'args'),
    env: o['env'] === undefined ? {} : stringMap(o['env'], 'env'),
    dirs,
  };
}

function legacySpec(o: Record<string, unknown>, suiteDir: string, warnings: string[]): TestSpec {
  for (const k of Object.keys(o)) if (!LEGACY_KEYS.has(k) && !IGNORED_KEYS.has(k)) warnings.push(`unknown key "${k}"`);
  return {
    ...runOptions(o, suiteDir),
    stdin: o['stdin'] === undefined ? '' : text(o['stdin'], 'stdin'),
    exitCode: o['exit_code'] === undefined ? 0 : exitCode(o['exit_code'], 'exit_code'),
    stdout: o['stdout'] === undefined ? undefined : { text: text(o['stdout'], 'stdout'), exact: true },
    stderr: o['stderr'] === undefined ? undefined : { text: text(o['stderr'], 'stderr'), exact: true },
  };
}

/**
 * The operation form. The program runs once with all `write`s to stdin given up front; the
 * `read`s of a stream are consecutive pieces of its output (as the reference runner reads exactly
 * the payload's length each time), so together they must be a prefix of it.
 */
function operationSpec(o: Record<string, unknown>, suiteDir: string, warnings: string[]): TestSpec {
  for (const k of Object.keys(o)) if (!OPERATION_KEYS.has(k)) warnings.push(`unknown key "${k}"`);
  const proposals = o['proposals'] === undefined ? [] : strings(o['proposals'], 'proposals');
  for (const p of proposals) if (!PROPOSALS.has(p)) throw new SpecError(`unknown proposal "${p}"`);
  const world = o['world'] === undefined ? 'wasi:cli/command' : text(o['world'], 'world');
  if (!WORLDS.has(world)) throw new SpecError(`unknown world "${world}"`);
  const ops = o['operations'] === undefined ? [{ type: 'run' }, { type: 'wait' }] : o['operations'];
  if (!Array.isArray(ops)) throw new SpecError('operations must be an array');

  let run: Pick<TestSpec, 'args' | 'env' | 'dirs'> | undefined;
  let stdin = '';
  let code: number | undefined;
  let waited = false;
  const reads: Record<'stdout' | 'stderr', string | undefined> = { stdout: undefined, stderr: undefined };
  const needs = new Set<string>(proposals.filter((p) => p === 'http' || p === 'sockets'));
  let skip: string | undefined;
  for (const [i, op] of ops.entries()) {
    if (!isObject(op)) throw new SpecError(`operations[${i}] must be an object`);
    const type = op['type'];
    const id = op['id'] === undefined ? undefined : text(op['id'], `operations[${i}].id`);
    if (type !== 'run' && run === undefined) throw new SpecError(`operations[${i}]: ${String(type)} before run`);
    switch (type) {
      case 'run':
        if (run !== undefined) {
          skip ??= 'runs the program more than once';
          break;
        }
        run = runOptions(op, suiteDir);
        break;
      case 'write': {
        const payload = op['payload'] === undefined ? '' : text(op['payload'], `operations[${i}].payload`);
        if ((id ?? 'write') === 'stdin') stdin += payload;
        else needs.add('sockets');
        break;
      }
      case 'read': {
        const stream = id ?? 'stdout';
        const payload = op['payload'] === undefined ? '' : text(op['payload'], `operations[${i}].payload`);
        if (stream === 'stdout' || stream === 'stderr') reads[stream] = (reads[stream] ?? '') + payload;
        else needs.add('sockets');
        break;
      }
      case 'wait':
        waited = true;
        code = op['exit_code'] === undefined ? 0 : exitCode(op['exit_code'], `operations[${i}].exit_code`);
        break;
      case 'connect':
      case 'send':
      case 'recv':
        needs.add('sockets');
        break;
      case 'request':
        needs.add('http');
        break;
      case 'kill':
        skip ??= 'sends the program a signal, which a Preview 1 command cannot receive';
        break;
      default:
        throw new SpecError(`operations[${i}]: unknown operation type ${JSON.stringify(type)}`);
    }
  }
  if (Array.isArray(o['servers']) && o['servers'].length > 0) needs.add('http');
  if (needs.size > 0) {
    const list = [...needs].sort();
    throw new SkipTest(`needs the ${list.join(' and ')} proposal${list.length > 1 ? 's' : ''}, which WASI Preview 1 runtimes do not have`);
  }
  if (world !== 'wasi:cli/command') throw new SkipTest(`runs as ${world}, not as a command`);
  if (skip !== undefined) throw new SkipTest(skip);
  if (run === undefined) throw new SpecError('operations has no run');
  return {
    ...run,
    stdin,
    exitCode: waited ? code : undefined,
    stdout: reads.stdout === undefined ? undefined : { text: reads.stdout, exact: false },
    stderr: reads.stderr === undefined ? undefined : { text: reads.stderr, exact: false },
  };
}

/** Parses one spec object (the parsed JSON of NAME.json, or {} when there is none). */
export function parseSpec(raw: unknown, suiteDir: string, warnings: string[] = []): TestSpec {
  if (!isObject(raw)) throw new SpecError('the spec must be a JSON object');
  const keys = Object.keys(raw);
  const modern = keys.some((k) => OPERATION_KEYS.has(k));
  if (modern && keys.some((k) => LEGACY_KEYS.has(k))) {
    throw new SpecError('cannot mix configuration styles (operations with args/env/dirs/root/exit_code/stdout/stderr/stdin)');
  }
  return modern ? operationSpec(raw, suiteDir, warnings) : legacySpec(raw, suiteDir, warnings);
}

/** Why a .wasm file cannot be run as a core module, if it cannot. */
function binaryKind(path: string): { skip?: string; invalid?: string } {
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 8 || head.readUInt32LE(0) !== 0x6d736100) return { invalid: 'not a WebAssembly binary (no \\0asm header)' };
  if (head.readUInt32LE(4) !== 1) {
    return { skip: 'a WebAssembly component, not a core module (Preview 1 runtimes run core modules)' };
  }
  return {};
}

/** Loads the test `name` of a suite folder. */
export function loadTest(suiteDir: string, suiteName: string, name: string): TestCase {
  const wasm = join(suiteDir, `${name}.wasm`);
  const test: TestCase = { suite: suiteName, name, id: `${suiteName}/${name}`, wasm, warnings: [] };
  const kind = binaryKind(wasm);
  if (kind.invalid !== undefined) return { ...test, invalid: kind.invalid };
  const specPath = join(suiteDir, `${name}.json`);
  let raw: unknown = {};
  if (existsSync(specPath)) {
    try {
      raw = JSON.parse(readFileSync(specPath, 'utf8'));
    } catch (e) {
      return { ...test, invalid: `cannot parse ${name}.json: ${(e as Error).message}` };
    }
  }
  try {
    test.spec = parseSpec(raw, suiteDir, test.warnings);
  } catch (e) {
    if (e instanceof SkipTest) return { ...test, skip: e.message };
    if (e instanceof SpecError) return { ...test, invalid: `${name}.json: ${e.message}` };
    throw e;
  }
  if (kind.skip !== undefined) return { ...test, skip: kind.skip };
  return test;
}

/** The suite's name: manifest.json's "name", else the folder's name. */
function suiteName(dir: string): string {
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    try {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as unknown;
      if (isObject(m) && typeof m['name'] === 'string' && m['name'] !== '') return m['name'];
    } catch {
      // A broken manifest only loses the name.
    }
  }
  return basename(resolve(dir));
}

/** Removes every `*.cleanup` file or folder below `dir` (test artifacts, per the spec). */
export function removeCleanupArtifacts(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const st = lstatSync(path);
    if (entry.endsWith('.cleanup')) rmSync(path, { recursive: true, force: true });
    else if (st.isDirectory()) removeCleanupArtifacts(path);
  }
}

/**
 * The suites a folder names: itself, if it holds `*.wasm` tests or a manifest.json, and every
 * folder below it holding a manifest.json (as wasi-testsuite's tests/ does: one per language),
 * in name order. Symbolic links are not followed.
 */
export function findSuites(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string, top: boolean) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const manifest = entries.some((e) => e.isFile() && e.name === 'manifest.json');
    if (manifest || (top && entries.some((e) => e.isFile() && e.name.endsWith('.wasm')))) found.push(d);
    for (const e of entries) if (e.isDirectory() && !e.name.endsWith('.cleanup')) walk(join(d, e.name), false);
  };
  walk(resolve(dir), true);
  return found;
}

/** Reads a suite folder: its tests sorted by name. */
export function loadSuite(dir: string): Suite {
  const abs = resolve(dir);
  const name = suiteName(abs);
  const tests = readdirSync(abs)
    .filter((f) => f.endsWith('.wasm') && statSync(join(abs, f)).isFile())
    .map((f) => f.slice(0, -'.wasm'.length))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((t) => loadTest(abs, name, t));
  return { name, dir: abs, tests };
}
