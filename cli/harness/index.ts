// Layer: cli/harness. Imports node:*, ../run.js (UsageError) and the harness's own modules.
// `iotypes test`: loads the suites, runs every test on every runtime (each in its own child
// process, --jobs at a time), prints the matrix, the reasons and a summary per runtime, writes
// the JSON / JUnit / Markdown reports, and resolves to the exit status: 0 without regressions,
// 1 with (a usage problem throws UsageError, which the CLI turns into 125).

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../run.js';
import { childEntry, execute, type Result } from './execute.js';
import { knownFailure, loadExpectations, staleEntries, verdict, writeExpectations, type Expectations, type Known } from './expect.js';
import { Progress } from './progress.js';
import { cellKey, detailsText, matrixText, summaryText, toJSON, toJUnit, toMarkdown, type Cell, type Report } from './report.js';
import { packageRoot, resolveRuntimes } from './runtimes.js';
import { findSuites, loadSuite, removeCleanupArtifacts, type Suite } from './suite.js';

export interface TestOptions {
  runtime?: string[];
  backend?: string[];
  jobs?: string;
  timeout?: string;
  filter?: string;
  expect?: string;
  writeExpect?: string;
  json?: string;
  junit?: string;
  markdown?: string;
  progress: boolean;
}

/** Default --timeout, in seconds. */
export const DEFAULT_TIMEOUT = 30;

function positive(value: string | undefined, what: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${what} ${value}: expected a positive ${integer ? 'integer' : 'number'}`);
  }
  return n;
}

function write(path: string, text: string, option: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`${option} ${path}: ${(e as Error).message}`);
  }
}

/** Runs `run` over `items`, at most `jobs` at a time, in order of start. */
async function pool<T>(items: readonly T[], jobs: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

export async function runTests(dirs: readonly string[], options: TestOptions): Promise<number> {
  const jobs = positive(options.jobs, '--jobs', true) ?? availableParallelism();
  const timeoutMs = (positive(options.timeout, '--timeout', false) ?? DEFAULT_TIMEOUT) * 1000;
  let filter: RegExp | undefined;
  try {
    if (options.filter !== undefined) filter = new RegExp(options.filter);
  } catch (e) {
    throw new UsageError(`--filter ${options.filter}: ${(e as Error).message}`);
  }
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`${d}: not a folder (a suite is a folder of .wasm tests; every folder below with a manifest.json is one too)`);
  }
  const expectations: Expectations | undefined = options.expect !== undefined ? loadExpectations(options.expect) : undefined;
  const runtimes = await resolveRuntimes(options.runtime ?? [], options.backend ?? []);
  let child: string;
  try {
    child = childEntry();
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^iotypes: /, ''));
  }

  for (const d of dirs) removeCleanupArtifacts(d);
  const loaded: Suite[] = [...new Set(dirs.flatMap(findSuites))].map(loadSuite);
  const suites = loaded.map((s) => ({ ...s, tests: s.tests.filter((t) => filter === undefined || filter.test(t.id) || filter.test(t.name)) }));
  const tests = suites.flatMap((s) => s.tests);
  if (tests.length === 0) {
    throw new UsageError(`no tests in ${dirs.join(', ')}${filter ? ` matching --filter ${options.filter}` : ''}`);
  }
  for (const t of tests) for (const w of t.warnings) process.stderr.write(`iotypes test: warning: ${t.id}.json: ${w}\n`);

  const workRoot = mkdtempSync(join(tmpdir(), 'iotypes-test-'));
  const cleanup = () => rmSync(workRoot, { recursive: true, force: true });
  process.once('exit', cleanup);
  const startedAt = new Date();
  const started = performance.now();
  const cells = new Map<string, Cell>();
  const work = tests.flatMap((test) => runtimes.map((runtime) => ({ test, runtime })));
  const progress = new Progress(process.stderr, work.length, options.progress);
  let seq = 0;
  try {
    await pool(work, jobs, async ({ test, runtime }) => {
      const result: Result = await execute(test, runtime, { timeoutMs, workRoot, seq: seq++, child });
      const known = knownFailure(expectations, runtime.id, test);
      const cell: Cell = { result, verdict: verdict(result.status, known) };
      if (known !== undefined) cell.known = known.reason;
      cells.set(cellKey(test, runtime), cell);
      progress.tick(`${runtime.id} ${test.name}`, result.status !== 'PASS' && result.status !== 'SKIP');
    });
  } finally {
    progress.end();
    cleanup();
    process.removeListener('exit', cleanup);
  }

  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const report: Report = {
    suites,
    runtimes,
    cells,
    startedAt,
    durationMs: performance.now() - started,
    stale: expectations !== undefined ? staleEntries(expectations, runtimes.map((r) => r.id), loaded.flatMap((s) => s.tests)) : [],
    version,
  };
  if (options.expect !== undefined) report.expectFile = options.expect;

  const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
  const details = detailsText(report);
  process.stdout.write(`${matrixText(report, color)}\n${details}${details ? '\n' : ''}${summaryText(report)}`);

  if (options.json !== undefined) write(options.json, `${JSON.stringify(toJSON(report), null, 2)}\n`, '--json');
  if (options.junit !== undefined) write(options.junit, toJUnit(report), '--junit');
  if (options.markdown !== undefined) {
    const command = ['iotypes test', ...dirs, ...runtimes.map((r) => `--runtime ${r.runner ?? r.id}`)].join(' ');
    write(options.markdown, toMarkdown(report, command), '--markdown');
  }
  if (options.writeExpect !== undefined) {
    const failures = new Map<string, Map<string, string | Known>>();
    for (const r of runtimes) {
      const map = new Map<string, string | Known>();
      for (const t of tests) {
        const cell = cells.get(cellKey(t, r))!;
        const known = knownFailure(expectations, r.id, t);
        const key = suites.length > 1 ? t.id : t.name;
        // A flaky entry stays, whatever this run did; a known failure keeps its written reason.
        if (known?.flaky) map.set(key, known);
        else if (cell.verdict === 'known' || cell.verdict === 'regression') {
          map.set(key, known?.reason ?? `${cell.result.status}: ${cell.result.reason ?? ''}`);
        }
      }
      if (map.size > 0) failures.set(r.id, map);
    }
    try {
      writeExpectations(options.writeExpect, failures, `Known failures, written by iotypes test on ${startedAt.toISOString().slice(0, 10)}`);
    } catch (e) {
      throw new UsageError(`--write-expect ${options.writeExpect}: ${(e as Error).message}`);
    }
  }
  return [...cells.values()].some((c) => c.verdict === 'regression') ? 1 : 0;
}

