// Layer: adapters/node. Imports node:* and src/io only.
// What the Node backend asks of a Linux host beyond Node's own fs API, each with its cost:
//
// - /proc/self/fd/N/NAME: the kernel resolves /proc/self/fd/N to the very directory the open
//   descriptor N holds (not to a path), then NAME beneath it, as openat(N, NAME) does. Node has no
//   *at() calls; this gives every fs call directory-relative addressing for the price of a few
//   extra path components resolved in the kernel. Where /proc is missing (not Linux), the backend
//   re-walks a folder's path instead and says so (see SECURITY.md).
// - Nanosecond times: Node's utimes takes seconds as a double, which keeps about a microsecond. A
//   time with finer digits is set again by spawning coreutils' `touch -d @S.N` (a child process,
//   about a millisecond), only when such digits are present. Without coreutils, times keep
//   microseconds.

import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import type { TimeSpec } from '../../src/io/index.js';

/** Whether /proc/self/fd resolves names beneath open directories (Linux). */
export const PROC_FD = process.platform === 'linux' && fs.existsSync('/proc/self/fd');

/** The path that names `name` beneath the open directory `fd`, resolved like openat(fd, name). */
export function atPath(fd: number, name: string): string {
  return `/proc/self/fd/${fd}/${name}`;
}

/** `atPath` as another process (a child) reaches it: /proc/self would be the child's own. */
export function atPathForChild(fd: number, name?: string): string {
  return name === undefined ? `/proc/${process.pid}/fd/${fd}` : `/proc/${process.pid}/fd/${fd}/${name}`;
}

/** Seconds as Node's utimes wants them; 'now' and "unchanged" resolved against `currentNs`. */
function seconds(t: TimeSpec, currentNs: bigint): number {
  if (t === 'now') return Date.now() / 1000;
  const ns = t ?? currentNs;
  return Number(ns / 1000n) / 1e6;
}

/**
 * Where to set times: an open descriptor, or a path whose final component is not followed (with
 * the same path as a child process reaches it).
 */
export type TimesTarget = { fd: number } | { path: string; childPath: string };

/** What setting times takes: seconds for Node's utimes, then the `touch` runs that put back nanoseconds. */
interface TimesPlan {
  atime: number;
  mtime: number;
  touches: string[][];
}

/**
 * How to set times to the nanosecond. "Unchanged" (undefined) keeps the current time exactly,
 * also below the microsecond: Node's utimes rewrites both times, so a kept time with finer digits
 * is put back by `touch` too.
 */
function timesPlan(target: TimesTarget, atim: TimeSpec, mtim: TimeSpec, current: { atim: bigint; mtim: bigint }): TimesPlan {
  const touches: string[][] = [];
  for (const [flag, t] of [['-a', atim ?? current.atim], ['-m', mtim ?? current.mtim]] as const) {
    if (typeof t !== 'bigint' || t < 0n || t % 1000n === 0n) continue;
    const stamp = `@${t / 1_000_000_000n}.${(t % 1_000_000_000n).toString().padStart(9, '0')}`;
    // A child process reaches an open descriptor of ours through /proc/<pid>/fd/<n> (following
    // it, to the file it holds even if renamed); a path is given with -h (not followed).
    touches.push('fd' in target ? [flag, '-c', '-d', stamp, '--', atPathForChild(target.fd)] : ['-h', flag, '-d', stamp, '--', target.childPath]);
  }
  return { atime: seconds(atim, current.atim), mtime: seconds(mtim, current.mtim), touches };
}

/** Sets times to the nanosecond (see `timesPlan`), with node:fs's synchronous calls. */
export function setTimesExact(target: TimesTarget, atim: TimeSpec, mtim: TimeSpec, current: { atim: bigint; mtim: bigint }): void {
  const plan = timesPlan(target, atim, mtim, current);
  if ('fd' in target) fs.futimesSync(target.fd, plan.atime, plan.mtime);
  else fs.lutimesSync(target.path, plan.atime, plan.mtime);
  for (const args of plan.touches) {
    const r = spawnSync('touch', args, { stdio: 'ignore' });
    // NOTE: without coreutils' touch (not Linux), times keep microsecond precision.
    if (r.error !== undefined || r.status !== 0) return;
  }
}

const futimes = promisify(fs.futimes);
const execTouch = promisify(execFile);

/** `setTimesExact` with asynchronous calls (node:fs/promises, a child process not waited for synchronously). */
export async function setTimesExactAsync(target: TimesTarget, atim: TimeSpec, mtim: TimeSpec, current: { atim: bigint; mtim: bigint }): Promise<void> {
  const plan = timesPlan(target, atim, mtim, current);
  if ('fd' in target) await futimes(target.fd, plan.atime, plan.mtime);
  else await fs.promises.lutimes(target.path, plan.atime, plan.mtime);
  for (const args of plan.touches) {
    try {
      await execTouch('touch', args);
    } catch {
      return; // as in setTimesExact: times keep microsecond precision
    }
  }
}

/** The path that reopens the file `fd` holds (even renamed or unlinked since). */
export function reopenPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

/** Opens a second descriptor for appending: write-only, O_APPEND. */
export const APPEND_FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND;

/** A second descriptor of the file `fd` holds, opened with O_APPEND (undefined where impossible). */
export function reopenForAppend(fd: number): number | undefined {
  try {
    return fs.openSync(reopenPath(fd), APPEND_FLAGS);
  } catch {
    return undefined;
  }
}
