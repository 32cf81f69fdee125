// Host stdin has real readiness: `iotypes run` children with stdin a socket (what Node's spawn
// gives), a pipe, a file and a terminal. c-fixtures/poll_stdin_hangup.wasm, given "idle", polls
// stdin with a 2 s timeout while the writer stays open without data: the poll must wait it out
// and report nothing (the program checks it waited), then its read waits for the data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './support/fixtures.js';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'iotypes.js');
const POLL = join(FIXTURES, 'poll_stdin_hangup.wasm');
const work = mkdtempSync(join(tmpdir(), 'iotypes-stdin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Ended {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits; `onOutput` sees stdout so far after each chunk. */
function ended(child: ChildProcess, onOutput?: (stdout: string) => void): Promise<Ended> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onOutput?.(stdout);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the idle poll with `stdin`; once the program says it is polling, waits 2.5 s (past its
 * 2 s timeout) and calls `type`, which gives it a line without closing the writer.
 */
function idleRun(command: string, args: string[], stdin: 'pipe' | number, type: (child: ChildProcess) => void): Promise<Ended> {
  const child = spawn(command, args, { stdio: [stdin, 'pipe', 'pipe'] });
  let typed = false;
  return ended(child, (stdout) => {
    if (typed || !stdout.includes('polling')) return;
    typed = true;
    void later(2500).then(() => type(child));
  });
}

describe.concurrent('stdin readiness through `iotypes run`', () => {
  it('a socket whose writer stays open: the poll waits out its timeout, the read waits for data, and the run exits with the writer still open', async () => {
    let writer: ChildProcess | undefined;
    const got = await idleRun(process.execPath, [BIN, 'run', POLL, 'idle'], 'pipe', (child) => {
      writer = child;
      child.stdin!.write('late\n'); // never closed: the run must end on its own
    });
    writer?.stdin!.destroy();
    expect(got.stderr).toBe('');
    expect(got.stdout).toBe('polling\npoll 0, then read late\n');
    expect(got.status).toBe(0);
  });

  it('a pipe (a FIFO) whose writer stays open: the same', async () => {
    const fifo = join(work, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const w = openSync(fifo, constants.O_RDWR); // a writer that never closes during the run
    const r = openSync(fifo, constants.O_RDONLY);
    try {
      const got = await idleRun(process.execPath, [BIN, 'run', POLL, 'idle'], r, () => writeSync(w, 'late\n'));
      expect(got.stderr).toBe('');
      expect(got.stdout).toBe('polling\npoll 0, then read late\n');
      expect(got.status).toBe(0);
    } finally {
      closeSync(r);
      closeSync(w);
    }
  });

  it('a closed writer: POLLIN with POLLHUP once the data is read (socket and pipe)', async () => {
    const viaSocket = spawn(process.execPath, [BIN, 'run', POLL], { stdio: ['pipe', 'pipe', 'pipe'] });
    const socketDone = ended(viaSocket);
    viaSocket.stdin!.end('ready\n');
    const viaPipe = spawn('sh', ['-c', `printf 'ready\\n' | "${process.execPath}" "${BIN}" run "${POLL}"`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const pipeDone = ended(viaPipe);
    for (const got of [await socketDone, await pipeDone]) {
      expect(got.stderr).toBe('');
      expect(got.status).toBe(0);
    }
  });

  it('a read that waits for data still gets it (no poll first)', async () => {
    const child = spawn(process.execPath, [BIN, 'run', join(FIXTURES, 'stdio_stdin_echo.wasm')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const done = ended(child);
    await later(300);
    child.stdin!.write('first ');
    await later(300);
    child.stdin!.end('second\n');
    const got = await done;
    expect(got.stderr).toBe('');
    expect(got.stdout).toBe('first second\n');
    expect(got.status).toBe(0);
  });

  it('stdin from a file is always ready and reads as before', async () => {
    const file = join(work, 'ready.txt');
    writeFileSync(file, 'ready\n');
    const fd = openSync(file, 'r');
    try {
      const child = spawn(process.execPath, [BIN, 'run', join(FIXTURES, 'poll_stdin_pollin.wasm')], { stdio: [fd, 'pipe', 'pipe'] });
      const got = await ended(child);
      expect(got.stderr).toBe('');
      expect(got.status).toBe(0);
    } finally {
      closeSync(fd);
    }
  });

  const haveScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!haveScript)('a terminal (script from util-linux): the poll waits, then the typed line is read', async () => {
    const cmd = `"${process.execPath}" "${BIN}" run "${POLL}" idle`;
    let writer: ChildProcess | undefined;
    const got = await idleRun('script', ['-qec', cmd, '/dev/null'], 'pipe', (child) => {
      writer = child;
      child.stdin!.write('late\n');
    });
    writer?.stdin!.destroy();
    // The terminal echoes the typed line and writes \r\n for \n.
    expect(got.stdout.replace(/\r\n/g, '\n')).toMatch(/^polling\n(late\n)?poll 0, then read late\n$/);
    expect(got.status).toBe(0);
  });
});
