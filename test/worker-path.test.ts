// Asynchronous I/O types through a worker (no JSPI needed): every c-fixture runs in a Node.js
// worker thread (the built dist/node-worker.js) over directories, files and stdio that stay in
// this thread and answer every operation through a promise a macrotask later, the worker
// blocking on a SharedArrayBuffer meanwhile; then again over host folders through
// node:fs/promises. Outcomes are compared with each spec and with the same program on the
// synchronous in-memory backend.
import { anonymous, chooseRunner, Errno, fromArray, hasJspi, PushSource, runSuspending, RemoteOwner, RemoteSettler, remoteBuffer, toArray, WasiError, type AsyncDirectory, type AsyncSink } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { nodeAsyncDirectory, runInWorker } from 'iotypes/node';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { counter, delayed, delayedSink, delayedSource } from './support/async.js';
import { copyFixtureFolder, copyIntoMemory, fixtureModule, FIXTURES, fixtureNames, readSpec, runOnMemory, TRAP_EXIT_CODE, type Outcome, type Spec } from './support/fixtures.js';

const WORKER = new URL('../dist/node-worker.js', import.meta.url);

const text = (a: ReturnType<typeof anonymous>) => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return new TextDecoder().decode(buf);
};

/** Each spec folder of a run, as an asynchronous directory (fresh for the run). */
type Mount = (dir: string) => AsyncDirectory | Promise<AsyncDirectory>;

/** Promise-answering twins of in-memory copies of the spec folders, in `fs`. */
const memoryMount = (fs: MemoryFS): Mount => (dir) => {
  copyIntoMemory(fs, join(FIXTURES, dir), dir);
  return delayed(fs.root.openDir(dir));
};

/** Runs one fixture in a worker over `mount`'s directories, stdio answering a macrotask later. */
async function runThroughWorker(name: string, spec: Spec, mount: Mount = memoryMount(new MemoryFS()), bufferBytes?: number): Promise<Outcome> {
  const preopens: Record<string, AsyncDirectory> = {};
  for (const dir of spec.dirs ?? []) preopens[dir] = await mount(dir);
  const stdin = anonymous();
  stdin.writeAt(new TextEncoder().encode(spec.stdin ?? ''), 0);
  const out = anonymous();
  const err = anonymous();
  let exitCode: number;
  let trap: string | undefined;
  try {
    ({ exitCode } = await runInWorker(fixtureModule(name), {
      args: [`${name}.wasm`, ...(spec.args ?? [])],
      env: spec.env ?? {},
      preopens,
      stdin: delayedSource(fromArray(stdin, 0)),
      stdout: delayedSink(toArray(out)),
      stderr: delayedSink(toArray(err)),
      workerUrl: WORKER,
      ...(bufferBytes === undefined ? {} : { bufferBytes }),
    }));
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = TRAP_EXIT_CODE;
    trap = e.message;
  }
  return { exitCode, stdout: text(out), stderr: text(err), ...(trap === undefined ? {} : { trap }) };
}

describe('c-fixtures through a worker over asynchronous I/O types', () => {
  const names = fixtureNames();
  const before = counter.promises;
  for (const name of names) {
    it(name, async () => {
      const spec = readSpec(name);
      const expected = runOnMemory(name, spec); // the same program on the synchronous backend
      const got = await runThroughWorker(name, spec);
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
      expect(got.stdout).toBe(expected.stdout);
      expect(got.stderr).toBe(expected.stderr);
    });
  }
  it('made the guests wait on promises (every operation answered a macrotask later)', () => {
    expect(counter.promises - before).toBeGreaterThan(names.length * 10);
  });
});

// The same programs over host folders through node:fs/promises, on any Node.js (no JSPI): the
// practical case of the worker path in Node. Every host handle the run opened (folders walked,
// files) must be closed again, so a close the guest posts reaches the owner's object.
// nodeAsyncDirectory needs /proc/self/fd (Linux).
describe.skipIf(process.platform !== 'linux')('c-fixtures through a worker over host folders (nodeAsyncDirectory)', () => {
  let work: string | undefined;
  afterAll(() => work && rmSync(work, { recursive: true, force: true }));
  const openFds = () => readdirSync('/proc/self/fd').length;
  for (const name of fixtureNames()) {
    it(name, async () => {
      const spec = readSpec(name);
      work ??= mkdtempSync(join(tmpdir(), 'iotypes-worker-node-'));
      const tmp = mkdtempSync(join(work, `${name}-`));
      const mounts: AsyncDirectory[] = [];
      const fdsBefore = openFds();
      const got = await runThroughWorker(name, spec, async (dir) => {
        const d = await nodeAsyncDirectory(copyFixtureFolder(dir, tmp));
        mounts.push(d);
        return d;
      });
      for (const d of mounts) await d.close?.();
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
      expect(got.stdout).toBe(runOnMemory(name, spec).stdout);
      await new Promise((r) => setTimeout(r, 10));
      expect(openFds(), 'host descriptors left open').toBeLessThanOrEqual(fdsBefore);
    });
  }
});

describe('the worker path', () => {
  it('leaves the guest\'s changes in the owner\'s objects', async () => {
    const fs = new MemoryFS();
    const got = await runThroughWorker('link_hard', readSpec('link_hard'), memoryMount(fs));
    expect(got.exitCode, got.stderr).toBe(0);
    expect([...fs.root.openDir('fs.dir').entries()].map((e) => e.name).sort()).toContain('hard.txt');
  });

  it('carries answers larger than the shared buffer in several chunks', async () => {
    // A 64-byte data area: every directory listing, stat and read takes several round trips.
    for (const name of ['readdir_types', 'readdir_rewind', 'pread_pwrite_offset', 'stdio_stdin_echo']) {
      const spec = readSpec(name);
      const got = await runThroughWorker(name, spec, memoryMount(new MemoryFS()), 64);
      expect(got.exitCode, got.stderr).toBe(spec.exit_code ?? 0);
      expect(got.stdout).toBe(runOnMemory(name, spec).stdout);
    }
  });

  it('takes stdout as a plain function of bytes', async () => {
    const chunks: string[] = [];
    const r = await runInWorker(fixtureModule('stdio_hello'), { args: ['stdio_hello.wasm'], stdout: (b) => chunks.push(new TextDecoder().decode(b)), workerUrl: WORKER });
    expect(r.exitCode).toBe(0);
    expect(chunks.join('')).toBe(readSpec('stdio_hello').stdout);
  });

  it('waits in the worker for input the page pushes later (a person typing)', async () => {
    const typed = new PushSource();
    let got = '';
    const dec = new TextDecoder();
    const running = runInWorker(fixtureModule('stdio_stdin_echo'), { args: ['x'], stdin: typed, stdout: (b) => (got += dec.decode(b, { stream: true })), workerUrl: WORKER });
    const spec = readSpec('stdio_stdin_echo');
    const input = spec.stdin ?? '';
    for (let i = 0; i < input.length; i += 3) {
      await new Promise((r) => setTimeout(r, 5));
      typed.push(input.slice(i, i + 3));
    }
    typed.end();
    expect((await running).exitCode).toBe(spec.exit_code ?? 0);
    expect(got + dec.decode()).toBe(spec.stdout);
  });

  it('fails the run with the message of an operation that threw other than a WasiError', async () => {
    const sink: AsyncSink = { write: () => Promise.reject(new RangeError('the sink broke')) };
    await expect(runInWorker(fixtureModule('stdio_hello'), { args: ['x'], stdout: sink, workerUrl: WORKER })).rejects.toThrow(/write\(\) of an asynchronous I\/O object failed: RangeError: the sink broke/);
  });

  it('reports a trap as a WebAssembly.RuntimeError', async () => {
    await expect(runInWorker(fixtureModule('abort_trap'), { workerUrl: WORKER })).rejects.toBeInstanceOf(WebAssembly.RuntimeError);
  });

  it('rejects when the worker script cannot start', async () => {
    await expect(runInWorker(fixtureModule('stdio_hello'), { workerUrl: new URL('./no-such-worker.js', WORKER) })).rejects.toThrow();
  });
});

describe('choosing how to wait', () => {
  it('takes JSPI where the engine has it, a worker otherwise, and what is asked for', () => {
    expect(chooseRunner()).toBe(hasJspi() ? 'jspi' : 'worker');
    expect(chooseRunner('worker')).toBe('worker');
    expect(chooseRunner('jspi')).toBe('jspi');
  });

  // The same options run in this thread with JSPI (Node.js 24.22 and 26; CI runs this file there too).
  it.skipIf(!hasJspi())('runSuspending runs the same options in this thread with JSPI', async () => {
    const fs = new MemoryFS();
    copyIntoMemory(fs, join(FIXTURES, 'fs.dir'), 'fs.dir');
    let stdout = '';
    const r = await runSuspending(fixtureModule('link_hard'), { args: ['link_hard.wasm'], preopens: { 'fs.dir': delayed(fs.root.openDir('fs.dir')) }, stdout: (b) => (stdout += new TextDecoder().decode(b)) });
    expect(r.exitCode, stdout).toBe(0);
    expect([...fs.root.openDir('fs.dir').entries()].map((e) => e.name)).toContain('hard.txt');
  });
});

describe('the blocking settler and its owner', () => {
  /** An owner in this thread and a settler in a worker that runs `body` against the stub. */
  function inWorker(target: object, body: string): Promise<unknown> {
    const owner = new RemoteOwner(remoteBuffer(64));
    const setup = owner.encode({ target });
    const remote = new URL('../dist/index.js', import.meta.url).href;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(${JSON.stringify(remote)}).then(({ RemoteSettler, WasiError }) => {
        const settler = new RemoteSettler(workerData.shared, (m, t) => parentPort.postMessage(m, t));
        const { target } = settler.decode(workerData.setup);
        let result;
        try { result = { value: (${body})(target, settler) }; }
        catch (e) { result = { error: e.message, wasi: e instanceof WasiError, errno: e.errno }; }
        parentPort.postMessage({ done: result });
      });`;
    const worker = new Worker(code, { eval: true, workerData: { shared: owner.shared, setup } });
    return new Promise((resolve, reject) => {
      worker.on('message', (m: { done?: unknown }) => {
        if (owner.receive(m)) return;
        void worker.terminate();
        resolve(m.done);
      });
      worker.on('error', reject);
    });
  }

  it('round-trips values: bigints, bytes, nested lists, undefined and null', async () => {
    const big = new Uint8Array(1000).map((_, i) => i & 255);
    const target = {
      echo: (v: unknown) => Promise.resolve(v),
      bytes: () => big,
    };
    const got = await inWorker(target, `(t) => [t.echo({ a: 1n << 70n, b: [null, undefined, 'é', true], c: new Uint8Array([1, 2, 3]) }), t.bytes()]`);
    expect(got).toEqual({ value: [{ a: 1n << 70n, b: [null, undefined, 'é', true], c: new Uint8Array([1, 2, 3]) }, big] });
  });

  it('rethrows a WasiError as a WasiError with the same errno and message', async () => {
    const target = { fail: () => Promise.reject(new WasiError(Errno.ENOTEMPTY, 'still has files')) };
    const got = await inWorker(target, `(t) => t.fail()`);
    expect(got).toEqual({ error: 'ENOTEMPTY: still has files', wasi: true, errno: Errno.ENOTEMPTY });
  });

  it('hands out what an open returns as stubs, and forgets a file and its array once the worker closes it', async () => {
    const file = { array: { len: () => 5 }, close: () => {} };
    const target = { openFile: () => Promise.resolve(file) };
    const got = await inWorker(target, `(t, s) => {
      const f = t.openFile('x', {});
      const before = f.array.len();
      s.post(f, 'close', []);
      try { f.array.len(); return [before, 'still held']; } catch (e) { return [before, e.message]; }
    }`);
    expect(got).toEqual({ value: [5, expect.stringMatching(/len\(\) of an asynchronous I\/O object failed: .*does not hold/)] });
  });

  it('refuses an object that is not one of its stubs', () => {
    const settler = new RemoteSettler(remoteBuffer(64), () => {});
    expect(() => settler.call({}, 'read', [])).toThrow(/not a stub of this worker/);
  });
});
