// A dedicated worker for test/browser/async.html: runs a c-fixture over OPFS there, where
// opfsDirectory reads and writes files through sync access handles, the guest suspending through
// JSPI as on the main thread.
import { WASI, anonymous, fromArray, toArray, fromAsyncDirectory, hasJspi } from '/dist/index.js';
import { opfsDirectory, importFiles } from '/dist/browser.js';

const text = (a) => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return new TextDecoder().decode(buf);
};
const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

let runs = 0;
async function runOpfs(name, spec, files) {
  const root = await navigator.storage.getDirectory();
  const folderName = `worker-${runs++}-${name}`;
  const folder = await root.getDirectoryHandle(folderName, { create: true });
  try {
    await importFiles(Object.fromEntries(Object.entries(files).map(([p, b]) => [p, new Blob([bytes(b)])])), folder);
    const preopens = {};
    const dirs = [];
    for (const dir of spec.dirs ?? []) {
      dirs.push(opfsDirectory(await folder.getDirectoryHandle(dir, { create: true }), { access: 'sync' }));
      preopens[dir] = fromAsyncDirectory(dirs.at(-1));
    }
    const out = anonymous();
    const err = anonymous();
    const stdin = anonymous();
    stdin.writeAt(new TextEncoder().encode(spec.stdin ?? ''), 0);
    const wasi = new WASI({
      async: true, args: [`${name}.wasm`, ...(spec.args ?? [])], env: spec.env ?? {}, preopens,
      stdin: fromArray(stdin), stdout: toArray(out), stderr: toArray(err),
    });
    const { instance } = await WebAssembly.instantiateStreaming(fetch(`/c-fixtures/${name}.wasm`), wasi.getImportObject());
    let exitCode;
    try {
      exitCode = await wasi.startAsync(instance);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) return { error: String(e && e.stack || e) };
      exitCode = 134;
    }
    for (const d of dirs) await d.settled();
    return { exitCode, stdout: text(out), stderr: text(err) };
  } finally {
    await root.removeEntry(folderName, { recursive: true });
  }
}

/** A file's reads answer at once (no promise) once its sync access handle is open. */
async function syncAnswers() {
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle('worker-sync-answers', { create: true });
  try {
    const dir = opfsDirectory(folder);
    const file = await dir.openFile('f.bin', { create: true, write: true });
    await file.array.write(0, new TextEncoder().encode('abc'));
    const read = file.array.read(0, 10);
    const len = file.array.len();
    const result = { readIsPromise: read instanceof Promise, read: new TextDecoder().decode(await read), len: await len };
    await file.close();
    await dir.settled();
    // Another object on the folder: the time of a file open through a sync access handle comes
    // from the file (OPFS's lastModified), not from this object's memory.
    const again = await opfsDirectory(folder).openFile('f.bin', {});
    await again.array.read(0, 1);
    const stat = await again.stat();
    result.mtimFromFile = Math.abs(Number(stat.mtim / 1_000_000n) - Date.now()) < 60_000;
    await again.close();
    return result;
  } finally {
    await root.removeEntry('worker-sync-answers', { recursive: true });
  }
}

/** Holds a sync access handle on an OPFS file (a lock), until unlock(). */
let held;
async function lock(path) {
  let dir = await navigator.storage.getDirectory();
  const parts = path.split('/');
  for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
  held = await (await dir.getFileHandle(parts.at(-1))).createSyncAccessHandle();
  return true;
}
function unlock() {
  held?.close();
  held = undefined;
  return true;
}

const OPS = { run: runOpfs, 'sync-answers': syncAnswers, lock, unlock };
onmessage = async ({ data }) => {
  try {
    const value = await OPS[data.op](...data.args);
    postMessage({ id: data.id, value });
  } catch (e) {
    postMessage({ id: data.id, value: { error: String(e && e.stack || e) } });
  }
};
postMessage({ ready: hasJspi() });
