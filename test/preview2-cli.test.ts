// `iotypes run COMPONENT`: c-fixtures and examples turned into components (jco's preview1
// adapter) run through the command with the same flags as their modules, with the same output,
// files and statuses; --trace; the cache; and the one line a user without jco gets.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';
import { componentOf, tree } from './support/components.js';
import { FIXTURES, readSpec } from './support/fixtures.js';
import { runNode } from './support/node-child.js';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'iotypes.js');
const work = mkdtempSync(join(tmpdir(), 'iotypes-p2cli-'));
const cache = join(work, 'cache');
const saved = { cache: process.env['IOTYPES_CACHE_DIR'], jco: process.env['IOTYPES_JCO'] };
beforeAll(() => {
  process.env['IOTYPES_CACHE_DIR'] = cache; // inherited by the children
});
afterAll(() => {
  for (const [k, v] of [['IOTYPES_CACHE_DIR', saved.cache], ['IOTYPES_JCO', saved.jco]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(work, { recursive: true, force: true });
});

const iotypes = (args: string[], stdin = '', cwd = ROOT) => runNode(BIN, args, { cwd, stdin });

/** Writes the component of the module at `wasm` next to the other test files; returns its path. */
async function component(wasm: string, name: string): Promise<string> {
  const path = join(work, `${name}.component.wasm`);
  if (!existsSync(path)) writeFileSync(path, await componentOf(readFileSync(wasm)));
  return path;
}

/** The flags a fixture's spec asks for, its folders copied fresh under `cwd`. */
function flags(name: string, cwd: string): string[] {
  const spec = readSpec(name);
  const out: string[] = [];
  for (const dir of spec.dirs ?? []) {
    cpSync(join(FIXTURES, dir), join(cwd, dir), { recursive: true, verbatimSymlinks: true });
    out.push('--dir', dir);
  }
  for (const [k, v] of Object.entries(spec.env ?? {})) out.push('--env', `${k}=${v}`);
  return out;
}

describe('iotypes run COMPONENT', () => {
  for (const name of ['stdio_stdin_echo', 'stdio_stderr', 'args_non_ascii', 'env_non_ascii', 'open_creat', 'rename_file', 'stdio_large_stdout', 'exit_code_3', 'abort_trap']) {
    it(`${name}: as its module does`, async () => {
      const spec = readSpec(name);
      const c = await component(join(FIXTURES, `${name}.wasm`), name);
      const moduleCwd = mkdtempSync(join(work, 'm-'));
      const componentCwd = mkdtempSync(join(work, 'c-'));
      const m = await iotypes(['run', ...flags(name, moduleCwd), '--argv0', `${name}.wasm`, join(FIXTURES, `${name}.wasm`), ...(spec.args ?? [])], spec.stdin ?? '', moduleCwd);
      const got = await iotypes(['run', ...flags(name, componentCwd), '--argv0', `${name}.wasm`, c, ...(spec.args ?? [])], spec.stdin ?? '', componentCwd);
      expect(m.status, m.stderr).toBe(spec.exit_code ?? 0);
      // WASI 0.2's exit is ok or err: a nonzero code other than a trap's becomes 1.
      expect(got.status, got.stderr).toBe(m.status === 0 || m.status === 134 ? m.status : 1);
      expect(got.stdout).toBe(m.stdout);
      if (m.status === 134) {
        expect(got.stderr).toMatch(new RegExp(`^iotypes: ${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: wasm trap: [^\\n]+\\n$`));
      } else {
        expect(got.stderr).toBe(m.stderr);
      }
      expect(tree(componentCwd)).toEqual(tree(moduleCwd));
    });
  }

  it('typed arguments: @in and @out bind host files as they do for a module', async () => {
    const cp = await component(join(ROOT, 'examples', 'cp.wasm'), 'cp');
    const dir = mkdtempSync(join(work, 'typed-'));
    writeFileSync(join(dir, 'data.txt'), 'alpha beta\ngamma\n');
    const got = await iotypes(['run', cp, `@in:${join(dir, 'data.txt')}`, `@out:${join(dir, 'copy.txt')}`]);
    expect(got.status, got.stderr).toBe(0);
    expect(readFileSync(join(dir, 'copy.txt'), 'utf8')).toBe('alpha beta\ngamma\n');
  });

  it('--trace prints the component calls on stderr', async () => {
    const c = await component(join(FIXTURES, 'open_creat.wasm'), 'open_creat');
    const cwd = mkdtempSync(join(work, 'trace-'));
    const got = await iotypes(['run', '--trace', ...flags('open_creat', cwd), c], '', cwd);
    expect(got.status, got.stderr).toBe(0);
    expect(got.stderr).toMatch(/^wasi:filesystem\/preopens#get-directories\(\) → \[\[<Descriptor>, "fs.dir"\]\]$/m);
    expect(got.stderr).toContain('[method]descriptor.stat-at({symlinkFollow}, "created.txt") → err("no-entry")\n');
    expect(got.stderr).toContain('[method]descriptor.open-at({symlinkFollow}, "created.txt", {create}, {write}) → <Descriptor>\n');
  });

  it('keeps each transpiled component in the cache, by hash', async () => {
    await component(join(FIXTURES, 'stdio_hello.wasm'), 'stdio_hello');
    const got = await iotypes(['run', join(work, 'stdio_hello.component.wasm')]);
    expect(got.status, got.stderr).toBe(0);
    const entries = readdirSync(join(cache, 'components'));
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e)), entries.join(' ')).toBe(true);
    expect(entries.some((e) => existsSync(join(cache, 'components', e, 'component.js')))).toBe(true);
  });

  /** A component of the world `world` (its functions trap if called), from WIT alone. */
  async function fromWit(name: string, world: string): Promise<string> {
    const witSource = `package test:p2;
package wasi:sockets@0.2.0 { interface tcp { connect: func() -> u32; } }
package wasi:cli@0.2.0 { interface run { run: func() -> result; } }
world sockets { import wasi:sockets/tcp@0.2.0; export wasi:cli/run@0.2.0; }
world library { export hello: func() -> u32; }
`;
    const path = join(work, `${name}.wasm`);
    writeFileSync(path, await componentNew(await componentEmbed({ dummy: true, witSource, world }), []));
    return path;
  }

  it('refuses, in one line, a component importing an interface iotypes/preview2 does not provide', async () => {
    const c = await fromWit('sockets', 'sockets');
    const got = await iotypes(['run', c]);
    expect(got.status).toBe(125);
    expect(got.stderr).toBe(
      `iotypes: ${c}: imports wasi:sockets/tcp, which iotypes/preview2 does not provide (it provides wasi:cli, wasi:io, wasi:filesystem, wasi:clocks and wasi:random)\n`,
    );
  });

  it('refuses, in one line, a component that is not a command', async () => {
    const c = await fromWit('library', 'library');
    const got = await iotypes(['run', c]);
    expect(got.status).toBe(125);
    expect(got.stderr).toBe(`iotypes: ${c}: not a command component: it does not export wasi:cli/run\n`);
  });

  it('without jco, says in one line what to install', async () => {
    const c = await component(join(FIXTURES, 'stdio_hello.wasm'), 'stdio_hello');
    mkdirSync(join(work, 'nojco'), { recursive: true });
    process.env['IOTYPES_JCO'] = join(work, 'nojco', 'missing.js');
    try {
      const got = await iotypes(['run', c]);
      expect(got.status).toBe(125);
      expect(got.stdout).toBe('');
      expect(got.stderr).toBe(`iotypes: ${c}: a WebAssembly component; running components needs jco: npm install @bytecodealliance/jco@1.10\n`);
    } finally {
      delete process.env['IOTYPES_JCO'];
    }
  });
});
