// Layer: adapters/node. Imports src/errno and adapters/shared only.
// Node.js errors as WASI errnos, through the one host table (adapters/shared/errors.ts).

import { fromHostError } from '../shared/errors.js';

/** Turns a Node.js error into a WasiError; an unmapped code is reported, and anything without a code propagates. */
export function fromNode(e: unknown): never {
  throw fromHostError(e, 'Node.js');
}

/** Runs `fn`, mapping Node.js errors to WasiError. */
export function host<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return fromNode(e);
  }
}
