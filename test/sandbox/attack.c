/*
 * Adversarial sandbox attacks against the preopened directory (fd 3, guest name "box").
 *
 *   attack.wasm NAME OUTSIDE    run one attack; OUTSIDE is the host's absolute path of the
 *                               folder next to the box that must stay unreachable
 *   attack.wasm --list          print "NAME<TAB>what it tries" for every attack
 *
 * Every attack uses raw WASI calls on fd 3 (wasi-libc would normalize paths first) and prints
 * one line:
 *   ATTACK <name> errno=<e1>,<e2>,...   every try was refused (0 marks a try that was allowed
 *                                       and checked to have stayed inside); exit 0
 *   ATTACK <name> ESCAPED <what>        a try reached outside (or, on a read-only mount,
 *                                       changed something); exit 1
 *   ATTACK <name> SETUP <what> errno=e  a step inside the box that must work did not; exit 2
 *
 * The host lays out, next to each other:
 *   outside/secret.txt  outside/dir/inner.txt
 *   box/hello.txt ("hello\n")  box/sub/deep/file.txt  box/empty/
 *   box/abs_secret -> OUTSIDE/secret.txt     box/abs_dir -> OUTSIDE
 *   box/rel_secret -> ../outside/secret.txt  box/rel_dir -> ../outside
 *   box/sub/up2 -> ../../outside/secret.txt
 *   box/chain1 -> sub/chain2 -> ../rel_secret
 *   box/chain_dir -> sub/chain_dir2 -> ../rel_dir
 *   box/dangling_rel -> ../outside/new.txt   box/dangling_abs -> OUTSIDE/new.txt
 *   box/dotdot_target -> sub/../../outside/secret.txt
 *   box/updir -> ..
 * Links the guest makes with an absolute target may be refused when made (iotypes refuses them,
 * as wasmtime does); the host-planted ones above keep following such links under attack.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define BOX 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define NOFOLLOW 0
#define O_CREAT_ __WASI_OFLAGS_CREAT
#define O_DIR_ __WASI_OFLAGS_DIRECTORY
#define O_EXCL_ __WASI_OFLAGS_EXCL
#define O_TRUNC_ __WASI_OFLAGS_TRUNC

#define R_READ                                                                 \
  (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |     \
   __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES)
#define R_WRITE                                                                \
  (R_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |      \
   __WASI_RIGHTS_FD_ALLOCATE)
#define R_DIR                                                                  \
  (__WASI_RIGHTS_PATH_CREATE_DIRECTORY | __WASI_RIGHTS_PATH_CREATE_FILE |      \
   __WASI_RIGHTS_PATH_LINK_SOURCE | __WASI_RIGHTS_PATH_LINK_TARGET |           \
   __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR |                        \
   __WASI_RIGHTS_PATH_READLINK | __WASI_RIGHTS_PATH_RENAME_SOURCE |            \
   __WASI_RIGHTS_PATH_RENAME_TARGET | __WASI_RIGHTS_PATH_FILESTAT_GET |        \
   __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FILESTAT_GET |     \
   __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_SYMLINK |          \
   __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_UNLINK_FILE)

/* A time with nanosecond digits, so hosts that set times in two steps take both. */
#define EVIL_TIME 1000000123ull

/* Raw imports taking (pointer, length): the only way to put a NUL byte inside a path. */
#define WASI_IMPORT(name)                                                      \
  __attribute__((__import_module__("wasi_snapshot_preview1"),                  \
                 __import_name__(#name)))
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len,
                      int32_t oflags, int64_t base, int64_t inheriting,
                      int32_t fdflags, int32_t fd_out) WASI_IMPORT(path_open);
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
                              int32_t path_len, int32_t stat_out)
    WASI_IMPORT(path_filestat_get);
int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t path_len)
    WASI_IMPORT(path_create_directory);
int32_t raw_path_symlink(int32_t target, int32_t target_len, int32_t fd,
                         int32_t path, int32_t path_len) WASI_IMPORT(path_symlink);
#define PTR(p) ((int32_t)(intptr_t)(p))

static const char *attack = "?";
static const char *outside = "/nonexistent-outside";
static char errnos[4096];
static size_t errnos_len;
static int tries;
static int escaped;
static char detail[1024];

/* ---- reporting ------------------------------------------------------------------------------ */

/* A try was refused with errno e (or, with e == 0, allowed and checked to stay inside). */
static void refused(int e) {
  errnos_len += snprintf(errnos + errnos_len, sizeof errnos - errnos_len, "%s%d",
                         tries ? "," : "", e);
  if (errnos_len >= sizeof errnos) errnos_len = sizeof errnos - 1;
  tries++;
}

__attribute__((format(printf, 1, 2))) static void escape(const char *fmt, ...) {
  tries++;
  if (escaped++) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
}

__attribute__((noreturn)) static void setup_failed(const char *what, int e) {
  printf("ATTACK %s SETUP %s errno=%d\n", attack, what, e);
  exit(2);
}

/* A step inside the box that must succeed for the attack to mean anything. */
static void need(int e, const char *what) {
  if (e != 0) setup_failed(what, e);
}

/* Printable copy of bytes, for reports. */
static const char *printable(const char *buf, size_t n) {
  static char out[128];
  size_t i;
  for (i = 0; i < n && i < sizeof out - 1; i++)
    out[i] = (buf[i] >= 32 && buf[i] < 127) ? buf[i] : '.';
  out[i] = 0;
  return out;
}

/* ---- primitives ----------------------------------------------------------------------------- */

static int open_at(int dir, int lookup, const char *path, int oflags,
                   __wasi_rights_t base, __wasi_fdflags_t fdflags,
                   __wasi_fd_t *fd) {
  __wasi_rights_t inheriting = (oflags & O_DIR_) ? (R_DIR | R_WRITE) : 0;
  return __wasi_path_open(dir, lookup, path, oflags, base, inheriting, fdflags, fd);
}

static size_t read_some(__wasi_fd_t fd, char *buf, size_t cap) {
  __wasi_iovec_t iov = {(uint8_t *)buf, cap};
  __wasi_size_t n = 0;
  if (__wasi_fd_read(fd, &iov, 1, &n) != 0) return 0;
  return n;
}

static int write_str(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &iov, 1, &n);
}

static void close_fd(__wasi_fd_t fd) {
  if (__wasi_fd_close(fd) != 0) setup_failed("close", 0);
}

/* Lists a directory descriptor's entries as "a/b/c" into out; returns the errno. */
static int list_dir(__wasi_fd_t fd, char *out, size_t cap) {
  static uint8_t buf[8192];
  __wasi_size_t used = 0;
  int e = __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used);
  size_t len = 0;
  out[0] = 0;
  if (e != 0) return e;
  for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t d;
    memcpy(&d, buf + at, sizeof d);
    at += sizeof d;
    size_t n = d.d_namlen;
    if (at + n > used) n = used - at;
    if (len + n + 2 < cap) {
      if (len) out[len++] = '/';
      memcpy(out + len, buf + at, n);
      len += n;
      out[len] = 0;
    }
    at += d.d_namlen;
  }
  return 0;
}

static int has_entry(const char *list, const char *name) {
  size_t n = strlen(name);
  for (const char *p = list; (p = strstr(p, name)) != NULL; p += n) {
    int starts = p == list || p[-1] == '/';
    int ends = p[n] == 0 || p[n] == '/';
    if (starts && ends) return 1;
  }
  return 0;
}

static int lstat_at(int dir, const char *path, __wasi_filestat_t *st) {
  return __wasi_path_filestat_get(dir, NOFOLLOW, path, st);
}

static int exists_at(int dir, const char *path) {
  __wasi_filestat_t st;
  return lstat_at(dir, path, &st) == 0;
}

/* ---- tries: each names something that can only be outside; success is an escape ------------ */

static void try_read(int dir, int lookup, const char *path) {
  __wasi_fd_t fd;
  int e = open_at(dir, lookup, path, 0, R_READ, 0, &fd);
  if (e != 0) { refused(e); return; }
  char buf[64];
  size_t n = read_some(fd, buf, sizeof buf);
  close_fd(fd);
  escape("opened %s and read %zu bytes \"%s\"", path, n, printable(buf, n));
}

static void try_opendir(int dir, int lookup, const char *path) {
  __wasi_fd_t fd;
  int e = open_at(dir, lookup, path, O_DIR_, R_DIR, 0, &fd);
  if (e != 0) { refused(e); return; }
  char names[1024];
  e = list_dir(fd, names, sizeof names);
  close_fd(fd);
  escape("opened directory %s (readdir errno=%d: %s)", path, e, names);
}

static void try_stat(int dir, int lookup, const char *path) {
  __wasi_filestat_t st;
  int e = __wasi_path_filestat_get(dir, lookup, path, &st);
  if (e != 0) { refused(e); return; }
  escape("stat %s: type=%d size=%llu", path, st.filetype, (unsigned long long)st.size);
}

/* Opens for writing (oflags may add CREAT, EXCL, TRUNC) and writes "PWNED". */
static void try_write(int dir, int lookup, const char *path, int oflags,
                      __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd;
  int e = open_at(dir, lookup, path, oflags, R_WRITE, fdflags, &fd);
  if (e != 0) { refused(e); return; }
  int w = write_str(fd, "PWNED");
  close_fd(fd);
  escape("opened %s for writing (oflags=%d), write errno=%d", path, oflags, w);
}

/* O_TRUNC with only read rights: truncation alone must not reach outside either. */
static void try_trunc(int dir, int lookup, const char *path) {
  __wasi_fd_t fd;
  int e = open_at(dir, lookup, path, O_TRUNC_, R_READ, 0, &fd);
  if (e != 0) { refused(e); return; }
  close_fd(fd);
  escape("opened %s with O_TRUNC", path);
}

static void try_mkdir(int dir, const char *path) {
  int e = __wasi_path_create_directory(dir, path);
  if (e != 0) { refused(e); return; }
  escape("created directory %s", path);
}

static void try_rmdir(int dir, const char *path) {
  int e = __wasi_path_remove_directory(dir, path);
  if (e != 0) { refused(e); return; }
  escape("removed directory %s", path);
}

static void try_unlink(int dir, const char *path) {
  int e = __wasi_path_unlink_file(dir, path);
  if (e != 0) { refused(e); return; }
  escape("unlinked %s", path);
}

static void try_rename(int from_dir, const char *from, int to_dir, const char *to) {
  int e = __wasi_path_rename(from_dir, from, to_dir, to);
  if (e != 0) { refused(e); return; }
  escape("renamed %s to %s", from, to);
}

static void try_link(int from_dir, int lookup, const char *from, int to_dir, const char *to) {
  int e = __wasi_path_link(from_dir, lookup, from, to_dir, to);
  if (e != 0) { refused(e); return; }
  escape("hard-linked %s to %s", from, to);
}

static void try_symlink(const char *target, int dir, const char *path) {
  int e = __wasi_path_symlink(target, dir, path);
  if (e != 0) { refused(e); return; }
  escape("created symlink %s", path);
}

static void try_utimes(int dir, int lookup, const char *path) {
  int e = __wasi_path_filestat_set_times(dir, lookup, path, EVIL_TIME, EVIL_TIME,
                                         __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  if (e != 0) { refused(e); return; }
  escape("set the times of %s (lookup=%d)", path, lookup);
}

/* A guest-made symlink: creation may be refused (recorded) or allowed (just text). Returns
 * whether the link was made. */
static int plant(const char *target, const char *path) {
  int e = __wasi_path_symlink(target, BOX, path);
  if (e != 0) refused(e);
  return e == 0;
}

/* OUTSIDE + suffix, in one of a few static buffers. */
static const char *out_path(const char *suffix) {
  static char bufs[8][512];
  static int next;
  char *b = bufs[next++ % 8];
  snprintf(b, sizeof bufs[0], "%s%s", outside, suffix);
  return b;
}

/* ---- attacks: ".." ------------------------------------------------------------------------- */

static void dotdot_open(void) {
  static const char *paths[] = {
      "../outside/secret.txt", "./../outside/secret.txt", "sub/../../outside/secret.txt",
      "sub/deep/../../../outside/secret.txt", "sub//deep/.././../../outside/secret.txt",
      "sub/deep/./../.././../outside/secret.txt", "../outside/dir/inner.txt",
      "../outside/./secret.txt", "empty/../../outside/secret.txt"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    try_read(BOX, NOFOLLOW, paths[i]);
    try_read(BOX, FOLLOW, paths[i]);
  }
}

static void dotdot_only(void) {
  static const char *paths[] = {
      "..", "../", "../..", "../../", "../../..", "./..", "..//..", "../.", "sub/../..",
      "../../../../../../../../../../../../../../../../../../../../../../../../../../../../../.."};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    try_read(BOX, NOFOLLOW, paths[i]);
    try_opendir(BOX, FOLLOW, paths[i]);
    try_stat(BOX, FOLLOW, paths[i]);
  }
}

static void dotdot_reenter(void) {
  try_read(BOX, FOLLOW, "../box/hello.txt");
  try_read(BOX, FOLLOW, "sub/../../box/hello.txt");
  try_opendir(BOX, FOLLOW, "../box");
  try_stat(BOX, NOFOLLOW, "../box/hello.txt");
  try_write(BOX, NOFOLLOW, "../box/reentered.txt", O_CREAT_, 0);
}

static void dotdot_stat(void) {
  static const char *paths[] = {"../outside/secret.txt", "../outside", "../outside/dir",
                                "sub/../../outside/secret.txt", "../outside/secret.txt/",
                                "sub/deep/../../../outside/dir/inner.txt", "../box"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    try_stat(BOX, NOFOLLOW, paths[i]);
    try_stat(BOX, FOLLOW, paths[i]);
  }
}

static void dotdot_readdir(void) {
  static const char *paths[] = {"..", "../outside", "../outside/dir", "sub/../..",
                                "sub/deep/../../../outside", "../outside/", "../outside/."};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) try_opendir(BOX, FOLLOW, paths[i]);
}

static void dotdot_create(void) {
  static const char *paths[] = {"../outside/new.txt", "../new.txt", "sub/../../new.txt",
                                "../outside/dir/new.txt", "sub/deep/../../../outside/new.txt"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    try_write(BOX, NOFOLLOW, paths[i], O_CREAT_, 0);
    try_write(BOX, FOLLOW, paths[i], O_CREAT_ | O_EXCL_, 0);
    try_write(BOX, FOLLOW, paths[i], O_CREAT_ | O_TRUNC_, 0);
  }
}

static void dotdot_write(void) {
  try_write(BOX, NOFOLLOW, "../outside/secret.txt", 0, 0);
  try_write(BOX, FOLLOW, "../outside/secret.txt", 0, __WASI_FDFLAGS_APPEND);
  try_write(BOX, FOLLOW, "sub/../../outside/secret.txt", O_TRUNC_, 0);
  try_trunc(BOX, FOLLOW, "../outside/secret.txt");
  try_trunc(BOX, FOLLOW, "sub/deep/../../../outside/dir/inner.txt");
}

static void dotdot_mkdir(void) {
  try_mkdir(BOX, "../outside/newdir");
  try_mkdir(BOX, "../newdir");
  try_mkdir(BOX, "sub/deep/../../../newdir");
  try_mkdir(BOX, "../outside/dir/newdir");
  try_mkdir(BOX, "../outside/newdir/");
  try_mkdir(BOX, "..");
}

static void dotdot_unlink(void) {
  try_unlink(BOX, "../outside/secret.txt");
  try_unlink(BOX, "sub/../../outside/secret.txt");
  try_unlink(BOX, "../outside/dir/inner.txt");
  try_unlink(BOX, "../box/hello.txt");
}

static void dotdot_rmdir(void) {
  try_rmdir(BOX, "../outside/dir");
  try_rmdir(BOX, "sub/../../outside/dir");
  try_rmdir(BOX, "../outside");
  try_rmdir(BOX, "..");
  try_rmdir(BOX, "../box/empty");
}

static void dotdot_rename(void) {
  try_rename(BOX, "hello.txt", BOX, "../outside/stolen.txt");
  try_rename(BOX, "hello.txt", BOX, "../stolen.txt");
  try_rename(BOX, "hello.txt", BOX, "../outside/secret.txt");
  try_rename(BOX, "../outside/secret.txt", BOX, "got.txt");
  try_rename(BOX, "../outside/dir", BOX, "gotdir");
  try_rename(BOX, "../outside", BOX, "gotoutside");
  try_rename(BOX, "sub", BOX, "../outside/dir/sub");
  try_rename(BOX, "sub/..", BOX, "../renamed_box");
  try_rename(BOX, "empty", BOX, "../outside/dir");
}

static void dotdot_link(void) {
  try_link(BOX, NOFOLLOW, "../outside/secret.txt", BOX, "hard.txt");
  try_link(BOX, FOLLOW, "../outside/secret.txt", BOX, "hard.txt");
  try_link(BOX, FOLLOW, "sub/../../outside/dir/inner.txt", BOX, "hard.txt");
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, "../outside/planted.txt");
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, "../planted.txt");
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, "../outside/secret.txt");
}

static void dotdot_symlink_at(void) {
  try_symlink("hello.txt", BOX, "../outside/planted");
  try_symlink("x", BOX, "../planted");
  try_symlink("x", BOX, "sub/../../planted");
  try_symlink("x", BOX, "../outside/dir/planted");
  try_symlink("x", BOX, "../outside/secret.txt");
}

static void dotdot_symlink_target(void) {
  plant("..", "t1");
  plant("../outside/secret.txt", "t2");
  plant("../../../../../../../../../../etc/passwd", "t3");
  plant("../../outside/secret.txt", "sub/t4");
  plant("sub/../..", "t5");
  try_read(BOX, FOLLOW, "t2");
  try_read(BOX, FOLLOW, "t3");
  try_read(BOX, FOLLOW, "sub/t4");
  try_read(BOX, NOFOLLOW, "t1/outside/secret.txt");
  try_read(BOX, NOFOLLOW, "t5/outside/secret.txt");
  try_opendir(BOX, FOLLOW, "t1");
  try_opendir(BOX, FOLLOW, "t5");
  try_stat(BOX, FOLLOW, "t2");
  try_write(BOX, NOFOLLOW, "t1/outside/new.txt", O_CREAT_, 0);
}

static void dotdot_utimes(void) {
  try_utimes(BOX, NOFOLLOW, "../outside/secret.txt");
  try_utimes(BOX, FOLLOW, "../outside/secret.txt");
  try_utimes(BOX, FOLLOW, "../outside");
  try_utimes(BOX, NOFOLLOW, "sub/../../outside/dir");
  try_utimes(BOX, FOLLOW, "..");
}

/* ".." from a descriptor opened on a subdirectory: that descriptor is a root of its own. */
static void subfd_dotdot(void) {
  __wasi_fd_t s;
  need(open_at(BOX, NOFOLLOW, "sub", O_DIR_, R_DIR, 0, &s), "open sub");
  try_read(s, FOLLOW, "../../outside/secret.txt");
  try_read(s, FOLLOW, "deep/../../../outside/secret.txt");
  try_opendir(s, FOLLOW, "../..");
  try_opendir(s, FOLLOW, "../../outside");
  try_stat(s, FOLLOW, "../../outside/secret.txt");
  try_write(s, NOFOLLOW, "../../outside/new.txt", O_CREAT_, 0);
  try_mkdir(s, "../../newdir");
  try_unlink(s, "../../outside/secret.txt");
  try_rename(s, "deep", BOX, "../outside/deep");
  try_rename(s, "../../outside/secret.txt", s, "got.txt");
  try_link(s, NOFOLLOW, "../../outside/secret.txt", BOX, "hard.txt");
  close_fd(s);
}

/* ---- attacks: absolute paths ---------------------------------------------------------------- */

static void abs_open(void) {
  try_read(BOX, FOLLOW, out_path("/secret.txt"));
  try_read(BOX, NOFOLLOW, out_path("/dir/inner.txt"));
  try_read(BOX, FOLLOW, "/etc/passwd");
  try_read(BOX, FOLLOW, "//etc/passwd");
  try_read(BOX, FOLLOW, "/box/../outside/secret.txt");
  try_opendir(BOX, FOLLOW, "/");
  try_opendir(BOX, FOLLOW, "//");
  try_opendir(BOX, FOLLOW, "/.");
  try_opendir(BOX, FOLLOW, out_path(""));
  try_opendir(BOX, FOLLOW, "/tmp");
  try_stat(BOX, FOLLOW, out_path("/secret.txt"));
  try_stat(BOX, NOFOLLOW, "/");
}

static void abs_create(void) {
  try_write(BOX, FOLLOW, out_path("/new.txt"), O_CREAT_, 0);
  try_write(BOX, NOFOLLOW, out_path("/dir/new.txt"), O_CREAT_ | O_EXCL_, 0);
  try_write(BOX, FOLLOW, out_path("/secret.txt"), 0, 0);
  try_write(BOX, FOLLOW, out_path("/secret.txt"), O_TRUNC_, 0);
  try_trunc(BOX, FOLLOW, out_path("/secret.txt"));
}

static void abs_mutate(void) {
  try_mkdir(BOX, out_path("/newdir"));
  try_unlink(BOX, out_path("/secret.txt"));
  try_rmdir(BOX, out_path("/dir"));
  try_rename(BOX, "hello.txt", BOX, out_path("/stolen.txt"));
  try_rename(BOX, out_path("/secret.txt"), BOX, "got.txt");
  try_link(BOX, FOLLOW, out_path("/secret.txt"), BOX, "hard.txt");
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, out_path("/planted.txt"));
  try_symlink("x", BOX, out_path("/planted"));
  try_utimes(BOX, FOLLOW, out_path("/secret.txt"));
  try_utimes(BOX, NOFOLLOW, out_path("/dir"));
}

/* ---- attacks: symlinks planted by the host -------------------------------------------------- */

static void host_abs_read(void) {
  try_read(BOX, FOLLOW, "abs_secret");
  try_read(BOX, NOFOLLOW, "abs_dir/secret.txt");
  try_read(BOX, FOLLOW, "abs_dir/dir/inner.txt");
  try_read(BOX, FOLLOW, "abs_dir/dir/../secret.txt");
  try_read(BOX, FOLLOW, "abs_dir/./secret.txt");
}

static void host_rel_read(void) {
  try_read(BOX, FOLLOW, "rel_secret");
  try_read(BOX, NOFOLLOW, "rel_dir/secret.txt");
  try_read(BOX, FOLLOW, "rel_dir/dir/inner.txt");
  try_read(BOX, FOLLOW, "sub/up2");
  try_read(BOX, FOLLOW, "sub/../rel_secret");
}

static void host_chain_read(void) {
  try_read(BOX, FOLLOW, "chain1");
  try_read(BOX, FOLLOW, "sub/chain2");
  try_read(BOX, NOFOLLOW, "chain_dir/secret.txt");
  try_read(BOX, NOFOLLOW, "sub/chain_dir2/dir/inner.txt");
  try_opendir(BOX, FOLLOW, "chain_dir");
}

static void host_stat_follow(void) {
  static const char *paths[] = {"abs_secret", "rel_secret", "chain1", "abs_dir", "rel_dir",
                                "chain_dir", "rel_dir/secret.txt", "abs_dir/dir",
                                "sub/up2", "dotdot_target", "updir"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) try_stat(BOX, FOLLOW, paths[i]);
  /* A trailing slash follows the final symlink even without the flag. */
  try_stat(BOX, NOFOLLOW, "rel_dir/");
  try_stat(BOX, NOFOLLOW, "abs_dir/");
  try_stat(BOX, NOFOLLOW, "abs_dir/.");
}

static void host_write(void) {
  static const char *paths[] = {"abs_secret", "rel_secret", "chain1", "sub/up2", "dotdot_target"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    try_write(BOX, FOLLOW, paths[i], 0, 0);
    try_write(BOX, FOLLOW, paths[i], 0, __WASI_FDFLAGS_APPEND);
  }
  try_write(BOX, NOFOLLOW, "rel_dir/secret.txt", 0, 0);
  try_write(BOX, NOFOLLOW, "abs_dir/secret.txt", 0, 0);
}

static void host_trunc(void) {
  static const char *paths[] = {"abs_secret", "rel_secret", "chain1", "rel_dir/secret.txt",
                                "abs_dir/secret.txt", "chain_dir/dir/inner.txt"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    try_trunc(BOX, FOLLOW, paths[i]);
    try_write(BOX, FOLLOW, paths[i], O_TRUNC_, 0);
    try_write(BOX, FOLLOW, paths[i], O_CREAT_ | O_TRUNC_, 0);
  }
}

static void host_creat_dangling(void) {
  static const char *paths[] = {"dangling_rel", "dangling_abs"};
  for (size_t i = 0; i < 2; i++) {
    try_write(BOX, FOLLOW, paths[i], O_CREAT_, 0);
    try_write(BOX, FOLLOW, paths[i], O_CREAT_ | O_TRUNC_, 0);
    try_write(BOX, NOFOLLOW, paths[i], O_CREAT_, 0);
    try_utimes(BOX, FOLLOW, paths[i]);
  }
}

static void host_creat_excl(void) {
  try_write(BOX, FOLLOW, "dangling_rel", O_CREAT_ | O_EXCL_, 0);
  try_write(BOX, FOLLOW, "dangling_abs", O_CREAT_ | O_EXCL_, 0);
  try_write(BOX, FOLLOW, "rel_dir/new.txt", O_CREAT_ | O_EXCL_, 0);
  try_write(BOX, FOLLOW, "abs_dir/new.txt", O_CREAT_ | O_EXCL_, 0);
  try_write(BOX, NOFOLLOW, "chain_dir/new.txt", O_CREAT_ | O_EXCL_, 0);
}

static void host_creat_through(void) {
  static const char *paths[] = {"rel_dir/new.txt", "abs_dir/new.txt", "rel_dir/dir/new.txt",
                                "chain_dir/new.txt", "updir/outside/new.txt"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    try_write(BOX, NOFOLLOW, paths[i], O_CREAT_, 0);
    try_write(BOX, FOLLOW, paths[i], O_CREAT_ | O_TRUNC_, 0);
  }
}

static void host_mkdir_through(void) {
  try_mkdir(BOX, "rel_dir/newdir");
  try_mkdir(BOX, "abs_dir/newdir");
  try_mkdir(BOX, "chain_dir/newdir");
  try_mkdir(BOX, "rel_dir/dir/newdir");
  try_mkdir(BOX, "updir/newdir");
  try_mkdir(BOX, "dangling_rel/");
  try_mkdir(BOX, "dangling_abs/");
  /* Without a trailing slash the name is the symlink itself, which exists. */
  try_mkdir(BOX, "dangling_rel");
}

static void host_readdir_through(void) {
  static const char *paths[] = {"rel_dir", "abs_dir", "chain_dir", "rel_dir/dir", "rel_dir/.",
                                "abs_dir/dir/..", "updir", "rel_dir/"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) try_opendir(BOX, FOLLOW, paths[i]);
  try_opendir(BOX, NOFOLLOW, "rel_dir/dir");
}

static void host_rename_through(void) {
  try_rename(BOX, "hello.txt", BOX, "rel_dir/stolen.txt");
  try_rename(BOX, "hello.txt", BOX, "abs_dir/stolen.txt");
  try_rename(BOX, "hello.txt", BOX, "rel_dir/secret.txt");
  try_rename(BOX, "rel_dir/secret.txt", BOX, "got.txt");
  try_rename(BOX, "abs_dir/secret.txt", BOX, "got.txt");
  try_rename(BOX, "rel_dir/dir", BOX, "gotdir");
  try_rename(BOX, "sub", BOX, "rel_dir/dir/sub");
  try_rename(BOX, "chain_dir/secret.txt", BOX, "got.txt");
  try_rename(BOX, "empty", BOX, "chain_dir/dir");
}

/* Renaming onto a symlink replaces the link itself; that is allowed, and must stay inside. */
static void rename_onto(const char *link) {
  __wasi_filestat_t st;
  int e = __wasi_path_rename(BOX, "hello.txt", BOX, link);
  if (e != 0) { refused(e); return; }
  need(lstat_at(BOX, link, &st), "lstat the replaced link");
  if (st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 6) refused(0);
  else escape("rename onto %s left type=%d size=%llu", link, st.filetype, (unsigned long long)st.size);
  need(__wasi_path_rename(BOX, link, BOX, "hello.txt"), "rename back");
}

static void host_rename_onto(void) {
  rename_onto("rel_secret");
  rename_onto("abs_secret");
  rename_onto("dangling_rel");
  rename_onto("chain1");
  try_rename(BOX, "hello.txt", BOX, "chain1/");
  try_rename(BOX, "empty", BOX, "rel_dir/dir");
  try_rename(BOX, "empty", BOX, "rel_dir/");
}

static void host_link(void) {
  try_link(BOX, FOLLOW, "rel_secret", BOX, "hard1");
  try_link(BOX, FOLLOW, "abs_secret", BOX, "hard2");
  try_link(BOX, NOFOLLOW, "rel_dir/secret.txt", BOX, "hard3");
  try_link(BOX, FOLLOW, "chain1", BOX, "hard4");
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, "rel_dir/planted.txt");
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, "abs_dir/planted.txt");
  /* Linking the symlink itself is allowed; the new name must still be that symlink. */
  __wasi_filestat_t st;
  int e = __wasi_path_link(BOX, NOFOLLOW, "rel_secret", BOX, "hard5");
  if (e != 0) {
    refused(e);
  } else {
    need(lstat_at(BOX, "hard5", &st), "lstat hard5");
    if (st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK) refused(0);
    else escape("link of rel_secret made a file of type %d", st.filetype);
    try_read(BOX, FOLLOW, "hard5");
    try_read(BOX, NOFOLLOW, "hard5");
  }
}

static void host_utimes(void) {
  static const char *paths[] = {"rel_secret", "abs_secret", "chain1", "rel_dir", "abs_dir",
                                "dangling_rel", "dotdot_target"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) try_utimes(BOX, FOLLOW, paths[i]);
  try_utimes(BOX, NOFOLLOW, "rel_dir/secret.txt");
  try_utimes(BOX, NOFOLLOW, "abs_dir/dir");
  try_utimes(BOX, NOFOLLOW, "rel_dir/");
  /* Without the flag the link's own times change: allowed (the host checks outside). */
  int e = __wasi_path_filestat_set_times(BOX, NOFOLLOW, "rel_secret", EVIL_TIME, EVIL_TIME,
                                         __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  refused(e);
}

static void host_unlink_through(void) {
  try_unlink(BOX, "rel_dir/secret.txt");
  try_unlink(BOX, "abs_dir/secret.txt");
  try_unlink(BOX, "chain_dir/secret.txt");
  try_unlink(BOX, "rel_dir/dir/inner.txt");
  try_unlink(BOX, "rel_dir/");
  try_rmdir(BOX, "rel_dir/dir");
  try_rmdir(BOX, "abs_dir/dir");
  try_rmdir(BOX, "rel_dir/");
  try_rmdir(BOX, "updir/outside/dir");
}

static void host_dotdot_target(void) {
  try_read(BOX, FOLLOW, "dotdot_target");
  try_read(BOX, FOLLOW, "sub/up2");
  try_read(BOX, FOLLOW, "updir/outside/secret.txt");
  try_read(BOX, FOLLOW, "updir/box/hello.txt");
  try_opendir(BOX, FOLLOW, "updir");
  try_opendir(BOX, FOLLOW, "rel_dir/..");
  try_stat(BOX, FOLLOW, "updir/outside");
}

/* Reading an escaping link's text is fine; following it is not. */
static void host_readlink(void) {
  struct { const char *link; const char *want; } links[] = {
      {"rel_secret", "../outside/secret.txt"},
      {"abs_secret", out_path("/secret.txt")},
      {"dangling_rel", "../outside/new.txt"},
      {"updir", ".."}};
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    char buf[512];
    __wasi_size_t n = 0;
    need(__wasi_path_readlink(BOX, links[i].link, (uint8_t *)buf, sizeof buf, &n), links[i].link);
    if (n != strlen(links[i].want) || memcmp(buf, links[i].want, n) != 0) {
      setup_failed("readlink text differs", 0);
    }
    refused(0);
    try_read(BOX, FOLLOW, links[i].link);
  }
}

/* ---- attacks: symlinks made by the guest ---------------------------------------------------- */

static void guest_rel_read(void) {
  need(__wasi_path_symlink("../outside/secret.txt", BOX, "g1"), "symlink g1");
  need(__wasi_path_symlink("../outside", BOX, "g2"), "symlink g2");
  need(__wasi_path_symlink("g1", BOX, "g3"), "symlink g3");
  try_read(BOX, FOLLOW, "g1");
  try_read(BOX, FOLLOW, "g3");
  try_read(BOX, NOFOLLOW, "g2/secret.txt");
  try_read(BOX, FOLLOW, "g2/dir/inner.txt");
  try_stat(BOX, FOLLOW, "g1");
  try_stat(BOX, FOLLOW, "g2");
  try_opendir(BOX, FOLLOW, "g2");
}

static void guest_abs_read(void) {
  plant(out_path("/secret.txt"), "ga1");
  plant(outside, "ga2");
  plant("/etc/passwd", "ga3");
  plant("/", "ga4");
  try_read(BOX, FOLLOW, "ga1");
  try_read(BOX, NOFOLLOW, "ga2/secret.txt");
  try_read(BOX, FOLLOW, "ga3");
  try_read(BOX, NOFOLLOW, "ga4/etc/passwd");
  try_stat(BOX, FOLLOW, "ga1");
  try_opendir(BOX, FOLLOW, "ga2");
  try_opendir(BOX, FOLLOW, "ga4");
}

static void guest_write(void) {
  need(__wasi_path_symlink("../outside/secret.txt", BOX, "g1"), "symlink g1");
  plant(out_path("/secret.txt"), "ga1");
  need(__wasi_path_symlink("../outside", BOX, "g2"), "symlink g2");
  static const char *paths[] = {"g1", "ga1"};
  for (size_t i = 0; i < 2; i++) {
    try_write(BOX, FOLLOW, paths[i], 0, 0);
    try_write(BOX, FOLLOW, paths[i], 0, __WASI_FDFLAGS_APPEND);
    try_write(BOX, FOLLOW, paths[i], O_TRUNC_, 0);
    try_trunc(BOX, FOLLOW, paths[i]);
  }
  try_write(BOX, NOFOLLOW, "g2/secret.txt", 0, 0);
  try_trunc(BOX, NOFOLLOW, "g2/secret.txt");
}

static void guest_creat(void) {
  need(__wasi_path_symlink("../outside/new.txt", BOX, "gd1"), "symlink gd1");
  /* without the link, creating gd2 would just make a file in the box */
  size_t count = plant(out_path("/new.txt"), "gd2") ? 2 : 1;
  need(__wasi_path_symlink("../outside", BOX, "g2"), "symlink g2");
  static const char *paths[] = {"gd1", "gd2"};
  for (size_t i = 0; i < count; i++) {
    try_write(BOX, FOLLOW, paths[i], O_CREAT_, 0);
    try_write(BOX, FOLLOW, paths[i], O_CREAT_ | O_EXCL_, 0);
    try_write(BOX, FOLLOW, paths[i], O_CREAT_ | O_TRUNC_, 0);
    try_write(BOX, NOFOLLOW, paths[i], O_CREAT_, 0);
  }
  try_write(BOX, NOFOLLOW, "g2/new.txt", O_CREAT_, 0);
  try_write(BOX, FOLLOW, "g2/dir/new.txt", O_CREAT_ | O_EXCL_, 0);
}

static void guest_mkdir_readdir(void) {
  need(__wasi_path_symlink("../outside", BOX, "g2"), "symlink g2");
  plant(outside, "ga2");
  need(__wasi_path_symlink("../outside/newdir", BOX, "gd3"), "symlink gd3");
  try_mkdir(BOX, "g2/newdir");
  try_mkdir(BOX, "ga2/newdir");
  try_mkdir(BOX, "g2/dir/newdir");
  try_mkdir(BOX, "gd3/");
  try_opendir(BOX, FOLLOW, "g2");
  try_opendir(BOX, FOLLOW, "ga2");
  try_opendir(BOX, NOFOLLOW, "g2/dir");
  try_opendir(BOX, FOLLOW, "gd3");
}

static void guest_mutate(void) {
  need(__wasi_path_symlink("../outside/secret.txt", BOX, "g1"), "symlink g1");
  need(__wasi_path_symlink("../outside", BOX, "g2"), "symlink g2");
  plant(out_path("/secret.txt"), "ga1");
  try_rename(BOX, "hello.txt", BOX, "g2/stolen.txt");
  try_rename(BOX, "g2/secret.txt", BOX, "got.txt");
  try_rename(BOX, "g2/dir", BOX, "gotdir");
  try_unlink(BOX, "g2/secret.txt");
  try_unlink(BOX, "g2/dir/inner.txt");
  try_rmdir(BOX, "g2/dir");
  try_link(BOX, NOFOLLOW, "g2/secret.txt", BOX, "hard.txt");
  try_link(BOX, FOLLOW, "g1", BOX, "hard2.txt");
  try_link(BOX, FOLLOW, "ga1", BOX, "hard3.txt");
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, "g2/planted.txt");
  try_utimes(BOX, FOLLOW, "g1");
  try_utimes(BOX, FOLLOW, "ga1");
  try_utimes(BOX, NOFOLLOW, "g2/dir");
  try_symlink("x", BOX, "g2/planted");
}

static void guest_subdir_escape(void) {
  need(__wasi_path_symlink("../../../outside", BOX, "sub/deep/up"), "symlink sub/deep/up");
  need(__wasi_path_symlink("..", BOX, "sub/s"), "symlink sub/s");
  need(__wasi_path_symlink("../..", BOX, "sub/deep/s2"), "symlink sub/deep/s2");
  try_read(BOX, FOLLOW, "sub/deep/up/secret.txt");
  try_read(BOX, FOLLOW, "sub/s/../outside/secret.txt");
  try_read(BOX, FOLLOW, "sub/deep/s2/../outside/secret.txt");
  try_opendir(BOX, FOLLOW, "sub/s/..");
  try_opendir(BOX, FOLLOW, "sub/deep/up");
  try_mkdir(BOX, "sub/deep/up/newdir");
  try_write(BOX, FOLLOW, "sub/s/../outside/new.txt", O_CREAT_, 0);
}

/* A symlink that pointed inside is swapped for one that points outside between two opens. */
static void guest_symlink_swap(void) {
  __wasi_fd_t fd;
  need(__wasi_path_symlink("hello.txt", BOX, "sw"), "symlink sw");
  need(open_at(BOX, FOLLOW, "sw", 0, R_READ, 0, &fd), "open sw");
  close_fd(fd);
  need(__wasi_path_unlink_file(BOX, "sw"), "unlink sw");
  need(__wasi_path_symlink("../outside/secret.txt", BOX, "sw"), "symlink sw again");
  try_read(BOX, FOLLOW, "sw");
  need(__wasi_path_symlink("sub", BOX, "swd"), "symlink swd");
  need(open_at(BOX, FOLLOW, "swd", O_DIR_, R_DIR, 0, &fd), "open swd");
  need(__wasi_path_unlink_file(BOX, "swd"), "unlink swd");
  need(__wasi_path_symlink("../outside", BOX, "swd"), "symlink swd again");
  try_read(fd, FOLLOW, "secret.txt");
  try_read(BOX, FOLLOW, "swd/secret.txt");
  close_fd(fd);
}

/* A link harmless where it was made becomes escaping once moved up a level. */
static void guest_symlink_move(void) {
  need(__wasi_path_symlink("../outside/secret.txt", BOX, "sub/mv"), "symlink sub/mv");
  need(__wasi_path_symlink("../../outside", BOX, "sub/deep/mvd"), "symlink sub/deep/mvd");
  try_read(BOX, FOLLOW, "sub/mv");
  try_read(BOX, FOLLOW, "sub/deep/mvd/secret.txt");
  need(__wasi_path_rename(BOX, "sub/mv", BOX, "mv"), "rename sub/mv");
  need(__wasi_path_rename(BOX, "sub/deep/mvd", BOX, "sub/mvd"), "rename sub/deep/mvd");
  try_read(BOX, FOLLOW, "mv");
  try_read(BOX, FOLLOW, "sub/mvd/secret.txt");
  try_opendir(BOX, FOLLOW, "sub/mvd");
  try_write(BOX, FOLLOW, "mv", O_TRUNC_, 0);
}

/* ---- attacks: a held directory handle whose path is swapped for a symlink ------------------- */

/* Creating `name` beneath fd may be allowed, but only where `inside_path` (from the box) shows it.
 * A stale handle may create in the moved directory (inside), never outside. */
static void create_via_handle(int fd, const char *name, const char *inside_path, int is_dir) {
  int e;
  if (is_dir) {
    e = __wasi_path_create_directory(fd, name);
  } else {
    __wasi_fd_t f;
    e = open_at(fd, NOFOLLOW, name, O_CREAT_, R_WRITE, 0, &f);
    if (e == 0) close_fd(f);
  }
  if (e != 0) { refused(e); return; }
  if (exists_at(BOX, inside_path)) refused(0);
  else escape("created %s, but not at %s", name, inside_path);
}

static void stale_handle_tries(__wasi_fd_t h, const char *moved) {
  char names[1024], path[256];
  __wasi_filestat_t self, real;
  try_read(h, FOLLOW, "secret.txt");
  try_read(h, NOFOLLOW, "dir/inner.txt");
  try_stat(h, NOFOLLOW, "secret.txt");
  try_opendir(h, NOFOLLOW, "dir");
  try_write(h, NOFOLLOW, "secret.txt", O_TRUNC_, 0);
  try_unlink(h, "secret.txt");
  try_rmdir(h, "dir");
  try_utimes(h, NOFOLLOW, "secret.txt");
  try_rename(h, "secret.txt", BOX, "got.txt");
  try_link(h, NOFOLLOW, "secret.txt", BOX, "hard.txt");
  snprintf(path, sizeof path, "%s/new.txt", moved);
  create_via_handle(h, "new.txt", path, 0);
  snprintf(path, sizeof path, "%s/newdir", moved);
  create_via_handle(h, "newdir", path, 1);
  /* Listing or stat'ing the handle itself may show the moved directory, never the outside. */
  int e = list_dir(h, names, sizeof names);
  if (e != 0) refused(e);
  else if (has_entry(names, "secret.txt") || has_entry(names, "dir")) escape("stale handle lists %s", names);
  else refused(0);
  e = __wasi_fd_filestat_get(h, &self);
  if (e != 0) {
    refused(e);
  } else {
    need(lstat_at(BOX, moved, &real), "lstat moved");
    if (self.ino == real.ino) refused(0);
    else escape("stale handle stats as ino %llu, not the moved directory", (unsigned long long)self.ino);
  }
}

static void renamed_handle(const char *target) {
  __wasi_fd_t h;
  need(open_at(BOX, NOFOLLOW, "sub", O_DIR_, R_DIR, 0, &h), "open sub");
  need(__wasi_path_rename(BOX, "sub", BOX, "moved"), "rename sub");
  if (target[0] == '/') plant(target, "sub"); /* an absolute target may be refused */
  else need(__wasi_path_symlink(target, BOX, "sub"), "symlink sub");
  stale_handle_tries(h, "moved");
  close_fd(h);
}

static void renamed_handle_rel(void) { renamed_handle("../outside"); }
static void renamed_handle_abs(void) { renamed_handle(outside); }

static void renamed_parent(void) {
  __wasi_fd_t h;
  need(open_at(BOX, NOFOLLOW, "sub/deep", O_DIR_, R_DIR, 0, &h), "open sub/deep");
  need(__wasi_path_rename(BOX, "sub", BOX, "moved"), "rename sub");
  need(__wasi_path_create_directory(BOX, "sub"), "mkdir sub");
  need(__wasi_path_symlink("../../outside", BOX, "sub/deep"), "symlink sub/deep");
  stale_handle_tries(h, "moved/deep");
  close_fd(h);
}

/* ---- attacks: loops, NUL bytes, malformed UTF-8 --------------------------------------------- */

static void symlink_loop(void) {
  char name[16], target[32];
  for (int i = 0; i < 60; i++) {
    snprintf(name, sizeof name, "l%d", i);
    if (i == 59) snprintf(target, sizeof target, "../outside/secret.txt");
    else snprintf(target, sizeof target, "l%d", i + 1);
    need(__wasi_path_symlink(target, BOX, name), "symlink chain");
  }
  need(__wasi_path_symlink("cyc_b", BOX, "cyc_a"), "symlink cyc_a");
  need(__wasi_path_symlink("cyc_a", BOX, "cyc_b"), "symlink cyc_b");
  need(__wasi_path_symlink("self/x", BOX, "self"), "symlink self");
  need(__wasi_path_symlink("../outside", BOX, "l_dir_end"), "symlink l_dir_end");
  try_read(BOX, FOLLOW, "l0");
  try_read(BOX, FOLLOW, "l30");
  try_read(BOX, FOLLOW, "cyc_a");
  try_read(BOX, NOFOLLOW, "cyc_a/secret.txt");
  try_read(BOX, FOLLOW, "self");
  try_stat(BOX, FOLLOW, "l0");
  try_opendir(BOX, FOLLOW, "cyc_b");
  try_write(BOX, FOLLOW, "l0", O_CREAT_, 0);
  try_mkdir(BOX, "cyc_a/newdir");
  try_read(BOX, NOFOLLOW, "l_dir_end/secret.txt");
}

static void nul_path(void) {
  static const struct { const char *bytes; size_t len; } paths[] = {
      {"hello.txt\0../outside/secret.txt", 31},
      {"../outside/secret.txt\0", 22},
      {"rel_secret\0", 11},
      {"\0../outside/secret.txt", 22},
      {"sub\0/../../outside/secret.txt", 29},
  };
  __wasi_fd_t fd;
  __wasi_filestat_t st;
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    int e = raw_path_open(BOX, FOLLOW, PTR(paths[i].bytes), paths[i].len, 0, R_READ, 0, 0, PTR(&fd));
    if (e != 0) refused(e);
    else escape("opened a path with a NUL byte (#%zu)", i);
    e = raw_path_filestat_get(BOX, FOLLOW, PTR(paths[i].bytes), paths[i].len, PTR(&st));
    if (e != 0) refused(e);
    else escape("stat'ed a path with a NUL byte (#%zu)", i);
  }
  static const char mk[] = "newdir\0/../../outside/newdir";
  int e = raw_path_create_directory(BOX, PTR(mk), sizeof mk - 1);
  if (e != 0) refused(e);
  else escape("created a directory from a path with a NUL byte");
  static const char target[] = "hello.txt\0../outside/secret.txt";
  static const char name[] = "nul_link";
  e = raw_path_symlink(PTR(target), sizeof target - 1, BOX, PTR(name), sizeof name - 1);
  if (e != 0) refused(e);
  else escape("created a symlink whose target holds a NUL byte");
}

static void overlong_utf8(void) {
  /* Not UTF-8 at all (overlong encodings of "." and "/"): refused outright. */
  static const char *bad[] = {
      "\xc0\xae\xc0\xae/outside/secret.txt", "..\xc0\xafoutside\xc0\xafsecret.txt",
      "\xc0\xae\xc0\xae\xc0\xafoutside\xc0\xafsecret.txt",
      "\xe0\x80\xae\xe0\x80\xae/outside/secret.txt", "sub/\xc0\xae\xc0\xae/../outside/secret.txt"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    try_read(BOX, FOLLOW, bad[i]);
    try_stat(BOX, FOLLOW, bad[i]);
    try_write(BOX, FOLLOW, bad[i], O_CREAT_, 0);
  }
  /* Valid look-alikes (fullwidth solidus, one-dot leaders) are ordinary names: nothing to open,
   * and creating one makes a file of that name inside the box. */
  static const char *alike[] = {"..\xef\xbc\x8foutside\xef\xbc\x8fsecret.txt",
                                "\xe2\x80\xa4\xe2\x80\xa4", "\xef\xbc\x8e\xef\xbc\x8e"};
  for (size_t i = 0; i < sizeof alike / sizeof *alike; i++) {
    try_read(BOX, FOLLOW, alike[i]);
    try_stat(BOX, FOLLOW, alike[i]);
    create_via_handle(BOX, alike[i], alike[i], 0);
  }
  try_read(BOX, FOLLOW, "\xe2\x80\xa4\xe2\x80\xa4/outside/secret.txt");
  try_write(BOX, FOLLOW, "\xef\xbc\x8e\xef\xbc\x8e/outside/new.txt", O_CREAT_, 0);
}

/* ---- attacks: read-only mount (every mutation is refused; the box stays as it was) ---------- */

static void ro_create(void) {
  try_write(BOX, NOFOLLOW, "new.txt", O_CREAT_, 0);
  try_write(BOX, NOFOLLOW, "new2.txt", O_CREAT_ | O_EXCL_, 0);
  try_write(BOX, NOFOLLOW, "sub/new.txt", O_CREAT_, 0);
  try_write(BOX, NOFOLLOW, "hello.txt", O_CREAT_, 0);
  __wasi_fd_t fd;
  int e = open_at(BOX, NOFOLLOW, "new3.txt", O_CREAT_, R_READ, 0, &fd);
  if (e != 0) refused(e);
  else escape("created new3.txt with read rights");
}

static void ro_write(void) {
  __wasi_fd_t fd;
  try_write(BOX, NOFOLLOW, "hello.txt", 0, 0);
  try_write(BOX, NOFOLLOW, "hello.txt", 0, __WASI_FDFLAGS_APPEND);
  try_write(BOX, NOFOLLOW, "sub/deep/file.txt", 0, 0);
  need(open_at(BOX, NOFOLLOW, "hello.txt", 0, R_READ, 0, &fd), "open hello.txt");
  int e = write_str(fd, "PWNED");
  if (e != 0) refused(e);
  else escape("fd_write on a read-only file");
  __wasi_ciovec_t iov = {(const uint8_t *)"PWNED", 5};
  __wasi_size_t n;
  e = __wasi_fd_pwrite(fd, &iov, 1, 0, &n);
  if (e != 0) refused(e);
  else escape("fd_pwrite on a read-only file");
  close_fd(fd);
}

static void ro_truncate(void) {
  __wasi_fd_t fd;
  try_trunc(BOX, NOFOLLOW, "hello.txt");
  try_write(BOX, NOFOLLOW, "hello.txt", O_TRUNC_, 0);
  need(open_at(BOX, NOFOLLOW, "hello.txt", 0, R_READ, 0, &fd), "open hello.txt");
  int e = __wasi_fd_filestat_set_size(fd, 0);
  if (e != 0) refused(e);
  else escape("ftruncate on a read-only mount");
  e = __wasi_fd_allocate(fd, 0, 4096);
  if (e != 0) refused(e);
  else escape("fd_allocate on a read-only mount");
  close_fd(fd);
  e = open_at(BOX, NOFOLLOW, "hello.txt", 0, R_READ | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0, &fd);
  if (e != 0) {
    refused(e);
  } else {
    e = __wasi_fd_filestat_set_size(fd, 1);
    close_fd(fd);
    if (e != 0) refused(e);
    else escape("ftruncate with the set-size right on a read-only mount");
  }
}

static void ro_mkdir(void) {
  try_mkdir(BOX, "newdir");
  try_mkdir(BOX, "sub/newdir");
  try_mkdir(BOX, "sub/deep/newdir/");
}

static void ro_rmdir(void) {
  try_rmdir(BOX, "empty");
  try_rmdir(BOX, "sub/deep/../../empty");
}

static void ro_unlink(void) {
  try_unlink(BOX, "hello.txt");
  try_unlink(BOX, "sub/deep/file.txt");
  try_unlink(BOX, "rel_secret");
  try_unlink(BOX, "dangling_rel");
}

static void ro_rename(void) {
  try_rename(BOX, "hello.txt", BOX, "moved.txt");
  try_rename(BOX, "sub", BOX, "sub2");
  try_rename(BOX, "hello.txt", BOX, "sub/hello.txt");
  try_rename(BOX, "hello.txt", BOX, "sub/deep/file.txt");
  try_rename(BOX, "empty", BOX, "sub/empty");
  try_rename(BOX, "rel_secret", BOX, "moved_link");
}

static void ro_symlink(void) {
  try_symlink("hello.txt", BOX, "newlink");
  try_symlink("../outside", BOX, "sub/newlink");
  try_symlink("x", BOX, "hello.txt");
}

static void ro_link(void) {
  try_link(BOX, NOFOLLOW, "hello.txt", BOX, "hard.txt");
  try_link(BOX, NOFOLLOW, "sub/deep/file.txt", BOX, "sub/hard.txt");
  try_link(BOX, NOFOLLOW, "rel_secret", BOX, "hard_link");
}

static void ro_utimes(void) {
  try_utimes(BOX, NOFOLLOW, "hello.txt");
  try_utimes(BOX, FOLLOW, "hello.txt");
  try_utimes(BOX, NOFOLLOW, "sub");
  try_utimes(BOX, NOFOLLOW, ".");
  try_utimes(BOX, NOFOLLOW, "rel_secret");
  int e = __wasi_path_filestat_set_times(BOX, NOFOLLOW, "hello.txt", 0, 0,
                                         __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW);
  if (e != 0) refused(e);
  else escape("set hello.txt's times to now");
}

static void ro_fd_times(void) {
  __wasi_fd_t fd;
  need(open_at(BOX, NOFOLLOW, "hello.txt", 0, R_READ, 0, &fd), "open hello.txt");
  int e = __wasi_fd_filestat_set_times(fd, EVIL_TIME, EVIL_TIME,
                                       __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  if (e != 0) refused(e);
  else escape("futimens on a read-only file");
  close_fd(fd);
  e = __wasi_fd_filestat_set_times(BOX, EVIL_TIME, EVIL_TIME, __WASI_FSTFLAGS_MTIM);
  if (e != 0) refused(e);
  else escape("futimens on the read-only preopen");
  need(open_at(BOX, NOFOLLOW, "sub", O_DIR_, R_DIR, 0, &fd), "open sub");
  e = __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
  if (e != 0) refused(e);
  else escape("futimens on a read-only subdirectory");
  close_fd(fd);
}

/* ---- table ---------------------------------------------------------------------------------- */

static const struct {
  const char *name;
  void (*run)(void);
  const char *what;
} ATTACKS[] = {
    {"dotdot_open", dotdot_open, "open/read ../outside/secret.txt via .. at depths 0-3"},
    {"dotdot_only", dotdot_only, "open, opendir and stat paths of only .. components"},
    {"dotdot_reenter", dotdot_reenter, "climb out with .. and come back in through ../box"},
    {"dotdot_stat", dotdot_stat, "stat outside files and folders through .."},
    {"dotdot_readdir", dotdot_readdir, "open .. and ../outside as directories and list them"},
    {"dotdot_create", dotdot_create, "O_CREAT (also EXCL, TRUNC) a file outside through .."},
    {"dotdot_write", dotdot_write, "write, append and truncate the secret through .."},
    {"dotdot_mkdir", dotdot_mkdir, "mkdir outside and next to the box through .."},
    {"dotdot_unlink", dotdot_unlink, "unlink outside files through .."},
    {"dotdot_rmdir", dotdot_rmdir, "rmdir outside folders (and .. itself) through .."},
    {"dotdot_rename", dotdot_rename, "rename box entries out and outside entries in through .."},
    {"dotdot_link", dotdot_link, "hard-link the secret in, and box files out, through .."},
    {"dotdot_symlink_at", dotdot_symlink_at, "create a symlink whose own name is outside"},
    {"dotdot_symlink_target", dotdot_symlink_target, "create symlinks with .. targets, then follow them"},
    {"dotdot_utimes", dotdot_utimes, "set times of outside files and folders through .."},
    {"subfd_dotdot", subfd_dotdot, ".. from a descriptor opened on a subdirectory"},
    {"abs_open", abs_open, "open, list and stat absolute paths (/, /etc/passwd, OUTSIDE)"},
    {"abs_create", abs_create, "create, write and truncate through absolute paths"},
    {"abs_mutate", abs_mutate, "mkdir, unlink, rmdir, rename, link, symlink, utimes on absolute paths"},
    {"host_abs_read", host_abs_read, "read through host symlinks with absolute targets"},
    {"host_rel_read", host_rel_read, "read through host symlinks with ../ targets"},
    {"host_chain_read", host_chain_read, "read through host symlink -> symlink -> outside chains"},
    {"host_stat_follow", host_stat_follow, "stat (following) host symlinks that point outside"},
    {"host_write", host_write, "write and append through host symlinks"},
    {"host_trunc", host_trunc, "O_TRUNC through host symlinks"},
    {"host_creat_dangling", host_creat_dangling, "O_CREAT through dangling host symlinks to outside"},
    {"host_creat_excl", host_creat_excl, "O_CREAT|O_EXCL on and through host symlinks"},
    {"host_creat_through", host_creat_through, "create files inside symlinked outside folders"},
    {"host_mkdir_through", host_mkdir_through, "mkdir through and at host symlinks"},
    {"host_readdir_through", host_readdir_through, "list outside folders through host symlinks"},
    {"host_rename_through", host_rename_through, "rename into and out of symlinked outside folders"},
    {"host_rename_onto", host_rename_onto, "rename onto escaping symlinks (must replace the link only)"},
    {"host_link", host_link, "hard-link outside files through host symlinks"},
    {"host_utimes", host_utimes, "set times through host symlinks"},
    {"host_unlink_through", host_unlink_through, "unlink and rmdir through host symlinks"},
    {"host_dotdot_target", host_dotdot_target, "follow host symlinks whose targets hold .."},
    {"host_readlink", host_readlink, "readlink of escaping links gives text; following is refused"},
    {"guest_rel_read", guest_rel_read, "guest-made ../ symlinks, read, stat and listed"},
    {"guest_abs_read", guest_abs_read, "guest-made absolute symlinks, read, stat and listed"},
    {"guest_write", guest_write, "write, append and truncate through guest-made symlinks"},
    {"guest_creat", guest_creat, "O_CREAT through guest-made dangling symlinks"},
    {"guest_mkdir_readdir", guest_mkdir_readdir, "mkdir and readdir through guest-made symlinks"},
    {"guest_mutate", guest_mutate, "rename, unlink, rmdir, link, utimes, symlink through guest links"},
    {"guest_subdir_escape", guest_subdir_escape, "guest-made symlinks in subfolders climbing out"},
    {"guest_symlink_swap", guest_symlink_swap, "swap an inside symlink for an escaping one between uses"},
    {"guest_symlink_move", guest_symlink_move, "move a harmless relative symlink up until it escapes"},
    {"renamed_handle_rel", renamed_handle_rel, "held dir handle; dir renamed and replaced by ../outside link"},
    {"renamed_handle_abs", renamed_handle_abs, "held dir handle; dir renamed and replaced by OUTSIDE link"},
    {"renamed_parent", renamed_parent, "held sub/deep handle; sub swapped, deep made a link outside"},
    {"symlink_loop", symlink_loop, "60-link chain to outside, cycles, self loops (ELOOP)"},
    {"nul_path", nul_path, "paths and symlink targets with embedded NUL bytes (raw calls)"},
    {"overlong_utf8", overlong_utf8, "overlong and look-alike encodings of . and /"},
    {"ro_create", ro_create, "read-only mount: create files"},
    {"ro_write", ro_write, "read-only mount: open for writing, fd_write, fd_pwrite"},
    {"ro_truncate", ro_truncate, "read-only mount: O_TRUNC, ftruncate, fd_allocate"},
    {"ro_mkdir", ro_mkdir, "read-only mount: mkdir"},
    {"ro_rmdir", ro_rmdir, "read-only mount: rmdir an empty folder"},
    {"ro_unlink", ro_unlink, "read-only mount: unlink files and symlinks"},
    {"ro_rename", ro_rename, "read-only mount: rename files, folders, links"},
    {"ro_symlink", ro_symlink, "read-only mount: create symlinks"},
    {"ro_link", ro_link, "read-only mount: hard links"},
    {"ro_utimes", ro_utimes, "read-only mount: path utimes (values and now)"},
    {"ro_fd_times", ro_fd_times, "read-only mount: futimens on file and folder descriptors"},
};

int main(int argc, char **argv) {
  const size_t count = sizeof ATTACKS / sizeof *ATTACKS;
  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (size_t i = 0; i < count; i++) printf("%s\t%s\n", ATTACKS[i].name, ATTACKS[i].what);
    return 0;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: attack.wasm NAME OUTSIDE | --list\n");
    return 2;
  }
  attack = argv[1];
  if (argc > 2) outside = argv[2];
  for (size_t i = 0; i < count; i++) {
    if (strcmp(ATTACKS[i].name, attack) != 0) continue;
    ATTACKS[i].run();
    if (escaped) {
      printf("ATTACK %s ESCAPED %s\n", attack, detail);
      return 1;
    }
    if (tries == 0) setup_failed("no tries", 0);
    printf("ATTACK %s errno=%s\n", attack, errnos);
    return 0;
  }
  printf("ATTACK %s UNKNOWN\n", attack);
  return 2;
}
