// Layer: io. Imports nothing.
// How a synchronous call waits for an asynchronous source. Preview 1 is synchronous: a guest's
// call must return its answer. An asynchronous backend (a browser's storage, a fetched URL, a
// person typing) answers later. A *settler* bridges the two, in one of two ways:
//
// - Suspending (JSPI): the call runs under a replay log. An operation whose answer is not there
//   yet throws `Pending`; the import wrapper (src/abi/jspi.ts) suspends the guest on its promise
//   and then runs the whole call again. On the rerun every operation the call already made
//   answers from the log, in order, without running again; so a call that makes several
//   asynchronous operations makes each exactly once. Effects before a `Pending` are therefore
//   repeated only if they are synchronous, and the transfer loops of src/syscalls report what
//   moved before a `Pending` as a short transfer instead of rerunning (see `partial`).
// - Blocking (a worker): the operation is sent to the thread that owns the object and the
//   worker waits on a SharedArrayBuffer (adapters/browser/worker-*.ts). No log is needed.
//
// Adapters (src/io/async.ts) make every call through a `Settler`, so one adapter serves both.

/** Thrown by an operation that has started but not finished; not an error. */
export class Pending {
  constructor(readonly promise: Promise<unknown>) {}
}

/** Runs `method` of `target` and returns its settled result synchronously (or throws its error). */
export interface Settler {
  call<T>(target: object, method: string, args: readonly unknown[]): T;
  /** Starts `method` of `target` without waiting for it (a close); its failure is dropped. */
  post(target: object, method: string, args: readonly unknown[]): void;
}

type Entry =
  | { target: object; method: string; state: 'pending'; promise: Promise<unknown> }
  | { target: object; method: string; state: 'done'; value: unknown }
  | { target: object; method: string; state: 'failed'; error: unknown };

/** The operations of one guest call, answered in order on each rerun. */
export class ReplayLog {
  readonly #entries: Entry[] = [];
  #next = 0;
  // Made only when an attempt uses them: a call that meets no asynchronous object allocates none.
  #undo: (() => void)[] | undefined;
  #after: (() => void)[] | undefined;

  /** Runs `fn` once under this log; returns its result or the `Pending` it threw. */
  attempt<T>(fn: () => T): { value: T } | { pending: Promise<unknown> } {
    const outer = active;
    active = this;
    this.#next = 0;
    this.#undo = undefined;
    this.#after = undefined;
    let waiting = false;
    try {
      return { value: fn() };
    } catch (e) {
      if (e instanceof Pending) {
        // The rerun starts from the state this attempt started from.
        waiting = true;
        const undo = this.#undo as (() => void)[] | undefined; // set by the operations fn ran
        if (undo !== undefined) for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
        return { pending: e.promise };
      }
      throw e;
    } finally {
      const after = this.#after as (() => void)[] | undefined;
      this.#undo = undefined;
      this.#after = undefined;
      active = outer;
      // An attempt that ends waiting is run again, and the rerun posts the same operations.
      if (!waiting && after !== undefined) for (const f of after) f();
    }
  }

  /** Registers how to put back state this attempt changed, should it end waiting. */
  onUndo(undo: () => void): void {
    (this.#undo ??= []).push(undo);
  }

  /**
   * Registers an operation to start once this attempt has ended with an answer or an error (a
   * close): an attempt that ends waiting runs again, and the objects it closed would be gone
   * when the rerun finds them in the log.
   */
  afterward(start: () => void): void {
    (this.#after ??= []).push(start);
  }

  /** The answer of the next operation, running it the first time. */
  call<T>(target: object, method: string, run: () => unknown): T {
    const i = this.#next++;
    let entry = this.#entries[i];
    if (entry !== undefined && (entry.target !== target || entry.method !== method)) {
      // The call took another route this time (something changed while it waited): what it did
      // after this point no longer applies.
      this.#entries.length = i;
      entry = undefined;
    }
    if (entry === undefined) {
      let result: unknown;
      try {
        result = run();
      } catch (error) {
        this.#entries.push({ target, method, state: 'failed', error });
        throw error;
      }
      if (!isThenable(result)) {
        this.#entries.push({ target, method, state: 'done', value: result });
        return result as T;
      }
      const pending: Entry = { target, method, state: 'pending', promise: Promise.resolve() };
      const settle = (done: Entry) => {
        if (this.#entries[i] === pending) this.#entries[i] = done;
      };
      pending.promise = Promise.resolve(result).then(
        (value) => settle({ target, method, state: 'done', value }),
        (error: unknown) => settle({ target, method, state: 'failed', error }),
      );
      this.#entries.push(pending);
      entry = pending;
    }
    if (entry.state === 'done') return entry.value as T;
    if (entry.state === 'failed') throw entry.error;
    throw new Pending(entry.promise);
  }

  /** A value computed once per guest call (the instant a wait started). */
  remember<T>(compute: () => T): T {
    return this.call<T>(REMEMBERED, 'remember', compute);
  }
}

const REMEMBERED = {};
let active: ReplayLog | undefined;

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function' && (typeof value === 'object' || typeof value === 'function');
}

/**
 * The settler of the suspending path: the replay log of the guest call in progress. Outside one
 * (a synchronous run), an operation that answers at once works and one that returns a promise
 * fails with an error that says what to do.
 */
export const suspending: Settler = {
  call<T>(target: object, method: string, args: readonly unknown[]): T {
    const run = () => (target as Record<string, (...a: unknown[]) => unknown>)[method]!(...args);
    if (active) return active.call<T>(target, method, run);
    const result = run();
    if (isThenable(result)) {
      // Nothing can wait here; make sure the rejection of an abandoned promise is not unhandled.
      Promise.resolve(result).catch(() => {});
      throw new Error(
        `iotypes: ${method}() of an asynchronous I/O object returned a promise during a synchronous run; ` +
          'run the module with { async: true } (JSPI) or in a worker (iotypes/browser runInWorker)',
      );
    }
    return result as T;
  },
  post(target: object, method: string, args: readonly unknown[]): void {
    const fn = (target as Record<string, ((...a: unknown[]) => unknown) | undefined>)[method];
    if (typeof fn !== 'function') return;
    const start = () => {
      try {
        const result = fn.apply(target, [...args]);
        if (isThenable(result)) Promise.resolve(result).catch(() => {});
      } catch {
        // Nobody waits for this operation: its failure has no one to go to.
      }
    };
    if (active) active.afterward(start);
    else start();
  },
};

/**
 * Runs `fn` under a new replay log until it answers: its value at once when no operation made it
 * wait, else a promise of it, running `fn` again each time what it waited for has settled. The
 * suspending imports (src/abi/jspi.ts) run each guest call this way; so can a host that calls a
 * `Directory` made by `fromAsyncDirectory` from JavaScript.
 */
export function replayed<T>(fn: () => T): T | Promise<T> {
  const log = new ReplayLog();
  const first = log.attempt(fn);
  if ('value' in first) return first.value; // answered at once: the usual case
  return (async () => {
    let waitOn = first.pending;
    for (;;) {
      await waitOn;
      const r = log.attempt(fn);
      if ('value' in r) return r.value;
      waitOn = r.pending;
    }
  })();
}

/** A value computed once per guest call under the suspending path (and every time otherwise). */
export function remember<T>(compute: () => T): T {
  return active ? active.remember(compute) : compute();
}

/**
 * Registers how to put back synchronous state a guest call changed (a position in a buffered
 * chunk), in case the call ends waiting and runs again. Nothing to do outside the suspending path.
 */
export function onUndo(undo: () => void): void {
  active?.onUndo(undo);
}

/** Whether a guest call is running under a replay log (the suspending path). */
export function suspendingCall(): boolean {
  return active !== undefined;
}

/** Waits for `promise` by suspending the guest call; its value is not needed. */
export function waitFor(promise: Promise<unknown>): never {
  if (!active) throw new Error('iotypes: waitFor() outside an asynchronous run');
  throw new Pending(promise);
}

let wakeUp: (() => void) | undefined;
let woken: Promise<void> | undefined;

/** Settles when any asynchronous source next has something new (poll_oneoff waits on this). */
export function nextWake(): Promise<void> {
  return (woken ??= new Promise<void>((r) => (wakeUp = r)));
}

/** Called by asynchronous sources when data arrives or they end. */
export function wake(): void {
  const w = wakeUp;
  woken = undefined;
  wakeUp = undefined;
  w?.();
}
