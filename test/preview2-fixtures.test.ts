// Every c-fixture, also turned into a component (jco's preview1 adapter), run over
// iotypes/preview2 on the Node backend: same stdout, stderr, exit status and resulting files as
// the Preview 1 module run by the WASI class, each over its own fresh copy of the folders.
// A few fixtures fail as components whatever the host, because the preview1 adapter (or jco's
// glue) answers those calls itself: for them the component must behave exactly as it does on
// @bytecodealliance/preview2-shim, the reference host.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeDirectory } from 'iotypes/node';
import { ADAPTER_LIMITS, componentOf, componentStatus, runComponentWith, runOnPreview2Shim, tree } from './support/components.js';
import { FIXTURES, fixtureNames, readSpec, runOnNode } from './support/fixtures.js';

describe('c-fixtures as components over iotypes/preview2 (Node backend)', () => {
  const tmps: string[] = [];
  afterEach(() => {
    for (const t of tmps.splice(0)) rmSync(t, { recursive: true, force: true });
  });
  for (const name of fixtureNames()) {
    it(name, async () => {
      const spec = readSpec(name);
      const moduleTmp = mkdtempSync(join(tmpdir(), `iotypes-p1-${name}-`));
      const componentTmp = mkdtempSync(join(tmpdir(), `iotypes-p2-${name}-`));
      tmps.push(moduleTmp, componentTmp);
      const mount = (tmp: string) => (dir: string) => {
        cpSync(join(FIXTURES, dir), join(tmp, dir), { recursive: true, verbatimSymlinks: true });
        return nodeDirectory(join(tmp, dir));
      };
      const module = runOnNode(name, moduleTmp, spec);
      const component = await runComponentWith(name, spec, mount(componentTmp));
      if (name in ADAPTER_LIMITS) {
        const shimTmp = mkdtempSync(join(tmpdir(), `iotypes-shim-${name}-`));
        tmps.push(shimTmp);
        const preopens: Record<string, string> = {};
        for (const dir of spec.dirs ?? []) {
          cpSync(join(FIXTURES, dir), join(shimTmp, dir), { recursive: true, verbatimSymlinks: true });
          preopens[dir] = join(shimTmp, dir);
        }
        const bytes = await componentOf(readFileSync(join(FIXTURES, `${name}.wasm`)));
        const shim = await runOnPreview2Shim(bytes, { args: [`${name}.wasm`, ...(spec.args ?? [])], env: spec.env ?? {}, preopens, stdin: spec.stdin ?? '' });
        expect(module.exitCode).toBe(0);
        expect(component.exitCode, ADAPTER_LIMITS[name]).toBe(1);
        expect(component).toEqual(shim);
        return;
      }
      const context = `component stderr: ${component.stderr}${component.trap ? `\ntrap: ${component.trap}` : ''}`;
      expect(module.exitCode, `module stderr: ${module.stderr}`).toBe(spec.exit_code ?? 0);
      expect(component.exitCode, context).toBe(componentStatus(module.exitCode));
      expect(component.stdout, context).toBe(module.stdout);
      expect(component.stderr).toBe(module.stderr);
      expect(tree(componentTmp)).toEqual(tree(moduleTmp));
    });
  }
});
