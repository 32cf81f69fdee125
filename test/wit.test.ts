// The WIT in wit/ is parsed by a real WIT toolchain (jco, which embeds wit-parser) and checked
// against src/io: every operation declared in the WIT has a counterpart, and the reverse.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as io from 'iotypes';

const jco = join(__dirname, '..', 'node_modules', '@bytecodealliance', 'jco', 'src', 'jco.js');
const work = mkdtempSync(join(tmpdir(), 'iotypes-wit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `jco types` on a WIT folder; returns the generated declarations of the interface. */
function witTypes(dir: string): string {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  execFileSync(process.execPath, [jco, 'types', dir, '-o', out], { stdio: 'pipe' });
  return readFileSync(join(out, 'interfaces', 'iotypes-io-types.d.ts'), 'utf8');
}

/** Class name → method names, and free functions, from jco's generated declarations. */
function declared(dts: string): { classes: Map<string, Set<string>>; functions: Set<string> } {
  const classes = new Map<string, Set<string>>();
  const functions = new Set<string>();
  let current: Set<string> | undefined;
  for (const line of dts.split('\n')) {
    const cls = /^export class (\w+)/.exec(line);
    if (cls) classes.set(cls[1]!, (current = new Set()));
    else if (/^}/.test(line)) current = undefined;
    else if (current) {
      const m = /^\s+(\w+)\(/.exec(line);
      if (m && m[1] !== 'constructor') current.add(m[1]!);
    }
    const fn = /^export function (\w+)\(/.exec(line);
    if (fn) functions.add(fn[1]!);
  }
  return { classes, functions };
}

/** Public methods and getters of a class, through its prototype chain (up to Object). */
function members(cls: abstract new (...args: never[]) => unknown): Set<string> {
  const names = new Set<string>();
  for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name !== 'constructor' && !name.endsWith('Core')) names.add(name);
    }
  }
  return names;
}

// Members of the TypeScript classes with no WIT function of their own, and why.
const TS_ONLY: Record<string, string> = {
  close: 'resource drop in WIT',
  error: 'the failure detail behind status(); a WIT failure record carries it',
};

describe('wit/', () => {
  it('is rejected by the parser when invalid (the check can fail)', () => {
    const bad = join(work, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'io.wit'), 'package iotypes:io@0.1.0;\ninterface types { resource x { f: func( } }\n');
    expect(() => witTypes(bad)).toThrow();
  });

  const { classes, functions } = declared(witTypes(join(__dirname, '..', 'wit')));
  const pairs = [
    ['InputStream', io.InputStream],
    ['OutputStream', io.OutputStream],
    ['Array', io.IOArray],
  ] as const;

  it('declares the three resources and the constructors', () => {
    expect([...classes.keys()].sort()).toEqual(['Array', 'InputStream', 'OutputStream', 'Pseudonym']);
    expect([...functions].sort()).toEqual(['anonymous', 'fromArray', 'fromStream', 'nullOutput', 'pipe', 'toArray']);
  });

  for (const [witName, cls] of pairs) {
    it(`${witName}: every WIT operation exists in src/io and the reverse`, () => {
      const wit = classes.get(witName)!;
      const ts = members(cls);
      expect([...wit].filter((m) => !ts.has(m))).toEqual([]);
      expect([...ts].filter((m) => !wit.has(m) && !(m in TS_ONLY))).toEqual([]);
    });
  }

  it('every WIT constructor is exported by iotypes', () => {
    for (const fn of functions) expect(typeof (io as Record<string, unknown>)[fn], fn).toBe('function');
  });
});
