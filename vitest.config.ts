import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests import the package by its public name; these aliases point it at the sources.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^iotypes$/, replacement: here('./src/index.ts') },
      { find: /^iotypes\/(node-wasi|wasmer|wasm-util)$/, replacement: here('./compat/$1.ts') },
      { find: /^iotypes\/preview2$/, replacement: here('./preview2/index.ts') },
      { find: /^iotypes\/register$/, replacement: here('./compat/register/index.ts') },
      { find: /^iotypes\/register\/install$/, replacement: here('./compat/register/install.ts') },
      { find: /^iotypes\/threads$/, replacement: here('./compat/threads/index.ts') },
      { find: /^iotypes\/browser-wasi-shim$/, replacement: here('./compat/browser-wasi-shim/index.ts') },
      { find: /^iotypes\/(.*)$/, replacement: here('./adapters/$1/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
