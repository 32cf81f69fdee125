// iotypes/register: `--import iotypes/register`, `-r iotypes/register` and install() make
// node:wasi and wasi load iotypes' drop-in, in the main thread and in worker threads, with the
// IOTYPES_* options. Each case runs a c-fixture in a child process (test/support/register-child.*)
// whose outcome tells the two apart: open_dotdot_reenter fails under node:wasi (its preopen lets
// `fs.dir/..` re-enter) and passes on iotypes; open_creat fails on a read-only preopen.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { narrowPreopens } from 'iotypes/register/install';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const CHILD_ESM = join(__dirname, 'support', 'register-child.mjs');
const CHILD_CJS = join(__dirname, 'support', 'register-child.cjs');

interface Result {
  exitCode: number;
  sameClass: boolean;
  nodeWasiLoaded: boolean;
}

let tmp: string;
let n = 0;

/** A fresh writable copy of c-fixtures/fs.dir. */
function folder(): string {
  const dir = join(tmp, `fs-${n++}`);
  cpSync(join(root, 'c-fixtures', 'fs.dir'), dir, { recursive: true });
  return dir;
}

function node(args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function result(args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  const r = await node(args, env);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Result;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'iotypes-register-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the swap', () => {
  it('without it, node:wasi runs the fixture (and fails open_dotdot_reenter): the control', async () => {
    const r = await result([CHILD_ESM, 'main', 'open_dotdot_reenter', folder()]);
    expect(r).toEqual({ exitCode: 1, sameClass: true, nodeWasiLoaded: true });
  });

  it('--import iotypes/register: import of node:wasi and wasi in the main thread', async () => {
    const r = await result(['--import', 'iotypes/register', CHILD_ESM, 'main', 'open_dotdot_reenter', folder()]);
    expect(r).toEqual({ exitCode: 0, sameClass: true, nodeWasiLoaded: false });
  });

  it('--import iotypes/register: in a worker thread', async () => {
    const r = await result(['--import', 'iotypes/register', CHILD_ESM, 'worker', 'open_dotdot_reenter', folder()]);
    expect(r).toEqual({ exitCode: 0, sameClass: true, nodeWasiLoaded: false });
  });

  it('-r iotypes/register: require of node:wasi and wasi', async () => {
    const r = await result(['-r', 'iotypes/register', CHILD_CJS, 'open_dotdot_reenter', folder()]);
    expect(r).toEqual({ exitCode: 0, sameClass: true, nodeWasiLoaded: false });
  });

  it('-r iotypes/register: import in a worker thread', async () => {
    const r = await result(['-r', 'iotypes/register', CHILD_ESM, 'worker', 'open_dotdot_reenter', folder()]);
    expect(r).toEqual({ exitCode: 0, sameClass: true, nodeWasiLoaded: false });
  });

  it('install(): this thread and the workers it starts, with its options', async () => {
    const main = await result([CHILD_ESM, 'main', 'open_dotdot_reenter', folder(), '{}']);
    expect(main).toEqual({ exitCode: 0, sameClass: true, nodeWasiLoaded: false });
    const worker = await result([CHILD_ESM, 'worker', 'open_dotdot_reenter', folder(), '{}']);
    expect(worker).toEqual({ exitCode: 0, sameClass: true, nodeWasiLoaded: false });

    const dir = folder();
    const readOnly = await result([CHILD_ESM, 'worker', 'open_creat', dir, '{"readOnly":true}']);
    expect(readOnly).toEqual({ exitCode: 1, sameClass: true, nodeWasiLoaded: false });
    expect(existsSync(join(dir, 'created.txt'))).toBe(false);
  });
});

describe('options from the environment', () => {
  it('IOTYPES_READONLY=1: every preopen refuses changes', async () => {
    const dir = folder();
    const r = await node(['--import', 'iotypes/register', CHILD_ESM, 'main', 'open_creat', dir], { IOTYPES_READONLY: '1' });
    expect(JSON.parse(r.stdout)).toMatchObject({ exitCode: 1, nodeWasiLoaded: false });
    expect(r.stderr).toMatch(/FAIL open_creat\.c:\d+: .*\(errno=\d+ Read-only file system\)/);
    expect(existsSync(join(dir, 'created.txt'))).toBe(false);

    const writable = folder();
    expect(await result(['--import', 'iotypes/register', CHILD_ESM, 'main', 'open_creat', writable], { IOTYPES_READONLY: '0' })).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(writable, 'created.txt'))).toBe(true);
  });

  it('IOTYPES_TRACE=1 prints each call', async () => {
    const r = await node(['--import', 'iotypes/register', CHILD_ESM, 'worker', 'open_creat', folder()], { IOTYPES_TRACE: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^path_open\(fd=3, .*path="created\.txt".*\) = 0$/m);
  });

  it('refuses values it does not understand, naming the variable', async () => {
    const trace = await node(['--import', 'iotypes/register', '-e', '0'], { IOTYPES_TRACE: 'yes' });
    expect(trace.status).not.toBe(0);
    expect(trace.stderr).toContain('IOTYPES_TRACE must be 1 or 0');
    const missing = join(tmp, 'no-such-folder');
    const dirs = await node(['--import', 'iotypes/register', '-e', '0'], { IOTYPES_DIRS: missing });
    expect(dirs.status).not.toBe(0);
    expect(dirs.stderr).toContain(`${missing} (in the dirs option or IOTYPES_DIRS) is not a folder`);
  });
});

describe('narrowPreopens (IOTYPES_DIRS)', () => {
  it('keeps the listed folders inside each preopen, at their own path below its guest name', () => {
    expect(narrowPreopens({ '/': '/' }, ['/srv/data', '/home/u/site'])).toEqual({ '/srv/data': '/srv/data', '/home/u/site': '/home/u/site' });
    expect(narrowPreopens({ '/sandbox': '/srv', '.': '/work' }, ['/srv/a/b', '/work', '/other'])).toEqual({ '/sandbox/a/b': '/srv/a/b', '.': '/work' });
  });

  it('keeps a preopen inside a listed folder whole', () => {
    expect(narrowPreopens({ '/data': '/srv/data' }, ['/srv'])).toEqual({ '/data': '/srv/data' });
  });

  it('drops a preopen that holds none of them, and ignores look-alike prefixes', () => {
    expect(narrowPreopens({ '/data': '/srv/data' }, ['/srv/data2', '/srv/dat'])).toEqual({});
  });
});
