// Layer: tests. Imports memfs and the public packages `iotypes` and `iotypes/memfs`.
// The memfs backend's own behaviour: mounting, a volume shared by host and guest, inodes as
// memfs numbers them, files over memfs fds, exact times over memfs's milliseconds, held handles
// that follow their path, listing order and laziness, and the error-code table. What every
// Directory promises is the contract suite (test/directory-contract.test.ts), which runs on this
// backend too.

import { describe, expect, it } from 'vitest';
import { Volume } from 'memfs';
import { Errno, WasiError, type Directory, type Errno as ErrnoValue, type FileNode } from 'iotypes';
import { memfsDirectory, type MemfsLike } from 'iotypes/memfs';

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
  it('reports dev and ino as memfs numbers them', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', 'x');
    vol.mkdirSync('/d');
    vol.symlinkSync('f', '/l');
    for (const name of ['f', 'd', 'l']) {
      const st = vol.lstatSync(`/${name}`);
      expect(root.stat(name).ino).toBe(BigInt(st.ino));
      expect(root.stat(name).dev).toBe(BigInt(st.dev));
    }
  });
});

describe('openFile', () => {
  it('stamps mtim when it truncates', () => {
    const { vol, root } = setup();
    vol.writeFileSync('/f', 'some bytes');
    vol.utimesSync('/f', 1000, 1000);
    const before = nowNs();
    const f = root.openFile('f', { truncate: true, write: true });
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

describe('rmdir', () => {
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

describe('link', () => {
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

describe('rename', () => {
  it('replaces an empty directory and leaves memfs consistent (memfs\'s own rename would not)', () => {
    const { vol, root } = setup();
    vol.mkdirSync('/top/src/child', { recursive: true });
    vol.writeFileSync('/top/src/file', 'x');
    vol.mkdirSync('/top/p/dst', { recursive: true });
    const top = root.openDir('top');
    const p = top.openDir('p');
    top.rename('src', p, 'dst');
    expect(vol.readFileSync('/top/p/dst/file', 'utf8')).toBe('x');
    expect(vol.existsSync('/top/src')).toBe(false);
    // The replaced directory was really removed: p empties and goes away normally.
    vol.rmSync('/top/p/dst', { recursive: true });
    top.rmdir('p');
    expect(names(top)).toEqual([]);
  });
});

describe('entries', () => {
  it('lists entries in memfs order (sorted)', () => {
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
