// Layer: syscalls. Imports src/errno and src/io/time only (and this folder).
// The process around the guest: its arguments and environment, clocks, randomness, scheduling,
// exit and signals.

import { Errno, ProcExit, WasiError } from '../errno/index.js';
import { timeObserved } from '../io/time.js';
import type { Clock, Clocks, ClockId } from './clock.js';
import { utf8Bytes, type SyscallOptions } from './context.js';

// NOTE: default actions as the witx documents them: none, SIGPIPE (13), SIGCHLD, SIGCONT, SIGSTOP,
// SIGTSTP, SIGTTIN, SIGTTOU, SIGURG and SIGWINCH are ignored (a guest has no process to stop);
// every other signal terminates with 128 + signal.
const SIGNALS_IGNORED = new Set([0, 13, 16, 17, 18, 19, 20, 21, 22, 27]);
const MAX_SIGNAL = 30;

/** The clock `id` (EINVAL for an unknown one). */
export function clockOf(clocks: Clocks, id: number): Clock {
  const c = clocks[id as ClockId];
  if (c === undefined) throw new WasiError(Errno.EINVAL, `unknown clock ${id}`);
  return c;
}

export class ProcessCalls {
  readonly #args: Uint8Array[];
  readonly #env: Uint8Array[];
  readonly #clocks: Clocks;
  readonly #random: (into: Uint8Array) => void;

  constructor(options: SyscallOptions) {
    // Encoded once: the guest sees exact UTF-8 byte counts, each string NUL-terminated.
    this.#args = options.args.map((a) => utf8Bytes(`${a}\0`));
    this.#env = options.env.map((e) => utf8Bytes(`${e}\0`));
    this.#clocks = options.clocks;
    this.#random = options.random;
  }

  /** main(argc, argv): the NUL-terminated UTF-8 arguments. */
  args(): readonly Uint8Array[] {
    return this.#args;
  }
  /** environ: the NUL-terminated UTF-8 NAME=VALUE strings. */
  environ(): readonly Uint8Array[] {
    return this.#env;
  }
  /** clock_getres(2) */
  clockRes(id: number): bigint {
    return clockOf(this.#clocks, id).resolution();
  }
  /**
   * clock_gettime(2): nanoseconds, as a number when the clock gives a safe integer (no BigInt
   * made), else as a bigint.
   */
  clockTime(id: number): number | bigint {
    const clock = clockOf(this.#clocks, id);
    timeObserved();
    if (clock.nowNumber !== undefined) {
      const t = clock.nowNumber();
      if (Number.isSafeInteger(t) && t >= 0) return t;
    }
    return clock.now();
  }
  /** getrandom(2) */
  random(into: Uint8Array): void {
    for (let i = 0; i < into.length; i += 65536) this.#random(into.subarray(i, i + 65536));
  }
  /** sched_yield(2): a single-threaded guest has nobody to yield to. */
  schedYield(): void {}
  /** exit(3) */
  procExit(code: number): never {
    throw new ProcExit(code >>> 0);
  }
  /** raise(3): default actions; terminating signals end the process with 128 + signal. */
  procRaise(sig: number): void {
    if (!Number.isInteger(sig) || sig < 0 || sig > MAX_SIGNAL) throw new WasiError(Errno.EINVAL, `bad signal ${sig}`);
    if (SIGNALS_IGNORED.has(sig)) return;
    throw new ProcExit(128 + sig);
  }
}
