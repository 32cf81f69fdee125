// Layer: tests. Imports memfs, the public packages `iotypes`, `iotypes/memfs` and `iotypes/memory`.
// The memfs backend: mounting, a volume shared by host and guest, every Directory method and its
// errnos, inodes and hard links, open-after-unlink, symlinks, rename rules, millisecond times,
// files over memfs fds, the read-only mount, listing, and the error-code table.

import { describe, expect, it } from 'vitest';
import { Volume } from 'memfs';
import { Errno, WasiError, type Directory, type Errno as ErrnoValue, type FileNode } from 'iotypes';
import { memfsDirectory, type MemfsLike } from 'iotypes/memfs';
import { MemoryFS } from 'iotypes/memory';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const MS = 1_000_000n;

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

function setup() {
  const vol = new Volume();
  return { vol, root: memfsDirectory(vol) };
}

/** A volume wrapped so that every call is recorded (method name and arguments). */
function spied() {
  const vol = new Volume();
  const calls: [string, unknown[]][] = [];
  const proxy = new Proxy(vol, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push([String(key), args]);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const named = (name: string) => calls.filter(([k]) => k === name).map(([, args]) => args);
  return { vol, proxy: proxy as MemfsLike, calls, named };
}

function write(dir: Directory, name: string, data: string): void {
  const f = dir.openFile(name, { create: true, truncate: true, write: true });
  f.array.writeAt(bytes(data), 0);
  f.close?.();
}

function read(dir: Directory, name: string): string {
  const f = dir.openFile(name, {});
  const out = new Uint8Array(f.array.len());
  f.array.readAt(out, 0);
  f.close?.();
  return text(out);
}

const names = (dir: Directory) => [...dir.entries()].map((e) => e.name);
const nowNs = () => BigInt(Date.now()) * MS;

describe('mounting', () => {
  it('mounts the root or a subdirectory, which is all the handle can see', () => {
    const vol = new Volume();
    vol.mkdirSync('/srv/data', { recursive: true });
    vol.writeFileSync('/srv/data/a.txt', 'inside');
    vol.writeFileSync('/srv/secret', 'outside');
    const data = memfsDirectory(vol, '/srv/data');
    expect(names(data)).toEqual(['a.txt']);
    expect(read(data, 'a.txt')).toBe('inside');
    expect(data.statSelf().ino).toBe(BigInt(vol.lstatSync('/srv/data').ino));
    expect(names(memfsDirectory(vol))).toEqual(['srv']);
    // Repeated and trailing slashes are normalized.
    expect(names(memfsDirectory(vol, '//srv//data/'))).toEqual(['a.txt']);
  });

  it('refuses a mount path that is missing, a file, a symlink or not absolute', () => {
    const vol = new Volume();
    vol.writeFileSync('/file', '');
    vol.mkdirSync('/dir');
    vol.symlinkSync('/dir', '/link');
    expectErrno(() => memfsDirectory(vol, '/missing'), Errno.ENOENT);
    expectErrno(() => memfsDirectory(vol, '/file'), Errno.ENOTDIR);
    expectErrno(() => memfsDirectory(vol, '/link'), Errno.ELOOP);
    expectErrno(() => memfsDirectory(vol, 'dir'), Errno.EINVAL);
    expectErrno(() => memfsDirectory(vol, '/dir/../file'), Errno.EINVAL);
    expect(memfsDirectory(vol, '/dir').readOnly).toBe(false);
    expect(memfsDirectory(vol, '/dir', { readOnly: true }).readOnly).toBe(true);
  });
});

describe('host and guest share the volume', () => {
  it('shows the guest what the host creates', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/docs');
    vol.writeFileSync('/docs/readme', 'from the host');
    vol.symlinkSync('docs/readme', '/shortcut');
    expect(names(root)).toEqual(['docs', 'shortcut']);
    const docs = root.openDir('docs');
    expect(read(docs, 'readme')).toBe('from the host');
    expect(root.readlink('shortcut')).toBe('docs/readme');
    expect(docs.stat('readme')).toMatchObject({ type: 'regular-file', size: 13 });
    vol.unlinkSync('/docs/readme');
    expectErrno(() => docs.stat('readme'), Errno.ENOENT);
  });

  it('shows the host what the guest creates', () => {
    const { vol, root } = setup();
    root.mkdir('out');
    const out = root.openDir('out');
    write(out, 'result.txt', 'from the guest');
    out.symlink('result.txt', 'latest');
    root.rename('out', root, 'done');
    expect(vol.readFileSync('/done/result.txt', 'utf8')).toBe('from the guest');
    expect(vol.readlinkSync('/done/latest')).toBe('result.txt');
    expect(vol.readdirSync('/')).toEqual(['done']);
  });

  it('shares an open file: host writes are seen through the array, and the other way round', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', 'abc');
    const f = root.openFile('f', { write: true });
    vol.appendFileSync('/f', 'def');
    expect(f.array.len()).toBe(6);
    const out = new Uint8Array(6);
    f.array.readAt(out, 0);
    expect(text(out)).toBe('abcdef');
    f.array.writeAt(bytes('XY'), 1);
    expect(vol.readFileSync('/f', 'utf8')).toBe('aXYdef');
    f.close?.();
  });
});

describe('inodes and devices', () => {
  it('reports dev and ino from memfs stats, as bigints, one ino per node', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', 'x');
    vol.mkdirSync('/d');
    vol.symlinkSync('f', '/l');
    const inos = [root.statSelf().ino, root.stat('f').ino, root.stat('d').ino, root.stat('l').ino];
    expect(new Set(inos).size).toBe(4);
    for (const ino of inos) expect(typeof ino).toBe('bigint');
    for (const name of ['f', 'd', 'l']) {
      const st = vol.lstatSync(`/${name}`);
      expect(root.stat(name).ino).toBe(BigInt(st.ino));
      expect(root.stat(name).dev).toBe(BigInt(st.dev));
    }
    expect(root.stat('f').dev).toBe(root.statSelf().dev);
  });

  it('reports memfs link counts: a directory has 2 + its subdirectories', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/top');
    const top = root.openDir('top');
    expect(top.statSelf().nlink).toBe(2);
    top.mkdir('a');
    top.mkdir('b');
    write(top, 'file', '');
    expect(top.statSelf().nlink).toBe(4);
    expect(top.stat('a').nlink).toBe(2);
    expect(top.stat('file').nlink).toBe(1);
    top.rmdir('b');
    expect(top.statSelf().nlink).toBe(3);
  });
});

describe('openFile', () => {
  it('creates, reopens and reports ENOENT without create', () => {
    const { vol, root } = setup();
    expectErrno(() => root.openFile('nope', {}), Errno.ENOENT);
    const f = root.openFile('f', { create: true, write: true });
    f.array.writeAt(bytes('hello'), 0);
    const again = root.openFile('f', { create: true });
    expect(again.stat().ino).toBe(f.stat().ino);
    expect(again.stat().type).toBe('regular-file');
    expect(read(root, 'f')).toBe('hello');
    expect(vol.readFileSync('/f', 'utf8')).toBe('hello');
  });

  it('refuses create+exclusive on any existing entry with EEXIST', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/file', 'x');
    vol.mkdirSync('/dir');
    vol.symlinkSync('file', '/good-link');
    vol.symlinkSync('missing', '/dangling');
    for (const name of ['file', 'dir', 'good-link', 'dangling']) {
      expectErrno(() => root.openFile(name, { create: true, exclusive: true }), Errno.EEXIST);
    }
    expect(vol.existsSync('/missing')).toBe(false);
    expect(root.openFile('fresh', { create: true, exclusive: true }).stat().size).toBe(0);
  });

  it('refuses anything but a regular file, never following a symlink (the syscall layer chooses EISDIR/ELOOP before)', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/dir');
    vol.writeFileSync('/file', 'x');
    vol.symlinkSync('file', '/link');
    vol.symlinkSync('created-through-link', '/dangling');
    expectErrno(() => root.openFile('dir', {}), Errno.ENXIO);
    expectErrno(() => root.openFile('dir', { create: true }), Errno.ENXIO);
    expectErrno(() => root.openFile('link', {}), Errno.ENXIO);
    expectErrno(() => root.openFile('link', { create: true, truncate: true, write: true }), Errno.ENXIO);
    expectErrno(() => root.openFile('dangling', { create: true, write: true }), Errno.ENXIO);
    expect(vol.readFileSync('/file', 'utf8')).toBe('x');
    expect(vol.existsSync('/created-through-link')).toBe(false);
  });

  it('truncates to length 0 and stamps mtim', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', 'some bytes');
    vol.utimesSync('/f', 1000, 1000);
    const before = nowNs();
    const f = root.openFile('f', { truncate: true, write: true });
    expect(f.array.len()).toBe(0);
    expect(f.stat().size).toBe(0);
    expect(f.stat().mtim).toBeGreaterThanOrEqual(before);
    expect(vol.readFileSync('/f', 'utf8')).toBe('');
  });

  it('opens for reading only unless the caller means to write (memfs checks permissions)', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/ro', 'locked');
    vol.chmodSync('/ro', 0o444);
    expect(read(root, 'ro')).toBe('locked');
    expectErrno(() => root.openFile('ro', { write: true }), Errno.EACCES);
    expectErrno(() => root.openFile('ro', { truncate: true }), Errno.EACCES);
    expect(vol.readFileSync('/ro', 'utf8')).toBe('locked');
  });
});

describe('files over memfs fds', () => {
  it('reads and writes at explicit positions, holes read as zeros, short only at the end', () => {
    const { root } = setup();
    const f = root.openFile('f', { create: true, write: true });
    expect(f.array.writeAt(bytes('abc'), 0)).toBe(3);
    expect(f.array.writeAt(bytes('Z'), 10)).toBe(1);
    expect(f.array.len()).toBe(11);
    const out = new Uint8Array(20).fill(0x55);
    expect(f.array.readAt(out, 0)).toBe(11);
    expect([...out.subarray(0, 11)]).toEqual([97, 98, 99, 0, 0, 0, 0, 0, 0, 0, 90]);
    expect(f.array.readAt(out, 11)).toBe(0);
    expect(f.array.readAt(out, 100)).toBe(0);
    f.array.setLen(2);
    expect(f.array.len()).toBe(2);
    expect(f.stat().size).toBe(2);
    f.array.setLen(5);
    const back = new Uint8Array(5);
    f.array.readAt(back, 0);
    expect([...back]).toEqual([97, 98, 0, 0, 0]);
  });

  it('passes the caller\'s own buffers to readSync and writeSync (no copy)', () => {
    const { proxy, named } = spied();
    const root = memfsDirectory(proxy);
    const f = root.openFile('f', { create: true, write: true });
    const from = bytes('0123456789').subarray(2, 8);
    f.array.writeAt(from, 4);
    const writes = named('writeSync');
    expect(writes.length).toBe(1);
    expect(writes[0]![1]).toBe(from);
    expect(writes[0]!.slice(2)).toEqual([0, 6, 4]);
    const into = new Uint8Array(16).subarray(3, 9);
    expect(f.array.readAt(into, 4)).toBe(6);
    const reads = named('readSync');
    expect(reads[0]![1]).toBe(into);
    expect(text(into)).toBe('234567');
  });

  it('maps setLen, len, flush and close to ftruncateSync, fstatSync, fsync/fdatasync, closeSync', () => {
    const { proxy, named } = spied();
    const root = memfsDirectory(proxy);
    const f = root.openFile('f', { create: true, write: true });
    f.array.setLen(7);
    expect(named('ftruncateSync').map((a) => a[1])).toEqual([7]);
    expect(f.array.len()).toBe(7);
    expect(named('fstatSync').length).toBeGreaterThan(0);
    f.array.flush('data');
    expect(named('fdatasyncSync').length).toBe(1);
    f.array.flush();
    f.array.flush('all');
    expect(named('fsyncSync').length).toBe(2);
    const opened = named('ftruncateSync')[0]![0];
    f.close?.();
    f.close?.(); // a second close does nothing
    expect(named('closeSync').map((a) => a[0])).toEqual([opened]);
  });

  it('is unusable after close, even when memfs hands the fd number out again', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/a', 'aaaa');
    vol.writeFileSync('/b', 'bbbb');
    const a = root.openFile('a', { write: true });
    a.close?.();
    const b = root.openFile('b', { write: true });
    expectErrno(() => a.array.readAt(new Uint8Array(4), 0), Errno.EBADF);
    expectErrno(() => a.array.writeAt(bytes('X'), 0), Errno.EBADF);
    expectErrno(() => a.array.len(), Errno.EBADF);
    expectErrno(() => a.array.setLen(0), Errno.EBADF);
    expectErrno(() => a.array.flush(), Errno.EBADF);
    expectErrno(() => a.stat(), Errno.EBADF);
    expectErrno(() => a.setTimes(1n, 1n), Errno.EBADF);
    expect(vol.readFileSync('/b', 'utf8')).toBe('bbbb');
    expect(b.array.len()).toBe(4);
  });

  it('stamps mtim on writeAt and setLen, not on reads', () => {
    const { root } = setup();
    const f = root.openFile('f', { create: true, write: true });
    const old = 1_000_000_000n * 1_000_000_000n; // 2001-09-09
    f.setTimes(old, old);
    const before = nowNs();
    f.array.writeAt(bytes('abc'), 0);
    expect(f.stat().mtim).toBeGreaterThanOrEqual(before);
    expect(f.stat().ctim).toBeGreaterThanOrEqual(before);
    f.setTimes(old, old);
    f.array.setLen(10);
    expect(f.stat().mtim).toBeGreaterThanOrEqual(before);
    f.setTimes(old, old);
    f.array.readAt(new Uint8Array(10), 0);
    expect(f.stat().mtim).toBe(old);
  });
});

describe('times', () => {
  it('stores whole milliseconds in memfs and reports the exact time set', () => {
    const { vol, root } = setup();
    const f = root.openFile('f', { create: true });
    const before = nowNs();
    f.setTimes(1_234_567_891_234_567_891n, 42n);
    expect(vol.statSync('/f').atimeMs).toBe(1_234_567_891_234);
    expect(f.stat()).toMatchObject({ atim: 1_234_567_891_234_567_891n, mtim: 42n });
    expect(f.stat().ctim).toBeGreaterThanOrEqual(before);
    expect(root.stat('f')).toMatchObject({ atim: 1_234_567_891_234_567_891n, mtim: 42n });
  });

  it('round-trips times to the nanosecond, every millisecond exactly (memfs multiplies seconds by 1000 in floating point)', () => {
    const { root } = setup();
    const f = root.openFile('f', { create: true });
    // Spread over the whole u64 nanosecond range, including values whose ms / 1000 * 1000 is
    // just below ms in floating point.
    for (let i = 0; i < 2000; i++) {
      const ms = BigInt(Math.floor(((i * 7_919) % 2000) * 9_000_000_000 + i * 1_234_567));
      const ns = ms * MS + BigInt(i % 1_000_000);
      f.setTimes(ns, ns);
      expect(f.stat().atim).toBe(ns);
      expect(f.stat().mtim).toBe(ns);
      root.setTimes('f', ns + 1n, undefined);
      expect(root.stat('f').atim).toBe(ns + 1n);
    }
  });

  it('reports memfs\'s own time once something else changed it', () => {
    const { vol, root } = setup();
    const f = root.openFile('f', { create: true, write: true });
    f.setTimes(7_000n * MS + 123n, 8_000n * MS + 456n);
    expect(f.stat().mtim).toBe(8_000n * MS + 456n);
    vol.utimesSync('/f', 9, 10);
    expect(f.stat()).toMatchObject({ atim: 9_000n * MS, mtim: 10_000n * MS });
  });

  it('sets now, or leaves a time unchanged', () => {
    const { root } = setup();
    const f = root.openFile('f', { create: true });
    f.setTimes(5_000n * MS, 6_000n * MS);
    const before = nowNs();
    f.setTimes(undefined, 'now');
    const after = nowNs();
    expect(f.stat().atim).toBe(5_000n * MS);
    expect(f.stat().mtim >= before && f.stat().mtim <= after).toBe(true);
    f.setTimes('now', undefined);
    expect(f.stat().atim >= before).toBe(true);
    const st = f.stat();
    f.setTimes(undefined, undefined);
    expect(f.stat()).toEqual(st);
  });

  it('sets times by name without following a symlink, and on the directory itself', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', '');
    vol.symlinkSync('f', '/l');
    vol.utimesSync('/f', 1, 1);
    root.setTimes('l', 11n * MS, 12n * MS);
    expect(root.stat('l')).toMatchObject({ atim: 11n * MS, mtim: 12n * MS });
    expect(root.stat('f')).toMatchObject({ atim: 1_000n * MS, mtim: 1_000n * MS });
    const before = nowNs();
    root.setTimes('f', 'now', 99n * MS);
    expect(root.stat('f').mtim).toBe(99n * MS);
    expect(root.stat('f').atim).toBeGreaterThanOrEqual(before);
    expectErrno(() => root.setTimes('missing', 1n, 1n), Errno.ENOENT);
    root.setTimesSelf(21n * MS, 22n * MS);
    expect(root.statSelf()).toMatchObject({ mtim: 22n * MS });
    expect(vol.lstatSync('/').mtimeMs).toBe(22);
  });

  it('updates a directory mtim and ctim when entries are added or removed', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/top');
    const top = root.openDir('top');
    const steps: (() => void)[] = [
      () => top.openFile('f', { create: true }),
      () => top.mkdir('d'),
      () => top.symlink('f', 'l'),
      () => top.link('f', top, 'g'),
      () => top.unlink('g'),
      () => top.rmdir('d'),
      () => top.rename('f', top, 'h'),
    ];
    for (const step of steps) {
      top.setTimesSelf(1n * MS, 1n * MS);
      const before = nowNs();
      step();
      const st = top.statSelf();
      expect(st.mtim).toBeGreaterThanOrEqual(before);
      expect(st.ctim).toBeGreaterThanOrEqual(before);
    }
  });
});

describe('stat', () => {
  it('is lstat: a symlink reports itself, with its target byte length as size', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', '12345');
    root.symlink('f-é', 'l');
    expect(root.stat('f')).toMatchObject({ type: 'regular-file', size: 5, nlink: 1 });
    expect(root.stat('l')).toMatchObject({ type: 'symbolic-link', size: 4, nlink: 1 });
    expect(root.stat('l').ino).not.toBe(root.stat('f').ino);
    expectErrno(() => root.stat('missing'), Errno.ENOENT);
  });

  it('reports the file stat of an open file', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', 'abc');
    const f = root.openFile('f', {});
    expect(f.stat()).toEqual(root.stat('f'));
    expect(f.stat()).toMatchObject({ type: 'regular-file', size: 3, nlink: 1 });
  });
});

describe('openDir and mkdir', () => {
  it('opens subdirectories; ENOENT, ENOTDIR on a file, ELOOP on a symlink', () => {
    const { vol, root } = setup();
    root.mkdir('d');
    vol.writeFileSync('/f', '');
    vol.symlinkSync('d', '/l');
    const d = root.openDir('d');
    write(d, 'inner', 'data');
    expect(vol.readFileSync('/d/inner', 'utf8')).toBe('data');
    expect(d.statSelf().ino).toBe(root.stat('d').ino);
    expect(d.readOnly).toBe(false);
    expectErrno(() => root.openDir('missing'), Errno.ENOENT);
    expectErrno(() => root.openDir('f'), Errno.ENOTDIR);
    expectErrno(() => root.openDir('l'), Errno.ELOOP);
  });

  it('mkdir refuses an existing name of any kind with EEXIST', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/d');
    vol.writeFileSync('/f', '');
    vol.symlinkSync('nowhere', '/l');
    for (const name of ['d', 'f', 'l']) expectErrno(() => root.mkdir(name), Errno.EEXIST);
    expect(root.stat('f').type).toBe('regular-file');
    expect(vol.existsSync('/nowhere')).toBe(false);
  });
});

describe('rmdir', () => {
  it('removes an empty directory; ENOENT, ENOTDIR (also for a symlink), ENOTEMPTY', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/empty');
    vol.mkdirSync('/full');
    vol.writeFileSync('/full/x', '');
    vol.writeFileSync('/f', '');
    vol.symlinkSync('empty', '/l');
    expectErrno(() => root.rmdir('missing'), Errno.ENOENT);
    expectErrno(() => root.rmdir('f'), Errno.ENOTDIR);
    expectErrno(() => root.rmdir('l'), Errno.ENOTDIR);
    expectErrno(() => root.rmdir('full'), Errno.ENOTEMPTY);
    root.rmdir('empty');
    expect(vol.existsSync('/empty')).toBe(false);
    expect(vol.existsSync('/full/x')).toBe(true);
  });

  it('leaves a held handle to a removed directory empty and refusing creations', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/gone');
    vol.writeFileSync('/f', '');
    const gone = root.openDir('gone');
    root.rmdir('gone');
    expectErrno(() => gone.openFile('new', { create: true }), Errno.ENOENT);
    expectErrno(() => gone.mkdir('sub'), Errno.ENOENT);
    expectErrno(() => gone.symlink('x', 'l'), Errno.ENOENT);
    expectErrno(() => root.link('f', gone, 'g'), Errno.ENOENT);
    expectErrno(() => root.rename('f', gone, 'g'), Errno.ENOENT);
    expect([...gone.entries()]).toEqual([]);
    expect(vol.existsSync('/f')).toBe(true);
  });
});

describe('unlink', () => {
  it('removes a non-directory; ENOENT, EISDIR', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', '');
    vol.symlinkSync('f', '/l');
    vol.mkdirSync('/d');
    expectErrno(() => root.unlink('missing'), Errno.ENOENT);
    expectErrno(() => root.unlink('d'), Errno.EISDIR);
    root.unlink('l');
    expect(vol.existsSync('/l')).toBe(false);
    expect(vol.existsSync('/f')).toBe(true);
    root.unlink('f');
    expect(vol.existsSync('/f')).toBe(false);
    expect(vol.existsSync('/d')).toBe(true);
  });

  it('keeps an unlinked file readable and writable through its open FileNode', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', 'before');
    const f = root.openFile('f', { write: true });
    root.unlink('f');
    expect(vol.existsSync('/f')).toBe(false);
    expect(f.stat().nlink).toBe(0);
    f.array.writeAt(bytes('after!'), 6);
    const out = new Uint8Array(12);
    expect(f.array.readAt(out, 0)).toBe(12);
    expect(text(out)).toBe('beforeafter!');
    expect(f.stat().size).toBe(12);
    // A new file under the old name is a different file. (memfs may give it the same ino: it
    // recycles the number of an unlinked inode even while it is still open.)
    write(root, 'f', 'new');
    expect(read(root, 'f')).toBe('new');
    expect(f.array.len()).toBe(12);
  });
});

describe('link', () => {
  it('shares the inode and data, and counts links', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/d');
    vol.writeFileSync('/a', 'one');
    const d = root.openDir('d');
    root.link('a', d, 'b');
    expect(root.stat('a').nlink).toBe(2);
    expect(d.stat('b').ino).toBe(root.stat('a').ino);
    write(d, 'b', 'two');
    expect(vol.readFileSync('/a', 'utf8')).toBe('two');
    root.unlink('a');
    expect(d.stat('b').nlink).toBe(1);
    expect(read(d, 'b')).toBe('two');
  });

  it('links a symlink itself, not its target', () => {
    const { vol, root } = setup();
    vol.symlinkSync('target', '/l');
    root.link('l', root, 'l2');
    expect(root.readlink('l2')).toBe('target');
    expect(root.stat('l2').ino).toBe(root.stat('l').ino);
    expect(root.stat('l').nlink).toBe(2);
  });

  it('reports ENOENT, EEXIST, EPERM and EXDEV', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/a', '');
    vol.writeFileSync('/b', '');
    vol.mkdirSync('/d');
    expectErrno(() => root.link('missing', root, 'x'), Errno.ENOENT);
    expectErrno(() => root.link('a', root, 'b'), Errno.EEXIST);
    expectErrno(() => root.link('a', root, 'd'), Errno.EEXIST);
    expectErrno(() => root.link('d', root, 'd2'), Errno.EPERM);
    expectErrno(() => root.link('a', memfsDirectory(new Volume()), 'x'), Errno.EXDEV);
    expectErrno(() => root.link('a', new MemoryFS().root, 'x'), Errno.EXDEV);
    const foreign = { readOnly: false } as unknown as Directory;
    expectErrno(() => root.link('a', foreign, 'x'), Errno.EXDEV);
    expect(root.stat('a').nlink).toBe(1);
    expect(vol.existsSync('/d2')).toBe(false);
  });

  it('works between two mounts of the same volume', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/other');
    vol.writeFileSync('/a', 'shared');
    const other = memfsDirectory(vol, '/other');
    root.link('a', other, 'b');
    expect(vol.readFileSync('/other/b', 'utf8')).toBe('shared');
    other.rename('b', root, 'c');
    expect(root.stat('c').ino).toBe(root.stat('a').ino);
  });
});

describe('symlink and readlink', () => {
  it('stores the target text verbatim and never follows it', () => {
    const { vol, root } = setup();
    root.symlink('../../outside/x', 'l');
    expect(root.readlink('l')).toBe('../../outside/x');
    expect(vol.readlinkSync('/l')).toBe('../../outside/x');
    expect([...root.entries()]).toEqual([{ name: 'l', type: 'symbolic-link', ino: root.stat('l').ino }]);
  });

  it('reports EEXIST, EINVAL and ENOENT', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', '');
    vol.mkdirSync('/d');
    vol.symlinkSync('f', '/l');
    for (const name of ['f', 'd', 'l']) expectErrno(() => root.symlink('x', name), Errno.EEXIST);
    expectErrno(() => root.symlink('', 'empty'), Errno.ENOENT);
    expect(root.readlink('l')).toBe('f');
    expectErrno(() => root.readlink('f'), Errno.EINVAL);
    expectErrno(() => root.readlink('d'), Errno.EINVAL);
    expectErrno(() => root.readlink('missing'), Errno.ENOENT);
  });
});

describe('rename', () => {
  it('moves a file to a new name and directory', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/d');
    vol.writeFileSync('/a', 'data');
    const ino = root.stat('a').ino;
    root.rename('a', root.openDir('d'), 'b');
    expect(vol.existsSync('/a')).toBe(false);
    expect(root.openDir('d').stat('b').ino).toBe(ino);
    expect(vol.readFileSync('/d/b', 'utf8')).toBe('data');
    expectErrno(() => root.rename('a', root, 'c'), Errno.ENOENT);
  });

  it('moves a symlink itself: same inode, the target stays where it is', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/target', 'T');
    vol.symlinkSync('target', '/l');
    vol.mkdirSync('/d');
    const ino = root.stat('l').ino;
    root.rename('l', root.openDir('d'), 'moved');
    expect(vol.existsSync('/l')).toBe(false);
    expect(vol.readlinkSync('/d/moved')).toBe('target');
    expect(root.openDir('d').stat('moved')).toMatchObject({ type: 'symbolic-link', ino, nlink: 1 });
    expect(vol.readFileSync('/target', 'utf8')).toBe('T');
    // ... also over an existing file, and a dangling symlink over a symlink.
    vol.writeFileSync('/victim', 'v');
    root.openDir('d').rename('moved', root, 'victim');
    expect(vol.readlinkSync('/victim')).toBe('target');
    vol.symlinkSync('nowhere', '/dangling');
    root.rename('dangling', root, 'victim');
    expect(vol.readlinkSync('/victim')).toBe('nowhere');
    expect(vol.readdirSync('/')).toEqual(['d', 'target', 'victim']);
  });

  it('replaces a file with a file; the replaced inode lives on while open', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/a', 'new');
    vol.writeFileSync('/b', 'old');
    const old = root.openFile('b', {});
    root.rename('a', root, 'b');
    expect(vol.readFileSync('/b', 'utf8')).toBe('new');
    expect(vol.existsSync('/a')).toBe(false);
    expect(old.stat().nlink).toBe(0);
    const out = new Uint8Array(3);
    old.array.readAt(out, 0);
    expect(text(out)).toBe('old');
    expect(names(root)).toEqual(['b']);
  });

  it('replaces an empty directory with a directory and keeps memfs consistent', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/top/src/child', { recursive: true });
    vol.writeFileSync('/top/src/file', 'x');
    vol.mkdirSync('/top/p/dst', { recursive: true });
    const top = root.openDir('top');
    const p = top.openDir('p');
    top.rename('src', p, 'dst');
    expect(vol.readFileSync('/top/p/dst/file', 'utf8')).toBe('x');
    expect(vol.existsSync('/top/src')).toBe(false);
    expect(top.statSelf().nlink).toBe(3); // p only
    expect(p.statSelf().nlink).toBe(3); // dst
    expect(names(p)).toEqual(['dst']);
    // The replaced directory was really removed: p empties and goes away normally.
    vol.rmSync('/top/p/dst', { recursive: true });
    top.rmdir('p');
    expect(names(top)).toEqual([]);
  });

  it('refuses a directory over a non-empty directory with ENOTEMPTY', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/a');
    vol.mkdirSync('/b');
    vol.writeFileSync('/b/keep', '');
    expectErrno(() => root.rename('a', root, 'b'), Errno.ENOTEMPTY);
    expect(vol.existsSync('/a')).toBe(true);
    expect(vol.existsSync('/b/keep')).toBe(true);
  });

  it('refuses a file over a directory (EISDIR) and a directory over a file (ENOTDIR)', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', '');
    vol.mkdirSync('/d');
    vol.symlinkSync('d', '/l');
    expectErrno(() => root.rename('f', root, 'd'), Errno.EISDIR);
    expectErrno(() => root.rename('l', root, 'd'), Errno.EISDIR);
    expectErrno(() => root.rename('d', root, 'f'), Errno.ENOTDIR);
    expectErrno(() => root.rename('d', root, 'l'), Errno.ENOTDIR);
    expect(root.stat('f').type).toBe('regular-file');
    expect(root.stat('d').type).toBe('directory');
    expect(root.stat('l').type).toBe('symbolic-link');
  });

  it('refuses to move a directory into itself or its own subtree (EINVAL)', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/a/b/c', { recursive: true });
    vol.mkdirSync('/ab');
    const a = root.openDir('a');
    const c = a.openDir('b').openDir('c');
    expectErrno(() => root.rename('a', a, 'x'), Errno.EINVAL);
    expectErrno(() => root.rename('a', c, 'x'), Errno.EINVAL);
    expect(vol.existsSync('/a/b/c')).toBe(true);
    // A sibling subtree is fine, also one whose name starts with the same letters.
    root.rename('ab', c, 'ab');
    expect(vol.existsSync('/a/b/c/ab')).toBe(true);
  });

  it('does nothing when both names are the same inode', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/a', 'x');
    root.link('a', root, 'b');
    root.rename('a', root, 'b');
    expect(vol.existsSync('/a')).toBe(true);
    expect(vol.existsSync('/b')).toBe(true);
    expect(root.stat('a').nlink).toBe(2);
    vol.mkdirSync('/d');
    root.rename('d', root, 'd');
    expect(root.stat('d').type).toBe('directory');
    expect(names(root)).toEqual(['a', 'b', 'd']);
  });

  it('is EXDEV to another volume or a non-memfs directory', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/a', '');
    expectErrno(() => root.rename('a', memfsDirectory(new Volume()), 'a'), Errno.EXDEV);
    expectErrno(() => root.rename('a', new MemoryFS().root, 'a'), Errno.EXDEV);
    const foreign = { readOnly: false } as unknown as Directory;
    expectErrno(() => root.rename('a', foreign, 'a'), Errno.EXDEV);
    expect(vol.existsSync('/a')).toBe(true);
  });
});

describe('entries', () => {
  it('lists name, type and ino in memfs order (sorted), without . and ..', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/z', '');
    vol.mkdirSync('/a');
    vol.symlinkSync('z', '/m');
    expect([...root.entries()]).toEqual([
      { name: 'a', type: 'directory', ino: root.stat('a').ino },
      { name: 'm', type: 'symbolic-link', ino: root.stat('m').ino },
      { name: 'z', type: 'regular-file', ino: root.stat('z').ino },
    ]);
    expect(names(root)).toEqual(names(root));
  });

  it('is lazy: an entry removed before it is reached is not listed', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/a', '');
    vol.writeFileSync('/b', '');
    const it = root.entries()[Symbol.iterator]();
    expect(it.next().value?.name).toBe('a');
    root.unlink('b');
    expect(it.next().done).toBe(true);
  });

  it('lists 3000 files, each once, in a stable order', () => {
    const { root } = setup();
    const want: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const name = `file-${(i * 7919) % 3000}`;
      want.push(name);
      root.openFile(name, { create: true, exclusive: true }).close?.();
    }
    const list = [...root.entries()];
    expect(list.length).toBe(3000);
    expect(list.map((e) => e.name)).toEqual([...want].sort());
    expect(names(root)).toEqual(list.map((e) => e.name));
    expect(new Set(list.map((e) => e.ino)).size).toBe(3000);
    expect(list.every((e) => e.type === 'regular-file')).toBe(true);
  });
});

describe('read-only mount', () => {
  function roSetup() {
    const vol = new Volume();
    vol.writeFileSync('/f', 'data');
    vol.mkdirSync('/d');
    vol.mkdirSync('/empty');
    vol.symlinkSync('f', '/l');
    return { vol, root: memfsDirectory(vol), ro: memfsDirectory(vol, '/', { readOnly: true }) };
  }

  it('reads the same tree, including later changes', () => {
    const { vol, root, ro } = roSetup();
    expect(ro.readOnly).toBe(true);
    expect(ro.statSelf().ino).toBe(root.statSelf().ino);
    expect(read(ro, 'f')).toBe('data');
    expect(ro.readlink('l')).toBe('f');
    expect(ro.stat('d').type).toBe('directory');
    vol.writeFileSync('/d/new', 'x');
    const d = ro.openDir('d');
    expect(d.readOnly).toBe(true);
    expect(names(d)).toEqual(['new']);
  });

  it('refuses every directory mutation with EROFS and changes nothing', () => {
    const { vol, root, ro } = roSetup();
    const rod = ro.openDir('d');
    const before = vol.toJSON();
    const stBefore = root.statSelf();
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
      () => ro.link('f', root, 'g'),
      () => root.link('f', ro, 'g'),
      () => ro.rename('f', ro, 'g'),
      () => ro.rename('f', root, 'g'),
      () => root.rename('f', rod, 'g'),
      () => rod.mkdir('x'),
    ];
    for (const attempt of attempts) expectErrno(attempt, Errno.EROFS);
    expect(vol.toJSON()).toEqual(before);
    expect(vol.readdirSync('/')).toEqual(['d', 'empty', 'f', 'l']);
    const st = root.statSelf();
    expect(st.mtim).toBe(stBefore.mtim);
    expect(st.ctim).toBe(stBefore.ctim);
  });

  it('refuses writes, setLen and setTimes through a file opened from it', () => {
    const { vol, root, ro } = roSetup();
    const f = ro.openFile('f', {});
    expectErrno(() => f.array.writeAt(bytes('X'), 0), Errno.EROFS);
    expectErrno(() => f.array.setLen(0), Errno.EROFS);
    expectErrno(() => f.setTimes(1n, 1n), Errno.EROFS);
    const src = root.openFile('f', {});
    expectErrno(() => src.array.copy(f.array, 0, 0, 4), Errno.EROFS);
    expect(vol.readFileSync('/f', 'utf8')).toBe('data');
    expect(f.array.len()).toBe(4);
    expect(f.stat().size).toBe(4);
    f.array.flush(); // fsync changes nothing: allowed
    write(root, 'f', 'fresh');
    const out = new Uint8Array(5);
    expect(f.array.readAt(out, 0)).toBe(5);
    expect(text(out)).toBe('fresh');
  });
});

describe('error codes', () => {
  /** A volume whose lstatSync throws `error` once `armed` is set. */
  function failing(error: unknown) {
    const vol = new Volume();
    const state = { armed: false };
    const like: MemfsLike = Object.create(vol, {
      lstatSync: {
        value: (path: string, options: { bigint: true }) => {
          if (state.armed) throw error;
          return vol.lstatSync(path, options);
        },
      },
    }) as MemfsLike;
    const root = memfsDirectory(like);
    state.armed = true;
    return root;
  }
  const coded = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

  it('maps every code memfs throws to the WASI errno of the same name', () => {
    // memfs's own table of error codes (fs-core errors.ts).
    const memfsCodes = [
      'EPERM', 'ENOENT', 'EIO', 'EBADF', 'EAGAIN', 'EACCES', 'EBUSY', 'EEXIST', 'EXDEV', 'ENOTDIR',
      'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS',
      'EMLINK', 'ERANGE', 'ENAMETOOLONG', 'ENOSYS', 'ENOTEMPTY', 'ELOOP', 'EPROTO', 'EOVERFLOW',
      'ENOTSUP',
    ] as const;
    for (const code of memfsCodes) {
      expectErrno(() => failing(coded(code)).stat('x'), Errno[code]);
    }
    expectErrno(() => failing(coded('EOPNOTSUPP')).stat('x'), Errno.ENOTSUP);
    expectErrno(() => failing(coded('EWOULDBLOCK')).stat('x'), Errno.EAGAIN);
  });

  it('reports an unknown code by name instead of hiding it as EIO', () => {
    const root = failing(coded('ESOMETHINGNEW'));
    let caught: unknown;
    try {
      root.stat('x');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(WasiError);
    expect((caught as Error).message).toContain('ESOMETHINGNEW');
  });

  it('lets an error without a code propagate unchanged', () => {
    const bug = new TypeError('host bug');
    expect(() => failing(bug).stat('x')).toThrow(bug);
  });

  it('maps real memfs failures: EACCES from permission bits', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/locked', { mode: 0o555 });
    const locked = root.openDir('locked');
    expectErrno(() => locked.mkdir('x'), Errno.EACCES);
    expectErrno(() => locked.openFile('x', { create: true, write: true }), Errno.EACCES);
  });

  it('reports a failed transfer on an open file as an IOError with the errno', () => {
    const vol = new Volume();
    vol.writeFileSync('/f', 'abc');
    const like: MemfsLike = Object.create(vol, {
      writeSync: { value: () => { throw coded('ENOSPC'); } },
    }) as MemfsLike;
    const f: FileNode = memfsDirectory(like).openFile('f', { write: true });
    expectErrno(() => f.array.writeAt(bytes('x'), 0), Errno.ENOSPC);
  });
});
