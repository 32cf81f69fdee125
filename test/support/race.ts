// Two guests on one host folder, one swapping a folder for a symlink to a folder outside while
// the other works through it (test/race/racer.c), run as two `iotypes run` processes or as two
// WASI instances in worker threads. Reports every change outside and every outside read.
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const ROOT = join(__dirname, '..', '..');
const RACER = join(ROOT, 'test', 'race', 'racer.wasm');

export interface RaceResult {
  /** Entries of the outside folder that appeared, vanished or changed. */
  outsideChanges: string[];
  /** The "use" guest's counts: how often it read outside data or listed the outside folder. */
  outsideReads: number;
  outsideLists: number;
  /** Operations tried by the "use" guest and rounds of the "swap" guest (so a race happened). */
  tries: number;
  swaps: number;
  stdout: string;
}

const FILES = ['secret', 'victim', 'doomed', 'prize'];

/** name → "type size content" of every entry of `dir`. */
function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const st = lstatSync(join(dir, name));
    m.set(name, `${st.mode} ${st.size} ${st.mtimeMs} ${st.isFile() ? readFileSync(join(dir, name), 'utf8') : ''}`);
  }
  return m;
}

function cli(box: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'iotypes.js'), 'run', '--dir', `${box}::box`, RACER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(out) : reject(new Error(`racer exited ${status}: ${out}`))));
  });
}

/**
 * How a guest in a worker reaches the folder: the synchronous Node backend with its descriptor
 * addressing or re-walking paths, or node:fs/promises (nodeAsyncDirectory) under JSPI.
 */
export type RaceBackend = 'descriptor' | 'walk' | 'async';

function worker(box: string, args: string[], backend?: RaceBackend): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = new Worker(join(ROOT, 'test', 'race', 'worker.mjs'), { workerData: { box, args, backend } });
    w.on('message', (m: { status: number; stdout: string }) => (m.status === 0 ? resolve(m.stdout) : reject(new Error(`racer exited ${m.status}`))));
    w.on('error', reject);
  });
}

/** Races for `seconds`; `via` says how the two guests run, `backends` (workers) how each reaches the folder. */
export async function race(
  seconds: number,
  via: 'cli' | 'workers',
  backends: { swap?: RaceBackend; use?: RaceBackend } = {},
): Promise<RaceResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'iotypes-race-'));
  try {
    const box = join(tmp, 'box');
    const outside = join(tmp, 'outside');
    mkdirSync(join(box, 'd'), { recursive: true });
    mkdirSync(outside);
    for (const f of FILES) {
      writeFileSync(join(box, 'd', f), `inside ${f}\n`);
      writeFileSync(join(outside, f), `outside ${f}\n`);
    }
    writeFileSync(join(outside, 'outside-marker'), '');
    // The link to outside is planted by the host: a guest may not make a link with an absolute
    // target (path_symlink refuses it), but another process on the same folder may.
    symlinkSync(outside, join(box, 'lnk'));
    const before = snapshot(outside);
    const run = via === 'cli' ? (args: string[]) => cli(box, args) : (args: string[], backend?: RaceBackend) => worker(box, args, backend);
    const outputs = await Promise.all([run(['swap', String(seconds), outside], backends.swap), run(['use', String(seconds)], backends.use)]);
    const stdout = outputs.join('');
    const after = snapshot(outside);
    const outsideChanges: string[] = [];
    for (const [name, was] of before) {
      if (!after.has(name)) outsideChanges.push(`${name} vanished`);
      else if (after.get(name) !== was) outsideChanges.push(`${name} changed`);
    }
    for (const name of after.keys()) if (!before.has(name)) outsideChanges.push(`${name} appeared`);
    const num = (key: string) => Number(new RegExp(`${key} (\\d+)`).exec(stdout)?.[1] ?? NaN);
    return {
      outsideChanges,
      outsideReads: num('outside-reads'),
      outsideLists: num('outside-lists'),
      tries: num('tries'),
      swaps: num('swap rounds'),
      stdout,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
