// Layer: io. Imports src/errno and src/io/pending only.
// The blocking settler (src/io/pending.ts): asynchronous I/O objects stay on the thread that owns
// them (a web page, Node's main thread) while the guest runs synchronously in a worker. The
// worker holds *stubs*: each operation on a stub posts {handle, method, arguments} to the owner
// and waits with `Atomics.wait` on a SharedArrayBuffer until the owner has run
// `await object[method](...arguments)` and written the answer there. Nothing here touches a
// platform API beyond `postMessage`-style posting, SharedArrayBuffer and Atomics.
//
// Wire format. Requests (worker → owner) are posted messages, their values encoded into a
// transferred ArrayBuffer. Answers (owner → worker) go through the shared buffer, whose header is
// four int32: [state (0 waiting, 1 a chunk is there), kind (0 value, 1 WasiError, 2 other
// failure), chunk length, more chunks follow], then the data area. An answer larger than the data
// area goes in several chunks: the worker takes one and asks for the next.
//
// Values: undefined, null, booleans, numbers, bigints, strings, Uint8Arrays, arrays, plain
// objects (a Stat, a DirEntry list, OpenFileOptions), and *handles*: the objects an operation
// opens (openDir, openFile) are kept by the owner under a number and arrive in the worker as
// stubs; a stub passed back as an argument (link's and rename's `to`) arrives as the object.

import { WasiError, type Errno } from '../errno/index.js';
import type { Settler } from './pending.js';

/** Posts a message to the other thread, transferring the listed buffers. */
export type Post = (message: RemoteMessage, transfer: ArrayBuffer[]) => void;

/** The messages the worker side of the protocol posts to the owner. */
export type RemoteMessage =
  | { readonly rpc: 'call'; readonly data: ArrayBuffer }
  | { readonly rpc: 'post'; readonly data: ArrayBuffer }
  | { readonly rpc: 'more' };

/** Bytes of the shared buffer before its data area. */
const HEADER = 16;
const STATE = 0;
const KIND = 1;
const LENGTH = 2;
const MORE = 3;
const KIND_VALUE = 0;
const KIND_ERRNO = 1;
const KIND_FAILURE = 2;

/** The default data area: 1 MiB. */
export const DEFAULT_REMOTE_BUFFER = 1 << 20;

/** A shared buffer for one worker: the header and a data area of `dataBytes`. */
export function remoteBuffer(dataBytes = DEFAULT_REMOTE_BUFFER): SharedArrayBuffer {
  if (!Number.isInteger(dataBytes) || dataBytes < 64) throw new RangeError(`iotypes: a data area of ${dataBytes} bytes is too small (64 at least)`);
  return new SharedArrayBuffer(HEADER + dataBytes);
}

// ---- values -----------------------------------------------------------------------------------

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_NUMBER = 4;
const T_BIGINT = 5;
const T_STRING = 6;
const T_BYTES = 7;
const T_ARRAY = 8;
const T_OBJECT = 9;
const T_HANDLE = 10;
const T_REF = 11;

/** What the owner sends for an object it keeps: its number, methods, and fields (parts included). */
class HandleShape {
  constructor(readonly id: number, readonly methods: string[], readonly fields: Record<string, unknown>) {}
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

class Writer {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #at = 0;
  constructor(readonly handle: (value: object) => HandleShape | number | undefined) {}
  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#at));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
  #u8(v: number): void {
    this.#room(1);
    this.#buf[this.#at++] = v;
  }
  #u32(v: number): void {
    this.#room(4);
    this.#view.setUint32(this.#at, v, true);
    this.#at += 4;
  }
  #bytes(b: Uint8Array): void {
    this.#u32(b.length);
    this.#room(b.length);
    this.#buf.set(b, this.#at);
    this.#at += b.length;
  }
  value(v: unknown): void {
    switch (typeof v) {
      case 'undefined':
        return this.#u8(T_UNDEFINED);
      case 'boolean':
        return this.#u8(v ? T_TRUE : T_FALSE);
      case 'number':
        this.#u8(T_NUMBER);
        this.#room(8);
        this.#view.setFloat64(this.#at, v, true);
        this.#at += 8;
        return;
      case 'bigint':
        this.#u8(T_BIGINT);
        return this.#bytes(utf8.encode(v.toString()));
      case 'string':
        this.#u8(T_STRING);
        return this.#bytes(utf8.encode(v));
      case 'object':
        if (v === null) return this.#u8(T_NULL);
        if (v instanceof Uint8Array) {
          this.#u8(T_BYTES);
          return this.#bytes(v);
        }
        if (Array.isArray(v)) {
          this.#u8(T_ARRAY);
          this.#u32(v.length);
          for (const item of v) this.value(item);
          return;
        }
        return this.#object(v);
      default:
        throw new TypeError(`iotypes: a ${typeof v} cannot be sent to or from a worker`);
    }
  }
  #object(v: object): void {
    const handle = this.handle(v);
    if (typeof handle === 'number') {
      this.#u8(T_REF);
      return this.#u32(handle);
    }
    if (handle !== undefined) {
      this.#u8(T_HANDLE);
      this.#u32(handle.id);
      this.#u32(handle.methods.length);
      for (const m of handle.methods) this.#bytes(utf8.encode(m));
      return this.#object(handle.fields);
    }
    const entries = Object.entries(v);
    this.#u8(T_OBJECT);
    this.#u32(entries.length);
    for (const [key, item] of entries) {
      this.#bytes(utf8.encode(key));
      this.value(item);
    }
  }
  /** The bytes written, in a buffer of their own (to transfer). */
  done(): Uint8Array<ArrayBuffer> {
    return this.#buf.slice(0, this.#at);
  }
}

class Reader {
  readonly #view: DataView;
  #at = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly handle: (shape: HandleShape) => object,
    readonly ref: (id: number) => object,
  ) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  #u32(): number {
    const v = this.#view.getUint32(this.#at, true);
    this.#at += 4;
    return v;
  }
  #bytes(): Uint8Array {
    const n = this.#u32();
    const b = this.bytes.subarray(this.#at, this.#at + n);
    this.#at += n;
    return b;
  }
  #string(): string {
    return fromUtf8.decode(this.#bytes());
  }
  value(): unknown {
    const tag = this.#view.getUint8(this.#at++);
    switch (tag) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_NUMBER: {
        const v = this.#view.getFloat64(this.#at, true);
        this.#at += 8;
        return v;
      }
      case T_BIGINT:
        return BigInt(this.#string());
      case T_STRING:
        return this.#string();
      case T_BYTES:
        return this.#bytes(); // a view of the decoded buffer, which belongs to this decoding
      case T_ARRAY: {
        const n = this.#u32();
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(this.value());
        return out;
      }
      case T_OBJECT:
        return this.#object();
      case T_HANDLE: {
        const id = this.#u32();
        const count = this.#u32();
        const methods: string[] = [];
        for (let i = 0; i < count; i++) methods.push(this.#string());
        this.#at++; // the fields' T_OBJECT tag
        return this.handle(new HandleShape(id, methods, this.#object()));
      }
      case T_REF:
        return this.ref(this.#u32());
      default:
        throw new Error(`iotypes: unknown tag ${tag} in a message between threads`);
    }
  }
  #object(): Record<string, unknown> {
    const n = this.#u32();
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = this.#string();
      out[key] = this.value();
    }
    return out;
  }
}

/** Marks an object the owner keeps and sends as a handle (a result of openDir, openFile, reopen). */
class Kept {
  constructor(readonly object: object) {}
}

/** Methods whose results are objects the worker operates on later. */
const OPENS: ReadonlySet<string> = new Set(['openDir', 'openFile', 'reopen']);

/** The one object an I/O object carries that is itself operated on: a file node's array. */
const PARTS: ReadonlySet<string> = new Set(['array']);

/**
 * Names of the methods of `object` (own and inherited), its fields that are primitive values
 * (a directory's readOnly), and its parts (PARTS), which travel as handles of their own.
 */
function shapeOf(object: object): { methods: string[]; fields: Record<string, unknown>; parts: Record<string, object> } {
  const methods: string[] = [];
  const fields: Record<string, unknown> = {};
  const parts: Record<string, object> = {};
  const seen = new Set<string>();
  for (let o: object | null = object; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      let v: unknown;
      try {
        v = (object as Record<string, unknown>)[key];
      } catch {
        continue; // a getter that refuses outside its own use: not something the worker needs
      }
      if (typeof v === 'function') methods.push(key);
      else if (typeof v === 'object' && v !== null) {
        if (PARTS.has(key)) parts[key] = v;
      } else if (typeof v !== 'symbol') fields[key] = v;
    }
  }
  return { methods, fields, parts };
}

function isWasiError(e: unknown): e is WasiError {
  return e instanceof WasiError || (e instanceof Error && e.name === 'WasiError' && typeof (e as { errno?: unknown }).errno === 'number');
}

// ---- the owner --------------------------------------------------------------------------------

/**
 * The owner's side: keeps the objects the worker holds stubs of, runs each request and writes
 * its answer into the shared buffer. Hand every message from the worker to `receive`.
 */
export class RemoteOwner {
  readonly #objects = new Map<number, object>();
  /** The parts of an object (a file node's array), forgotten with it. */
  readonly #parts = new Map<number, number[]>();
  #nextId = 1;
  readonly #state: Int32Array;
  readonly #data: Uint8Array;
  /** The rest of an answer larger than the data area. */
  #rest: Uint8Array | undefined;
  #kind = KIND_VALUE;
  readonly #posted = new Set<Promise<unknown>>();

  constructor(readonly shared: SharedArrayBuffer) {
    this.#state = new Int32Array(shared, 0, 4);
    this.#data = new Uint8Array(shared, HEADER);
  }

  /** Encodes `value` for the worker, each object that has methods (at any depth) as a handle. */
  encode(value: unknown): Uint8Array<ArrayBuffer> {
    const w = new Writer((v) => {
      if (v instanceof HandleShape) return v;
      if (v instanceof Kept) return this.#keep(v.object);
      return shapeOf(v).methods.length > 0 ? this.#keep(v) : undefined; // else plain data
    });
    w.value(value);
    return w.done();
  }

  /** Keeps `object` (and its parts) for the worker, which will name it by its number. */
  #keep(object: object): HandleShape {
    const { methods, fields, parts } = shapeOf(object);
    const id = this.#nextId++;
    this.#objects.set(id, object);
    const partIds: number[] = [];
    for (const [key, part] of Object.entries(parts)) {
      const shape = this.#keep(part);
      partIds.push(shape.id);
      fields[key] = shape;
    }
    if (partIds.length > 0) this.#parts.set(id, partIds);
    return new HandleShape(id, methods, fields);
  }

  /** Forgets the object numbered `id` and its parts (the worker closed it). */
  #forget(id: number): void {
    this.#objects.delete(id);
    for (const part of this.#parts.get(id) ?? []) this.#forget(part);
    this.#parts.delete(id);
  }

  #decode(data: ArrayBuffer): unknown {
    const r = new Reader(
      new Uint8Array(data),
      () => {
        throw new Error('iotypes: the worker sent a handle description');
      },
      (id) => this.#object(id),
    );
    return r.value();
  }

  #object(id: number): object {
    const o = this.#objects.get(id);
    if (o === undefined) throw new Error(`iotypes: the worker named object ${id}, which the page does not hold`);
    return o;
  }

  /** Whether `message` belonged to this protocol (it is then handled). */
  receive(message: unknown): boolean {
    const m = message as Partial<RemoteMessage> | null;
    if (typeof m !== 'object' || m === null || typeof m.rpc !== 'string') return false;
    switch (m.rpc) {
      case 'call':
        void this.#call(m.data!);
        return true;
      case 'post': {
        const p = this.#run(m.data!, true).catch(() => {});
        this.#posted.add(p);
        void p.then(() => this.#posted.delete(p));
        return true;
      }
      case 'more':
        this.#send();
        return true;
      default:
        return false;
    }
  }

  /** Settles when the operations posted without waiting (closes) have settled. */
  async settled(): Promise<void> {
    while (this.#posted.size > 0) await Promise.allSettled([...this.#posted]);
  }

  /** Forgets every object (the run is over). */
  clear(): void {
    this.#objects.clear();
    this.#parts.clear();
  }

  /**
   * Runs one request. A posted `close` of an object that has one also ends the worker's use of
   * it (a closed file node and its array, a directory handle the path walk is done with), so the
   * owner forgets them. An object without `close` may be shared by several of the worker's
   * handles (a directory without `reopen`), so it is kept.
   */
  async #run(data: ArrayBuffer, posted = false): Promise<{ method: string; result: unknown }> {
    const [id, method, args] = this.#decode(data) as [number, string, unknown[]];
    const target = this.#object(id) as Record<string, unknown>;
    const fn = target[method];
    try {
      if (typeof fn !== 'function') {
        if (posted) return { method, result: undefined };
        throw new Error(`iotypes: the object has no method ${method}()`);
      }
      return { method, result: await (fn as (...a: unknown[]) => unknown).apply(target, args) };
    } finally {
      if (posted && method === 'close' && typeof fn === 'function') this.#forget(id);
    }
  }

  async #call(data: ArrayBuffer): Promise<void> {
    let kind = KIND_VALUE;
    let payload: Uint8Array;
    try {
      const { method, result } = await this.#run(data);
      const kept = OPENS.has(method) && typeof result === 'object' && result !== null ? new Kept(result) : result;
      payload = this.encode(kept);
    } catch (e) {
      if (isWasiError(e)) {
        kind = KIND_ERRNO;
        payload = this.encode([e.errno, e.message]);
      } else {
        kind = KIND_FAILURE;
        payload = this.encode(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      }
    }
    this.#kind = kind;
    this.#rest = payload;
    this.#send();
  }

  /** Writes the next chunk of the answer and wakes the worker. */
  #send(): void {
    const rest = this.#rest;
    if (rest === undefined) return;
    const n = Math.min(rest.length, this.#data.length);
    this.#data.set(rest.subarray(0, n));
    this.#rest = n < rest.length ? rest.subarray(n) : undefined;
    this.#state[KIND] = this.#kind;
    this.#state[LENGTH] = n;
    this.#state[MORE] = this.#rest === undefined ? 0 : 1;
    Atomics.store(this.#state, STATE, 1);
    Atomics.notify(this.#state, STATE);
  }
}

// ---- the worker -------------------------------------------------------------------------------

/**
 * The worker's side: a `Settler` whose every call blocks until the owner has answered. Values
 * the owner sends as handles become stubs, objects with the same methods that call through
 * this settler.
 */
export class RemoteSettler implements Settler {
  readonly #state: Int32Array;
  readonly #data: Uint8Array;
  readonly #ids = new WeakMap<object, number>();
  readonly #send: Post;

  constructor(shared: SharedArrayBuffer, send: Post) {
    this.#state = new Int32Array(shared, 0, 4);
    this.#data = new Uint8Array(shared, HEADER);
    this.#send = send;
  }

  /** The value the owner encoded (its handles as stubs). */
  decode(bytes: Uint8Array): unknown {
    return new Reader(bytes, (shape) => this.#stub(shape), () => {
      throw new Error('iotypes: the owner sent a reference to a stub');
    }).value();
  }

  #stub(shape: HandleShape): object {
    const stub: Record<string, unknown> = { ...shape.fields };
    for (const m of shape.methods) stub[m] = (...args: unknown[]) => this.call(stub, m, args);
    this.#ids.set(stub, shape.id);
    return stub;
  }

  #request(target: object, method: string, args: readonly unknown[]): ArrayBuffer {
    const id = this.#ids.get(target);
    if (id === undefined) throw new TypeError(`iotypes: ${method}() on an object that is not a stub of this worker`);
    const w = new Writer((v) => {
      const ref = this.#ids.get(v);
      if (ref === undefined && !isPlain(v)) throw new TypeError('iotypes: an object with methods cannot be sent to the owner');
      return ref;
    });
    w.value([id, method, args]);
    return w.done().buffer;
  }

  call<T>(target: object, method: string, args: readonly unknown[]): T {
    const data = this.#request(target, method, args);
    Atomics.store(this.#state, STATE, 0);
    this.#send({ rpc: 'call', data }, [data]);
    const parts: Uint8Array[] = [];
    for (;;) {
      while (Atomics.load(this.#state, STATE) === 0) Atomics.wait(this.#state, STATE, 0);
      const n = this.#state[LENGTH]!;
      parts.push(this.#data.slice(0, n));
      const more = this.#state[MORE] === 1;
      Atomics.store(this.#state, STATE, 0);
      if (!more) break;
      this.#send({ rpc: 'more' }, []);
    }
    const kind = this.#state[KIND]!;
    const answer = this.decode(parts.length === 1 ? parts[0]! : concat(parts));
    if (kind === KIND_VALUE) return answer as T;
    if (kind === KIND_ERRNO) {
      const [errno, message] = answer as [Errno, string];
      const e = new WasiError(errno);
      e.message = message;
      throw e;
    }
    throw new Error(`iotypes: ${method}() of an asynchronous I/O object failed: ${String(answer)}`);
  }

  /** Posts without waiting; the owner runs it if the object has the method (see RemoteOwner). */
  post(target: object, method: string, args: readonly unknown[]): void {
    const data = this.#request(target, method, args);
    this.#send({ rpc: 'post', data }, [data]);
  }
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
