// Layer: io. Imports nothing.
// When a backend may reuse one clock reading for several time stamps (mtim/ctim of changes).
//
// A guest learns what time it is only by asking (clock_time_get, poll_oneoff) or by looking at
// stamps. POSIX asks that a change's stamp be no earlier than a time the guest read before the
// change and no later than one it reads after; any reading taken after the guest last asked the
// time satisfies both, for every change until it asks again. So while a guest runs synchronously
// (`guestRuns`), a stamping clock made by `coalescedClock` is read at the first change after the
// last observation of time and that reading is reused until the next observation
// (`timeObserved`, called by the clock and poll calls). The reuse never outlives the current
// JavaScript job (a microtask ends it) nor the run itself, and outside a run every stamp reads
// the clock, so host code calling a backend directly sees exact times.

let epoch = 0;
let running = 0;
let endQueued = false;

const endEpoch = (): void => {
  endQueued = false;
  epoch++;
};

/** The guest (or anyone) has read the time: the next stamp reads the clock again. */
export function timeObserved(): void {
  epoch++;
}

/** Runs `fn` (a synchronous guest run) with stamps coalesced between observations of time. */
export function guestRuns<T>(fn: () => T): T {
  running++;
  epoch++;
  try {
    return fn();
  } finally {
    running--;
    epoch++;
  }
}

/**
 * `read` (a clock in nanoseconds), read at most once between two observations of time while a
 * guest runs synchronously, and on every call otherwise.
 */
export function coalescedClock(read: () => bigint): () => bigint {
  let at = -1;
  let value = 0n;
  return () => {
    if (running === 0) return read();
    if (at === epoch) return value;
    value = read();
    at = epoch;
    if (!endQueued) {
      endQueued = true;
      queueMicrotask(endEpoch);
    }
    return value;
  };
}
