// The `iotypes` command as a user runs it: a child process with real stdio.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureNames, readSpec } from './support/fixtures.js';
import { runNode } from './support/node-child.js';
import { encodeModule } from './support/wasm.js';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'iotypes.js');
const work = mkdtempSync(join(tmpdir(), 'iotypes-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A module using a WebAssembly feature this engine lacks: memory64 (which Node 20 lacks) or
 * wide arithmetic (i64.add128, which Node 24 and 26 lack). */
const LACKED_FEATURE = (() => {
  const candidates = [
    Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 4, 1]), // (module (memory i64 1))
    encodeModule({
      funcs: [{
        name: 'add128', params: ['i64', 'i64', 'i64', 'i64'], results: ['i64', 'i64'],
        body: [[0x20, 0], [0x20, 1], [0x20, 2], [0x20, 3], [0xfc, 19]],
      }],
    }),
  ];
  const lacked = candidates.find((bytes) => !WebAssembly.validate(bytes));
  if (lacked === undefined) throw new Error('this engine compiles every candidate: add a module using a feature it lacks');
  return lacked;
})();

/** Runs `iotypes ...args`, feeding `stdin`. */
const iotypes = (args: string[], stdin = '') => runNode(BIN, args, { cwd: ROOT, stdin });

describe.concurrent('every c-fixture through `iotypes run`', () => {
  for (const name of fixtureNames()) {
    it(name, async () => {
      const spec = readSpec(name);
      const dir = mkdtempSync(join(work, `${name}-`));
      const args = ['run'];
      for (const d of spec.dirs ?? []) {
        cpSync(join(FIXTURES, d), join(dir, d), { recursive: true, verbatimSymlinks: true });
        args.push('--dir', `${join(dir, d)}::${d}`);
      }
      for (const [k, v] of Object.entries(spec.env ?? {})) args.push('--env', `${k}=${v}`);
      args.push(join(FIXTURES, `${name}.wasm`), ...(spec.args ?? []).map((a) => (a.startsWith('@') ? `@${a}` : a)));
      const got = await iotypes(args, spec.stdin ?? '');
      expect(got.status, got.stderr).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout).toBe(spec.stdout);
      // A trap adds one line naming it; the program's own stderr must be there unchanged.
      if (spec.stderr !== undefined && spec.exit_code !== 134) expect(got.stderr).toBe(spec.stderr);
    });
  }
});

describe('iotypes run', () => {
  it('reports a trap in one line and exits 134', async () => {
    const got = await iotypes(['run', join(FIXTURES, 'abort_trap.wasm')]);
    expect(got.status).toBe(134);
    const lines = got.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^iotypes: .*abort_trap\.wasm: wasm trap: unreachable$/);
  });

  it.each([
    ['a missing file', ['run', 'no-such.wasm'], /no-such\.wasm: no such file/],
    ['a file that is not wasm', ['run', 'package.json'], /not a WebAssembly module/],
    ['a module that is not a WASI command', ['run', '__reactor__'], /not a WASI command \(no _start export/],
    ['a module with foreign imports', ['run', '__foreign__'], /imports env\.f \(function\), which a WASI Preview 1 host does not provide/],
    ['a module importing a WASI function that does not exist', ['run', '__nocall__'], /imports wasi_snapshot_preview1\.fd_frobnicate, which is not a WASI Preview 1 function/],
    ['a module importing a WASI function with the wrong signature', ['run', '__badsig__'], /imports wasi_snapshot_preview1\.fd_write as \(\) -> \(\), but its signature is \(i32, i32, i32, i32\) -> \(i32\)/],
    ['a module this engine cannot compile', ['run', '__badfeature__'], /cannot compile: .*this engine lacks these WebAssembly features: /],
    ['a missing --dir folder', ['run', '--dir', '/no/such/folder::x', join(FIXTURES, 'stdio_hello.wasm')], /\/no\/such\/folder is not a directory/],
    ['a malformed --dir', ['run', '--dir', '::x', join(FIXTURES, 'stdio_hello.wasm')], /expected HOST or HOST::GUEST/],
    ['an unknown option', ['run', '--frobnicate', join(FIXTURES, 'stdio_hello.wasm')], /unknown option '--frobnicate'/],
  ])('rejects %s with one line and status 125', async (_what, args, message) => {
    const modules: Record<string, Uint8Array> = {
      // (module (memory (export "memory") 1))
      __reactor__: Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, 109, 101, 109, 111, 114, 121, 2, 0]),
      // (module (import "env" "f" (func)))
      __foreign__: Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 3, 101, 110, 118, 1, 102, 0, 0]),
      __badfeature__: LACKED_FEATURE,
      __nocall__: encodeModule({ imports: [{ module: 'wasi_snapshot_preview1', name: 'fd_frobnicate', params: [], results: [] }], funcs: [{ name: '_start', params: [], results: [], body: [] }] }),
      __badsig__: encodeModule({ imports: [{ module: 'wasi_snapshot_preview1', name: 'fd_write', params: [], results: [] }], funcs: [{ name: '_start', params: [], results: [], body: [] }] }),
    };
    const a = args.map((x) => {
      const bytes = modules[x];
      if (!bytes) return x;
      const p = join(work, `${x}.wasm`);
      writeFileSync(p, bytes);
      return p;
    });
    const got = await iotypes(a);
    expect(got.status).toBe(125);
    expect(got.stderr).toMatch(message);
    expect(got.stderr.trim().split('\n')).toHaveLength(1);
    expect(got.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints help and version', async () => {
    const help = await iotypes(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: iotypes/);
    const runHelp = await iotypes(['run', '--help']);
    expect(runHelp.stdout).toMatch(/--dir <HOST\[::GUEST\]>/);
    expect(runHelp.stdout).toMatch(/Exit status/);
    const version = await iotypes(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('passes options after the module to the program', async () => {
    const got = await iotypes(['run', join(FIXTURES, 'args_non_ascii.wasm'), 'héllo', '日本語', 'plain']);
    expect(got.status).toBe(0);
    expect(got.stdout).toBe(readSpec('args_non_ascii').stdout);
  });

  it('--env NAME copies the host value', async () => {
    const child = spawnSync(process.execPath, [BIN, 'run', '--env', 'GREETING', join(ROOT, 'examples', 'wc.wasm')], {
      env: { ...process.env, GREETING: 'x' }, input: 'a b\n', encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/^\s+1\s+2\s+4\s*$/m);
  });

  it('reads stdin from a pipe and from a file', async () => {
    const text = 'one two\nthree\n'.repeat(10_000);
    const piped = await iotypes(['run', join(ROOT, 'examples', 'wc.wasm')], text);
    expect(piped.stdout).toMatch(/^\s+20000\s+30000\s+140000\s*$/m);
    const file = join(work, 'stdin.txt');
    writeFileSync(file, text);
    const fd = openSync(file, 'r');
    try {
      const r = spawnSync(process.execPath, [BIN, 'run', join(ROOT, 'examples', 'wc.wasm')], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\s+20000\s+30000\s+140000\s*$/m);
    } finally {
      closeSync(fd);
    }
  });

  it('blocks on a slow stdin pipe instead of failing or spinning', async () => {
    const child = spawn(process.execPath, [BIN, 'run', join(ROOT, 'examples', 'wc.wasm')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    for (let i = 0; i < 5; i++) {
      child.stdin.write('word '.repeat(100) + '\n');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.stdin.end();
    const status = await new Promise((r) => child.on('close', r));
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\s+5\s+500\s+2505\s*$/m);
  });

  it('streams hundreds of MiB through stdout, complete and in order', async () => {
    const mib = 300;
    const child = spawn(process.execPath, [BIN, 'run', join(FIXTURES, 'stdout_bulk.wasm'), String(mib)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let bad = 0;
    let pos = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i += 4099) {
        const k = (pos + i) % 65536;
        const want = k === 65535 ? 10 : 97 + (k % 26);
        if (chunk[i] !== want) bad++;
      }
      pos += chunk.length;
      bytes += chunk.length;
    });
    const status = await new Promise((r) => child.on('close', r));
    expect(status).toBe(0);
    expect(bytes).toBe(mib * 1024 * 1024);
    expect(bad).toBe(0);
  }, 120_000);

  it('typed arguments give the program one file it cannot otherwise reach', async () => {
    const hidden = join(work, 'hidden');
    mkdirSync(hidden);
    writeFileSync(join(hidden, 'data.txt'), 'alpha beta\ngamma\n');
    writeFileSync(join(hidden, 'other.txt'), 'secret');
    chmodSync(hidden, 0o311); // the folder cannot even be listed by its owner
    try {
      const got = await iotypes(['run', join(ROOT, 'examples', 'wc.wasm'), `@in:${join(hidden, 'data.txt')}`]);
      expect(got.status, got.stderr).toBe(0);
      expect(got.stdout).toMatch(/^\s+2\s+3\s+17 \/iotypes\/\d+$/m);
      expect(got.stdout).not.toContain('hidden');
      const copy = join(hidden, 'copy.txt');
      const cp = await iotypes(['run', join(ROOT, 'examples', 'cp.wasm'), `@in:${join(hidden, 'data.txt')}`, `@out:${copy}`]);
      expect(cp.status, cp.stderr).toBe(0);
      chmodSync(hidden, 0o755);
      expect(readFileSync(copy, 'utf8')).toBe('alpha beta\ngamma\n');
      // The bound input is read-only, and nothing but the bound handles can be opened there.
      const denied = await iotypes(['run', join(ROOT, 'examples', 'cp.wasm'), `@in:${join(hidden, 'data.txt')}`, '/iotypes/other.txt']);
      expect(denied.status).toBe(1);
      expect(denied.stderr).toMatch(/\/iotypes\/other\.txt: /);
      const writeIn = await iotypes(['run', join(ROOT, 'examples', 'cp.wasm'), `@in:${join(hidden, 'other.txt')}`, `@@in:x`]);
      expect(writeIn.status).toBe(1);
      expect(writeIn.stderr).toMatch(/^@in:x: /m); // "@@" passes a literal "@" argument
      expect(readFileSync(join(hidden, 'other.txt'), 'utf8')).toBe('secret');
      const none = await iotypes(['run', join(ROOT, 'examples', 'tree.wasm'), '/iotypes']);
      expect(none.stderr).toMatch(/\/iotypes/); // without typed arguments nothing is there
    } finally {
      chmodSync(hidden, 0o755);
    }
  });
});
