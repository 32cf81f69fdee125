// Layer: adapters/browser. Imports src/io only.
// Guest output for a page: each write handed to a callback (the browser console, an element),
// and a helper that turns such bytes into whole lines of text. Both are the platform-neutral
// helpers of src/io (onChunk, lineSplitter) under the names this subpath has always had.

import { ChunkOutput, lineSplitter, type IOOptions } from '../../src/io/index.js';

/** An output stream that hands a copy of every write to `write`, whole and at once. */
export class ConsoleOutput extends ChunkOutput {
  constructor(write: (bytes: Uint8Array) => void, options: IOOptions = {}) {
    super(write, { name: 'console', ...options });
  }
}

/**
 * A byte sink that calls `write` once per complete line (without its "\n"), decoding UTF-8
 * across calls; bad bytes become U+FFFD. For `console.log`, which starts a new entry per call.
 */
export function splitLines(write: (line: string) => void): (bytes: Uint8Array) => void {
  const lines = lineSplitter(write);
  return (bytes) => lines.push(bytes);
}
