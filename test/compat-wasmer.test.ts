// iotypes/wasmer against @wasmer/wasi 1.2.2: the same API, the same programs, the same results
// except where @wasmer/wasi is wrong (each such fixture is listed in docs/migration.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as original from '@wasmer/wasi';
import * as dropIn from 'iotypes/wasmer';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentedDifferences, meetsSpec, observable, runWasmer, type WasmerLike } from './support/compat.js';
import { fixtureNames, readSpec } from './support/fixtures.js';
import { Guest, guestModule } from './support/guest.js';

/** Fixtures where @wasmer/wasi 1.2.2 is wrong and the drop-in is right. */
const ORIGINAL_WRONG = [
  'close_twice_ebadf', 'fcntl_getfl_accmode', 'fcntl_setfl_append', 'filestat_set_times_keep_nsec',
  'filestat_set_times_now', 'filestat_set_times_omit', 'fstat_file', 'ftruncate_rdonly', 'futimens_nsec',
  'isatty_file', 'isatty_stdout', 'link_hard', 'lseek_negative_einval', 'lseek_past_end_hole', 'lseek_stdin_espipe',
  'lseek_stdout_espipe', 'lstat_symlink', 'mkdir_eexist', 'mkdir_missing_parent', 'nanosleep_elapsed', 'open_append',
  'open_dir_write_eisdir', 'open_dotdot_escape', 'open_dotdot_reenter', 'open_excl', 'open_nofollow_eloop',
  'open_trunc', 'open_trunc_rights', 'path_rights', 'poll_file_ready', 'poll_stdin_hangup', 'poll_stdin_pollin',
  'poll_timeout', 'posix_fallocate_extends', 'pread_pwrite_offset', 'pread_stdin_espipe', 'pwrite_5gib',
  'pwrite_stdout_espipe', 'read_wronly_ebadf', 'readdir_types', 'readlink_truncate', 'rename_dir_over_file',
  'rename_dir_over_nonempty', 'rename_file_over_dir', 'rename_into_own_subdir', 'rename_same_file',
  'stat_trailing_slash_enotdir', 'symlink_absolute_target', 'symlink_dangling', 'symlink_escape_absolute',
  'symlink_escape_relative', 'symlink_follow', 'symlink_readlink', 'unlink_open_file_readable', 'utimensat_nsec',
  'write_rdonly_ebadf', 'writev_readv',
];

const WASMER_TESTS = join(__dirname, '..', 'node_modules', '@wasmer', 'wasi', 'tests');
const wasmerTest = (name: string) => new WebAssembly.Module(readFileSync(join(WASMER_TESTS, `${name}.wasm`)));
const both = [['@wasmer/wasi', original], ['iotypes/wasmer', dropIn]] as const;

beforeAll(async () => {
  await original.init();
  await dropIn.init();
});

describe('iotypes/wasmer: the API of @wasmer/wasi 1.x', () => {
  it('exports every name @wasmer/wasi exports', () => {
    // (`default`, and `module.exports` on Node 23 and later, are how a CommonJS module is seen
    // from an ES module, not exports of the package.)
    const interop = ['default', 'module.exports'];
    for (const name of Object.keys(original).filter((n) => !interop.includes(n))) expect(dropIn, name).toHaveProperty(name);
  });

  it('has every method of WASI, MemFS and JSVirtualFile', () => {
    const methods = (proto: object) => Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor' && n !== '__destroy_into_raw');
    for (const name of methods(original.WASI.prototype)) expect(typeof Object.getOwnPropertyDescriptor(dropIn.WASI.prototype, name), name).toBe('object');
    for (const name of methods(original.MemFS.prototype)) expect(dropIn.MemFS.prototype, name).toHaveProperty(name);
    for (const name of methods(original.JSVirtualFile.prototype)) expect(dropIn.JSVirtualFile.prototype, name).toHaveProperty(name);
  });

  it.each(['demo', 'envvar', 'pipe_reverse'])('runs @wasmer/wasi\'s own %s test program alike', (program) => {
    const got = both.map(([, pkg]) => {
      const wasi = new pkg.WASI(program === 'envvar' ? { env: { DOG: 'X', TEST: 'VALUE', TEST2: 'VALUE2' } } : {});
      wasi.instantiate(wasmerTest(program), {});
      wasi.setStdinString('Hello World!');
      return { code: wasi.start(), stdout: wasi.getStdoutString() };
    });
    expect(got[1]).toEqual(got[0]);
    expect(got[1]!.stdout.length).toBeGreaterThan(0);
  });

  it('lists the MemFS root for @wasmer/wasi\'s mapdir program, folders made by the host included', () => {
    const got = both.map(([, pkg]) => {
      const wasi = new pkg.WASI({});
      wasi.instantiate(wasmerTest('mapdir'), {});
      wasi.fs.createDir('/a');
      wasi.fs.createDir('/b');
      const file = wasi.fs.open('/file', { read: true, write: true, create: true });
      file.writeString('fileContents');
      file.seek(0);
      return { code: wasi.start(), stdout: wasi.getStdoutString() };
    });
    expect(got[1]).toEqual({ code: 0, stdout: '"./a"\n"./b"\n"./file"\n' });
    expect(got[1]).toEqual(got[0]);
  });

  it('takes user imports next to the WASI ones, through instantiate() and through getImports()', () => {
    for (const [, pkg] of both) {
      const calls: string[] = [];
      const external = () => calls.push('external');
      let wasi = new pkg.WASI({});
      wasi.instantiate(wasmerTest('test'), { module: { external } });
      expect(wasi.start()).toBe(0);
      wasi = new pkg.WASI({});
      const imports = wasi.getImports(wasmerTest('test')) as WebAssembly.Imports;
      const instance = new WebAssembly.Instance(wasmerTest('test'), { ...imports, module: { external } });
      expect(wasi.start(instance)).toBe(0);
      expect(calls).toEqual(['external', 'external']);
    }
  });

  it('gives the module the snapshot it imports', () => {
    const wasi = new dropIn.WASI({});
    expect(Object.keys(wasi.getImports(wasmerTest('demo')))).toEqual(['wasi_unstable']);
    expect(Object.keys(wasi.getImports(wasmerTest('envvar')))).toEqual(['wasi_snapshot_preview1']);
  });

  it('reports misuse with @wasmer/wasi\'s messages', () => {
    for (const [, pkg] of both) {
      const wasi = new pkg.WASI({});
      expect(() => wasi.start()).toThrow('You need to provide an instance as argument to `start`, or call `wasi.instantiate` with the `WebAssembly.Instance` manually');
      expect(() => wasi.getImports({} as WebAssembly.Module)).toThrow('You must provide a module to the WASI new');
      expect(() => wasi.instantiate(5 as never)).toThrow('You need to provide a `WebAssembly.Module` or `WebAssembly.Instance` as first argument to `wasi.instantiate`');
      expect(() => new pkg.WASI({ args: [1 as never] })).toThrow('All arguments must be strings');
      expect(() => new pkg.WASI({ env: { a: 1 as never } })).toThrow('All environment values must be strings');
      expect(() => new pkg.WASI({ preopens: { '/x': '/nonexistent' } })).toThrow(/^Failed to create the WasiState: .*"\/nonexistent"/);
    }
  });

  it('reports a trap as @wasmer/wasi does, and the exit code of proc_exit', () => {
    for (const [, pkg] of both) {
      let wasi = new pkg.WASI({});
      wasi.instantiate(new WebAssembly.Module(readFileSync(join(__dirname, '..', 'c-fixtures', 'abort_trap.wasm'))), {});
      expect(() => wasi.start()).toThrow(/^Error while running start function: RuntimeError: .*unreachable/);
      expect(wasi.getStdoutString()).toBe('before abort\n');
      wasi = new pkg.WASI({});
      wasi.instantiate(new WebAssembly.Module(readFileSync(join(__dirname, '..', 'c-fixtures', 'exit_code_3.wasm'))), {});
      expect(wasi.start()).toBe(3);
    }
  });

  it('drains stdout and stderr when they are read, as bytes or text', () => {
    const wasi = new dropIn.WASI({});
    wasi.instantiate(new WebAssembly.Module(readFileSync(join(__dirname, '..', 'c-fixtures', 'stdio_stderr.wasm'))), {});
    expect(wasi.start()).toBe(0);
    expect(new TextDecoder().decode(wasi.getStdoutBuffer())).toBe('this goes to stdout\n');
    expect(wasi.getStdoutString()).toBe('');
    expect(wasi.getStderrString()).toBe('this goes to stderr\n');
    expect(wasi.getStderrBuffer()).toEqual(new Uint8Array(0));
  });

  it('feeds stdin from setStdinBuffer and setStdinString, in order', () => {
    const wasi = new dropIn.WASI({});
    wasi.instantiate(new WebAssembly.Module(readFileSync(join(__dirname, '..', 'c-fixtures', 'stdio_stdin_echo.wasm'))), {});
    wasi.setStdinBuffer(new TextEncoder().encode('héllo '));
    wasi.setStdinString('wörld');
    expect(wasi.start()).toBe(0);
    expect(wasi.getStdoutString()).toBe('héllo wörld');
  });
});

describe('iotypes/wasmer: MemFS', () => {
  it('creates, lists, describes, renames and removes entries', () => {
    const fs = new dropIn.MemFS();
    fs.createDir('/a');
    fs.createDir('/a'); // as @wasmer/wasi: an existing folder is fine (but listed once here)
    fs.createDir('/a/b');
    const f = fs.open('/a/f.txt', { read: true, write: true, create: true });
    expect(f.writeString('héllo')).toBe(6);
    expect(fs.readDir('/a').map((e) => e.path)).toEqual(['/a/b', '/a/f.txt']);
    expect(fs.readDir('/').map((e) => [e.path, e.metadata.filetype])).toEqual([['/a', { dir: true, file: false, symlink: false }]]);
    const meta = fs.metadata('/a/f.txt');
    expect(meta.filetype).toEqual({ dir: false, file: true, symlink: false });
    expect(meta.len).toBe(6n);
    expect(meta.modified).toBeGreaterThan(0n);
    fs.rename('/a/f.txt', '/a/b/g.txt');
    expect(fs.open('/a/b/g.txt', {}).readString()).toBe('héllo');
    expect(() => fs.removeDir('/a/b')).toThrow('Error when removing the dir: directory not empty');
    fs.removeFile('/a/b/g.txt');
    fs.removeDir('/a/b');
    expect(fs.readDir('/a')).toEqual([]);
    expect(dropIn.MemFS.from_js(fs)).toBe(fs);
  });

  it('fails with @wasmer/wasi\'s message prefixes', () => {
    const fs = new dropIn.MemFS();
    expect(() => fs.readDir('/nope')).toThrow(/^Error when reading the dir: entity not found$/);
    expect(() => fs.createDir('/x/y')).toThrow(/^Error when creating the dir: entity not found$/);
    expect(() => fs.open('/missing', { read: true })).toThrow(/^Error when opening the file: entity not found$/);
    expect(() => fs.removeFile('/missing')).toThrow(/^Error when removing the file: /);
    expect(() => fs.rename('/missing', '/x')).toThrow(/^Error when renaming: /);
    fs.open('/f', { write: true, create: true });
    expect(() => fs.open('/f', { write: true, create_new: true })).toThrow('Error when opening the file: file exists');
    expect(() => fs.open('/f', { read: false, write: true }).read()).toThrow(/^Error when reading: permission denied$/);
    expect(() => fs.open('/f', { read: true }).writeString('x')).toThrow(/^Error when writing: permission denied$/);
  });

  it('overwrites in place, where @wasmer/wasi 1.2.2 inserts (which corrupts SQLite databases)', () => {
    const page = (fill: number) => new Uint8Array(4096).fill(fill);
    const results = both.map(([, pkg]) => {
      const fs = new pkg.MemFS();
      const db = fs.open('/db.sqlite', { read: true, write: true, create: true });
      for (const fill of [1, 2, 3, 4]) db.write(page(fill));
      db.seek(4096);
      db.write(page(9)); // rewrite page 2
      db.seek(0);
      const bytes = db.read();
      return { size: db.size(), pages: [0, 1, 2, 3, 4].map((i) => bytes[i * 4096]) };
    });
    expect(results[1]).toEqual({ size: 16384n, pages: [1, 9, 3, 4, undefined] });
    expect(results[0]).toEqual({ size: 20480n, pages: [1, 9, 2, 3, 4] }); // the original's insertion
  });

  it('opens files with Rust OpenOptions semantics: append, truncate, seek past the end, setLength', () => {
    const fs = new dropIn.MemFS();
    const a = fs.open('/log', { write: true, create: true });
    a.writeString('one\n');
    const b = fs.open('/log', { append: true });
    b.seek(0);
    b.writeString('two\n');
    expect(fs.open('/log', {}).readString()).toBe('one\ntwo\n');
    const c = fs.open('/log', { read: true, write: true });
    expect(c.seek(10)).toBe(10);
    c.writeString('!');
    expect(c.size()).toBe(11n);
    c.seek(0);
    expect([...c.read()]).toEqual([...new TextEncoder().encode('one\ntwo\n'), 0, 0, 33]);
    c.setLength(3n);
    expect(fs.open('/log', {}).readString()).toBe('one');
    expect(fs.open('/log', { write: true, truncate: true }).size()).toBe(0n);
    expect(c.lastModified()).toBeGreaterThan(0n);
    expect(c.lastAccessed()).toBeGreaterThan(0n);
    expect(c.createdTime()).toBeGreaterThan(0n);
  });

  it('shares one MemFS between the host and the guest, both ways', () => {
    const fs = new dropIn.MemFS();
    fs.createDir('/data');
    fs.open('/data/in.txt', { write: true, create: true }).writeString('from the host');
    const wasi = new dropIn.WASI({ fs, preopens: { '/data': '/data' } });
    expect(wasi.fs).toBe(fs);
    const g = new Guest(wasi.instantiate(guestModule({ names: ['path_open', 'fd_read', 'fd_write', 'fd_close'] }), {}));
    // fd 3 is "/", fd 4 is "/data"
    const n = g.str(100, 'in.txt');
    expect(g.call('path_open', 4, 0, 100, n, 0, 0x1fffffffn, 0x1fffffffn, 0, 200)).toBe(0);
    g.iovecs(300, [{ ptr: 400, len: 64 }]);
    expect(g.call('fd_read', g.u32(200), 300, 1, 500)).toBe(0);
    expect(g.text(400, g.u32(500))).toBe('from the host');
    const m = g.str(100, 'data/out.txt');
    expect(g.call('path_open', 3, 0, 100, m, 1, 0x1fffffffn, 0x1fffffffn, 0, 200)).toBe(0);
    g.iovecs(300, [{ ptr: 400, len: g.str(400, 'from the guest') }]);
    expect(g.call('fd_write', g.u32(200), 300, 1, 500)).toBe(0);
    expect(fs.open('/data/out.txt', {}).readString()).toBe('from the guest');
  });

  it('lets the guest create, rename and remove in its "/", which @wasmer/wasi 1.2.2 refuses', () => {
    const names = ['path_create_directory', 'path_open', 'fd_write', 'path_rename'];
    const results = both.map(([, pkg]) => {
      const fs = new pkg.MemFS();
      fs.createDir('/app');
      const wasi = new pkg.WASI({ fs: fs as never, preopens: { '/': '/app' } });
      const g = new Guest(wasi.instantiate(guestModule({ names }), {}));
      const errnos = {
        mkdir: g.call('path_create_directory', 3, 100, g.str(100, 'newdir')),
        create: g.call('path_open', 3, 0, 100, g.str(100, 'file.txt'), 1, 0x1fffffffn, 0x1fffffffn, 0, 200),
        rename: g.call('path_rename', 3, 100, g.str(100, 'file.txt'), 3, 150, g.str(150, 'moved.txt')),
      };
      return { errnos, fs };
    });
    const [orig, ours] = results as [(typeof results)[0], (typeof results)[0]];
    expect(ours.errnos).toEqual({ mkdir: 0, create: 0, rename: 0 });
    expect(ours.fs.readDir('/app').map((e) => e.path)).toEqual(['/app/newdir', '/app/moved.txt']);
    expect(orig.errnos.mkdir).not.toBe(0); // EACCES
    expect(orig.errnos.rename).not.toBe(0); // ENOTCAPABLE
  });
});

describe('c-fixtures through @wasmer/wasi and through iotypes/wasmer', () => {
  const names = fixtureNames();
  it('lists exactly these differences in docs/migration.md', () => {
    expect(documentedDifferences('@wasmer/wasi').sort()).toEqual([...ORIGINAL_WRONG].sort());
  });
  for (const name of names) {
    it(name, () => {
      const spec = readSpec(name);
      const orig = runWasmer(original as unknown as WasmerLike, name, spec);
      const ours = runWasmer(dropIn as unknown as WasmerLike, name, spec);
      if (ORIGINAL_WRONG.includes(name)) {
        expect(meetsSpec(ours, spec), `iotypes/wasmer: ${ours.stderr}`).toBe(true);
        expect(meetsSpec(orig, spec), '@wasmer/wasi now passes: remove it from the differences').toBe(false);
      } else {
        expect(observable(ours)).toEqual(observable(orig));
      }
    });
  }
});
