// Layer: tests. Imports vitest and the memfs fixture runner.
// Every c-fixture runs through the public WASI class on the memfs backend, and is compared with
// its spec (exit code, stdout, stderr) as on the in-memory backend.
import { describe, expect, it } from 'vitest';
import { fixtureNames, readSpec } from './support/fixtures.js';
import { runOnMemfs } from './support/fixtures-memfs.js';

/** Fixtures memfs itself cannot represent, with the exact reason. */
const SKIP: Record<string, string> = {
  // memfs keeps a file in one Buffer grown by doubling: a byte at 5 GiB asks for an 8 GiB Buffer,
  // above Node's Buffer limit (4 GiB on Node 20), and memfs throws RangeError ERR_OUT_OF_RANGE
  // (which the adapter reports by its code). Below that limit the hole is allocated in full.
  pwrite_5gib: 'memfs allocates files in full and cannot hold a 5 GiB file',
};

describe('c-fixtures on the memfs backend', () => {
  const names = fixtureNames();
  it('leaves the guest\'s changes in the volume for the host to see', () => {
    const got = runOnMemfs('link_hard');
    expect(got.exitCode, got.stderr).toBe(0);
    expect(got.vol.readFileSync('/fs.dir/hard.txt', 'utf8')).toBe('Hello, fixture!\n+');
    expect(got.vol.existsSync('/fs.dir/hello.txt')).toBe(false);
    expect(got.vol.readdirSync('/fs.dir')).toEqual(['hard.txt', 'subdir']);
  });
  it('has at least 50 fixtures', () => expect(names.length).toBeGreaterThanOrEqual(50));
  for (const name of names) {
    if (SKIP[name] !== undefined) {
      it.skip(`${name} (${SKIP[name]})`, () => {});
      continue;
    }
    it(name, () => {
      const spec = readSpec(name);
      const got = runOnMemfs(name, spec);
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
    });
  }
});
