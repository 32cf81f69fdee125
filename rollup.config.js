// Builds the ESM bundles and their declarations, one per public entry in package.json "exports".
import { fileURLToPath } from 'node:url';

import typescript from '@rollup/plugin-typescript';

import { dts } from 'rollup-plugin-dts';

/** Public entries: output name → source file. */
export const entries = {
  index: 'src/index.ts',
  memory: 'adapters/memory/index.ts',
  node: 'adapters/node/index.ts',
  'node-worker': 'adapters/node/worker-entry.ts',
  memfs: 'adapters/memfs/index.ts',
  bound: 'adapters/bound/index.ts',
  browser: 'adapters/browser/index.ts',
  'browser-worker': 'adapters/browser/worker-entry.ts',
  preview2: 'preview2/index.ts',
  cli: 'cli/index.ts',
  'node-wasi': 'compat/node-wasi.ts',
  wasmer: 'compat/wasmer.ts',
  'wasm-util': 'compat/wasm-util.ts',
  'browser-wasi-shim': 'compat/browser-wasi-shim/index.ts',
  register: 'compat/register/index.ts',
  'register/install': 'compat/register/install.ts',
  'register/hooks': 'compat/register/hooks.ts',
  threads: 'compat/threads/index.ts',
  'threads/worker': 'compat/threads/worker.ts',
  'harness-child': 'cli/harness/child.ts',
};

/** Entries that are programs, not APIs: bundled, but given no declarations. */
const programs = new Set(['harness-child', 'threads/worker', 'browser-worker', 'node-worker']);
const declared = Object.fromEntries(Object.entries(entries).filter(([name]) => !programs.has(name)));

// The source maps carry the sources themselves (sourcesContent), since src/ is not shipped.
// TypeScript writes each map's `sources` relative to the file it would emit under outDir,
// while Rollup reads them relative to the source module; an absolute sourceRoot makes both agree,
// and Rollup still writes the final paths relative to the map (no absolute path is shipped).
const root = fileURLToPath(new URL('.', import.meta.url));

const external = (id) => id.startsWith('node:') || /^[a-z@][^:]*$/.test(id) && !id.startsWith('.');

/** @type {import("rollup").RollupOptions[]} */
const config = [
  {
    input: entries,
    external,
    output: { dir: 'dist', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [
      typescript({
        tsconfig: './tsconfig.json',
        include: ['src/**/*.ts', 'preview2/**/*.ts', 'adapters/**/*.ts', 'cli/**/*.ts', 'compat/**/*.ts'],
        compilerOptions: {
          noEmit: false, declaration: false, outDir: 'dist', paths: {},
          sourceMap: true, inlineSources: true, rootDir: root, sourceRoot: root,
        },
      }),
    ],
  },
  {
    input: declared,
    external,
    output: { dir: 'dist', format: 'es', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { paths: {} } })],
  },
];

export default config;
