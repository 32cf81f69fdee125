// Example (examples/web): the folder a program runs in, for the page. Files the person picks go
// in; files the program writes are listed and read back for download. One shape, whatever keeps
// the bytes:
//   directory()  the Directory handed to WASI as the program's "/"
//   put(path, bytes), list() → [{ path, size }], read(path) → Uint8Array
//   persistent   whether the files survive a reload
import { MemoryFS } from '/dist/memory.js';

/** A folder in the page's memory: gone on reload. */
export function memoryFolder() {
  const fs = new MemoryFS();
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
  };
}
