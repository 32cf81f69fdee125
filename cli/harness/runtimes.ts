// Layer: cli/harness. Imports node:*, ./job.js and ../run.js (UsageError) only.
// The runtimes the harness can compare: iotypes (on each backend), node:wasi, and the optional
// peers, plus any runner module given by path. Peers are optional dependencies: each is looked up
// with a dynamic import, and asking for a missing one is a usage error that gives the line that
// adds it (not a run of skips).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS, type Backend } from './job.js';
import { UsageError } from '../run.js';

export interface RuntimeInfo {
  /** The column name: 'iotypes:node', 'node', 'wasmer', ..., or a runner module's file name. */
  id: string;
  /** Job.runtime. */
  runtime: string;
  backend?: Backend;
  /** For a runner module: its absolute path. */
  runner?: string;
  /** What it is, with its version when known. */
  description: string;
  version?: string;
}

interface Peer {
  pkg: string;
  /** What to install, when the package alone is not precise enough. */
  install: string;
  load: () => Promise<unknown>;
}

/** The peers, by runtime name. Each import is a literal so that bundlers keep it external. */
const PEERS: Readonly<Record<string, Peer>> = {
  wasmer: { pkg: '@wasmer/wasi', install: '@wasmer/wasi@1', load: () => import('@wasmer/wasi') },
  'browser-wasi-shim': { pkg: '@bjorn3/browser_wasi_shim', install: '@bjorn3/browser_wasi_shim', load: () => import('@bjorn3/browser_wasi_shim') },
  'wasm-util': { pkg: '@tybys/wasm-util', install: '@tybys/wasm-util', load: () => import('@tybys/wasm-util') },
};
/** The memfs backend needs memfs, an optional peer of iotypes. */
const MEMFS: Peer = { pkg: 'memfs', install: 'memfs', load: () => import('memfs') };

/** The built-in runtime names, for help and errors. */
export const RUNTIME_NAMES = ['iotypes', 'node', ...Object.keys(PEERS)];

/** The folder of the iotypes package (holding its package.json), from this file or the bundle. */
export function packageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'iotypes') return dir;
    if (dirname(dir) === dir) throw new Error('iotypes: cannot find the package folder');
  }
}

function versionOf(pkg: string): string | undefined {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(pkg));
    for (; dirname(dir) !== dir; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === pkg) return json.version;
    }
  } catch {
    // Unknown version: not fatal.
  }
  return undefined;
}

/** Whether an optional package can be imported; the reason and the fix when not. */
export async function probe(peer: Pick<Peer, 'pkg' | 'install' | 'load'>): Promise<string | undefined> {
  try {
    await peer.load();
    return undefined;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      return `${peer.pkg} is not installed; add it with: npm install -D ${peer.install}`;
    }
    return `${peer.pkg} cannot be loaded: ${(e as Error).message.split('\n')[0]}`;
  }
}

/**
 * The runtimes named by --runtime (repeatable) and --backend (repeatable, for iotypes), in order,
 * without duplicates. A name with a slash or a .js/.mjs/.cjs extension is a runner module.
 */
export async function resolveRuntimes(names: readonly string[], backends: readonly string[], cwd = process.cwd()): Promise<RuntimeInfo[]> {
  for (const b of backends) {
    if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`--backend ${b}: expected one of ${BACKENDS.join(', ')}`);
  }
  const list = names.length > 0 ? names : ['iotypes'];
  if (backends.length > 0 && !list.includes('iotypes')) throw new UsageError('--backend applies to --runtime iotypes, which is not selected');
  const iotypesVersion = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const out: RuntimeInfo[] = [];
  const add = (r: RuntimeInfo) => {
    if (!out.some((o) => o.id === r.id)) out.push(r);
  };
  for (const name of list) {
    const iotypes = /^iotypes(?::(.*))?$/.exec(name);
    if (iotypes) {
      const chosen = iotypes[1] !== undefined ? [iotypes[1]] : backends.length > 0 ? backends : ['node'];
      for (const b of chosen) {
        if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`--runtime ${name}: expected a backend among ${BACKENDS.join(', ')}`);
        const backend = b as Backend;
        const r: RuntimeInfo = { id: `iotypes:${backend}`, runtime: 'iotypes', backend, description: `iotypes ${iotypesVersion}, ${backend} backend`, version: iotypesVersion };
        if (backend === 'memfs') {
          const missing = await probe(MEMFS);
          if (missing !== undefined) throw new UsageError(`${r.id} cannot run here: ${missing}`);
          r.description += ` (memfs ${versionOf('memfs') ?? '?'})`;
        }
        add(r);
      }
    } else if (name === 'node') {
      add({ id: 'node', runtime: 'node', description: `node:wasi, Node.js ${process.version}`, version: process.version });
    } else if (PEERS[name] !== undefined) {
      const peer = PEERS[name];
      const version = versionOf(peer.pkg);
      const r: RuntimeInfo = { id: name, runtime: name, description: `${peer.pkg} ${version ?? ''}`.trim() };
      if (version !== undefined) r.version = version;
      const missing = await probe(peer);
      if (missing !== undefined) throw new UsageError(`--runtime ${name} cannot run here: ${missing}`);
      add(r);
    } else if (name.includes('/') || /\.[cm]?js$/.test(name)) {
      const path = resolve(cwd, name);
      if (!existsSync(path)) throw new UsageError(`--runtime ${name}: no such runner module`);
      add({ id: basename(path, extname(path)), runtime: 'module', runner: path, description: `runner module ${path}` });
    } else {
      throw new UsageError(`--runtime ${name}: unknown runtime (expected ${RUNTIME_NAMES.join(', ')}, iotypes:BACKEND, or a runner module path)`);
    }
  }
  return out;
}
