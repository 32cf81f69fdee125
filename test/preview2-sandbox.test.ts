// The sandbox suite against the component path: test/sandbox/attack.wasm turned into a
// component (jco's preview1 adapter) runs every attack over iotypes/preview2 with the box
// preopened from the host; every attack must be refused and the folder next to the box, and the
// rest of tmp, must be unchanged to the byte. The control runs the same component on
// @bytecodealliance/preview2-shim (jco's default host), which follows a host-planted symlink out
// of its preopen, to show that these attacks do detect an escape when there is one.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDirectory } from 'iotypes/node';
import { componentOf, runOnPreview2Shim, runTranspiled, transpiled, type Transpiled } from './support/components.js';
import { makeLayout, protectedState } from './support/sandbox.js';

const WASM = join(__dirname, 'sandbox', 'attack.wasm');

let bytes: Uint8Array;
let attack: Transpiled;
beforeAll(async () => {
  bytes = await componentOf(readFileSync(WASM));
  attack = await transpiled(bytes, 'attack.wasm');
}, 120_000);

const escapes: string[] = [];
const controlEscapes: string[] = [];
afterAll(() => {
  console.log(`preview2 sandbox: ${escapes.length} escapes on iotypes/preview2; control (preview2-shim): ${controlEscapes.length} escapes (${controlEscapes.join(', ')})`);
});

/** Attack names, as the program lists them (the list itself runs as a component). */
async function attacks(): Promise<string[]> {
  const got = await runTranspiled(attack, { args: ['attack.wasm', '--list'] });
  expect(got.exitCode).toBe(0);
  return got.stdout.trim().split('\n').map((line) => line.split('\t')[0]!);
}

describe('sandbox attacks on a component over iotypes/preview2', () => {
  it('refuses every attack and leaves everything outside the box unchanged', async () => {
    const names = await attacks();
    expect(names.length).toBeGreaterThanOrEqual(30);
    for (const name of names) {
      const readOnly = name.startsWith('ro_');
      const l = makeLayout();
      try {
        const before = protectedState(l, readOnly);
        const got = await runTranspiled(attack, {
          args: ['attack.wasm', name, l.outside],
          preopens: { box: nodeDirectory(l.box, { readOnly }) },
        });
        const after = protectedState(l, readOnly);
        if (got.exitCode === 1 || JSON.stringify(before) !== JSON.stringify(after)) escapes.push(name);
        const context = `${name}: stdout: ${got.stdout}stderr: ${got.stderr}`;
        expect(got.stdout, context).toMatch(new RegExp(`^ATTACK ${name} errno=[0-9,]+\\n$`));
        expect(got.exitCode, context).toBe(0);
        expect(after.tmp, context).toEqual(['box', 'outside']);
        expect(after, context).toEqual(before);
      } finally {
        rmSync(l.tmp, { recursive: true, force: true });
      }
    }
    expect(escapes).toEqual([]);
  }, 300_000);
});

describe('control: the same component on preview2-shim', () => {
  it('escapes through a host-planted symlink in its preopen', async () => {
    const names = await attacks();
    for (const name of names.filter((n) => !n.startsWith('ro_'))) {
      const l = makeLayout();
      try {
        const before = protectedState(l, false);
        const got = await runOnPreview2Shim(bytes, { args: ['attack.wasm', name, l.outside], preopens: { box: l.box } });
        const after = protectedState(l, false);
        if (got.exitCode === 1 || JSON.stringify(before) !== JSON.stringify(after)) controlEscapes.push(name);
      } finally {
        rmSync(l.tmp, { recursive: true, force: true });
      }
    }
    // What the attacks detect there: a write through box/abs_dir or box/rel_dir (symlinks to the
    // folder outside) lands outside.
    expect(controlEscapes.length).toBeGreaterThan(0);
  }, 300_000);
});
