// Layer: tests. Imports the public packages `iotypes` and `iotypes/memory`.
// The in-memory backend: every Directory method and its errnos, inodes and hard links,
// open-after-unlink, symlinks, rename rules, nanosecond times, the read-only view, listing and
// the host-side helpers.

import { describe, expect, it } from 'vitest';
import { Errno, WasiError, type Directory, type Errno as ErrnoValue } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function expectErrno(fn: () => unknown, errno: ErrnoValue): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(WasiError);
  expect((caught as WasiError).errno).toBe(errno);
}

/** A file system whose clock is `clock.t`, set by the test. */
function clocked(start = 1_000n) {
  const clock = { t: start };
  const fs = new MemoryFS({ now: () => clock.t });
  return { fs, clock };
}

function write(dir: Directory, name: string, data: string): void {
  const f = dir.openFile(name, { create: true, truncate: true, write: true });
  f.array.writeAt(bytes(data), 0);
}

function read(dir: Directory, name: string): string {
  const f = dir.openFile(name, {});
  const out = new Uint8Array(f.array.len());
  f.array.readAt(out, 0);
  return text(out);
}

const names = (dir: Directory) => [...dir.entries()].map((e) => e.name);

describe('inodes and devices', () => {
  it('gives each MemoryFS its own dev and each node its own ino', () => {
    const a = new MemoryFS();
    const b = new MemoryFS();
    expect(a.root.statSelf().dev).not.toBe(b.root.statSelf().dev);
    a.writeFile('f', 'x');
    a.mkdir('d');
    a.symlink('f', 'l');
    const inos = [a.root.statSelf().ino, a.stat('f').ino, a.stat('d').ino, a.stat('l').ino];
    expect(new Set(inos).size).toBe(4);
    for (const ino of inos) expect(typeof ino).toBe('bigint');
    expect(a.stat('f').dev).toBe(a.root.statSelf().dev);
  });

  it('counts directory links as 2 + subdirectories', () => {
    const fs = new MemoryFS();
    expect(fs.root.statSelf().nlink).toBe(2);
    fs.root.mkdir('a');
    fs.root.mkdir('b');
    fs.writeFile('file', '');
    expect(fs.root.statSelf().nlink).toBe(4);
    expect(fs.root.stat('a').nlink).toBe(2);
    fs.root.rmdir('b');
    expect(fs.root.statSelf().nlink).toBe(3);
  });

  it('uses the injected clock and never goes backwards', () => {
    const { fs, clock } = clocked(5_000n);
    fs.writeFile('a', '');
    expect(fs.stat('a').mtim).toBe(5_000n);
    expect(fs.stat('a').atim).toBe(5_000n);
    clock.t = 100n; // the host clock stepped back
    fs.writeFile('b', '');
    expect(fs.stat('b').ctim).toBe(5_000n);
  });

  it('defaults to the wall clock in nanoseconds', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const fs = new MemoryFS();
    fs.writeFile('a', '');
    const after = BigInt(Date.now()) * 1_000_000n;
    const t = fs.stat('a').mtim;
    expect(t >= before && t <= after).toBe(true);
  });
});

describe('openFile', () => {
  it('creates, reopens and reports ENOENT without create', () => {
    const fs = new MemoryFS();
    expectErrno(() => fs.root.openFile('nope', {}), Errno.ENOENT);
    const f = fs.root.openFile('f', { create: true, write: true });
    f.array.writeAt(bytes('hello'), 0);
    const again = fs.root.openFile('f', { create: true });
    expect(again.stat().ino).toBe(f.stat().ino);
    expect(again.stat().type).toBe('regular-file');
    expect(read(fs.root, 'f')).toBe('hello');
  });

  it('refuses create+exclusive on any existing entry with EEXIST', () => {
    const fs = new MemoryFS();
    fs.writeFile('file', 'x');
    fs.mkdir('dir');
    fs.symlink('file', 'good-link');
    fs.symlink('missing', 'dangling');
    for (const name of ['file', 'dir', 'good-link', 'dangling']) {
      expectErrno(() => fs.root.openFile(name, { create: true, exclusive: true }), Errno.EEXIST);
    }
    expect(fs.root.openFile('fresh', { create: true, exclusive: true }).stat().size).toBe(0);
  });

  it('refuses anything but a regular file (the syscall layer chooses EISDIR/ELOOP before)', () => {
    const fs = new MemoryFS();
    fs.mkdir('dir');
    fs.writeFile('file', 'x');
    fs.symlink('file', 'link');
    expectErrno(() => fs.root.openFile('dir', {}), Errno.ENXIO);
    expectErrno(() => fs.root.openFile('link', {}), Errno.ENXIO);
    expectErrno(() => fs.root.openFile('link', { create: true }), Errno.ENXIO);
  });

  it('truncates to length 0 and stamps mtim', () => {
    const { fs, clock } = clocked();
    fs.writeFile('f', 'some bytes');
    clock.t = 2_000n;
    const f = fs.root.openFile('f', { truncate: true, write: true });
    expect(f.array.len()).toBe(0);
    expect(f.stat().size).toBe(0);
    expect(f.stat().mtim).toBe(2_000n);
    expect(fs.readFile('f').length).toBe(0);
  });
});

describe('file data and times', () => {
  it('stamps mtim and ctim on writeAt and setLen, not on reads', () => {
    const { fs, clock } = clocked();
    const f = fs.root.openFile('f', { create: true, write: true });
    clock.t = 2_000n;
    f.array.writeAt(bytes('abc'), 0);
    expect(f.stat()).toMatchObject({ size: 3, mtim: 2_000n, ctim: 2_000n, atim: 1_000n });
    clock.t = 3_000n;
    f.array.setLen(10);
    expect(f.stat()).toMatchObject({ size: 10, mtim: 3_000n, ctim: 3_000n });
    clock.t = 4_000n;
    f.array.readAt(new Uint8Array(10), 0);
    expect(f.stat()).toMatchObject({ mtim: 3_000n, atim: 1_000n });
  });

  it('sets exact nanoseconds, now, or leaves a time unchanged', () => {
    const { fs, clock } = clocked();
    const f = fs.root.openFile('f', { create: true });
    clock.t = 7_000n;
    f.setTimes(1_234_567_891_234_567_891n, 42n);
    expect(f.stat()).toMatchObject({ atim: 1_234_567_891_234_567_891n, mtim: 42n, ctim: 7_000n });
    clock.t = 8_000n;
    f.setTimes(undefined, 'now');
    expect(f.stat()).toMatchObject({ atim: 1_234_567_891_234_567_891n, mtim: 8_000n, ctim: 8_000n });
    clock.t = 9_000n;
    f.setTimes('now', undefined);
    expect(f.stat()).toMatchObject({ atim: 9_000n, mtim: 8_000n, ctim: 9_000n });
  });

  it('sets times by name without following a symlink, and on the directory itself', () => {
    const { fs, clock } = clocked();
    fs.writeFile('f', '');
    fs.symlink('f', 'l');
    clock.t = 5_000n;
    fs.root.setTimes('l', 11n, 12n);
    expect(fs.stat('l')).toMatchObject({ atim: 11n, mtim: 12n, ctim: 5_000n });
    expect(fs.stat('f')).toMatchObject({ atim: 1_000n, mtim: 1_000n });
    fs.root.setTimes('f', 'now', 99n);
    expect(fs.stat('f')).toMatchObject({ atim: 5_000n, mtim: 99n });
    expectErrno(() => fs.root.setTimes('missing', 1n, 1n), Errno.ENOENT);
    fs.root.setTimesSelf(21n, 22n);
    expect(fs.root.statSelf()).toMatchObject({ atim: 21n, mtim: 22n, ctim: 5_000n });
  });

  it('updates a directory mtim and ctim when entries are added or removed', () => {
    const { fs, clock } = clocked();
    const steps: [bigint, () => void][] = [
      [2_000n, () => fs.root.openFile('f', { create: true })],
      [3_000n, () => fs.root.mkdir('d')],
      [4_000n, () => fs.root.symlink('f', 'l')],
      [5_000n, () => fs.root.link('f', fs.root, 'g')],
      [6_000n, () => fs.root.unlink('g')],
      [7_000n, () => fs.root.rmdir('d')],
      [8_000n, () => fs.root.rename('f', fs.root, 'h')],
    ];
    for (const [t, step] of steps) {
      clock.t = t;
      step();
      expect(fs.root.statSelf()).toMatchObject({ mtim: t, ctim: t });
    }
  });
});

describe('stat', () => {
  it('is lstat: a symlink reports itself, with its target length as size', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', '12345');
    fs.root.symlink('f-é', 'l');
    expect(fs.root.stat('f')).toMatchObject({ type: 'regular-file', size: 5, nlink: 1 });
    expect(fs.root.stat('l')).toMatchObject({ type: 'symbolic-link', size: 4, nlink: 1 });
    expectErrno(() => fs.root.stat('missing'), Errno.ENOENT);
  });
});

describe('openDir and mkdir', () => {
  it('opens subdirectories; ENOENT, ENOTDIR on a file, ELOOP on a symlink', () => {
    const fs = new MemoryFS();
    fs.root.mkdir('d');
    fs.writeFile('f', '');
    fs.symlink('d', 'l');
    const d = fs.root.openDir('d');
    write(d, 'inner', 'data');
    expect(fs.readFile('d/inner')).toEqual(bytes('data'));
    expect(d.statSelf().ino).toBe(fs.stat('d').ino);
    expect(d.readOnly).toBe(false);
    expectErrno(() => fs.root.openDir('missing'), Errno.ENOENT);
    expectErrno(() => fs.root.openDir('f'), Errno.ENOTDIR);
    expectErrno(() => fs.root.openDir('l'), Errno.ELOOP);
  });

  it('mkdir refuses an existing name of any kind with EEXIST', () => {
    const fs = new MemoryFS();
    fs.mkdir('d');
    fs.writeFile('f', '');
    fs.symlink('nowhere', 'l');
    for (const name of ['d', 'f', 'l']) expectErrno(() => fs.root.mkdir(name), Errno.EEXIST);
    expect(fs.stat('f').type).toBe('regular-file');
  });
});

describe('rmdir', () => {
  it('removes an empty directory; ENOENT, ENOTDIR, ENOTEMPTY', () => {
    const fs = new MemoryFS();
    fs.mkdir('empty');
    fs.mkdir('full');
    fs.writeFile('full/x', '');
    fs.writeFile('f', '');
    expectErrno(() => fs.root.rmdir('missing'), Errno.ENOENT);
    expectErrno(() => fs.root.rmdir('f'), Errno.ENOTDIR);
    expectErrno(() => fs.root.rmdir('full'), Errno.ENOTEMPTY);
    fs.root.rmdir('empty');
    expect(fs.exists('empty')).toBe(false);
    expect(fs.exists('full/x')).toBe(true);
  });

  it('leaves a held handle to a removed directory empty and refusing creations', () => {
    const fs = new MemoryFS();
    fs.mkdir('gone');
    fs.writeFile('f', '');
    const gone = fs.root.openDir('gone');
    fs.root.rmdir('gone');
    expectErrno(() => gone.openFile('new', { create: true }), Errno.ENOENT);
    expectErrno(() => gone.mkdir('sub'), Errno.ENOENT);
    expectErrno(() => gone.symlink('x', 'l'), Errno.ENOENT);
    expectErrno(() => fs.root.link('f', gone, 'g'), Errno.ENOENT);
    expectErrno(() => fs.root.rename('f', gone, 'g'), Errno.ENOENT);
    expect([...gone.entries()]).toEqual([]);
    expect(gone.statSelf().nlink).toBe(0);
    expect(fs.exists('f')).toBe(true);
  });
});

describe('unlink', () => {
  it('removes a non-directory; ENOENT, EISDIR', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', '');
    fs.symlink('f', 'l');
    fs.mkdir('d');
    expectErrno(() => fs.root.unlink('missing'), Errno.ENOENT);
    expectErrno(() => fs.root.unlink('d'), Errno.EISDIR);
    fs.root.unlink('l');
    expect(fs.exists('l')).toBe(false);
    expect(fs.exists('f')).toBe(true);
    fs.root.unlink('f');
    expect(fs.exists('f')).toBe(false);
    expect(fs.exists('d')).toBe(true);
  });

  it('keeps an unlinked file readable and writable through its open FileNode', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', 'before');
    const f = fs.root.openFile('f', { write: true });
    fs.root.unlink('f');
    expect(fs.exists('f')).toBe(false);
    expect(f.stat().nlink).toBe(0);
    f.array.writeAt(bytes('after!'), 6);
    const out = new Uint8Array(12);
    expect(f.array.readAt(out, 0)).toBe(12);
    expect(text(out)).toBe('beforeafter!');
    expect(f.stat().size).toBe(12);
    // A new file under the old name is a different inode.
    fs.writeFile('f', 'new');
    expect(fs.stat('f').ino).not.toBe(f.stat().ino);
    expect(f.array.len()).toBe(12);
  });
});

describe('link', () => {
  it('shares the inode and data, and counts links', () => {
    const fs = new MemoryFS();
    fs.mkdir('d');
    fs.writeFile('a', 'one');
    const d = fs.root.openDir('d');
    fs.root.link('a', d, 'b');
    expect(fs.stat('a').nlink).toBe(2);
    expect(fs.stat('d/b').ino).toBe(fs.stat('a').ino);
    write(d, 'b', 'two');
    expect(fs.readFile('a')).toEqual(bytes('two'));
    fs.root.unlink('a');
    expect(fs.stat('d/b').nlink).toBe(1);
    expect(fs.readFile('d/b')).toEqual(bytes('two'));
  });

  it('links a symlink itself, not its target', () => {
    const fs = new MemoryFS();
    fs.symlink('target', 'l');
    fs.root.link('l', fs.root, 'l2');
    expect(fs.root.readlink('l2')).toBe('target');
    expect(fs.stat('l').nlink).toBe(2);
  });

  it('reports ENOENT, EEXIST, EPERM and EXDEV', () => {
    const fs = new MemoryFS();
    fs.writeFile('a', '');
    fs.writeFile('b', '');
    fs.mkdir('d');
    expectErrno(() => fs.root.link('missing', fs.root, 'x'), Errno.ENOENT);
    expectErrno(() => fs.root.link('a', fs.root, 'b'), Errno.EEXIST);
    expectErrno(() => fs.root.link('a', fs.root, 'd'), Errno.EEXIST);
    expectErrno(() => fs.root.link('d', fs.root, 'd2'), Errno.EPERM);
    expectErrno(() => fs.root.link('a', new MemoryFS().root, 'x'), Errno.EXDEV);
    const foreign = { readOnly: false } as unknown as Directory;
    expectErrno(() => fs.root.link('a', foreign, 'x'), Errno.EXDEV);
    expect(fs.stat('a').nlink).toBe(1);
  });
});

describe('symlink and readlink', () => {
  it('stores the target text verbatim and never follows it', () => {
    const fs = new MemoryFS();
    fs.root.symlink('../../outside/x', 'l');
    expect(fs.root.readlink('l')).toBe('../../outside/x');
    expect([...fs.root.entries()]).toEqual([{ name: 'l', type: 'symbolic-link', ino: fs.stat('l').ino }]);
  });

  it('reports EEXIST, EINVAL and ENOENT', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', '');
    fs.mkdir('d');
    fs.symlink('f', 'l');
    for (const name of ['f', 'd', 'l']) expectErrno(() => fs.root.symlink('x', name), Errno.EEXIST);
    expect(fs.root.readlink('l')).toBe('f');
    expectErrno(() => fs.root.readlink('f'), Errno.EINVAL);
    expectErrno(() => fs.root.readlink('d'), Errno.EINVAL);
    expectErrno(() => fs.root.readlink('missing'), Errno.ENOENT);
  });
});

describe('rename', () => {
  it('moves a file to a new name and directory', () => {
    const fs = new MemoryFS();
    fs.mkdir('d');
    fs.writeFile('a', 'data');
    const ino = fs.stat('a').ino;
    fs.root.rename('a', fs.root.openDir('d'), 'b');
    expect(fs.exists('a')).toBe(false);
    expect(fs.stat('d/b').ino).toBe(ino);
    expect(fs.readFile('d/b')).toEqual(bytes('data'));
    expectErrno(() => fs.root.rename('a', fs.root, 'c'), Errno.ENOENT);
  });

  it('replaces a file with a file; the replaced inode lives on while open', () => {
    const fs = new MemoryFS();
    fs.writeFile('a', 'new');
    fs.writeFile('b', 'old');
    const old = fs.root.openFile('b', {});
    fs.root.rename('a', fs.root, 'b');
    expect(fs.readFile('b')).toEqual(bytes('new'));
    expect(fs.exists('a')).toBe(false);
    expect(old.stat().nlink).toBe(0);
    const out = new Uint8Array(3);
    old.array.readAt(out, 0);
    expect(text(out)).toBe('old');
    expect(names(fs.root)).toEqual(['b']);
  });

  it('replaces an empty directory with a directory and fixes link counts', () => {
    const fs = new MemoryFS();
    fs.mkdir('src/child', { recursive: true });
    fs.writeFile('src/file', 'x');
    fs.mkdir('p');
    fs.mkdir('p/dst');
    const p = fs.root.openDir('p');
    const dstHandle = p.openDir('dst');
    fs.root.rename('src', p, 'dst');
    expect(fs.readFile('p/dst/file')).toEqual(bytes('x'));
    expect(fs.exists('src')).toBe(false);
    expect(fs.root.statSelf().nlink).toBe(3); // p only
    expect(p.statSelf().nlink).toBe(3); // dst
    expect(dstHandle.statSelf().nlink).toBe(0);
    expectErrno(() => dstHandle.mkdir('y'), Errno.ENOENT);
  });

  it('refuses a directory over a non-empty directory with ENOTEMPTY', () => {
    const fs = new MemoryFS();
    fs.mkdir('a');
    fs.mkdir('b');
    fs.writeFile('b/keep', '');
    expectErrno(() => fs.root.rename('a', fs.root, 'b'), Errno.ENOTEMPTY);
    expect(fs.exists('a')).toBe(true);
    expect(fs.exists('b/keep')).toBe(true);
  });

  it('refuses a file over a directory (EISDIR) and a directory over a file (ENOTDIR)', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', '');
    fs.mkdir('d');
    expectErrno(() => fs.root.rename('f', fs.root, 'd'), Errno.EISDIR);
    expectErrno(() => fs.root.rename('d', fs.root, 'f'), Errno.ENOTDIR);
    expect(fs.stat('f').type).toBe('regular-file');
    expect(fs.stat('d').type).toBe('directory');
  });

  it('refuses to move a directory into itself or its own subtree (EINVAL)', () => {
    const fs = new MemoryFS();
    fs.mkdir('a/b/c', { recursive: true });
    const a = fs.root.openDir('a');
    const c = a.openDir('b').openDir('c');
    expectErrno(() => fs.root.rename('a', a, 'x'), Errno.EINVAL);
    expectErrno(() => fs.root.rename('a', c, 'x'), Errno.EINVAL);
    expect(fs.exists('a/b/c')).toBe(true);
    // A sibling subtree is fine.
    fs.mkdir('z');
    fs.root.rename('z', c, 'z');
    expect(fs.exists('a/b/c/z')).toBe(true);
  });

  it('does nothing when both names are the same inode', () => {
    const fs = new MemoryFS();
    fs.writeFile('a', 'x');
    fs.root.link('a', fs.root, 'b');
    fs.root.rename('a', fs.root, 'b');
    expect(fs.exists('a')).toBe(true);
    expect(fs.exists('b')).toBe(true);
    expect(fs.stat('a').nlink).toBe(2);
    fs.mkdir('d');
    fs.root.rename('d', fs.root, 'd');
    expect(fs.stat('d').type).toBe('directory');
    expect(names(fs.root)).toEqual(['a', 'b', 'd']);
  });

  it('is EXDEV to another MemoryFS or a non-memory directory', () => {
    const fs = new MemoryFS();
    fs.writeFile('a', '');
    expectErrno(() => fs.root.rename('a', new MemoryFS().root, 'a'), Errno.EXDEV);
    const foreign = { readOnly: false } as unknown as Directory;
    expectErrno(() => fs.root.rename('a', foreign, 'a'), Errno.EXDEV);
    expect(fs.exists('a')).toBe(true);
  });
});

describe('entries', () => {
  it('lists name, type and ino in insertion order, without . and ..', () => {
    const fs = new MemoryFS();
    fs.writeFile('z', '');
    fs.mkdir('a');
    fs.symlink('z', 'm');
    expect([...fs.root.entries()]).toEqual([
      { name: 'z', type: 'regular-file', ino: fs.stat('z').ino },
      { name: 'a', type: 'directory', ino: fs.stat('a').ino },
      { name: 'm', type: 'symbolic-link', ino: fs.stat('m').ino },
    ]);
    expect(names(fs.root)).toEqual(names(fs.root));
  });

  it('is lazy: an entry can be taken without listing the rest', () => {
    const fs = new MemoryFS();
    fs.writeFile('a', '');
    fs.writeFile('b', '');
    const it = fs.root.entries()[Symbol.iterator]();
    expect(it.next().value?.name).toBe('a');
    fs.root.unlink('b'); // removed before it was reached
    expect(it.next().done).toBe(true);
  });

  it('lists 3000 files in order', () => {
    const fs = new MemoryFS();
    const d = fs.root;
    const want: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const name = `file-${(i * 7919) % 3000}`;
      want.push(name);
      d.openFile(name, { create: true, exclusive: true });
    }
    const list = [...d.entries()];
    expect(list.length).toBe(3000);
    expect(list.map((e) => e.name)).toEqual(want);
    expect(new Set(list.map((e) => e.ino)).size).toBe(3000);
    expect(list.every((e) => e.type === 'regular-file')).toBe(true);
  });
});

describe('read-only view', () => {
  function setup() {
    const fs = new MemoryFS();
    fs.writeFile('f', 'data');
    fs.mkdir('d');
    fs.mkdir('empty');
    fs.symlink('f', 'l');
    return { fs, ro: fs.readOnlyRoot() };
  }

  it('reads the same tree, including later changes', () => {
    const { fs, ro } = setup();
    expect(ro.readOnly).toBe(true);
    expect(fs.root.readOnly).toBe(false);
    expect(fs.readOnlyRoot()).toBe(ro);
    expect(ro.statSelf().ino).toBe(fs.root.statSelf().ino);
    expect(read(ro, 'f')).toBe('data');
    expect(ro.readlink('l')).toBe('f');
    expect(ro.stat('d').type).toBe('directory');
    fs.writeFile('d/new', 'x');
    const d = ro.openDir('d');
    expect(d.readOnly).toBe(true);
    expect(names(d)).toEqual(['new']);
  });

  it('refuses every directory mutation with EROFS and changes nothing', () => {
    const { fs, ro } = setup();
    const rod = ro.openDir('d');
    const before = fs.root.statSelf();
    const attempts: (() => unknown)[] = [
      () => ro.setTimesSelf(1n, 1n),
      () => ro.setTimes('f', 1n, 1n),
      () => ro.openFile('f', { write: true }),
      () => ro.openFile('f', { truncate: true }),
      () => ro.openFile('f', { create: true }),
      () => ro.openFile('new', { create: true, exclusive: true }),
      () => ro.symlink('f', 'l2'),
      () => ro.mkdir('d2'),
      () => ro.rmdir('empty'),
      () => ro.unlink('f'),
      () => ro.link('f', ro, 'g'),
      () => ro.link('f', fs.root, 'g'),
      () => fs.root.link('f', ro, 'g'),
      () => ro.rename('f', ro, 'g'),
      () => ro.rename('f', fs.root, 'g'),
      () => fs.root.rename('f', rod, 'g'),
      () => rod.mkdir('x'),
    ];
    for (const attempt of attempts) expectErrno(attempt, Errno.EROFS);
    expect(names(fs.root)).toEqual(['f', 'd', 'empty', 'l']);
    expect(names(fs.root.openDir('d'))).toEqual([]);
    expect(fs.readFile('f')).toEqual(bytes('data'));
    expect(fs.root.statSelf()).toEqual(before);
  });

  it('refuses writes, setLen and setTimes through a file opened from it', () => {
    const { fs, ro } = setup();
    const f = ro.openFile('f', {});
    expectErrno(() => f.array.writeAt(bytes('X'), 0), Errno.EROFS);
    expectErrno(() => f.array.setLen(0), Errno.EROFS);
    expectErrno(() => f.setTimes(1n, 1n), Errno.EROFS);
    const src = fs.root.openFile('f', {});
    expectErrno(() => src.array.copy(f.array, 0, 0, 4), Errno.EROFS);
    expect(fs.readFile('f')).toEqual(bytes('data'));
    expect(f.array.len()).toBe(4);
    expect(f.stat().size).toBe(4);
    // Reads see writes made through the writable root.
    write(fs.root, 'f', 'fresh');
    const out = new Uint8Array(5);
    expect(f.array.readAt(out, 0)).toBe(5);
    expect(text(out)).toBe('fresh');
  });
});

describe('host helpers', () => {
  it('writeFile and readFile: strings, bytes, overwrite', () => {
    const fs = new MemoryFS();
    fs.writeFile('a.txt', 'héllo');
    expect(fs.readFile('a.txt')).toEqual(bytes('héllo'));
    fs.writeFile('a.txt', new Uint8Array([1, 2]));
    expect(fs.readFile('a.txt')).toEqual(new Uint8Array([1, 2]));
    expect(fs.stat('a.txt').size).toBe(2);
    expectErrno(() => fs.readFile('missing'), Errno.ENOENT);
    expectErrno(() => fs.writeFile('no/such/dir', 'x'), Errno.ENOENT);
    fs.mkdir('d');
    expectErrno(() => fs.readFile('d'), Errno.EISDIR);
    expectErrno(() => fs.writeFile('d', 'x'), Errno.EISDIR);
  });

  it('follows symlinks in the middle and at the end of a path', () => {
    const fs = new MemoryFS();
    fs.mkdir('real/sub', { recursive: true });
    fs.writeFile('real/sub/f', 'deep');
    fs.symlink('real', 'alias');
    fs.symlink('sub/f', 'real/shortcut');
    expect(fs.readFile('alias/sub/f')).toEqual(bytes('deep'));
    expect(fs.readFile('alias/shortcut')).toEqual(bytes('deep'));
    fs.writeFile('alias/shortcut', 'via link');
    expect(fs.readFile('real/sub/f')).toEqual(bytes('via link'));
    expect(fs.stat('alias').type).toBe('symbolic-link');
    fs.symlink('loop', 'loop');
    expectErrno(() => fs.readFile('loop'), Errno.ELOOP);
  });

  it('mkdir: plain, recursive, EEXIST, ENOENT', () => {
    const fs = new MemoryFS();
    fs.mkdir('a');
    expectErrno(() => fs.mkdir('a'), Errno.EEXIST);
    expectErrno(() => fs.mkdir('x/y'), Errno.ENOENT);
    fs.mkdir('a/b/c', { recursive: true });
    fs.mkdir('a/b/c', { recursive: true }); // existing is fine
    expect(fs.stat('a/b/c').type).toBe('directory');
    fs.writeFile('file', '');
    expectErrno(() => fs.mkdir('file', { recursive: true }), Errno.EEXIST);
    expectErrno(() => fs.mkdir('file/sub', { recursive: true }), Errno.ENOTDIR);
  });

  it('symlink, exists and stat (lstat)', () => {
    const fs = new MemoryFS();
    fs.symlink('nowhere', 'dangling');
    expect(fs.exists('dangling')).toBe(true);
    expect(fs.exists('nowhere')).toBe(false);
    expect(fs.exists('dangling/x')).toBe(false);
    expect(fs.exists('')).toBe(true);
    expect(fs.stat('dangling')).toMatchObject({ type: 'symbolic-link', size: 7 });
    expectErrno(() => fs.stat('nowhere'), Errno.ENOENT);
    expectErrno(() => fs.symlink('x', 'dangling'), Errno.EEXIST);
    fs.writeFile('f', '');
    expect(fs.exists('f/x')).toBe(false);
    expectErrno(() => fs.stat('f/x'), Errno.ENOTDIR);
  });
});
