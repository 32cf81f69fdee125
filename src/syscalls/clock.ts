// Layer: syscalls. Imports src/io/pending only.
// The four Preview 1 clocks. Each reads nanoseconds as a bigint (and, where it can, as a number:
// the fast path of clock_time_get, which then makes no BigInt). And the ways to sleep.

import { nextWake, suspending, suspendingCall } from '../io/pending.js';

export const Clock = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export type ClockId = (typeof Clock)[keyof typeof Clock];

export interface Clock {
  now(): bigint;
  resolution(): bigint;
  /**
   * Optional: the same reading as `now()`, in nanoseconds as a number. Used when it is a safe
   * integer (below 2^53 ns, about 104 days); otherwise `now()` is asked instead.
   */
  nowNumber?(): number;
}

export type Clocks = Record<ClockId, Clock>;

/**
 * Clocks from the web platform's `performance` (present in Node.js and browsers): microsecond
 * resolution. There is no CPU-time clock in that platform: the process and thread clocks count
 * time since the instance started, which is monotonic and an upper bound of CPU time.
 */
export function defaultClocks(): Clocks {
  const { realtime, monotonic } = (shared ??= sharedClocks());
  // Taken once: in Node.js the global `performance` is an accessor, whose call costs on every read.
  const perf = performance;
  const origin = perf.now();
  const sinceStartNs = () => Math.round((perf.now() - origin) * 1e6);
  const sinceStart: Clock = {
    now: () => BigInt(sinceStartNs()),
    nowNumber: sinceStartNs,
    resolution: () => MICRO,
  };
  return { 0: realtime, 1: monotonic, 2: sinceStart, 3: sinceStart };
}

const MICRO = 1000n;
/** The realtime and monotonic clocks hold no state: made once, frozen, shared by every run. */
let shared: { realtime: Clock; monotonic: Clock } | undefined;

function sharedClocks(): { realtime: Clock; monotonic: Clock } {
  const perf = performance;
  const monotonicNs = () => Math.round(perf.now() * 1e6);
  return {
    monotonic: Object.freeze({ now: () => BigInt(monotonicNs()), nowNumber: monotonicNs, resolution: () => MICRO }),
    realtime: Object.freeze({
      now: () => BigInt(Math.round((perf.timeOrigin + perf.now()) * 1000)) * MICRO,
      resolution: () => MICRO,
    }),
  };
}

let sleeper: Int32Array | undefined;

/**
 * Blocks the thread for `ns` nanoseconds without burning a core: Atomics.wait on a private cell
 * that is never notified. Where the platform forbids blocking (a browser's main thread), it
 * falls back to waiting on the clock.
 */
export function defaultSleep(ns: bigint): void {
  const end = performance.now() + Number(ns) / 1e6;
  try {
    sleeper ??= new Int32Array(new SharedArrayBuffer(4));
    for (let left = end - performance.now(); left > 0; left = end - performance.now()) {
      Atomics.wait(sleeper, 0, 0, left);
    }
  } catch {
    while (performance.now() < end) {
      // No blocking primitive here: the clock is the only way to wait.
    }
  }
}

/** The suspending path's timer: each sleep is one operation of the guest call's replay log. */
const timer = {
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      void nextWake().then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  },
};

/**
 * Sleep for the suspending path (JSPI): the guest call waits on a timer, or until an
 * asynchronous source has news. The sleep is an operation of the replay log, so the call runs
 * again past the sleep that ended and looks again (a poll sees the input that arrived; its
 * deadlines are remembered across reruns). Outside a suspending call it is `defaultSleep`.
 */
export function suspendingSleep(ns: bigint): void {
  if (!suspendingCall()) return defaultSleep(ns);
  suspending.call(timer, 'sleep', [Math.max(0, Math.ceil(Number(ns) / 1e6))]);
}
