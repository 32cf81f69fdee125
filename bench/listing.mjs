// The in-memory backend's directory listing alone, without the creation of the entries that the
// readdir row of bench/run.mjs times around it (and whose garbage is collected during it):
//   npm run build && node bench/listing.mjs [ENTRIES] [BASELINE_DIR]
// lists a folder of ENTRIES (default 10,000) empty files 20 times through fd_readdir with a
// 32 KiB buffer, called from JavaScript inside a run, and prints the best and median ns per
// entry; BASELINE_DIR (another checkout with dist/ built) is measured the same way, alternating.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const entries = Number(process.argv[2] ?? 1e4);
const builds = [new URL('..', import.meta.url).pathname, ...(process.argv[3] ? [resolve(process.argv[3])] : [])];
const load = async (root) => {
  const from = (sub) => import(pathToFileURL(join(root, 'dist', sub)).href);
  return { root, ...(await from('index.js')), ...(await from('memory.js')) };
};
const libs = await Promise.all(builds.map(load));
const FD_READ = 1n << 1n;
const FD_READDIR = 1n << 14n;

function listOnce({ WASI, MemoryFS }) {
  const fs = new MemoryFS();
  fs.mkdir('list');
  for (let i = 0; i < entries; i++) fs.writeFile(`list/entry-${i}`, '');
  const wasi = new WASI({ preopens: { box: fs.root } });
  const memory = new WebAssembly.Memory({ initial: 4 });
  const w = wasi.wasiImport;
  const times = [];
  const _start = () => {
    const view = new DataView(memory.buffer);
    new TextEncoder().encodeInto('list', new Uint8Array(memory.buffer, 1000, 4));
    for (let round = 0; round < 20; round++) {
      if (w.path_open(3, 1, 1000, 4, 2, FD_READ | FD_READDIR, 0n, 0, 300) !== 0) throw new Error('path_open failed');
      const fd = view.getUint32(300, true);
      const t0 = performance.now();
      let cookie = 0n;
      let seen = 0;
      for (;;) {
        if (w.fd_readdir(fd, 4096, 32768, cookie, 400) !== 0) throw new Error('fd_readdir failed');
        const used = view.getUint32(400, true);
        let at = 4096;
        while (at + 24 <= 4096 + used) {
          const len = view.getUint32(at + 16, true);
          if (at + 24 + len > 4096 + used) break;
          cookie = view.getBigUint64(at, true);
          seen++;
          at += 24 + len;
        }
        if (used < 32768) break;
      }
      times.push(((performance.now() - t0) * 1e6) / seen);
      w.fd_close(fd);
    }
  };
  wasi.start({ exports: { memory, _start } });
  return times;
}

const results = libs.map(() => []);
for (let pass = 0; pass < 3; pass++) libs.forEach((lib, k) => results[k].push(...listOnce(lib)));
libs.forEach((lib, k) => {
  const t = results[k].sort((a, b) => a - b);
  console.log(`${lib.root}: ${entries.toLocaleString('en-US')} entries, best ${t[0].toFixed(0)} ns, median ${t[t.length >> 1].toFixed(0)} ns per entry`);
});
