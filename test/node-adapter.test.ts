// The Node backend's own pieces: the error table, host files as arrays, fds as streams,
// read-only mounts, and the tracer as the CLI prints it.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, mkdirSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Errno, WASI, WasiError } from 'iotypes';
import { HostFileArray, HostInput, HostOutput, ERRNO_OF_CODE, nodeAsyncDirectory, nodeDirectory } from 'iotypes/node';
import { fromNode } from '../adapters/node/errors.js';

const work = mkdtempSync(join(tmpdir(), 'iotypes-node-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const ROOT = join(__dirname, '..');

describe('Node error table', () => {
  it('maps every POSIX code Node reports to the errno of the same name', () => {
    for (const [code, errno] of Object.entries(ERRNO_OF_CODE)) {
      const name = `E${code.slice(1)}`;
      if (name in Errno && !['EWOULDBLOCK', 'EOPNOTSUPP'].includes(code)) {
        expect(errno, code).toBe(Errno[name as keyof typeof Errno]);
      }
    }
    expect(ERRNO_OF_CODE.EWOULDBLOCK).toBe(Errno.EAGAIN);
  });

  it('turns a known code into WasiError and reports an unknown one by name', () => {
    expect(() => fromNode(Object.assign(new Error('x'), { code: 'ENOENT' }))).toThrow(WasiError);
    expect(() => fromNode(Object.assign(new Error('x'), { code: 'EWEIRD' }))).toThrow(/unmapped Node\.js error code EWEIRD/);
    const plain = new TypeError('not an fs error');
    expect(() => fromNode(plain)).toThrow(plain);
  });
});

describe('host files and fds', () => {
  it('reads and writes a host file in place at offsets', () => {
    const path = join(work, 'array.bin');
    writeFileSync(path, 'hello world');
    const fd = openSync(path, 'r+');
    try {
      const a = new HostFileArray(fd, path, false);
      const buf = new Uint8Array(5);
      expect(a.readAt(buf, 6)).toBe(5);
      expect(new TextDecoder().decode(buf)).toBe('world');
      a.writeAt(new TextEncoder().encode('W'), 6);
      a.writeAt(new TextEncoder().encode('!'), 20);
      expect(a.len()).toBe(21);
      a.setLen(11);
      a.flush('data');
      expect(readFileSync(path, 'utf8')).toBe('hello World');
      const ro = new HostFileArray(fd, path, true);
      expect(() => ro.writeAt(new Uint8Array(1), 0)).toThrow(expect.objectContaining({ errno: Errno.EROFS }));
    } finally {
      closeSync(fd);
    }
  });

  it('appends at the true end of the file, even after another writer grew it', () => {
    const path = join(work, 'append.log');
    writeFileSync(path, 'one\n');
    const fd = openSync(path, 'r+');
    try {
      const a = new HostFileArray(fd, path, false);
      expect(a.append(new TextEncoder().encode('two\n'))).toBe(4);
      writeFileSync(path, 'three\n', { flag: 'a' }); // another process appends
      expect(a.append(new TextEncoder().encode('four\n'))).toBe(5);
      expect(readFileSync(path, 'utf8')).toBe('one\ntwo\nthree\nfour\n');
      expect(a.len()).toBe(19);
      a.closeAppend();
      const ro = new HostFileArray(fd, path, true);
      expect(() => ro.append(new Uint8Array(1))).toThrow(expect.objectContaining({ errno: Errno.EROFS }));
    } finally {
      closeSync(fd);
    }
  });

  it('streams over host fds', () => {
    const path = join(work, 'stream.txt');
    const wfd = openSync(path, 'w');
    const out = new HostOutput(wfd);
    expect(out.write(new TextEncoder().encode('abc'))).toBe(3);
    closeSync(wfd);
    const rfd = openSync(path, 'r');
    const input = new HostInput(rfd);
    const buf = new Uint8Array(8);
    expect(input.read(buf)).toBe(3);
    expect(input.read(buf)).toBe(0);
    expect(input.status).toBe('ended');
    closeSync(rfd);
  });
});

describe('nodeDirectory', () => {
  it('refuses a mount that is not a folder', () => {
    writeFileSync(join(work, 'plain'), '');
    expect(() => nodeDirectory(join(work, 'plain'))).toThrow(expect.objectContaining({ errno: Errno.ENOTDIR }));
    expect(() => nodeDirectory(join(work, 'missing'))).toThrow(expect.objectContaining({ errno: Errno.ENOENT }));
  });

  it('refuses every mutation on a read-only mount and changes nothing', () => {
    const dir = join(work, 'ro');
    mkdirSync(dir);
    writeFileSync(join(dir, 'f.txt'), 'keep');
    mkdirSync(join(dir, 'sub'));
    const d = nodeDirectory(dir, { readOnly: true });
    const rofs = expect.objectContaining({ errno: Errno.EROFS });
    expect(() => d.mkdir('x')).toThrow(rofs);
    expect(() => d.rmdir('sub')).toThrow(rofs);
    expect(() => d.unlink('f.txt')).toThrow(rofs);
    expect(() => d.symlink('f.txt', 'l')).toThrow(rofs);
    expect(() => d.link('f.txt', d, 'g')).toThrow(rofs);
    expect(() => d.rename('f.txt', d, 'g')).toThrow(rofs);
    expect(() => d.setTimes('f.txt', 1n, 1n)).toThrow(rofs);
    expect(() => d.openFile('f.txt', { write: true })).toThrow(rofs);
    expect(() => d.openFile('new', { create: true })).toThrow(rofs);
    const f = d.openFile('f.txt', {});
    expect(() => f.array.writeAt(new Uint8Array(1), 0)).toThrow(rofs);
    expect(() => f.array.setLen(0)).toThrow(rofs);
    f.close?.();
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('keep');
    expect(statSync(join(dir, 'sub')).isDirectory()).toBe(true);
  });

  it('never opens a symlink as a file or folder', () => {
    const dir = join(work, 'links');
    mkdirSync(dir);
    writeFileSync(join(work, 'outside.txt'), 'outside');
    symlinkSync(join(work, 'outside.txt'), join(dir, 'abs'));
    symlinkSync('..', join(dir, 'up'));
    const d = nodeDirectory(dir);
    expect(() => d.openFile('abs', {})).toThrow(expect.objectContaining({ errno: Errno.ELOOP }));
    expect(() => d.openFile('abs', { create: true })).toThrow(expect.objectContaining({ errno: Errno.ELOOP }));
    expect(() => d.openDir('up')).toThrow(expect.objectContaining({ errno: Errno.ELOOP }));
    expect(d.stat('abs').type).toBe('symbolic-link');
    expect(d.readlink('up')).toBe('..');
  });
});

describe('directory descriptors', () => {
  const openFds = () => readdirSync('/proc/self/fd').length;
  const bench = new WebAssembly.Module(readFileSync(join(ROOT, 'bench', 'bench.wasm')));

  it.runIf(process.platform === 'linux')('are all closed after deep walks, failed probes and readdir, except by close()', () => {
    const dir = join(work, 'fds');
    mkdirSync(dir);
    const before = openFds();
    const box = nodeDirectory(dir);
    for (const mode of ['probe', 'openstat', 'readdir']) {
      const wasi = new WASI({ args: ['bench', mode, '300'], preopens: { box } });
      expect(wasi.start(new WebAssembly.Instance(bench, wasi.getImportObject())), mode).toBe(0);
    }
    expect(openFds()).toBe(before + 1); // the mount's own descriptor
    box.close?.();
    expect(openFds()).toBe(before);
  });

  it.runIf(process.platform === 'linux')('follow a held folder that is renamed, and never a path', () => {
    const dir = join(work, 'held');
    mkdirSync(join(dir, 'a'), { recursive: true });
    writeFileSync(join(dir, 'a', 'f.txt'), 'inside');
    const root = nodeDirectory(dir);
    const a = root.openDir('a');
    // Another process moves the folder and puts a symlink to somewhere else in its place.
    renameSync(join(dir, 'a'), join(dir, 'moved'));
    symlinkSync(work, join(dir, 'a'));
    expect(a.stat('f.txt').size).toBe(6);
    const file = a.openFile('f.txt', {});
    const got = new Uint8Array(6);
    file.array.readAt(got, 0);
    expect(new TextDecoder().decode(got)).toBe('inside');
    file.close?.();
    a.close?.();
    expect(() => a.stat('f.txt')).toThrow(expect.objectContaining({ errno: Errno.EBADF }));
    root.close?.();
  });
});

describe('host names that are not UTF-8', () => {
  it.runIf(process.platform === 'linux')('are not listed and never alias another file', () => {
    const dir = join(work, 'utf8-names');
    mkdirSync(dir);
    const hostPath = (name: Buffer) => Buffer.concat([Buffer.from(`${dir}/`), name]);
    writeFileSync(hostPath(Buffer.from([0xff])), 'ff');
    writeFileSync(hostPath(Buffer.from([0xfe])), 'fe');
    writeFileSync(join(dir, '\uFFFD'), 'replacement character');
    symlinkSync(Buffer.from([0x61, 0xff]), hostPath(Buffer.from('badlink')));
    const d = nodeDirectory(dir);
    const listed = [...d.entries()].map((e) => e.name).sort();
    expect(listed).toEqual(['badlink', '\uFFFD']);
    expect(d.stat('\uFFFD').ino).toBe(BigInt(statSync(join(dir, '\uFFFD')).ino));
    expect(() => d.readlink('badlink')).toThrow(expect.objectContaining({ errno: Errno.EILSEQ }));
    d.unlink('\uFFFD');
    // Only the file really named U+FFFD went; the two others are untouched on the host.
    expect(readFileSync(hostPath(Buffer.from([0xff])), 'utf8')).toBe('ff');
    expect(readFileSync(hostPath(Buffer.from([0xfe])), 'utf8')).toBe('fe');
    expect(readdirSync(dir, { encoding: 'buffer' })).toHaveLength(3);
    d.close?.();
  });
});

describe('two host folders', () => {
  it('link and rename between them where the host allows it, reporting the host\'s devices', () => {
    const a = join(work, 'mount-a');
    const b = join(work, 'mount-b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'f.txt'), 'moving');
    const da = nodeDirectory(a);
    const db = nodeDirectory(b);
    expect(da.statSelf().dev).toBe(BigInt(statSync(a).dev));
    expect(da.statSelf().dev).toBe(db.statSelf().dev);
    da.link('f.txt', db, 'linked.txt');
    expect(statSync(join(b, 'linked.txt')).ino).toBe(statSync(join(a, 'f.txt')).ino);
    da.rename('f.txt', db, 'moved.txt');
    expect(readFileSync(join(b, 'moved.txt'), 'utf8')).toBe('moving');
    expect(() => statSync(join(a, 'f.txt'))).toThrow();
    // Into a read-only mount: EROFS, whichever handle asks.
    const ro = nodeDirectory(a, { readOnly: true });
    expect(() => db.rename('moved.txt', ro, 'back.txt')).toThrow(expect.objectContaining({ errno: Errno.EROFS }));
    for (const d of [da, db, ro]) d.close?.();
  });
});

describe('iotypes run --trace', () => {
  it('prints each call with decoded paths and errno names', () => {
    const dir = join(work, 'trace');
    mkdirSync(dir);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'iotypes.js'), 'run', '--trace', '--dir', `${dir}::fs.dir`, join(ROOT, 'c-fixtures', 'open_enoent.wasm')], { encoding: 'utf8' });
    const spec = JSON.parse(readFileSync(join(ROOT, 'c-fixtures', 'open_enoent.json'), 'utf8')) as { dirs?: string[] };
    expect(spec.dirs?.length ?? 0).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^fd_prestat_get\(fd=3, prestat_out=\d+\) = 0$/m);
    expect(r.stderr).toMatch(/^path_open\(fd=\d+, dirflags=\d+, path="[^"]+", .*\) = 44 \(ENOENT\)$/m);
    expect(r.status).toBe(0);
  });
});

describe('nodeDirectory names', () => {
  it('refuses any name that is not a single component, whoever passes it', () => {
    const dir = join(work, 'names');
    mkdirSync(dir);
    const d = nodeDirectory(dir);
    for (const bad of ['..', '.', '', 'a/b', '../x', 'x\0y']) {
      expect(() => d.stat(bad), bad).toThrow(expect.objectContaining({ errno: Errno.ENOTCAPABLE }));
      expect(() => d.mkdir(bad), bad).toThrow(expect.objectContaining({ errno: Errno.ENOTCAPABLE }));
    }
  });
});

// The asynchronous backend called directly (each operation awaited; no JSPI needed). The
// Directory contract, every c-fixture and the race run it too (directory-contract, async, race).
describe.runIf(process.platform === 'linux')('nodeAsyncDirectory', () => {
  const errno = (e: Errno) => expect.objectContaining({ errno: e });

  it('refuses a mount that is not a folder', async () => {
    writeFileSync(join(work, 'plain-async'), '');
    await expect(nodeAsyncDirectory(join(work, 'plain-async'))).rejects.toEqual(errno(Errno.ENOTDIR));
    await expect(nodeAsyncDirectory(join(work, 'missing-async'))).rejects.toEqual(errno(Errno.ENOENT));
  });

  it('follows a held folder that is renamed, and never a path; a closed handle is EBADF', async () => {
    const dir = join(work, 'held-async');
    mkdirSync(join(dir, 'a'), { recursive: true });
    writeFileSync(join(dir, 'a', 'f.txt'), 'inside');
    const root = await nodeAsyncDirectory(dir);
    const a = await root.openDir('a');
    renameSync(join(dir, 'a'), join(dir, 'moved'));
    symlinkSync(work, join(dir, 'a'));
    expect((await a.stat('f.txt')).size).toBe(6);
    const file = await a.openFile('f.txt', {});
    expect(new TextDecoder().decode(await file.array.read(0, 100))).toBe('inside');
    await file.close?.();
    await expect(root.openDir('a')).rejects.toEqual(errno(Errno.ELOOP));
    await expect(root.openFile('a', {})).rejects.toEqual(errno(Errno.ELOOP));
    await a.close?.();
    await expect(a.stat('f.txt')).rejects.toEqual(errno(Errno.EBADF));
    await root.close?.();
  });

  it('refuses any name that is not a single component', async () => {
    const dir = join(work, 'names-async');
    mkdirSync(dir);
    const d = await nodeAsyncDirectory(dir);
    for (const bad of ['..', '.', '', 'a/b', '../x', 'x\0y']) {
      await expect(d.stat(bad), bad).rejects.toEqual(errno(Errno.ENOTCAPABLE));
      await expect(d.mkdir(bad), bad).rejects.toEqual(errno(Errno.ENOTCAPABLE));
    }
    await d.close?.();
  });

  it('does not list host names that are not UTF-8', async () => {
    const dir = join(work, 'utf8-async');
    mkdirSync(dir);
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0xff])]), 'ff');
    writeFileSync(join(dir, 'ok'), 'ok');
    symlinkSync(Buffer.from([0x61, 0xff]), Buffer.from(`${dir}/badlink`));
    const d = await nodeAsyncDirectory(dir);
    expect((await d.entries()).map((e) => e.name).sort()).toEqual(['badlink', 'ok']);
    await expect(d.readlink('badlink')).rejects.toEqual(errno(Errno.EILSEQ));
    await d.close?.();
  });

  it('appends at the true end of the file, even after another writer grew it', async () => {
    const dir = join(work, 'append-async');
    mkdirSync(dir);
    writeFileSync(join(dir, 'log'), 'one\n');
    const d = await nodeAsyncDirectory(dir);
    const f = await d.openFile('log', { write: true });
    await f.array.append!(new TextEncoder().encode('two\n'));
    writeFileSync(join(dir, 'log'), 'one\ntwo\nother\n');
    await f.array.append!(new TextEncoder().encode('three\n'));
    expect(readFileSync(join(dir, 'log'), 'utf8')).toBe('one\ntwo\nother\nthree\n');
    await f.close?.();
    await d.close?.();
  });

  it('refuses every mutation on a read-only mount', async () => {
    const dir = join(work, 'ro-async');
    mkdirSync(dir);
    writeFileSync(join(dir, 'f.txt'), 'keep');
    const d = await nodeAsyncDirectory(dir, { readOnly: true });
    expect(d.readOnly).toBe(true);
    await expect(d.mkdir('x')).rejects.toEqual(errno(Errno.EROFS));
    await expect(d.unlink('f.txt')).rejects.toEqual(errno(Errno.EROFS));
    await expect(d.openFile('f.txt', { write: true })).rejects.toEqual(errno(Errno.EROFS));
    const f = await d.openFile('f.txt', {});
    await expect(f.array.write(0, new Uint8Array(1))).rejects.toEqual(errno(Errno.EROFS));
    await expect(f.array.append!(new Uint8Array(1))).rejects.toEqual(errno(Errno.EROFS));
    await f.close?.();
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('keep');
    await d.close?.();
  });
});
