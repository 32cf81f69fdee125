// Layer: cli/harness. Types only; imports nothing.
// What the harness hands to one child process (a Job, as JSON on its command line) and what the
// child hands back (an Outcome, as JSON in `job.resultFile`). The guest's stdin, stdout and stderr
// are the child's own fds 0, 1 and 2: pipes to the harness.

/** The iotypes backends the `iotypes` runtime can run on. */
export type Backend = 'node' | 'memory' | 'memfs';
export const BACKENDS: readonly Backend[] = ['node', 'memory', 'memfs'];

/** A folder to preopen: a fresh copy of `source` (a folder of the suite), as `guest`. */
export interface JobDir {
  guest: string;
  source: string;
}

export interface Job {
  /** A built-in runtime name, or 'module' for a runner module given by path. */
  runtime: string;
  /** For runtime 'iotypes'. */
  backend?: Backend;
  /** For runtime 'module': the absolute path of the runner module. */
  runner?: string;
  /** Absolute path of the .wasm test module. */
  wasm: string;
  /** argv, argv[0] included. */
  args: string[];
  /** The whole guest environment. */
  env: Record<string, string>;
  /** Folders to preopen, in this order (the spec's `root`, if any, is guest '/'). */
  dirs: JobDir[];
  /** A scratch folder owned by this job: host copies of `dirs` go here. Removed afterwards. */
  workDir: string;
  /** Where the child writes its Outcome. */
  resultFile: string;
  /** Created by the child once all its code has loaded, before the runtime runs. */
  startedFile: string;
}

/** How the program ended, as the child saw it. */
export type Outcome =
  /** The program exited (returned from _start or called proc_exit). */
  | { exitCode: number }
  /** The program trapped (counted as exit status 134). */
  | { trap: string }
  /** The runtime itself failed: a host exception, or it cannot run the module. */
  | { crash: string };
