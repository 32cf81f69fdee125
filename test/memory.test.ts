// Layer: tests. Imports the public packages `iotypes` and `iotypes/memory`.
// The in-memory backend's own behaviour: devices, the injected clock and the times it stamps,
// removed directories still held, inode reuse, listing order and laziness, the read-only view
// object and the host-side helpers. What every Directory promises is the contract suite
// (test/directory-contract.test.ts), which runs on this backend too.

import { describe, expect, it } from 'vitest';
import { Errno, WasiError, type Directory, type Errno as ErrnoValue } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';

const bytes = (s: string) => new TextEncoder().encode(s);

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

const names = (dir: Directory) => [...dir.entries()].map((e) => e.name);

describe('inodes and devices', () => {
  it('gives each MemoryFS its own dev', () => {
    const a = new MemoryFS();
    const b = new MemoryFS();
    expect(a.root.statSelf().dev).not.toBe(b.root.statSelf().dev);
    a.writeFile('f', 'x');
    expect(a.stat('f').dev).toBe(a.root.statSelf().dev);
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

  it('stamps ctim with the clock when times are set, and \'now\' is the clock\'s time', () => {
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

describe('rmdir', () => {
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
  it('never reuses the ino of an unlinked file that is still open', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', 'before');
    const f = fs.root.openFile('f', { write: true });
    fs.root.unlink('f');
    f.array.writeAt(bytes('after!'), 6);
    fs.writeFile('f', 'new');
    expect(fs.stat('f').ino).not.toBe(f.stat().ino);
    expect(f.array.len()).toBe(12);
  });
});

describe('rename', () => {
  it('leaves a held handle to a directory replaced by rename removed: nlink 0, creations ENOENT', () => {
    const fs = new MemoryFS();
    fs.mkdir('src/child', { recursive: true });
    fs.mkdir('p/dst', { recursive: true });
    const p = fs.root.openDir('p');
    const dstHandle = p.openDir('dst');
    fs.root.rename('src', p, 'dst');
    expect(dstHandle.statSelf().nlink).toBe(0);
    expect([...dstHandle.entries()]).toEqual([]);
    expectErrno(() => dstHandle.mkdir('y'), Errno.ENOENT);
    expect(fs.stat('p/dst/child').type).toBe('directory');
  });
});

describe('entries', () => {
  it('lists entries in insertion order', () => {
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
  it('is one object per MemoryFS, made on first use', () => {
    const fs = new MemoryFS();
    const ro = fs.readOnlyRoot();
    expect(ro.readOnly).toBe(true);
    expect(fs.root.readOnly).toBe(false);
    expect(fs.readOnlyRoot()).toBe(ro);
    expect(ro).not.toBe(fs.root);
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
