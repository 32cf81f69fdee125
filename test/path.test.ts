// The path walk's cost: every component is looked at once (plus those of followed symlinks), so a
// long or deep path costs in proportion to its length, never its square. Counted in Directory
// calls, not in time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Errno, WASI, type Directory } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { nodeDirectory } from 'iotypes/node';
import { guest } from './support/guest.js';

/** path_filestat_get(3, flags, path) from a real wasm guest; returns the errno. */
function statPath(wasi: WASI, path: string, flags = 0): number {
  const g = guest(wasi, { pages: 4, names: ['path_filestat_get'] });
  const len = g.str(128, path);
  return g.call('path_filestat_get', 3, flags, 128, len, 0);
}

/** Wraps a directory (and every directory opened through it) to count the calls made on it. */
function counted(dir: Directory, count: { calls: number }): Directory {
  return new Proxy(dir, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        count.calls++;
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return key === 'openDir' ? counted(out as Directory, count) : out;
      };
    },
  });
}

describe('path walk cost', () => {
  it('grows linearly with repeated "d/.." components', () => {
    const fs = new MemoryFS();
    fs.mkdir('d');
    fs.writeFile('f', 'x');
    const per = (n: number) => {
      const count = { calls: 0 };
      const wasi = new WASI({ preopens: { box: counted(fs.root, count) } });
      const path = `${'d/../'.repeat(n)}f`;
      expect(statPath(wasi, path)).toBe(0);
      return count.calls;
    };
    const small = per(1_000);
    const large = per(20_000);
    expect(large).toBeLessThanOrEqual(small * 20 * 1.1);
    expect(large).toBeGreaterThan(20_000); // every component was looked at
  });

  it('resolves a 400 KB path of "d/../" (80,000 components) without stalling', () => {
    // A walk that re-scanned the rest of the path per component would do 3.2e9 steps here and
    // run past the test's timeout; a linear one does 80,000.
    const fs = new MemoryFS();
    fs.mkdir('d');
    fs.writeFile('f', 'x');
    const wasi = new WASI({ preopens: { box: fs.root } });
    const g = guest(wasi, { pages: 8, names: ['path_filestat_get'] });
    const len = g.str(128, `${'d/../'.repeat(80_000)}f`);
    expect(len).toBe(400_001);
    expect(g.call('path_filestat_get', 3, 0, 128, len, 0)).toBe(0);
    expect(g.u8(16)).toBe(4); // filestat.filetype: regular file
  });

  it('grows linearly with depth', () => {
    const fs = new MemoryFS();
    const deep = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`).join('/');
    fs.mkdir(deep(400), { recursive: true });
    const per = (n: number) => {
      const count = { calls: 0 };
      const wasi = new WASI({ preopens: { box: counted(fs.root, count) } });
      expect(statPath(wasi, deep(n))).toBe(0);
      return count.calls;
    };
    expect(per(400)).toBeLessThanOrEqual(per(100) * 4 * 1.1);
  });

  it('bounds symlink expansion at 40 hops', () => {
    const fs = new MemoryFS();
    fs.symlink('loop', 'loop');
    const wasi = new WASI({ preopens: { box: fs.root } });
    expect(statPath(wasi, 'loop', 1)).toBe(Errno.ELOOP);
  });
});

/** Wraps a directory (and every directory opened through it) to record the calls made on it. */
function logged(dir: Directory, log: string[]): Directory {
  return new Proxy(dir, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        log.push([String(key), ...args.filter((a) => typeof a === 'string')].join(' '));
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return key === 'openDir' ? logged(out as Directory, log) : out;
      };
    },
  });
}

describe('path_open cost', () => {
  const ALL = (1n << 30n) - 1n;
  const FD_READ = 2n;
  const O_CREAT = 1;
  const O_DIRECTORY = 2;
  const FOLLOW = 1;
  function setup() {
    const fs = new MemoryFS();
    fs.mkdir('d');
    fs.writeFile('d/f', 'x');
    fs.symlink('f', 'd/link');
    const log: string[] = [];
    const g = guest(new WASI({ preopens: { box: logged(fs.root, log) } }), { pages: 4, names: ['path_open'] });
    const open = (path: string, oflags = 0, lookup = FOLLOW) => {
      log.length = 0;
      return g.call('path_open', 3, lookup, 128, g.str(128, path), oflags, FD_READ, ALL, 0, 96);
    };
    return { open, log };
  }

  it('opens an existing file, or creates one, with a single call on its name', () => {
    const { open, log } = setup();
    expect(open('d/f')).toBe(0);
    expect(log).toEqual(['openDir d', 'openFile f']); // (memory handles have no close)
    expect(open('d/new', O_CREAT)).toBe(0);
    expect(log).toEqual(['openDir d', 'openFile new']);
  });

  it('looks at the name when the open meets anything else, and answers as before', () => {
    const { open, log } = setup();
    expect(open('d/link')).toBe(0); // a symlink, followed
    expect(log).toContain('readlink link');
    expect(open('d/link', 0, 0)).toBe(Errno.ELOOP); // not followed
    expect(open('d')).toBe(0); // a directory, opened as one
    expect(log).toContain('openDir d');
    expect(open('d/f', O_DIRECTORY)).toBe(Errno.ENOTDIR);
    expect(open('d/missing')).toBe(Errno.ENOENT);
    expect(log.filter((c) => c.startsWith('openFile'))).toEqual(['openFile missing']);
  });

  it('unlinks a file with a single call on its name, and explains a refusal as before', () => {
    const fs = new MemoryFS();
    fs.mkdir('d/sub', { recursive: true });
    fs.writeFile('d/f', 'x');
    const log: string[] = [];
    const g = guest(new WASI({ preopens: { box: logged(fs.root, log) } }), { pages: 4, names: ['path_unlink_file'] });
    const unlink = (path: string) => {
      log.length = 0;
      return g.call('path_unlink_file', 3, 128, g.str(128, path));
    };
    expect(unlink('d/f')).toBe(0);
    expect(log).toEqual(['openDir d', 'unlink f']);
    expect(fs.exists('d/f')).toBe(false);
    expect(unlink('d/sub')).toBe(Errno.EISDIR);
    expect(unlink('d/f')).toBe(Errno.ENOENT);
    expect(unlink('d/sub/')).toBe(Errno.EISDIR);
  });

  it('on a host folder, looks at a name before opening it, so that a FIFO or a device is never opened', () => {
    const work = mkdtempSync(join(tmpdir(), 'iotypes-open-'));
    try {
      writeFileSync(join(work, 'f'), 'x');
      execFileSync('mkfifo', [join(work, 'fifo')]);
      const log: string[] = [];
      const g = guest(new WASI({ preopens: { box: logged(nodeDirectory(work), log) } }), { pages: 4, names: ['path_open'] });
      const open = (path: string, oflags = 0) => {
        log.length = 0;
        return g.call('path_open', 3, FOLLOW, 128, g.str(128, path), oflags, FD_READ, ALL, 0, 96);
      };
      // A writer waiting on the FIFO would see a reader come and go if it were opened.
      expect(open('fifo')).toBe(Errno.ENXIO);
      expect(log).toEqual(['stat fifo']);
      expect(open('f')).toBe(0);
      expect(log).toEqual(['stat f', 'openFile f']);
      // An exclusive creation never opens an existing name: one call.
      expect(open('new', O_CREAT | 4)).toBe(0);
      expect(log).toEqual(['openFile new']);
      expect(open('fifo', O_CREAT | 4)).toBe(Errno.EEXIST);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('path forms', () => {
  // Short ASCII paths and long or non-ASCII ones are decoded and split by different code; each
  // form is tried at both lengths.
  const long = (p: string) => `${'./'.repeat(20)}${p}`;
  const fs = new MemoryFS();
  fs.mkdir('d/é', { recursive: true });
  fs.writeFile('d/é/f', 'x');
  fs.writeFile('d/g', 'x');
  const stat = (path: string) => statPath(new WASI({ preopens: { box: fs.root } }), path);

  it.each([
    ['d/g', 0], ['d//g', 0], ['./d/./g', 0], ['d/', 0], ['d/.', 0], ['d/g/', Errno.ENOTDIR], ['d/é/f', 0],
    ['d/h', Errno.ENOENT], ['/d/g', Errno.ENOTCAPABLE], ['d/../..', Errno.ENOTCAPABLE],
    ['d/\0g', Errno.EINVAL], ['/d\0', Errno.EINVAL], ['d/g\0', Errno.EINVAL],
  ])('%j gives %i', (path, errno) => {
    expect(stat(path)).toBe(errno);
    if (!path.startsWith('/')) expect(stat(long(path))).toBe(errno);
  });

  it('an empty path is ENOENT', () => {
    expect(stat('')).toBe(Errno.ENOENT);
  });
});
