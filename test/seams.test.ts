// The seams compat/ builds on, through the public entries: WASI's `fds` option of descriptor
// specs, `attach(memory)` and `fileCursor`; MemoryFS's per-file read-only flag; the browser
// backends (iotypes/browser); and the shared host helpers (error table, file types, EAGAIN wait).
import { describe, expect, it } from 'vitest';
import {
  anonymous, Errno, fileTypeOfCode, fromArray, toArray, WASI, WasiError, type FileFdSpec,
} from 'iotypes';
import { ConsoleOutput, OpfsArray, splitLines } from 'iotypes/browser';
import { memfsDirectory } from 'iotypes/memfs';
import { MemoryFS } from 'iotypes/memory';
import { Volume } from 'memfs';
import { ERRNO_OF_CODE, fileTypeOf, waitIfWouldBlock } from 'iotypes/node';
import { Guest, guestModule } from './support/guest.js';
import { FakeHandle } from './support/opfs.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const FD_WRITE = 1n << 6n;
const WHENCE_SET = 0;
const PREOPEN_DIR = 0;

/** A guest over `wasi` whose memory is attached with `attach` (no _start, no _initialize). */
function attached(wasi: WASI): Guest {
  const instance = new WebAssembly.Instance(guestModule(), wasi.getImportObject());
  wasi.attach(instance.exports['memory'] as WebAssembly.Memory);
  return new Guest(instance);
}

function contents(a: { len(): number; readAt(into: Uint8Array, at: number): number }): string {
  const b = new Uint8Array(a.len());
  a.readAt(b, 0);
  return dec.decode(b);
}

describe('WASI: the fds option', () => {
  it('builds exactly the table it lists, holes included', () => {
    const fs = new MemoryFS();
    fs.writeFile('f.txt', 'hello world');
    const out = anonymous();
    const file: FileFdSpec = { type: 'file', file: fs.root.openFile('f.txt', { write: true }), cursor: 6 };
    const wasi = new WASI({
      fds: [undefined, { type: 'stream', output: toArray(out) }, null, { type: 'directory', dir: fs.root, preopen: '/data' }, file],
    });
    const g = attached(wasi);
    expect(g.call('fd_fdstat_get', 0, 400)).toBe(Errno.EBADF);
    expect(g.call('fd_fdstat_get', 2, 400)).toBe(Errno.EBADF);
    expect(g.call('fd_fdstat_get', 5, 400)).toBe(Errno.EBADF);
    // fd 3 is a preopen named "/data".
    expect(g.call('fd_prestat_get', 3, 400)).toBe(0);
    expect(g.view().getUint8(400)).toBe(PREOPEN_DIR);
    expect(g.view().getUint32(404, true)).toBe(5);
    // fd 4 reads from its starting cursor, and fileCursor follows it.
    g.iovecs(200, [{ ptr: 300, len: 64 }]);
    expect(g.call('fd_read', 4, 200, 1, 400)).toBe(0);
    expect(g.text(300, g.view().getUint32(400, true))).toBe('world');
    expect(wasi.fileCursor(file)).toBe(11);
    expect(g.call('fd_seek', 4, 2n, WHENCE_SET, 400)).toBe(0);
    // ... also after the guest closed it.
    expect(g.call('fd_close', 4)).toBe(0);
    expect(wasi.fileCursor(file)).toBe(2);
    // fd 1 writes to the stream it was given.
    g.iovecs(200, [{ ptr: 300, len: g.str(300, 'out') }]);
    expect(g.call('fd_write', 1, 200, 1, 400)).toBe(0);
    expect(contents(out)).toBe('out');
  });

  it('gives a file spec with writable: false no write right', () => {
    const fs = new MemoryFS();
    fs.writeFile('f.txt', 'keep');
    const wasi = new WASI({ fds: [{ type: 'file', file: fs.root.openFile('f.txt', {}), writable: false }] });
    const g = attached(wasi);
    expect(g.call('fd_fdstat_get', 0, 400)).toBe(0);
    expect(g.view().getBigUint64(408, true) & FD_WRITE).toBe(0n);
    g.iovecs(200, [{ ptr: 300, len: g.str(300, 'x') }]);
    expect(g.call('fd_write', 0, 200, 1, 400)).not.toBe(0);
    expect(fs.readFile('f.txt')).toEqual(enc.encode('keep'));
  });

  it('refuses fds together with the options it replaces, and unknown spec types', () => {
    expect(() => new WASI({ fds: [], stdin: fromArray(anonymous(), 0) })).toThrow(/fds option replaces stdin/);
    expect(() => new WASI({ fds: [], preopens: {} })).toThrow(/fds option replaces preopens/);
    expect(() => new WASI({ fds: [{ type: 'pipe' } as never] })).toThrow(/unknown descriptor type "pipe"/);
    const fs = new MemoryFS();
    fs.writeFile('f', '');
    expect(() => new WASI({ fds: [{ type: 'file', file: fs.root.openFile('f', {}), cursor: -1 }] })).toThrow(/cursor must be a non-negative/);
  });

  it('fileCursor refuses a spec it did not make a descriptor from', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', '');
    const spec: FileFdSpec = { type: 'file', file: fs.root.openFile('f', {}) };
    expect(() => new WASI().fileCursor(spec)).toThrow(/not a file descriptor spec/);
  });
});

describe('WASI.attach', () => {
  it('attaches the memory once and runs nothing; start and initialize then refuse', () => {
    const wasi = new WASI({ args: ['prog'] });
    const g = attached(wasi);
    expect(g.call('args_sizes_get', 400, 404)).toBe(0);
    expect(g.view().getUint32(400, true)).toBe(1);
    const memory = g.instance.exports['memory'] as WebAssembly.Memory;
    expect(() => wasi.attach(memory)).toThrow(/already been started/);
    expect(() => wasi.initialize(g.instance)).toThrow(/already been started/);
  });

  it('refuses what is not a WebAssembly.Memory', () => {
    expect(() => new WASI().attach({} as WebAssembly.Memory)).toThrow(TypeError);
  });
});

describe('MemoryFS.setReadOnly', () => {
  it('makes writable opens of the file EPERM by any name, and can be undone', () => {
    const fs = new MemoryFS();
    fs.writeFile('a', 'data');
    fs.root.link('a', fs.root, 'b');
    fs.setReadOnly(fs.root, 'a');
    for (const name of ['a', 'b']) {
      expect(() => fs.root.openFile(name, { write: true })).toThrow(expect.objectContaining({ errno: Errno.EPERM }));
      expect(() => fs.root.openFile(name, { truncate: true })).toThrow(expect.objectContaining({ errno: Errno.EPERM }));
      expect(contents(fs.root.openFile(name, {}).array)).toBe('data');
    }
    fs.setReadOnly(fs.root, 'b', false);
    fs.root.openFile('a', { write: true }).array.writeAt(enc.encode('D'), 0);
    expect(dec.decode(fs.readFile('a'))).toBe('Data');
  });

  it('takes only regular files named through a handle on the same file system', () => {
    const fs = new MemoryFS();
    fs.mkdir('d');
    fs.symlink('d', 'l');
    expect(() => fs.setReadOnly(fs.root, 'd')).toThrow(expect.objectContaining({ errno: Errno.EISDIR }));
    expect(() => fs.setReadOnly(fs.root, 'l')).toThrow(expect.objectContaining({ errno: Errno.EINVAL }));
    expect(() => fs.setReadOnly(fs.root, 'missing')).toThrow(expect.objectContaining({ errno: Errno.ENOENT }));
    expect(() => fs.setReadOnly(new MemoryFS().root, 'd')).toThrow(expect.objectContaining({ errno: Errno.EXDEV }));
  });
});

describe('iotypes/browser', () => {
  it('OpfsArray reads and writes the handle in place, completing short reads and writes', () => {
    const h = new FakeHandle();
    const a = new OpfsArray(h);
    expect(a.writeAt(enc.encode('hello opfs'), 2)).toBe(10);
    expect(a.len()).toBe(12);
    expect(dec.decode(h.bytes.subarray(2))).toBe('hello opfs');
    a.setLen(7);
    expect(contents(a)).toBe('\0\0hello');
    a.flush('data');
    expect(h.flushes).toBe(1);
  });

  it('a read-only OpfsArray refuses changes with EBADF and leaves the handle alone', () => {
    const h = new FakeHandle();
    h.bytes = enc.encode('keep');
    const a = new OpfsArray(h, { readOnly: true });
    expect(() => a.writeAt(enc.encode('x'), 0)).toThrow(expect.objectContaining({ errno: Errno.EBADF }));
    expect(() => a.setLen(0)).toThrow(WasiError);
    expect(contents(a)).toBe('keep');
  });

  it('ConsoleOutput hands over a copy of every write', () => {
    const chunks: Uint8Array[] = [];
    const out = new ConsoleOutput((b) => chunks.push(b));
    const buf = enc.encode('abc');
    expect(out.write(buf)).toBe(3);
    buf.fill(0);
    expect(chunks.map((c) => dec.decode(c))).toEqual(['abc']);
  });

  it('splitLines calls back once per whole line, decoding UTF-8 across writes', () => {
    const lines: string[] = [];
    const sink = splitLines((l) => lines.push(l));
    sink(enc.encode('one\ntw'));
    sink(enc.encode('o\n'));
    sink(new Uint8Array([0xc3]));
    expect(lines).toEqual(['one', 'two']);
    sink(new Uint8Array([0xa9, 0x0a]));
    expect(lines).toEqual(['one', 'two', '\u00e9']);
  });
});

describe('shared host helpers', () => {
  it('fileTypeOf reads the Stats predicates; fileTypeOfCode inverts the Preview 1 numbers', () => {
    const stats = (kind: string) => ({
      isFile: () => kind === 'file', isDirectory: () => kind === 'dir', isSymbolicLink: () => kind === 'link',
      isBlockDevice: () => kind === 'block', isCharacterDevice: () => kind === 'char', isSocket: () => kind === 'socket',
    });
    expect(['file', 'dir', 'link', 'block', 'char', 'socket', 'fifo'].map((k) => fileTypeOf(stats(k)))).toEqual([
      'regular-file', 'directory', 'symbolic-link', 'block-device', 'character-device', 'socket-stream', 'unknown',
    ]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(fileTypeOfCode)).toEqual([
      'unknown', 'block-device', 'character-device', 'directory', 'regular-file', 'socket-dgram', 'socket-stream',
      'symbolic-link', 'unknown',
    ]);
  });

  it('one error table holds every code memfs throws, each with the errno of its name', () => {
    const memfsCodes = 'E2BIG EACCES EAGAIN EBADF EBUSY ECANCELED EDQUOT EEXIST EFBIG EILSEQ EINTR EINVAL EIO EISDIR ELOOP EMFILE EMLINK ENAMETOOLONG ENFILE ENODEV ENOENT ENOMEM ENOSPC ENOSYS ENOTDIR ENOTEMPTY ENOTSUP ENOTTY ENXIO EOVERFLOW EPERM EPROTO ERANGE EROFS ESPIPE ESTALE ETXTBSY EXDEV';
    for (const code of memfsCodes.split(' ')) expect(ERRNO_OF_CODE[code], code).toBe(Errno[code as keyof typeof Errno]);
    expect(ERRNO_OF_CODE['EWOULDBLOCK']).toBe(Errno.EAGAIN);
    expect(ERRNO_OF_CODE['EOPNOTSUPP']).toBe(Errno.ENOTSUP);
  });

  it('one error table: the memfs backend maps host codes with it, and names a code it lacks', () => {
    const vol = new Volume();
    vol.mkdirSync('/d');
    const dir = memfsDirectory(vol, '/d');
    let code = 'EOPNOTSUPP';
    vol.readlinkSync = () => {
      throw Object.assign(new Error('host says no'), { code });
    };
    expect(ERRNO_OF_CODE[code]).toBe(Errno.ENOTSUP);
    expect(() => dir.readlink('x')).toThrow(expect.objectContaining({ errno: Errno.ENOTSUP }));
    code = 'ECONNRESET'; // in the table because Node reports it; memfs now maps it the same way
    expect(() => dir.readlink('x')).toThrow(expect.objectContaining({ errno: Errno.ECONNRESET }));
    code = 'constructor';
    expect(() => dir.readlink('x')).toThrow(/unmapped memfs error code constructor/);
  });

  it('waitIfWouldBlock waits only on EAGAIN and EWOULDBLOCK', () => {
    expect(waitIfWouldBlock(Object.assign(new Error('x'), { code: 'EAGAIN' }), 0)).toBe(true);
    expect(waitIfWouldBlock(Object.assign(new Error('x'), { code: 'EWOULDBLOCK' }), 0)).toBe(true);
    expect(waitIfWouldBlock(Object.assign(new Error('x'), { code: 'EIO' }), 0)).toBe(false);
    expect(waitIfWouldBlock(new Error('no code'), 0)).toBe(false);
    expect(waitIfWouldBlock(undefined, 0)).toBe(false);
  });
});
