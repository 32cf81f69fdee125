// Example (examples/web): the folder a program runs in, for the page. Files the person picks go
// in; files the program writes are listed and read back for download. One shape, whatever keeps
// the bytes:
//   directory()  the Directory handed to WASI as the program's "/"
//   asyncDirectory()  the same as an AsyncDirectory, for a program in a worker (OPFS only)
//   put(path, bytes), list() → [{ path, size }], read(path) → Uint8Array, clear()
//   settled()    resolves once what the last run left (its files' closes) is done
//   persistent   whether the files survive a reload
import { Errno, WasiError, fromAsyncDirectory } from '/dist/index.js';
import { opfsDirectory } from '/dist/browser.js';
import { MemoryFS } from '/dist/memory.js';

/**
 * The folder `name` of the origin private file system when the browser has one for this page
 * (a secure context: https, or http on localhost), else one in memory.
 */
export async function openFolder(name) {
  if (typeof navigator.storage?.getDirectory !== 'function') return memoryFolder();
  try {
    const root = await navigator.storage.getDirectory();
    return opfsFolder(await root.getDirectoryHandle(name, { create: true }));
  } catch {
    return memoryFolder();
  }
}

/** An OPFS folder: the program and the page both go through one opfsDirectory() of it. */
export function opfsFolder(handle) {
  let dir = opfsDirectory(handle);
  /** The directory holding `path`, and the last name of it. */
  const parentOf = async (path, create) => {
    const parts = path.split('/');
    let at = dir;
    for (const part of parts.slice(0, -1)) {
      if (create) {
        try {
          await at.mkdir(part);
        } catch (e) {
          if (!(e instanceof WasiError && e.errno === Errno.EEXIST)) throw e;
        }
      }
      at = await at.openDir(part);
    }
    return [at, parts.at(-1)];
  };
  const walk = async (at, prefix, out) => {
    for (const { name, type } of await at.entries()) {
      const path = prefix + name;
      if (type === 'directory') await walk(await at.openDir(name), `${path}/`, out);
      else out.push({ path, size: type === 'regular-file' ? (await at.stat(name)).size : undefined });
    }
    return out;
  };
  return {
    persistent: true,
    directory: () => fromAsyncDirectory(dir),
    asyncDirectory: () => dir,
    settled: () => dir.settled(),
    async put(path, bytes) {
      const [at, name] = await parentOf(path, true);
      const file = await at.openFile(name, { create: true, truncate: true, write: true });
      await file.array.write(0, bytes);
      await file.close?.();
    },
    list: () => walk(dir, '', []),
    async read(path) {
      const [at, name] = await parentOf(path, false);
      const file = await at.openFile(name, {});
      try {
        return await file.array.read(0, await file.array.len());
      } finally {
        await file.close?.();
      }
    },
    async clear() {
      await dir.settled();
      for await (const name of handle.keys()) await handle.removeEntry(name, { recursive: true });
      dir = opfsDirectory(handle); // nothing of the old folder's state carries over
    },
  };
}

/** A folder in the page's memory: gone on reload. */
export function memoryFolder() {
  let fs = new MemoryFS();
  const walk = (dir, out) => {
    for (const name of fs.readdir(dir)) {
      const path = dir === '' ? name : `${dir}/${name}`;
      let st;
      try {
        st = fs.stat(path);
      } catch {
        out.push({ path, size: undefined }); // a dangling or looping symlink
        continue;
      }
      if (st.type === 'directory') walk(path, out);
      else out.push({ path, size: st.size });
    }
    return out;
  };
  return {
    persistent: false,
    directory: () => fs.root,
    settled: async () => {},
    async put(path, bytes) {
      const parent = path.split('/').slice(0, -1).join('/');
      if (parent !== '') fs.mkdir(parent, { recursive: true });
      fs.writeFile(path, bytes);
    },
    async list() {
      return walk('', []);
    },
    async read(path) {
      return fs.readFile(path);
    },
    async clear() {
      fs = new MemoryFS();
    },
  };
}
