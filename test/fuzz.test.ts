// The ABI fuzzer (test/fuzz/abi-fuzzer.ts) with a fixed seed and a short run. `npm run fuzz` runs
// the same property for a million calls or more: IOTYPES_FUZZ_CALLS sets the count and
// IOTYPES_FUZZ_SEED the seed (default: fixed here, random there); progress and calls/s go to stderr.
import { describe, expect, it } from 'vitest';
import { errnoName } from 'iotypes';
import { fuzz } from './fuzz/abi-fuzzer.js';

const LONG = process.env['IOTYPES_FUZZ_CALLS'] !== undefined;
const calls = LONG ? Number(process.env['IOTYPES_FUZZ_CALLS']) : 3000;
const seed = process.env['IOTYPES_FUZZ_SEED'] !== undefined ? Number(process.env['IOTYPES_FUZZ_SEED']) : LONG ? Date.now() % 2 ** 31 : 20261130;
if (!Number.isSafeInteger(calls) || calls <= 0) throw new Error(`IOTYPES_FUZZ_CALLS must be a positive integer, got ${process.env['IOTYPES_FUZZ_CALLS']}`);

const rate = (n: number, ms: number) => `${n} calls in ${(ms / 1000).toFixed(1)} s (${Math.round((n * 1000) / Math.max(ms, 1))} calls/s)`;

describe('ABI fuzzer', () => {
  it(`${calls} random calls (seed ${seed}): only errnos or traps, no write outside out-buffers, a consistent fd table, nothing changed outside the preopen`, () => {
    if (LONG) process.stderr.write(`fuzz: seed ${seed}, ${calls} calls\n`);
    const report = fuzz({
      seed,
      calls,
      progressEvery: LONG ? 50_000 : calls,
      onProgress: (n, ms) => LONG && process.stderr.write(`fuzz: ${rate(n, ms)}\n`),
    });
    process.stderr.write(`fuzz: done, ${rate(report.calls, report.elapsedMs)}, ${report.sequences} sequences, ${report.traps} traps\n`);
    if (LONG || process.env['IOTYPES_FUZZ_VERBOSE']) {
      for (const [name, counts] of [...report.byCall].sort()) {
        const shown = [...counts].sort((a, b) => b[1] - a[1]).map(([e, n]) => `${e === -1 ? 'trap' : errnoName(e)} ${n}`);
        process.stderr.write(`  ${name}: ${shown.join(', ')}\n`);
      }
    }
    // The run exercised what it claims to: enough calls, successes, traps and the usual errnos.
    expect(report.calls).toBeGreaterThanOrEqual(calls);
    expect(report.errnos.get(0) ?? 0).toBeGreaterThan(report.calls / 20);
    expect(report.traps).toBeGreaterThan(0);
    for (const errno of [8 /* badf */, 28 /* inval */, 44 /* noent */, 76 /* notcapable */]) {
      expect(report.errnos.get(errno) ?? 0, `errno ${errno}`).toBeGreaterThan(0);
    }
  }, LONG ? 0 : 60_000);
});
