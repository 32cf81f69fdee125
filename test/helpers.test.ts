// The helpers a host writes around a run: bytes or text as stdin, output collected or handed to
// a callback per chunk or per line, an array's contents as bytes or text, and MemoryFS's
// readdir/unlink/rm. Each is exercised by a real program where one applies.
import { describe, expect, it } from 'vitest';
import {
  anonymous, bytesOf, collect, Errno, fromBytes, lineSplitter, onChunk, onLine, textOf, toArray, WASI,
  type InputStream, type OutputStream,
} from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { fixtureModule } from './support/fixtures.js';

/** Runs a c-fixture with the given stdio; returns its exit code. */
function run(name: string, options: { stdin?: InputStream; stdout?: OutputStream; stderr?: OutputStream; fs?: MemoryFS; args?: string[] }): number {
  const wasi = new WASI({
    args: [name, ...(options.args ?? [])],
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stderr ? { stderr: options.stderr } : {}),
    preopens: options.fs ? { 'fs.dir': options.fs.root.openDir('fs.dir') } : {},
  });
  return wasi.start(new WebAssembly.Instance(fixtureModule(name), wasi.getImportObject()));
}

const TEXT = 'first line\nsecond: héllo 日本語\nno newline at the end';

describe('stdin from bytes or a string, stdout collected', () => {
  it('a string goes in as UTF-8 and comes back out as the same text and bytes', () => {
    const out = collect();
    expect(run('stdio_stdin_echo', { stdin: fromBytes(TEXT), stdout: out })).toBe(0);
    expect(out.text()).toBe(TEXT);
    expect(out.bytes()).toEqual(new TextEncoder().encode(TEXT));
  });

  it('bytes go in unchanged (copied: later changes to the caller\'s buffer do not show)', () => {
    const data = new Uint8Array([0, 1, 2, 0xff, 0xfe, 10]);
    const stdin = fromBytes(data);
    data.fill(7);
    const out = collect();
    expect(run('stdio_stdin_echo', { stdin, stdout: out })).toBe(0);
    expect(out.bytes()).toEqual(new Uint8Array([0, 1, 2, 0xff, 0xfe, 10]));
    expect(out.text()).toBe('\u0000\u0001\u0002\ufffd\ufffd\n');
  });

  it('an empty input is at its end at once', () => {
    const out = collect();
    expect(run('stdio_stdin_echo', { stdin: fromBytes(''), stdout: out })).toBe(0);
    expect(out.bytes()).toHaveLength(0);
  });

  it('refuses anything but bytes or a string', () => {
    expect(() => fromBytes(42 as never)).toThrow(/Uint8Array or a string/);
    expect(() => fromBytes([1, 2] as never)).toThrow(TypeError);
  });
});

describe('an array\'s contents as bytes or text', () => {
  it('reads back what a program wrote through toArray', () => {
    const out = anonymous();
    expect(run('stdio_hello', { stdout: toArray(out) })).toBe(0);
    expect(textOf(out)).toBe('Hello, world!\n');
    expect(bytesOf(out)).toEqual(new TextEncoder().encode('Hello, world!\n'));
    expect(bytesOf(anonymous())).toHaveLength(0);
  });
});

describe('output to a callback', () => {
  it('onChunk hands over a copy of every write', () => {
    const chunks: Uint8Array[] = [];
    expect(run('stdio_stdin_echo', { stdin: fromBytes(TEXT), stdout: onChunk((b) => chunks.push(b)) })).toBe(0);
    expect(chunks.length).toBeGreaterThan(1); // the program writes 7 bytes at a time
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      joined.set(c, at);
      at += c.length;
    }
    expect(new TextDecoder().decode(joined)).toBe(TEXT);
  });

  it('onLine calls back per whole line, decoding characters split across writes; the last line without "\\n" comes when the run ends', () => {
    const lines: string[] = [];
    expect(run('stdio_stdin_echo', { stdin: fromBytes(TEXT), stdout: onLine((l) => lines.push(l)) })).toBe(0);
    expect(lines).toEqual(['first line', 'second: héllo 日本語', 'no newline at the end']);
  });

  it('onLine passes on a partial line only when flushed or closed', () => {
    const lines: string[] = [];
    const out = onLine((l) => lines.push(l));
    out.write(new TextEncoder().encode('a\nb'));
    expect(lines).toEqual(['a']);
    out.flush();
    expect(lines).toEqual(['a', 'b']);
    out.write(new TextEncoder().encode('c'));
    out.close();
    expect(lines).toEqual(['a', 'b', 'c']);
  });

  it('lineSplitter gives the same lines however ASCII and other text are cut into chunks', () => {
    const enc = new TextEncoder();
    const text = `plain\n${'x'.repeat(1500)}\nhé\nend €\n\ufeffmid-bom\nlast`;
    const bytes = enc.encode(text);
    const want = text.split('\n');
    for (const cut of [1, 2, 3, 7, 64, 1024, 1025, bytes.length]) {
      const lines: string[] = [];
      const s = lineSplitter((l) => lines.push(l));
      for (let at = 0; at < bytes.length; at += cut) s.push(bytes.subarray(at, at + cut));
      s.end();
      expect(lines).toEqual(want);
    }
    // A byte order mark is dropped at the very start only, as TextDecoder does.
    const lines: string[] = [];
    const s = lineSplitter((l) => lines.push(l));
    s.push(enc.encode('\ufeffa\n'));
    s.push(enc.encode('\ufeffb\n'));
    expect(lines).toEqual(['a', '\ufeffb']);
    const later: string[] = [];
    const t = lineSplitter((l) => later.push(l));
    t.push(enc.encode('a\n'));
    t.push(enc.encode('\ufeffb\n'));
    expect(later).toEqual(['a', '\ufeffb']);
  });

  it('lineSplitter decodes bad bytes as U+FFFD and refuses a non-function', () => {
    const lines: string[] = [];
    const s = lineSplitter((l) => lines.push(l));
    s.push(new Uint8Array([0xe6, 0x97]));
    s.push(new Uint8Array([0xa5, 10, 0xff, 10]));
    s.end();
    expect(lines).toEqual(['日', '\ufffd']);
    expect(() => onLine('nope' as never)).toThrow(TypeError);
    expect(() => onChunk(undefined as never)).toThrow(TypeError);
  });
});

describe('MemoryFS readdir, unlink and rm', () => {
  function tree(): MemoryFS {
    const fs = new MemoryFS();
    fs.mkdir('fs.dir/subdir/deeper', { recursive: true });
    fs.writeFile('fs.dir/hello.txt', 'Hello, fixture!\n');
    fs.writeFile('fs.dir/subdir/nested.txt', 'nested file\n');
    fs.writeFile('fs.dir/subdir/deeper/x', 'x');
    fs.symlink('subdir', 'fs.dir/link');
    return fs;
  }

  it('readdir lists names sorted, follows symlinks, and says what is wrong', () => {
    const fs = tree();
    expect(fs.readdir('fs.dir')).toEqual(['hello.txt', 'link', 'subdir']);
    expect(fs.readdir('/fs.dir/link')).toEqual(['deeper', 'nested.txt']);
    expect(fs.readdir('')).toEqual(['fs.dir']);
    expect(() => fs.readdir('fs.dir/hello.txt')).toThrow(expect.objectContaining({ errno: Errno.ENOTDIR }));
    expect(() => fs.readdir('fs.dir/none')).toThrow(expect.objectContaining({ errno: Errno.ENOENT }));
  });

  it('sees what a program did, and unlinks what it made', () => {
    const fs = tree();
    // rename_file renames hello.txt to renamed.txt, then moves it to subdir/moved.txt.
    expect(run('rename_file', { fs })).toBe(0);
    expect(fs.readdir('fs.dir')).toEqual(['link', 'subdir']);
    expect(fs.readdir('fs.dir/subdir')).toEqual(['deeper', 'moved.txt', 'nested.txt']);
    fs.unlink('fs.dir/subdir/moved.txt');
    expect(fs.readdir('fs.dir/link')).toEqual(['deeper', 'nested.txt']);
  });

  it('unlink removes files and symlinks (not their targets), never directories', () => {
    const fs = tree();
    fs.unlink('fs.dir/link');
    expect(fs.exists('fs.dir/link')).toBe(false);
    expect(fs.readdir('fs.dir/subdir')).toEqual(['deeper', 'nested.txt']);
    fs.unlink('fs.dir/subdir/nested.txt');
    expect(fs.readdir('fs.dir/subdir')).toEqual(['deeper']);
    expect(() => fs.unlink('fs.dir/subdir')).toThrow(expect.objectContaining({ errno: Errno.EISDIR }));
    expect(() => fs.unlink('fs.dir/none')).toThrow(expect.objectContaining({ errno: Errno.ENOENT }));
    expect(() => fs.unlink('/')).toThrow(expect.objectContaining({ errno: Errno.EISDIR }));
  });

  it('rm removes a file, a symlink, or with recursive a whole tree; force ignores a missing entry', () => {
    const fs = tree();
    expect(() => fs.rm('fs.dir/subdir')).toThrow(expect.objectContaining({ errno: Errno.EISDIR }));
    fs.rm('fs.dir/link');
    expect(fs.readdir('fs.dir/subdir')).toEqual(['deeper', 'nested.txt']);
    fs.rm('fs.dir/subdir', { recursive: true });
    expect(fs.readdir('fs.dir')).toEqual(['hello.txt']);
    fs.rm('fs.dir/hello.txt');
    expect(fs.readdir('fs.dir')).toEqual([]);
    expect(() => fs.rm('fs.dir/none')).toThrow(expect.objectContaining({ errno: Errno.ENOENT }));
    fs.rm('fs.dir/none', { force: true });
    fs.rm('fs.dir/no/such/thing', { force: true });
    expect(() => fs.rm('/', { recursive: true })).toThrow(expect.objectContaining({ errno: Errno.EBUSY }));
    fs.rm('fs.dir', { recursive: true });
    expect(fs.readdir('')).toEqual([]);
  });
});
