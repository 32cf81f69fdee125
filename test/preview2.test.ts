// iotypes/preview2 through its public entry: wasi:io/poll with several pollables (clocks and
// stream readiness) on a fake clock, the import object jco's --instantiation output takes, the
// options it shares with the WASI class, and jco's ES module output with its imports mapped to
// iotypes/preview2 (the whole migration from preview2-shim), run on c-fixtures.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { componentEmbed, componentNew, transpile } from '@bytecodealliance/jco';
import { describe, expect, it } from 'vitest';
import { anonymous, Errno, fromArray, OutputStream as IOOutput, pipe, ProcExit, toArray, WasiError, type AnonymousArray, type Clocks } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { nodeDirectory } from 'iotypes/node';
import { configure, createImports, Host, InputStream, OutputStream, Pollable, runCommand, type Descriptor } from 'iotypes/preview2';
import { componentOf, transpiled } from './support/components.js';
import { copyIntoMemory, FIXTURES, readSpec } from './support/fixtures.js';

/** Clocks that only move when the host sleeps: waiting is observable without timing anything. */
function fakeTime() {
  let now = 1_000_000_000n;
  const clock = { now: () => now, resolution: () => 1n };
  const clocks: Clocks = { 0: clock, 1: clock, 2: clock, 3: clock };
  const slept: bigint[] = [];
  return { clocks, sleep: (ns: bigint) => (slept.push(ns), (now += ns)), slept, now: () => now };
}

const text = (a: AnonymousArray) => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return new TextDecoder().decode(buf);
};

describe('wasi:io/poll', () => {
  it('waits for the first of a clock and a stream, and reports every pollable that is ready', () => {
    const t = fakeTime();
    const p = pipe(64);
    const imports = createImports({ clocks: t.clocks, sleep: t.sleep, stdout: toArray(anonymous()) });
    const { poll } = imports['wasi:io/poll'];
    const clock = imports['wasi:clocks/monotonic-clock'];
    const waiter = new Host({ clocks: t.clocks, sleep: t.sleep }).waiter;
    const reader = new InputStream(p.input, waiter);
    const stdout = imports['wasi:cli/stdout'].getStdout();

    // Nothing to read yet: the 10 ms clock fires first, after the host slept that long.
    const start = t.now();
    expect([...poll([reader.subscribe(), clock.subscribeDuration(10_000_000n)])]).toEqual([1]);
    expect(t.now() - start).toBeGreaterThanOrEqual(10_000_000n);
    expect(t.slept.length).toBeGreaterThan(0);

    // Data in the pipe: the stream is ready at once, the 1 s clock is not, and nobody sleeps.
    p.output.write(new TextEncoder().encode('ready\n'));
    const slept = t.slept.length;
    expect([...poll([clock.subscribeDuration(1_000_000_000n), reader.subscribe()])]).toEqual([1]);
    expect(t.slept.length).toBe(slept);

    // Several ready together: the pipe, an output stream with room, a clock already past.
    expect([...poll([reader.subscribe(), stdout.subscribe(), clock.subscribeInstant(0n)])]).toEqual([0, 1, 2]);
    expect(new TextDecoder().decode(reader.read(16n))).toBe('ready\n');

    // The writer closes: end of stream makes the reader ready (read then says 'closed').
    p.output.close();
    expect([...poll([reader.subscribe(), clock.subscribeDuration(1_000_000_000n)])]).toEqual([0]);
    expect(() => reader.read(1n)).toThrow(expect.objectContaining({ payload: { tag: 'closed' } }));
  });

  it('blocks a single pollable until it is ready, and refuses an empty list', () => {
    const t = fakeTime();
    const imports = createImports({ clocks: t.clocks, sleep: t.sleep });
    const clock = imports['wasi:clocks/monotonic-clock'];
    const p = clock.subscribeInstant(t.now() + 5_000n);
    expect(p.ready()).toBe(false);
    p.block();
    expect(p.ready()).toBe(true);
    expect(t.now()).toBeGreaterThanOrEqual(1_000_005_000n);
    expect(() => imports['wasi:io/poll'].poll([])).toThrow(/empty list/);
    expect(() => imports['wasi:io/poll'].poll([{} as Pollable])).toThrow(/not a pollable/);
  });
});

describe('the import object', () => {
  it('serves versioned names, and names the interfaces it does not provide', () => {
    const imports = createImports({ args: ['prog', 'a'], env: ['A=1', 'B=x=y'] });
    expect(imports['wasi:cli/environment@0.2.3']!['getArguments']).toBeTypeOf('function');
    expect(imports['wasi:cli/environment'].getArguments()).toEqual(['prog', 'a']);
    expect(imports['wasi:cli/environment'].getEnvironment()).toEqual([['A', '1'], ['B', 'x=y']]);
    expect(() => imports['wasi:sockets/tcp']).toThrow('wasi:sockets/tcp is not supported: iotypes/preview2 provides wasi:cli, wasi:io, wasi:filesystem, wasi:clocks and wasi:random');
    expect(() => imports['wasi:http/outgoing-handler@0.2.0']).toThrow(/wasi:http\/outgoing-handler is not supported/);
  });

  it('takes the options of new WASI(), and refuses those a component cannot honour', () => {
    expect(() => createImports({ fds: [] } as never)).toThrow(/fds option/);
    expect(() => createImports({ sockets: [] } as never)).toThrow(/sockets option/);
    expect(() => createImports({ env: ['NOEQUALS'] })).toThrow(/not NAME=VALUE/);
  });

  it('reports a write to a closed stream as closed', () => {
    const closed = toArray(anonymous());
    const stream = createImports({ stdout: closed })['wasi:cli/stdout'].getStdout();
    closed.close();
    expect(stream).toBeInstanceOf(OutputStream);
    expect(() => stream.write(new Uint8Array([1]))).toThrow(expect.objectContaining({ payload: { tag: 'closed' } }));
  });

  it('reports a failed write as last-operation-failed, whose error gives its filesystem error code', () => {
    class Full extends IOOutput {
      protected writeCore(): number {
        throw new WasiError(Errno.ENOSPC, 'disk full');
      }
    }
    const imports = createImports({ stdout: new Full() });
    const stream = imports['wasi:cli/stdout'].getStdout();
    let payload: { tag: string; val?: unknown } | undefined;
    try {
      stream.write(new Uint8Array([1]));
    } catch (e) {
      payload = (e as { payload: typeof payload }).payload;
    }
    expect(payload?.tag).toBe('last-operation-failed');
    expect(imports['wasi:filesystem/types'].filesystemErrorCode(payload!.val as never)).toBe('insufficient-space');
    // The failure is sticky: check-write reports it too.
    expect(() => stream.checkWrite()).toThrow(expect.objectContaining({ payload: expect.objectContaining({ tag: 'last-operation-failed' }) }));
  });
});

describe('a component importing wasi:sockets', () => {
  const witSource = `package test:p2;
package wasi:sockets@0.2.0 { interface tcp { connect: func() -> u32; } }
package wasi:cli@0.2.0 { interface run { run: func() -> result; } }
world sockets { import wasi:sockets/tcp@0.2.0; export wasi:cli/run@0.2.0; }
`;
  const sockets = async () => componentNew(await componentEmbed({ dummy: true, witSource, world: 'sockets' }), []);

  it('fails at instantiation through createImports, naming the interface', async () => {
    const t = await transpiled(await sockets(), 'sockets.wasm');
    await expect(runCommand(t.instantiate, t.core, {})).rejects.toThrow('wasi:sockets/tcp is not supported');
  });

  it("fails at instantiation through jco's ES module output mapped to iotypes/preview2", async () => {
    const { files } = await transpile(await sockets(), { name: 'sockets', map: { 'wasi:sockets/*': 'iotypes/preview2#*', 'wasi:cli/*': 'iotypes/preview2#*' } });
    const dir = join(__dirname, '..', '.tmp', 'mapped', 'sockets');
    for (const [file, data] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), data);
    }
    await expect(import(pathToFileURL(join(dir, 'sockets.js')).href)).rejects.toThrow('wasi:sockets/tcp is not supported');
  });
});

describe('the end of a run', () => {
  it('releases the host fds of files the component left open, and keeps the preopen usable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotypes-p2-fds-'));
    try {
      writeFileSync(join(dir, 'a.txt'), 'alpha');
      const preopen = nodeDirectory(dir);
      const host = new Host({ preopens: { box: preopen } });
      const imports = createImports(host);
      const [[box]] = imports['wasi:filesystem/preopens'].getDirectories() as [[Descriptor, string]];
      const fds = () => readdirSync('/proc/self/fd').length;
      const before = fds();
      const files = [1, 2, 3].map(() => box.openAt({}, 'a.txt', {}, { read: true }));
      expect(fds()).toBeGreaterThanOrEqual(before + 3);
      host.finish();
      expect(fds()).toBeLessThanOrEqual(before);
      expect(() => files[0]!.read(1n, 0n)).toThrow(expect.objectContaining({ payload: 'bad-descriptor' }));
      expect(preopen.stat('a.txt').size).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('preview2/ is platform-neutral', () => {
  it('imports no node:* module nor any package', () => {
    const root = join(__dirname, '..', 'preview2');
    for (const f of readdirSync(root)) {
      const src = readFileSync(join(root, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      for (const [, spec] of src.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        expect(spec!.startsWith('.'), `${f} imports ${spec}`).toBe(true);
      }
      expect(src, f).not.toMatch(/(?<![.\w])(process\.|Buffer\.|require\(|window|document)/);
    }
  });
});

/** A fixture's component transpiled as jco's ES module output, imports mapped to iotypes/preview2. */
async function mappedComponent(name: string): Promise<string> {
  const bytes = await componentOf(readFileSync(join(FIXTURES, `${name}.wasm`)));
  const map: Record<string, string> = {};
  for (const pkg of ['cli', 'io', 'filesystem', 'clocks', 'random']) map[`wasi:${pkg}/*`] = 'iotypes/preview2#*';
  const { files } = await transpile(bytes, { name, map });
  const dir = join(__dirname, '..', '.tmp', 'mapped', name);
  for (const [file, data] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), data);
  }
  const js = readFileSync(join(dir, `${name}.js`), 'utf8');
  expect(js).toContain("from 'iotypes/preview2'");
  expect(js).not.toContain('preview2-shim');
  return join(dir, `${name}.js`);
}

describe("jco's ES module output with --map 'wasi:*/*=iotypes/preview2#*'", () => {
  for (const name of ['stdio_stdin_echo', 'args_non_ascii', 'open_creat', 'readdir_types', 'exit_code_3']) {
    it(name, async () => {
      const spec = readSpec(name);
      const file = await mappedComponent(name);
      const fs = new MemoryFS();
      const preopens: Record<string, ReturnType<MemoryFS['root']['openDir']>> = {};
      for (const dir of spec.dirs ?? []) {
        copyIntoMemory(fs, join(FIXTURES, dir), dir);
        preopens[dir] = fs.root.openDir(dir);
      }
      const input = anonymous();
      input.writeAt(new TextEncoder().encode(spec.stdin ?? ''), 0);
      const out = anonymous();
      const err = anonymous();
      configure({ args: [`${name}.wasm`, ...(spec.args ?? [])], env: spec.env ?? {}, preopens, stdin: fromArray(input, 0), stdout: toArray(out), stderr: toArray(err) });
      const { run } = (await import(pathToFileURL(file).href)) as { run: { run(): void } };
      let status = 0;
      try {
        run.run();
      } catch (e) {
        if (!(e instanceof ProcExit)) throw e;
        status = e.code;
      }
      expect(text(err)).toBe(spec.stderr ?? '');
      expect(status).toBe(Math.min(spec.exit_code ?? 0, 1));
      if (spec.stdout !== undefined) expect(text(out)).toBe(spec.stdout);
    });
  }
});
