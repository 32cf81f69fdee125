// Layer: cli. The `iotypes` command: argument parsing (commander) and dispatch.

import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { EXIT_TRAP, EXIT_USAGE, run, say, toStderr, UsageError, type RunOptions } from './run.js';
import { DEFAULT_TIMEOUT, runTests, type TestOptions } from './harness/index.js';

// dist/cli.js and cli/index.ts both sit one folder below package.json.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const collect = (value: string, previous: string[]) => [...previous, value];

/** Commander's own errors ("error: unknown option ..."), as one `iotypes:` line pointing at --help. */
const oneLine = (command: string) => (text: string) => {
  const message = text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
  say(`${message} (see 'iotypes ${command}--help')`);
};

function program(setStatus: (code: number) => void): Command {
  const cmd = new Command('iotypes')
    .description('Run WASI Preview 1 (wasm32-wasi) programs over typed I/O, in a sandbox.')
    .version(version, '-V, --version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: oneLine(''), writeErr: toStderr })
    .addHelpText(
      'after',
      `
Without a command, the arguments are those of run: \`iotypes prog.wasm ARGS\` is \`iotypes run prog.wasm ARGS\`
(a module named like a command, such as "test", needs the explicit \`run\`).`,
    );

  cmd
    .command('run')
    .description('run a WASI command module, or a WASI 0.2 command component (the default command)')
    .configureOutput({ outputError: oneLine('run ') })
    .argument('<module>', 'the .wasm file (a module, or a component: needs @bytecodealliance/jco), or a .wat text file')
    .argument('[args...]', 'arguments for the program (typed: @in:PATH, @inout:PATH, @out:PATH; @@x for a literal @x)')
    .option('--dir <HOST[::GUEST]>', 'preopen a host folder, as GUEST in the guest (repeatable)', collect, [])
    .option('--ro-dir <HOST[::GUEST]>', 'preopen a host folder read-only (repeatable)', collect, [])
    .option('--readonly', 'make every --dir read-only', false)
    .option('--env <NAME[=VALUE]>', 'set an environment variable; NAME alone copies it from the host (repeatable)', collect, [])
    .option('--trace', 'print every WASI call with its arguments and result to stderr', false)
    .option('--argv0 <NAME>', "the program's argv[0] (default: the module path as given)")
    .passThroughOptions()
    .addHelpText(
      'after',
      `
Exit status: the program's own exit code; ${EXIT_TRAP} if it traps (one line on stderr names the
trap, a stack overflow, an uncaught wasm exception or a proc_exit code above 255); ${EXIT_USAGE} if
iotypes cannot run it (missing file, not a regular file, not wasm or .wat, not a WASI command, a
WebAssembly feature or limit of this engine, a start section calling WASI, a bad option; a
component without jco installed or importing wasi:sockets or wasi:http). A component's exit is
ok or err: a nonzero proc_exit code becomes 1.

Typed arguments bind one host file to the program without preopening any folder:
  iotypes run wc.wasm @in:/data/big.log        the program sees /iotypes/N, a read-only array
  iotypes run cp.wasm @in:a.txt @out:b.txt     ... and an output stream for b.txt`,
    )
    .action(async (module: string, args: string[], opts: RunOptions) => {
      setStatus(await run(module, args, opts));
    });

  cmd
    .command('test')
    .configureOutput({ outputError: oneLine('test ') })
    .description('run conformance suites (folders of .wasm tests with wasi-testsuite .json specs) on iotypes and its peers')
    .argument('<suite-dir...>', 'folders of *.wasm tests, each with an optional same-named *.json spec; every folder below with a manifest.json is a suite too')
    .option('--runtime <NAME>', 'iotypes, iotypes:BACKEND, node, wasmer, browser-wasi-shim, wasm-util, or a runner module path (repeatable; default iotypes)', (v: string, p?: string[]) => collect(v, p ?? []))
    .option('--backend <NAME>', 'backend for --runtime iotypes: node, memory or memfs (repeatable; default node)', (v: string, p?: string[]) => collect(v, p ?? []))
    .option('--jobs <N>', 'tests run in parallel (default: the number of cores)')
    .option('--timeout <SECONDS>', `time allowed per test before it is killed (default ${DEFAULT_TIMEOUT})`)
    .option('--filter <REGEX>', 'run only the tests whose name or suite/name matches')
    .option('--expect <FILE>', 'known failures per runtime (JSON); only other failures are regressions')
    .option('--write-expect <FILE>', 'write the failures of this run as an expectations file')
    .option('--json <FILE>', 'write the results as JSON')
    .option('--junit <FILE>', 'write the results as JUnit XML')
    .option('--markdown <FILE>', 'write the summary and matrix as Markdown')
    .option('--no-progress', 'no progress display on stderr')
    .addHelpText(
      'after',
      `
Each test runs in its own child process; the matrix shows PASS, FAIL, TIMEOUT, CRASH or SKIP.
Exit status: 0 when no test regressed (a failure not listed by --expect); 1 when one did;
${EXIT_USAGE} for a usage problem.`,
    )
    .action(async (dirs: string[], opts: TestOptions) => {
      setStatus(await runTests(dirs, opts));
    });
  return cmd;
}

/** Runs the command line (without `node` and the script name); resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let status = 0;
  const cmd = program((code) => (status = code));
  if (argv.length === 0) {
    cmd.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  // Without a command, the arguments are those of `run`, as with `wasmtime prog.wasm`. Only the
  // first argument decides, so `iotypes prog.wasm --help` passes --help to the program.
  const first = argv[0]!;
  const own = cmd.commands.some((c) => c.name() === first) || ['help', '-h', '--help', '-V', '--version'].includes(first);
  try {
    await cmd.parseAsync(own ? [...argv] : ['run', ...argv], { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    if (e instanceof UsageError) {
      say(e.help === undefined ? e.message : `${e.message} (see 'iotypes ${e.help} --help')`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
