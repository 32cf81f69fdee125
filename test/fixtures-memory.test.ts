// Every c-fixture runs through the public WASI class on the in-memory backend.
import { describe, expect, it } from 'vitest';
import { fixtureNames, readSpec, runOnMemory } from './support/fixtures.js';

describe('c-fixtures on the in-memory backend', () => {
  const names = fixtureNames();
  it('has at least 50 fixtures', () => expect(names.length).toBeGreaterThanOrEqual(50));
  for (const name of names) {
    it(name, () => {
      const spec = readSpec(name);
      const got = runOnMemory(name, spec);
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
    });
  }
});
