// Layer: cli/harness. Imports the harness's own modules only (no I/O: every function returns text).
// The results of a harness run as a terminal matrix (tests × runtimes) with the reasons and a
// summary line per runtime, and as JSON, JUnit XML and Markdown.

import type { Result, Status } from './execute.js';
import type { Verdict } from './expect.js';
import type { RuntimeInfo } from './runtimes.js';
import type { TestCase } from './suite.js';

export interface Cell {
  result: Result;
  /** The reason given in the expectations file, when this is a known failure. */
  known?: string;
  verdict: Verdict;
}

export interface Report {
  suites: { name: string; dir: string; tests: TestCase[] }[];
  runtimes: RuntimeInfo[];
  cells: ReadonlyMap<string, Cell>;
  startedAt: Date;
  durationMs: number;
  /** The --expect file, if one was given. */
  expectFile?: string;
  /** Expectation entries that name no test. */
  stale: string[];
  version: string;
}

export const cellKey = (test: TestCase, runtime: RuntimeInfo) => `${test.id}\u0000${runtime.id}`;

export function cellOf(report: Report, test: TestCase, runtime: RuntimeInfo): Cell {
  const c = report.cells.get(cellKey(test, runtime));
  if (c === undefined) throw new Error(`no result for ${test.id} on ${runtime.id}`);
  return c;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  timeouts: number;
  crashes: number;
  knownFailures: number;
  fixed: number;
  regressions: number;
}

const allTests = (report: Report) => report.suites.flatMap((s) => s.tests);

export function counts(report: Report, runtime: RuntimeInfo): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0, timeouts: 0, crashes: 0, knownFailures: 0, fixed: 0, regressions: 0 };
  for (const test of allTests(report)) {
    const cell = cellOf(report, test, runtime);
    const s = cell.result.status;
    if (s === 'PASS') c.passed++;
    else if (s === 'SKIP') c.skipped++;
    else c.failed++;
    if (s === 'TIMEOUT') c.timeouts++;
    if (s === 'CRASH') c.crashes++;
    if (cell.verdict === 'known') c.knownFailures++;
    if (cell.verdict === 'fixed') c.fixed++;
    if (cell.verdict === 'regression') c.regressions++;
  }
  return c;
}

export function regressions(report: Report): { runtime: RuntimeInfo; test: TestCase; cell: Cell }[] {
  return report.runtimes.flatMap((runtime) =>
    allTests(report)
      .map((test) => ({ runtime, test, cell: cellOf(report, test, runtime) }))
      .filter((x) => x.cell.verdict === 'regression'),
  );
}

// ---------------------------------------------------------------------------------------------
// Terminal.

const COLORS: Record<Status, number> = { PASS: 32, FAIL: 31, TIMEOUT: 31, CRASH: 31, SKIP: 33 };
const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** The matrix cell: the status, `*` for a known failure, `!` for a known failure that passed. */
function mark(cell: Cell): string {
  return `${cell.result.status}${cell.verdict === 'known' ? '*' : cell.verdict === 'fixed' ? '!' : ''}`;
}

/** The name shown for a test: its name, or suite/name when there are several suites. */
const label = (report: Report, test: TestCase) => (report.suites.length > 1 ? test.id : test.name);

export function matrixText(report: Report, color: boolean): string {
  const tests = allTests(report);
  const first = Math.max(4, ...tests.map((t) => label(report, t).length));
  const widths = report.runtimes.map((r) => Math.max(r.id.length, 8));
  const lines: string[] = [];
  lines.push(['test'.padEnd(first), ...report.runtimes.map((r, i) => r.id.padEnd(widths[i]!))].join('  ').trimEnd());
  for (const test of tests) {
    const cells = report.runtimes.map((r, i) => {
      const cell = cellOf(report, test, r);
      const text = mark(cell);
      const code = cell.verdict === 'known' || cell.verdict === 'fixed' ? 33 : COLORS[cell.result.status];
      return `${paint(color, code, text)}${' '.repeat(widths[i]! - text.length)}`;
    });
    lines.push([label(report, test).padEnd(first), ...cells].join('  ').trimEnd());
  }
  const legend: string[] = [];
  if ([...report.cells.values()].some((c) => c.verdict === 'known')) legend.push('* known failure (--expect)');
  if ([...report.cells.values()].some((c) => c.verdict === 'fixed')) legend.push('! known failure that now passes');
  if (legend.length > 0) lines.push('', legend.join('    '));
  return `${lines.join('\n')}\n`;
}

/** Why each cell is not a pass: one line each. */
export function detailsText(report: Report): string {
  const lines: string[] = [];
  const tests = allTests(report);
  for (const t of tests) {
    if (t.skip !== undefined) lines.push(`SKIP     ${label(report, t)}: ${t.skip}`);
    if (t.invalid !== undefined) lines.push(`FAIL     ${label(report, t)}: invalid test: ${t.invalid}`);
  }
  const idWidth = Math.max(...report.runtimes.map((r) => r.id.length));
  for (const r of report.runtimes) {
    for (const t of tests) {
      const cell = cellOf(report, t, r);
      const s = cell.result.status;
      if (s === 'PASS' || s === 'SKIP' || t.invalid !== undefined) continue;
      const known = cell.verdict === 'known' ? ' (known)' : '';
      lines.push(`${s.padEnd(8)} ${r.id.padEnd(idWidth)}  ${label(report, t)}: ${cell.result.reason ?? ''}${known}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function summaryText(report: Report): string {
  const idWidth = Math.max(...report.runtimes.map((r) => r.id.length));
  const lines = report.runtimes.map((r) => {
    const c = counts(report, r);
    const extra = [c.timeouts > 0 ? `${c.timeouts} timeout${c.timeouts > 1 ? 's' : ''}` : '', c.crashes > 0 ? `${c.crashes} crash${c.crashes > 1 ? 'es' : ''}` : '']
      .filter((x) => x !== '')
      .join(', ');
    const known = report.expectFile !== undefined && c.knownFailures > 0 ? `; ${c.knownFailures} known` : '';
    return `${r.id.padEnd(idWidth)}  ${c.passed} passed, ${c.failed} failed${extra ? ` (${extra})` : ''}, ${c.skipped} skipped${known}`;
  });
  const fixed = report.runtimes.flatMap((r) =>
    allTests(report)
      .filter((t) => cellOf(report, t, r).verdict === 'fixed')
      .map((t) => `${r.id}: ${label(report, t)}`),
  );
  if (fixed.length > 0) {
    lines.push('', `Known failures that now pass (remove them from ${report.expectFile}):`, ...fixed.map((f) => `  ${f}`));
  }
  if (report.stale.length > 0) {
    lines.push('', `Expectations naming no test (renamed or removed?):`, ...report.stale.map((s) => `  ${s}`));
  }
  const n = regressions(report).length;
  const what = report.expectFile !== undefined ? 'regression' : 'failure';
  lines.push('', n === 0 ? `No ${what}s.` : `${n} ${what}${n > 1 ? 's' : ''}.`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// JSON.

/** Output kept in reports for a run that did not pass. */
const KEPT = 4096;
const excerpt = (b: Buffer | undefined) => {
  if (b === undefined) return undefined;
  const s = b.subarray(0, KEPT).toString('utf8');
  return b.length > KEPT ? `${s}… (${b.length} bytes)` : s;
};

export function toJSON(report: Report): unknown {
  return {
    tool: 'iotypes test',
    version: report.version,
    startedAt: report.startedAt.toISOString(),
    durationMs: Math.round(report.durationMs),
    expectations: report.expectFile ?? null,
    runtimes: report.runtimes.map((r) => ({ id: r.id, description: r.description, version: r.version ?? null })),
    summary: Object.fromEntries(report.runtimes.map((r) => [r.id, counts(report, r)])),
    suites: report.suites.map((s) => ({
      name: s.name,
      path: s.dir,
      tests: s.tests.map((t) => ({
        name: t.name,
        id: t.id,
        ...(t.skip !== undefined ? { skip: t.skip } : {}),
        ...(t.invalid !== undefined ? { invalid: t.invalid } : {}),
        results: Object.fromEntries(
          report.runtimes.map((r) => {
            const { result, known, verdict } = cellOf(report, t, r);
            const failed = result.status !== 'PASS' && result.status !== 'SKIP';
            return [
              r.id,
              {
                status: result.status,
                verdict,
                durationMs: Math.round(result.durationMs),
                ...(result.reason !== undefined ? { reason: result.reason } : {}),
                ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
                ...(result.trap !== undefined ? { trap: result.trap } : {}),
                ...(known !== undefined ? { knownFailure: known } : {}),
                ...(failed && result.stdout !== undefined ? { stdout: excerpt(result.stdout) } : {}),
                ...(failed && result.stderr !== undefined ? { stderr: excerpt(result.stderr) } : {}),
              },
            ];
          }),
        ),
      })),
    })),
    regressions: regressions(report).map((x) => ({ runtime: x.runtime.id, test: x.test.id, status: x.cell.result.status, reason: x.cell.result.reason ?? null })),
    stale: report.stale,
  };
}

// ---------------------------------------------------------------------------------------------
// JUnit XML.

/** Text safe in XML 1.0: markup escaped, characters XML cannot hold replaced by U+FFFD. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
const attr = (s: string) => xmlEscape(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * One <testsuite> per runtime and suite. Regressions are <failure> (FAIL) or <error> (TIMEOUT,
 * CRASH); a known failure is <skipped> with its reason (as pytest reports an expected failure), so
 * a JUnit reader agrees with the exit status.
 */
export function toJUnit(report: Report): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let time = 0;
  for (const r of report.runtimes) {
    for (const s of report.suites) {
      const cases: string[] = [];
      let f = 0;
      let e = 0;
      let sk = 0;
      let t = 0;
      for (const test of s.tests) {
        const { result, known, verdict } = cellOf(report, test, r);
        t += result.durationMs;
        const open = `    <testcase name="${attr(test.name)}" classname="${attr(`${r.id}.${s.name}`)}" time="${seconds(result.durationMs)}"`;
        const body: string[] = [];
        if (verdict === 'skip') {
          sk++;
          body.push(`      <skipped message="${attr(result.reason ?? 'skipped')}"/>`);
        } else if (verdict === 'known') {
          sk++;
          body.push(`      <skipped message="${attr(`known failure: ${known ?? ''} (${result.status}: ${result.reason ?? ''})`)}"/>`);
        } else if (verdict === 'regression') {
          const tag = result.status === 'FAIL' ? 'failure' : 'error';
          if (tag === 'failure') f++;
          else e++;
          body.push(`      <${tag} type="${result.status}" message="${attr(result.reason ?? result.status)}">${xmlEscape(result.reason ?? '')}</${tag}>`);
          if (result.stdout !== undefined && result.stdout.length > 0) body.push(`      <system-out>${xmlEscape(excerpt(result.stdout) ?? '')}</system-out>`);
          if (result.stderr !== undefined && result.stderr.length > 0) body.push(`      <system-err>${xmlEscape(excerpt(result.stderr) ?? '')}</system-err>`);
        }
        cases.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`);
      }
      total += s.tests.length;
      failures += f;
      errors += e;
      skipped += sk;
      time += t;
      suites.push(
        `  <testsuite name="${attr(`${s.name} [${r.id}]`)}" tests="${s.tests.length}" failures="${f}" errors="${e}" skipped="${sk}" time="${seconds(t)}" timestamp="${report.startedAt.toISOString().replace(/\.\d+Z$/, '')}">`,
        `    <properties>`,
        `      <property name="runtime" value="${attr(r.id)}"/>`,
        `      <property name="description" value="${attr(r.description)}"/>`,
        `    </properties>`,
        ...cases,
        '  </testsuite>',
      );
    }
  }
  out.push(`<testsuites name="iotypes test" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">`, ...suites, '</testsuites>');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown.

const md = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');

/** A Markdown summary, matrix and list of reasons, for documentation. */
export function toMarkdown(report: Report, command: string): string {
  const lines: string[] = [];
  lines.push(`Generated by \`${command}\` (iotypes ${report.version}, Node.js ${process.version}, ${report.startedAt.toISOString().slice(0, 10)}).`, '');
  lines.push('| runtime | what | passed | failed | skipped |', '|---|---|---:|---:|---:|');
  for (const r of report.runtimes) {
    const c = counts(report, r);
    const extra = [c.timeouts > 0 ? `${c.timeouts} timeout${c.timeouts > 1 ? 's' : ''}` : '', c.crashes > 0 ? `${c.crashes} crash${c.crashes > 1 ? 'es' : ''}` : ''].filter((x) => x).join(', ');
    lines.push(`| ${md(r.id)} | ${md(r.description)} | ${c.passed} | ${c.failed}${extra ? ` (${extra})` : ''} | ${c.skipped} |`);
  }
  lines.push('', `| test | ${report.runtimes.map((r) => md(r.id)).join(' | ')} |`, `|---|${report.runtimes.map(() => '---').join('|')}|`);
  for (const t of allTests(report)) {
    lines.push(`| ${md(label(report, t))} | ${report.runtimes.map((r) => mark(cellOf(report, t, r))).join(' | ')} |`);
  }
  const reasons: string[] = [];
  for (const r of report.runtimes) {
    for (const t of allTests(report)) {
      const { result } = cellOf(report, t, r);
      if (result.status !== 'PASS' && result.status !== 'SKIP') reasons.push(`- **${md(r.id)}** \`${label(report, t)}\`: ${result.status}, ${md(result.reason ?? '')}`);
    }
  }
  if (reasons.length > 0) lines.push('', '<details><summary>Why each failure failed</summary>', '', ...reasons, '', '</details>');
  return `${lines.join('\n')}\n`;
}
