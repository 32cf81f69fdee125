// Test support: real wasm guests whose exports call WASI imports, and access to their memory.
import type { WASI } from 'iotypes';
import { encodeModule, op, type Func, type Import, type ValType } from './wasm.js';

const I = 'i32' as const;
const L = 'i64' as const;

/** The wasm parameter types of every wasi_snapshot_preview1 function (witx: u64/s64 → i64). */
export const PREVIEW1_PARAMS: Readonly<Record<string, readonly ValType[]>> = {
  args_get: [I, I],
  args_sizes_get: [I, I],
  environ_get: [I, I],
  environ_sizes_get: [I, I],
  clock_res_get: [I, I],
  clock_time_get: [I, L, I],
  fd_advise: [I, L, L, I],
  fd_allocate: [I, L, L],
  fd_close: [I],
  fd_datasync: [I],
  fd_fdstat_get: [I, I],
  fd_fdstat_set_flags: [I, I],
  fd_fdstat_set_rights: [I, L, L],
  fd_filestat_get: [I, I],
  fd_filestat_set_size: [I, L],
  fd_filestat_set_times: [I, L, L, I],
  fd_pread: [I, I, I, L, I],
  fd_prestat_get: [I, I],
  fd_prestat_dir_name: [I, I, I],
  fd_pwrite: [I, I, I, L, I],
  fd_read: [I, I, I, I],
  fd_readdir: [I, I, I, L, I],
  fd_renumber: [I, I],
  fd_seek: [I, L, I, I],
  fd_sync: [I],
  fd_tell: [I, I],
  fd_write: [I, I, I, I],
  path_create_directory: [I, I, I],
  path_filestat_get: [I, I, I, I, I],
  path_filestat_set_times: [I, I, I, I, L, L, I],
  path_link: [I, I, I, I, I, I, I],
  path_open: [I, I, I, I, I, L, L, I, I],
  path_readlink: [I, I, I, I, I, I],
  path_remove_directory: [I, I, I],
  path_rename: [I, I, I, I, I, I],
  path_symlink: [I, I, I, I, I],
  path_unlink_file: [I, I, I],
  poll_oneoff: [I, I, I, I],
  proc_exit: [I],
  proc_raise: [I],
  sched_yield: [],
  random_get: [I, I],
  sock_accept: [I, I, I],
  sock_recv: [I, I, I, I, I, I],
  sock_send: [I, I, I, I, I],
  sock_shutdown: [I, I],
};

/** The functions of wasi_unstable (snapshot 0): Preview 1 without sock_accept. */
export const UNSTABLE_NAMES = Object.keys(PREVIEW1_PARAMS).filter((n) => n !== 'sock_accept');

export type WasiModuleName = 'wasi_snapshot_preview1' | 'wasi_unstable';

export function importOf(module: WasiModuleName, name: string): Import {
  const params = PREVIEW1_PARAMS[name];
  if (params === undefined) throw new Error(`no WASI function ${name}`);
  return { module, name, params, results: name === 'proc_exit' ? [] : ['i32'] };
}

export interface GuestOptions {
  /** Which snapshot to import from. Default wasi_snapshot_preview1. */
  module?: WasiModuleName;
  /** Functions to import (and export a trampoline for). Default: every function of the snapshot. */
  names?: readonly string[];
  /** Initial memory in pages. Default 1. */
  pages?: number;
  /** More exported functions; they may call imports by name. */
  funcs?: readonly Func[];
}

export class Guest {
  readonly instance: WebAssembly.Instance;
  readonly memory: WebAssembly.Memory;

  constructor(instance: WebAssembly.Instance) {
    this.instance = instance;
    this.memory = instance.exports['memory'] as WebAssembly.Memory;
  }

  /** Calls the WASI import `name` from wasm, through its trampoline; returns the errno. */
  call(name: string, ...args: (number | bigint)[]): number {
    return this.run(name, ...args) as number;
  }

  /** Calls any export by name. */
  run(name: string, ...args: (number | bigint)[]): unknown {
    const fn = this.instance.exports[name];
    if (typeof fn !== 'function') throw new Error(`guest has no export ${name}`);
    return (fn as (...a: (number | bigint)[]) => unknown)(...args);
  }

  get size(): number {
    return this.memory.buffer.byteLength;
  }
  bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, len).slice();
  }
  write(ptr: number, data: Uint8Array | readonly number[]): void {
    new Uint8Array(this.memory.buffer).set(data, ptr);
  }
  /** Writes a UTF-8 string; returns its byte length. */
  str(ptr: number, s: string): number {
    const b = new TextEncoder().encode(s);
    this.write(ptr, b);
    return b.length;
  }
  text(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes(ptr, len));
  }
  fill(ptr: number, len: number, value: number): void {
    new Uint8Array(this.memory.buffer).fill(value, ptr, ptr + len);
  }
  view(): DataView {
    return new DataView(this.memory.buffer);
  }
  u8(ptr: number): number {
    return this.view().getUint8(ptr);
  }
  u16(ptr: number): number {
    return this.view().getUint16(ptr, true);
  }
  u32(ptr: number): number {
    return this.view().getUint32(ptr, true);
  }
  u64(ptr: number): bigint {
    return this.view().getBigUint64(ptr, true);
  }
  setU32(ptr: number, v: number): void {
    this.view().setUint32(ptr, v, true);
  }
  setU64(ptr: number, v: bigint): void {
    this.view().setBigUint64(ptr, BigInt.asUintN(64, v), true);
  }
  /** Writes `bufs` as an iovec array at `at`; returns `at`. */
  iovecs(at: number, bufs: readonly { ptr: number; len: number }[]): number {
    bufs.forEach((b, i) => {
      this.setU32(at + i * 8, b.ptr);
      this.setU32(at + i * 8 + 4, b.len);
    });
    return at;
  }
}

/** Encodes a guest whose exports call the chosen WASI imports with the arguments they get. */
export function guestModule(options: GuestOptions = {}): WebAssembly.Module {
  const module = options.module ?? 'wasi_snapshot_preview1';
  const names = options.names ?? (module === 'wasi_unstable' ? UNSTABLE_NAMES : Object.keys(PREVIEW1_PARAMS));
  const imports = names.map((n) => importOf(module, n));
  const trampolines: Func[] = imports.map((im) => ({
    name: im.name,
    params: im.params,
    results: im.results,
    body: [...im.params.map((_, i) => op.localGet(i)), op.call(im.name)],
  }));
  const bytes = encodeModule({ imports, memory: { min: options.pages ?? 1 }, funcs: [...trampolines, ...(options.funcs ?? [])] });
  return new WebAssembly.Module(bytes);
}

/** Instantiates a guest against `wasi` and initializes it as a reactor. */
export function guest(wasi: WASI, options: GuestOptions = {}): Guest {
  const instance = new WebAssembly.Instance(guestModule(options), wasi.getImportObject());
  wasi.initialize(instance);
  return new Guest(instance);
}
