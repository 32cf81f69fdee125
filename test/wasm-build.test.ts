// wasm.mk builds the same bytes whatever else is on PATH: here a PATH whose only folder holds clang
// beside a wasm-opt (as Debian's binaryen puts one in /usr/bin, and npm one in node_modules/.bin),
// a wasm-opt that fails, so a build that ran it could not pass.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const which = (name: string) => {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
const clang = which('clang');
const make = which('make');
const clangWorks = clang !== undefined && spawnSync(clang, ['--target=wasm32-wasi', '-x', 'c', '-', '-o', '/dev/null'], {
  input: 'int main(void) { return 0; }\n',
}).status === 0;

describe('wasm.mk', () => {
  // Skipped only where there is no clang for wasm32-wasi; CI installs it.
  it.skipIf(!clangWorks || make === undefined)('builds the committed bytes with a wasm-opt beside clang on PATH', () => {
    const tree = mkdtempSync(join(tmpdir(), 'iotypes-wasm-build-'));
    try {
      const bin = join(tree, 'bin');
      mkdirSync(bin);
      symlinkSync(clang!, join(bin, 'clang'));
      writeFileSync(join(bin, 'wasm-opt'), '#!/bin/sh\necho "wasm-opt must not run" >&2\nexit 1\n');
      chmodSync(join(bin, 'wasm-opt'), 0o755);
      const folder = join(tree, 'c-fixtures');
      mkdirSync(folder);
      for (const f of ['Makefile', 'common.h', 'stdio_hello.c']) copyFileSync(join(ROOT, 'c-fixtures', f), join(folder, f));
      copyFileSync(join(ROOT, 'wasm.mk'), join(tree, 'wasm.mk'));
      const r = spawnSync(make!, ['-s', '-C', folder, 'stdio_hello.wasm'], { encoding: 'utf8', env: { PATH: bin } });
      expect(r.status, r.stderr).toBe(0);
      const built = readFileSync(join(folder, 'stdio_hello.wasm'));
      expect(Buffer.compare(built, readFileSync(join(ROOT, 'c-fixtures', 'stdio_hello.wasm'))), 'rebuild c-fixtures/stdio_hello.wasm').toBe(0);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
