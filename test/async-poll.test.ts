// poll_oneoff over asynchronous stdin (JSPI): a poll that waits sees input that arrives during
// its wait, and a sleep that an unrelated source wakes early still lasts until its deadline. The
// clocks here move only when the test moves them, so nothing depends on how fast the machine is.
// Node.js 20 has no JSPI; CI runs this file on Node 24 and 26, which have it.
import { fromAsyncSource, hasJspi, onChunk, PushSource, WASI, wake, type Clock, type Clocks } from 'iotypes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A clock standing at `time` until the test sets it; counts its readings. */
function manualClocks(): { clocks: Clocks; set(ns: bigint): void; readings(): number } {
  let time = 0n;
  let reads = 0;
  const clock: Clock = { now: () => (reads++, time), resolution: () => 1n };
  return { clocks: { 0: clock, 1: clock, 2: clock, 3: clock }, set: (ns) => void (time = ns), readings: () => reads };
}

async function run(wasm: string, options: { stdin?: PushSource; clocks: Clocks }): Promise<{ exitCode: number; stdout: string }> {
  let stdout = '';
  const dec = new TextDecoder();
  const wasi = new WASI({
    async: true,
    args: [wasm],
    clocks: options.clocks,
    ...(options.stdin ? { stdin: fromAsyncSource(options.stdin) } : {}),
    stdout: onChunk((b) => (stdout += dec.decode(b, { stream: true }))),
  });
  const { instance } = await WebAssembly.instantiate(readFileSync(join(ROOT, wasm)), wasi.getImportObject());
  return { exitCode: await wasi.startAsync(instance), stdout };
}

describe.skipIf(!hasJspi())('poll_oneoff over asynchronous stdin (JSPI)', () => {
  it('a line typed while poll waits is reported ready within the same wait', async () => {
    // The clock never moves: poll's one-second timeout never comes, so the only way out of each
    // wait is the typed line. Each line is typed once poll has looked and found stdin empty.
    const lines = ['hello\n', 'quit\n'];
    class Typist extends PushSource {
      override ready(): boolean {
        const ready = super.ready();
        const next = ready ? undefined : lines.shift();
        if (next !== undefined) setTimeout(() => this.push(next), 0);
        return ready;
      }
    }
    const got = await run('examples/poll-stdin.wasm', { stdin: new Typist(), clocks: manualClocks().clocks });
    expect(got.exitCode).toBe(0);
    expect(got.stdout).toBe(
      'Type something (poll waits one second at a time). "quit" or Ctrl-D ends.\n' +
        'poll: ready; read 6 bytes: hello\npoll: ready; read 5 bytes: quit\n',
    );
    expect(lines).toEqual([]);
  }, 10_000);

  it('a poll on a clock alone, woken early by another source, sleeps on until its deadline', async () => {
    const time = manualClocks();
    const done = run('c-fixtures/poll_timeout.wasm', { clocks: time.clocks });
    // Once the guest has read the clock and poll has taken its deadline (50 ms from now)...
    while (time.readings() < 2) await tick();
    // ...news from elsewhere does not end its sleep, since its clock has not moved,
    for (let i = 0; i < 3; i++) {
      wake();
      await tick();
    }
    // and 50 ms later on its clock, it returns (the guest checks that 50 ms went by).
    time.set(50_000_000n);
    wake();
    expect((await done).exitCode).toBe(0);
  }, 10_000);
});
