// Layer: cli/harness. Imports nothing but the stream it is given.
// Progress on stderr while tests run: a bar redrawn in place on a terminal, and otherwise a plain
// line at every tenth of the way (CI logs stay short).

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export class Progress {
  readonly #out: ProgressStream;
  readonly #total: number;
  readonly #tty: boolean;
  #done = 0;
  #failed = 0;
  #lastDraw = 0;
  #lastTenth = 0;

  constructor(out: ProgressStream, total: number, enabled: boolean) {
    this.#out = out;
    this.#total = total;
    this.#tty = enabled && out.isTTY === true;
    if (!enabled) this.#lastTenth = Infinity;
  }

  /** One job finished. */
  tick(what: string, failed: boolean): void {
    this.#done++;
    if (failed) this.#failed++;
    if (this.#tty) {
      const now = Date.now();
      if (now - this.#lastDraw >= 80 || this.#done === this.#total) {
        this.#lastDraw = now;
        this.#draw(what);
      }
      return;
    }
    const tenth = Math.floor((this.#done * 10) / Math.max(1, this.#total));
    if (tenth > this.#lastTenth) {
      this.#lastTenth = tenth;
      this.#out.write(`iotypes test: ${this.#done}/${this.#total} run (${tenth * 10}%), ${this.#failed} not passing\n`);
    }
  }

  #draw(what: string): void {
    const width = 30;
    const filled = Math.round((this.#done / Math.max(1, this.#total)) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.#done}/${this.#total}`;
    const failed = this.#failed > 0 ? `  ${this.#failed} not passing` : '';
    const line = `${bar}${failed}  ${what}`;
    const max = (this.#out.columns ?? 80) - 1;
    this.#out.write(`\r\u001b[K${line.length > max ? line.slice(0, max) : line}`);
  }

  /** Clears the bar (the matrix follows on stdout). */
  end(): void {
    if (this.#tty) this.#out.write('\r\u001b[K');
  }
}
