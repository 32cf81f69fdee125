// The layering rules of docs/ARCHITECTURE.md, checked on the sources: no import circle among the
// source files (src/, preview2/, adapters/, compat/, cli/), and compat/ and cli/ reach the rest of the
// package only through its public entries (the files package.json "exports" and the bin build).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The build's public entries (output name → source file), as rollup.config.js lists them. */
const { entries } = (await import(pathToFileURL(join(root, 'rollup.config.js')).href)) as { entries: Record<string, string> };
const AREAS = ['src', 'preview2', 'adapters', 'compat', 'cli'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Relative imports and re-exports of a file (type-only ones too), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'/gms;
  for (const m of text.matchAll(re)) {
    const spec = (m[1] ?? m[2])!;
    out.push(relative(root, resolve(root, dirname(file), spec.replace(/\.js$/, '.ts'))).split('\\').join('/'));
  }
  return out;
}

const files = AREAS.flatMap(sourceFiles);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Strongly connected components with more than one file (or a file importing itself). */
function circles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

describe('architecture', () => {
  it('finds the sources and their imports', () => {
    expect(files).toContain('src/wasi.ts');
    expect(graph.get('src/index.ts')).toContain('src/wasi.ts');
    for (const [file, deps] of graph) {
      for (const d of deps) expect(graph.has(d), `${file} imports ${d}, which does not exist`).toBe(true);
    }
  });

  it('has no import circle among source files', () => {
    expect(circles()).toEqual([]);
  });

  it('compat/ and cli/ import only public entries or files of their own folder', () => {
    const publicEntries = new Set(Object.values(entries));
    for (const source of Object.values(entries)) expect(graph.has(source), source).toBe(true);
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      const area = file.split('/')[0]!;
      if (area !== 'compat' && area !== 'cli') continue;
      for (const d of deps) {
        if (!publicEntries.has(d) && d.split('/')[0] !== area) bad.push(`${file} → ${d}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every public subpath of package.json has a build entry', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const names = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? 'index' : k.slice(2)));
    for (const name of names) expect(Object.keys(entries), name).toContain(name);
  });
});
