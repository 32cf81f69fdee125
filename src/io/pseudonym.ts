// Layer: io. Imports nothing.
// A pseudonym is an opaque handle naming a stream or array without revealing what it is on the
// host. The guest only ever holds the handle (its `id`); the host renders it to a display name.

let nextId = 1;

export class Pseudonym {
  /** The opaque number a guest may hold. It says nothing about the host. */
  readonly id: number;
  readonly #displayName: string;

  constructor(displayName: string) {
    this.id = nextId++;
    this.#displayName = displayName;
  }

  /** Host side only: the human-readable name (a host path, a URL, "stdin", ...). */
  displayName(): string {
    return this.#displayName;
  }

  /** What a pseudonym prints as: the handle, never the display name. */
  toString(): string {
    return `pseudonym:${this.id}`;
  }
}
