// src/ is platform-neutral: it runs in Node.js and in browsers. It must not import node:*
// modules (or bare Node built-ins) nor touch DOM-only globals; host specifics live in adapters/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', 'src');
const files = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
})(root);

const BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'buffer', 'process', 'url', 'util', 'stream', 'tty', 'events'];
const importRe = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;
// Host-only globals, as free identifiers (a method named `require` on an object is fine).
const DOM_ONLY = /(?<![.\w])(window|document|navigator|localStorage|sessionStorage|XMLHttpRequest|HTMLElement|process\.|Buffer\.|__dirname|require\()/;

/** Drops comments so that prose may mention anything. */
const code = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('src/ is platform-neutral', () => {
  it('has sources to check', () => expect(files.length).toBeGreaterThan(5));
  for (const f of files) {
    it(f.slice(root.length + 1), () => {
      const src = code(readFileSync(f, 'utf8'));
      for (const [, spec] of src.matchAll(importRe)) {
        expect(spec!.startsWith('node:') || BUILTINS.includes(spec!), `imports ${spec}`).toBe(false);
        expect(spec!.startsWith('.'), `imports package ${spec}; src/ imports only relative files`).toBe(true);
      }
      expect(DOM_ONLY.exec(src)?.[0], 'uses a host-only global').toBeUndefined();
    });
  }
});
