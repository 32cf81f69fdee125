// Layer: io. Imports src/io only.
// What every stream and array has besides its bytes: a media type and a pseudonym.

import { Pseudonym } from './pseudonym.js';

export const DEFAULT_MEDIA_TYPE = 'application/octet-stream';

/** Options every stream and array constructor accepts. */
export interface IOOptions {
  /** IANA media type, e.g. `text/plain`. Default `application/octet-stream`. */
  mediaType?: string;
  /** Host-side display name behind the pseudonym (a path, "stdin", ...). */
  name?: string;
}

export abstract class IOHandle {
  #pseudonym: Pseudonym | undefined;
  readonly #mediaType: string;
  readonly #name: string;

  constructor(options: IOOptions, defaultName: string) {
    this.#mediaType = options.mediaType ?? DEFAULT_MEDIA_TYPE;
    this.#name = options.name ?? defaultName;
  }

  /** The IANA media type of the bytes. */
  mediaType(): string {
    return this.#mediaType;
  }

  /** The opaque handle naming this stream or array; made once, on first use. */
  pseudonym(): Pseudonym {
    return (this.#pseudonym ??= new Pseudonym(this.#name));
  }
}
