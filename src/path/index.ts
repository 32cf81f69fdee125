// Layer: path. Imports src/errno and src/io only.
// Walks a guest path beneath a directory handle, one component at a time, through the Directory
// interface. This is the sandbox, once, for every backend: no absolute paths, no ".." above the
// starting directory, symlink targets resolved inside the same walk (and so the same sandbox),
// a bounded number of symlink hops, and no string-prefix tricks.

import { Errno, WasiError } from '../errno/index.js';
import type { Directory } from '../io/directory.js';

/** Symlinks followed in one resolution before ELOOP (Linux: 40). */
export const MAX_SYMLINK_HOPS = 40;

export interface Resolved {
  /** The directory holding the final component. */
  dir: Directory;
  /** The final component, or undefined when the path names `dir` itself ("." or "a/.."). */
  name: string | undefined;
  /** The path ended in "/" (or named a directory through "." / ".."): it must be a directory. */
  mustBeDir: boolean;
}

/** Splits a guest path, rejecting what can never be resolved beneath a directory. */
function components(path: string): string[] {
  if (path.length === 0) throw new WasiError(Errno.ENOENT, 'empty path');
  // NOTE: a NUL byte inside a path is EINVAL here; C callers cannot produce one (wasmtime: EINVAL).
  if (path.includes('\0')) throw new WasiError(Errno.EINVAL, 'path contains a NUL byte');
  // NOTE: absolute paths are refused with ENOTCAPABLE, as wasmtime does: a descriptor is the
  // only root a guest has.
  if (path.startsWith('/')) throw new WasiError(Errno.ENOTCAPABLE, `absolute path ${JSON.stringify(path)}`);
  return path.split('/');
}

/**
 * Resolves `path` beneath `start`. Intermediate symlinks are always followed; the final one only
 * when `followFinal` (or when the path ends in "/"). A final component that does not exist is
 * returned as is, for the caller to create or report.
 */
export function resolve(start: Directory, path: string, followFinal: boolean): Resolved {
  let parts = components(path);
  const stack: Directory[] = [start];
  let hops = 0;
  let i = 0;
  for (;;) {
    // Skip empty components ("a//b") and "."; remember whether the path ends by naming a dir.
    let c: string | undefined;
    let mustBeDir = false;
    while (i < parts.length) {
      const p = parts[i++]!;
      if (p === '' || p === '.') {
        if (i === parts.length) mustBeDir = true;
        continue;
      }
      c = p;
      break;
    }
    const dir = stack[stack.length - 1]!;
    if (c === undefined) return { dir, name: undefined, mustBeDir: true };
    const rest = parts.slice(i);
    const last = rest.every((p) => p === '' || p === '.');
    if (last && rest.length > 0) mustBeDir = true;
    if (c === '..') {
      if (stack.length === 1) {
        throw new WasiError(Errno.ENOTCAPABLE, `${JSON.stringify(path)} leads above its directory`);
      }
      stack.pop();
      if (last) return { dir: stack[stack.length - 1]!, name: undefined, mustBeDir: true };
      continue;
    }
    if (last && !followFinal && !mustBeDir) return { dir, name: c, mustBeDir };
    let type;
    try {
      type = dir.stat(c).type;
    } catch (e) {
      if (last && e instanceof WasiError && e.errno === Errno.ENOENT) return { dir, name: c, mustBeDir };
      throw e;
    }
    if (type === 'symbolic-link') {
      if (++hops > MAX_SYMLINK_HOPS) throw new WasiError(Errno.ELOOP, `too many symlinks in ${JSON.stringify(path)}`);
      const target = dir.readlink(c);
      // NOTE: an absolute symlink target would name something outside the sandbox; refused with
      // ENOTCAPABLE like an absolute path (wasmtime does the same).
      const expanded = components(target);
      parts = [...expanded, ...rest];
      i = 0;
      continue;
    }
    if (last) return { dir, name: c, mustBeDir };
    if (type !== 'directory') throw new WasiError(Errno.ENOTDIR, `${JSON.stringify(c)} is not a directory`);
    stack.push(dir.openDir(c));
  }
}
