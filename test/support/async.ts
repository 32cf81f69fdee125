// Asynchronous twins of synchronous I/O objects, for tests: every operation answers through a
// promise that settles on a later macrotask, so each one makes the guest wait.
import {
  type AsyncArray, type AsyncDirectory, type AsyncFileNode, type AsyncSink, type AsyncSource, type Directory,
  type FileNode, type IOArray, type InputStream, type OutputStream,
} from 'iotypes';

/** Counts the operations that answered through a promise. */
export const counter = { promises: 0 };

const later = <T>(f: () => T): Promise<T> =>
  new Promise<T>((resolve, reject) => setTimeout(() => {
    counter.promises++;
    try {
      resolve(f());
    } catch (e) {
      reject(e);
    }
  }, 0));


function delayedArray(a: IOArray): AsyncArray {
  return {
    read: (offset, length) => later(() => {
      const buf = new Uint8Array(length);
      return buf.subarray(0, a.readAt(buf, offset));
    }),
    write: (offset, bytes) => later(() => void (a.writeAt(bytes, offset))),
    len: () => later(() => (a.len())),
    setLen: (len) => later(() => void (a.setLen(len))),
    flush: (mode) => later(() => void (a.flush(mode))),
  };
}

function delayedFile(f: FileNode): AsyncFileNode {
  return {
    array: delayedArray(f.array),
    stat: () => later(() => f.stat()),
    setTimes: (a, m) => later(() => f.setTimes(a, m)),
    close: () => later(() => f.close?.()),
  };
}

const inner = new WeakMap<AsyncDirectory, Directory>();

/** `dir` with every operation answering a macrotask later. */
export function delayed(dir: Directory): AsyncDirectory {
  const d: AsyncDirectory = {
    readOnly: dir.readOnly,
    statSelf: () => later(() => dir.statSelf()),
    setTimesSelf: (a, m) => later(() => dir.setTimesSelf(a, m)),
    stat: (name) => later(() => (dir.stat(name))),
    setTimes: (name, a, m) => later(() => dir.setTimes(name, a, m)),
    openDir: (name) => later(() => delayed(dir.openDir(name))),
    openFile: (name, options) => later(() => delayedFile(dir.openFile(name, options))),
    entries: () => later(() => [...dir.entries()]),
    readlink: (name) => later(() => dir.readlink(name)),
    symlink: (target, name) => later(() => dir.symlink(target, name)),
    mkdir: (name) => later(() => dir.mkdir(name)),
    rmdir: (name) => later(() => dir.rmdir(name)),
    unlink: (name) => later(() => dir.unlink(name)),
    link: (name, to, toName) => later(() => dir.link(name, inner.get(to)!, toName)),
    rename: (name, to, toName) => later(() => dir.rename(name, inner.get(to)!, toName)),
  };
  inner.set(d, dir);
  return d;
}

/** The bytes of `input`, handed out a macrotask later, in chunks of at most `chunk` bytes. */
export function delayedSource(input: InputStream, chunk = 7): AsyncSource {
  return {
    ready: () => true, // all its bytes are there: a read answers (a macrotask later) without waiting for more
    read: () => later(() => {
      const buf = new Uint8Array(chunk);
      const n = input.read(buf);
      return n === 0 && input.status !== 'open' ? null : buf.subarray(0, n);
    }),
  };
}

/** `output`, taking each write a macrotask later. */
export function delayedSink(output: OutputStream): AsyncSink {
  return { write: (bytes) => { const copy = bytes.slice(); return later(() => void output.write(copy)); } };
}
