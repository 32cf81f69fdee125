// Layer: adapters/browser. Imports src/io only.
// Guest output for a page: each write handed to a callback (the browser console, an element),
// and a helper that turns such bytes into whole lines of text.

import { OutputStream, type IOOptions } from '../../src/io/index.js';

/** An output stream that hands a copy of every write to `write`, whole and at once. */
export class ConsoleOutput extends OutputStream {
  readonly #write: (bytes: Uint8Array) => void;
  constructor(write: (bytes: Uint8Array) => void, options: IOOptions = {}) {
    super({ name: 'console', ...options });
    this.#write = write;
  }
  protected writeCore(from: Uint8Array): number {
    this.#write(from.slice());
    return from.length;
  }
}

/**
 * A byte sink that calls `write` once per complete line (without its "\n"), decoding UTF-8
 * across calls; bad bytes become U+FFFD. For `console.log`, which starts a new entry per call.
 */
export function splitLines(write: (line: string) => void): (bytes: Uint8Array) => void {
  const dec = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  return (bytes) => {
    pending += dec.decode(bytes, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) write(line);
  };
}
