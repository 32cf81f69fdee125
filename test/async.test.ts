// Asynchronous I/O types through JSPI: every c-fixture runs over directories, files and stdio
// whose every operation answers through a promise a macrotask later, so the guest suspends on
// each; then over host folders through node:fs/promises (nodeAsyncDirectory). Engines without
// JSPI (Node.js 20) run the parts that need none and check that asking for JSPI there
// fails with a message saying what to do; CI runs this file on Node 24 and 26 too.
import {
  fromAsyncDirectory, fromAsyncSink, fromAsyncSource, hasJspi, PushSource, ReplayLog, WASI, Pending, type Directory,
} from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { nodeAsyncDirectory } from 'iotypes/node';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counter, delayed, delayedSink, delayedSource } from './support/async.js';
import { copyFixtureFolder, copyIntoMemory, FIXTURES, fixtureNames, readSpec, runOnMemory, runWithAsync } from './support/fixtures.js';

const JSPI = hasJspi();

describe('the replay log', () => {
  it('answers each operation of a rerun call from the log, in order, running it once', async () => {
    const log = new ReplayLog();
    const calls: string[] = [];
    const target = {
      slow: (x: number) => (calls.push(`slow ${x}`), Promise.resolve(x * 10)),
      fast: (x: number) => (calls.push(`fast ${x}`), x + 1),
    };
    const body = () => log.call<number>(target, 'fast', () => target.fast(1)) + log.call<number>(target, 'slow', () => target.slow(2)) + log.call<number>(target, 'slow', () => target.slow(3));
    let r = log.attempt(body);
    let rounds = 0;
    while ('pending' in r) {
      rounds++;
      await r.pending;
      r = log.attempt(body);
    }
    expect(r.value).toBe(2 + 20 + 30);
    expect(rounds).toBe(2);
    expect(calls).toEqual(['fast 1', 'slow 2', 'slow 3']);
  });

  it('replays a failure as the same error, and passes other exceptions through', async () => {
    const log = new ReplayLog();
    const boom = new Error('boom');
    const target = { fail: () => Promise.reject(boom) };
    const first = log.attempt(() => log.call(target, 'fail', () => target.fail()));
    expect('pending' in first).toBe(true);
    await (first as { pending: Promise<unknown> }).pending;
    expect(() => log.attempt(() => log.call(target, 'fail', () => target.fail()))).toThrow(boom);
    expect(() => log.attempt(() => { throw new RangeError('x'); })).toThrow(RangeError);
  });

  it('starts over from an operation that differs from the logged one', async () => {
    const log = new ReplayLog();
    const a = { op: () => Promise.resolve('a') };
    const b = { op: () => 'b' };
    const first = log.attempt(() => log.call(a, 'op', () => a.op()));
    await (first as { pending: Promise<unknown> }).pending;
    expect(log.attempt(() => log.call(b, 'op', () => b.op()))).toEqual({ value: 'b' });
  });

  it('refuses a promise during a synchronous run, saying what to do', () => {
    const dir = fromAsyncDirectory(delayed(new MemoryFS().root as never));
    expect(() => dir.stat('x')).toThrow(/returned a promise during a synchronous run.*async: true/);
  });

  it('a PushSource answers at once when bytes are there, and waits otherwise', async () => {
    const src = new PushSource();
    expect(src.ready()).toBe(false);
    const waiting = src.read();
    expect(waiting).toBeInstanceOf(Promise);
    src.push('hi');
    expect(await waiting).toEqual(new TextEncoder().encode('hi'));
    src.push('there');
    expect(src.ready()).toBe(true);
    expect(src.read()).toEqual(new TextEncoder().encode('there'));
    src.end();
    expect(src.read()).toBeNull();
    expect(() => src.push('late')).toThrow(/after end/);
    expect(new Pending(Promise.resolve())).not.toBeInstanceOf(Error);
  });
});

describe.skipIf(JSPI)('without JSPI (this engine has none)', () => {
  it('{ async: true } fails with a message naming the engines that have it and the worker path', () => {
    expect(() => new WASI({ async: true })).toThrow(/no JavaScript Promise Integration.*Node\.js 26.*runInWorker/);
  });
});

// Node.js 20 has no JSPI; CI runs this suite on Node 24 and 26, which have it.
describe.skipIf(!JSPI)('c-fixtures over asynchronous I/O types (JSPI)', () => {
  const names = fixtureNames();
  for (const name of names) {
    it(name, async () => {
      const spec = readSpec(name);
      const expected = runOnMemory(name, spec); // the same program on the synchronous backend
      const fs = new MemoryFS();
      const got = await runWithAsync(
        name,
        spec,
        (dir) => {
          copyIntoMemory(fs, join(FIXTURES, dir), dir);
          return fromAsyncDirectory(delayed(fs.root.openDir(dir)));
        },
        { input: (s) => fromAsyncSource(delayedSource(s)), output: (s) => fromAsyncSink(delayedSink(s)) },
      );
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
      expect(got.stdout).toBe(expected.stdout);
    });
  }
  it('made the guests wait on promises (every operation answered a macrotask later)', () => {
    expect(counter.promises).toBeGreaterThan(names.length * 10);
  });
});

// A source that is not ready when the program polls (a person who has not typed yet): the poll
// waits, and sees the input once it arrives, well before its 5 s timeout.
describe.skipIf(!JSPI)('poll over an AsyncSource whose input comes later (JSPI)', () => {
  for (const name of ['poll_stdin_pollin', 'poll_stdin_hangup']) {
    it(name, async () => {
      const spec = readSpec(name);
      const typed = new PushSource();
      setTimeout(() => {
        typed.push(spec.stdin ?? '');
        setTimeout(() => typed.end(), 20);
      }, 20);
      const got = await runWithAsync(name, spec, () => new MemoryFS().root, { input: () => fromAsyncSource(typed) });
      expect(got.exitCode, got.stderr).toBe(spec.exit_code ?? 0);
    });
  }
});

// The same programs over host folders through node:fs/promises: every directory and file
// operation is a promise of libuv's thread pool, and the guest suspends on each.
// nodeAsyncDirectory needs /proc/self/fd (Linux).
describe.skipIf(!JSPI || process.platform !== 'linux')('c-fixtures over host folders through node:fs/promises (nodeAsyncDirectory, JSPI)', () => {
  let work: string | undefined;
  afterAll(() => work && rmSync(work, { recursive: true, force: true }));
  const openFds = () => readdirSync('/proc/self/fd').length;
  for (const name of fixtureNames()) {
    it(name, async () => {
      const spec = readSpec(name);
      const expected = runOnMemory(name, spec);
      work ??= mkdtempSync(join(tmpdir(), 'iotypes-async-node-'));
      const tmp = mkdtempSync(join(work, `${name}-`));
      const mounts: Directory[] = [];
      const fdsBefore = openFds();
      const got = await runWithAsync(name, spec, async (dir) => {
        const d = fromAsyncDirectory(await nodeAsyncDirectory(copyFixtureFolder(dir, tmp)));
        mounts.push(d);
        return d;
      });
      for (const d of mounts) d.close?.();
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
      expect(got.stdout).toBe(expected.stdout);
      // Every host handle the run opened (folders walked, files, the mounts) is closed again.
      await new Promise((r) => setTimeout(r, 10));
      expect(openFds(), 'host descriptors left open').toBeLessThanOrEqual(fdsBefore);
    });
  }
});
