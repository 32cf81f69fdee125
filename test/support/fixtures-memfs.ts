// Layer: tests. Imports node:fs/node:path (host side), memfs, the public packages `iotypes` and
// `iotypes/memfs`, and the shared fixture helpers.
// Runs the c-fixtures through the public WASI class on the memfs backend: each spec dir is copied
// from the host into a fresh memfs Volume and preopened from there.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Volume } from 'memfs';
import { memfsDirectory } from 'iotypes/memfs';
import { FIXTURES, readSpec, runWith, type Outcome, type Spec } from './fixtures.js';

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

/** Runs one fixture on the memfs backend; returns the outcome and the volume it ran on. */
export function runOnMemfs(name: string, spec: Spec = readSpec(name)): Outcome & { vol: Volume } {
  const vol = new Volume();
  const outcome = runWith(name, spec, (dir) => {
    copyIntoMemfs(vol, join(FIXTURES, dir), `/${dir}`);
    return memfsDirectory(vol, `/${dir}`);
  });
  return { ...outcome, vol };
}
