// Layer: abi. Imports nothing.
// The names of the Preview 1 functions, their parameters, and their wasm types (the same in
// wasi_unstable, which lacks only sock_accept).

/** The 46 functions of wasi_snapshot_preview1, with their parameter names (witx order). */
export const SIGNATURES = {
  args_get: ['argv', 'argv_buf'],
  args_sizes_get: ['argc_out', 'argv_buf_size_out'],
  environ_get: ['environ', 'environ_buf'],
  environ_sizes_get: ['count_out', 'buf_size_out'],
  clock_res_get: ['id', 'resolution_out'],
  clock_time_get: ['id', 'precision', 'time_out'],
  fd_advise: ['fd', 'offset', 'len', 'advice'],
  fd_allocate: ['fd', 'offset', 'len'],
  fd_close: ['fd'],
  fd_datasync: ['fd'],
  fd_fdstat_get: ['fd', 'stat_out'],
  fd_fdstat_set_flags: ['fd', 'flags'],
  fd_fdstat_set_rights: ['fd', 'rights_base', 'rights_inheriting'],
  fd_filestat_get: ['fd', 'stat_out'],
  fd_filestat_set_size: ['fd', 'size'],
  fd_filestat_set_times: ['fd', 'atim', 'mtim', 'fst_flags'],
  fd_pread: ['fd', 'iovs', 'iovs_len', 'offset', 'nread_out'],
  fd_prestat_get: ['fd', 'prestat_out'],
  fd_prestat_dir_name: ['fd', 'path', 'path_len'],
  fd_pwrite: ['fd', 'iovs', 'iovs_len', 'offset', 'nwritten_out'],
  fd_read: ['fd', 'iovs', 'iovs_len', 'nread_out'],
  fd_readdir: ['fd', 'buf', 'buf_len', 'cookie', 'bufused_out'],
  fd_renumber: ['fd', 'to'],
  fd_seek: ['fd', 'offset', 'whence', 'newoffset_out'],
  fd_sync: ['fd'],
  fd_tell: ['fd', 'offset_out'],
  fd_write: ['fd', 'iovs', 'iovs_len', 'nwritten_out'],
  path_create_directory: ['fd', 'path', 'path_len'],
  path_filestat_get: ['fd', 'flags', 'path', 'path_len', 'stat_out'],
  path_filestat_set_times: ['fd', 'flags', 'path', 'path_len', 'atim', 'mtim', 'fst_flags'],
  path_link: ['old_fd', 'old_flags', 'old_path', 'old_path_len', 'new_fd', 'new_path', 'new_path_len'],
  path_open: ['fd', 'dirflags', 'path', 'path_len', 'oflags', 'rights_base', 'rights_inheriting', 'fdflags', 'fd_out'],
  path_readlink: ['fd', 'path', 'path_len', 'buf', 'buf_len', 'bufused_out'],
  path_remove_directory: ['fd', 'path', 'path_len'],
  path_rename: ['fd', 'old_path', 'old_path_len', 'new_fd', 'new_path', 'new_path_len'],
  path_symlink: ['old_path', 'old_path_len', 'fd', 'new_path', 'new_path_len'],
  path_unlink_file: ['fd', 'path', 'path_len'],
  poll_oneoff: ['in', 'out', 'nsubscriptions', 'nevents_out'],
  proc_exit: ['rval'],
  proc_raise: ['sig'],
  sched_yield: [],
  random_get: ['buf', 'buf_len'],
  sock_accept: ['fd', 'flags', 'fd_out'],
  sock_recv: ['fd', 'ri_data', 'ri_data_len', 'ri_flags', 'ro_datalen_out', 'ro_flags_out'],
  sock_send: ['fd', 'si_data', 'si_data_len', 'si_flags', 'so_datalen_out'],
  sock_shutdown: ['fd', 'how'],
} as const;

export type Preview1Name = keyof typeof SIGNATURES;

const I = 'i32';
const L = 'i64';

/** The wasm parameter types of each function (witx u64/s64 → i64, everything else → i32). */
export const WASM_PARAMS: Readonly<Record<Preview1Name, readonly ('i32' | 'i64')[]>> = {
  args_get: [I, I], args_sizes_get: [I, I], environ_get: [I, I], environ_sizes_get: [I, I],
  clock_res_get: [I, I], clock_time_get: [I, L, I],
  fd_advise: [I, L, L, I], fd_allocate: [I, L, L], fd_close: [I], fd_datasync: [I],
  fd_fdstat_get: [I, I], fd_fdstat_set_flags: [I, I], fd_fdstat_set_rights: [I, L, L],
  fd_filestat_get: [I, I], fd_filestat_set_size: [I, L], fd_filestat_set_times: [I, L, L, I],
  fd_pread: [I, I, I, L, I], fd_prestat_get: [I, I], fd_prestat_dir_name: [I, I, I],
  fd_pwrite: [I, I, I, L, I], fd_read: [I, I, I, I], fd_readdir: [I, I, I, L, I],
  fd_renumber: [I, I], fd_seek: [I, L, I, I], fd_sync: [I], fd_tell: [I, I], fd_write: [I, I, I, I],
  path_create_directory: [I, I, I], path_filestat_get: [I, I, I, I, I],
  path_filestat_set_times: [I, I, I, I, L, L, I], path_link: [I, I, I, I, I, I, I],
  path_open: [I, I, I, I, I, L, L, I, I], path_readlink: [I, I, I, I, I, I],
  path_remove_directory: [I, I, I], path_rename: [I, I, I, I, I, I], path_symlink: [I, I, I, I, I],
  path_unlink_file: [I, I, I], poll_oneoff: [I, I, I, I],
  proc_exit: [I], proc_raise: [I], sched_yield: [], random_get: [I, I],
  sock_accept: [I, I, I], sock_recv: [I, I, I, I, I, I], sock_send: [I, I, I, I, I], sock_shutdown: [I, I],
};

/** The wasm result types: an errno (i32), except proc_exit, which does not return. */
export function wasmResults(name: Preview1Name): readonly ('i32' | 'i64')[] {
  return name === 'proc_exit' ? [] : [I];
}
