// Layer: compat/browser-wasi-shim. Imports nothing.
// The `wasi` namespace of the browser_wasi_shim drop-in (iotypes/browser-wasi-shim): Preview 1
// constants and the small record classes that custom `Fd` subclasses build their results from.

export const FD_STDIN = 0, FD_STDOUT = 1, FD_STDERR = 2;
export const CLOCKID_REALTIME = 0, CLOCKID_MONOTONIC = 1, CLOCKID_PROCESS_CPUTIME_ID = 2;
export const CLOCKID_THREAD_CPUTIME_ID = 3;
export const ERRNO_SUCCESS = 0, ERRNO_2BIG = 1, ERRNO_ACCES = 2, ERRNO_ADDRINUSE = 3;
export const ERRNO_ADDRNOTAVAIL = 4, ERRNO_AFNOSUPPORT = 5, ERRNO_AGAIN = 6, ERRNO_ALREADY = 7;
export const ERRNO_BADF = 8, ERRNO_BADMSG = 9, ERRNO_BUSY = 10, ERRNO_CANCELED = 11;
export const ERRNO_CHILD = 12, ERRNO_CONNABORTED = 13, ERRNO_CONNREFUSED = 14;
export const ERRNO_CONNRESET = 15, ERRNO_DEADLK = 16, ERRNO_DESTADDRREQ = 17, ERRNO_DOM = 18;
export const ERRNO_DQUOT = 19, ERRNO_EXIST = 20, ERRNO_FAULT = 21, ERRNO_FBIG = 22;
export const ERRNO_HOSTUNREACH = 23, ERRNO_IDRM = 24, ERRNO_ILSEQ = 25, ERRNO_INPROGRESS = 26;
export const ERRNO_INTR = 27, ERRNO_INVAL = 28, ERRNO_IO = 29, ERRNO_ISCONN = 30, ERRNO_ISDIR = 31;
export const ERRNO_LOOP = 32, ERRNO_MFILE = 33, ERRNO_MLINK = 34, ERRNO_MSGSIZE = 35;
export const ERRNO_MULTIHOP = 36, ERRNO_NAMETOOLONG = 37, ERRNO_NETDOWN = 38, ERRNO_NETRESET = 39;
export const ERRNO_NETUNREACH = 40, ERRNO_NFILE = 41, ERRNO_NOBUFS = 42, ERRNO_NODEV = 43;
export const ERRNO_NOENT = 44, ERRNO_NOEXEC = 45, ERRNO_NOLCK = 46, ERRNO_NOLINK = 47;
export const ERRNO_NOMEM = 48, ERRNO_NOMSG = 49, ERRNO_NOPROTOOPT = 50, ERRNO_NOSPC = 51;
export const ERRNO_NOSYS = 52, ERRNO_NOTCONN = 53, ERRNO_NOTDIR = 54, ERRNO_NOTEMPTY = 55;
export const ERRNO_NOTRECOVERABLE = 56, ERRNO_NOTSOCK = 57, ERRNO_NOTSUP = 58, ERRNO_NOTTY = 59;
export const ERRNO_NXIO = 60, ERRNO_OVERFLOW = 61, ERRNO_OWNERDEAD = 62, ERRNO_PERM = 63;
export const ERRNO_PIPE = 64, ERRNO_PROTO = 65, ERRNO_PROTONOSUPPORT = 66, ERRNO_PROTOTYPE = 67;
export const ERRNO_RANGE = 68, ERRNO_ROFS = 69, ERRNO_SPIPE = 70, ERRNO_SRCH = 71;
export const ERRNO_STALE = 72, ERRNO_TIMEDOUT = 73, ERRNO_TXTBSY = 74, ERRNO_XDEV = 75;
export const ERRNO_NOTCAPABLE = 76;
export const RIGHTS_FD_DATASYNC = 1, RIGHTS_FD_READ = 2, RIGHTS_FD_SEEK = 4;
export const RIGHTS_FD_FDSTAT_SET_FLAGS = 8, RIGHTS_FD_SYNC = 16, RIGHTS_FD_TELL = 32;
export const RIGHTS_FD_WRITE = 64, RIGHTS_FD_ADVISE = 128, RIGHTS_FD_ALLOCATE = 256;
export const RIGHTS_PATH_CREATE_DIRECTORY = 512, RIGHTS_PATH_CREATE_FILE = 1024;
export const RIGHTS_PATH_LINK_SOURCE = 2048, RIGHTS_PATH_LINK_TARGET = 4096;
export const RIGHTS_PATH_OPEN = 8192, RIGHTS_FD_READDIR = 16384, RIGHTS_PATH_READLINK = 32768;
export const RIGHTS_PATH_RENAME_SOURCE = 65536, RIGHTS_PATH_RENAME_TARGET = 131072;
export const RIGHTS_PATH_FILESTAT_GET = 262144, RIGHTS_PATH_FILESTAT_SET_SIZE = 524288;
export const RIGHTS_PATH_FILESTAT_SET_TIMES = 1048576, RIGHTS_FD_FILESTAT_GET = 2097152;
export const RIGHTS_FD_FILESTAT_SET_SIZE = 4194304, RIGHTS_FD_FILESTAT_SET_TIMES = 8388608;
export const RIGHTS_PATH_SYMLINK = 16777216, RIGHTS_PATH_REMOVE_DIRECTORY = 33554432;
export const RIGHTS_PATH_UNLINK_FILE = 67108864, RIGHTS_POLL_FD_READWRITE = 134217728;
export const RIGHTS_SOCK_SHUTDOWN = 268435456;
export const WHENCE_SET = 0, WHENCE_CUR = 1, WHENCE_END = 2;
export const FILETYPE_UNKNOWN = 0, FILETYPE_BLOCK_DEVICE = 1, FILETYPE_CHARACTER_DEVICE = 2;
export const FILETYPE_DIRECTORY = 3, FILETYPE_REGULAR_FILE = 4, FILETYPE_SOCKET_DGRAM = 5;
export const FILETYPE_SOCKET_STREAM = 6, FILETYPE_SYMBOLIC_LINK = 7;
export const ADVICE_NORMAL = 0, ADVICE_SEQUENTIAL = 1, ADVICE_RANDOM = 2, ADVICE_WILLNEED = 3;
export const ADVICE_DONTNEED = 4, ADVICE_NOREUSE = 5;
export const FDFLAGS_APPEND = 1, FDFLAGS_DSYNC = 2, FDFLAGS_NONBLOCK = 4, FDFLAGS_RSYNC = 8;
export const FDFLAGS_SYNC = 16;
export const FSTFLAGS_ATIM = 1, FSTFLAGS_ATIM_NOW = 2, FSTFLAGS_MTIM = 4, FSTFLAGS_MTIM_NOW = 8;
export const OFLAGS_CREAT = 1, OFLAGS_DIRECTORY = 2, OFLAGS_EXCL = 4, OFLAGS_TRUNC = 8;
export const EVENTTYPE_CLOCK = 0, EVENTTYPE_FD_READ = 1, EVENTTYPE_FD_WRITE = 2;
export const EVENTRWFLAGS_FD_READWRITE_HANGUP = 1;
export const SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME = 1;
export const SIGNAL_NONE = 0, SIGNAL_HUP = 1, SIGNAL_INT = 2, SIGNAL_QUIT = 3, SIGNAL_ILL = 4;
export const SIGNAL_TRAP = 5, SIGNAL_ABRT = 6, SIGNAL_BUS = 7, SIGNAL_FPE = 8, SIGNAL_KILL = 9;
export const SIGNAL_USR1 = 10, SIGNAL_SEGV = 11, SIGNAL_USR2 = 12, SIGNAL_PIPE = 13;
export const SIGNAL_ALRM = 14, SIGNAL_TERM = 15, SIGNAL_CHLD = 16, SIGNAL_CONT = 17;
export const SIGNAL_STOP = 18, SIGNAL_TSTP = 19, SIGNAL_TTIN = 20, SIGNAL_TTOU = 21;
export const SIGNAL_URG = 22, SIGNAL_XCPU = 23, SIGNAL_XFSZ = 24, SIGNAL_VTALRM = 25;
export const SIGNAL_PROF = 26, SIGNAL_WINCH = 27, SIGNAL_POLL = 28, SIGNAL_PWR = 29;
export const SIGNAL_SYS = 30;
export const RIFLAGS_RECV_PEEK = 1, RIFLAGS_RECV_WAITALL = 2;
export const ROFLAGS_RECV_DATA_TRUNCATED = 1;
export const SDFLAGS_RD = 1, SDFLAGS_WR = 2;
export const PREOPENTYPE_DIR = 0;

export class Iovec {
  buf = 0;
  buf_len = 0;
  static read_bytes(view: DataView, ptr: number): Iovec {
    const iovec = new Iovec();
    iovec.buf = view.getUint32(ptr, true);
    iovec.buf_len = view.getUint32(ptr + 4, true);
    return iovec;
  }
  static read_bytes_array(view: DataView, ptr: number, len: number): Iovec[] {
    return Array.from({ length: len }, (_, i) => Iovec.read_bytes(view, ptr + 8 * i));
  }
}

export class Ciovec {
  buf = 0;
  buf_len = 0;
  static read_bytes(view: DataView, ptr: number): Ciovec {
    const iovec = new Ciovec();
    iovec.buf = view.getUint32(ptr, true);
    iovec.buf_len = view.getUint32(ptr + 4, true);
    return iovec;
  }
  static read_bytes_array(view: DataView, ptr: number, len: number): Ciovec[] {
    return Array.from({ length: len }, (_, i) => Ciovec.read_bytes(view, ptr + 8 * i));
  }
}

export class Dirent {
  d_next: bigint;
  d_ino: bigint;
  d_namlen: number;
  d_type: number;
  dir_name: Uint8Array;
  constructor(next_cookie: bigint, d_ino: bigint, name: string, type: number) {
    this.dir_name = new TextEncoder().encode(name);
    this.d_next = next_cookie;
    this.d_ino = d_ino;
    this.d_namlen = this.dir_name.byteLength;
    this.d_type = type;
  }
  head_length(): number {
    return 24;
  }
  name_length(): number {
    return this.dir_name.byteLength;
  }
  write_head_bytes(view: DataView, ptr: number): void {
    view.setBigUint64(ptr, this.d_next, true);
    view.setBigUint64(ptr + 8, this.d_ino, true);
    view.setUint32(ptr + 16, this.dir_name.length, true);
    view.setUint8(ptr + 20, this.d_type);
  }
  write_name_bytes(view8: Uint8Array, ptr: number, buf_len: number): void {
    view8.set(this.dir_name.subarray(0, Math.min(this.dir_name.byteLength, buf_len)), ptr);
  }
}

export class Fdstat {
  fs_filetype: number;
  fs_flags: number;
  fs_rights_base = 0n;
  fs_rights_inherited = 0n;
  constructor(filetype: number, flags: number) {
    this.fs_filetype = filetype;
    this.fs_flags = flags;
  }
  write_bytes(view: DataView, ptr: number): void {
    view.setUint8(ptr, this.fs_filetype);
    view.setUint16(ptr + 2, this.fs_flags, true);
    view.setBigUint64(ptr + 8, this.fs_rights_base, true);
    view.setBigUint64(ptr + 16, this.fs_rights_inherited, true);
  }
}

export class Filestat {
  dev = 0n;
  ino: bigint;
  filetype: number;
  nlink = 0n;
  size: bigint;
  atim = 0n;
  mtim = 0n;
  ctim = 0n;
  constructor(ino: bigint, filetype: number, size: bigint) {
    this.ino = ino;
    this.filetype = filetype;
    this.size = size;
  }
  write_bytes(view: DataView, ptr: number): void {
    view.setBigUint64(ptr, this.dev, true);
    view.setBigUint64(ptr + 8, this.ino, true);
    view.setUint8(ptr + 16, this.filetype);
    view.setBigUint64(ptr + 24, this.nlink, true);
    view.setBigUint64(ptr + 32, this.size, true);
    view.setBigUint64(ptr + 40, this.atim, true);
    view.setBigUint64(ptr + 48, this.mtim, true);
    view.setBigUint64(ptr + 56, this.ctim, true);
  }
}

export class Subscription {
  userdata: bigint;
  eventtype: number;
  clockid: number;
  timeout: bigint;
  flags: number;
  constructor(userdata: bigint, eventtype: number, clockid: number, timeout: bigint, flags: number) {
    this.userdata = userdata;
    this.eventtype = eventtype;
    this.clockid = clockid;
    this.timeout = timeout;
    this.flags = flags;
  }
  static read_bytes(view: DataView, ptr: number): Subscription {
    return new Subscription(view.getBigUint64(ptr, true), view.getUint8(ptr + 8), view.getUint32(ptr + 16, true), view.getBigUint64(ptr + 24, true), view.getUint16(ptr + 36, true));
  }
}

export class Event {
  userdata: bigint;
  error: number;
  eventtype: number;
  constructor(userdata: bigint, error: number, eventtype: number) {
    this.userdata = userdata;
    this.error = error;
    this.eventtype = eventtype;
  }
  write_bytes(view: DataView, ptr: number): void {
    view.setBigUint64(ptr, this.userdata, true);
    view.setUint16(ptr + 8, this.error, true);
    view.setUint8(ptr + 10, this.eventtype);
  }
}

export class PrestatDir {
  pr_name: Uint8Array;
  constructor(name: string) {
    this.pr_name = new TextEncoder().encode(name);
  }
  write_bytes(view: DataView, ptr: number): void {
    view.setUint32(ptr, this.pr_name.byteLength, true);
  }
}

export class Prestat {
  tag = PREOPENTYPE_DIR;
  inner: PrestatDir;
  constructor(inner: PrestatDir) {
    this.inner = inner;
  }
  static dir(name: string): Prestat {
    return new Prestat(new PrestatDir(name));
  }
  write_bytes(view: DataView, ptr: number): void {
    view.setUint32(ptr, this.tag, true);
    this.inner.write_bytes(view, ptr + 4);
  }
}
