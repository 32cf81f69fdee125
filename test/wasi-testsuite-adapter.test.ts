// tools/wasi-testsuite/iotypes.py lets wasi-testsuite's own runner drive `iotypes run`: both the
// module form (compute_argv) and the script form (--test-file, --arg, --env, --dir) are run here
// with Python on real fixtures.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const ADAPTER = join(ROOT, 'tools', 'wasi-testsuite', 'iotypes.py');
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
const env = { ...process.env, IOTYPES: `${process.execPath} ${join(ROOT, 'bin', 'iotypes.js')}` };
const work = mkdtempSync(join(tmpdir(), 'iotypes-adapter-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Calls a function of the adapter module with JSON arguments; returns its JSON result. */
function callAdapter(fn: string, ...args: unknown[]): unknown {
  const code = [
    'import importlib.util, json, sys',
    `spec = importlib.util.spec_from_file_location("iotypes_adapter", ${JSON.stringify(ADAPTER)})`,
    'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    `print(json.dumps(m.${fn}(*json.loads(sys.argv[1]))))`,
  ].join('\n');
  const r = spawnSync(python!, ['-c', code, JSON.stringify(args)], { encoding: 'utf8', env });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe.runIf(python)('the wasi-testsuite adapter (needs python3)', () => {
  it('names iotypes, its version and Preview 1', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(callAdapter('get_name')).toBe('iotypes');
    expect(callAdapter('get_version')).toBe(pkg.version);
    expect(callAdapter('get_wasi_versions')).toEqual(['wasm32-wasip1']);
  });

  it('computes a command line that runs a test with its arguments, environment and root folder', () => {
    const root = join(work, 'root');
    cpSync(join(ROOT, 'c-fixtures', 'fs.dir'), root, { recursive: true });
    const spec = JSON.parse(readFileSync(join(ROOT, 'c-fixtures', 'args_empty_and_spaces.json'), 'utf8')) as { args: string[] };
    const argv = callAdapter('compute_argv', join(ROOT, 'c-fixtures', 'args_empty_and_spaces.wasm'),
      [spec.args, { GREETING: 'hello world' }, root], [], 'wasi:cli/command', 'wasm32-wasip1') as string[];
    expect(argv).toContain(`${root}::/`);
    expect(argv).toContain('GREETING=hello world');
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs one test as a script, with folders named relative to the test', () => {
    const dir = join(work, 'suite');
    cpSync(join(ROOT, 'c-fixtures', 'fs.dir'), join(dir, 'fs.dir'), { recursive: true });
    cpSync(join(ROOT, 'c-fixtures', 'access_f_ok.wasm'), join(dir, 'access_f_ok.wasm'));
    const ok = spawnSync(python!, [ADAPTER, '--test-file', join(dir, 'access_f_ok.wasm'), '--dir', 'fs.dir'], { encoding: 'utf8', env });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    // The exit code passes through: without its folder the test fails.
    const failing = spawnSync(python!, [ADAPTER, '--test-file', join(dir, 'access_f_ok.wasm')], { encoding: 'utf8', env });
    expect(failing.status).not.toBe(0);
    const version = spawnSync(python!, [ADAPTER, '--version'], { encoding: 'utf8', env });
    expect(version.stdout).toMatch(/^iotypes \d+\.\d+\.\d+/);
  });
});
