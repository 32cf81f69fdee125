// Layer: tests. Imports node:fs/node:path (host side), memfs, the public packages `iotypes` and
// `iotypes/memfs`, and the shared fixture helpers.
// Runs the c-fixtures through the public WASI class on the memfs backend: each spec dir is copied
// from the host into a fresh memfs Volume and preopened from there.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Volume } from 'memfs';
import { anonymous, fromArray, toArray, WASI, type AnonymousArray, type Directory } from 'iotypes';
import { memfsDirectory } from 'iotypes/memfs';
import { FIXTURES, fixtureModule, readSpec, TRAP_EXIT_CODE, type Outcome, type Spec } from './fixtures.js';

/** Copies a host folder into a memfs folder (files, subfolders, symlinks). */
export function copyIntoMemfs(vol: Volume, host: string, guest: string): void {
  vol.mkdirSync(guest, { recursive: true });
  for (const entry of readdirSync(host)) {
    const h = join(host, entry);
    const g = `${guest}/${entry}`;
    const st = lstatSync(h);
    if (st.isSymbolicLink()) vol.symlinkSync(readlinkSync(h), g);
    else if (st.isDirectory()) copyIntoMemfs(vol, h, g);
    else vol.writeFileSync(g, readFileSync(h));
  }
}

const text = (a: AnonymousArray) => {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return new TextDecoder().decode(buf);
};

/** Runs one fixture on the memfs backend; returns the outcome and the volume it ran on. */
export function runOnMemfs(name: string, spec: Spec = readSpec(name)): Outcome & { vol: Volume } {
  const vol = new Volume();
  const preopens: Record<string, Directory> = {};
  for (const dir of spec.dirs ?? []) {
    copyIntoMemfs(vol, join(FIXTURES, dir), `/${dir}`);
    preopens[dir] = memfsDirectory(vol, `/${dir}`);
  }
  const stdinArray = anonymous();
  stdinArray.writeAt(new TextEncoder().encode(spec.stdin ?? ''), 0);
  const out = anonymous();
  const err = anonymous();
  const wasi = new WASI({
    args: [`${name}.wasm`, ...(spec.args ?? [])],
    env: spec.env ?? {},
    preopens,
    stdin: fromArray(stdinArray, 0),
    stdout: toArray(out),
    stderr: toArray(err),
  });
  const instance = new WebAssembly.Instance(fixtureModule(name), wasi.getImportObject());
  let exitCode: number;
  let trap: string | undefined;
  try {
    exitCode = wasi.start(instance);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = TRAP_EXIT_CODE;
    trap = e.message;
  }
  return { exitCode, stdout: text(out), stderr: text(err), ...(trap === undefined ? {} : { trap }), vol };
}
