// Every c-fixture runs through the public WASI class on the Node backend, over a temporary copy
// of its folders: with descriptor addressing (Linux's /proc/self/fd, the default here) and with
// the path re-walk used where /proc is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureNames, readSpec, runOnNode } from './support/fixtures.js';

describe.each(['descriptor', 'walk'] as const)('c-fixtures on the Node backend (%s addressing)', (addressing) => {
  let tmp: string | undefined;
  afterEach(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  for (const name of fixtureNames()) {
    it(name, () => {
      tmp = mkdtempSync(join(tmpdir(), `iotypes-${name}-`));
      const spec = readSpec(name);
      const got = runOnNode(name, tmp, spec, { addressing });
      const context = `stderr: ${got.stderr}${got.trap ? `\ntrap: ${got.trap}` : ''}`;
      expect(got.exitCode, context).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout, context).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
    });
  }
});
