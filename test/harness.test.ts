// Layer: tests. Imports node:*, vitest, the harness modules under cli/harness and test/support.
// `iotypes test`, the compatibility harness: spec parsing (both wasi-testsuite forms), judging,
// expectations, reports (JUnit checked by a strict XML parse), and the command itself as a child
// process: c-fixtures on every iotypes backend, a peer, runtimes that throw, abort or hang, and
// the exit status with and without known failures.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judge, outputDiff, stderrReason } from '../cli/harness/execute.js';
import { knownFailure, loadExpectations, verdict } from '../cli/harness/expect.js';
import { cellKey, toJUnit, type Cell, type Report } from '../cli/harness/report.js';
import { probe, type RuntimeInfo } from '../cli/harness/runtimes.js';
import { findSuites, loadSuite, removeCleanupArtifacts, type TestSpec } from '../cli/harness/suite.js';
import { FIXTURES } from './support/fixtures.js';
import { findAll, parseXml, XmlError } from './support/xml.js';
import { runNode } from './support/node-child.js';
import { encodeModule, op, type Instr } from './support/wasm.js';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'iotypes.js');
const work = mkdtempSync(join(tmpdir(), 'iotypes-harness-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const iotypes = (args: string[]) => runNode(BIN, args, { cwd: work });

/** A suite folder under `work` with the given files (Uint8Array, string, or a c-fixture to copy). */
function suite(name: string, files: Record<string, string | Uint8Array | { fixture: string }>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    if (typeof content === 'object' && 'fixture' in content) copyFileSync(join(FIXTURES, content.fixture), join(dir, file));
    else writeFileSync(join(dir, file), content);
  }
  return dir;
}

// (module (memory (export "memory") 1) (func (export "_start") (loop (br 0))))
const HANG = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x13, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x06,
  0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
]);
/** The header of a WebAssembly component (layer 1), which Preview 1 runtimes cannot run. */
const COMPONENT = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);

const spec = (over: Partial<TestSpec>): TestSpec => ({ args: [], env: {}, dirs: [], stdin: '', exitCode: 0, stdout: undefined, stderr: undefined, ...over });

describe('suites and specs', () => {
  const dir = suite('specs', {
    'defaults.wasm': { fixture: 'stdio_hello.wasm' },
    'legacy.wasm': { fixture: 'stdio_hello.wasm' },
    'legacy.json': JSON.stringify({ args: ['a', 'b'], env: { K: 'v' }, dirs: ['data'], root: 'data', exit_code: 3, stdout: 'out', stderr: 'err', stdin: 'in' }),
    'ops.wasm': { fixture: 'stdio_hello.wasm' },
    'ops.json': JSON.stringify({
      operations: [
        { type: 'run', args: ['x'], env: { A: '1' }, dirs: ['data'] },
        { type: 'write', id: 'stdin', payload: 'one ' },
        { type: 'read', payload: 'Hel' },
        { type: 'write', id: 'stdin', payload: 'two' },
        { type: 'read', id: 'stdout', payload: 'lo' },
        { type: 'read', id: 'stderr', payload: 'warn' },
        { type: 'wait', exit_code: 1 },
      ],
    }),
    'http.wasm': { fixture: 'stdio_hello.wasm' },
    'http.json': JSON.stringify({ proposals: ['http'], operations: [{ type: 'run' }, { type: 'wait' }] }),
    'sockets.wasm': { fixture: 'stdio_hello.wasm' },
    'sockets.json': JSON.stringify({ operations: [{ type: 'run' }, { type: 'connect' }, { type: 'send', id: 'server', payload: 'x' }, { type: 'wait' }] }),
    'service.wasm': { fixture: 'stdio_hello.wasm' },
    'service.json': JSON.stringify({ world: 'wasi:http/service', operations: [{ type: 'run' }] }),
    'mixed.wasm': { fixture: 'stdio_hello.wasm' },
    'mixed.json': JSON.stringify({ operations: [{ type: 'run' }], args: ['a'] }),
    'badjson.wasm': { fixture: 'stdio_hello.wasm' },
    'badjson.json': '{ "args": [',
    'badtype.wasm': { fixture: 'stdio_hello.wasm' },
    'badtype.json': JSON.stringify({ exit_code: 'zero' }),
    'nodir.wasm': { fixture: 'stdio_hello.wasm' },
    'nodir.json': JSON.stringify({ dirs: ['missing.dir'] }),
    'unknown.wasm': { fixture: 'stdio_hello.wasm' },
    'unknown.json': JSON.stringify({ exit_code: 0, flavour: 'x' }),
    'component.wasm': COMPONENT,
    'notwasm.wasm': 'hello',
    'manifest.json': JSON.stringify({ name: 'my-suite' }),
  });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const loaded = loadSuite(dir);
  const test = (name: string) => loaded.tests.find((t) => t.name === name)!;

  it('lists the .wasm files in name order, named by the manifest', () => {
    expect(loaded.name).toBe('my-suite');
    expect(loaded.tests.map((t) => t.name)).toEqual([
      'badjson', 'badtype', 'component', 'defaults', 'http', 'legacy', 'mixed', 'nodir', 'notwasm', 'ops', 'service', 'sockets', 'unknown',
    ]);
    expect(test('ops').id).toBe('my-suite/ops');
  });

  it('uses the defaults without a spec', () => {
    expect(test('defaults').spec).toEqual(spec({}));
  });

  it('reads the legacy form: root as /, dirs under their own names, stdin', () => {
    expect(test('legacy').spec).toEqual(
      spec({
        args: ['a', 'b'],
        env: { K: 'v' },
        dirs: [{ guest: '/', source: join(dir, 'data') }, { guest: 'data', source: join(dir, 'data') }],
        stdin: 'in',
        exitCode: 3,
        stdout: { text: 'out', exact: true },
        stderr: { text: 'err', exact: true },
      }),
    );
  });

  it('reads the operation form: writes are stdin, reads are consecutive pieces of the output', () => {
    expect(test('ops').spec).toEqual(
      spec({
        args: ['x'],
        env: { A: '1' },
        dirs: [{ guest: 'data', source: join(dir, 'data') }],
        stdin: 'one two',
        exitCode: 1,
        stdout: { text: 'Hello', exact: false },
        stderr: { text: 'warn', exact: false },
      }),
    );
  });

  it('skips what a Preview 1 command cannot do, saying why', () => {
    expect(test('http').skip).toMatch(/needs the http proposal/);
    expect(test('sockets').skip).toMatch(/needs the sockets proposal/);
    expect(test('service').skip).toMatch(/wasi:http\/service/);
    expect(test('component').skip).toMatch(/component, not a core module/);
  });

  it('reports a bad spec or binary as invalid, and an unknown key as a warning', () => {
    expect(test('mixed').invalid).toMatch(/cannot mix configuration styles/);
    expect(test('badjson').invalid).toMatch(/cannot parse badjson\.json/);
    expect(test('badtype').invalid).toMatch(/exit_code must be an integer/);
    expect(test('nodir').invalid).toMatch(/missing\.dir is not a folder/);
    expect(test('notwasm').invalid).toMatch(/not a WebAssembly binary/);
    expect(test('unknown').spec).toBeDefined();
    expect(test('unknown').warnings).toEqual(['unknown key "flavour"']);
  });

  it('finds the folder itself and every folder below with a manifest.json as suites', () => {
    const top = suite('tree', { 'top.wasm': { fixture: 'stdio_hello.wasm' } });
    suite('tree/c/testsuite/wasm32-wasip1', { 'manifest.json': '{"name": "C tests"}', 'a.wasm': { fixture: 'stdio_hello.wasm' } });
    suite('tree/rust/testsuite/wasm32-wasip1', { 'manifest.json': '{"name": "Rust tests"}', 'b.wasm': { fixture: 'stdio_hello.wasm' } });
    suite('tree/rust/testsuite/wasm32-wasip1/fs-tests.dir', { 'data.wasm': 'not a test: no manifest here' });
    suite('tree/old.cleanup', { 'manifest.json': '{}' });
    expect(findSuites(top)).toEqual([top, join(top, 'c/testsuite/wasm32-wasip1'), join(top, 'rust/testsuite/wasm32-wasip1')]);
    // A folder of suites only, with no tests of its own, is not a suite itself.
    expect(findSuites(join(top, 'rust'))).toEqual([join(top, 'rust/testsuite/wasm32-wasip1')]);
    expect(findSuites(join(top, 'rust/testsuite/wasm32-wasip1/fs-tests.dir'))).toEqual([join(top, 'rust/testsuite/wasm32-wasip1/fs-tests.dir')]);
  });

  it('removes *.cleanup files and folders at any depth', () => {
    const d = suite('cleanup', { 'a.cleanup': 'x', 'keep.txt': 'y' });
    mkdirSync(join(d, 'sub', 'b.cleanup', 'inner'), { recursive: true });
    writeFileSync(join(d, 'sub', 'c.cleanup'), 'z');
    removeCleanupArtifacts(d);
    expect(readdirSync(d).sort()).toEqual(['keep.txt', 'sub']);
    expect(readdirSync(join(d, 'sub'))).toEqual([]);
  });
});

describe('judging a run', () => {
  const b = (s: string) => Buffer.from(s);
  it('passes a matching run and names the first difference otherwise', () => {
    const s = spec({ stdout: { text: 'a\nb\n', exact: true } });
    expect(judge(s, 0, undefined, b('a\nb\n'), b(''))).toBeUndefined();
    expect(judge(s, 1, undefined, b('a\nb\n'), b('FAIL x.c:3: oops\n'))).toBe('exit code 1, expected 0; stderr: FAIL x.c:3: oops');
    expect(judge(spec({ exitCode: 0 }), 134, 'unreachable', b(''), b(''))).toBe('trap (unreachable), exit code 134, expected 0');
    expect(judge(s, 0, undefined, b('a\nc\n'), b(''))).toBe('stdout differs at line 2: expected "b\\n", got "c\\n"');
    expect(judge(s, 0, undefined, b('a\n'), b(''))).toBe('stdout ends early at line 2: expected "b\\n", got ""');
    expect(judge(s, 0, undefined, b('a\nb\nc'), b(''))).toBe('stdout has extra output at line 3: "c"');
    expect(judge(spec({ exitCode: undefined }), 7, undefined, b(''), b(''))).toBeUndefined();
  });
  it('compares bytes (UTF-8) and accepts more output after an expected prefix', () => {
    expect(outputDiff('stdout', { text: 'héllo', exact: true }, b('héllo'))).toBeUndefined();
    expect(outputDiff('stdout', { text: 'hé', exact: false }, b('héllo'))).toBeUndefined();
    expect(outputDiff('stderr', { text: 'hé', exact: false }, b('ha'))).toMatch(/^stderr differs at line 1/);
  });
  it('gives a Rust panic with its message, wherever it is in stderr', () => {
    const panic = [
      'setting up',
      "thread 'main' panicked at src/bin/fd_advise.rs:24:5:",
      'assertion `left == right` failed: advise',
      '  left: 28',
      ' right: 0',
      'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
      '',
    ].join('\n');
    expect(stderrReason(b(panic))).toBe("thread 'main' panicked at src/bin/fd_advise.rs:24:5: assertion `left == right` failed: advise left: 28 right: 0");
    expect(judge(spec({ exitCode: 0 }), 134, 'unreachable', b(''), b(panic))).toMatch(/; stderr: thread 'main' panicked at src\/bin\/fd_advise\.rs:24:5: assertion `left == right` failed: advise left: 28 right: 0$/);
    // The older form keeps the message on the panic line itself.
    expect(stderrReason(b("thread 'main' panicked at 'explicit panic', src/main.rs:2:5\nnote: ...\n"))).toBe("thread 'main' panicked at 'explicit panic', src/main.rs:2:5");
    expect(stderrReason(b('\n  \nFAIL x.c:3: oops\nmore\n'))).toBe('FAIL x.c:3: oops');
    expect(stderrReason(b(''))).toBeUndefined();
  });
  it('says how to add a missing peer', async () => {
    const missing = await probe({
      pkg: '@example/peer',
      install: '@example/peer@1',
      load: () => Promise.reject(Object.assign(new Error("Cannot find package '@example/peer'"), { code: 'ERR_MODULE_NOT_FOUND' })),
    });
    expect(missing).toBe('@example/peer is not installed; add it with: npm install -D @example/peer@1');
  });
});

describe('expectations', () => {
  it('reads known failures per runtime, ignoring top-level comments', () => {
    const file = join(work, 'exp.json');
    writeFileSync(file, JSON.stringify({ description: 'x', 'iotypes:memfs': { pwrite_5gib: 'too big', 's/other': { reason: 'y', flaky: true } } }));
    const exp = loadExpectations(file);
    const t = { suite: 's', name: 'other', id: 's/other', wasm: '', warnings: [] };
    expect(knownFailure(exp, 'iotypes:memfs', { ...t, name: 'pwrite_5gib', id: 's/pwrite_5gib' })).toEqual({ reason: 'too big', flaky: false });
    expect(knownFailure(exp, 'iotypes:memfs', t)).toEqual({ reason: 'y', flaky: true });
    expect(knownFailure(exp, 'node', t)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ node: { a: 1 } }));
    expect(() => loadExpectations(file)).toThrow(/must be a reason/);
  });
  it('makes only unexpected failures regressions, and a flaky pass no news', () => {
    const known = { reason: 'r', flaky: false };
    const flaky = { reason: 'r', flaky: true };
    expect(verdict('FAIL', undefined)).toBe('regression');
    expect(verdict('CRASH', known)).toBe('known');
    expect(verdict('PASS', known)).toBe('fixed');
    expect(verdict('PASS', flaky)).toBe('pass');
    expect(verdict('FAIL', flaky)).toBe('known');
    expect(verdict('SKIP', undefined)).toBe('skip');
    expect(verdict('TIMEOUT', undefined)).toBe('regression');
  });
});

describe('JUnit output', () => {
  it('is well-formed XML whatever the program printed', () => {
    const nasty = 'a<b>&c"d\'e\u0000\u0007\u001b[31m\uD800 \uFFFE\n]]> ok 日本';
    /** What XML can hold of it: the characters it cannot hold become U+FFFD. */
    const clean = (s: string) => s.replace(/[\u0000\u0007\u001b\uD800\uFFFE]/g, '\uFFFD');
    const tests = ['t1', 't2', 't3', 't4'].map((name) => ({ suite: 's&<', name: `${name}${nasty}`, id: `s/${name}`, wasm: '', warnings: [] }));
    const runtime: RuntimeInfo = { id: 'rt"<>', runtime: 'node', description: nasty };
    const results: Cell[] = [
      { verdict: 'regression', result: { status: 'FAIL', reason: nasty, stdout: Buffer.from(nasty), stderr: Buffer.from([0xff, 0xfe, 0x00, 0x41]), durationMs: 1 } },
      { verdict: 'regression', result: { status: 'CRASH', reason: nasty, durationMs: 2 } },
      { verdict: 'known', known: nasty, result: { status: 'TIMEOUT', reason: nasty, durationMs: 3 } },
      { verdict: 'skip', result: { status: 'SKIP', reason: nasty, durationMs: 0 } },
    ];
    const cells = new Map(tests.map((t, i) => [cellKey(t, runtime), results[i]!]));
    const report: Report = { suites: [{ name: 's&<', dir: '/x', tests }], runtimes: [runtime], cells, startedAt: new Date(0), durationMs: 6, stale: [], version: '0' };
    const xml = parseXml(toJUnit(report));
    expect(xml.name).toBe('testsuites');
    expect(xml.attrs).toMatchObject({ tests: '4', failures: '1', errors: '1', skipped: '2' });
    const cases = findAll(xml, 'testcase');
    expect(cases.map((c) => c.attrs['name'])).toEqual(tests.map((t) => clean(t.name)));
    expect(findAll(xml, 'failure')[0]!.attrs['message']).toContain('a<b>&c"d\'e');
    expect(findAll(xml, 'error')[0]!.attrs['type']).toBe('CRASH');
    expect(findAll(xml, 'skipped').map((s) => s.attrs['message'])).toEqual([`known failure: ${clean(nasty)} (TIMEOUT: ${clean(nasty)})`, clean(nasty)]);
    expect(findAll(xml, 'system-err')[0]!.text).toBe('\uFFFD\uFFFD\uFFFDA');
  });
  it('is checked by a parser that rejects what is not well-formed', () => {
    for (const bad of ['<a>', '<a></b>', '<a b="1" b="2"/>', '<a>&foo;</a>', '<a>\u0001</a>', '<a>x & y</a>', '<a/><b/>', '<a b=1/>', '<a>]]></a>', '<a b="<"/>', '<!-- a -- b --><a/>']) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
    expect(parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="&#60;&amp;"><b/>t&lt;<![CDATA[<c>]]><!-- c --></a>\n').text).toBe('t<<c>');
  });
});

describe('iotypes test', () => {
  const fixtureCount = readdirSync(FIXTURES).filter((f) => f.endsWith('.wasm')).length;

  it('runs c-fixtures on every iotypes backend with no regressions, with JSON and JUnit reports', async () => {
    const json = join(work, 'fixtures.json');
    const junit = join(work, 'fixtures.xml');
    const got = await iotypes([
      'test', FIXTURES, '--runtime', 'iotypes', '--backend', 'node', '--backend', 'memory', '--backend', 'memfs',
      '--jobs', '2', '--expect', join(FIXTURES, 'expectations.json'), '--json', json, '--junit', junit,
    ]);
    expect(got.status, `${got.stdout}\n${got.stderr}`).toBe(0);
    expect(got.stdout).toMatch(/^test +iotypes:node +iotypes:memory +iotypes:memfs$/m);
    expect(got.stdout).toMatch(/^stdio_hello +PASS +PASS +PASS$/m);
    for (const b of ['node', 'memory', 'memfs']) expect(got.stdout).toMatch(new RegExp(`^iotypes:${b} +\\d+ passed, \\d+ failed.*, \\d+ skipped`, 'm'));
    expect(got.stdout).toMatch(/^No regressions\.$/m);
    expect(got.stderr).toMatch(/^iotypes test: \d+\/\d+ run \(100%\)/m); // not a terminal: plain progress lines

    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      summary: Record<string, { passed: number; failed: number; knownFailures: number; regressions: number }>;
      suites: { tests: unknown[] }[];
      regressions: unknown[];
    };
    expect(report.regressions).toEqual([]);
    expect(report.suites[0]!.tests).toHaveLength(fixtureCount);
    expect(report.summary['iotypes:node']).toMatchObject({ passed: fixtureCount, failed: 0 });
    expect(report.summary['iotypes:memory']).toMatchObject({ passed: fixtureCount, failed: 0 });
    const memfs = report.summary['iotypes:memfs']!;
    expect(memfs.failed).toBe(memfs.knownFailures);

    const xml = parseXml(readFileSync(junit, 'utf8'));
    expect(findAll(xml, 'testsuite')).toHaveLength(3);
    expect(findAll(xml, 'testcase')).toHaveLength(3 * fixtureCount);
    expect(findAll(xml, 'failure')).toHaveLength(0);
    expect(findAll(xml, 'error')).toHaveLength(0);
  }, 300_000);

  it('prints the matrix and a summary per runtime for iotypes and node:wasi', async () => {
    const got = await iotypes(['test', FIXTURES, '--runtime', 'iotypes', '--runtime', 'node', '--filter', '^(stdio_hello|exit_code_3|abort_trap|args_non_ascii)$', '--jobs', '2']);
    expect(got.status, got.stdout + got.stderr).toBe(0);
    expect(got.stdout).toBe(
      [
        'test            iotypes:node  node',
        'abort_trap      PASS          PASS',
        'args_non_ascii  PASS          PASS',
        'exit_code_3     PASS          PASS',
        'stdio_hello     PASS          PASS',
        '',
        'iotypes:node  4 passed, 0 failed, 0 skipped',
        'node          4 passed, 0 failed, 0 skipped',
        '',
        'No failures.',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it('contains a runtime that throws, aborts or hangs, and a module that never exits', async () => {
    const dir = suite('contain', { 'hello.wasm': { fixture: 'stdio_hello.wasm' }, 'hello.json': { fixture: 'stdio_hello.json' }, 'hang.wasm': HANG });
    expect(WebAssembly.validate(HANG)).toBe(true);
    const runner = (name: string, body: string) => {
      const path = join(work, `${name}.mjs`);
      writeFileSync(path, `export async function run(ctx) {\n${body}\n}\n`);
      return path;
    };
    const json = join(work, 'contain.json');
    const got = await iotypes([
      'test', dir, '--runtime', 'iotypes:memory',
      '--runtime', runner('throws', "throw new TypeError('boom');"),
      '--runtime', runner('aborts', 'process.abort();'),
      '--runtime', runner('hangs', 'for (;;) {}'),
      '--runtime', runner('exits', 'process.exit(0);'),
      '--timeout', '2', '--jobs', '4', '--json', json,
    ]);
    expect(got.status, got.stdout + got.stderr).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { suites: { tests: { name: string; results: Record<string, { status: string; reason?: string }> }[] }[] };
    const results = Object.fromEntries(report.suites[0]!.tests.map((t) => [t.name, t.results]));
    expect(results['hello']!['iotypes:memory']!.status).toBe('PASS');
    expect(results['hang']!['iotypes:memory']).toMatchObject({ status: 'TIMEOUT', reason: 'no exit within 2 s (killed)' });
    for (const t of ['hello', 'hang']) {
      expect(results[t]!['throws']).toMatchObject({ status: 'CRASH', reason: 'host exception: TypeError: boom' });
      expect(results[t]!['aborts']!.status).toBe('CRASH');
      expect(results[t]!['aborts']!.reason).toMatch(/^killed by signal SIGABRT/);
      expect(results[t]!['hangs']!.status).toBe('TIMEOUT');
      expect(results[t]!['exits']).toMatchObject({ status: 'CRASH', reason: "the runtime's process exited with status 0 without a result" });
    }
    expect(got.stdout).toMatch(/^throws +0 passed, 2 failed \(2 crashes\), 0 skipped$/m);
    expect(got.stdout).toMatch(/^hangs +0 passed, 2 failed \(2 timeouts\), 0 skipped$/m);
  }, 60_000);

  describe('with an expectations file', () => {
    const dir = suite('expect', {
      'pass.wasm': { fixture: 'stdio_hello.wasm' },
      'pass.json': { fixture: 'stdio_hello.json' },
      'fail.wasm': { fixture: 'exit_code_3.wasm' },
      'fail.json': JSON.stringify({ exit_code: 0 }),
    });
    const run = (expectations?: object, extra: string[] = []) => {
      const args = ['test', dir, '--runtime', 'iotypes:memory', ...extra];
      if (expectations !== undefined) {
        const file = join(work, `expect-${Math.random().toString(36).slice(2)}.json`);
        writeFileSync(file, JSON.stringify(expectations));
        args.push('--expect', file);
      }
      return iotypes(args);
    };

    it('fails on any failure without one', async () => {
      const got = await run();
      expect(got.status).toBe(1);
      expect(got.stdout).toMatch(/^FAIL +iotypes:memory +fail: exit code 3, expected 0$/m);
      expect(got.stdout).toMatch(/^1 failure\.$/m);
    });

    it('passes when the failure is known, and says so in the matrix and in JUnit', async () => {
      const junit = join(work, 'known.xml');
      const got = await run({ 'iotypes:memory': { fail: 'exits 3 on purpose' } }, ['--junit', junit]);
      expect(got.status, got.stdout).toBe(0);
      expect(got.stdout).toMatch(/^fail +FAIL\*$/m);
      expect(got.stdout).toMatch(/^iotypes:memory +1 passed, 1 failed, 0 skipped; 1 known$/m);
      expect(got.stdout).toMatch(/^No regressions\.$/m);
      const xml = parseXml(readFileSync(junit, 'utf8'));
      expect(xml.attrs).toMatchObject({ failures: '0', errors: '0', skipped: '1' });
    });

    it('reports a known failure that now passes without failing', async () => {
      const got = await run({ 'iotypes:memory': { fail: 'exits 3 on purpose', pass: 'was broken' } });
      expect(got.status, got.stdout).toBe(0);
      expect(got.stdout).toMatch(/^pass +PASS!$/m);
      expect(got.stdout).toMatch(/Known failures that now pass \(remove them from .*\):\n {2}iotypes:memory: pass$/m);
    });

    it('fails on a new failure', async () => {
      const got = await run({ 'iotypes:memory': { pass: 'was broken' }, node: { fail: 'another runtime' } });
      expect(got.status).toBe(1);
      expect(got.stdout).toMatch(/^1 regression\.$/m);
    });
  });

  it.each([
    ['no suite', ['test'], /missing required argument 'suite-dir/],
    ['a missing folder', ['test', 'no/such/dir'], /no\/such\/dir: not a folder/],
    ['an unknown runtime', ['test', FIXTURES, '--runtime', 'wasmtime'], /--runtime wasmtime: unknown runtime/],
    ['a bad --jobs', ['test', FIXTURES, '--jobs', '0'], /--jobs 0: expected a positive integer/],
    ['--backend without iotypes', ['test', FIXTURES, '--runtime', 'node', '--backend', 'memory'], /--backend applies to --runtime iotypes/],
    ['a bad --filter', ['test', FIXTURES, '--filter', '('], /--filter \(: /],
    ['a filter matching nothing', ['test', FIXTURES, '--filter', '^nothing$'], /no tests in .* matching --filter/],
    ['an unreadable --expect', ['test', FIXTURES, '--expect', 'no-such.json'], /--expect no-such\.json: /],
  ])('rejects %s with status 125', async (_what, args, message) => {
    const got = await iotypes(args);
    expect(got.status).toBe(125);
    expect(got.stderr).toMatch(message);
    expect(got.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('iotypes test over a tree of suites, and a Rust panic', () => {
  /** A command that writes `text` to stderr and traps, as a Rust test does when it panics. */
  function writesThenTraps(text: string): Uint8Array {
    const bytes = new TextEncoder().encode(text);
    const at = 64;
    const body: Instr[] = [];
    bytes.forEach((byte, i) => body.push(op.i32(at + i), op.i32(byte), [0x3a, 0, 0])); // i32.store8
    // iovec { buf: at, buf_len } at 0; fd_write(2, iovs=0, 1, nwritten=8); unreachable
    body.push(op.i32(0), op.i32(at), [0x36, 2, 0], op.i32(4), op.i32(bytes.length), [0x36, 2, 0]);
    body.push(op.i32(2), op.i32(0), op.i32(1), op.i32(8), op.call('fd_write'), op.drop, [0x00]);
    return encodeModule({
      imports: [{ module: 'wasi_snapshot_preview1', name: 'fd_write', params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] }],
      funcs: [{ name: '_start', params: [], results: [], body }],
    });
  }

  it('runs every suite below the folder and keeps the panic message in the reason', async () => {
    const top = join(work, 'suites');
    suite('suites/c/testsuite/wasm32-wasip1', { 'manifest.json': '{"name": "WASI C tests"}', 'hello.wasm': { fixture: 'stdio_hello.wasm' } });
    suite('suites/rust/testsuite/wasm32-wasip1', {
      'manifest.json': '{"name": "WASI Rust tests"}',
      'fd_advise.wasm': writesThenTraps("thread 'main' panicked at src/bin/fd_advise.rs:24:5:\nassertion `left == right` failed\n  left: 28\n right: 0\nnote: run with `RUST_BACKTRACE=1`\n"),
    });
    const got = await iotypes(['test', top, '--no-progress']);
    expect(got.status, got.stderr).toBe(1);
    expect(got.stdout).toMatch(/WASI C tests\/hello +PASS/);
    expect(got.stdout).toMatch(/WASI Rust tests\/fd_advise +FAIL/);
    expect(got.stdout).toContain("panicked at src/bin/fd_advise.rs:24:5: assertion `left == right` failed left: 28 right: 0");
  });
});
