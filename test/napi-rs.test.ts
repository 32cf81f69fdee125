// Real napi-rs wasm32-wasi packages from the npm registry (installed in test/napi-rs by
// `npm run napi-rs-deps`), each run twice as a child process: under node:wasi, and under
// `--import iotypes/register`. Results must be identical, and in the second run no thread may
// load node:wasi: the probe preload (test/napi-rs/no-node-wasi.mjs) makes any load throw and
// records it, and the first run shows the probe does see the loads (main thread and workers).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const dir = join(__dirname, 'napi-rs');
const PACKAGES = ['@napi-rs/lzma-wasm32-wasi', '@oxc-parser/binding-wasm32-wasi', '@tailwindcss/oxide-wasm32-wasi'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Lines the probe wrote: `thread N` per thread started, one line per node:wasi load. */
  probe: string[];
  ms: number;
}

let work: string;
let runs = 0;

/** `node [--import probe] [--import iotypes/register] script ...args` from the project root. */
function run(mode: 'node:wasi' | 'iotypes', script: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const log = join(work, `probe-${runs++}.log`);
  const flags = ['--import', join(dir, 'no-node-wasi.mjs')];
  if (mode === 'iotypes') flags.push('--import', 'iotypes/register');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, join(dir, script), ...args], {
      cwd: root,
      env: { ...process.env, ...env, NAPI_PROBE_LOG: log, NAPI_PROBE_FORBID: mode === 'iotypes' ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const probe = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
      resolve({ status, stdout, stderr, probe, ms: performance.now() - started });
    });
  });
}

const threads = (r: Run) => r.probe.filter((l) => l.startsWith('thread ')).length;
const wasiLoads = (r: Run) => r.probe.filter((l) => l.includes('node:wasi'));

/**
 * `run`, once more if Node itself aborted in its module loader: Node 20's require() of ES modules
 * from several worker threads at once sometimes dies with "FATAL ERROR: v8::Module::IsGraphAsync"
 * (seen with node:wasi as much as with iotypes); a second crash fails the test.
 */
async function runOnce(mode: 'node:wasi' | 'iotypes', script: string, args: readonly string[]): Promise<Run> {
  const r = await run(mode, script, args);
  if (r.status === null && r.stderr.includes('FATAL ERROR: v8::Module::IsGraphAsync')) return run(mode, script, args);
  return r;
}

/** Runs under both, checks the probe's view of each, and returns the parsed results. */
async function both(script: string, args: readonly string[], minThreads: number): Promise<[unknown, unknown]> {
  const base = await runOnce('node:wasi', script, args);
  expect(base.status, base.stderr).toBe(0);
  const ours = await runOnce('iotypes', script, args);
  expect(ours.status, ours.stderr).toBe(0);
  console.log(`${script}: node:wasi ${base.ms.toFixed(0)} ms, iotypes/register ${ours.ms.toFixed(0)} ms (wall, whole process)`);
  // The probe sees node:wasi where it is loaded: in the main thread and in each worker...
  expect(wasiLoads(base).length).toBeGreaterThanOrEqual(minThreads);
  // ...and with iotypes/register, nowhere, in as many threads.
  expect(wasiLoads(ours)).toEqual([]);
  expect(threads(ours)).toBeGreaterThanOrEqual(minThreads);
  expect(ours.stderr).not.toMatch(/WASI is an experimental feature/);
  return [JSON.parse(base.stdout), JSON.parse(ours.stdout)];
}

beforeAll(() => {
  for (const p of PACKAGES) {
    if (!existsSync(join(dir, 'node_modules', p, 'package.json'))) {
      throw new Error(`${p} is not installed in test/napi-rs: run \`npm run napi-rs-deps\` (npm ci --cpu=wasm32 there)`);
    }
  }
  work = mkdtempSync(join(tmpdir(), 'iotypes-napi-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('napi-rs wasm32-wasi packages under node:wasi and iotypes/register', () => {
  it('@napi-rs/lzma-wasm32-wasi: sync and async (worker threads) round trips, byte-identical', async () => {
    const [base, ours] = await both('lzma.cjs', [], 2);
    expect(ours).toEqual(base);
    const results = ours as Record<string, unknown>;
    for (const codec of ['xz', 'lzma', 'lzma2']) {
      for (const input of ['empty', 'text', 'noise']) {
        expect(results[`${codec}/${input}`]).toMatchObject({ roundTrip: true, asyncRoundTrip: true });
      }
    }
    expect(results['concurrent']).toEqual([true, true, true, true, true, true]);
  }, 120_000);

  it('@oxc-parser/binding-wasm32-wasi: parses a real source file, sync and async, same AST', async () => {
    const file = join(root, 'compat', 'node-wasi.ts');
    const [base, ours] = await both('oxc.cjs', [file], 2);
    expect(ours).toEqual(base);
    const { sync, async } = ours as { sync: Record<string, unknown>; async: Record<string, unknown> };
    expect(async).toEqual(sync);
    expect(sync['errors']).toBe(0);
    expect(sync['staticImports']).toContain('node:fs');
    expect(sync['types']).toEqual(expect.arrayContaining(['ImportDeclaration', 'ExportNamedDeclaration']));
  }, 120_000);

  it('@tailwindcss/oxide-wasm32-wasi: scans a folder of files for candidates', async () => {
    const site = join(work, 'site');
    mkdirSync(join(site, 'pages'), { recursive: true });
    mkdirSync(join(site, 'components'), { recursive: true });
    writeFileSync(join(site, 'pages', 'index.html'), '<main class="mx-auto max-w-3xl px-4"><h1 class="text-2xl font-bold">Hi</h1></main>\n');
    writeFileSync(join(site, 'components', 'card.jsx'), 'export const Card = () => <div className="rounded-lg shadow-md hover:bg-sky-700" />\n');
    const [base, ours] = await both('tailwind.cjs', [site], 1);
    expect(ours).toEqual(base);
    const { candidates, files } = ours as { candidates: string[]; files: string[] };
    expect(files).toEqual([join(site, 'components', 'card.jsx'), join(site, 'pages', 'index.html')]);
    for (const c of ['mx-auto', 'max-w-3xl', 'text-2xl', 'font-bold', 'rounded-lg', 'shadow-md', 'hover:bg-sky-700']) expect(candidates).toContain(c);
  }, 120_000);
});

describe('iotypes/register options with a napi-rs package', () => {
  it('IOTYPES_DIRS hides every host folder but the listed ones from a program that preopens /', async () => {
    const shown = join(work, 'shown');
    const hidden = join(work, 'hidden');
    mkdirSync(shown, { recursive: true });
    mkdirSync(hidden, { recursive: true });
    writeFileSync(join(shown, 'a.html'), '<p class="underline italic">a</p>\n');
    writeFileSync(join(hidden, 'b.html'), '<p class="line-through uppercase">b</p>\n');

    const all = await run('iotypes', 'tailwind.cjs', [shown, hidden]);
    expect(all.status, all.stderr).toBe(0);
    const seen = JSON.parse(all.stdout) as { candidates: string[]; files: string[] };
    expect(seen.files).toEqual([join(hidden, 'b.html'), join(shown, 'a.html')]);
    expect(seen.candidates).toEqual(expect.arrayContaining(['underline', 'italic', 'line-through', 'uppercase']));

    const narrowed = await run('iotypes', 'tailwind.cjs', [shown, hidden], { IOTYPES_DIRS: shown });
    expect(narrowed.status, narrowed.stderr).toBe(0);
    const only = JSON.parse(narrowed.stdout) as { candidates: string[]; files: string[] };
    expect(only.files).toEqual([join(shown, 'a.html')]);
    expect(only.candidates).toEqual(expect.arrayContaining(['underline', 'italic']));
    expect(only.candidates).not.toContain('line-through');
    expect(only.candidates).not.toContain('uppercase');
  }, 120_000);

  it('IOTYPES_TRACE prints every WASI call to stderr', async () => {
    const site = join(work, 'traced');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, 'x.html'), '<p class="flex">x</p>\n');
    const r = await run('iotypes', 'tailwind.cjs', [site], { IOTYPES_TRACE: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^fd_prestat_get\(fd=3, .*\) = 0$/m);
    expect(r.stderr).toMatch(/^path_open\(fd=3, .*path="[^"]*x\.html".*\) = 0$/m);
  }, 120_000);
});

describe('iotypes/wasm-util under @napi-rs/wasm-runtime (the browser entries\' instantiation, on one thread)', () => {
  const script = join(dir, 'wasm-util.mjs');
  const nodeRun = (args: readonly string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--no-warnings', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it.each([['lzma'], ['oxc']])('%s: the same results as with @tybys/wasm-util\'s WASI', async (pkg) => {
    const file = join(root, 'compat', 'node-wasi.ts');
    const theirs = await nodeRun(['original', pkg, file]);
    expect(theirs.status, theirs.stderr).toBe(0);
    const ours = await nodeRun([join(root, 'dist', 'wasm-util.js'), pkg, file]);
    expect(ours.status, ours.stderr).toBe(0);
    expect(JSON.parse(ours.stdout)).toEqual(JSON.parse(theirs.stdout));
    expect(JSON.parse(ours.stdout)).toMatchObject(pkg === 'lzma' ? { roundTrip: true } : { errors: 0 });
  }, 120_000);
});
