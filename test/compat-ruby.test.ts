// A real consumer end to end: Ruby 3.4 (@ruby/3.4-wasm-wasi, a reactor) through @ruby/wasm-wasi's
// glue with iotypes/node-wasi in place of node:wasi. Runs examples/ruby.mjs as a user would
// (against the build in dist/): one instantiation, an interpreter loop of three million
// iterations, and a file of 8 MiB written, overwritten in place and read back in a preopened
// host folder.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from './support/node-child.js';

const ROOT = join(__dirname, '..');
const ITERATIONS = 3_000_000;
const MIB = 8;

interface RubyResult {
  ruby: string;
  startupMs: number;
  iterations: number;
  sum: string;
  loopMs: number;
  bytes: number;
  statSize: number;
  identical: boolean;
  hostAgrees: boolean;
  fileMs: number;
}

const runExample = () => runNode(join(ROOT, 'examples', 'ruby.mjs'), [String(ITERATIONS), String(MIB), '--json'], { cwd: ROOT });

describe('Ruby on iotypes/node-wasi (examples/ruby.mjs)', () => {
  it('runs an interpreter loop and a file round trip through @ruby/wasm-wasi', async () => {
    const got = await runExample();
    expect(got.status, got.stderr).toBe(0);
    const line = got.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, got.stdout).toBeDefined();
    const r = JSON.parse(line!.slice('RESULT '.length)) as RubyResult;
    expect(r.ruby).toMatch(/^3\.4\./);
    expect(r.iterations).toBe(ITERATIONS);
    expect(BigInt(r.sum)).toBe((BigInt(ITERATIONS) * BigInt(ITERATIONS - 1)) / 2n);
    expect(r.bytes).toBe(MIB * 1024 * 1024);
    expect(r.statSize).toBe(r.bytes);
    expect(r.identical).toBe(true);
    expect(r.hostAgrees).toBe(true);
  }, 60_000);
});
