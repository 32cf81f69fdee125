// Layer: cli. Imports the package's public entries (iotypes/preview2), node:* and, only when a
// component is run, jco (@bytecodealliance/jco, an optional dependency).
// `iotypes run` for WebAssembly components: the component is transpiled by jco's API into its
// `--instantiation` form (core modules plus the glue that lifts and lowers values), cached by
// the component's hash, and run over iotypes/preview2 with the options a module would get.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROVIDED_INTERFACES, runCommand, type Instantiate, type Preview2Options } from '../preview2/index.js';

/** A component iotypes cannot run, said in one line (the caller prints it as a usage error). */
export class ComponentProblem extends Error {}

/** The component binary header: magic, then version 0x0d and layer 1. */
export function isComponent(bytes: Uint8Array): boolean {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
  return bytes.length >= 8 && header.every((b, i) => bytes[i] === b);
}

interface Jco {
  transpile(component: Uint8Array, opts: Record<string, unknown>): Promise<{ files: Record<string, Uint8Array>; imports: string[] }>;
}

/** The jco module to load: IOTYPES_JCO (a package name or a path), else @bytecodealliance/jco. */
const JCO = () => process.env['IOTYPES_JCO'] || '@bytecodealliance/jco';

async function loadJco(path: string): Promise<{ jco: Jco; source: string }> {
  const name = JCO();
  try {
    const jco = (await import(/^[./]/.test(name) ? pathToFileURL(name).href : name)) as Jco;
    if (typeof jco.transpile !== 'function') throw new Error('no transpile export');
    return { jco, source: name };
  } catch {
    throw new ComponentProblem(
      `${path}: a WebAssembly component; running components needs jco: npm install @bytecodealliance/jco@1.10`,
    );
  }
}

/** Where transpiled components are kept: IOTYPES_CACHE_DIR, else $XDG_CACHE_HOME/iotypes, else ~/.cache/iotypes. */
export function cacheDir(): string {
  const base = process.env['IOTYPES_CACHE_DIR'] || join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'iotypes');
  return join(base, 'components');
}

interface Transpiled {
  dir: string;
  imports: string[];
}

/**
 * The component transpiled to jco's `--instantiation async` form, in a cache folder named by the
 * hash of the component and the jco used. A folder appears whole (written aside, then renamed),
 * so concurrent runs of the same component never see half of one.
 */
export async function transpileCached(path: string, bytes: Uint8Array): Promise<Transpiled> {
  const { jco, source } = await loadJco(path);
  const hash = createHash('sha256').update(bytes).update(`\0${source}`).digest('hex');
  const dir = join(cacheDir(), hash);
  const manifest = join(dir, 'imports.json');
  if (!existsSync(manifest)) {
    let out: Awaited<ReturnType<Jco['transpile']>>;
    try {
      out = await jco.transpile(bytes, { name: 'component', instantiation: 'async' });
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new ComponentProblem(`${path}: jco cannot transpile it: ${why}`);
    }
    mkdirSync(dirname(dir), { recursive: true });
    const tmp = mkdtempSync(`${dir}.tmp-`);
    for (const [name, data] of Object.entries(out.files)) {
      if (name.endsWith('.d.ts')) continue;
      mkdirSync(dirname(join(tmp, name)), { recursive: true });
      writeFileSync(join(tmp, name), data);
    }
    writeFileSync(join(tmp, 'imports.json'), JSON.stringify(out.imports));
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another run got there first
    }
  }
  return { dir, imports: JSON.parse(readFileSync(manifest, 'utf8')) as string[] };
}

/**
 * Runs a command component with `options` (those of a module run); resolves to its exit code.
 * Traps propagate; what iotypes cannot run is a ComponentProblem.
 */
export async function runComponent(path: string, bytes: Uint8Array, options: Preview2Options): Promise<number> {
  const { dir, imports } = await transpileCached(path, bytes);
  const missing = imports.map((i) => i.replace(/@[^/]*$/, '')).filter((i) => !PROVIDED_INTERFACES.includes(i));
  if (missing.length > 0) {
    throw new ComponentProblem(`${path}: imports ${missing.join(', ')}, which iotypes/preview2 does not provide (it provides wasi:cli, wasi:io, wasi:filesystem, wasi:clocks and wasi:random)`);
  }
  const { instantiate } = (await import(pathToFileURL(join(dir, 'component.js')).href)) as { instantiate: Instantiate };
  const core = (name: string) => WebAssembly.compile(readFileSync(join(dir, name)));
  try {
    return await runCommand(instantiate, core, options);
  } catch (e) {
    if (e instanceof TypeError && /not a command component/.test(e.message)) throw new ComponentProblem(`${path}: ${e.message}`);
    throw e;
  }
}
