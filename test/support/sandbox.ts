// The sandbox suite's host layout (see test/sandbox/attack.c's header): a box to preopen, the
// folder next to it that must stay unreachable, and snapshots of what an attack must not change.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const SECRET = 'TOP-SECRET: nobody inside the box may read this\n';
/** Outside entries get this old mtime, so any change to them shows. */
const OLD_TIME = new Date('2001-09-09T01:46:40Z');

export interface Layout {
  tmp: string;
  box: string;
  outside: string;
}

/**
 * tmp/outside/{secret.txt, dir/inner.txt} (old mtimes) and tmp/box with a few files and the
 * host-planted symlinks the attacks use (see attack.c's header).
 */
export function makeLayout(): Layout {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'iotypes-sandbox-')));
  const outside = join(tmp, 'outside');
  const box = join(tmp, 'box');
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(outside, 'dir', 'inner.txt'), 'inner\n');
  for (const p of ['secret.txt', 'dir/inner.txt', 'dir', '.']) utimesSync(join(outside, p), OLD_TIME, OLD_TIME);

  mkdirSync(join(box, 'sub', 'deep'), { recursive: true });
  mkdirSync(join(box, 'empty'));
  writeFileSync(join(box, 'hello.txt'), 'hello\n');
  writeFileSync(join(box, 'sub', 'deep', 'file.txt'), 'deep\n');
  const links: [string, string][] = [
    ['abs_secret', join(outside, 'secret.txt')],
    ['abs_dir', outside],
    ['rel_secret', '../outside/secret.txt'],
    ['rel_dir', '../outside'],
    ['sub/up2', '../../outside/secret.txt'],
    ['chain1', 'sub/chain2'],
    ['sub/chain2', '../rel_secret'],
    ['chain_dir', 'sub/chain_dir2'],
    ['sub/chain_dir2', '../rel_dir'],
    ['dangling_rel', '../outside/new.txt'],
    ['dangling_abs', join(outside, 'new.txt')],
    ['dotdot_target', 'sub/../../outside/secret.txt'],
    ['updir', '..'],
  ];
  for (const [name, target] of links) symlinkSync(target, join(box, name));
  return { tmp, box, outside };
}

/** One line per entry beneath `root` (and root itself): what must not change. */
export function snapshot(root: string, skip: (rel: string) => boolean = () => false): string[] {
  const lines: string[] = [];
  const visit = (path: string) => {
    const rel = relative(root, path) || '.';
    const st = lstatSync(path, { bigint: true });
    const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    let line = `${rel} ${kind} mode=${st.mode.toString(8)} nlink=${st.nlink} size=${st.size} mtime=${st.mtimeNs} ctime=${st.ctimeNs} ino=${st.ino}`;
    if (kind === 'link') line += ` -> ${readlinkSync(path)}`;
    if (kind === 'file') line += ` content=${readFileSync(path).toString('base64')}`;
    lines.push(line);
    if (kind === 'dir' && !skip(rel)) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    }
  };
  visit(root);
  return lines;
}

/** What an attack must leave alone: all of tmp except, on a writable mount, the box's insides. */
export function protectedState(l: Layout, readOnly: boolean): { tmp: string[]; outside: string[] } {
  return {
    tmp: readdirSync(l.tmp).sort(),
    outside: snapshot(l.tmp, (rel) => !readOnly && rel === 'box').filter((line) => readOnly || !line.startsWith('box ')),
  };
}

