// ABI: struct layouts and enum numbering against the witx, the encoders, both import objects, the wasi_unstable layouts, and the tracer.
import { describe, expect, it } from 'vitest';
import { Errno, errnoName, WASI, wasiImportProblem, type Stat } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import {
  DIRENT, EVENT, EVENTTYPE, FDSTAT, FILESTAT, FILESTAT_UNSTABLE, FILETYPE, IOVEC, PRESTAT,
  SUBSCRIPTION, SUBSCRIPTION_UNSTABLE, whence, writeFilestat,
} from '../src/abi/layout.js';
import { GuestMemory } from '../src/abi/memory.js';
import { SIGNATURES } from '../src/abi/preview1.js';
import { WASM_PARAMS } from '../src/abi/signatures.js';
import { Rights } from '../src/fdtable/rights.js';
import { guest, guestModule, importOf, PREVIEW1_PARAMS, UNSTABLE_NAMES } from './support/guest.js';
import { encodeModule, op } from './support/wasm.js';

// ---------------------------------------------------------------------------------------------
// The witx, transcribed: WebAssembly/WASI legacy/preview1/witx/*.witx (wasi_snapshot_preview1)
// and legacy/preview0/witx/*.witx (wasi_unstable, formerly phases/old/snapshot_0).

/** Every function of wasi_snapshot_preview1.witx, in witx order. */
const WITX_PREVIEW1 = `
  args_get args_sizes_get environ_get environ_sizes_get clock_res_get clock_time_get fd_advise
  fd_allocate fd_close fd_datasync fd_fdstat_get fd_fdstat_set_flags fd_fdstat_set_rights
  fd_filestat_get fd_filestat_set_size fd_filestat_set_times fd_pread fd_prestat_get
  fd_prestat_dir_name fd_pwrite fd_read fd_readdir fd_renumber fd_seek fd_sync fd_tell fd_write
  path_create_directory path_filestat_get path_filestat_set_times path_link path_open
  path_readlink path_remove_directory path_rename path_symlink path_unlink_file poll_oneoff
  proc_exit proc_raise sched_yield random_get sock_accept sock_recv sock_send sock_shutdown
`.trim().split(/\s+/);

/** Every function of wasi_unstable.witx (snapshot 0): the same list without sock_accept. */
const WITX_UNSTABLE = WITX_PREVIEW1.filter((n) => n !== 'sock_accept');

/** typenames.witx: $errno, in order. */
const WITX_ERRNO = `
  success 2big acces addrinuse addrnotavail afnosupport again already badf badmsg busy canceled
  child connaborted connrefused connreset deadlk destaddrreq dom dquot exist fault fbig
  hostunreach idrm ilseq inprogress intr inval io isconn isdir loop mfile mlink msgsize multihop
  nametoolong netdown netreset netunreach nfile nobufs nodev noent noexec nolck nolink nomem
  nomsg noprotoopt nospc nosys notconn notdir notempty notrecoverable notsock notsup notty nxio
  overflow ownerdead perm pipe proto protonosupport prototype range rofs spipe srch stale
  timedout txtbsy xdev notcapable
`.trim().split(/\s+/);

/** typenames.witx: $rights, in bit order (snapshot 0 has the same first 29 bits). */
const WITX_RIGHTS = `
  fd_datasync fd_read fd_seek fd_fdstat_set_flags fd_sync fd_tell fd_write fd_advise fd_allocate
  path_create_directory path_create_file path_link_source path_link_target path_open fd_readdir
  path_readlink path_rename_source path_rename_target path_filestat_get path_filestat_set_size
  path_filestat_set_times fd_filestat_get fd_filestat_set_size fd_filestat_set_times
  path_symlink path_remove_directory path_unlink_file poll_fd_readwrite sock_shutdown sock_accept
`.trim().split(/\s+/);

/** typenames.witx: $filetype, in order. */
const WITX_FILETYPE = ['unknown', 'block-device', 'character-device', 'directory', 'regular-file', 'socket-dgram', 'socket-stream', 'symbolic-link'];

// A C-like layout calculator: witx records are laid out with natural alignment, and a union
// (variant) is a u8 tag followed by the largest case, aligned to the largest case's alignment.
type Shape = 'u8' | 'u16' | 'u32' | 'u64' | { record: [string, Shape][] } | { union: [string, Shape][] };
interface Laid {
  size: number;
  align: number;
  at: Record<string, number>;
}
const rec = (...fields: [string, Shape][]): Shape => ({ record: fields });
const union = (...cases: [string, Shape][]): Shape => ({ union: cases });
const up = (n: number, a: number) => Math.ceil(n / a) * a;

function lay(shape: Shape): Laid {
  if (typeof shape === 'string') {
    const n = { u8: 1, u16: 2, u32: 4, u64: 8 }[shape];
    return { size: n, align: n, at: {} };
  }
  const at: Record<string, number> = {};
  const place = (name: string, l: Laid, offset: number) => {
    at[name] = offset;
    for (const [k, v] of Object.entries(l.at)) at[`${name}.${k}`] = offset + v;
  };
  if ('record' in shape) {
    let offset = 0;
    let align = 1;
    for (const [name, s] of shape.record) {
      const l = lay(s);
      offset = up(offset, l.align);
      place(name, l, offset);
      offset += l.size;
      align = Math.max(align, l.align);
    }
    return { size: up(offset, align), align, at };
  }
  const cases = shape.union.map(([name, s]) => [name, lay(s)] as const);
  const align = Math.max(1, ...cases.map(([, l]) => l.align));
  const payload = up(1, align);
  at['tag'] = 0;
  for (const [name, l] of cases) place(name, l, payload);
  return { size: up(payload + Math.max(...cases.map(([, l]) => l.size)), align), align, at };
}

const filestat = (linkcount: Shape) =>
  lay(rec(['dev', 'u64'], ['ino', 'u64'], ['filetype', 'u8'], ['nlink', linkcount], ['size', 'u64'], ['atim', 'u64'], ['mtim', 'u64'], ['ctim', 'u64']));
const subscription = (clock: Shape) =>
  lay(rec(['userdata', 'u64'], ['u', union(['clock', clock], ['fd_read', rec(['file_descriptor', 'u32'])], ['fd_write', rec(['file_descriptor', 'u32'])])]));

const WITX = {
  iovec: lay(rec(['buf', 'u32'], ['buf_len', 'u32'])),
  fdstat: lay(rec(['fs_filetype', 'u8'], ['fs_flags', 'u16'], ['fs_rights_base', 'u64'], ['fs_rights_inheriting', 'u64'])),
  prestat: lay(union(['dir', rec(['pr_name_len', 'u32'])])),
  filestat: filestat('u64'), // linkcount is u64 in preview1
  filestat0: filestat('u32'), // and u32 in snapshot 0
  dirent: lay(rec(['d_next', 'u64'], ['d_ino', 'u64'], ['d_namlen', 'u32'], ['d_type', 'u8'])),
  event: lay(rec(['userdata', 'u64'], ['error', 'u16'], ['type', 'u8'], ['fd_readwrite', rec(['nbytes', 'u64'], ['flags', 'u16'])])),
  subscription: subscription(rec(['id', 'u32'], ['timeout', 'u64'], ['precision', 'u64'], ['flags', 'u16'])),
  subscription0: subscription(rec(['identifier', 'u64'], ['id', 'u32'], ['timeout', 'u64'], ['precision', 'u64'], ['flags', 'u16'])),
};

describe('struct layouts match the witx', () => {
  it('the calculator reproduces the well-known sizes', () => {
    expect([WITX.iovec.size, WITX.fdstat.size, WITX.prestat.size, WITX.filestat.size, WITX.filestat0.size]).toEqual([8, 24, 8, 64, 56]);
    expect([WITX.dirent.size, WITX.event.size, WITX.subscription.size, WITX.subscription0.size]).toEqual([24, 32, 48, 56]);
    expect(WITX.filestat0.at['nlink']).toBe(20);
    expect(WITX.subscription0.at['u.clock.id']).toBe(24);
  });

  it('iovec / ciovec', () => {
    const w = WITX.iovec;
    expect(IOVEC).toEqual({ size: w.size, buf: w.at['buf'], buf_len: w.at['buf_len'] });
  });

  it('fdstat', () => {
    const w = WITX.fdstat;
    expect(FDSTAT).toEqual({
      size: w.size, fs_filetype: w.at['fs_filetype'], fs_flags: w.at['fs_flags'],
      fs_rights_base: w.at['fs_rights_base'], fs_rights_inheriting: w.at['fs_rights_inheriting'],
    });
  });

  it('prestat', () => {
    const w = WITX.prestat;
    expect(PRESTAT).toEqual({ size: w.size, tag: w.at['tag'], pr_name_len: w.at['dir.pr_name_len'] });
  });

  it('filestat, preview1 (nlink u64) and snapshot 0 (nlink u32)', () => {
    for (const [mine, w] of [[FILESTAT, WITX.filestat], [FILESTAT_UNSTABLE, WITX.filestat0]] as const) {
      expect(mine).toEqual({
        size: w.size, dev: w.at['dev'], ino: w.at['ino'], filetype: w.at['filetype'], nlink: w.at['nlink'],
        size_: w.at['size'], atim: w.at['atim'], mtim: w.at['mtim'], ctim: w.at['ctim'],
      });
    }
    expect(FILESTAT_UNSTABLE).toMatchObject({ size: 56, nlink: 20, size_: 24, ctim: 48 });
  });

  it('dirent (the same in both snapshots)', () => {
    const w = WITX.dirent;
    expect(DIRENT).toEqual({ size: w.size, d_next: w.at['d_next'], d_ino: w.at['d_ino'], d_namlen: w.at['d_namlen'], d_type: w.at['d_type'] });
  });

  it('event (the same in both snapshots)', () => {
    const w = WITX.event;
    expect(EVENT).toEqual({
      size: w.size, userdata: w.at['userdata'], error: w.at['error'], type: w.at['type'],
      nbytes: w.at['fd_readwrite.nbytes'], flags: w.at['fd_readwrite.flags'],
    });
  });

  it('subscription, preview1 (48 bytes) and snapshot 0 (56 bytes, clock id at 24)', () => {
    const p = WITX.subscription;
    expect(SUBSCRIPTION).toEqual({
      size: p.size, userdata: p.at['userdata'], tag: p.at['u.tag'],
      clock_id: p.at['u.clock.id'], clock_timeout: p.at['u.clock.timeout'],
      clock_precision: p.at['u.clock.precision'], clock_flags: p.at['u.clock.flags'],
      fd: p.at['u.fd_read.file_descriptor'],
    });
    expect(p.at['u.fd_write.file_descriptor']).toBe(SUBSCRIPTION.fd);
    const z = WITX.subscription0;
    expect(SUBSCRIPTION_UNSTABLE).toEqual({
      size: z.size, userdata: z.at['userdata'], tag: z.at['u.tag'],
      clock_identifier: z.at['u.clock.identifier'], clock_id: z.at['u.clock.id'],
      clock_timeout: z.at['u.clock.timeout'], clock_precision: z.at['u.clock.precision'],
      clock_flags: z.at['u.clock.flags'], fd: z.at['u.fd_read.file_descriptor'],
    });
    expect(SUBSCRIPTION_UNSTABLE).toMatchObject({ size: 56, clock_id: 24 });
  });
});

describe('enum and flag numbering matches the witx', () => {
  it('whence: preview1 SET/CUR/END = 0/1/2; snapshot 0 CUR/END/SET = 0/1/2', () => {
    const SET = 0;
    const CUR = 1;
    const END = 2;
    expect([0, 1, 2].map((w) => whence('preview1', w))).toEqual([SET, CUR, END]);
    expect([0, 1, 2].map((w) => whence('unstable', w))).toEqual([CUR, END, SET]);
    for (const snapshot of ['preview1', 'unstable'] as const) {
      for (const bad of [3, 255, 256]) expect([SET, CUR, END]).not.toContain(whence(snapshot, bad));
    }
  });

  it('filetype, eventtype, errno and rights', () => {
    expect(Object.entries(FILETYPE).sort((a, b) => a[1] - b[1]).map(([k]) => k)).toEqual(WITX_FILETYPE);
    expect(EVENTTYPE).toEqual({ clock: 0, fd_read: 1, fd_write: 2 });
    expect(WITX_ERRNO.map((_, i) => errnoName(i))).toEqual(WITX_ERRNO);
    expect(Object.keys(Errno).map((k) => k.replace(/^E/, '').toLowerCase())).toEqual(WITX_ERRNO);
    expect(Object.values(Errno)).toEqual(WITX_ERRNO.map((_, i) => i));
    // Rights: bit i is the witx flag i (sock_accept, bit 29, was added with the preview1 sockets).
    const bits = Object.entries(Rights).map(([k, v]) => [k.toLowerCase(), v] as const);
    for (const [name, bit] of bits) expect(bit, name).toBe(1n << BigInt(WITX_RIGHTS.indexOf(name)));
    expect(bits.map(([k]) => k)).toEqual(WITX_RIGHTS);
  });
});

describe('encoders write the witx offsets', () => {
  const stat: Stat = {
    dev: 0x0102030405060708n, ino: 0x1112131415161718n, type: 'regular-file', nlink: 3, size: 0x12345678,
    atim: 0x2122232425262728n, mtim: 0x3132333435363738n, ctim: 0x4142434445464748n,
  };
  const setup = () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    new Uint8Array(memory.buffer).fill(0xaa);
    return { mem: new GuestMemory(memory), view: new DataView(memory.buffer), bytes: new Uint8Array(memory.buffer) };
  };

  it('writeFilestat, preview1: 64 bytes, nlink u64 at 24, padding zeroed, nothing else touched', () => {
    const { mem, view, bytes } = setup();
    const p = 104;
    writeFilestat(mem, p, stat, 'preview1');
    expect(view.getBigUint64(p + 0, true)).toBe(stat.dev);
    expect(view.getBigUint64(p + 8, true)).toBe(stat.ino);
    expect(view.getUint8(p + 16)).toBe(4);
    expect([...bytes.subarray(p + 17, p + 24)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(view.getBigUint64(p + 24, true)).toBe(3n);
    expect(view.getBigUint64(p + 32, true)).toBe(0x12345678n);
    expect(view.getBigUint64(p + 40, true)).toBe(stat.atim);
    expect(view.getBigUint64(p + 48, true)).toBe(stat.mtim);
    expect(view.getBigUint64(p + 56, true)).toBe(stat.ctim);
    expect(bytes[p - 1]).toBe(0xaa);
    expect(bytes[p + 64]).toBe(0xaa);
  });

  it('writeFilestat, snapshot 0: 56 bytes, nlink u32 at 20', () => {
    const { mem, view, bytes } = setup();
    const p = 104;
    writeFilestat(mem, p, stat, 'unstable');
    expect(view.getBigUint64(p + 0, true)).toBe(stat.dev);
    expect(view.getBigUint64(p + 8, true)).toBe(stat.ino);
    expect(view.getUint8(p + 16)).toBe(4);
    expect([...bytes.subarray(p + 17, p + 20)]).toEqual([0, 0, 0]);
    expect(view.getUint32(p + 20, true)).toBe(3);
    expect(view.getBigUint64(p + 24, true)).toBe(0x12345678n);
    expect(view.getBigUint64(p + 32, true)).toBe(stat.atim);
    expect(view.getBigUint64(p + 40, true)).toBe(stat.mtim);
    expect(view.getBigUint64(p + 48, true)).toBe(stat.ctim);
    expect(bytes[p - 1]).toBe(0xaa);
    expect(bytes[p + 56]).toBe(0xaa);
  });

  it('writeFilestat, snapshot 0: an nlink beyond u32 saturates', () => {
    const { mem, view } = setup();
    writeFilestat(mem, 0, { ...stat, nlink: 2 ** 40 }, 'unstable');
    expect(view.getUint32(20, true)).toBe(0xffffffff);
  });

  it('fd_readdir writes ASCII and other names in UTF-8, and cuts the last record at any buffer size', () => {
    const fs = new MemoryFS();
    const names = ['plain', 'é', 'a€b', 'x\ud800y', 'Ωmega-long-name-past-the-short-ones'];
    for (const name of names) fs.writeFile(name, '');
    // The whole listing as the witx lays it out, built here from the names and inodes.
    const records = ['.', '..', ...names].map((name, i) => {
      const bytes = new TextEncoder().encode(name);
      const rec = new Uint8Array(DIRENT.size + bytes.length);
      const v = new DataView(rec.buffer);
      v.setBigUint64(DIRENT.d_next, BigInt(i + 1), true);
      v.setBigUint64(DIRENT.d_ino, i < 2 ? fs.stat('.').ino : fs.stat(name).ino, true);
      v.setUint32(DIRENT.d_namlen, bytes.length, true);
      v.setUint32(DIRENT.d_type, i < 2 ? FILETYPE.directory : FILETYPE['regular-file'], true);
      rec.set(bytes, DIRENT.size);
      return rec;
    });
    const whole = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    records.reduce((at, r) => (whole.set(r, at), at + r.length), 0);
    expect(whole.length).toBe(7 * 24 + 1 + 2 + 5 + 2 + 5 + 5 + 36);
    const g = guest(new WASI({ preopens: { box: fs.root } }));
    for (const size of [1, 23, 24, 25, 26, 60, 77, 100, 150, whole.length - 1, whole.length, whole.length + 9]) {
      g.fill(1024, 512, 0xaa);
      expect(g.call('fd_readdir', 3, 1024, size, 0n, 8)).toBe(0);
      const used = g.u32(8);
      expect(used).toBe(Math.min(size, whole.length));
      expect([...g.bytes(1024, used)]).toEqual([...whole.subarray(0, used)]);
    }
  });

  it('fd_fdstat_get, fd_prestat_get, fd_readdir and poll_oneoff write their structs at the witx offsets', () => {
    const fs = new MemoryFS();
    fs.writeFile('f', 'hello');
    const wasi = new WASI({ preopens: { '/sandbox': fs.root }, sleep: () => {} });
    const g = guest(wasi);
    g.fill(0, g.size, 0xaa);

    // fdstat of the preopen: directory, no flags, its rights.
    expect(g.call('fd_fdstat_get', 3, 256)).toBe(0);
    expect(g.u8(256)).toBe(3);
    expect(g.u8(257)).toBe(0);
    expect(g.u16(258)).toBe(0);
    expect(g.u32(260)).toBe(0);
    expect(g.u64(264) & Rights.PATH_OPEN).toBe(Rights.PATH_OPEN);
    expect(g.u64(272)).not.toBe(0xaaaaaaaaaaaaaaaan);
    expect(g.u8(280)).toBe(0xaa);

    // prestat: tag 0 (dir) at 0, name length at 4.
    expect(g.call('fd_prestat_get', 3, 320)).toBe(0);
    expect([...g.bytes(320, 8)]).toEqual([0, 0, 0, 0, 8, 0, 0, 0]);
    expect(g.u8(328)).toBe(0xaa);

    // dirent: "." then ".." then "f", each a 24-byte header and its name.
    expect(g.call('fd_readdir', 3, 1024, 512, 0n, 400)).toBe(0);
    const used = g.u32(400);
    expect(used).toBe(24 + 1 + 24 + 2 + 24 + 1);
    const third = 1024 + 24 + 1 + 24 + 2;
    expect(g.u64(third + 0)).toBe(3n); // d_next: the cookie after it
    expect(g.u64(third + 8)).toBe(fs.stat('f').ino);
    expect(g.u32(third + 16)).toBe(1);
    expect(g.u8(third + 20)).toBe(4);
    expect([...g.bytes(third + 21, 3)]).toEqual([0, 0, 0]);
    expect(g.text(third + 24, 1)).toBe('f');

    // event: a file is always ready to read; nbytes = what is left.
    expect(g.call('path_open', 3, 0, 600, g.str(600, 'f'), 0, Rights.FD_READ, 0n, 0, 608)).toBe(0);
    const fd = g.u32(608);
    g.fill(2048, 48, 0);
    g.setU64(2048, 0xfeedn);
    g.write(2048 + 8, [1]); // fd_read
    g.setU32(2048 + 16, fd);
    expect(g.call('poll_oneoff', 2048, 3072, 1, 700)).toBe(0);
    expect(g.u32(700)).toBe(1);
    expect(g.u64(3072)).toBe(0xfeedn);
    expect(g.u16(3072 + 8)).toBe(0);
    expect(g.u8(3072 + 10)).toBe(1);
    expect(g.u64(3072 + 16)).toBe(5n);
    expect(g.u16(3072 + 24)).toBe(0);
    expect(g.u8(3072 + 32)).toBe(0xaa);
  });
});

describe('the import objects', () => {
  it('wasi_snapshot_preview1 has exactly the 46 Preview 1 functions', () => {
    const wasi = new WASI();
    expect(WITX_PREVIEW1).toHaveLength(46);
    expect(Object.keys(wasi.wasiImport).sort()).toEqual([...WITX_PREVIEW1].sort());
    for (const name of WITX_PREVIEW1) expect(typeof wasi.wasiImport[name as keyof typeof wasi.wasiImport], name).toBe('function');
    expect(wasi.getImportObject().wasi_snapshot_preview1).toBe(wasi.wasiImport);
  });

  it('an import module behaves as a plain object of functions (its bindings are made on first read)', () => {
    const m = new WASI().wasiImport as unknown as Record<string, unknown>;
    expect('fd_write' in m).toBe(true);
    expect('no_such_call' in m).toBe(false);
    expect(m.fd_write).toBe(m.fd_write); // made once
    expect(Object.getOwnPropertyDescriptor(m, 'fd_read')).toEqual({ value: m.fd_read, writable: true, enumerable: true, configurable: true });
    expect(Object.getOwnPropertySymbols(m)).toEqual([]);
    const copy = { ...m };
    expect(Object.keys(copy).sort()).toEqual([...WITX_PREVIEW1].sort());
    expect(copy.fd_write).toBe(m.fd_write);
    const mine = () => 0;
    m.fd_sync = mine;
    expect(m.fd_sync).toBe(mine);
    m.extra = 1;
    expect(Object.keys(m)).toContain('extra');
    expect(Object.keys(m).filter((k) => k === 'fd_sync')).toHaveLength(1);
  });

  it('wasi_unstable has every function of snapshot 0', () => {
    const wasi = new WASI();
    const unstable = wasi.getImportObject().wasi_unstable as Record<string, unknown>;
    expect(WITX_UNSTABLE).toHaveLength(45);
    for (const name of WITX_UNSTABLE) expect(typeof unstable[name], name).toBe('function');
    expect(UNSTABLE_NAMES.sort()).toEqual([...WITX_UNSTABLE].sort());
  });

  it('each binding takes exactly the parameters of its wasm signature (an engine calls it without adapting)', () => {
    const wasi = new WASI({});
    for (const module of [wasi.wasiImport, wasi.wasiUnstableImport]) {
      for (const [name, params] of Object.entries(PREVIEW1_PARAMS)) {
        if (name in module) expect(module[name as keyof typeof module].length, name).toBe(params.length);
      }
    }
  });

  it('the tracer parameter names line up with the wasm signatures', () => {
    expect(Object.keys(PREVIEW1_PARAMS).sort()).toEqual([...WITX_PREVIEW1].sort());
    for (const name of WITX_PREVIEW1) {
      expect(SIGNATURES[name as keyof typeof SIGNATURES], name).toHaveLength(PREVIEW1_PARAMS[name]!.length);
    }
  });

  it('modules importing every function of either snapshot link and instantiate', () => {
    for (const module of ['wasi_snapshot_preview1', 'wasi_unstable'] as const) {
      const wasi = new WASI();
      const m = guestModule({ module });
      const imported = WebAssembly.Module.imports(m);
      expect(imported).toHaveLength(module === 'wasi_unstable' ? 45 : 46);
      expect(imported.every((i) => i.module === module && i.kind === 'function')).toBe(true);
      const g = guest(wasi, { module });
      expect(g.call('sched_yield')).toBe(0);
    }
  });
});

describe('wasi_unstable uses the snapshot 0 layouts', () => {
  const RIGHTS = (1n << 30n) - 1n;

  function setup(module: 'wasi_snapshot_preview1' | 'wasi_unstable', fs = new MemoryFS()) {
    if (!fs.exists('data.txt')) fs.writeFile('data.txt', '0123456789');
    const wasi = new WASI({ preopens: { '.': fs.root }, sleep: () => { throw new Error('must not sleep'); } });
    const g = guest(wasi, { module });
    expect(g.call('path_open', 3, 0, 16, g.str(16, 'data.txt'), 0, RIGHTS, RIGHTS, 0, 64)).toBe(0);
    return { g, fd: g.u32(64), fs };
  }

  it('fd_filestat_get and path_filestat_get write a 56-byte filestat with nlink u32 at 20', () => {
    const { g, fd } = setup('wasi_unstable');
    for (const call of [() => g.call('fd_filestat_get', fd, 256), () => g.call('path_filestat_get', 3, 0, 16, 8, 256)]) {
      g.fill(256, 80, 0xaa);
      expect(call()).toBe(0);
      expect(g.u8(256 + 16)).toBe(4);
      expect(g.u32(256 + 20)).toBe(1);
      expect(g.u64(256 + 24)).toBe(10n);
      expect(g.u8(256 + 56)).toBe(0xaa);
    }
  });

  it('the same calls through wasi_snapshot_preview1 write 64 bytes with nlink u64 at 24', () => {
    const { g, fd } = setup('wasi_snapshot_preview1');
    g.fill(256, 80, 0xaa);
    expect(g.call('fd_filestat_get', fd, 256)).toBe(0);
    expect(g.u64(256 + 24)).toBe(1n);
    expect(g.u64(256 + 32)).toBe(10n);
    expect(g.u8(256 + 63)).not.toBe(0xaa);
    expect(g.u8(256 + 64)).toBe(0xaa);
  });

  it('a 56-byte filestat ending at the end of memory fits with wasi_unstable, and traps with preview1', () => {
    const end = 65536;
    const u = setup('wasi_unstable');
    expect(u.g.call('fd_filestat_get', u.fd, end - 56)).toBe(0);
    expect(u.g.u64(end - 56 + 24)).toBe(10n);
    expect(u.g.call('path_filestat_get', 3, 0, 16, 8, end - 56)).toBe(0);
    const p = setup('wasi_snapshot_preview1');
    expect(() => p.g.call('fd_filestat_get', p.fd, end - 56)).toThrow(WebAssembly.RuntimeError);
    expect(p.g.call('fd_filestat_get', p.fd, end - 64)).toBe(0);
  });

  it('fd_seek numbers whence CUR/END/SET = 0/1/2', () => {
    const { g, fd } = setup('wasi_unstable');
    expect(g.call('fd_seek', fd, 5n, 2, 128)).toBe(0); // SET
    expect(g.u64(128)).toBe(5n);
    expect(g.call('fd_seek', fd, 2n, 0, 128)).toBe(0); // CUR
    expect(g.u64(128)).toBe(7n);
    expect(g.call('fd_seek', fd, -1n, 1, 128)).toBe(0); // END
    expect(g.u64(128)).toBe(9n);
    expect(g.call('fd_tell', fd, 136)).toBe(0);
    expect(g.u64(136)).toBe(9n);
    expect(g.call('fd_seek', fd, 0n, 3, 128)).toBe(Errno.EINVAL);
  });

  it('whereas preview1 fd_seek numbers whence SET/CUR/END = 0/1/2', () => {
    const { g, fd } = setup('wasi_snapshot_preview1');
    expect(g.call('fd_seek', fd, 5n, 0, 128)).toBe(0);
    expect(g.u64(128)).toBe(5n);
    expect(g.call('fd_seek', fd, 2n, 1, 128)).toBe(0);
    expect(g.u64(128)).toBe(7n);
    expect(g.call('fd_seek', fd, -1n, 2, 128)).toBe(0);
    expect(g.u64(128)).toBe(9n);
  });

  it('poll_oneoff reads 56-byte subscriptions with the clock id at 24', () => {
    const { g } = setup('wasi_unstable');
    const sub = (at: number, userdata: bigint, identifier: bigint, timeout: bigint) => {
      g.fill(at, 56, 0);
      g.setU64(at, userdata);
      g.write(at + 8, [0]); // clock
      g.setU64(at + 16, identifier); // read as a clock id in the preview1 layout: an invalid one
      g.setU32(at + 24, 1); // monotonic
      g.setU64(at + 32, timeout);
      g.setU64(at + 40, 0n);
    };
    sub(1024, 111n, 0xffffffffffffffffn, 10_000_000_000n);
    sub(1024 + 56, 222n, 0xdeadn, 0n);
    g.fill(2048, 64, 0xaa);
    expect(g.call('poll_oneoff', 1024, 2048, 2, 512)).toBe(0);
    expect(g.u32(512)).toBe(1);
    expect(g.u64(2048)).toBe(222n);
    expect(g.u16(2048 + 8)).toBe(0);
    expect(g.u8(2048 + 10)).toBe(0);
    expect(g.u8(2048 + 32)).toBe(0xaa);
  });
});

describe('the tracer', () => {
  function traced() {
    const fs = new MemoryFS();
    const lines: string[] = [];
    const wasi = new WASI({ preopens: { '.': fs.root }, trace: (line) => lines.push(line) });
    return { g: guest(wasi), lines, fs };
  }

  it('prints one line per call, with the decoded path and the errno name', () => {
    const { g, lines } = traced();
    const len = g.str(1024, 'x.txt');
    expect(g.call('path_open', 3, 0, 1024, len, 0, 2n, 0n, 0, 2048)).toBe(Errno.ENOENT);
    expect(lines).toEqual([
      'path_open(fd=3, dirflags=0, path="x.txt", oflags=0, rights_base=2, rights_inheriting=0, fdflags=0, fd_out=2048) = 44 (ENOENT)',
    ]);
    expect(g.call('sched_yield')).toBe(0);
    expect(g.call('fd_close', 99)).toBe(Errno.EBADF);
    expect(lines.slice(1)).toEqual(['sched_yield() = 0', 'fd_close(fd=99) = 8 (EBADF)']);
  });

  it('decodes both paths of a two-path call, and non-ASCII paths', () => {
    const { g, lines, fs } = traced();
    fs.writeFile('é.txt', '');
    const a = g.str(1024, 'é.txt');
    const b = g.str(1100, 'ü/ß');
    expect(g.call('path_rename', 3, 1024, a, 3, 1100, b)).toBe(Errno.ENOENT);
    expect(lines).toEqual(['path_rename(fd=3, old_path="é.txt", new_fd=3, new_path="ü/ß") = 44 (ENOENT)']);
  });

  it('shows undecodable paths by address, and calls that trap', () => {
    const { g, lines } = traced();
    g.write(1024, [0x61, 0xff]);
    expect(g.call('path_create_directory', 3, 1024, 2)).toBe(Errno.EILSEQ);
    expect(lines[0]).toBe('path_create_directory(fd=3, path=<2 bytes at 1024>) = 25 (EILSEQ)');
    expect(() => g.call('path_create_directory', 3, 65530, 100)).toThrow(WebAssembly.RuntimeError);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^path_create_directory\(fd=3, path=<100 bytes at 65530>\) = threw RuntimeError: /);
  });

  it('prints successful calls with 0 and unsigned arguments', () => {
    const { g, lines } = traced();
    g.iovecs(16, [{ ptr: 64, len: g.str(64, 'hi') }]);
    expect(g.call('fd_write', 1, 16, 1, 32)).toBe(0);
    expect(g.call('fd_fdstat_get', -1, 32)).toBe(Errno.EBADF);
    expect(lines).toEqual(['fd_write(fd=1, iovs=16, iovs_len=1, nwritten_out=32) = 0', 'fd_fdstat_get(fd=4294967295, stat_out=32) = 8 (EBADF)']);
  });
});

describe('the test encoder', () => {
  it('encodes constants at the edges of their ranges', () => {
    const values32 = [0, 1, -1, 63, 64, -64, -65, 0x7fffffff, -0x80000000, 0xffffffff];
    const values64 = [0n, -1n, 63n, 64n, -65n, (1n << 63n) - 1n, -(1n << 63n), 0xffffffffffffffffn];
    const bytes = encodeModule({
      funcs: [
        ...values32.map((v, i) => ({ name: `a${i}`, params: [], results: ['i32' as const], body: [op.i32(v)] })),
        ...values64.map((v, i) => ({ name: `b${i}`, params: [], results: ['i64' as const], body: [op.i64(v)] })),
        { name: 'grow', params: ['i32' as const], results: ['i32' as const], body: [op.localGet(0), op.memoryGrow] },
        { name: 'twice', params: ['i32' as const], results: ['i32' as const], body: [op.localGet(0), op.call('grow'), op.drop, op.localGet(0), op.call('grow')] },
      ],
    });
    expect(WebAssembly.validate(bytes)).toBe(true);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const fn = (n: string) => exports[n] as (...a: number[]) => number | bigint;
    values32.forEach((v, i) => expect(fn(`a${i}`)()).toBe(v | 0));
    values64.forEach((v, i) => expect(fn(`b${i}`)()).toBe(BigInt.asIntN(64, v)));
    expect(fn('twice')(2)).toBe(3);
    expect((exports['memory'] as WebAssembly.Memory).buffer.byteLength).toBe(5 * 65536);
  });
});

describe('WASI import signatures', () => {
  it('src/abi/signatures.ts agrees with the witx transcription the test guests use', () => {
    expect(Object.keys(WASM_PARAMS).sort()).toEqual(Object.keys(PREVIEW1_PARAMS).sort());
    for (const [name, params] of Object.entries(PREVIEW1_PARAMS)) expect(WASM_PARAMS[name as keyof typeof WASM_PARAMS], name).toEqual(params);
  });

  it('accepts a module importing WASI functions with their signatures, refuses others', () => {
    const ok = encodeModule({ imports: [importOf('wasi_snapshot_preview1', 'fd_write'), importOf('wasi_unstable', 'proc_exit')], funcs: [] });
    expect(wasiImportProblem(ok)).toBeUndefined();
    const wrong = encodeModule({ imports: [{ module: 'wasi_snapshot_preview1', name: 'fd_seek', params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] }], funcs: [] });
    expect(wasiImportProblem(wrong)).toBe('imports wasi_snapshot_preview1.fd_seek as (i32, i32, i32, i32) -> (i32), but its signature is (i32, i64, i32, i32) -> (i32)');
    const unknown = encodeModule({ imports: [{ module: 'wasi_unstable', name: 'fd_frob', params: [], results: [] }], funcs: [] });
    expect(wasiImportProblem(unknown)).toBe('imports wasi_unstable.fd_frob, which is not a WASI Preview 1 function');
    const foreign = encodeModule({ imports: [{ module: 'env', name: 'x', params: [], results: [] }], funcs: [] });
    expect(wasiImportProblem(foreign)).toBeUndefined(); // other modules are not judged here
  });
});
