// The path walk's cost: every component is looked at once (plus those of followed symlinks), so a
// long or deep path costs in proportion to its length, never its square. Counted in Directory
// calls, not in time.
import { describe, expect, it } from 'vitest';
import { Errno, WASI, type Directory } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
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
