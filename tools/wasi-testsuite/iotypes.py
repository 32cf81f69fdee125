"""wasi-testsuite runtime adapter for iotypes.

Point wasi-testsuite's runner at this file (`-r path/to/iotypes.py`). It serves both forms of
adapter the runner has used:

- as a module: get_name(), get_version(), get_wasi_versions(), get_wasi_worlds() and
  compute_argv(test_path, (args, env, root), proposals, wasi_world, wasi_version), which returns
  the `iotypes run` command line for one test;
- as a script: --test-file F [--arg A]... [--env K=V]... [--dir D]... runs one test, and
  --version prints the version.

IOTYPES names the command to run (default: `iotypes`, e.g. from `npm install -g iotypes`, or
"node /path/to/iotypes/bin/iotypes.js").
"""

import argparse
import os
import shlex
import subprocess
import sys
from typing import Dict, List, Optional, Tuple

IOTYPES = shlex.split(os.getenv("IOTYPES", "iotypes"), posix=os.name != "nt")


def get_name() -> str:
    return "iotypes"


def get_version() -> str:
    out = subprocess.run(IOTYPES + ["--version"], encoding="utf-8", capture_output=True, check=True)
    return out.stdout.strip().split()[-1]


def get_wasi_versions() -> List[str]:
    return ["wasm32-wasip1"]


def get_wasi_worlds() -> List[str]:
    return ["wasi:cli/command"]


def _argv(test_path: str, args: List[str], env: Dict[str, str], dirs: List[Tuple[str, str]]) -> List[str]:
    argv = IOTYPES + ["run"]
    for key, value in env.items():
        argv += ["--env", f"{key}={value}"]
    for host, guest in dirs:
        argv += ["--dir", f"{host}::{guest}"]
    # Everything after the module is the program's own, options included.
    return argv + [test_path] + list(args)


def compute_argv(test_path: str,
                 args_env_root: Tuple[List[str], Dict[str, str], Optional[str]],
                 proposals: List[str],
                 wasi_world: str,
                 wasi_version: str) -> List[str]:
    args, env, root = args_env_root
    return _argv(test_path, args, env, [(str(root), "/")] if root else [])


def main() -> int:
    parser = argparse.ArgumentParser(description="Run one wasi-testsuite test on iotypes.")
    parser.add_argument("--version", action="store_true")
    parser.add_argument("--test-file")
    parser.add_argument("--arg", action="append", default=[])
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--dir", action="append", default=[])
    options = parser.parse_args()
    if options.version:
        print("iotypes", get_version())
        return 0
    if not options.test_file:
        parser.error("--test-file is required")
    env = dict(item.split("=", 1) for item in options.env)
    # Older runners name each folder relative to the test's folder and preopen it under that name.
    base = os.path.dirname(os.path.abspath(options.test_file))
    dirs = [(os.path.join(base, d), d) for d in options.dir]
    return subprocess.run(_argv(options.test_file, options.arg, env, dirs)).returncode


if __name__ == "__main__":
    sys.exit(main())
