// The package as users get it: the tarball `npm pack` makes (of the dist/ the global setup built),
// unpacked into a temporary node_modules, then loaded by child processes through `require` and
// through `import`, by the Node.js that runs these tests (CI runs them on Node 20, 24 and 26).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};
/** Every public entry, as a user names it: `iotypes`, `iotypes/memory`, ... */
const SUBPATHS = Object.keys(manifest.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'iotypes' : `iotypes/${key.slice(2)}`));

const work = mkdtempSync(join(tmpdir(), 'iotypes-package-'));
const installed = join(work, 'node_modules', 'iotypes');
let packed: string[] = [];

beforeAll(() => {
  // --ignore-scripts: dist/ is already built; the tarball is made of it as it is.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  mkdirSync(join(work, 'node_modules'));
  execFileSync('tar', ['-xzf', join(work, info!.filename), '-C', join(work, 'node_modules')]);
  renameSync(join(work, 'node_modules', 'package'), installed);
  // The runtime dependencies, as an install would provide them.
  for (const dep of Object.keys(manifest.dependencies)) {
    mkdirSync(dirname(join(work, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), join(work, 'node_modules', dep), 'dir');
  }
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `node ...args` in the folder that has the unpacked package in its node_modules. */
function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: work, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The export names of every subpath, loaded one way; a failure is reported per subpath. */
const LOADER = `
const out = {};
for (const s of ${JSON.stringify(SUBPATHS)}) {
  try { out[s] = Object.keys(LOAD(s)).sort(); } catch (e) { out[s] = String(e && e.code || e); }
}
console.log(JSON.stringify(out));`;

function loadAll(how: 'require' | 'import'): Record<string, string[] | string> {
  const r = how === 'require'
    ? node(['-e', LOADER.replace('LOAD(s)', 'require(s)')])
    : node(['--input-type=module', '-e', `${LOADER.replace('LOAD(s)', '(await import(s))')}`]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, string[] | string>;
}

describe(`the packed package on Node ${process.version}`, () => {
  it('is loaded by `import`, every public subpath', () => {
    const loaded = loadAll('import');
    for (const s of SUBPATHS) expect(loaded[s], s).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(loaded['iotypes']).toEqual(expect.arrayContaining(['WASI', 'pipe', 'fromArray']));
    expect(loaded['iotypes/node-wasi']).toEqual(expect.arrayContaining(['WASI']));
  });

  it('is loaded by `require`, every public subpath, with the same exports as `import`', () => {
    const imported = loadAll('import');
    const required = loadAll('require');
    for (const s of SUBPATHS) {
      // require() of an ES module adds __esModule (for a module with a default export) and may
      // give `module.exports` as a key; the rest must be what `import` gives.
      const names = Array.isArray(required[s]) ? (required[s] as string[]).filter((k) => k !== '__esModule' && k !== 'module.exports') : required[s];
      expect(names, s).toEqual(imported[s]);
    }
  });

  it('runs the `iotypes` command from the tarball', () => {
    const site = join(ROOT, 'examples', 'site');
    const r = node([join(installed, 'bin', 'iotypes.js'), 'run', '--dir', `${site}::/`, join(ROOT, 'examples', 'tree.wasm')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('notes.txt  (54 bytes)');
  });

  it.each([
    [['--runtime', 'wasmer'], /^iotypes: --runtime wasmer cannot run here: @wasmer\/wasi is not installed; add it with: npm install -D @wasmer\/wasi@1$/],
    [['--backend', 'memfs'], /^iotypes: iotypes:memfs cannot run here: memfs is not installed; add it with: npm install -D memfs$/],
  ])('refuses `iotypes test %s` without the optional package it needs', (args, message) => {
    const r = node([join(installed, 'bin', 'iotypes.js'), 'test', join(ROOT, 'c-fixtures'), ...args]);
    expect(r.status).toBe(125);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('has no install-time scripts (installing it runs no build)', () => {
    const scripts = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts, hook).not.toHaveProperty(hook);
  });

  it('declares every public entry, and no empty declaration files', () => {
    for (const key of Object.keys(manifest.exports).filter((k) => k !== './package.json')) {
      const entry = manifest.exports[key] as { types: string; default: string };
      expect(packed, key).toContain(entry.types.slice(2));
      expect(packed, key).toContain(entry.default.slice(2));
    }
    for (const file of packed.filter((f) => f.endsWith('.d.ts'))) {
      expect(readFileSync(join(installed, file), 'utf8').replace(/export \{\s*\};?/g, '').trim(), file).not.toBe('');
    }
  });

  it('ships source maps that name the real sources and carry their text', () => {
    const maps = packed.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(installed, file), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, file).toBe(map.sources.length);
      map.sources.forEach((source, i) => {
        // Relative to the map inside the package, the source is where it sits in the repository.
        const inRepo = resolve(ROOT, dirname(file), source);
        expect(relative(ROOT, inRepo), `${file}: ${source}`).toMatch(/^(src|adapters|compat|cli|preview2)\//);
        expect(existsSync(inRepo), `${file}: ${source}`).toBe(true);
        expect(map.sourcesContent![i], `${file}: ${source}`).toBe(readFileSync(inRepo, 'utf8'));
      });
    }
  });
});
