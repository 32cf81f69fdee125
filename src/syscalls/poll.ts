// Layer: syscalls. Imports src/errno, src/io and src/fdtable only (and this folder).
// poll_oneoff: clocks and descriptor readiness, waiting without spinning for the first clock.

import { Errno, WasiError } from '../errno/index.js';
import { FileDescriptor, StreamDescriptor, type AnyDescriptor, type FdTable } from '../fdtable/index.js';
import { Clock, type Clocks } from './clock.js';
import type { PollEvent, Subscription, SyscallOptions } from './context.js';
import { clockOf } from './runtime.js';
import { remember } from '../io/pending.js';
import { timeObserved } from '../io/time.js';

export class PollCalls {
  readonly #fds: FdTable;
  readonly #clocks: Clocks;
  readonly #sleep: (ns: bigint) => void;
  constructor(options: SyscallOptions) {
    this.#fds = options.fds;
    this.#clocks = options.clocks;
    this.#sleep = options.sleep;
  }

  /**
   * poll(2) over clocks and descriptor readiness. Waits (without spinning) for the first clock or
   * the first descriptor to become ready.
   */
  pollOneoff(subs: readonly Subscription[]): PollEvent[] {
    if (subs.length === 0) throw new WasiError(Errno.EINVAL, 'no subscriptions');
    // Time passes here and clocks are read: stamps made after this call read their clock again.
    timeObserved();
    try {
      return this.#poll(subs);
    } finally {
      timeObserved();
    }
  }

  #poll(subs: readonly Subscription[]): PollEvent[] {
    const events: PollEvent[] = [];
    let earliest: { sub: Subscription; deadline: bigint } | undefined;
    for (const sub of subs) {
      if (sub.kind === 'clock') {
        let deadline: bigint;
        try {
          // Under the suspending path a waiting call runs again: its deadlines stay those of
          // its first run (src/io/pending.ts).
          deadline = remember(() => {
            const clock = clockOf(this.#clocks, sub.clock);
            const start = clockOf(this.#clocks, Clock.MONOTONIC).now();
            return sub.abstime ? start + (sub.timeout - clock.now()) : start + sub.timeout;
          });
        } catch (e) {
          if (!(e instanceof WasiError)) throw e;
          events.push({ userdata: sub.userdata, errno: e.errno, kind: 'clock', nbytes: 0n, hangup: false });
          continue;
        }
        if (earliest === undefined || deadline < earliest.deadline) earliest = { sub, deadline };
        continue;
      }
      const ev = this.#readiness(sub);
      if (ev) events.push(ev);
    }
    if (events.length > 0) return events;
    if (earliest === undefined) {
      // NOTE: only descriptors that cannot become ready during this synchronous call (an
      // in-process pipe) and no clock: report them ready with 0 bytes instead of hanging forever.
      return subs.map((s) => ({ userdata: s.userdata, errno: 0, kind: s.kind, nbytes: 0n, hangup: false }));
    }
    const timedOut: PollEvent[] = [{ userdata: earliest.sub.userdata, errno: 0, kind: 'clock', nbytes: 0n, hangup: false }];
    const monotonic = clockOf(this.#clocks, Clock.MONOTONIC);
    const waiting = subs.filter((s): s is Subscription & { kind: 'fd_read' | 'fd_write' } => s.kind !== 'clock');
    if (waiting.length === 0) {
      // A sleep may end early (the suspending path's does when an asynchronous source has news).
      for (let wait = earliest.deadline - monotonic.now(); wait > 0n; wait = earliest.deadline - monotonic.now()) this.#sleep(wait);
      return timedOut;
    }
    // Descriptors that are not ready yet can become so during the wait (a host pipe on stdin):
    // look again between sleeps that grow from 1 ms to 50 ms, until the first clock.
    for (let slice = 1_000_000n; ; slice = slice >= 25_000_000n ? 50_000_000n : slice * 2n) {
      const wait = earliest.deadline - monotonic.now();
      if (wait <= 0n) return timedOut;
      this.#sleep(wait < slice ? wait : slice);
      for (const sub of waiting) {
        const ev = this.#readiness(sub);
        if (ev) events.push(ev);
      }
      if (events.length > 0) return events;
    }
  }

  #readiness(sub: Subscription & { kind: 'fd_read' | 'fd_write' }): PollEvent | undefined {
    const ev = (errno: number, nbytes: bigint, hangup = false): PollEvent => ({ userdata: sub.userdata, errno, kind: sub.kind, nbytes, hangup });
    let d: AnyDescriptor;
    try {
      d = sub.kind === 'fd_read' ? this.#fds.readable(sub.fd) : this.#fds.writable(sub.fd);
    } catch (e) {
      if (e instanceof WasiError) return ev(e.errno, 0n);
      throw e;
    }
    if (d instanceof FileDescriptor) {
      const len = d.node.array.len();
      return ev(0, sub.kind === 'fd_read' ? BigInt(Math.max(0, len - d.cursor)) : 0n);
    }
    if (d instanceof StreamDescriptor) {
      if (sub.kind === 'fd_read') {
        const input = d.input!;
        if (!input.ready()) return undefined;
        return ev(0, input.status === 'open' ? 1n : 0n, input.status !== 'open');
      }
      const room = d.output!.checkWrite();
      if (d.output!.status !== 'open') return ev(0, 0n, true);
      return room > 0 ? ev(0, BigInt(Math.min(room, 2 ** 31))) : undefined;
    }
    return ev(Errno.EBADF, 0n);
  }
}
