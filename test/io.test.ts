import { describe, expect, it } from 'vitest';
import {
  anonymous, END, Errno, fromArray, fromStream, FromStreamError, InputStream, IOArray, IOError, nullOutput,
  OutputStream, PAGE_SIZE, pipe, Pseudonym, WasiError,
} from 'iotypes';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** An input stream over a fixed list of chunks, then end or a failure; counts core calls. */
class Scripted extends InputStream {
  calls = 0;
  constructor(private chunks: (string | 'FAIL' | 'STALL')[]) {
    super({ name: 'scripted', mediaType: 'text/plain' });
  }
  protected readCore(into: Uint8Array): number {
    this.calls++;
    const next = this.chunks[0];
    if (next === undefined) return END;
    if (next === 'FAIL') throw new WasiError(Errno.EIO, 'scripted failure');
    if (next === 'STALL') return 0;
    const b = bytes(next);
    const n = Math.min(b.length, into.length);
    into.set(b.subarray(0, n));
    if (n === b.length) this.chunks.shift();
    else this.chunks[0] = next.slice(n);
    return n;
  }
}

/** An output stream that collects bytes and fails after `limit` bytes. */
class Sink extends OutputStream {
  data: number[] = [];
  flushed = 0;
  constructor(private limit = Infinity) {
    super();
  }
  protected writeCore(from: Uint8Array): number {
    const room = this.limit - this.data.length;
    if (room <= 0) throw new WasiError(Errno.EIO, 'sink full');
    const n = Math.min(room, from.length);
    for (let i = 0; i < n; i++) this.data.push(from[i]!);
    return n;
  }
  protected override flushCore(): void {
    this.flushed++;
  }
}

function readAll(s: InputStream): string {
  const buf = new Uint8Array(7);
  let out = '';
  for (let n = s.read(buf); n > 0; n = s.read(buf)) out += text(buf.subarray(0, n));
  return out;
}

describe('input stream', () => {
  it('reads into the caller buffer and reports sticky end of stream', () => {
    const s = new Scripted(['hello ', 'world']);
    expect(readAll(s)).toBe('hello world');
    expect(s.status).toBe('ended');
    const calls = s.calls;
    expect(s.read(new Uint8Array(4))).toBe(0);
    expect(s.read(new Uint8Array(4))).toBe(0);
    expect(s.calls).toBe(calls); // end is remembered, the backend is not asked again
  });

  it('makes a failure sticky and reports it on every later call', () => {
    const s = new Scripted(['ab', 'FAIL', 'never']);
    const buf = new Uint8Array(8);
    expect(s.read(buf)).toBe(2);
    expect(() => s.read(buf)).toThrow(IOError);
    expect(s.status).toBe('failed');
    const calls = s.calls;
    expect(() => s.read(buf)).toThrow(/scripted failure/);
    expect(() => s.skip(3)).toThrow(IOError);
    expect(() => s.forward(nullOutput(), 3)).toThrow(IOError);
    expect(s.calls).toBe(calls);
  });

  it('skip discards and reports partial success with the failure', () => {
    const s = new Scripted(['abcdef', 'gh', 'FAIL']);
    expect(s.skip(3)).toBe(3);
    expect(readAll(new Scripted([]))).toBe('');
    try {
      s.skip(100);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IOError);
      expect((e as IOError).moved).toBe(5);
    }
    expect(s.status).toBe('failed');
  });

  it('skip stops at end of stream', () => {
    const s = new Scripted(['abc']);
    expect(s.skip(10)).toBe(3);
    expect(s.status).toBe('ended');
  });

  it('forward moves up to n bytes and reports a failing output with moved', () => {
    const s = new Scripted(['0123456789']);
    const out = new Sink();
    expect(s.forward(out, 4)).toBe(4);
    expect(text(Uint8Array.from(out.data))).toBe('0123');
    expect(s.forward(out, 100)).toBe(6);
    expect(s.status).toBe('ended');

    const s2 = new Scripted(['0123456789']);
    const small = new Sink(3);
    try {
      s2.forward(small, 10);
      expect.unreachable();
    } catch (e) {
      expect((e as IOError).moved).toBe(3);
    }
    expect(small.status).toBe('failed');
  });

  it('has a media type and a pseudonym that hides the name', () => {
    const s = new Scripted([]);
    expect(s.mediaType()).toBe('text/plain');
    const p = s.pseudonym();
    expect(p).toBe(s.pseudonym());
    expect(String(p)).toBe(`pseudonym:${p.id}`);
    expect(String(p)).not.toContain('scripted');
    expect(p.displayName()).toBe('scripted');
  });
});

describe('output stream', () => {
  it('writes, writes zeros and flushes', () => {
    const out = new Sink();
    expect(out.write(bytes('ab'))).toBe(2);
    expect(out.writeZeros(3)).toBe(3);
    expect(out.writeZeros(0)).toBe(0);
    out.flush();
    expect(out.data).toEqual([97, 98, 0, 0, 0]);
    expect(out.flushed).toBe(1);
    expect(out.mediaType()).toBe('application/octet-stream');
  });

  it('reports partial success together with failure, then stays failed', () => {
    const out = new Sink(4);
    try {
      out.write(bytes('abcdef'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IOError);
      expect((e as IOError).moved).toBe(4);
      expect((e as IOError).errno).toBe(Errno.EIO);
    }
    expect(out.status).toBe('failed');
    expect(() => out.write(bytes('x'))).toThrow(IOError);
    expect(() => out.flush()).toThrow(IOError);
    expect(() => out.writeZeros(1)).toThrow(IOError);
    expect(out.data.length).toBe(4);
  });

  it('writeZeros reports partial success too', () => {
    const out = new Sink(70_000);
    try {
      out.writeZeros(100_000);
      expect.unreachable();
    } catch (e) {
      expect((e as IOError).moved).toBe(70_000);
    }
  });

  it('writePseudonym renders the name on the host side', () => {
    const out = new Sink();
    const p = new Pseudonym('/home/user/secret.txt');
    expect(out.writePseudonym(p)).toBe(21);
    expect(text(Uint8Array.from(out.data))).toBe('/home/user/secret.txt');
  });

  it('refuses writes after close', () => {
    const out = new Sink();
    out.close();
    expect(out.status).toBe('closed');
    expect(() => out.write(bytes('x'))).toThrow(IOError);
  });

  it('null output accepts everything', () => {
    const n = nullOutput();
    expect(n.write(new Uint8Array(1000))).toBe(1000);
    expect(n.writeZeros(5 * 2 ** 30)).toBe(5 * 2 ** 30);
    n.flush();
    expect(n.checkWrite()).toBeGreaterThan(2 ** 40);
  });
});

describe('pipe', () => {
  it('delivers bytes in order through a bounded buffer with backpressure', () => {
    const { input, output } = pipe(8);
    expect(input.ready()).toBe(false);
    expect(input.read(new Uint8Array(4))).toBe(0);
    expect(input.status).toBe('open');
    expect(output.write(bytes('0123456789'))).toBe(8); // only what fits
    expect(output.checkWrite()).toBe(0);
    expect(output.write(bytes('89'))).toBe(0);
    expect(input.ready()).toBe(true);
    const buf = new Uint8Array(5);
    expect(input.read(buf)).toBe(5);
    expect(text(buf)).toBe('01234');
    expect(output.checkWrite()).toBe(5);
    expect(output.write(bytes('89abc'))).toBe(5); // wraps around the ring
    const rest = new Uint8Array(16);
    const n = input.read(rest);
    expect(text(rest.subarray(0, n))).toBe('56789abc');
  });

  it('ends the input once the output is closed and drained', () => {
    const { input, output } = pipe(16);
    output.write(bytes('last'));
    output.close();
    expect(readAll(input)).toBe('last');
    expect(input.status).toBe('ended');
    expect(input.ready()).toBe(true);
  });

  it('reports the hang-up when asked for readiness: ended once the writer is closed and the pipe drained', () => {
    const { input, output } = pipe(16);
    output.write(bytes('x'));
    output.close();
    expect(input.ready()).toBe(true);
    expect(input.status).toBe('open'); // a byte is still there
    expect(readAll(input)).toBe('x');
    const { input: empty, output: closed } = pipe(16);
    closed.close();
    expect(empty.ready()).toBe(true);
    expect(empty.status).toBe('ended');
  });

  it('fromArray is ready until the end of its array, then ended', () => {
    const array = anonymous();
    array.writeAt(bytes('ab'), 0);
    const input = fromArray(array);
    expect(input.ready()).toBe(true);
    expect(input.status).toBe('open');
    expect(readAll(input)).toBe('ab');
    const empty = fromArray(anonymous());
    expect(empty.ready()).toBe(true);
    expect(empty.status).toBe('ended');
  });

  it('fails writes with EPIPE once the input is closed', () => {
    const { input, output } = pipe(16);
    input.close();
    expect(() => output.write(bytes('x'))).toThrow(expect.objectContaining({ errno: Errno.EPIPE }));
    expect(output.status).toBe('failed');
  });

  it('keeps order over many interleaved writes and reads', () => {
    const { input, output } = pipe(7);
    const sent: number[] = [];
    const got: number[] = [];
    const buf = new Uint8Array(5);
    let next = 0;
    for (let round = 0; round < 500; round++) {
      const chunk = Uint8Array.from({ length: (round % 9) + 1 }, () => next++ % 256);
      const put = output.write(chunk);
      sent.push(...chunk.subarray(0, put));
      next -= chunk.length - put;
      const n = input.read(buf.subarray(0, (round % 5) + 1));
      got.push(...buf.subarray(0, n));
    }
    output.close();
    for (let n = input.read(buf); n > 0; n = input.read(buf)) got.push(...buf.subarray(0, n));
    expect(got).toEqual(sent);
    expect(sent.length).toBeGreaterThan(1000);
  });

  it('forward respects the destination capacity and loses nothing', () => {
    const src = fromArray(arrayOf('abcdefghij'));
    const { input, output } = pipe(4);
    expect(src.forward(output, 10)).toBe(4);
    expect(readAll(input)).toBe('abcd');
    expect(src.forward(output, 10)).toBe(4);
    expect(readAll(input)).toBe('efgh');
  });

  it('rejects a bad capacity', () => {
    expect(() => pipe(0)).toThrow(RangeError);
  });
});

function arrayOf(s: string): IOArray {
  const a = anonymous();
  a.writeAt(bytes(s), 0);
  return a;
}

function contents(a: IOArray): string {
  const buf = new Uint8Array(a.len());
  a.readAt(buf, 0);
  return text(buf);
}

describe('anonymous array', () => {
  it('reads and writes at offsets and reports its length', () => {
    const a = anonymous();
    expect(a.len()).toBe(0);
    expect(a.writeAt(bytes('hello'), 0)).toBe(5);
    expect(a.writeAt(bytes('J'), 0)).toBe(1);
    expect(contents(a)).toBe('Jello');
    const buf = new Uint8Array(10);
    expect(a.readAt(buf, 3)).toBe(2); // short at the end
    expect(text(buf.subarray(0, 2))).toBe('lo');
    expect(a.readAt(buf, 5)).toBe(0);
    expect(a.readAt(buf, 500)).toBe(0);
  });

  it('reads holes as zeros and writes across page boundaries', () => {
    const a = anonymous();
    a.writeAt(bytes('xyz'), PAGE_SIZE - 1);
    expect(a.len()).toBe(PAGE_SIZE + 2);
    const buf = new Uint8Array(4);
    expect(a.readAt(buf, PAGE_SIZE - 2)).toBe(4);
    expect([...buf]).toEqual([0, 120, 121, 122]);
    const zeros = new Uint8Array(100).fill(7);
    a.readAt(zeros, 10);
    expect(zeros.every((b) => b === 0)).toBe(true);
  });

  it('matches a plain buffer under small and large transfers, across a page boundary and over holes', () => {
    // Small transfers are copied byte by byte and larger ones in one call: sizes on both sides.
    const a = anonymous();
    const span = PAGE_SIZE + 4096;
    const model = new Uint8Array(span + 64);
    let len = 0;
    let seed = 7;
    const rand = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (let i = 0; i < 3000; i++) {
      const size = [1, 2, 15, 16, 17, 40, 300][rand(7)]!;
      const at = rand(8) === 0 ? PAGE_SIZE - rand(size + 1) : rand(span - size);
      if (rand(2) === 0) {
        const data = new Uint8Array(size).map(() => 1 + rand(255));
        expect(a.writeAt(data.subarray(0), at)).toBe(size);
        model.set(data, at);
        len = Math.max(len, at + size);
      } else {
        const into = new Uint8Array(size).fill(0xee);
        const n = a.readAt(into, at);
        expect(n).toBe(Math.max(0, Math.min(size, len - at)));
        expect([...into.subarray(0, n)]).toEqual([...model.subarray(at, at + n)]);
      }
    }
    expect(a.len()).toBe(len);
  });

  it('is sparse: a write at 5 GiB allocates one page', () => {
    const a = anonymous();
    const at = 5 * 2 ** 30;
    a.writeAt(bytes('!'), at);
    expect(a.len()).toBe(at + 1);
    expect(a.stats.pages).toBe(1);
    expect(a.stats.allocations).toBe(1);
    const buf = new Uint8Array(2);
    expect(a.readAt(buf, at - 1)).toBe(2);
    expect([...buf]).toEqual([0, 33]);
  });

  it('appends byte by byte in linear cost', () => {
    const a = anonymous();
    const one = new Uint8Array(1);
    const n = 4 * PAGE_SIZE;
    for (let i = 0; i < n; i++) {
      one[0] = i & 255;
      a.writeAt(one, i);
    }
    expect(a.len()).toBe(n);
    // 4 pages of 1 MiB: the first grows by doubling (64 B .. 1 MiB: 15 buffers), the rest are
    // allocated once each. Regrowth recopies less than one page in total.
    expect(PAGE_SIZE).toBe(2 ** 20);
    expect(a.stats.pages).toBe(4);
    expect(a.stats.allocations).toBe(3 + 15);
    expect(a.stats.bytesRecopied).toBeLessThan(PAGE_SIZE);
    const buf = new Uint8Array(3);
    a.readAt(buf, 1_000_000);
    expect([...buf]).toEqual([1_000_000 & 255, 1_000_001 & 255, 1_000_002 & 255]);
  });

  it('setLen truncates and extends with zeros', () => {
    const a = arrayOf('abcdefgh');
    a.setLen(3);
    expect(contents(a)).toBe('abc');
    a.setLen(6);
    expect([...new Uint8Array(6).map((_, i, arr) => (a.readAt(arr, 0), arr[i]!))]).toEqual([97, 98, 99, 0, 0, 0]);
    const big = anonymous();
    big.writeAt(new Uint8Array(3 * PAGE_SIZE).fill(9), 0);
    big.setLen(PAGE_SIZE + 5);
    expect(big.stats.pages).toBe(2);
    big.setLen(3 * PAGE_SIZE);
    const tail = new Uint8Array(2 * PAGE_SIZE - 5);
    expect(big.readAt(tail, PAGE_SIZE + 5)).toBe(tail.length);
    expect(tail.every((b) => b === 0)).toBe(true);
  });

  it('copies between arrays and within one array with overlapping ranges', () => {
    const src = arrayOf('0123456789');
    const dst = anonymous();
    expect(src.copy(dst, 2, 3, 4)).toBe(4);
    expect([...new Uint8Array(6).map((_, i, arr) => (dst.readAt(arr, 0), arr[i]!))]).toEqual([0, 0, 51, 52, 53, 54]);
    expect(src.copy(dst, 0, 8, 10)).toBe(2); // stops at the source's end

    const fwd = arrayOf('0123456789');
    fwd.copy(fwd, 2, 0, 6); // destination above source, overlapping
    expect(contents(fwd)).toBe('0101234589');
    const back = arrayOf('0123456789');
    back.copy(back, 0, 2, 6); // destination below source, overlapping
    expect(contents(back)).toBe('2345676789');

    const large = anonymous();
    const pattern = Uint8Array.from({ length: 200_000 }, (_, i) => i % 251);
    large.writeAt(pattern, 0);
    large.copy(large, 1000, 0, 200_000);
    const out = new Uint8Array(200_000);
    large.readAt(out, 1000);
    expect(out).toEqual(pattern);
  });

  it('appends at the end', () => {
    const a = arrayOf('abc');
    expect(a.append(bytes('de'))).toBe(2);
    expect(a.append(new Uint8Array(0))).toBe(0);
    a.setLen(7);
    a.append(bytes('!'));
    expect([...new Uint8Array(8).map((_, i, arr) => (a.readAt(arr, 0), arr[i]!))]).toEqual([97, 98, 99, 100, 101, 0, 0, 33]);
  });

  it('advise and flush accept every mode and change nothing', () => {
    const a = arrayOf('data');
    for (const adv of ['normal', 'sequential', 'random', 'willneed', 'dontneed', 'noreuse'] as const) {
      a.advise(0, 4, adv);
    }
    a.flush('data');
    a.flush();
    expect(contents(a)).toBe('data');
  });

  it('rejects negative, fractional and unsafe offsets', () => {
    const a = anonymous();
    expect(() => a.readAt(new Uint8Array(1), -1)).toThrow(expect.objectContaining({ errno: Errno.EINVAL }));
    expect(() => a.writeAt(new Uint8Array(1), 1.5)).toThrow(expect.objectContaining({ errno: Errno.EINVAL }));
    expect(() => a.writeAt(new Uint8Array(2), Number.MAX_SAFE_INTEGER)).toThrow(
      expect.objectContaining({ errno: Errno.EFBIG }),
    );
    expect(() => a.setLen(-5)).toThrow(WasiError);
    expect(() => a.advise(0, -1, 'normal')).toThrow(WasiError);
  });

  it('has a media type and a pseudonym', () => {
    const a = anonymous({ mediaType: 'image/png', name: 'cover.png' });
    expect(a.mediaType()).toBe('image/png');
    expect(a.pseudonym().displayName()).toBe('cover.png');
    expect(String(a.pseudonym())).not.toContain('cover');
  });
});

describe('fromArray and fromStream', () => {
  it('fromArray streams an array from an offset to its end', () => {
    const s = fromArray(arrayOf('hello world'), 6);
    expect(readAll(s)).toBe('world');
    expect(s.status).toBe('ended');
    const t = fromArray(arrayOf('abcdef'), 1);
    expect(t.skip(2)).toBe(2);
    expect(readAll(t)).toBe('def');
    expect(t.skip(5)).toBe(0);
  });

  it('fromStream drains a stream into a new array', () => {
    const chunks = Array.from({ length: 50 }, (_, i) => `chunk${i};`);
    const a = fromStream(new Scripted([...chunks]));
    expect(contents(a)).toBe(chunks.join(''));
    expect(a.mediaType()).toBe('text/plain');
  });

  it('fromStream of a stream failing midway reports what it got and the failure', () => {
    const s = new Scripted(['first ', 'second', 'FAIL', 'lost']);
    try {
      fromStream(s);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IOError);
      expect(e).toBeInstanceOf(FromStreamError);
      const err = e as FromStreamError;
      expect(err.moved).toBe(12);
      expect(contents(err.array)).toBe('first second');
    }
  });

  it('fromStream of a stalled pipe fails with EAGAIN and keeps the bytes', () => {
    const { input, output } = pipe(16);
    output.write(bytes('partial'));
    try {
      fromStream(input);
      expect.unreachable();
    } catch (e) {
      expect((e as FromStreamError).errno).toBe(Errno.EAGAIN);
      expect(contents((e as FromStreamError).array)).toBe('partial');
    }
  });
});
