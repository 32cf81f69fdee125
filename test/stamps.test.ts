// Time stamps of the in-memory backend while a guest runs: one clock reading may serve several
// changes, but never where the guest could tell (src/io/time.ts). The guest here is a `_start`
// written in JavaScript that calls the Preview 1 imports as a wasm program would.
import { WASI, defaultClocks, type Clocks } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { describe, expect, it } from 'vitest';

const MS = 1_000_000n;
const FD_WRITE = 1n << 6n;
const FD_FILESTAT_GET = 1n << 21n;

/** Spins until Date.now() has moved `ms` milliseconds on, calling nothing of the guest's. */
function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // a guest computing
  }
}

/** Runs `body` as a guest's _start over a MemoryFS preopened as fd 3; realtime is Date.now(). */
function runGuest(fs: MemoryFS, body: (call: Calls) => void): void {
  const clocks: Clocks = { ...defaultClocks(), 0: { now: () => BigInt(Date.now()) * MS, resolution: () => MS } };
  const wasi = new WASI({ preopens: { box: fs.root }, clocks });
  const memory = new WebAssembly.Memory({ initial: 1 });
  const imports = wasi.wasiImport as unknown as Record<string, (...a: (number | bigint)[]) => number>;
  const view = () => new DataView(memory.buffer);
  const call = (name: string, ...args: (number | bigint)[]) => {
    const errno = imports[name]!(...args);
    expect(errno, name).toBe(0);
  };
  const calls: Calls = {
    open(name) {
      new Uint8Array(memory.buffer).set(new TextEncoder().encode(name), 100);
      call('path_open', 3, 0, 100, name.length, 1, FD_WRITE | FD_FILESTAT_GET, 0n, 0, 200);
      return view().getUint32(200, true);
    },
    write(fd) {
      view().setUint32(300, 400, true);
      view().setUint32(304, 1, true);
      call('fd_write', fd, 300, 1, 308);
    },
    realtime() {
      call('clock_time_get', 0, 1n, 500);
      return view().getBigUint64(500, true);
    },
    mtim(fd) {
      call('fd_filestat_get', fd, 600);
      return view().getBigUint64(600 + 48, true);
    },
    sleep(ns) {
      // One relative clock subscription (userdata, tag 0, clock 1, timeout, precision, flags 0).
      view().setBigUint64(700, 7n, true);
      view().setUint8(708, 0);
      view().setUint32(716, 1, true);
      view().setBigUint64(724, ns, true);
      view().setBigUint64(732, 0n, true);
      view().setUint16(740, 0, true);
      call('poll_oneoff', 700, 800, 1, 900);
    },
  };
  const instance = { exports: { memory, _start: () => body(calls) } } as unknown as WebAssembly.Instance;
  expect(wasi.start(instance)).toBe(0);
}

interface Calls {
  open(name: string): number;
  write(fd: number): void;
  realtime(): bigint;
  mtim(fd: number): bigint;
  sleep(ns: bigint): void;
}

describe('time stamps while a guest runs', () => {
  it('lie between the times the guest read before and after the change', () => {
    runGuest(new MemoryFS(), (g) => {
      const fd = g.open('f');
      for (let round = 0; round < 3; round++) {
        g.write(fd);
        spin(5);
        const before = g.realtime();
        g.write(fd);
        const after = g.realtime();
        const mtim = g.mtim(fd);
        expect(mtim >= before && mtim <= after, `${before} <= ${mtim} <= ${after}`).toBe(true);
      }
    });
  });

  it('after a sleep in poll_oneoff, are read again', () => {
    runGuest(new MemoryFS(), (g) => {
      const fd = g.open('f');
      g.write(fd);
      const first = g.mtim(fd);
      spin(2);
      g.sleep(5n * MS);
      g.write(fd);
      expect(g.mtim(fd) - first >= 5n * MS, `${first} then ${g.mtim(fd)}`).toBe(true);
    });
  });

  it('share one clock reading between changes the guest made without looking at the time', () => {
    runGuest(new MemoryFS(), (g) => {
      const fd = g.open('f');
      g.write(fd);
      const first = g.mtim(fd);
      spin(5);
      g.write(fd);
      // Allowed (the guest cannot tell when the second write happened) and what makes writes cheap.
      expect(g.mtim(fd)).toBe(first);
    });
  });

  it('read the clock for every change made by the host outside a run', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', 'a');
    const first = fs.stat('f').mtim;
    spin(5);
    const before = BigInt(Date.now()) * MS;
    fs.writeFile('f', 'b');
    expect(fs.stat('f').mtim >= before).toBe(true);
    expect(fs.stat('f').mtim > first).toBe(true);
  });

  it('are read again in a later run, however soon', () => {
    const fs = new MemoryFS();
    let first = 0n;
    runGuest(fs, (g) => {
      const fd = g.open('f');
      g.write(fd);
      first = g.mtim(fd);
    });
    spin(5);
    runGuest(fs, (g) => {
      const fd = g.open('f');
      g.write(fd);
      expect(g.mtim(fd) - first >= 5n * MS).toBe(true);
    });
  });
});
