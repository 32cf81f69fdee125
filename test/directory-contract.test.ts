// Layer: tests. Imports memfs, node:* and the public packages `iotypes`, `iotypes/memory`,
// `iotypes/memfs` and `iotypes/node`.
// The Directory contract (test/support/directory-contract.ts) on every backend: the in-memory
// tree, a memfs volume, a host folder through the Node backend (node:fs, and node:fs/promises
// through fromAsyncDirectory), and the bound handles of typed arguments.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Volume } from 'memfs';
import { anonymous, Errno, fromAsyncDirectory, pipe, remember, replayed, type AsyncDirectory, type Directory } from 'iotypes';
import { BoundHandles } from 'iotypes/bound';
import { MemoryFS } from 'iotypes/memory';
import { memfsDirectory } from 'iotypes/memfs';
import { nodeAsyncDirectory, nodeDirectory } from 'iotypes/node';
import { describeDirectory, FIXED_TEXT } from './support/directory-contract.js';

const work = mkdtempSync(join(tmpdir(), 'iotypes-contract-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const folder = () => mkdtempSync(join(work, 'root-'));

/** A fresh root of every writable backend: each is another tree than any root under test. */
const elsewhere = (): Directory[] => [new MemoryFS().root, memfsDirectory(new Volume()), nodeDirectory(folder())];
/**
 * For host folders, the other backends only: two host folders are one host file system, where
 * links and renames across folders are the host's to allow (test/node-adapter.test.ts).
 */
const elsewhereThanHost = (): Directory[] => [new MemoryFS().root, memfsDirectory(new Volume())];

describeDirectory('memory', () => {
  const fs = new MemoryFS();
  return { root: fs.root, readOnlyView: () => fs.readOnlyRoot(), elsewhere };
});

describeDirectory('memfs', () => {
  const vol = new Volume();
  return {
    root: memfsDirectory(vol),
    readOnlyView: () => memfsDirectory(vol, '/', { readOnly: true }),
    elsewhere,
  };
});

describeDirectory('node', () => {
  const path = folder();
  return {
    root: nodeDirectory(path),
    readOnlyView: () => nodeDirectory(path, { readOnly: true }),
    elsewhere: elsewhereThanHost,
  };
});

/**
 * The settled value of an asynchronous open, inside a case run under a replay log: the case
 * waits for it once and finds it in the log when it runs again (`remember` logs a promise as
 * any other operation).
 */
const opened = (open: () => Promise<AsyncDirectory>): Directory =>
  fromAsyncDirectory(remember(open as () => unknown) as AsyncDirectory);

// node:fs/promises: every operation answers through a promise, so each case runs again after
// each one, answered from the log (as a guest call under JSPI is); no JSPI needed for that.
// nodeAsyncDirectory needs /proc/self/fd: Linux only (elsewhere it refuses to mount).
if (process.platform === 'linux') describeDirectory('node (node:fs/promises)', () => {
  const path = remember(folder);
  return {
    root: opened(() => nodeAsyncDirectory(path)),
    readOnlyView: () => opened(() => nodeAsyncDirectory(path, { readOnly: true })),
    // A synchronous host folder is another backend for the asynchronous one: EXDEV.
    elsewhere: () => [...elsewhereThanHost(), nodeDirectory(remember(folder))],
  };
}, { run: replayed });

describeDirectory('bound handles', () => {
  const bound = new BoundHandles();
  const filled = () => {
    const a = anonymous();
    a.writeAt(new TextEncoder().encode(FIXED_TEXT), 0);
    return a;
  };
  const nameOf = (guestPath: string) => guestPath.slice(guestPath.lastIndexOf('/') + 1);
  return {
    root: bound,
    readOnlyFile: nameOf(bound.bind({ array: filled() })),
    writableFile: nameOf(bound.bind({ array: filled(), writable: true })),
    stream: nameOf(bound.bind({ output: pipe().output })),
  };
}, {
  fixed:
    'bound handles are a fixed set of names chosen by the host (one per typed argument, named by '
    + 'pseudonym): there is nothing to create, no subdirectory, no symlink, no times to set and no '
    + 'other tree to link or rename into, so the cases that build or change a tree do not apply; '
    + 'the cases that read, open the bound files, and expect every change of names to be refused do',
  readOnlyFileWrite: Errno.EACCES,
});
