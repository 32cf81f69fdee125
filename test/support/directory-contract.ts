// Layer: tests (support). Imports vitest and the public package `iotypes` only.
// The Directory contract: what every backend's Directory (src/io/directory.ts) promises, written
// once. `describeDirectory(name, makeRoot, traits)` registers the suite for one backend.
//
// Two shapes of backend run it:
// - a tree (memory, memfs, node): `makeRoot` gives a fresh, empty, writable root plus a read-only
//   view of the same tree; the suite builds what it needs through the Directory itself and runs
//   every case.
// - a fixed directory (bound handles): the names are given and can never change, so only the
//   cases that read, open existing files, or expect a refusal apply; `traits.fixed` says why the
//   others do not.
//
// Where a backend truly differs, the difference is a trait with its reason, never a skip. A case
// a backend is known to fail is listed in `traits.knownBugs` with the bug it shows: it runs as
// `it.fails`, so fixing the bug makes it fail until the entry is removed.
//
// An asynchronous backend (a Directory made by `fromAsyncDirectory`) runs each case through
// `traits.run`: the case runs under a replay log and again each time an operation made it wait,
// as a guest call does under JSPI (src/io/pending.ts). A helper that catches errors passes the
// `Pending` of such a wait on, and a time the case reads is remembered across its reruns.

import { afterEach, describe, expect, it } from 'vitest';
import { Errno, Pending, remember, WasiError, type Directory, type Errno as ErrnoValue, type FileNode, type Stat } from 'iotypes';

// ---------------------------------------------------------------------------------------------
// What a backend hands the suite.

/** A writable backend: everything the contract says applies. */
export interface TreeRoot {
  /** A fresh, empty, writable directory. */
  root: Directory;
  /** A read-only view of the same tree as `root` (every mutation through it is EROFS). */
  readOnlyView(): Directory;
  /**
   * Writable roots that are not this tree (another instance of the same backend, other backends):
   * a link or rename into any of them is EXDEV.
   */
  elsewhere(): Directory[];
}

/** A directory whose names are fixed by whoever made it (bound handles). */
export interface FixedRoot {
  root: Directory;
  /** A regular file the directory serves read-only, holding FIXED_TEXT. */
  readOnlyFile: string;
  /** A regular file the directory serves writable, holding FIXED_TEXT. */
  writableFile: string;
  /** An entry that is a stream ('character-device'), if the directory has one. */
  stream?: string;
}

/** Cases a backend is known to fail; each value names the bug. */
export type KnownBug =
  | 'root-nlink'
  | 'times-unchanged-exact'
  | 'readonly-target'
  | 'fixed-create-erofs';

export interface TreeTraits {
  knownBugs?: Partial<Record<KnownBug, string>>;
  /** Runs a case to its end (an asynchronous backend: `replayed`, run again after each wait). */
  run?: (fn: () => void) => unknown;
}

export interface FixedTraits {
  /** Why the cases that build or change a tree do not apply to this backend. */
  fixed: string;
  /**
   * How opening an existing file for writing behaves in this read-only directory. A fixed
   * directory of bound handles is read-only in its *names* only: each file keeps the permission
   * it was bound with (a writable binding is the point of an output argument), so a read-only
   * binding refuses writes as a file's mode would, with this errno, and a writable one accepts
   * them.
   */
  readOnlyFileWrite: ErrnoValue;
  knownBugs?: Partial<Record<KnownBug, string>>;
}

/** The bytes of the files a fixed root provides. */
export const FIXED_TEXT = 'data';

// ---------------------------------------------------------------------------------------------
// Helpers.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (s: string) => encoder.encode(s);
const byteLength = (s: string) => encoder.encode(s).length;

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    if (e instanceof Pending) throw e; // an operation is waiting: not its outcome yet
    return e;
  }
  return undefined;
}

/** `fn` throws a WasiError with exactly `errno`. */
export function expectErrno(fn: () => unknown, errno: ErrnoValue, what?: string): void {
  const e = caught(fn);
  expect(e, what).toBeInstanceOf(WasiError);
  expect((e as WasiError).errno, `${what ?? ''} ${String(e)}`).toBe(errno);
}

/** `fn` throws a WasiError; which errno is not this layer's decision. */
function expectWasiError(fn: () => unknown, what?: string): void {
  expect(caught(fn), what).toBeInstanceOf(WasiError);
}

/** Files opened during a case, closed after it (a host backend holds a descriptor each). */
const opened: FileNode[] = [];
afterEach(() => {
  for (const f of opened.splice(0)) f.close?.();
});

function open(dir: Directory, name: string, options: Parameters<Directory['openFile']>[1]): FileNode {
  const f = dir.openFile(name, options);
  opened.push(f);
  return f;
}

function put(dir: Directory, name: string, text: string): void {
  const f = dir.openFile(name, { create: true, truncate: true, write: true });
  try {
    expect(f.array.writeAt(bytes(text), 0)).toBe(byteLength(text));
  } finally {
    f.close?.();
  }
}

function readAll(f: FileNode): string {
  const out = new Uint8Array(f.array.len());
  expect(f.array.readAt(out, 0)).toBe(out.length);
  return decoder.decode(out);
}

function get(dir: Directory, name: string): string {
  const f = dir.openFile(name, {});
  try {
    return readAll(f);
  } finally {
    f.close?.();
  }
}

const names = (dir: Directory) => [...dir.entries()].map((e) => e.name);
const sorted = (list: string[]) => [...list].sort();
/** The wall clock, read once per case run even if the case runs again after a wait. */
const wallNs = () => remember(() => BigInt(Date.now()) * 1_000_000n);
const SECOND = 1_000_000_000n;

/** A Directory no backend made: a link or rename into it is EXDEV, and it is never called. */
function foreignDirectory(): Directory {
  return new Proxy({} as Directory, {
    get(_target, key) {
      if (key === 'readOnly') return false;
      return () => {
        throw new Error(`the foreign directory's ${String(key)} was called`);
      };
    },
  });
}

/**
 * Builds the common tree through the Directory API:
 *   f         file "data"       d/        directory holding `inner` ("inner")
 *   w         file "data"       empty/    empty directory
 *   l -> f    symlink           dl -> d   symlink to a directory
 *   dangling -> nowhere
 */
function populate(root: Directory): void {
  put(root, 'f', 'data');
  put(root, 'w', 'data');
  root.mkdir('d');
  put(root.openDir('d'), 'inner', 'inner');
  root.mkdir('empty');
  root.symlink('f', 'l');
  root.symlink('d', 'dl');
  root.symlink('nowhere', 'dangling');
}
const TREE = ['d', 'dangling', 'dl', 'empty', 'f', 'l', 'w'];
const TREE_TYPES: Record<string, Stat['type']> = {
  d: 'directory', dangling: 'symbolic-link', dl: 'symbolic-link', empty: 'directory',
  f: 'regular-file', l: 'symbolic-link', w: 'regular-file',
};

/** A view of a directory as the cases that only read or refuse see it. */
interface Given {
  dir: Directory;
  /** A regular file holding FIXED_TEXT that is opened read-only in these cases. */
  file: string;
  /** A regular file holding FIXED_TEXT that may be written. */
  writable: string;
  /** Every entry and its type. */
  types: Record<string, Stat['type']>;
  /** Subdirectories of `dir` (for its link count). */
  subdirs: number;
}

// ---------------------------------------------------------------------------------------------
// The suite.

export function describeDirectory(name: string, makeRoot: () => TreeRoot, traits?: TreeTraits): void;
export function describeDirectory(name: string, makeRoot: () => FixedRoot, traits: FixedTraits): void;
export function describeDirectory(
  name: string,
  makeRoot: (() => TreeRoot) | (() => FixedRoot),
  traits: TreeTraits | FixedTraits = {},
): void {
  const bugs = traits.knownBugs ?? {};
  const run = 'run' in traits ? traits.run : undefined;
  /** `it`, or `it.fails` for a case this backend is known to fail. */
  const test = (bug: KnownBug | undefined, title: string, body: () => void) => {
    const known = bug === undefined ? undefined : bugs[bug];
    const fn = run === undefined ? body : async () => void (await run(body));
    if (known === undefined) it(title, fn);
    else it.fails(`${title} [known bug: ${known}]`, fn);
  };

  describe(`Directory contract: ${name}`, () => {
    if ('fixed' in traits) {
      const make = makeRoot as () => FixedRoot;
      const given = (): Given & { fixture: FixedRoot } => {
        const fixture = make();
        const types: Record<string, Stat['type']> = {
          [fixture.readOnlyFile]: 'regular-file',
          [fixture.writableFile]: 'regular-file',
        };
        if (fixture.stream !== undefined) types[fixture.stream] = 'character-device';
        return { fixture, dir: fixture.root, file: fixture.readOnlyFile, writable: fixture.writableFile, types, subdirs: 0 };
      };
      describeReading(given, test);
      describeFixedRefusals(given, traits, test);
      return;
    }
    const make = makeRoot as () => TreeRoot;
    const given = (): Given => {
      const { root } = make();
      populate(root);
      return { dir: root, file: 'f', writable: 'w', types: TREE_TYPES, subdirs: 2 };
    };
    describeReading(given, test);
    describeTree(make, test);
  });
}

type Test = (bug: KnownBug | undefined, title: string, fn: () => void) => void;

/** Cases on a directory that already has entries: every backend. */
function describeReading(given: () => Given, test: Test): void {
  describe('reading a populated directory', () => {
    test(undefined, 'statSelf is a directory with a stable ino and dev', () => {
      const { dir } = given();
      const st = dir.statSelf();
      expect(st.type).toBe('directory');
      expect(typeof st.ino).toBe('bigint');
      expect(typeof st.dev).toBe('bigint');
      expect(dir.statSelf().ino).toBe(st.ino);
      expect(dir.statSelf().dev).toBe(st.dev);
    });

    test('root-nlink', 'statSelf counts 2 + subdirectories links', () => {
      const { dir, subdirs } = given();
      expect(dir.statSelf().nlink).toBe(2 + subdirs);
    });

    test(undefined, 'stat reports each entry\'s type, one ino per entry, stable, on the directory\'s dev', () => {
      const { dir, types } = given();
      const inos = new Set<bigint>([dir.statSelf().ino]);
      for (const [entry, type] of Object.entries(types)) {
        const st = dir.stat(entry);
        expect(st.type, entry).toBe(type);
        expect(typeof st.ino).toBe('bigint');
        expect(dir.stat(entry).ino, entry).toBe(st.ino);
        expect(st.dev, entry).toBe(dir.statSelf().dev);
        inos.add(st.ino);
      }
      expect(inos.size).toBe(Object.keys(types).length + 1);
      expectErrno(() => dir.stat('missing'), Errno.ENOENT);
    });

    test(undefined, 'a regular file has one link and its byte length as size, the same through the open file', () => {
      const { dir, file } = given();
      expect(dir.stat(file)).toMatchObject({ type: 'regular-file', nlink: 1, size: byteLength(FIXED_TEXT) });
      const f = open(dir, file, {});
      expect(f.stat()).toMatchObject({ type: 'regular-file', nlink: 1, size: byteLength(FIXED_TEXT) });
      expect(f.stat().ino).toBe(dir.stat(file).ino);
      expect(f.array.len()).toBe(byteLength(FIXED_TEXT));
    });

    test(undefined, 'entries lists every name with its type and ino, without . and .., in a stable order', () => {
      const { dir, types } = given();
      const list = [...dir.entries()];
      // NOTE: the order itself is the backend's (memory: insertion, memfs: sorted, node: the
      // host's readdir order); the contract is only that it is stable for an unchanged directory.
      expect(sorted(list.map((e) => e.name))).toEqual(sorted(Object.keys(types)));
      for (const e of list) {
        expect(e.type, e.name).toBe(types[e.name]);
        expect(e.ino, e.name).toBe(dir.stat(e.name).ino);
      }
      expect([...dir.entries()]).toEqual(list);
      expect(names(dir)).not.toContain('.');
      expect(names(dir)).not.toContain('..');
    });

    test(undefined, 'openDir is ENOTDIR on a file and ENOENT on a missing name', () => {
      const { dir, file } = given();
      expectErrno(() => dir.openDir(file), Errno.ENOTDIR);
      expectErrno(() => dir.openDir('missing'), Errno.ENOENT);
    });

    test(undefined, 'openFile reads a file back; ENOENT without create; EEXIST with create+exclusive', () => {
      const { dir, file } = given();
      expect(readAll(open(dir, file, {}))).toBe(FIXED_TEXT);
      expectErrno(() => dir.openFile('missing', {}), Errno.ENOENT);
      expectErrno(() => dir.openFile(file, { create: true, exclusive: true }), Errno.EEXIST);
      expect(readAll(open(dir, file, {}))).toBe(FIXED_TEXT);
    });

    test(undefined, 'openFile for writing: bytes written through the array read back, also after reopening', () => {
      const { dir, writable } = given();
      const f = open(dir, writable, { write: true });
      expect(f.array.writeAt(bytes('XYZ'), 2)).toBe(3);
      expect(f.array.len()).toBe(5);
      expect(readAll(f)).toBe('daXYZ');
      expect(f.stat().size).toBe(5);
      expect(dir.stat(writable).size).toBe(5);
      expect(readAll(open(dir, writable, {}))).toBe('daXYZ');
    });

    test(undefined, 'openFile with truncate empties the file, keeping its ino', () => {
      const { dir, writable } = given();
      const ino = dir.stat(writable).ino;
      const f = open(dir, writable, { truncate: true, write: true });
      expect(f.array.len()).toBe(0);
      expect(f.stat()).toMatchObject({ size: 0, ino });
      expect(dir.stat(writable).size).toBe(0);
      expect(readAll(open(dir, writable, {}))).toBe('');
    });

    test(undefined, 'readlink is EINVAL on a file and ENOENT on a missing name', () => {
      const { dir, file } = given();
      expectErrno(() => dir.readlink(file), Errno.EINVAL);
      expectErrno(() => dir.readlink('missing'), Errno.ENOENT);
    });
  });
}

/** The mutations a read-only directory refuses with EROFS, named for the failure messages. */
function refusals(ro: Directory, file: string, emptyDir: string | undefined): [string, () => unknown][] {
  const list: [string, () => unknown][] = [
    ['setTimesSelf', () => ro.setTimesSelf(1n, 1n)],
    ['setTimesSelf now', () => ro.setTimesSelf('now', 'now')],
    ['setTimes', () => ro.setTimes(file, 1n, 1n)],
    ['symlink', () => ro.symlink(file, 'new-link')],
    ['mkdir', () => ro.mkdir('new-dir')],
    ['unlink', () => ro.unlink(file)],
    ['link', () => ro.link(file, ro, 'new-link')],
    ['rename', () => ro.rename(file, ro, 'renamed')],
    ['rename onto itself', () => ro.rename(file, ro, file)],
  ];
  if (emptyDir !== undefined) list.push(['rmdir', () => ro.rmdir(emptyDir)]);
  return list;
}

/** Cases for a fixed directory (bound handles) that are not covered by reading. */
function describeFixedRefusals(given: () => Given & { fixture: FixedRoot }, traits: FixedTraits, test: Test): void {
  describe('a fixed, read-only directory', () => {
    test(undefined, 'is read-only and refuses every change to its names and times with EROFS', () => {
      const { dir, file, writable, types } = given();
      expect(dir.readOnly).toBe(true);
      const before = [...dir.entries()];
      for (const [what, attempt] of refusals(dir, file, undefined)) expectErrno(attempt, Errno.EROFS, what);
      expectErrno(() => dir.rmdir(file), Errno.EROFS, 'rmdir');
      expectErrno(() => dir.setTimes(writable, 'now', undefined), Errno.EROFS, 'setTimes of a writable file');
      expect([...dir.entries()]).toEqual(before);
      expect(Object.keys(types).every((n) => dir.stat(n).type === types[n])).toBe(true);
      expect(get(dir, file)).toBe(FIXED_TEXT);
    });

    test(undefined, 'a file served read-only refuses write and truncate; a writable one accepts them', () => {
      const { dir, file, writable } = given();
      expectErrno(() => dir.openFile(file, { write: true }), traits.readOnlyFileWrite, 'write');
      expectErrno(() => dir.openFile(file, { truncate: true }), traits.readOnlyFileWrite, 'truncate');
      expect(get(dir, file)).toBe(FIXED_TEXT);
      const f = open(dir, file, {});
      expectWasiError(() => f.array.writeAt(bytes('X'), 0), 'writeAt through a read-only open');
      expectWasiError(() => f.setTimes(1n, 1n), 'setTimes through an open file');
      expect(open(dir, writable, { write: true }).array.writeAt(bytes('X'), 0)).toBe(1);
      expect(get(dir, writable)).toBe(`X${FIXED_TEXT.slice(1)}`);
    });

    test('fixed-create-erofs', 'refuses to create a file with EROFS, as it refuses mkdir and symlink', () => {
      const { dir } = given();
      expectErrno(() => dir.openFile('new', { create: true }), Errno.EROFS);
      expectErrno(() => dir.openFile('new', { create: true, exclusive: true, write: true }), Errno.EROFS);
    });
  });
}

/** Cases that build and change a tree: writable backends. */
function describeTree(make: () => TreeRoot, test: Test): void {
  const fresh = () => make().root;
  const populated = () => {
    const fixture = make();
    populate(fixture.root);
    return fixture;
  };

  describe('stat', () => {
    /** A directory's link count: 2 + subdirectories, following mkdir, rmdir and rename. */
    const countsLinks = (dir: Directory) => {
      expect(dir.readOnly).toBe(false);
      expect([...dir.entries()]).toEqual([]);
      expect(dir.statSelf()).toMatchObject({ type: 'directory', nlink: 2 });
      dir.mkdir('a');
      dir.mkdir('b');
      put(dir, 'file', '');
      dir.symlink('a', 'link');
      expect(dir.statSelf().nlink).toBe(4);
      expect(dir.stat('a').nlink).toBe(2);
      dir.rmdir('b');
      expect(dir.statSelf().nlink).toBe(3);
      dir.openDir('a').mkdir('inner');
      expect(dir.stat('a').nlink).toBe(3);
      dir.openDir('a').rename('inner', dir, 'moved');
      expect(dir.stat('a').nlink).toBe(2);
      expect(dir.statSelf().nlink).toBe(4);
    };

    test(undefined, 'find (where a backend has it) answers what stat does, and undefined for a missing name', () => {
      const root = fresh();
      if (!root.find) return; // optional: the path walk falls back to stat
      put(root, 'file', 'abc');
      root.mkdir('dir');
      root.symlink('file', 'link');
      for (const name of ['file', 'dir', 'link']) expect(root.find(name), name).toEqual(root.stat(name));
      expect(root.find('missing')).toBeUndefined();
      expectErrno(() => root.stat('missing'), Errno.ENOENT);
    });

    test('root-nlink', 'an empty root has no entries and 2 links; mkdir, rmdir and rename change the count', () => {
      countsLinks(fresh());
    });

    test(undefined, 'a new subdirectory has no entries and 2 links; mkdir, rmdir and rename change the count', () => {
      const root = fresh();
      root.mkdir('top');
      countsLinks(root.openDir('top'));
    });

    test(undefined, 'stat is lstat: a symlink reports itself, with its target\'s byte length as size', () => {
      const root = fresh();
      put(root, 'f', '12345');
      root.symlink('f-é', 'l');
      expect(root.stat('f')).toMatchObject({ type: 'regular-file', size: 5, nlink: 1 });
      expect(root.stat('l')).toMatchObject({ type: 'symbolic-link', size: 4, nlink: 1 });
      expect(root.stat('l').ino).not.toBe(root.stat('f').ino);
      // A symlink to a directory is also reported as itself.
      root.mkdir('d');
      root.symlink('d', 'dl');
      expect(root.stat('dl').type).toBe('symbolic-link');
    });

    test(undefined, 'sizes follow writes, setLen and multi-byte text', () => {
      const root = fresh();
      put(root, 'f', 'héllo');
      expect(root.stat('f').size).toBe(6);
      const f = open(root, 'f', { write: true });
      f.array.setLen(100);
      expect(root.stat('f').size).toBe(100);
      expect(f.stat().size).toBe(100);
      f.array.setLen(2);
      expect(root.stat('f').size).toBe(2);
      const out = new Uint8Array(8).fill(0x55);
      expect(f.array.readAt(out, 0)).toBe(2);
      expect([...out.subarray(0, 2)]).toEqual([...bytes('hé').subarray(0, 2)]);
      // Growing again reads zeros, not the bytes that were cut off.
      f.array.setLen(5);
      expect(f.array.readAt(out, 0)).toBe(5);
      expect([...out.subarray(0, 5)]).toEqual([...bytes('hé').subarray(0, 2), 0, 0, 0]);
    });

    test(undefined, 'an ino stays with its node: across writes, reopening, renaming and openDir', () => {
      const root = fresh();
      put(root, 'f', 'one');
      root.mkdir('d');
      const ino = root.stat('f').ino;
      const dino = root.stat('d').ino;
      put(root, 'f', 'two, longer');
      expect(root.stat('f').ino).toBe(ino);
      expect(open(root, 'f', {}).stat().ino).toBe(ino);
      root.rename('f', root.openDir('d'), 'g');
      expect(root.openDir('d').stat('g').ino).toBe(ino);
      expect(root.openDir('d').statSelf().ino).toBe(dino);
      root.rename('d', root, 'e');
      expect(root.stat('e').ino).toBe(dino);
      expect(root.openDir('e').statSelf().ino).toBe(dino);
    });
  });

  describe('times', () => {
    // Nanosecond values with digits below the microsecond, far from any real "now".
    const A = 1_234_567_891_234_567_891n;
    const M = 987_654_321_123_456_789n;
    const A2 = 1_111_111_111_111_111_111n;
    const M2 = 1_222_222_222_222_222_222n;

    test(undefined, 'setTimes sets exact nanoseconds by name, on a symlink itself, on a directory and through a file', () => {
      const { root } = populated();
      const fileBefore = root.stat('f');
      root.setTimes('l', A, M);
      expect(root.stat('l')).toMatchObject({ atim: A, mtim: M });
      expect(root.stat('f')).toMatchObject({ atim: fileBefore.atim, mtim: fileBefore.mtim });
      root.setTimes('f', M, A);
      expect(root.stat('f')).toMatchObject({ atim: M, mtim: A });
      root.setTimes('d', A2, M2);
      expect(root.stat('d')).toMatchObject({ atim: A2, mtim: M2 });
      const f = open(root, 'w', { write: true });
      f.setTimes(A, M2);
      expect(f.stat()).toMatchObject({ atim: A, mtim: M2 });
      expect(root.stat('w')).toMatchObject({ atim: A, mtim: M2 });
      expectErrno(() => root.setTimes('missing', A, M), Errno.ENOENT);
    });

    test(undefined, 'setTimesSelf sets the directory\'s own times, also through a subdirectory handle', () => {
      const { root } = populated();
      root.setTimesSelf(A, M);
      expect(root.statSelf()).toMatchObject({ atim: A, mtim: M });
      const d = root.openDir('d');
      d.setTimesSelf(M2, A2);
      expect(d.statSelf()).toMatchObject({ atim: M2, mtim: A2 });
      expect(root.stat('d')).toMatchObject({ atim: M2, mtim: A2 });
    });

    test('times-unchanged-exact', 'undefined leaves a time unchanged, to the nanosecond', () => {
      const { root } = populated();
      root.setTimes('f', A, M);
      root.setTimes('f', undefined, M2);
      expect(root.stat('f')).toMatchObject({ atim: A, mtim: M2 });
      root.setTimes('f', A2, undefined);
      expect(root.stat('f')).toMatchObject({ atim: A2, mtim: M2 });
      root.setTimes('f', undefined, undefined);
      expect(root.stat('f')).toMatchObject({ atim: A2, mtim: M2 });
      root.setTimesSelf(A, M);
      root.setTimesSelf(undefined, M2);
      expect(root.statSelf()).toMatchObject({ atim: A, mtim: M2 });
      const f = open(root, 'w', { write: true });
      f.setTimes(A, M);
      f.setTimes(A2, undefined);
      expect(f.stat()).toMatchObject({ atim: A2, mtim: M });
    });

    test(undefined, '\'now\' takes the current time, leaving the other time as it was', () => {
      const { root } = populated();
      // Whole seconds here: this case is about 'now'; exactness is the case above.
      const old = 1_000_000_000n * SECOND;
      const near = (t: bigint, before: bigint, after: bigint) => t >= before - SECOND && t <= after + SECOND;
      root.setTimes('f', old, old);
      let before = wallNs();
      root.setTimes('f', 'now', undefined);
      let after = wallNs();
      expect(near(root.stat('f').atim, before, after), String(root.stat('f').atim)).toBe(true);
      expect(root.stat('f').mtim).toBe(old);
      root.setTimes('f', old, old);
      before = wallNs();
      root.setTimes('f', undefined, 'now');
      after = wallNs();
      expect(near(root.stat('f').mtim, before, after), String(root.stat('f').mtim)).toBe(true);
      expect(root.stat('f').atim).toBe(old);
      root.setTimesSelf(old, old);
      before = wallNs();
      root.setTimesSelf('now', 'now');
      after = wallNs();
      expect(near(root.statSelf().atim, before, after)).toBe(true);
      expect(near(root.statSelf().mtim, before, after)).toBe(true);
      const f = open(root, 'w', { write: true });
      f.setTimes(old, old);
      before = wallNs();
      f.setTimes(undefined, 'now');
      after = wallNs();
      expect(near(f.stat().mtim, before, after)).toBe(true);
      expect(f.stat().atim).toBe(old);
    });
  });

  describe('openDir', () => {
    test(undefined, 'opens a subdirectory: same ino, writable, changes seen from both handles', () => {
      const { root } = populated();
      const d = root.openDir('d');
      expect(d.readOnly).toBe(false);
      expect(d.statSelf()).toMatchObject({ type: 'directory', ino: root.stat('d').ino });
      expect(get(d, 'inner')).toBe('inner');
      put(d, 'new', 'x');
      expect(sorted(names(root.openDir('d')))).toEqual(['inner', 'new']);
      expect(get(root.openDir('d'), 'new')).toBe('x');
    });

    test(undefined, 'does not follow a symlink: ELOOP for a link to a directory', () => {
      const { root } = populated();
      // NOTE: ELOOP, as open(O_DIRECTORY | O_NOFOLLOW) gives on Linux.
      expectErrno(() => root.openDir('dl'), Errno.ELOOP);
      expectErrno(() => root.openDir('dangling'), Errno.ELOOP);
      expectErrno(() => root.openDir('l'), Errno.ELOOP);
    });
  });

  describe('openFile', () => {
    test(undefined, 'create makes an empty regular file; create again opens the same one untouched', () => {
      const root = fresh();
      const f = open(root, 'f', { create: true, write: true });
      expect(f.array.len()).toBe(0);
      expect(f.stat()).toMatchObject({ type: 'regular-file', size: 0, nlink: 1 });
      expect(f.array.writeAt(bytes('hello'), 0)).toBe(5);
      const again = open(root, 'f', { create: true });
      expect(again.stat().ino).toBe(f.stat().ino);
      expect(readAll(again)).toBe('hello');
      expect([...root.entries()]).toEqual([{ name: 'f', type: 'regular-file', ino: f.stat().ino }]);
    });

    test(undefined, 'create+exclusive is EEXIST on any existing entry, a dangling symlink too', () => {
      const { root } = populated();
      for (const entry of TREE) {
        expectErrno(() => root.openFile(entry, { create: true, exclusive: true, write: true }), Errno.EEXIST, entry);
      }
      expect(names(root)).not.toContain('nowhere');
      expect(open(root, 'fresh', { create: true, exclusive: true }).stat().size).toBe(0);
    });

    test(undefined, 'reads and writes at offsets: holes read as zeros, a read past the end is short', () => {
      const root = fresh();
      const f = open(root, 'f', { create: true, write: true });
      expect(f.array.writeAt(bytes('abc'), 0)).toBe(3);
      expect(f.array.writeAt(bytes('Z'), 10)).toBe(1);
      expect(f.array.len()).toBe(11);
      const out = new Uint8Array(20).fill(0x55);
      expect(f.array.readAt(out, 0)).toBe(11);
      expect([...out.subarray(0, 11)]).toEqual([97, 98, 99, 0, 0, 0, 0, 0, 0, 0, 90]);
      expect(f.array.readAt(out, 11)).toBe(0);
      const g = open(root, 'f', {});
      const back = new Uint8Array(4);
      expect(g.array.readAt(back, 9)).toBe(2);
      expect([...back.subarray(0, 2)]).toEqual([0, 90]);
    });

    test(undefined, 'truncate without write still truncates', () => {
      const { root } = populated();
      const f = open(root, 'f', { truncate: true });
      expect(f.array.len()).toBe(0);
      expect(root.stat('f').size).toBe(0);
    });

    test(undefined, 'on a directory or a symlink it throws a WasiError and changes nothing', () => {
      const { root } = populated();
      // Which errno (EISDIR, ELOOP) is the syscall layer's choice, not the Directory's.
      for (const entry of ['d', 'empty', 'l', 'dl', 'dangling']) {
        for (const options of [{}, { write: true }, { create: true }, { create: true, truncate: true, write: true }]) {
          expectWasiError(() => root.openFile(entry, options), `${entry} ${JSON.stringify(options)}`);
        }
      }
      expect(get(root, 'f')).toBe('data');
      expect(root.stat('l').type).toBe('symbolic-link');
      // Not even a dangling symlink's target is created.
      expect(names(root)).not.toContain('nowhere');
      expect(sorted(names(root))).toEqual(TREE);
    });
  });

  describe('entries', () => {
    test(undefined, 'follows creations and removals; a subdirectory lists its own entries', () => {
      const { root } = populated();
      const d = root.openDir('d');
      expect([...d.entries()]).toEqual([{ name: 'inner', type: 'regular-file', ino: d.stat('inner').ino }]);
      root.unlink('f');
      root.rmdir('empty');
      put(root, 'g', '');
      expect(sorted(names(root))).toEqual(['d', 'dangling', 'dl', 'g', 'l', 'w']);
      expect(root.stat('g').type).toBe('regular-file');
    });
  });

  describe('symlink and readlink', () => {
    test(undefined, 'keeps the target text verbatim and never resolves it', () => {
      const root = fresh();
      const targets = ['../../outside/x', '/etc/passwd', 'with space/ünï 🙂', 'a//b/./c/', '.', '..', 'self'];
      targets.forEach((target, i) => root.symlink(target, `l${i}`));
      root.symlink('self', 'self');
      targets.forEach((target, i) => {
        expect(root.readlink(`l${i}`)).toBe(target);
        expect(root.stat(`l${i}`)).toMatchObject({ type: 'symbolic-link', size: byteLength(target) });
      });
      expect(root.readlink('self')).toBe('self');
    });

    test(undefined, 'symlink is EEXIST on any existing name; readlink is EINVAL on a directory', () => {
      const { root } = populated();
      for (const entry of TREE) expectErrno(() => root.symlink('x', entry), Errno.EEXIST, entry);
      expect(root.readlink('l')).toBe('f');
      expect(root.readlink('dangling')).toBe('nowhere');
      expectErrno(() => root.readlink('d'), Errno.EINVAL);
      expect(get(root, 'f')).toBe('data');
      // NOTE: an empty target is ENOENT, as Linux's symlink(2) says.
      expectErrno(() => root.symlink('', 'empty-target'), Errno.ENOENT);
      expect(names(root)).not.toContain('empty-target');
    });
  });

  describe('mkdir and rmdir', () => {
    test(undefined, 'mkdir makes an empty directory; EEXIST on any existing name', () => {
      const { root } = populated();
      root.mkdir('new');
      expect(root.stat('new')).toMatchObject({ type: 'directory', nlink: 2 });
      expect([...root.openDir('new').entries()]).toEqual([]);
      for (const entry of TREE) expectErrno(() => root.mkdir(entry), Errno.EEXIST, entry);
      expect(root.stat('f').type).toBe('regular-file');
      expect(names(root)).not.toContain('nowhere');
    });

    test(undefined, 'rmdir removes an empty directory; ENOTEMPTY, ENOTDIR (a symlink too), ENOENT', () => {
      const { root } = populated();
      expectErrno(() => root.rmdir('d'), Errno.ENOTEMPTY);
      expectErrno(() => root.rmdir('f'), Errno.ENOTDIR);
      expectErrno(() => root.rmdir('dl'), Errno.ENOTDIR);
      expectErrno(() => root.rmdir('missing'), Errno.ENOENT);
      root.rmdir('empty');
      expectErrno(() => root.stat('empty'), Errno.ENOENT);
      expectErrno(() => root.rmdir('empty'), Errno.ENOENT);
      expect(get(root.openDir('d'), 'inner')).toBe('inner');
      expect(root.stat('dl').type).toBe('symbolic-link');
    });
  });

  describe('unlink', () => {
    test(undefined, 'removes a file; a second unlink is ENOENT', () => {
      const { root } = populated();
      root.unlink('f');
      expectErrno(() => root.stat('f'), Errno.ENOENT);
      expect(names(root)).not.toContain('f');
      expectErrno(() => root.unlink('f'), Errno.ENOENT);
      expectErrno(() => root.openFile('f', {}), Errno.ENOENT);
    });

    test(undefined, 'removes a symlink itself, not its target', () => {
      const { root } = populated();
      root.unlink('l');
      root.unlink('dl');
      root.unlink('dangling');
      expect(get(root, 'f')).toBe('data');
      expect(root.stat('d').type).toBe('directory');
      expect(sorted(names(root))).toEqual(['d', 'empty', 'f', 'w']);
    });

    test(undefined, 'on a directory it throws a WasiError and the directory stays', () => {
      const { root } = populated();
      // Which errno (EISDIR, EPERM) is the syscall layer's choice, not the Directory's.
      expectWasiError(() => root.unlink('d'));
      expectWasiError(() => root.unlink('empty'));
      expect(root.stat('d').type).toBe('directory');
      expect(root.stat('empty').type).toBe('directory');
    });

    test(undefined, 'an unlinked file stays readable and writable through a file still open', () => {
      const { root } = populated();
      const f = open(root, 'f', { write: true });
      root.unlink('f');
      expect(f.stat().nlink).toBe(0);
      expect(f.array.writeAt(bytes('!'), 4)).toBe(1);
      expect(readAll(f)).toBe('data!');
    });
  });

  describe('link', () => {
    test(undefined, 'a second name for the same file: same ino, nlink counts both, shared data', () => {
      const { root } = populated();
      const d = root.openDir('d');
      const ino = root.stat('f').ino;
      root.link('f', d, 'g');
      expect(root.stat('f')).toMatchObject({ ino, nlink: 2 });
      expect(d.stat('g')).toMatchObject({ ino, nlink: 2, type: 'regular-file' });
      put(d, 'g', 'changed');
      expect(get(root, 'f')).toBe('changed');
      root.link('f', root, 'h');
      expect(root.stat('h').nlink).toBe(3);
      root.unlink('f');
      expect(d.stat('g').nlink).toBe(2);
      root.unlink('h');
      expect(d.stat('g').nlink).toBe(1);
      expect(get(d, 'g')).toBe('changed');
    });

    test(undefined, 'links a symlink itself, not its target', () => {
      const { root } = populated();
      root.link('dangling', root, 'd2');
      expect(root.readlink('d2')).toBe('nowhere');
      expect(root.stat('d2')).toMatchObject({ type: 'symbolic-link', ino: root.stat('dangling').ino, nlink: 2 });
      expect(names(root)).not.toContain('nowhere');
    });

    test(undefined, 'EEXIST on an existing target, ENOENT on a missing source; a directory throws a WasiError', () => {
      const { root } = populated();
      for (const entry of TREE) expectErrno(() => root.link('w', root, entry), Errno.EEXIST, entry);
      expectErrno(() => root.link('missing', root, 'x'), Errno.ENOENT);
      // Which errno (EPERM) is the syscall layer's choice, not the Directory's.
      expectWasiError(() => root.link('empty', root, 'e2'));
      expect(names(root)).not.toContain('e2');
      expect(root.stat('w').nlink).toBe(1);
      expect(get(root, 'f')).toBe('data');
    });

    test(undefined, 'is EXDEV into any other tree', () => {
      const fixture = populated();
      const { root } = fixture;
      for (const other of [...fixture.elsewhere(), foreignDirectory()]) {
        expectErrno(() => root.link('f', other, 'x'), Errno.EXDEV);
      }
      expect(root.stat('f').nlink).toBe(1);
    });
  });

  describe('rename', () => {
    test(undefined, 'moves a file to a new name and directory, keeping its ino', () => {
      const { root } = populated();
      const ino = root.stat('f').ino;
      const d = root.openDir('d');
      root.rename('f', d, 'moved');
      expectErrno(() => root.stat('f'), Errno.ENOENT);
      expect(d.stat('moved').ino).toBe(ino);
      expect(get(d, 'moved')).toBe('data');
      expectErrno(() => root.rename('f', root, 'again'), Errno.ENOENT);
    });

    test(undefined, 'a file over a file replaces it; the replaced file lives on while open', () => {
      const { root } = populated();
      put(root, 'w', 'other');
      const old = open(root, 'w', {});
      const ino = root.stat('f').ino;
      root.rename('f', root, 'w');
      expect(root.stat('w')).toMatchObject({ ino, nlink: 1 });
      expect(get(root, 'w')).toBe('data');
      expect(names(root)).not.toContain('f');
      expect(names(root).filter((n) => n === 'w')).toEqual(['w']);
      expect(old.stat().nlink).toBe(0);
      expect(readAll(old)).toBe('other');
    });

    test(undefined, 'a symlink moves as itself (its target stays), also over a file and over a symlink', () => {
      const { root } = populated();
      const d = root.openDir('d');
      const ino = root.stat('l').ino;
      root.rename('l', d, 'moved');
      expect(d.stat('moved')).toMatchObject({ type: 'symbolic-link', ino, nlink: 1 });
      expect(d.readlink('moved')).toBe('f');
      expect(get(root, 'f')).toBe('data');
      d.rename('moved', root, 'w');
      expect(root.stat('w')).toMatchObject({ type: 'symbolic-link', ino });
      root.rename('dangling', root, 'dl');
      expect(root.readlink('dl')).toBe('nowhere');
      expect(root.stat('d').type).toBe('directory');
      expect(sorted(names(root))).toEqual(['d', 'dl', 'empty', 'f', 'w']);
      expect(names(d)).toEqual(['inner']);
    });

    test(undefined, 'a directory over an empty directory replaces it; link counts follow', () => {
      const { root } = populated();
      root.mkdir('p');
      root.openDir('p').mkdir('dst');
      const p = root.openDir('p');
      const ino = root.stat('d').ino;
      // Relative to the root's count (the root's own count is the 'root-nlink' case).
      const links = root.statSelf().nlink;
      root.rename('d', p, 'dst');
      expect(p.stat('dst').ino).toBe(ino);
      expect(get(p.openDir('dst'), 'inner')).toBe('inner');
      expect(names(root)).not.toContain('d');
      expect(names(p)).toEqual(['dst']);
      expect(root.statSelf().nlink).toBe(links - 1);
      expect(p.statSelf().nlink).toBe(3);
      // Onto an empty directory in the same parent as well.
      root.rename('p', root, 'empty');
      expect(root.stat('empty').type).toBe('directory');
      expect(root.stat('empty').nlink).toBe(3);
      expect(names(root.openDir('empty'))).toEqual(['dst']);
      expect(root.statSelf().nlink).toBe(links - 2);
    });

    test(undefined, 'a directory over a non-empty directory is ENOTEMPTY', () => {
      const { root } = populated();
      expectErrno(() => root.rename('empty', root, 'd'), Errno.ENOTEMPTY);
      expect(root.stat('empty').type).toBe('directory');
      expect(get(root.openDir('d'), 'inner')).toBe('inner');
    });

    test(undefined, 'a file over a directory is EISDIR, a directory over a file ENOTDIR', () => {
      const { root } = populated();
      expectErrno(() => root.rename('f', root, 'empty'), Errno.EISDIR);
      expectErrno(() => root.rename('l', root, 'empty'), Errno.EISDIR);
      expectErrno(() => root.rename('empty', root, 'f'), Errno.ENOTDIR);
      expectErrno(() => root.rename('empty', root, 'l'), Errno.ENOTDIR);
      expect(sorted(names(root))).toEqual(TREE);
      for (const entry of TREE) expect(root.stat(entry).type, entry).toBe(TREE_TYPES[entry]);
    });

    test(undefined, 'a directory into itself or its own subtree is EINVAL; a sibling subtree is fine', () => {
      const { root } = populated();
      const d = root.openDir('d');
      d.mkdir('sub');
      const sub = d.openDir('sub');
      expectErrno(() => root.rename('d', d, 'x'), Errno.EINVAL);
      expectErrno(() => root.rename('d', sub, 'x'), Errno.EINVAL);
      expect(sorted(names(d))).toEqual(['inner', 'sub']);
      root.mkdir('dd'); // starts with the same letter: not inside d
      root.rename('dd', sub, 'dd');
      expect(names(sub)).toEqual(['dd']);
    });

    test(undefined, 'two names of one inode: renaming one onto the other does nothing', () => {
      const { root } = populated();
      root.link('f', root, 'g');
      root.rename('f', root, 'g');
      expect(root.stat('f').nlink).toBe(2);
      expect(root.stat('g').nlink).toBe(2);
      root.rename('d', root, 'd');
      expect(get(root.openDir('d'), 'inner')).toBe('inner');
    });

    test(undefined, 'is EXDEV into any other tree', () => {
      const fixture = populated();
      const { root } = fixture;
      for (const other of [...fixture.elsewhere(), foreignDirectory()]) {
        expectErrno(() => root.rename('f', other, 'f'), Errno.EXDEV);
        expectErrno(() => root.rename('d', other, 'd'), Errno.EXDEV);
      }
      expect(sorted(names(root))).toEqual(TREE);
    });
  });

  describe('names', () => {
    const utf8Of255 = 'é'.repeat(127) + 'x';
    const special = [
      'with space',
      ' leading and trailing ',
      'ünïcødé-名前-🙂',
      'x'.repeat(255),
      utf8Of255,
      '🙂'.repeat(63) + 'abc',
      'line\nbreak\ttab',
      '-dash',
      '...',
    ];

    test(undefined, 'the special names are what they claim', () => {
      expect(byteLength('x'.repeat(255))).toBe(255);
      expect(byteLength(utf8Of255)).toBe(255);
      expect(byteLength('🙂'.repeat(63) + 'abc')).toBe(255);
    });

    test(undefined, 'files, directories and symlinks with spaces, unicode and 255-byte names', () => {
      const root = fresh();
      special.forEach((n, i) => put(root, n, `file ${i}`));
      expect(sorted(names(root))).toEqual(sorted(special));
      special.forEach((n, i) => {
        expect(root.stat(n).type).toBe('regular-file');
        expect(get(root, n)).toBe(`file ${i}`);
      });
      root.mkdir('dirs');
      const dirs = root.openDir('dirs');
      for (const n of special) {
        dirs.mkdir(n);
        dirs.openDir(n).symlink(n, n);
        expect(dirs.openDir(n).readlink(n)).toBe(n);
      }
      expect(sorted(names(dirs))).toEqual(sorted(special));
      // Move every file under the next special name inside `dirs/<name>`, then remove it all.
      special.forEach((n, i) => {
        const to = special[(i + 1) % special.length]!;
        dirs.openDir(n).unlink(n);
        root.rename(n, dirs.openDir(n), to);
        expect(get(dirs.openDir(n), to)).toBe(`file ${i}`);
      });
      expect(sorted(names(root))).toEqual(['dirs']);
      special.forEach((n, i) => {
        const inner = dirs.openDir(n);
        const to = special[(i + 1) % special.length]!;
        expect(names(inner)).toEqual([to]);
        inner.unlink(to);
        dirs.rmdir(n);
      });
      expect(names(dirs)).toEqual([]);
    });
  });

  describe('read-only view', () => {
    test(undefined, 'reads the same tree, and later changes made through the writable root', () => {
      const fixture = populated();
      const { root } = fixture;
      const ro = fixture.readOnlyView();
      expect(ro.readOnly).toBe(true);
      expect(ro.statSelf().ino).toBe(root.statSelf().ino);
      expect(get(ro, 'f')).toBe('data');
      expect(ro.readlink('l')).toBe('f');
      const d = ro.openDir('d');
      expect(d.readOnly).toBe(true);
      put(root.openDir('d'), 'later', 'x');
      expect(sorted(names(d))).toEqual(['inner', 'later']);
      expect(get(d, 'later')).toBe('x');
    });

    test(undefined, 'refuses every mutation with EROFS and changes nothing', () => {
      const fixture = populated();
      const { root } = fixture;
      const ro = fixture.readOnlyView();
      const rod = ro.openDir('d');
      root.setTimes('f', 5n * SECOND, 6n * SECOND);
      root.setTimesSelf(7n * SECOND, 8n * SECOND);
      const before = { self: root.statSelf(), f: root.stat('f'), list: sorted(names(root)) };
      const attempts: [string, () => unknown][] = [
        ...refusals(ro, 'f', 'empty'),
        ['openFile write', () => ro.openFile('f', { write: true })],
        ['openFile truncate', () => ro.openFile('f', { truncate: true })],
        ['openFile create (existing)', () => ro.openFile('f', { create: true })],
        ['openFile create (new)', () => ro.openFile('new', { create: true })],
        ['openFile create+exclusive (new)', () => ro.openFile('new', { create: true, exclusive: true, write: true })],
        ['link out of it', () => ro.link('f', root, 'g')],
        ['rename out of it', () => ro.rename('f', root, 'g')],
        ['subdirectory mkdir', () => rod.mkdir('x')],
        ['subdirectory unlink', () => rod.unlink('inner')],
        ['subdirectory setTimesSelf', () => rod.setTimesSelf(undefined, 'now')],
      ];
      for (const [what, attempt] of attempts) expectErrno(attempt, Errno.EROFS, what);
      expect(sorted(names(root))).toEqual(before.list);
      expect(names(root.openDir('d'))).toEqual(['inner']);
      // Reading may move atim (relatime on a host folder): everything else stays.
      const { atim: _a, ...fileBefore } = before.f;
      expect(root.stat('f')).toMatchObject(fileBefore);
      expect(root.statSelf()).toMatchObject({ mtim: before.self.mtim, ctim: before.self.ctim, nlink: before.self.nlink });
      expect(get(root, 'f')).toBe('data');
    });

    test('readonly-target', 'refuses a link or rename into it from the writable root with EROFS', () => {
      const fixture = populated();
      const { root } = fixture;
      const ro = fixture.readOnlyView();
      const rod = ro.openDir('d');
      expectErrno(() => root.link('f', ro, 'g'), Errno.EROFS, 'link into the root');
      expectErrno(() => root.link('f', rod, 'g'), Errno.EROFS, 'link into a subdirectory');
      expectErrno(() => root.rename('f', ro, 'g'), Errno.EROFS, 'rename into the root');
      expectErrno(() => root.rename('f', rod, 'g'), Errno.EROFS, 'rename into a subdirectory');
      expect(sorted(names(root))).toEqual(TREE);
      expect(names(root.openDir('d'))).toEqual(['inner']);
    });

    test(undefined, 'a file opened from it refuses writeAt, setLen and setTimes with EROFS', () => {
      const fixture = populated();
      const { root } = fixture;
      const f = open(fixture.readOnlyView(), 'f', {});
      expectErrno(() => f.array.writeAt(bytes('X'), 0), Errno.EROFS, 'writeAt');
      expectErrno(() => f.array.setLen(0), Errno.EROFS, 'setLen');
      expectErrno(() => f.setTimes(1n, 1n), Errno.EROFS, 'setTimes');
      const src = open(root, 'w', {});
      expectErrno(() => src.array.copy(f.array, 0, 0, 4), Errno.EROFS, 'copy into it');
      f.array.flush(); // syncing changes nothing: allowed
      expect(f.array.len()).toBe(4);
      expect(get(root, 'f')).toBe('data');
      put(root, 'f', 'fresh');
      expect(readAll(f)).toBe('fresh');
    });
  });
}
