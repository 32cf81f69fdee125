// `iotypes run` on a wasi-threads program (test/threads/spawn.wat assembled to a .wasm): it runs
// through iotypes/threads, each thread a Worker with its own WASI over the shared memory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initWabt from 'wabt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(__dirname, '..', 'bin', 'iotypes.js');
let tmp: string;
let wasm: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'iotypes-cli-threads-'));
  const wabt = await initWabt();
  const parsed = wabt.parseWat('spawn.wat', readFileSync(join(__dirname, 'threads', 'spawn.wat'), 'utf8'), { threads: true, bulk_memory: true });
  wasm = join(tmp, 'spawn.wasm');
  writeFileSync(wasm, parsed.toBinary({}).buffer);
  parsed.destroy();
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('iotypes run: wasi-threads programs', () => {
  it('runs the threads the program spawns', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', wasm], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines.slice(0, 3).sort()).toEqual(['thread 0', 'thread 1', 'thread 2']);
    expect(lines[3]).toBe('main done');
  });

  it('refuses typed arguments, which cannot be shared between threads, in one line', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', wasm, `@in:${wasm}`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(125);
    expect(r.stderr).toBe(`iotypes: ${wasm}: typed arguments (@in:, @inout:, @out:) are not available to wasi-threads programs (see 'iotypes run --help')\n`);
  });
});
