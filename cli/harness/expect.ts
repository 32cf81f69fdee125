// Layer: cli/harness. Imports node:fs, ../run.js (UsageError) and the harness's types only.
// Expectations: the known failures of each runtime, so that CI fails only on regressions. The
// file is JSON: one object per runtime id, naming each known failure (by test name, or by
// `suite/name`) with the reason; a top-level string (a "description", say) is a comment.
//
//   { "description": "known failures on c-fixtures",
//     "iotypes:memfs": { "pwrite_5gib": "memfs allocates files in full" },
//     "node": { "c-fixtures/lseek_stdout_espipe": "uvwasi seeks on pipes" } }
//
// A known failure that fails is fine; one that passes is reported (remove it from the file) but is
// not fatal; any other failure, timeout or crash is a regression. A skip is never a regression.
// An entry may instead be { "reason": "...", "flaky": true }: a test that sometimes fails; it may
// fail, and passing is not reported.

import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../run.js';
import type { Status } from './execute.js';
import type { TestCase } from './suite.js';

export interface Known {
  reason: string;
  flaky: boolean;
}

/** runtime id → test key → known failure. */
export type Expectations = ReadonlyMap<string, ReadonlyMap<string, Known>>;

export type Verdict = 'pass' | 'skip' | 'known' | 'fixed' | 'regression';

export function loadExpectations(path: string): Expectations {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--expect ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`--expect ${path}: expected a JSON object`);
  const out = new Map<string, Map<string, Known>>();
  for (const [runtime, tests] of Object.entries(raw)) {
    if (typeof tests === 'string') continue; // a comment
    if (typeof tests !== 'object' || tests === null || Array.isArray(tests)) {
      throw new UsageError(`--expect ${path}: "${runtime}" must map test names to reasons`);
    }
    const map = new Map<string, Known>();
    for (const [test, entry] of Object.entries(tests as Record<string, unknown>)) {
      const e = entry as { reason?: unknown; flaky?: unknown } | null;
      if (typeof entry === 'string') map.set(test, { reason: entry, flaky: false });
      else if (typeof e === 'object' && e !== null && typeof e.reason === 'string' && (e.flaky === undefined || typeof e.flaky === 'boolean')) {
        map.set(test, { reason: e.reason, flaky: e.flaky === true });
      } else {
        throw new UsageError(`--expect ${path}: "${runtime}"."${test}" must be a reason (a string) or { "reason": "...", "flaky": true }`);
      }
    }
    out.set(runtime, map);
  }
  return out;
}

/** The known failure of `test` on `runtime`, if it is one. */
export function knownFailure(expectations: Expectations | undefined, runtime: string, test: TestCase): Known | undefined {
  const tests = expectations?.get(runtime);
  return tests?.get(test.id) ?? tests?.get(test.name);
}

export function verdict(status: Status, known: Known | undefined): Verdict {
  if (status === 'SKIP') return 'skip';
  if (status === 'PASS') return known === undefined || known.flaky ? 'pass' : 'fixed';
  return known === undefined ? 'regression' : 'known';
}

/** Entries naming no test of the suites (for the runtimes that ran): likely renamed or removed. */
export function staleEntries(expectations: Expectations, runtimes: readonly string[], tests: readonly TestCase[]): string[] {
  const keys = new Set(tests.flatMap((t) => [t.id, t.name]));
  const stale: string[] = [];
  for (const runtime of runtimes) {
    for (const key of expectations.get(runtime)?.keys() ?? []) if (!keys.has(key)) stale.push(`${runtime}: ${key}`);
  }
  return stale;
}

/** Writes an expectations file listing the given failures: runtime → key → reason (or entry). */
export function writeExpectations(path: string, failures: ReadonlyMap<string, ReadonlyMap<string, string | Known>>, description: string): void {
  const json: Record<string, string | Record<string, string | Known>> = { description };
  for (const [runtime, tests] of failures) json[runtime] = Object.fromEntries([...tests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}
