;; A wasi-threads command: _start spawns 3 threads through wasi.thread-spawn; thread k writes
;; "thread k\n" to stdout with fd_write (each thread through its own WASI instance) and counts
;; itself done in shared memory; _start waits for all three with memory.atomic.wait32, checks
;; each got a positive thread id, then writes "main done\n". A failed spawn exits with 2.
;; It exports malloc and free (a bump allocator), which @emnapi/wasi-threads uses for the
;; one-parameter thread-spawn of the wasi-threads proposal.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 16 shared))
  (export "memory" (memory 0))
  ;; [0] threads done; [16..] message templates; [64 + 16k] thread k's message; [256 + 16k] its iovec
  (data (i32.const 16) "thread ?\n")
  (data (i32.const 32) "main done\n")

  (global $heap (mut i32) (i32.const 4096))
  (func (export "malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (i32.and (i32.add (local.get $n) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32))

  (func $print (param $ptr i32) (param $len i32) (param $iov i32)
    (i32.store (local.get $iov) (local.get $ptr))
    (i32.store offset=4 (local.get $iov) (local.get $len))
    (if (call $fd_write (i32.const 1) (local.get $iov) (i32.const 1) (i32.add (local.get $iov) (i32.const 8)))
      (then (call $proc_exit (i32.const 3)))))

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32)
    (local $msg i32)
    (local.set $msg (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 4))))
    (memory.copy (local.get $msg) (i32.const 16) (i32.const 9))
    (i32.store8 offset=7 (local.get $msg) (i32.add (i32.const 48) (local.get $k)))
    (call $print (local.get $msg) (i32.const 9) (i32.add (i32.const 256) (i32.shl (local.get $k) (i32.const 4))))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func (export "_start")
    (local $k i32)
    (local $done i32)
    (loop $spawning
      (if (i32.le_s (call $spawn (local.get $k)) (i32.const 0))
        (then (call $proc_exit (i32.const 2))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $spawning (i32.lt_u (local.get $k) (i32.const 3))))
    (loop $waiting
      (local.set $done (i32.atomic.load (i32.const 0)))
      (if (i32.lt_u (local.get $done) (i32.const 3))
        (then
          (drop (memory.atomic.wait32 (i32.const 0) (local.get $done) (i64.const -1)))
          (br $waiting))))
    (call $print (i32.const 32) (i32.const 10) (i32.const 512))))
