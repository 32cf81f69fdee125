// The `iotypes` command as a user runs it: a child process with real stdio.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import initWabt from 'wabt';
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
const iotypes = (args: string[], stdin = '', cwd = ROOT) => runNode(BIN, args, { cwd, stdin });

const wabt = await initWabt();
/** Assembles WebAssembly text into `work/NAME.wasm` and returns that path. */
function assemble(name: string, text: string): string {
  const parsed = wabt.parseWat(`${name}.wat`, text, { exceptions: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    const path = join(work, `${name}.wasm`);
    writeFileSync(path, parsed.toBinary({}).buffer);
    return path;
  } finally {
    parsed.destroy();
  }
}

/** A program that writes its whole argument buffer (argv[0], argv[1], ... each NUL-terminated) to stdout. */
const PRINT_ARGS = `(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $get (i32.const 1024) (i32.const 2048)))
    (i32.store (i32.const 16) (i32.const 2048))
    (i32.store (i32.const 20) (i32.load (i32.const 4)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
`;

/** stderr is one line (the last one, after the program's own output) and carries no stack trace. */
function expectOneLine(stderr: string, message: RegExp): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr.trim()).toMatch(message);
}

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

/** (module ... (func (export "_start") BODY)) exporting its memory, with proc_exit and fd_write imported. */
const command = (body: string, extra = '') => `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ${extra}
  (func (export "_start") ${body}))`;

describe('iotypes run: every way a module ends is one line and a documented status', () => {
  it.each([
    ['a stack overflow', command('(call $deep)', '(func $deep (call $deep))'), 134, /: wasm trap: call stack exhausted$/],
    ['a stack overflow in a start section', command('', '(func $deep (call $deep)) (start $deep)'), 134, /: wasm trap: call stack exhausted$/],
    ['an uncaught wasm exception', command('(throw $oops (i32.const 1))', '(tag $oops (param i32))'), 134, /: wasm trap: uncaught wasm exception$/],
    ['proc_exit(256)', command('(call $exit (i32.const 256))'), 134, /: wasm trap: proc_exit\(256\): exit status outside 0\.\.255$/],
    ['proc_exit(-1)', command('(call $exit (i32.const -1))'), 134, /: wasm trap: proc_exit\(4294967295\): exit status outside 0\.\.255$/],
    [
      'a start section that calls fd_write',
      command('', '(func $init (drop (call $write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 8)))) (start $init)'),
      125,
      /: its start section calls wasi_snapshot_preview1\.fd_write, which iotypes cannot serve before instantiation ends/,
    ],
    ['a module exporting _start and _initialize', command('', '(func (export "_initialize"))'), 125, /: exports both _start and _initialize/],
    ['a _start with a parameter', '(module (memory (export "memory") 1) (func (export "_start") (param i32)))', 125, /: _start takes 1 parameter\(s\) and returns 0 result\(s\)/],
    ['a _start with a result', '(module (memory (export "memory") 1) (func (export "_start") (result i32) (i32.const 0)))', 125, /: _start takes 0 parameter\(s\) and returns 1 result\(s\)/],
    // 10,000,001 entries: one more than V8 allows a table (its limit is 10,000,000).
    ['a table larger than the engine allows', command('', '(table 10000001 funcref)'), 125, /: cannot (instantiate|compile): .*table/],
  ])('%s', async (what, text, status, message) => {
    const got = await iotypes(['run', assemble(what.replace(/\W+/g, '-'), text)]);
    expect(got.status, got.stderr).toBe(status);
    expectOneLine(got.stderr, message);
  });

  it('a start section may end the program with proc_exit, whose code is the exit status', async () => {
    const got = await iotypes(['run', assemble('start-exit', command('(unreachable)', '(func $init (call $exit (i32.const 7))) (start $init)'))]);
    expect(got.status, got.stderr).toBe(7);
    expect(got.stderr).toBe('');
  });

  it('exit codes 0..255 pass through unchanged', async () => {
    for (const code of [0, 1, 126, 255]) {
      const got = await iotypes(['run', assemble(`exit-${code}`, command(`(call $exit (i32.const ${code}))`))]);
      expect(got.status, got.stderr).toBe(code);
      expect(got.stderr).toBe('');
    }
  });

  it('refuses a FIFO or a device as the module instead of blocking on it', async () => {
    const fifo = join(work, 'module.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero']) {
      // Synchronous with a deadline, so that a regression fails here instead of leaving a child
      // blocked on the FIFO forever.
      const got = spawnSync(process.execPath, [BIN, 'run', path], { encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
      expect(got.status, got.signal ?? '').toBe(125);
      expectOneLine(got.stderr, /: not a regular file \(a FIFO, device or socket cannot be a module\)$/);
    }
  });

  it('keeps the status when stderr is a closed pipe', async () => {
    const withClosedStderr = (args: string[]) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        child.stderr!.destroy(); // before the child writes a byte: its writes to stderr fail (EPIPE)
        child.on('error', reject);
        child.on('close', resolve);
      });
    expect(await withClosedStderr(['run', join(FIXTURES, 'abort_trap.wasm')])).toBe(134);
    expect(await withClosedStderr(['run', join(work, 'no-such.wasm')])).toBe(125);
    expect(await withClosedStderr(['--frobnicate'])).toBe(125);
    expect(await withClosedStderr(['run', assemble('closed-exit', command('(call $exit (i32.const 256))'))])).toBe(134);
    expect(await withClosedStderr(['--trace', join(FIXTURES, 'exit_code_3.wasm')])).toBe(3);
  });
});

describe('iotypes without `run`, .wat input, --argv0, option errors', () => {
  it('`iotypes prog.wasm args` runs the program, options and all', async () => {
    const plain = await iotypes([join(FIXTURES, 'args_non_ascii.wasm'), 'héllo', '日本語', 'plain']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toBe(readSpec('args_non_ascii').stdout);
    const wasm = assemble('print-args', PRINT_ARGS);
    // Options before the module belong to iotypes; from the module on, everything is the program's.
    const got = await iotypes(['--env', 'X=1', wasm, 'a', '--help', '--version']);
    expect(got.status, got.stderr).toBe(0);
    expect(got.stdout).toBe(`${wasm}\0a\0--help\0--version\0`);
  });

  it('a module named like a subcommand runs with `run`', async () => {
    const dir = mkdtempSync(join(work, 'named-'));
    for (const name of ['test', 'run', 'help']) cpSync(assemble('print-args', PRINT_ARGS), join(dir, name));
    for (const name of ['test', 'run', 'help']) {
      const got = await iotypes(['run', name, 'x'], '', dir);
      expect(got.status, got.stderr).toBe(0);
      expect(got.stdout).toBe(`${name}\0x\0`);
    }
    // ... and the subcommands keep their meaning.
    const harness = await iotypes(['test'], '', dir);
    expect(harness.status).toBe(125);
    expectOneLine(harness.stderr, /^iotypes: missing required argument 'suite-dir' \(see 'iotypes test --help'\)$/);
  });

  it('runs a .wat text module, with or without `run`', async () => {
    const wat = join(work, 'print-args.wat');
    writeFileSync(wat, PRINT_ARGS);
    for (const args of [[wat, 'one'], ['run', wat, 'one']]) {
      const got = await iotypes(args);
      expect(got.status, got.stderr).toBe(0);
      expect(got.stdout).toBe(`${wat}\0one\0`);
    }
    const trap = join(work, 'trap.wat');
    writeFileSync(trap, '(module (memory (export "memory") 1) (func (export "_start") unreachable))');
    const trapped = await iotypes([trap]);
    expect(trapped.status).toBe(134);
    expectOneLine(trapped.stderr, /trap\.wat: wasm trap: unreachable$/);
  });

  it('reports a .wat syntax error in one line with its position', async () => {
    const bad = join(work, 'bad.wat');
    writeFileSync(bad, '(module\n  (func (export "_start") (i32.frobnicate))\n)');
    const got = await iotypes([bad]);
    expect(got.status).toBe(125);
    expectOneLine(got.stderr, /^iotypes: cannot parse: .*bad\.wat:2:\d+: error: /);
  });

  it('loads the text parser only for a .wat module', async () => {
    // Which of wabt's files a run of main() loaded, seen from the same process.
    const probe = join(work, 'probe.mjs');
    writeFileSync(
      probe,
      `import { createRequire } from 'node:module';
const { main } = await import(${JSON.stringify(join(ROOT, 'dist', 'cli.js'))});
await main(process.argv.slice(2));
const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('wabt'));
process.stderr.write(loaded ? 'wabt loaded' : 'wabt not loaded');`,
    );
    const wat = join(work, 'print-args.wat');
    writeFileSync(wat, PRINT_ARGS);
    const binary = await runNode(probe, [join(FIXTURES, 'exit_code_3.wasm')], { cwd: ROOT });
    expect(binary.stderr).toBe('wabt not loaded');
    const text = await runNode(probe, [wat], { cwd: ROOT });
    expect(text.stderr).toBe('wabt loaded');
  });

  it('--argv0 sets the program\'s argv[0]', async () => {
    const wasm = assemble('print-args', PRINT_ARGS);
    for (const args of [['--argv0', 'prog', wasm, 'a'], ['run', '--argv0', 'prog', wasm, 'a']]) {
      const got = await iotypes(args);
      expect(got.status, got.stderr).toBe(0);
      expect(got.stdout).toBe('prog\0a\0');
    }
    const empty = await iotypes(['--argv0', '', wasm]);
    expect(empty.stdout).toBe('\0');
  });

  it.each([
    ['an unknown option', ['--frobnicate', 'x.wasm'], /^iotypes: unknown option '--frobnicate' \(see 'iotypes run --help'\)$/],
    ['an option without its value', ['run', '--argv0'], /^iotypes: option '--argv0 <NAME>' argument missing \(see 'iotypes run --help'\)$/],
    ['a misspelled option', ['--dri', '.', 'x.wasm'], /^iotypes: unknown option '--dri' \(Did you mean --dir\?\) \(see 'iotypes run --help'\)$/],
    ['a malformed --dir', ['--dir', 'a::', join(FIXTURES, 'exit_code_3.wasm')], /^iotypes: --dir a::: expected HOST or HOST::GUEST \(see 'iotypes run --help'\)$/],
    ['a malformed --env', ['--env', '=x', join(FIXTURES, 'exit_code_3.wasm')], /^iotypes: --env =x: expected NAME=VALUE or NAME \(see 'iotypes run --help'\)$/],
    ['a bad test option', ['test', '--jobs'], /^iotypes: option '--jobs <N>' argument missing \(see 'iotypes test --help'\)$/],
  ])('an option error (%s) is one iotypes: line pointing at --help', async (_what, args, message) => {
    const got = await iotypes(args);
    expect(got.status).toBe(125);
    expectOneLine(got.stderr, message);
  });

  it('with no arguments prints the help on stderr, which names the default command', async () => {
    const got = await iotypes([]);
    expect(got.status).toBe(125);
    expect(got.stderr).toMatch(/Usage: iotypes/);
    expect(got.stderr).toMatch(/`iotypes prog\.wasm ARGS` is `iotypes run prog\.wasm ARGS`/);
  });
});
