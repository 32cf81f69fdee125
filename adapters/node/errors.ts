// Layer: adapters/node. Imports src/errno, src/io and adapters/shared only.
// Node.js errors as WASI errnos, through the one host table (adapters/shared/errors.ts).

import { WasiError } from '../../src/errno/index.js';
import { IOError } from '../../src/io/index.js';
import { fromHostError } from '../shared/errors.js';

/**
 * Turns a Node.js error into a WasiError; an unmapped code is reported, and anything without a
 * code propagates. With `moved`, the error ended a transfer that had already moved that many
 * bytes: it becomes an IOError carrying the count, so the bytes that moved are reported first.
 */
export function fromNode(e: unknown, moved?: number): never {
  const err = fromHostError(e, 'Node.js');
  if (moved !== undefined && err instanceof WasiError && !(err instanceof IOError)) {
    throw new IOError(err.errno, moved, err.message);
  }
  throw err;
}

/** Runs `fn`, mapping Node.js errors to WasiError (to IOError with `moved` when given). */
export function host<T>(fn: () => T, moved?: number): T {
  try {
    return fn();
  } catch (e) {
    return fromNode(e, moved);
  }
}

/** `promise`, with a Node.js error it rejects with mapped as `host` maps it. */
export function hostAsync<T>(promise: Promise<T>, moved?: number): Promise<T> {
  return promise.catch((e: unknown) => fromNode(e, moved));
}
