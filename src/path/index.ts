// Layer: path. Imports src/errno and src/io only.
// Walks a guest path beneath a directory handle, one component at a time, through the Directory
// interface. This is the sandbox, once, for every backend: no absolute paths, no ".." above the
// starting directory, symlink targets resolved inside the same walk (and so the same sandbox),
// a bounded number of symlink hops, and no string-prefix tricks.

import { Errno, WasiError } from '../errno/index.js';
import type { Directory, Stat } from '../io/directory.js';

/** Symlinks followed in one resolution before ELOOP (Linux: 40). */
export const MAX_SYMLINK_HOPS = 40;

export interface Resolved {
  /** The directory holding the final component. */
  dir: Directory;
  /** The final component, or undefined when the path names `dir` itself ("." or "a/.."). */
  name: string | undefined;
  /** The path ended in "/" (or named a directory through "." / ".."): it must be a directory. */
  mustBeDir: boolean;
  /**
   * The final component's metadata as the walk found it (not following a final symlink unless
   * asked): a Stat, null when it does not exist, undefined when the walk did not look. Use
   * `finalStat`, which looks only when the walk did not.
   */
  stat: Stat | null | undefined;
  /** Whether `dir` was opened by the walk (and is closed by `release`). */
  owned: boolean;
}

/** The metadata of what `r` names (the directory itself when it has no final name); null if absent. */
export function finalStat(r: Resolved): Stat | null {
  if (r.stat !== undefined) return r.stat;
  if (r.name === undefined) return (r.stat = r.dir.statSelf());
  return (r.stat = lookup(r.dir, r.name));
}

/**
 * The metadata of the entry `name` of `dir` (not following a symlink), or null when there is
 * none: through the backend's `find` where it has one, without an ENOENT thrown for every name
 * a program probes or creates.
 */
export function lookup(dir: Directory, name: string): Stat | null {
  if (dir.find) return dir.find(name) ?? null;
  try {
    return dir.stat(name);
  } catch (e) {
    if (e instanceof WasiError && e.errno === Errno.ENOENT) return null;
    throw e;
  }
}

/** Splits a guest path, rejecting what can never be resolved beneath a directory. */
function components(path: string): string[] {
  if (path.length === 0) throw new WasiError(Errno.ENOENT, 'empty path');
  // NOTE: a NUL byte inside a path is EINVAL here; C callers cannot produce one (wasmtime: EINVAL).
  // One pass over the codes, for the NUL test and the split: String.prototype.split costs
  // several times more on a short, freshly made string.
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x2f) {
      parts.push(path.slice(from, i));
      from = i + 1;
    } else if (c === 0) {
      throw new WasiError(Errno.EINVAL, 'path contains a NUL byte');
    }
  }
  parts.push(path.slice(from));
  // NOTE: absolute paths are refused with ENOTCAPABLE, as wasmtime does: a descriptor is the
  // only root a guest has.
  if (path.charCodeAt(0) === 0x2f) throw new WasiError(Errno.ENOTCAPABLE, `absolute path ${JSON.stringify(path)}`);
  return parts;
}

/**
 * Resolves `path` beneath `start`. Intermediate symlinks are always followed; the final one only
 * when `followFinal` (or when the path ends in "/"). A final component that does not exist is
 * returned as is, for the caller to create or report.
 *
 * Directories the walk opens on the way are closed by the walk, except the one it returns: the
 * caller gives that back with `release` (or keeps it with `takeDir`). The cost is linear in the
 * path's length: each component is looked at once, plus the components of followed symlinks
 * (at most MAX_SYMLINK_HOPS of them).
 */
export function resolve(start: Directory, path: string, followFinal: boolean): Resolved {
  let parts = components(path);
  let lastReal = lastComponent(parts);
  const stack: Directory[] = [start];
  let hops = 0;
  let i = 0;
  try {
    for (;;) {
      // Skip empty components ("a//b") and ".".
      while (i < parts.length && (parts[i] === '' || parts[i] === '.')) i++;
      const dir = stack[stack.length - 1]!;
      if (i >= parts.length) return done(stack, dir, undefined, true, undefined);
      const c = parts[i]!;
      const last = i === lastReal;
      // A path that goes on after its last real component ("a/", "a/.") must name a directory.
      const mustBeDir = last && i < parts.length - 1;
      i++;
      if (c === '..') {
        if (stack.length === 1) {
          throw new WasiError(Errno.ENOTCAPABLE, `${JSON.stringify(path)} leads above its directory`);
        }
        stack.pop()!.close?.();
        if (last) return done(stack, stack[stack.length - 1]!, undefined, true, undefined);
        continue;
      }
      if (last && !followFinal && !mustBeDir) return done(stack, dir, c, mustBeDir, undefined);
      if (!last) {
        // An intermediate component is opened as a directory first (openDir never follows a
        // symlink): one host call where the usual case is a directory. A symlink (ELOOP) or a
        // non-directory (ENOTDIR) is then looked at below.
        const next = openSubdirectory(dir, c);
        if (next !== undefined) {
          stack.push(next);
          continue;
        }
      }
      const st = lookup(dir, c);
      if (st === null) {
        if (last) return done(stack, dir, c, mustBeDir, null);
        throw new WasiError(Errno.ENOENT, `${JSON.stringify(c)} does not exist`);
      }
      if (st.type === 'symbolic-link') {
        if (++hops > MAX_SYMLINK_HOPS) throw new WasiError(Errno.ELOOP, `too many symlinks in ${JSON.stringify(path)}`);
        const target = dir.readlink(c);
        // NOTE: an absolute symlink target would name something outside the sandbox; refused with
        // ENOTCAPABLE like an absolute path (wasmtime does the same).
        parts = [...components(target), ...parts.slice(i)];
        lastReal = lastComponent(parts);
        i = 0;
        continue;
      }
      if (last) return done(stack, dir, c, mustBeDir, st);
      if (st.type !== 'directory') throw new WasiError(Errno.ENOTDIR, `${JSON.stringify(c)} is not a directory`);
      stack.push(dir.openDir(c));
    }
  } catch (e) {
    for (let k = stack.length - 1; k > 0; k--) stack[k]!.close?.();
    throw e;
  }
}

/** The subdirectory `name` of `dir`, or undefined when `name` is a symlink or not a directory. */
function openSubdirectory(dir: Directory, name: string): Directory | undefined {
  try {
    return dir.openDir(name);
  } catch (e) {
    if (e instanceof WasiError && (e.errno === Errno.ELOOP || e.errno === Errno.ENOTDIR)) return undefined;
    throw e;
  }
}

/** The index of the last component that is neither empty nor "." (-1 if none). */
function lastComponent(parts: readonly string[]): number {
  let k = parts.length - 1;
  while (k >= 0 && (parts[k] === '' || parts[k] === '.')) k--;
  return k;
}

/** Ends a walk at the top of `stack`: closes the other directories it opened. */
function done(stack: Directory[], dir: Directory, name: string | undefined, mustBeDir: boolean, stat: Stat | null | undefined): Resolved {
  for (let k = stack.length - 2; k > 0; k--) stack[k]!.close?.();
  return { dir, name, mustBeDir, stat, owned: stack.length > 1 };
}

/** Gives back the directory a resolution holds (closing it when the walk opened it). */
export function release(r: Resolved): void {
  if (r.owned) {
    r.owned = false;
    r.dir.close?.();
  }
}

/**
 * The directory a resolution names, as a handle of the caller's own (for a new descriptor): the
 * walk's handle when it opened one, else a new handle on the same directory.
 */
export function takeDir(r: Resolved): Directory {
  if (r.owned) {
    r.owned = false;
    return r.dir;
  }
  return r.dir.reopen?.() ?? r.dir;
}
