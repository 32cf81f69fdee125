// Adversarial sandbox suite. test/sandbox/attack.wasm performs one attack per run against a
// preopened host folder (tmp/box) with raw WASI calls; every attack must be refused, and the
// folder next to it (tmp/outside), and tmp itself, must be unchanged to the byte. Read-only
// mounts must leave the box unchanged too. A few attacks also run through `iotypes run`.
// A control runs the same program under node:wasi, whose sandbox is documented as escapable,
// to show that the attacks do detect an escape when there is one.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI as NodeWASI } from 'node:wasi';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymous, toArray, WASI, type AnonymousArray } from 'iotypes';
import { nodeDirectory } from 'iotypes/node';
import { makeLayout, protectedState } from './support/sandbox.js';

const ROOT = join(__dirname, '..');
const SANDBOX = join(__dirname, 'sandbox');
const WASM = join(SANDBOX, 'attack.wasm');
const BIN = join(ROOT, 'bin', 'iotypes.js');

const module = new WebAssembly.Module(readFileSync(WASM));

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const text = (a: AnonymousArray): string => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return new TextDecoder().decode(buf);
};

/** Runs attack.wasm with `args` through the public WASI class, `box` preopened as "box". */
function runAttack(args: string[], box?: { path: string; readOnly: boolean }): Outcome {
  const out = anonymous();
  const err = anonymous();
  const wasi = new WASI({
    args: ['attack.wasm', ...args],
    preopens: box ? { box: nodeDirectory(box.path, { readOnly: box.readOnly }) } : {},
    stdout: toArray(out),
    stderr: toArray(err),
  });
  const exitCode = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  return { exitCode, stdout: text(out), stderr: text(err) };
}

/** Every attack the program knows, with what it tries. */
const ATTACKS: { name: string; what: string }[] = runAttack(['--list'])
  .stdout.trim()
  .split('\n')
  .map((line) => {
    const [name = '', what = ''] = line.split('\t');
    return { name, what };
  });

const escapes: string[] = [];
let ran = 0;
let ranCli = 0;
let control = '';

afterAll(() => {
  console.log(
    `sandbox: ${ran} attacks through the WASI class, ${ranCli} through the CLI, ` +
      `${escapes.length} escapes${escapes.length ? `: ${escapes.join(', ')}` : ''}` +
      (control ? `; control: ${control}` : ''),
  );
});

describe('the attack program', () => {
  it('knows at least 30 distinct attacks', () => {
    const names = ATTACKS.map((a) => a.name);
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(new Set(names).size).toBe(names.length);
    for (const a of ATTACKS) expect(a.what, a.name).not.toBe('');
  });

  const clang = spawnSync('clang', ['--target=wasm32-wasi', '-x', 'c', '-', '-o', '/dev/null'], {
    input: 'int main(void) { return 0; }\n',
  });
  it.skipIf(clang.error !== undefined || clang.status !== 0)('attack.wasm is what attack.c builds to, from any folder', () => {
    // A copy of the folder at the same depth, with the shared rules its Makefile includes.
    const tree = mkdtempSync(join(tmpdir(), 'iotypes-attack-build-'));
    const folder = join(tree, 'test', 'sandbox');
    try {
      mkdirSync(folder, { recursive: true });
      for (const f of ['attack.c', 'Makefile']) copyFileSync(join(SANDBOX, f), join(folder, f));
      if (existsSync(join(ROOT, 'wasm.mk'))) copyFileSync(join(ROOT, 'wasm.mk'), join(tree, 'wasm.mk'));
      const make = spawnSync('make', ['-s', '-C', folder, 'attack.wasm'], { encoding: 'utf8' });
      expect(make.status, make.stderr).toBe(0);
      expect(Buffer.compare(readFileSync(join(folder, 'attack.wasm')), readFileSync(WASM)), 'rebuild test/sandbox/attack.wasm').toBe(0);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});

describe('sandbox attacks through the WASI class', () => {
  for (const { name, what } of ATTACKS) {
    it(`${name}: ${what}`, () => {
      const readOnly = name.startsWith('ro_');
      const l = makeLayout();
      try {
        const before = protectedState(l, readOnly);
        const got = runAttack([name, l.outside], { path: l.box, readOnly });
        const after = protectedState(l, readOnly);
        ran++;
        const changed = JSON.stringify(before) !== JSON.stringify(after);
        if (got.exitCode === 1 || changed) escapes.push(name);
        const context = `stdout: ${got.stdout}stderr: ${got.stderr}`;
        expect(got.stdout, context).toMatch(new RegExp(`^ATTACK ${name} errno=[0-9,]+\\n$`));
        expect(got.exitCode, context).toBe(0);
        expect(after.tmp).toEqual(['box', 'outside']);
        expect(after).toEqual(before);
      } finally {
        rmSync(l.tmp, { recursive: true, force: true });
      }
    });
  }
});

// dist/ (bin/iotypes.js imports dist/cli.js) is built once by the global setup.
describe('sandbox attacks through `iotypes run`', () => {
  const viaCli: [string, '--dir' | '--ro-dir'][] = [
    ['dotdot_open', '--dir'],
    ['abs_open', '--dir'],
    ['host_rel_read', '--dir'],
    ['host_creat_dangling', '--dir'],
    ['guest_abs_read', '--dir'],
    ['renamed_handle_rel', '--dir'],
    ['nul_path', '--dir'],
    ['ro_unlink', '--ro-dir'],
    ['ro_write', '--ro-dir'],
  ];
  for (const [name, flag] of viaCli) {
    it(`${name} (${flag})`, () => {
      const readOnly = flag === '--ro-dir';
      const l = makeLayout();
      try {
        const before = protectedState(l, readOnly);
        const got = spawnSync(process.execPath, [BIN, 'run', flag, `${l.box}::box`, WASM, name, l.outside], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        const after = protectedState(l, readOnly);
        ranCli++;
        if (got.status === 1 || JSON.stringify(before) !== JSON.stringify(after)) escapes.push(`${name} (cli)`);
        const context = `stdout: ${got.stdout}stderr: ${got.stderr}`;
        expect(got.stdout, context).toMatch(new RegExp(`^ATTACK ${name} errno=[0-9,]+\\n$`));
        expect(got.status, context).toBe(0);
        expect(after.tmp).toEqual(['box', 'outside']);
        expect(after).toEqual(before);
      } finally {
        rmSync(l.tmp, { recursive: true, force: true });
      }
    });
  }
});

describe('control: the same attacks under node:wasi', () => {
  it('escape there, so the attacks can tell an escape from a refusal', () => {
    const work = mkdtempSync(join(tmpdir(), 'iotypes-sandbox-control-'));
    const escaped: string[] = [];
    const attacks = ATTACKS.filter((a) => !a.name.startsWith('ro_'));
    for (const { name } of attacks) {
      const l = makeLayout();
      try {
        const before = protectedState(l, false);
        const fd = openSync(join(work, 'stdout'), 'w');
        let exitCode: number;
        try {
          const wasi = new NodeWASI({ version: 'preview1', args: ['attack.wasm', name, l.outside], preopens: { box: l.box }, stdout: fd, returnOnExit: true });
          exitCode = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports));
        } finally {
          closeSync(fd);
        }
        const after = protectedState(l, false);
        if (exitCode === 1 || JSON.stringify(before) !== JSON.stringify(after)) escaped.push(name);
      } finally {
        rmSync(l.tmp, { recursive: true, force: true });
      }
    }
    rmSync(work, { recursive: true, force: true });
    control = `${escaped.length} of ${attacks.length} attacks succeed under node:wasi`;
    // Reading the secret through a host symlink to a folder outside is the documented escape.
    expect(escaped, 'node:wasi no longer escapes; the control needs another escapable runtime').toContain('host_rel_read');
  });
});
