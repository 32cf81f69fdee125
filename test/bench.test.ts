// The benchmark script (bench/run.mjs) runs end to end at a token size: every workload under
// every runtime, the scaling series and the floors. Nothing here looks at a time.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasJspi } from 'iotypes';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

describe('npm run bench', () => {
  it('runs every workload under iotypes (host folder, memory) and node:wasi, with floors (--tiny --json)', () => {
    const out = execFileSync(process.execPath, ['bench/run.mjs', '--tiny', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 170_000,
    });
    const report = JSON.parse(out);
    const ids = ['node:wasi', 'iotypes-host', 'iotypes-memory'];
    expect(report.rows.map((r: { id: string }) => r.id)).toEqual([
      'write1', 'stdout1', 'read', 'write', 'pread', 'pwrite', 'seek', 'openstat', 'readdir', 'clock', 'txn', 'probe', 'probe-flat',
    ]);
    for (const row of report.rows) {
      // node:wasi cannot create the pnpm layout's "../.." symlinks: that row is iotypes only.
      for (const id of row.id === 'probe' ? ids.slice(1) : ids) {
        const r = row.results[id];
        expect(r, `${row.id} under ${id}`).toBeDefined();
        expect(r.note, `${row.id} under ${id}`).toBeUndefined();
        expect(r.nsPerOp).toBeGreaterThan(0);
        if (row.id !== 'probe') expect(r.ratio).toBeGreaterThan(0);
      }
    }
    expect(report.series.map((s: { id: string }) => s.id)).toEqual(['append', 'stdout1', 'readdir']);
    for (const s of report.series) {
      for (const p of s.points) for (const id of ids) expect(p.results[id].nsPerOp, `${s.id} ${p.n} ${id}`).toBeGreaterThan(0);
    }
    for (const key of ['importCall', 'memcpy', 'memcpyFresh', 'memcpy4kRandom', 'writeSync1', 'writeSync1null', 'readSync64k', 'readSync4k', 'writeSync4k', 'openFstatClose', 'lstatPath', ...(process.platform === 'linux' ? ['lstatProc', 'openProc'] : []), 'readdirSync', 'now']) {
      expect(report.floors[key], key).toBeGreaterThan(0);
    }
  }, 180_000);

  it('bench/jspi.mjs measures every call in every configuration under JSPI, and says what it needs elsewhere (--tiny --json)', () => {
    const out = execFileSync(process.execPath, ['bench/jspi.mjs', '--tiny', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const report = JSON.parse(out);
    if (!hasJspi()) {
      // Node.js 20: no JSPI; CI runs this file on Node 24 and 26 too.
      expect(report.skipped).toMatch(/no JSPI.*Node\.js 26/);
      return;
    }
    expect(report.rows.map((r: { id: string }) => r.id)).toEqual(['seek', 'fstat', 'write1', 'stdout1']);
    for (const row of report.rows) {
      const configs = row.id === 'stdout1' ? ['sync', 'jspi', 'jspi+promise'] : ['sync', 'jspi', 'jspi+promise', 'host sync', 'host async'];
      expect(Object.keys(row.results)).toEqual(configs);
      for (const id of configs) expect(row.results[id].nsPerOp, `${row.id} ${id}`).toBeGreaterThan(0);
    }
  }, 150_000);
});

// Without Chromium (apt-get install chromium; CI installs it) there is no browser to run in.
describe.skipIf(!existsSync(process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'))('npm run bench:browser', () => {
  it('runs every workload in Chromium under iotypes (synchronous and JSPI) and browser_wasi_shim (--tiny --json)', () => {
    const out = execFileSync(process.execPath, ['bench/browser.mjs', '--tiny', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 170_000,
    });
    const report = JSON.parse(out);
    expect(report.runtimes).toEqual(['iotypes', 'iotypes-jspi', 'browser_wasi_shim']);
    expect(Object.keys(report.results)).toEqual(['churn', 'write1', 'seek', 'openstat', 'readdir', 'setup']);
    for (const [id, row] of Object.entries(report.results) as [string, Record<string, number>][]) {
      for (const rt of report.runtimes) expect(row[rt], `${id} under ${rt}`).toBeGreaterThan(0);
    }
  }, 180_000);
});
