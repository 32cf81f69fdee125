// Layer: cli/harness. Imports node:* and the harness's own modules only.
// Runs one test on one runtime in a child process (dist/harness-child.js) with a timeout, and
// judges the result against the spec. The child cannot take the harness down: a hang is killed
// (TIMEOUT), an exception, abort or signal is a CRASH, output beyond a cap is dropped, and a
// child whose own code failed to load (it never ran the runtime) is run again.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job, Outcome } from './job.js';
import { packageRoot, type RuntimeInfo } from './runtimes.js';
import type { Expected, TestCase, TestSpec } from './suite.js';

export type Status = 'PASS' | 'FAIL' | 'TIMEOUT' | 'CRASH' | 'SKIP';

export interface Result {
  status: Status;
  /** One line: why it is not PASS. */
  reason?: string;
  /** The exit status the program ended with (134 for a trap). */
  exitCode?: number;
  trap?: string;
  stdout?: Buffer;
  stderr?: Buffer;
  durationMs: number;
}

/** Exit status counted for a trap (128 + SIGABRT, as wasmtime reports one on Unix). */
export const TRAP_EXIT = 134;
/** Output kept per stream; the rest is dropped. */
const OUTPUT_CAP = 64 * 1024 * 1024;

/** The built child entry: next to the bundle, or in dist/ when running from sources. */
export function childEntry(): string {
  const candidates = [new URL('./harness-child.js', import.meta.url), new URL('../harness-child.js', import.meta.url)]
    .filter((u) => u.protocol === 'file:')
    .map((u) => fileURLToPath(u));
  candidates.push(join(packageRoot(), 'dist', 'harness-child.js'));
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) throw new Error('iotypes: dist/harness-child.js is missing (run npm run build)');
  return found;
}

const quote = (s: string, max = 48) => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

const clip = (line: string, max: number) => (line.length > max ? `${line.slice(0, max)}…` : line);

/** A Rust panic's first line; since Rust 1.73 it ends at `FILE:LINE:COL:`, the message below it. */
const PANIC = /^thread '.*' panicked at .*:\d+:\d+:$/;

/**
 * The line of stderr that says why a program failed, for a one-line reason: a Rust panic's,
 * with its message (the assertion and its values) joined on, else the first non-empty line.
 */
export function stderrReason(b: Buffer | undefined): string | undefined {
  const lines = b?.toString('utf8').split('\n') ?? [];
  const panic = lines.findIndex((l) => PANIC.test(l.trimEnd()));
  if (panic >= 0) {
    const message: string[] = [];
    for (const l of lines.slice(panic + 1)) {
      if (l.trim() === '' || l.startsWith('note: ') || l.startsWith('stack backtrace:')) break;
      message.push(l.trim());
    }
    return clip([lines[panic]!.trimEnd(), ...message].join(' '), 240);
  }
  const line = lines.find((l) => l.trim() !== '');
  return line === undefined ? undefined : clip(line, 120);
}

/** Why `actual` does not match `want`, in one line; undefined when it matches. */
export function outputDiff(stream: string, want: Expected, actual: Buffer): string | undefined {
  const expected = Buffer.from(want.text, 'utf8');
  const same = want.exact ? actual.equals(expected) : actual.subarray(0, expected.length).equals(expected);
  if (same) return undefined;
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const lineStart = expected.lastIndexOf(0x0a, i - 1) + 1;
  const line = expected.subarray(0, lineStart).filter((c) => c === 0x0a).length + 1;
  const exp = expected.subarray(lineStart, expected.indexOf(0x0a, i) < 0 ? expected.length : expected.indexOf(0x0a, i) + 1).toString('utf8');
  const got = actual.subarray(lineStart, actual.indexOf(0x0a, i) < 0 ? actual.length : actual.indexOf(0x0a, i) + 1).toString('utf8');
  if (i === actual.length) return `${stream} ends early at line ${line}: expected ${quote(exp)}, got ${quote(got)}`;
  if (i === expected.length) return `${stream} has extra output at line ${line}: ${quote(actual.subarray(i).toString('utf8'))}`;
  return `${stream} differs at line ${line}: expected ${quote(exp)}, got ${quote(got)}`;
}

/** Judges how a run ended against the spec: undefined if it passes, else the reason. */
export function judge(spec: TestSpec, exitCode: number, trap: string | undefined, stdout: Buffer, stderr: Buffer): string | undefined {
  if (spec.exitCode !== undefined && exitCode !== spec.exitCode) {
    const how = trap !== undefined ? `trap (${trap}), exit code ${exitCode}` : `exit code ${exitCode}`;
    const err = stderrReason(stderr);
    return `${how}, expected ${spec.exitCode}${err === undefined ? '' : `; stderr: ${err}`}`;
  }
  if (spec.stdout !== undefined) {
    const d = outputDiff('stdout', spec.stdout, stdout);
    if (d !== undefined) return d;
  }
  if (spec.stderr !== undefined) {
    const d = outputDiff('stderr', spec.stderr, stderr);
    if (d !== undefined) return d;
  }
  return undefined;
}

export interface ExecuteOptions {
  timeoutMs: number;
  /** A scratch folder for this harness run. */
  workRoot: string;
  /** A unique number for this job (its scratch subfolder). */
  seq: number;
  child: string;
}

/** Keeps the first OUTPUT_CAP bytes of a stream (no spec expects more). */
function collect(stream: NodeJS.ReadableStream): { chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (d: Buffer) => {
    const keep = d.subarray(0, Math.max(0, OUTPUT_CAP - size));
    size += keep.length;
    if (keep.length > 0) chunks.push(keep);
  });
  return { chunks };
}

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
  timedOut: boolean;
  stdout: Buffer;
  stderr: Buffer;
}

/** Waits before running again a child that did not start. */
const RETRY_DELAYS_MS = [1000, 3000];

/** Runs the child once for `job`, feeding `stdin`, killing it after the timeout. */
async function runChild(job: Job, stdin: string, options: ExecuteOptions): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--no-warnings', options.child, JSON.stringify(job)], {
    cwd: job.workDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  child.stdin.on('error', () => {}); // the program may exit without reading its stdin
  child.stdin.end(Buffer.from(stdin, 'utf8'));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const ended = await new Promise<Pick<ChildRun, 'code' | 'signal' | 'spawnError'>>((done) => {
    child.on('error', (e) => done({ code: null, signal: null, spawnError: e }));
    child.on('close', (code, signal) => done({ code, signal }));
  });
  clearTimeout(timer);
  return { ...ended, timedOut, stdout: Buffer.concat(out.chunks), stderr: Buffer.concat(err.chunks) };
}

/** Runs `test` on `runtime`; never throws for anything the child does. */
export async function execute(test: TestCase, runtime: RuntimeInfo, options: ExecuteOptions): Promise<Result> {
  if (test.invalid !== undefined) return { status: 'FAIL', reason: `invalid test: ${test.invalid}`, durationMs: 0 };
  if (test.skip !== undefined) return { status: 'SKIP', reason: test.skip, durationMs: 0 };
  const spec = test.spec!;
  const workDir = join(options.workRoot, String(options.seq));
  mkdirSync(workDir, { recursive: true });
  const job: Job = {
    runtime: runtime.runtime,
    wasm: test.wasm,
    args: [`${test.name}.wasm`, ...spec.args],
    env: spec.env,
    dirs: spec.dirs,
    workDir,
    resultFile: join(workDir, 'result.json'),
    startedFile: join(workDir, 'started'),
  };
  if (runtime.backend !== undefined) job.backend = runtime.backend;
  if (runtime.runner !== undefined) job.runner = runtime.runner;

  const started = performance.now();
  try {
    let run = await runChild(job, spec.stdin, options);
    // A child that never started (its code failed to load) did not run the runtime: try again.
    for (const delay of RETRY_DELAYS_MS) {
      if (run.timedOut || run.spawnError !== undefined || existsSync(job.startedFile)) break;
      await new Promise((r) => setTimeout(r, delay));
      run = await runChild(job, spec.stdin, options);
    }
    const { code, signal, spawnError, timedOut, stdout, stderr } = run;
    const base = { stdout, stderr, durationMs: performance.now() - started };
    if (spawnError !== undefined) return { ...base, status: 'CRASH', reason: `cannot start the child process: ${spawnError.message}` };
    if (timedOut) return { ...base, status: 'TIMEOUT', reason: `no exit within ${options.timeoutMs / 1000} s (killed)` };
    if (!existsSync(job.resultFile)) {
      const last = stderr.toString('utf8').trim().split('\n').at(-1)?.slice(0, 160);
      const how = !existsSync(job.startedFile)
        ? `the harness's child process did not start (status ${code ?? signal})`
        : signal !== null
          ? `killed by signal ${signal}`
          : `the runtime's process exited with status ${code} without a result`;
      return { ...base, status: 'CRASH', reason: last ? `${how}: ${last}` : how };
    }
    const outcome = JSON.parse(readFileSync(job.resultFile, 'utf8')) as Outcome;
    if ('crash' in outcome) return { ...base, status: 'CRASH', reason: `host exception: ${outcome.crash}` };
    const trap = 'trap' in outcome ? outcome.trap : undefined;
    const exitCode = 'trap' in outcome ? TRAP_EXIT : outcome.exitCode;
    const result: Result = { ...base, status: 'PASS', exitCode };
    if (trap !== undefined) result.trap = trap;
    const reason = judge(spec, exitCode, trap, stdout, stderr);
    if (reason !== undefined) {
      result.status = 'FAIL';
      result.reason = reason;
    }
    return result;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
